-- plot.lua: slope.plot, plots to look at rather than read.
--
--   plot.curve(f, a, b [, opts])   f (or a list of them) on [a, b]
--   plot.contour(f, box [, opts])  level lines of f(x) over a box, with
--                                  optimiser paths from result traces
--   plot.loss(runs [, opts])       f (or gnorm, ...) against iteration
--
-- Each builds a figure in data coordinates (layers of polylines) and hands
-- it to a renderer: plot_svg for opts.file = "NAME.svg", plot_gnuplot for
-- "NAME.png" (rsvg-convert on the SVG when gnuplot is not installed),
-- plot_term (Unicode braille) otherwise. Functions are
-- evaluated through their compiled tape when they can be traced, by plain
-- calls when they cannot.
local type, error, ipairs, pairs, pcall, require, tostring =
      type, error, ipairs, pairs, pcall, require, tostring
local getmetatable, tonumber, rawget = getmetatable, tonumber, rawget
local floor, log, abs, max, min, huge =
      math.floor, math.log, math.abs, math.max, math.min, math.huge
local format, lower, concat, sort =
      string.format, string.lower, table.concat, table.sort
local io, os, package = io, os, package

local newvec = require("slope.core").vec.vec
local ad = require "slope.ad"
local svg = require "slope.plot_svg"
local term = require "slope.plot_term"

