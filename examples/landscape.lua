-- landscape.lua: a convex and a non-convex landscape, each with two
-- descent paths from different starts. On the convex bowl both reach the
-- one minimum; on the tilted double well one path reaches the global
-- minimum and the other is caught in the local one. Writes
-- landscape_convex.svg and landscape_nonconvex.svg here.
-- Run: slope examples/landscape.lua
local slope = require "slope"
local optim, plot = slope.optim, slope.plot

-- Rounded for print, with no "-0.000".
local function fixed(v, digits)
  return (string.format("%." .. digits .. "f", v):gsub("^%-(0%.0+)$", "%1"))
end

local function report(name, r)
  print(string.format("  %-22s %-9s x = (%6s, %6s)  f = %s", name, r.status,
                      fixed(r.x[1], 3), fixed(r.x[2], 3), fixed(r.f, 4)))
end

local function descend(f, x0)
  return optim.minimize(f, x0, {method = "gd", lr = 0.05, trace = true})
end

-- Convex: a tilted elliptic bowl, minimum at (1, -0.5).
local bowl = function(x)
  return (x[1] - 1)^2 + 3 * (x[2] + 0.5)^2 + (x[1] - 1) * (x[2] + 0.5)
end
local b1 = descend(bowl, {-1.6, 1.4})
local b2 = descend(bowl, {1.8, -1.7})
print("convex bowl: every descent ends at the one minimum")
report("from (-1.6, 1.4)", b1)
report("from (1.8, -1.7)", b2)
print("wrote " .. plot.contour(bowl, {{-2, 2}, {-2, 2}}, {
  file = "landscape_convex.svg", title = "Convex: one minimum",
  paths = {{label = "from (-1.6, 1.4)", result = b1},
           {label = "from (1.8, -1.7)", result = b2}},
}))

-- Non-convex: a double well tilted so that the left well is deeper.
local well = function(x) return (x[1]^2 - 1)^2 + 0.3 * x[1] + x[2]^2 end
local w1 = descend(well, {-1.6, 1.5})
local w2 = descend(well, {1.6, -1.2})
print("tilted double well: where a descent ends depends on where it starts")
report("from (-1.6, 1.5)", w1)
report("from (1.6, -1.2)", w2)
print(string.format("  the left minimum is global: %s < %s", fixed(w1.f, 4),
                    fixed(w2.f, 4)))
print("wrote " .. plot.contour(well, {{-2, 2}, {-1.75, 1.75}}, {
  file = "landscape_nonconvex.svg", title = "Non-convex: a global and a local minimum",
  levels = 14,
  paths = {{label = "global minimum", result = w1},
           {label = "stuck in the local minimum", result = w2}},
}))
