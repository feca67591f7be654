-- learning_rate.lua: gradient descent on one quadratic with three fixed
-- learning rates. Too small crawls and runs out of iterations, a good one
-- converges, too large overshoots further at every step and diverges
-- (for f = (x1^2 + 10 x2^2) / 2 gd is stable for lr < 2 / 10). Writes
-- learning_rate.svg (the three paths on the contours) and
-- learning_rate_loss.svg (f against iteration) here.
-- Run: slope examples/learning_rate.lua
local slope = require "slope"
local optim, plot = slope.optim, slope.plot

local f = function(x) return (x[1]^2 + 10 * x[2]^2) / 2 end
local x0 = {-1.8, 0.9}

local runs = {}
for _, lr in ipairs { 0.005, 0.15, 0.25 } do
  local r = optim.minimize(f, x0, {method = "gd", lr = lr, maxiter = 150,
                                   trace = true})
  print(string.format("lr = %-6g %-9s after %3d iterations", lr, r.status,
                      r.iterations))
  runs[#runs + 1] = {label = string.format("lr = %g (%s)", lr, r.status),
                     result = r}
end

print("wrote " .. plot.contour(f, {{-2, 2}, {-1.2, 1.2}}, {
  file = "learning_rate.svg", paths = runs, spacing = "linear",
  title = "Gradient descent: too small, good, too large",
}))
print("wrote " .. plot.loss(runs, {file = "learning_rate_loss.svg", log = true,
                                   title = "f against iteration"}))