-- {==================================================================
-- Arguments and options
-- ===================================================================

local function argerror(argno, fname, msg)
  error(format("bad argument #%d to '%s' (%s)", argno, fname, msg), 0)
end

local function kind(v)
  local mt = getmetatable(v)
  if type(mt) == "table" and type(rawget(mt, "__name")) == "string" then
    local name = rawget(mt, "__name")
    return name == "slope.vec" and "vec" or name == "slope.mat" and "mat"
           or name
  end
  return type(v)
end

local function callable(v)
  if type(v) == "function" then return true end
  local mt = getmetatable(v)
  return type(mt) == "table" and rawget(mt, "__call") ~= nil
end

local common = { "color", "file", "height", "legend", "title", "width",
                 "xlabel", "ylabel" }

-- opts checked against the names a function knows (common ones and its
-- own); returns a table (empty when opts is nil).
local function checkopts(opts, argno, fname, own)
  if opts == nil then return {} end
  if type(opts) ~= "table" then
    argerror(argno, fname, "table expected, got " .. kind(opts))
  end
  local known, names = {}, {}
  for _, list in ipairs { common, own } do
    for _, k in ipairs(list) do known[k] = true; names[#names + 1] = k end
  end
  sort(names)
  for k in pairs(opts) do
    if not known[k] then
      local q = type(k) == "string" and "'" or ""
      local quoted = {}
      for i, n in ipairs(names) do quoted[i] = "'" .. n .. "'" end
      argerror(argno, fname, format("unknown option %s%s%s (expected %s or %s)",
        q, tostring(k), q, concat(quoted, ", ", 1, #quoted - 1),
        quoted[#quoted]))
    end
  end
  local function field(k, want, ok)
    local v = opts[k]
    if v ~= nil and (type(v) ~= want or (ok and not ok(v))) then
      argerror(argno, fname, format("field '%s' must be %s, got %s", k,
               ok and ok(nil, true) or "a " .. want,
               type(v) == want and tostring(v) or kind(v)))
    end
  end
  local function size(v, what)  -- what: the description, for the message
    if what then return "an integer >= 8" end
    return v == floor(v) and v >= 8 and v < huge
  end
  for _, k in ipairs { "title", "xlabel", "ylabel", "file" } do
    field(k, "string")
  end
  field("width", "number", size)
  field("height", "number", size)
  field("color", "boolean")
  field("legend", "boolean")
  if opts.file and not (lower(opts.file):find("%.svg$") or
                        lower(opts.file):find("%.png$")) then
    argerror(argno, fname, "field 'file' must end in .svg or .png, got "
             .. opts.file)
  end
  return opts
end

-- A finite number, or an error naming the argument.
local function checknumber(v, argno, fname, what)
  if type(v) ~= "number" then
    argerror(argno, fname, "number expected, got " .. kind(v))
  end
  if v ~= v or v == huge or v == -huge then
    argerror(argno, fname, (what or "number") .. " must be finite")
  end
  return v
end

-- {lo, hi} with lo < hi, finite; the range of opts[k] or of a box axis.
local function checkrange(r, argno, fname, what)
  if type(r) ~= "table" or type(r[1]) ~= "number" or type(r[2]) ~= "number"
     or not (r[1] < r[2]) or r[1] == -huge or r[2] == huge then
    argerror(argno, fname, what)
  end
  return r[1], r[2]
end

-- }==================================================================

-- {==================================================================
-- Evaluation: through the tape when f traces, plain calls otherwise
-- ===================================================================

local function number(y, argno, fname)
  if type(y) ~= "number" then
    argerror(argno, fname, "f must return a number, got " .. kind(y))
  end
  return y
end

-- g(x) for a number x, from f taking a number.
local function scalarfn(f)
  if type(f) == "function" then
    local ok, F = pcall(ad.compile, function(v) return f(v[1]) end, 1)
    if ok then
      local v = newvec(1)
      return function(x) v[1] = x; return F(v) end
    end
  end
  return f
end

-- g(x, y) from f taking a vector of two.
local function planefn(f)
  local F
  if kind(f) == "slope.ad.fn" then
    F = f
  elseif type(f) == "function" then
    local ok, G = pcall(ad.compile, f, 2)
    if ok then F = G end
  end
  if F then
    local v = newvec(2)
    return function(x, y) v[1] = x; v[2] = y; return F(v) end
  end
  return function(x, y) return f(newvec{x, y}) end
end

-- }==================================================================

-- {==================================================================
-- Output
-- ===================================================================

-- Is standard output a terminal? Asked of the shell once.
local tty
local function isatty()
  if tty == nil then
    tty = os.execute("test -t 1") == true
  end
  return tty
end

-- Terminal size: opts, else COLUMNS and LINES, else 80 x 24.
local function termsize(opts)
  local cols = opts.width or tonumber(os.getenv("COLUMNS") or "")
  if not cols or cols < 8 then cols = 80 end
  cols = floor(cols)
  local height = opts.height
  if not height then
    local lines = tonumber(os.getenv("LINES") or "") or 24
    height = max(12, min(floor(cols * 0.3), lines - 2, 40))
  end
  return cols, floor(height)
end

local function writefile(path, text)
  local f, err = io.open(path, "wb")
  if not f then error("plot: cannot write " .. err, 0) end
  f:write(text)
  f:close()
end

-- Render fig to opts.file (SVG; PNG through gnuplot when it is installed,
-- else through rsvg-convert) and return the path, or to text for the
-- terminal and return the text.
local function output(fig, opts)
  local file = opts.file
  if file then
    if lower(file):find("%.svg$") then
      writefile(file, svg.render(fig, opts.width or 640, opts.height or 480))
      return file
    end
    local gnuplot = require "slope.plot_gnuplot"
    if gnuplot.available() then
      local ok, err = gnuplot.render(fig, opts.width or 640,
                                     opts.height or 480, file)
      if not ok then error("plot: gnuplot could not write " .. file .. ": "
                           .. err, 0) end
      return file
    end
    if os.execute("command -v rsvg-convert >/dev/null 2>&1") ~= true then
      error("plot: writing PNG needs gnuplot (install gnuplot-nox) or "
            .. "rsvg-convert (librsvg2-bin), or write an .svg file", 0)
    end
    local tmp = os.tmpname()
    writefile(tmp, svg.render(fig, opts.width or 640, opts.height or 480))
    local quoted = "'" .. file:gsub("'", "'\\''") .. "'"
    local ok = os.execute("rsvg-convert -f png -o " .. quoted .. " " .. tmp
                          .. " 2>/dev/null")
    os.remove(tmp)
    if ok ~= true then error("plot: rsvg-convert could not write " .. file, 0) end
    return file
  end
  -- Under a capturing sink with a display (a notebook, a Jupyter kernel),
  -- the picture goes there as SVG, with the braille text as the plain form.
  local capture = package.loaded["slope.capture"]
  if capture and capture.active() then
    local bundle = {
      ["image/svg+xml"] = svg.render(fig, opts.width or 640,
                                     opts.height or 480),
      ["text/plain"] = term.render(fig, 72, 20, false),
    }
    if capture.display(bundle) then return nil end
  end
  local color = opts.color
  if color == nil then color = isatty() end
  local w, h = termsize(opts)
  return term.render(fig, w, h, color)
end

-- }==================================================================

-- {==================================================================
-- Figures
-- ===================================================================

-- A figure: title, axis labels, x and y ranges (y in log10 units when
-- ylog), and layers drawn in order:
--   {kind = "curve", label, color, lines = {{x1, y1, x2, y2, ...}, ...}}
--   {kind = "contour", level, shade (0 low .. 1 high), lines}
--   {kind = "path", label, color, points = {x1, y1, ...}}
local function newfigure(opts)
  return {
    title = opts.title, xlabel = opts.xlabel, ylabel = opts.ylabel,
    legend = opts.legend ~= false, layers = {},
  }
end

-- The range of the finite values in list, padded by 5% (or around a lone
-- value).
local function padded(lo, hi)
  if lo > hi then return -1, 1 end
  if lo == hi then
    local d = abs(lo) > 0 and abs(lo) * 0.1 or 1
    return lo - d, hi + d
  end
  local d = (hi - lo) * 0.05
  return lo - d, hi + d
end

-- }==================================================================

-- {==================================================================
-- plot.curve
-- ===================================================================

local curveopts = { "labels", "n", "ylim" }

-- f and labels as lists from the argument (a function or a list of
-- functions, or of {f, label = "..."}).
local function functions(f, fname, labels)
  local fs, names = {}, {}
  if callable(f) then
    fs[1] = f
  elseif type(f) == "table" and f[1] ~= nil then
    for i, e in ipairs(f) do
      if callable(e) then
        fs[i] = e
      elseif type(e) == "table" and callable(e[1]) then
        fs[i], names[i] = e[1], e.label
      else
        argerror(1, fname, format("entry %d must be a function, got %s", i,
                                  kind(e)))
      end
    end
  else
    argerror(1, fname, "function or list of functions expected, got "
             .. kind(f))
  end
  for i = 1, #fs do
    local l = labels and labels[i] or names[i]
    if l ~= nil and type(l) ~= "string" then
      argerror(4, fname, format("label %d must be a string, got %s", i,
                                kind(l)))
    end
    names[i] = l or (#fs > 1 and "f" .. i or nil)
  end
  return fs, names
end

local function curve(f, a, b, opts)
  local fname = "curve"
  opts = checkopts(opts, 4, fname, curveopts)
  if opts.labels ~= nil and type(opts.labels) ~= "table" then
    argerror(4, fname, "field 'labels' must be a list of strings, got "
             .. kind(opts.labels))
  end
  local fs, names = functions(f, fname, opts.labels)
  checknumber(a, 2, fname, "a")
  checknumber(b, 3, fname, "b")
  if not (a < b) then argerror(3, fname, "b must be greater than a") end
  local n = opts.n
  if n ~= nil and (type(n) ~= "number" or n ~= floor(n) or n < 2 or n > 1e6) then
    argerror(4, fname, "field 'n' must be an integer in [2, 1e6], got "
             .. tostring(n))
  end
  if not n then n = opts.file and 600 or 2 * (termsize(opts)) end
  local fig = newfigure(opts)
  local ylo, yhi = huge, -huge
  for i, fi in ipairs(fs) do
    local g = scalarfn(fi)
    local lines, line = {}, nil
    for k = 0, n do
      local x = k == n and b or a + (b - a) * k / n
      local y = number(g(x), 1, fname)
      if y == y and y ~= huge and y ~= -huge then
        if not line then line = {}; lines[#lines + 1] = line end
        line[#line + 1] = x
        line[#line + 1] = y
        if y < ylo then ylo = y end
        if y > yhi then yhi = y end
      else
        line = nil  -- a gap where f is not finite
      end
    end
    fig.layers[#fig.layers + 1] = {kind = "curve", label = names[i],
                                   color = i, lines = lines}
  end
  fig.x = {a, b}
  if opts.ylim ~= nil then
    fig.y = {checkrange(opts.ylim, 4, fname,
                        "field 'ylim' must be {lo, hi} with lo < hi")}
  else
    fig.y = {padded(ylo, yhi)}
  end
  fig.xlabel = fig.xlabel or "x"
  return output(fig, opts)
end

-- }==================================================================

-- {==================================================================
-- plot.contour
-- ===================================================================

local contouropts = { "grid", "levels", "paths", "spacing" }

-- Paths take the palette's warm colours first: they stand out from the
-- contours' blues and greens.
local pathcolors = { 4, 2, 5, 1, 7, 6, 8, 9, 10, 3 }

-- Marching squares on the grid z (nx + 1 by ny + 1 values, row by row
-- from the bottom) at level L: chains of points as flat {x1, y1, ...}
-- lists. Each crossing lies on a grid edge, numbered so that the two
-- cells sharing an edge find the same point; segments are then joined
-- end to end. A saddle cell is resolved by the mean of its corners.
local function isolines(z, nx, ny, xs, ys, L)
  local NX = nx + 1
  local px, py, segs = {}, {}, {}
  local function h(i, j)  -- the edge from (i, j) to (i + 1, j)
    local e = 2 * ((j - 1) * NX + i)
    if not px[e] then
      local z1, z2 = z[(j - 1) * NX + i], z[(j - 1) * NX + i + 1]
      local t = (L - z1) / (z2 - z1)
      px[e], py[e] = xs[i] + t * (xs[i + 1] - xs[i]), ys[j]
    end
    return e
  end
  local function v(i, j)  -- the edge from (i, j) to (i, j + 1)
    local e = 2 * ((j - 1) * NX + i) + 1
    if not px[e] then
      local z1, z2 = z[(j - 1) * NX + i], z[j * NX + i]
      local t = (L - z1) / (z2 - z1)
      px[e], py[e] = xs[i], ys[j] + t * (ys[j + 1] - ys[j])
    end
    return e
  end
  local function seg(e1, e2)
    segs[#segs + 1] = e1
    segs[#segs + 1] = e2
  end
  for j = 1, ny do
    for i = 1, nx do
      local za, zb = z[(j - 1) * NX + i], z[(j - 1) * NX + i + 1]
      local zd, zc = z[j * NX + i], z[j * NX + i + 1]
      -- NaN compares false: a cell with a non-finite corner is skipped
      if za - za == 0 and zb - zb == 0 and zc - zc == 0 and zd - zd == 0 then
        local c = (za > L and 1 or 0) + (zb > L and 2 or 0) +
                  (zc > L and 4 or 0) + (zd > L and 8 or 0)
        if c ~= 0 and c ~= 15 then
          if c == 1 or c == 14 then seg(v(i, j), h(i, j))
          elseif c == 2 or c == 13 then seg(h(i, j), v(i + 1, j))
          elseif c == 3 or c == 12 then seg(v(i, j), v(i + 1, j))
          elseif c == 4 or c == 11 then seg(v(i + 1, j), h(i, j + 1))
          elseif c == 6 or c == 9 then seg(h(i, j), h(i, j + 1))
          elseif c == 7 or c == 8 then seg(v(i, j), h(i, j + 1))
          else  -- 5 or 10: a saddle
            local above = (za + zb + zc + zd) / 4 > L
            if (c == 5) == above then  -- b and d cut off
              seg(h(i, j), v(i + 1, j)); seg(h(i, j + 1), v(i, j))
            else  -- a and c cut off
              seg(v(i, j), h(i, j)); seg(v(i + 1, j), h(i, j + 1))
            end
          end
        end
      end
    end
  end
  -- join: each edge point ends at most two segments
  local first, second = {}, {}
  local nseg = #segs // 2
  for s = 1, nseg do
    for k = 2 * s - 1, 2 * s do
      local e = segs[k]
      if first[e] == nil then first[e] = s else second[e] = s end
    end
  end
  local used, chains = {}, {}
  local function walk(s, e, out)  -- from segment s through its end e
    while true do
      local o = first[e] == s and second[e] or first[e]
      if o == nil or used[o] then return end
      used[o] = true
      e = segs[2 * o - 1] == e and segs[2 * o] or segs[2 * o - 1]
      out[#out + 1] = e
      s = o
    end
  end
  for s = 1, nseg do
    if not used[s] then
      used[s] = true
      local back, fwd = {}, {}
      walk(s, segs[2 * s - 1], back)
      walk(s, segs[2 * s], fwd)
      local pts = {}
      for k = #back, 1, -1 do
        pts[#pts + 1] = px[back[k]]; pts[#pts + 1] = py[back[k]]
      end
      for _, e in ipairs { segs[2 * s - 1], segs[2 * s] } do
        pts[#pts + 1] = px[e]; pts[#pts + 1] = py[e]
      end
      for k = 1, #fwd do
        pts[#pts + 1] = px[fwd[k]]; pts[#pts + 1] = py[fwd[k]]
      end
      chains[#chains + 1] = pts
    end
  end
  return chains
end

-- The q-quantile of the sorted list s.
local function quantile(s, q)
  local p = 1 + q * (#s - 1)
  local i = floor(p)
  if i >= #s then return s[#s] end
  return s[i] + (p - i) * (s[i + 1] - s[i])
end

-- count levels between the values' extremes: "linear", "log" (geometric
-- in f - min, dense near the minimum: valleys such as Rosenbrock's),
-- "quantile" (equal areas between levels) or "auto": log when most of
-- the box lies far below the maximum, linear otherwise.
local function chooselevels(sorted, count, spacing)
  local lo, hi = sorted[1], sorted[#sorted]
  if not (hi > lo) then return {} end
  if spacing == "auto" then
    local med = quantile(sorted, 0.5)
    spacing = (med - lo) < 0.15 * (hi - lo) and "log" or "linear"
  end
  local levels = {}
  if spacing == "linear" then
    for k = 1, count do levels[k] = lo + (hi - lo) * k / (count + 1) end
  elseif spacing == "quantile" then
    for k = 1, count do levels[k] = quantile(sorted, k / (count + 1)) end
  else  -- log
    local top = quantile(sorted, 0.98) - lo
    local bottom = max(quantile(sorted, 0.02) - lo, top * 1e-6)
    if not (top > bottom) then top, bottom = hi - lo, (hi - lo) * 1e-3 end
    for k = 1, count do
      local t = count > 1 and (k - 1) / (count - 1) or 0.5
      levels[k] = lo + bottom * (top / bottom) ^ t
    end
  end
  return levels
end

-- The points of one optimiser path (entry: a result with a trace, a
-- trace, or {label =, result = | trace = | points =}), label and
-- whether it is a labelled entry. Traces record x per iteration (n <=
-- 100) and the start as trace[0].
local function pathpoints(e, i, argno, fname, dims)
  local where = format("paths[%d]", i)
  if type(e) ~= "table" then
    argerror(argno, fname, where .. " must be a result or a trace, got "
             .. kind(e))
  end
  local label = e.label
  if label ~= nil and type(label) ~= "string" then
    argerror(argno, fname, where .. ".label must be a string, got "
             .. kind(label))
  end
  local trace, pts = nil, {}
  if e.points ~= nil then
    if type(e.points) ~= "table" then
      argerror(argno, fname, where .. ".points must be a list of points")
    end
    for k, p in ipairs(e.points) do
      if (type(p) ~= "table" and kind(p) ~= "vec") or
         type(p[1]) ~= "number" or (dims == 2 and type(p[2]) ~= "number") then
        argerror(argno, fname, format("%s.points[%d] must be a point", where, k))
      end
      pts[#pts + 1] = p[1]; pts[#pts + 1] = p[2]
    end
    return pts, label
  end
  local r = e.result or e
  if e.trace ~= nil and e.result == nil and (label ~= nil or e.f == nil) then
    trace = e.trace
  elseif type(r) == "table" and type(r.trace) == "table" then
    trace = r.trace
    if label == nil and type(r.method) == "string" then label = r.method end
  elseif type(r) == "table" and (type(r[1]) == "table" or
                                 type(rawget(r, 0)) == "table") then
    trace = r
  end
  if type(trace) ~= "table" then
    argerror(argno, fname, where .. " has no trace (minimize with "
             .. "opts.trace = true)")
  end
  for k = (type(rawget(trace, 0)) == "table" and 0 or 1), #trace do
    local rec = trace[k]
    local x = type(rec) == "table" and rec.x
    if x == nil then
      argerror(argno, fname, format("%s: trace record %d has no x (traces "
                                    .. "record x for up to 100 variables)",
                                    where, k))
    end
    if #x ~= dims then
      argerror(argno, fname, format("%s: the run has %d variables, the plot "
                                    .. "%d", where, #x, dims))
    end
    pts[#pts + 1] = x[1]; pts[#pts + 1] = x[2]
  end
  return pts, label
end

local function contour(f, box, opts)
  local fname = "contour"
  opts = checkopts(opts, 3, fname, contouropts)
  if not callable(f) then
    argerror(1, fname, "function expected, got " .. kind(f))
  end
  local boxmsg = "box must be {{x0, x1}, {y0, y1}} with x0 < x1 and y0 < y1"
  if type(box) ~= "table" then argerror(2, fname, boxmsg) end
  local x0, x1 = checkrange(box[1], 2, fname, boxmsg)
  local y0, y1 = checkrange(box[2], 2, fname, boxmsg)
  local grid = opts.grid or 100
  if type(grid) ~= "number" or grid ~= floor(grid) or grid < 2 or grid > 2000 then
    argerror(3, fname, "field 'grid' must be an integer in [2, 2000], got "
             .. tostring(grid))
  end
  local spacing = opts.spacing or "auto"
  if spacing ~= "auto" and spacing ~= "linear" and spacing ~= "log" and
     spacing ~= "quantile" then
    argerror(3, fname, "field 'spacing' must be \"auto\", \"linear\", "
             .. "\"log\" or \"quantile\", got " .. tostring(spacing))
  end
  local levels = opts.levels or (opts.file and 10 or 6)
  if type(levels) == "number" then
    if levels ~= floor(levels) or levels < 1 or levels > 200 then
      argerror(3, fname, "field 'levels' must be a count in [1, 200] or a "
               .. "list of numbers, got " .. tostring(levels))
    end
  elseif type(levels) == "table" then
    for i, l in ipairs(levels) do
      if type(l) ~= "number" then
        argerror(3, fname, format("field 'levels' must hold numbers, got %s "
                                  .. "at %d", kind(l), i))
      end
    end
  else
    argerror(3, fname, "field 'levels' must be a count or a list of numbers, "
             .. "got " .. kind(levels))
  end
  local paths = opts.paths
  if paths ~= nil and type(paths) ~= "table" then
    argerror(3, fname, "field 'paths' must be a list of results, got "
             .. kind(paths))
  end
  if paths and (paths.trace ~= nil or paths.result ~= nil or
                paths.points ~= nil) then
    paths = {paths}  -- one path alone
  end
  -- the grid, through the tape when f traces
  local g = planefn(f)
  local nx, ny = grid, grid
  local xs, ys, z, finite = {}, {}, {}, {}
  for i = 1, nx + 1 do xs[i] = i == nx + 1 and x1 or x0 + (x1 - x0) * (i - 1) / nx end
  for j = 1, ny + 1 do ys[j] = j == ny + 1 and y1 or y0 + (y1 - y0) * (j - 1) / ny end
  for j = 1, ny + 1 do
    local y = ys[j]
    for i = 1, nx + 1 do
      local v = number(g(xs[i], y), 1, fname)
      z[#z + 1] = v
      if v == v and v ~= huge and v ~= -huge then finite[#finite + 1] = v end
    end
  end
  sort(finite)
  if type(levels) == "number" then
    levels = #finite > 0 and chooselevels(finite, levels, spacing) or {}
  else
    local copy = {}
    for i, l in ipairs(levels) do copy[i] = l end
    sort(copy)
    levels = copy
  end
  local fig = newfigure(opts)
  fig.x, fig.y = {x0, x1}, {y0, y1}
  fig.xlabel, fig.ylabel = fig.xlabel or "x1", fig.ylabel or "x2"
  local n = #levels
  for k, L in ipairs(levels) do
    fig.layers[#fig.layers + 1] = {
      kind = "contour", level = L, shade = n > 1 and (k - 1) / (n - 1) or 0.5,
      lines = isolines(z, nx, ny, xs, ys, L),
    }
  end
  for i, e in ipairs(paths or {}) do
    local pts, label = pathpoints(e, i, 3, fname, 2)
    fig.layers[#fig.layers + 1] = {kind = "path", label = label or
                                   "path " .. i, points = pts,
                                   color = pathcolors[(i - 1) % #pathcolors + 1]}
  end
  return output(fig, opts)
end

-- }==================================================================

-- {==================================================================
-- plot.loss
-- ===================================================================

local lossopts = { "field", "labels", "log", "ylim" }

-- Is t a trace: records, from trace[0] or trace[1]?
local function istrace(t)
  local r = rawget(t, 1) or rawget(t, 0)
  return type(r) == "table" and (r.iter ~= nil or r.epoch ~= nil)
end

-- The runs of loss's first argument as {trace, label} pairs.
local function runs(arg, fname)
  if type(arg) ~= "table" then
    argerror(1, fname, "result, trace or list of them expected, got "
             .. kind(arg))
  end
  local list = arg
  if arg.trace ~= nil or arg.result ~= nil or istrace(arg) then list = {arg} end
  local out = {}
  for i, e in ipairs(list) do
    local where = format("runs[%d]", i)
    if type(e) ~= "table" then
      argerror(1, fname, where .. " must be a result or a trace, got " .. kind(e))
    end
    local label, trace = e.label, nil
    if e.result ~= nil or label ~= nil then
      local r = e.result or e.trace
      if type(r) == "table" and type(r.trace) == "table" then
        trace = r.trace
        if label == nil and type(r.method) == "string" then label = r.method end
      elseif type(r) == "table" and istrace(r) then
        trace = r
      end
    elseif type(e.trace) == "table" then
      trace = e.trace
      if type(e.method) == "string" then label = e.method end
    elseif istrace(e) then
      trace = e
    end
    if trace == nil then
      argerror(1, fname, where .. " has no trace (minimize with opts.trace "
               .. "= true)")
    end
    if label ~= nil and type(label) ~= "string" then
      argerror(1, fname, where .. ".label must be a string, got " .. kind(label))
    end
    out[i] = {trace = trace, label = label}
  end
  if #out == 0 then argerror(1, fname, "no runs to plot") end
  return out
end

local function loss(arg, opts)
  local fname = "loss"
  opts = checkopts(opts, 2, fname, lossopts)
  local list = runs(arg, fname)
  local field = opts.field
  if field ~= nil and type(field) ~= "string" then
    argerror(2, fname, "field 'field' must be a string, got " .. kind(field))
  end
  if opts.log ~= nil and type(opts.log) ~= "boolean" then
    argerror(2, fname, "field 'log' must be a boolean, got " .. kind(opts.log))
  end
  if opts.labels ~= nil and type(opts.labels) ~= "table" then
    argerror(2, fname, "field 'labels' must be a list of strings, got "
             .. kind(opts.labels))
  end
  local ylog = opts.log == true
  local fig = newfigure(opts)
  local xlo, xhi, ylo, yhi = huge, -huge, huge, -huge
  for i, run in ipairs(list) do
    local trace = run.trace
    local start = type(rawget(trace, 0)) == "table" and 0 or 1
    local key = field
    if key == nil then
      local r = trace[start]
      key = type(r) == "table" and r.f == nil and r.loss ~= nil and "loss" or "f"
    end
    local lines, line = {}, nil
    for k = start, #trace do
      local r = trace[k]
      local x, y = type(r) == "table" and (r.iter or r.epoch), type(r) == "table"
                   and r[key]
      if type(x) ~= "number" then
        argerror(1, fname, format("runs[%d]: trace record %d has no iter", i, k))
      end
      if type(y) ~= "number" then
        argerror(1, fname, format("runs[%d]: trace record %d has no field '%s'",
                                  i, k, key))
      end
      if ylog then
        y = y > 0 and log(y, 10) or 0 / 0  -- a gap at f <= 0
      end
      if y == y and y ~= huge and y ~= -huge then
        if not line then line = {}; lines[#lines + 1] = line end
        line[#line + 1] = x
        line[#line + 1] = y
        xlo, xhi = min(xlo, x), max(xhi, x)
        ylo, yhi = min(ylo, y), max(yhi, y)
      else
        line = nil
      end
    end
    local label = opts.labels and opts.labels[i] or run.label
    if label ~= nil and type(label) ~= "string" then
      argerror(2, fname, format("label %d must be a string, got %s", i,
                                kind(label)))
    end
    fig.layers[#fig.layers + 1] = {  -- runs in their contour plot colours
      kind = "curve", lines = lines,
      color = pathcolors[(i - 1) % #pathcolors + 1],
      label = label or (#list > 1 and "run " .. i or nil),
    }
    fig.ylabel = fig.ylabel or key
  end
  if xlo > xhi then
    argerror(1, fname, ylog and "no positive values to plot on a log scale"
             or "no finite values to plot")
  end
  if xlo == xhi then xlo, xhi = xlo - 1, xhi + 1 end
  fig.x = {xlo, xhi}
  if opts.ylim ~= nil then
    local lo, hi = checkrange(opts.ylim, 2, fname,
                              "field 'ylim' must be {lo, hi} with lo < hi")
    if ylog then
      if not (lo > 0) then
        argerror(2, fname, "field 'ylim' must be positive with log = true")
      end
      lo, hi = log(lo, 10), log(hi, 10)
    end
    fig.y = {lo, hi}
  else
    fig.y = {padded(ylo, yhi)}
  end
  fig.ylog = ylog
  fig.xlabel = fig.xlabel or "iteration"
  return output(fig, opts)
end

-- }==================================================================

return {
  curve = curve,
  contour = contour,
  loss = loss,
  -- for tests and renderers written elsewhere
  isolines = isolines,
}
