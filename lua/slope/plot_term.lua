-- plot_term.lua: slope.plot's figures as text for a terminal, drawn with
-- Unicode braille characters (2 x 4 dots per character cell).
--
--   term.render(fig, width, height, color) -> the text (no final newline)
--
-- Lines are at most width - 1 columns wide (a terminal then never wraps)
-- and there are about height of them: title, the y label, the plot with
-- its y axis and tick labels, the x axis, its tick labels and label, and
-- a legend. With color, series get ANSI colours (contours are grey); the
-- start of an optimiser path is marked "o", its end "*".
local ipairs = ipairs
local floor, max, min, ceil, abs = math.floor, math.max, math.min, math.ceil,
                                   math.abs
local rep, sub, concat = string.rep, string.sub, table.concat
local utf8char, utf8len, utf8offset = utf8.char, utf8.len, utf8.offset

local axis = require "slope.plot_axis"

-- The bit of dot (x mod 2, y mod 4) in a braille cell, at (y%4)*2 + x%2 + 1.
local BIT = { 1, 8, 2, 16, 4, 32, 64, 128 }
local BLANK = 0x2800
local GREY = 90

local function width(s) return utf8len(s) or #s end

local function truncate(s, n)
  if width(s) <= n then return s end
  if n <= 0 then return "" end
  return sub(s, 1, utf8offset(s, n + 1) - 1)
end

-- Clip the segment a-b to [lo_x, hi_x] x [lo_y, hi_y] (Liang-Barsky);
-- nil when nothing is left.
local function clip(ax, ay, bx, by, lox, hix, loy, hiy)
  local t0, t1 = 0, 1
  local dx, dy = bx - ax, by - ay
  for _, e in ipairs { { -dx, ax - lox }, { dx, hix - ax },
                       { -dy, ay - loy }, { dy, hiy - ay } } do
    local p, q = e[1], e[2]
    if p == 0 then
      if q < 0 then return nil end
    else
      local r = q / p
      if p < 0 then
        if r > t1 then return nil end
        if r > t0 then t0 = r end
      else
        if r < t0 then return nil end
        if r < t1 then t1 = r end
      end
    end
  end
  return ax + t0 * dx, ay + t0 * dy, ax + t1 * dx, ay + t1 * dy
end

