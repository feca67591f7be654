-- plot_axis.lua: axes for slope.plot's renderers: ticks at nice numbers
-- (1, 2 or 5 times a power of ten) and their labels, on linear and
-- decimal-log scales, and the fixed colour palette.
--
--   axis.ticks(lo, hi, count [, log]) -> list of {value, label}
--     lo, hi: the axis range (log10 of the data when log is true);
--     value is in axis units, so a renderer maps it linearly.
--   axis.palette: colours of series k (SVG "#rrggbb"), axis.ansi the
--     matching terminal colours; axis.ramp(t): contour level colour.
local floor, ceil, log, abs, max, min, huge =
      math.floor, math.ceil, math.log, math.abs, math.max, math.min, math.huge
local format, gsub, find = string.format, string.gsub, string.find
local ipairs = ipairs

-- Nice number near x: 1, 2, 5 or 10 times a power of ten, rounded or at
-- least x (Heckbert, "Nice numbers for graph labels").
local function nicenum(x, round)
  local e = floor(log(x, 10))
  local f = x / 10 ^ e
  local nf
  if round then
    nf = f < 1.5 and 1 or f < 3 and 2 or f < 7 and 5 or 10
  else
    nf = f <= 1 and 1 or f <= 2 and 2 or f <= 5 and 5 or 10
  end
  return nf * 10 ^ e
end

-- The text of v on an axis whose ticks are step apart: as many decimals
-- as the step needs, exponent notation for very large or small values.
local function label(v, step)
  local big = max(abs(v), step)
  local s
  if big >= 1e6 or big < 1e-4 then
    local digits = max(1, floor(log(big, 10) + 1e-9) -
                          floor(log(step, 10) + 1e-9) + 1)
    s = format("%." .. digits .. "g", v)
    s = gsub(s, "%.?0+e", "e")          -- 2.50e+07 -> 2.5e+07
    s = gsub(s, "e%+?(%-?)0*(%d)", "e%1%2")  -- e+07 -> e7, e-05 -> e-5
  else
    local decimals = max(0, -floor(log(step, 10) + 1e-9))
    s = format("%." .. decimals .. "f", v)
  end
  if find(s, "^%-0%.?0*$") then s = s:sub(2) end  -- no "-0"
  return s
end

-- The next smaller nice step: 10 -> 5 -> 2 -> 1.
local function smaller(step)
  local e = floor(log(step, 10) + 1e-9)
  local m = step / 10 ^ e
  if m > 4.5 then return 2 * 10 ^ e end
  if m > 1.5 then return 10 ^ e end
  return 5 * 10 ^ (e - 1)
end

-- Ticks of a linear axis from lo to hi, about count of them, and at
-- least three (or count) where a smaller nice step allows.
local function linear(lo, hi, count)
  local step = nicenum((hi - lo) / max(count - 1, 1), true)
  if step <= 0 or step ~= step or step == huge then return {} end
  local function inside(s) return floor(hi / s + 1e-9) - ceil(lo / s - 1e-9) + 1 end
  while inside(step) < min(count, 3) do step = smaller(step) end
  local list = {}
  local k0, k1 = ceil(lo / step - 1e-9), floor(hi / step + 1e-9)
  for k = k0, k1 do
    local v = k * step
    if abs(v) < step * 1e-9 then v = 0 end
    list[#list + 1] = {value = v, label = label(v, step)}
  end
  return list
end

-- The label of 10^k.
local function decade(k)
  if k >= -3 and k <= 4 then return label(10.0 ^ k, 10.0 ^ min(k, 0)) end
  return "1e" .. k
end

-- Ticks of a log axis (lo, hi are log10 of the range): decades, every
-- few decades if there are many, or nice linear values within a decade.
local function logarithmic(lo, hi, count)
  local d0, d1 = ceil(lo - 1e-9), floor(hi + 1e-9)
  if d1 - d0 + 1 >= 2 then
    local every = max(1, ceil((d1 - d0 + 1) / count))
    local list = {}
    for k = d0, d1 do
      if k % every == 0 then
        list[#list + 1] = {value = k, label = decade(k)}
      end
    end
    return list
  end
  local list = linear(10 ^ lo, 10 ^ hi, count)
  for _, t in ipairs(list) do t.value = log(t.value, 10) end
  local kept = {}
  for _, t in ipairs(list) do
    if t.value == t.value and t.value > -huge then kept[#kept + 1] = t end
  end
  return kept
end

local function ticks(lo, hi, count, islog)
  if not (hi > lo) then return {} end
  if islog then return logarithmic(lo, hi, count) end
  return linear(lo, hi, count)
end

-- Tableau's ten colours, and the closest of the eight terminal colours.
local palette = {
  "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
  "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf",
}
local ansi = { 34, 33, 32, 31, 35, 33, 35, 37, 32, 36 }

-- A sequential ramp (viridis' end and middle colours) for contour levels,
-- t in [0, 1] from low to high.
local stops = {
  {0.267, 0.005, 0.329}, {0.229, 0.322, 0.546}, {0.128, 0.567, 0.551},
  {0.369, 0.789, 0.383}, {0.993, 0.906, 0.144},
}
local function ramp(t)
  t = min(max(t, 0), 1) * (#stops - 1)
  local i = min(floor(t), #stops - 2)
  local u = t - i
  local a, b = stops[i + 1], stops[i + 2]
  local function c(k) return floor(255 * (a[k] + u * (b[k] - a[k])) + 0.5) end
  return format("#%02x%02x%02x", c(1), c(2), c(3))
end

return {
  ticks = ticks,
  label = label,
  nicenum = nicenum,
  palette = palette,
  ansi = ansi,
  ramp = ramp,
}
