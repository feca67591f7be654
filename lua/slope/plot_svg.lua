-- plot_svg.lua: slope.plot's figures as standalone SVG (no dependency).
--
--   svg.render(fig, width, height) -> the document, a string
--
-- The plot area is clipped; curves and optimiser paths are polylines
-- (class "curve" or "path", ids "curve-K" and "path-K"), contour levels
-- paths of class "contour" with their level in data-level; paths carry
-- a hollow circle at the start and a filled square at the end. Text is
-- escaped for XML.
local ipairs, tostring = ipairs, tostring
local floor, max, min = math.floor, math.max, math.min
local format, gsub, concat = string.format, string.gsub, table.concat
local utf8len = utf8.len

local axis = require "slope.plot_axis"

local escapes = { ["&"] = "&amp;", ["<"] = "&lt;", [">"] = "&gt;",
                  ['"'] = "&quot;", ["'"] = "&apos;" }

local function escape(s)
  return (gsub(tostring(s), "[&<>\"']", escapes))
end

-- A coordinate: one decimal, no "-0.0".
local function num(v)
  local s = format("%.1f", v)
  if s == "-0.0" then s = "0.0" end
  return s
end

-- Points far outside the picture are pulled in along their segment (so
-- that what shows is exact and no number is absurd), keeping the count.
local FAR = 1e4

local function pull(ax, ay, bx, by, lo_x, hi_x, lo_y, hi_y)
  local t = 1
  local function limit(a, b, lo, hi)
    if b < lo and a ~= b then t = min(t, (lo - a) / (b - a)) end
    if b > hi and a ~= b then t = min(t, (hi - a) / (b - a)) end
  end
  limit(ax, bx, lo_x, hi_x)
  limit(ay, by, lo_y, hi_y)
  t = max(t, 0)
  local x, y = ax + t * (bx - ax), ay + t * (by - ay)
  return min(max(x, lo_x), hi_x), min(max(y, lo_y), hi_y)
end

