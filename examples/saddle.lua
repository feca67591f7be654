-- saddle.lua: a stationary point that is neither a minimum nor a
-- maximum. f = x1^3 - 3 x1 + x2^2 has zero gradient at (1, 0) and at
-- (-1, 0); slope.analyze.classify tells them apart by the eigenvalues of
-- the Hessian, and descent started near the saddle slides off it, along
-- the direction of negative curvature, to the minimum. Writes saddle.svg
-- here. Run: slope examples/saddle.lua
local slope = require "slope"
local analyze, optim, plot = slope.analyze, slope.optim, slope.plot

local f = function(x) return x[1]^3 - 3 * x[1] + x[2]^2 end

local function show(x)
  local c = analyze.classify(f, x)
  print(string.format("(%g, %g): %-7s eigenvalues %g, %g  gradient norm %g",
                      x[1], x[2], c.kind, c.eigenvalues[1], c.eigenvalues[2],
                      c.gnorm))
  return c
end
show({1, 0})
local s = show({-1, 0})
print(string.format("at the saddle f curves down along x1 (%g) and up along x2 (%g)",
                    s.eigenvalues[1], s.eigenvalues[2]))

-- Two descents from just beside the saddle, on either side of it.
local right = optim.minimize(f, {-0.95, 0.8}, {method = "gd", lr = 0.05, trace = true})
local left = optim.minimize(f, {-1.05, 0.8}, {method = "gd", lr = 0.05, maxiter = 12,
                                             trace = true})
print(string.format("from (-0.95, 0.8): %s at (%.3f, %.3f)", right.status,
                    right.x[1], math.abs(right.x[2])))
print(string.format("from (-1.05, 0.8): f = %.2f after %d iterations and falling: "
                    .. "f is unbounded below", left.f, left.iterations))

print("wrote " .. plot.contour(f, {{-2.5, 2}, {-1.5, 1.5}}, {
  file = "saddle.svg", levels = 16, spacing = "linear",
  title = "A saddle at (-1, 0), a minimum at (1, 0)",
  paths = {{label = "descent to the minimum", result = right},
           {label = "descent past the saddle", result = left},
           {label = "saddle (-1, 0)", points = {{-1, 0}}},
           {label = "minimum (1, 0)", points = {{1, 0}}}},
}))