local function render(fig, W, H, color)
  local x0, x1, y0, y1 = fig.x[1], fig.x[2], fig.y[1], fig.y[2]

  -- the legend's items, then its lines wrapped to the width
  -- (indented like the plot: the y tick labels' width, estimated)
  local items, legend = {}, {}
  local margin = 0
  for _, t in ipairs(axis.ticks(y0, y1, 4, fig.ylog)) do
    margin = max(margin, width(t.label) + 2)
  end
  if fig.legend then
    for _, l in ipairs(fig.layers) do
      if l.label and (l.kind == "curve" or l.kind == "path") then
        local code = axis.ansi[(l.color - 1) % #axis.ansi + 1]
        local swatch = l.kind == "path" and "o⠒⠒*" or "⠒⠒⠒"
        items[#items + 1] = {
          text = (color and "\27[" .. code .. "m" .. swatch .. "\27[0m"
                  or swatch) .. " " .. l.label,
          width = width(swatch) + 1 + width(l.label),
        }
      end
    end
    local line, used = {}, 0
    for _, it in ipairs(items) do
      if used > 0 and used + 3 + it.width > W - 1 - margin then
        legend[#legend + 1] = {text = concat(line, "   "), width = used}
        line, used = {}, 0
      end
      line[#line + 1] = it.text
      used = used + (used > 0 and 3 or 0) + it.width
    end
    if #line > 0 then
      legend[#legend + 1] = {text = concat(line, "   "), width = used}
    end
  end

  local fixed = (fig.title and 1 or 0) + (fig.ylabel and 1 or 0) + 2 +
                (fig.xlabel and 1 or 0) + #legend
  local R = max(3, H - fixed)
  local yt = axis.ticks(y0, y1, max(3, floor(R / 3)), fig.ylog)
  local ML = 0
  for _, t in ipairs(yt) do ML = max(ML, width(t.label)) end
  ML = ML + 2  -- a space, then the axis
  local C = max(4, W - 1 - ML)
  local DW, DH = 2 * C, 4 * R
  local bits, cols, marks = {}, {}, {}
  for i = 0, R * C - 1 do bits[i] = 0 end

  -- data to dot coordinates (floats: y grows downwards)
  local sx, sy = (DW - 1) / (x1 - x0), (DH - 1) / (y1 - y0)
  local function dot(px, py, code)
    local i = (py // 4) * C + px // 2
    bits[i] = bits[i] | BIT[(py % 4) * 2 + px % 2 + 1]
    cols[i] = code
  end
  local function segment(ax, ay, bx, by, code)
    ax, ay = (ax - x0) * sx, (y1 - ay) * sy
    bx, by = (bx - x0) * sx, (y1 - by) * sy
    ax, ay, bx, by = clip(ax, ay, bx, by, -0.5, DW - 0.5001, -0.5, DH - 0.5001)
    if not ax then return end
    local n = ceil(max(abs(bx - ax), abs(by - ay)))
    for k = 0, n do
      local t = n > 0 and k / n or 0
      local px = floor(ax + t * (bx - ax) + 0.5)
      local py = floor(ay + t * (by - ay) + 0.5)
      if px >= 0 and px < DW and py >= 0 and py < DH then dot(px, py, code) end
    end
  end
  local function polyline(flat, code)
    if #flat == 2 then segment(flat[1], flat[2], flat[1], flat[2], code) end
    for k = 1, #flat - 3, 2 do
      local ax, ay, bx, by = flat[k], flat[k + 1], flat[k + 2], flat[k + 3]
      if ax == ax and ay == ay and bx == bx and by == by then
        segment(ax, ay, bx, by, code)
      end
    end
  end
  local function mark(x, y, ch, code)
    local px, py = floor((x - x0) * sx + 0.5), floor((y1 - y) * sy + 0.5)
    if px >= 0 and px < DW and py >= 0 and py < DH then
      local i = (py // 4) * C + px // 2
      marks[i], cols[i] = ch, code
    end
  end
  for _, l in ipairs(fig.layers) do
    local code = l.color and axis.ansi[(l.color - 1) % #axis.ansi + 1] or GREY
    if l.kind == "path" then
      polyline(l.points, code)
    else
      for _, line in ipairs(l.lines) do polyline(line, code) end
    end
  end
  for _, l in ipairs(fig.layers) do  -- markers above every line
    local p = l.points
    if l.kind == "path" and #p >= 2 then
      local code = axis.ansi[(l.color - 1) % #axis.ansi + 1]
      mark(p[1], p[2], "o", code)
      mark(p[#p - 1], p[#p], "*", code)
    end
  end

  -- y tick labels by row
  local rowlabel = {}
  for _, t in ipairs(yt) do
    local r = floor(floor((y1 - t.value) * sy + 0.5) / 4)
    if r >= 0 and r < R and not rowlabel[r] then rowlabel[r] = t.label end
  end

  local lines = {}
  local function center(s)
    s = truncate(s, W - 1)
    local pad = max(0, ML + floor((C - width(s)) / 2))
    if pad + width(s) > W - 1 then pad = max(0, W - 1 - width(s)) end
    return rep(" ", pad) .. s
  end
  if fig.title then lines[#lines + 1] = center(fig.title) end
  if fig.ylabel then
    lines[#lines + 1] = truncate(rep(" ", max(0, ML - 1 - width(fig.ylabel)))
                                 .. fig.ylabel, W - 1)
  end
  for r = 0, R - 1 do
    local label = rowlabel[r]
    local row = { rep(" ", ML - 2 - (label and width(label) or 0)),
                  label or "", label and " ┤" or " │" }
    local current
    for c = 0, C - 1 do
      local i = r * C + c
      local ch = marks[i] or utf8char(BLANK + bits[i])
      local code = (marks[i] or bits[i] ~= 0) and cols[i] or nil
      if color and code ~= current then
        row[#row + 1] = code and "\27[" .. code .. "m" or "\27[0m"
        current = code
      end
      row[#row + 1] = ch
    end
    if color and current then row[#row + 1] = "\27[0m" end
    lines[#lines + 1] = concat(row)
  end

  -- x axis, its ticks and labels
  local xt = axis.ticks(x0, x1, max(3, floor(C / 12)))
  local axisrow, labelrow = {}, {}
  for c = 1, C do axisrow[c] = "─" end
  local nextfree = 0  -- the first column a label may use
  for _, t in ipairs(xt) do
    local c = floor(floor((t.value - x0) * sx + 0.5) / 2)
    if c >= 0 and c < C then
      axisrow[c + 1] = "┬"
      local w = width(t.label)
      local start = ML + c - floor((w - 1) / 2)
      if start >= nextfree and start + w <= W - 1 then
        for k = #labelrow + 1, start do labelrow[k] = " " end
        labelrow[#labelrow + 1] = t.label
        nextfree = start + w + 1
        for _ = 2, w do labelrow[#labelrow + 1] = "" end
      end
    end
  end
  lines[#lines + 1] = rep(" ", ML - 1) .. "└" .. concat(axisrow)
  lines[#lines + 1] = concat(labelrow)
  if fig.xlabel then lines[#lines + 1] = center(fig.xlabel) end
  for _, l in ipairs(legend) do
    lines[#lines + 1] = rep(" ", min(ML, W - 1 - l.width)) .. l.text
  end
  return concat(lines, "\n")
end

return {
  render = render,
  clip = clip,
}
