-- plot_gnuplot.lua: slope.plot's figures as PNG through gnuplot.
--
--   gp.script(fig, width, height, path) -> a gnuplot script writing the PNG
--   gp.render(fig, width, height, path) -> true, or nil and gnuplot's error
--
-- The script holds the data inline (one named block per layer, polylines
-- separated by blank lines), the same palette and contour ramp as the SVG,
-- and the legend entries of the curves and paths. Paths are drawn with a
-- hollow circle at the start and a filled square at the end.
local ipairs, tostring = ipairs, tostring
local format, concat, gsub = string.format, table.concat, string.gsub
local io, os = io, os

local axis = require "slope.plot_axis"

local gp = {}

-- A number as gnuplot reads it back to the bit: "NaN" for NaN, which
-- gnuplot skips (it breaks the line there).
local function num(v)
  if v ~= v then return "NaN" end
  if v == math.huge then return "1e308" end
  if v == -math.huge then return "-1e308" end
  return format("%.17g", v)
end

local function quote(s)
  return '"' .. gsub(tostring(s), '[\\"\n]', { ["\\"] = "\\\\", ['"'] = '\\"',
                                             ["\n"] = " " }) .. '"'
end

-- x, y pairs of flat lists of polylines, as one data block.
local function block(out, name, lines, ylog)
  out[#out + 1] = "$" .. name .. " << EOD"
  for k, flat in ipairs(lines) do
    if k > 1 then out[#out + 1] = "" end
    for i = 1, #flat - 1, 2 do
      local y = flat[i + 1]
      if ylog then y = 10 ^ y end
      out[#out + 1] = num(flat[i]) .. " " .. num(y)
    end
  end
  out[#out + 1] = "EOD"
end

function gp.script(fig, W, H, path)
  local out = {
    format("set terminal pngcairo size %d,%d font 'DejaVu Sans,10' "
           .. "background rgb 'white'", W, H),
    "set output " .. quote(path),
    "set encoding utf8",
    "set grid lc rgb '#e6e6e6'",
    "set border lc rgb '#333333'",
    "set tics nomirror",
    fig.legend and "set key top right opaque box lc rgb '#999999'"
      or "unset key",
    format("set xrange [%s:%s]", num(fig.x[1]), num(fig.x[2])),
  }
  if fig.ylog then
    out[#out + 1] = "set logscale y"
    out[#out + 1] = format("set yrange [%s:%s]", num(10 ^ fig.y[1]),
                           num(10 ^ fig.y[2]))
  else
    out[#out + 1] = format("set yrange [%s:%s]", num(fig.y[1]),
                           num(fig.y[2]))
  end
  if fig.title then out[#out + 1] = "set title " .. quote(fig.title) end
  if fig.xlabel then out[#out + 1] = "set xlabel " .. quote(fig.xlabel) end
  if fig.ylabel then out[#out + 1] = "set ylabel " .. quote(fig.ylabel) end

  local plots = {}
  for k, l in ipairs(fig.layers) do
    local name = "layer" .. k
    local color = l.color and axis.palette[(l.color - 1) % #axis.palette + 1]
    local title = fig.legend and l.label and "title " .. quote(l.label)
                  or "notitle"
    if l.kind == "contour" and #l.lines > 0 then
      block(out, name, l.lines, fig.ylog)
      plots[#plots + 1] = format("$%s with lines lw 1 lc rgb '%s' notitle",
                                 name, axis.ramp(l.shade))
    elseif l.kind == "curve" then
      block(out, name, l.lines, fig.ylog)
      plots[#plots + 1] = format("$%s with lines lw 2 lc rgb '%s' %s", name,
                                 color, title)
    elseif l.kind == "path" and #l.points >= 2 then
      local p, n = l.points, #l.points
      block(out, name, { p }, fig.ylog)
      block(out, name .. "ends", { { p[1], p[2] }, { p[n - 1], p[n] } },
            fig.ylog)
      plots[#plots + 1] = format("$%s with lines lw 2 lc rgb '%s' %s", name,
                                 color, title)
      plots[#plots + 1] = format("$%sends every :::0::0 with points pt 6 "
                                 .. "ps 1.5 lw 2 lc rgb '%s' notitle, "
                                 .. "$%sends every :::1::1 with points pt 5 "
                                 .. "ps 1.2 lc rgb '%s' notitle",
                                 name, color, name, color)
    end
  end
  if #plots == 0 then
    plots[1] = "NaN notitle"
  end
  out[#out + 1] = "plot " .. concat(plots, ", \\\n     ")
  out[#out + 1] = "unset output"
  return concat(out, "\n") .. "\n"
end

-- Is gnuplot on PATH? Asked of the shell once.
local available
function gp.available()
  if available == nil then
    available = os.execute("command -v gnuplot >/dev/null 2>&1") == true
  end
  return available
end

function gp.render(fig, W, H, path)
  local script = os.tmpname()
  local f = assert(io.open(script, "w"))
  f:write(gp.script(fig, W, H, path))
  f:close()
  local errfile = script .. ".err"
  local ok = os.execute("gnuplot " .. "'" .. gsub(script, "'", "'\\''")
                        .. "' 2>'" .. gsub(errfile, "'", "'\\''") .. "'")
  local msg
  local ef = io.open(errfile)
  if ef then msg = ef:read("a"); ef:close() end
  os.remove(script)
  os.remove(errfile)
  if ok ~= true then return nil, (msg or ""):gsub("%s+$", "") end
  return true
end

return gp
