-- sqp_barrier.lua: optim.minimize with method "sqp" (exact Hessian and
-- damped BFGS) on textbook problems with analytic solutions and
-- multipliers, an infeasible problem, and the checks of
-- opts.hessian.
local t = require "tap"
local optim = require("slope").optim

t.plan(28)

local tight = {gtol = 1e-11, ctol = 1e-12}
local function opts(extra)
  local o = {method = "sqp", gtol = tight.gtol, ctol = tight.ctol}
  for k, v in pairs(extra) do o[k] = v end
  return o
end

-- The largest xy on x + y = 10: (5, 5), the multiplier d f*/d 10 = 5.
local r = optim.minimize(function(x) return x[1] * x[2] end, {1.25, 2.5},
  opts{maximize = true, eq = {function(x) return x[1] + x[2] - 10 end}})
t.is(r.status, "converged", "xy: converged")
t.near(r.x, {5, 5}, 1e-8, "xy: x = (5, 5)")
t.close(r.f, 25, 1e-10, "xy: f = 25")
t.close(r.multipliers.eq[1], 5, 1e-8, "xy: multiplier 5")

-- (x - 2)^2 + (y - 1)^2 with x + y <= 2 (active) and x >= -5 (inactive):
-- x = (1.5, 0.5), multipliers 1 and 0.
r = optim.minimize(function(x) return (x[1] - 2) ^ 2 + (x[2] - 1) ^ 2 end,
  {0.125, -0.375}, opts{ineq = {function(x) return 2 - x[1] - x[2] end,
                                function(x) return x[1] + 5 end}})
t.is(r.status, "converged", "active/inactive: converged")
t.near(r.x, {1.5, 0.5}, 1e-8, "active/inactive: x")
t.close(r.f, 0.5, 1e-10, "active/inactive: f")
t.close(r.multipliers.ineq[1], 1, 1e-8, "active/inactive: active multiplier")
t.ok(math.abs(r.multipliers.ineq[2]) < 1e-8,
     "active/inactive: inactive multiplier 0")
t.ok(r.kkt.complementarity < 1e-8, "active/inactive: complementarity")

-- (x - 3)^2 + (y + 1)^2 in [0, 1]^2 with x - y + 0.25 = 0: x = (0.75, 1),
-- y_eq = -4.5 (grad f = y a + zl - zu: -4.5 = y, 4 = -y - zu), zu2 = 0.5.
r = optim.minimize(function(x) return (x[1] - 3) ^ 2 + (x[2] + 1) ^ 2 end,
  {0.5, 0.5}, opts{lower = {0, 0}, upper = {1, 1},
                   eq = {function(x) return x[1] - x[2] + 0.25 end}})
t.is(r.status, "converged", "bounds: converged")
t.near(r.x, {0.75, 1}, 1e-8, "bounds: x")
t.close(r.multipliers.eq[1], -4.5, 1e-8, "bounds: equality multiplier")
t.close(r.multipliers.upper[2], 0.5, 1e-8, "bounds: upper multiplier")
t.ok(math.abs(r.multipliers.lower[1]) < 1e-8 and
     math.abs(r.multipliers.upper[1]) < 1e-8, "bounds: x1 free")

-- The box of largest volume with surface 6: the unit cube, and the
-- multiplier d V*/d S = 1/4 (V = (S/6)^(3/2)).
local function volume(x) return x[1] * x[2] * x[3] end
local surface = {function(x)
  return 2 * (x[1] * x[2] + x[2] * x[3] + x[1] * x[3]) - 6
end}
r = optim.minimize(volume, {1.125, 0.875, 1.25},
                   opts{maximize = true, eq = surface, hessian = "bfgs"})
t.is(r.status, "converged", "box (bfgs): converged")
t.near(r.x, {1, 1, 1}, 1e-7, "box (bfgs): the unit cube")
t.close(r.multipliers.eq[1], 0.25, 1e-7, "box (bfgs): multiplier 1/4")

-- The active/inactive problem again with the BFGS Hessian.
r = optim.minimize(function(x) return (x[1] - 2) ^ 2 + (x[2] - 1) ^ 2 end,
  {0.125, -0.375}, opts{hessian = "bfgs",
                        ineq = {function(x) return 2 - x[1] - x[2] end,
                                function(x) return x[1] + 5 end}})
t.is(r.status, "converged", "bfgs active/inactive: converged")
t.near(r.x, {1.5, 0.5}, 1e-8, "bfgs active/inactive: x")
t.close(r.multipliers.ineq[1], 1, 1e-8, "bfgs active/inactive: multiplier")

-- Infeasible: inside the unit disc and x + y >= 3.  The least infeasible
-- point is (1, 1)/sqrt 2.
r = optim.minimize(function(x) return x[1] + x[2] end, {0.2, 0.3},
  {method = "sqp", ineq = {function(x) return 1 - x[1] ^ 2 - x[2] ^ 2 end,
                           function(x) return x[1] + x[2] - 3 end}})
t.is(r.status, "infeasible", "infeasible: status")
t.near(r.x, {math.sqrt(0.5), math.sqrt(0.5)}, 1e-6,
       "infeasible: the least infeasible point")
t.ok(r.kkt.primal > 1, "infeasible: the violation is reported")

-- maxiter is honoured.
r = optim.minimize(volume, {1.125, 0.875, 1.25},
                   {method = "sqp", maximize = true, eq = surface,
                    hessian = "bfgs", maxiter = 2})
t.is(r.status, "maxiter", "maxiter: status")
t.is(r.iterations, 2, "maxiter: two iterations")

-- Argument checks.
t.error_like("field 'hessian' must be 'exact' or 'bfgs'", optim.minimize,
             volume, {1, 1, 1}, {method = "sqp", eq = surface,
                                 hessian = "newton"})
t.error_like("field 'hessian' must be 'exact' or 'bfgs'", optim.minimize,
             volume, {1, 1, 1}, {method = "sqp", eq = surface, hessian = 2})

t.done()