local function textwidth(s, size)
  return (utf8len(s) or #s) * size * 0.6
end

local function render(fig, W, H)
  local out = {}
  local function add(...) for _, s in ipairs { ... } do out[#out + 1] = s end end
  local left, right = 72, 20
  local top = fig.title and 40 or 20
  local bottom = fig.xlabel and 52 or 34
  local pw, ph = W - left - right, H - top - bottom
  local x0, x1, y0, y1 = fig.x[1], fig.x[2], fig.y[1], fig.y[2]
  local function X(x) return left + (x - x0) / (x1 - x0) * pw end
  local function Y(y) return top + ph - (y - y0) / (y1 - y0) * ph end
  local lox, hix, loy, hiy = -FAR, W + FAR, -FAR, H + FAR
  local function points(flat)
    local list, px, py = {}, nil, nil
    for k = 1, #flat - 1, 2 do
      local x, y = X(flat[k]), Y(flat[k + 1])
      if x ~= x or y ~= y then x, y = px or 0, py or 0 end
      if x < lox or x > hix or y < loy or y > hiy then
        if px then x, y = pull(px, py, x, y, lox, hix, loy, hiy)
        else x, y = min(max(x, lox), hix), min(max(y, loy), hiy) end
      end
      list[#list + 1] = num(x) .. "," .. num(y)
      px, py = x, y
    end
    return list
  end

  add('<?xml version="1.0" encoding="UTF-8"?>\n',
      format('<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" '
             .. 'viewBox="0 0 %d %d" font-family="DejaVu Sans, Helvetica, '
             .. 'Arial, sans-serif" font-size="12">\n', W, H, W, H))
  if fig.title then add("<title>", escape(fig.title), "</title>\n") end
  add('<rect width="100%" height="100%" fill="white"/>\n',
      format('<defs><clipPath id="plot-area"><rect x="%s" y="%s" width="%s" '
             .. 'height="%s"/></clipPath></defs>\n', num(left), num(top),
             num(pw), num(ph)))

  -- grid and ticks
  local xt = axis.ticks(x0, x1, max(3, floor(pw / 90)))
  local yt = axis.ticks(y0, y1, max(3, floor(ph / 60)), fig.ylog)
  add('<g class="grid" stroke="#e6e6e6" stroke-width="1">\n')
  for _, t in ipairs(xt) do
    add(format('<line x1="%s" y1="%s" x2="%s" y2="%s"/>\n', num(X(t.value)),
               num(top), num(X(t.value)), num(top + ph)))
  end
  for _, t in ipairs(yt) do
    add(format('<line x1="%s" y1="%s" x2="%s" y2="%s"/>\n', num(left),
               num(Y(t.value)), num(left + pw), num(Y(t.value))))
  end
  add('</g>\n')

  -- layers
  add('<g class="layers" clip-path="url(#plot-area)" fill="none" '
      .. 'stroke-linejoin="round" stroke-linecap="round">\n')
  local ncurve, npath = 0, 0
  for _, l in ipairs(fig.layers) do
    if l.kind == "contour" and #l.lines > 0 then
      local d = {}
      for _, line in ipairs(l.lines) do
        local p = points(line)
        d[#d + 1] = "M" .. p[1] .. (#p > 1 and "L" .. concat(p, " ", 2) or "")
      end
      add(format('<path class="contour" data-level="%.6g" stroke="%s" '
                 .. 'stroke-width="1" d="%s"/>\n', l.level, axis.ramp(l.shade),
                 concat(d, " ")))
    elseif l.kind == "curve" then
      ncurve = ncurve + 1
      local color = axis.palette[(l.color - 1) % #axis.palette + 1]
      for k, line in ipairs(l.lines) do
        add(format('<polyline class="curve" id="curve-%d%s" stroke="%s" '
                   .. 'stroke-width="2" points="%s"/>\n', ncurve,
                   k > 1 and "-" .. k or "", color, concat(points(line), " ")))
      end
    elseif l.kind == "path" then
      npath = npath + 1
      local color = axis.palette[(l.color - 1) % #axis.palette + 1]
      local p = points(l.points)
      if #p > 0 then
        add(format('<polyline class="path" id="path-%d" stroke="%s" '
                   .. 'stroke-width="2" points="%s"/>\n', npath, color,
                   concat(p, " ")))
        local sx, sy = p[1]:match("([^,]+),(.+)")
        local ex, ey = p[#p]:match("([^,]+),(.+)")
        add(format('<circle class="start" cx="%s" cy="%s" r="4.5" '
                   .. 'fill="white" stroke="%s" stroke-width="2"/>\n', sx, sy,
                   color),
            format('<rect class="end" x="%s" y="%s" width="9" height="9" '
                   .. 'fill="%s" stroke="white" stroke-width="1"/>\n',
                   num(ex - 4.5), num(ey - 4.5), color))
      end
    end
  end
  add('</g>\n')

  -- frame, tick labels, axis labels, title
  add(format('<rect class="frame" x="%s" y="%s" width="%s" height="%s" '
             .. 'fill="none" stroke="#333333" stroke-width="1"/>\n',
             num(left), num(top), num(pw), num(ph)))
  add('<g class="ticks" stroke="#333333">\n')
  for _, t in ipairs(xt) do
    add(format('<line x1="%s" y1="%s" x2="%s" y2="%s"/>\n', num(X(t.value)),
               num(top + ph), num(X(t.value)), num(top + ph + 5)))
  end
  for _, t in ipairs(yt) do
    add(format('<line x1="%s" y1="%s" x2="%s" y2="%s"/>\n', num(left - 5),
               num(Y(t.value)), num(left), num(Y(t.value))))
  end
  add('</g>\n<g class="tick-labels" fill="#333333">\n')
  for _, t in ipairs(xt) do
    add(format('<text class="tick-label x" x="%s" y="%s" '
               .. 'text-anchor="middle">%s</text>\n', num(X(t.value)),
               num(top + ph + 18), escape(t.label)))
  end
  for _, t in ipairs(yt) do
    add(format('<text class="tick-label y" x="%s" y="%s" '
               .. 'text-anchor="end">%s</text>\n', num(left - 8),
               num(Y(t.value) + 4), escape(t.label)))
  end
  add('</g>\n')
  if fig.xlabel then
    add(format('<text class="xlabel" x="%s" y="%s" text-anchor="middle" '
               .. 'font-size="13">%s</text>\n', num(left + pw / 2),
               num(H - 12), escape(fig.xlabel)))
  end
  if fig.ylabel then
    local cx, cy = 18, top + ph / 2
    add(format('<text class="ylabel" x="%s" y="%s" text-anchor="middle" '
               .. 'font-size="13" transform="rotate(-90 %s %s)">%s</text>\n',
               num(cx), num(cy), num(cx), num(cy), escape(fig.ylabel)))
  end
  if fig.title then
    add(format('<text class="title" x="%s" y="%s" text-anchor="middle" '
               .. 'font-size="15" font-weight="bold">%s</text>\n',
               num(left + pw / 2), num(top - 14), escape(fig.title)))
  end

  -- legend, top right inside the plot area
  local entries = {}
  for _, l in ipairs(fig.layers) do
    if l.label and (l.kind == "curve" or l.kind == "path") then
      entries[#entries + 1] = l
    end
  end
  if fig.legend and #entries > 0 then
    local wide = 0
    for _, l in ipairs(entries) do wide = max(wide, textwidth(l.label, 12)) end
    local bw, bh = 46 + wide, 8 + 18 * #entries
    local bx, by = left + pw - bw - 8, top + 8
    add('<g class="legend">\n',
        format('<rect x="%s" y="%s" width="%s" height="%s" fill="white" '
               .. 'fill-opacity="0.85" stroke="#999999" stroke-width="1"/>\n',
               num(bx), num(by), num(bw), num(bh)))
    for k, l in ipairs(entries) do
      local color = axis.palette[(l.color - 1) % #axis.palette + 1]
      local ly = by + 4 + 18 * (k - 1) + 9
      add(format('<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s" '
                 .. 'stroke-width="2"/>\n', num(bx + 8), num(ly), num(bx + 32),
                 num(ly), color))
      if l.kind == "path" then
        add(format('<circle cx="%s" cy="%s" r="3.5" fill="white" stroke="%s" '
                   .. 'stroke-width="1.5"/>\n', num(bx + 8), num(ly), color),
            format('<rect x="%s" y="%s" width="7" height="7" fill="%s"/>\n',
                   num(bx + 28.5), num(ly - 3.5), color))
      end
      add(format('<text class="legend-label" x="%s" y="%s">%s</text>\n',
                 num(bx + 38), num(ly + 4), escape(l.label)))
    end
    add('</g>\n')
  end
  add('</svg>\n')
  return concat(out)
end

return {
  render = render,
  escape = escape,
}
