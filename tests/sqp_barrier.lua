-- sqp_barrier.lua: optim.minimize with methods "sqp" (exact Hessian and
-- damped BFGS) and "barrier" (interior point) on textbook problems with
-- analytic solutions and multipliers, infeasible and unbounded problems,
-- and the checks of their options.
local t = require "tap"
local optim = require("slope").optim

t.plan(81)

local tight = {gtol = 1e-11, ctol = 1e-12}
local function opts(extra)
  local o = {method = "sqp", gtol = tight.gtol, ctol = tight.ctol}
  for k, v in pairs(extra) do o[k] = v end
  return o
end

-- Three textbook problems, with each method:
--  * the largest xy on x + y = 10: (5, 5), the multiplier d f*/d 10 = 5;
--  * (x - 2)^2 + (y - 1)^2 with x + y <= 2 (active) and x >= -5
--    (inactive): x = (1.5, 0.5), multipliers 1 and 0;
--  * (x - 3)^2 + (y + 1)^2 in [0, 1]^2 with x - y + 0.25 = 0: x = (0.75, 1),
--    y_eq = -4.5 (grad f = y a + zl - zu: -4.5 = y, 4 = -y - zu), zu2 = 0.5.
local r
for _, method in ipairs{"sqp", "barrier"} do
  local function mopts(extra)
    local o = opts(extra)
    o.method = method
    return o
  end
  local p = method == "sqp" and "" or method .. " "
  r = optim.minimize(function(x) return x[1] * x[2] end, {1.25, 2.5},
    mopts{maximize = true, eq = {function(x) return x[1] + x[2] - 10 end}})
  t.is(r.status, "converged", p .. "xy: converged")
  t.near(r.x, {5, 5}, 1e-8, p .. "xy: x = (5, 5)")
  t.close(r.f, 25, 1e-10, p .. "xy: f = 25")
  t.close(r.multipliers.eq[1], 5, 1e-8, p .. "xy: multiplier 5")
  t.is(r.method, method, p .. "xy: method reported")

  r = optim.minimize(function(x) return (x[1] - 2) ^ 2 + (x[2] - 1) ^ 2 end,
    {0.125, -0.375}, mopts{ineq = {function(x) return 2 - x[1] - x[2] end,
                                   function(x) return x[1] + 5 end}})
  t.is(r.status, "converged", p .. "active/inactive: converged")
  t.near(r.x, {1.5, 0.5}, 1e-8, p .. "active/inactive: x")
  t.close(r.f, 0.5, 1e-10, p .. "active/inactive: f")
  t.close(r.multipliers.ineq[1], 1, 1e-8,
          p .. "active/inactive: active multiplier")
  t.ok(r.multipliers.ineq[2] >= 0 and r.multipliers.ineq[2] < 1e-8,
       p .. "active/inactive: inactive multiplier 0")
  t.ok(r.kkt.complementarity < 1e-8 and r.kkt.stationarity < 1e-8 and
       r.kkt.primal < 1e-8, p .. "active/inactive: KKT report")

  r = optim.minimize(function(x) return (x[1] - 3) ^ 2 + (x[2] + 1) ^ 2 end,
    {0.5, 0.5}, mopts{lower = {0, 0}, upper = {1, 1},
                      eq = {function(x) return x[1] - x[2] + 0.25 end}})
  t.is(r.status, "converged", p .. "bounds: converged")
  t.near(r.x, {0.75, 1}, 1e-8, p .. "bounds: x")
  t.close(r.multipliers.eq[1], -4.5, 1e-8, p .. "bounds: equality multiplier")
  t.close(r.multipliers.upper[2], 0.5, 1e-8, p .. "bounds: upper multiplier")
  t.ok(math.abs(r.multipliers.lower[1]) < 1e-8 and
       math.abs(r.multipliers.upper[1]) < 1e-8 and
       math.abs(r.multipliers.lower[2]) < 1e-8, p .. "bounds: inactive 0")
end

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
-- point is (1, 1)/sqrt 2.  Unbounded: f falls without bound on the
-- feasible line x = y.
for _, method in ipairs{"sqp", "barrier"} do
  r = optim.minimize(function(x) return x[1] + x[2] end, {0.2, 0.3},
    {method = method,
     ineq = {function(x) return 1 - x[1] ^ 2 - x[2] ^ 2 end,
             function(x) return x[1] + x[2] - 3 end}})
  t.is(r.status, "infeasible", method .. " infeasible: status")
  t.near(r.x, {math.sqrt(0.5), math.sqrt(0.5)}, 1e-6,
         method .. " infeasible: the least infeasible point")
  t.ok(r.kkt.primal > 1, method .. " infeasible: the violation is reported")

  r = optim.minimize(function(x) return -x[1] - x[2] end, {0.5, 0.25},
                     {method = method,
                      eq = {function(x) return x[1] - x[2] end}})
  t.is(r.status, "unbounded", method .. " unbounded: status")
  t.ok(r.f < -1e20 and math.abs(r.x[1] - r.x[2]) <= 1e-8 * math.abs(r.f),
       method .. " unbounded: a feasible point with f below -1e20")
end



-- Hock and Schittkowski's problem 46: a degenerate minimum, f* = 0 at
-- (1, 1, 1, 1, 1) with the multipliers 0 and f quartic and sextic there;
-- the steps shrink linearly, and a penalty held above the vanishing
-- multipliers would stall them: f within 1e-8 with the default options.
r = optim.minimize(function(x)
    return (x[1] - x[2]) ^ 2 + (x[3] - 1) ^ 2 + (x[4] - 1) ^ 4 +
           (x[5] - 1) ^ 6
  end, {0.5 * math.sqrt(2), 1.75, 0.5, 2, 2},
  {method = "sqp", maxiter = 200, eq = {
    function(x) return x[1] ^ 2 * x[4] + math.sin(x[4] - x[5]) - 1 end,
    function(x) return x[2] + x[3] ^ 4 * x[4] ^ 2 - 2 end}})
t.is(r.status, "converged", "sqp degenerate minimum: converged")
t.ok(r.f >= 0 and r.f <= 1e-10, "sqp degenerate minimum: f within 1e-10")
t.near(r.x, {1, 1, 1, 1, 1}, 1e-3, "sqp degenerate minimum: x")

-- Hock and Schittkowski's problem 61 from (0, 0, 0), where the two rows of
-- the constraint Jacobian are parallel (the linearisation is
-- inconsistent): the first steps meet a nearly singular Jacobian with
-- huge multipliers; the minimum (x2 by a 1-D search on x1(x2), x3(x2)
-- to 30 digits) is f* = -143.64614219778 with the multipliers y solving
-- grad f = J'y.
r = optim.minimize(function(x)
    return 4 * x[1] ^ 2 + 2 * x[2] ^ 2 + 2 * x[3] ^ 2 - 33 * x[1] +
           16 * x[2] - 24 * x[3]
  end, {0, 0, 0}, {method = "sqp", maxiter = 200, eq = {
    function(x) return 3 * x[1] - 2 * x[2] ^ 2 - 7 end,
    function(x) return 4 * x[1] - x[3] ^ 2 - 11 end}})
t.is(r.status, "converged", "sqp rank-deficient start: converged")
t.close(r.f, -143.64614219778, 1e-12, "sqp rank-deficient start: f*")
t.near(r.x, {5.3267701355639, -2.1189986322190, 3.2104642253506}, 1e-9,
       "sqp rank-deficient start: x")
t.near(r.multipliers.eq, {-(4 * r.x[2] + 16) / (4 * r.x[2]),
                          (24 - 4 * r.x[3]) / (2 * r.x[3])}, 1e-8,
       "sqp rank-deficient start: multipliers")

-- Hock and Schittkowski's problem 56: an early long step raises the
-- penalty by five orders of magnitude; held there, it pins the iterates
-- to the constraints' curvature for thousands of tiny steps.
do
  local a, b = math.asin(math.sqrt(1 / 4.2)), math.asin(math.sqrt(5 / 7.2))
  r = optim.minimize(function(x) return -x[1] * x[2] * x[3] end,
    {1, 1, 1, a, a, a, b}, {method = "sqp", maxiter = 200, eq = {
      function(x) return x[1] - 4.2 * math.sin(x[4]) ^ 2 end,
      function(x) return x[2] - 4.2 * math.sin(x[5]) ^ 2 end,
      function(x) return x[3] - 4.2 * math.sin(x[6]) ^ 2 end,
      function(x)
        return x[1] + 2 * x[2] + 2 * x[3] - 7.2 * math.sin(x[7]) ^ 2
      end}})
  t.is(r.status, "converged", "sqp penalty falls again: converged")
  t.close(r.f, -3.456, 1e-10, "sqp penalty falls again: f*")
  t.near(r.multipliers.eq, {0, 0, 0, -1.44}, 1e-8,
         "sqp penalty falls again: multipliers")
  -- with BFGS from a nearby start the iterates run off to |x| ~ 1e8,
  -- where f ~ -1e25; the violation there is tiny against |f| but not
  -- against |x|: no "unbounded" verdict at such a point
  r = optim.minimize(function(x) return -x[1] * x[2] * x[3] end,
    {1.1, 1.2, 1, 1.1 * a, 1.1 * a + 0.1, 1.1 * a - 0.1, 1.1 * b},
    {method = "sqp", hessian = "bfgs", maxiter = 200, eq = {
      function(x) return x[1] - 4.2 * math.sin(x[4]) ^ 2 end,
      function(x) return x[2] - 4.2 * math.sin(x[5]) ^ 2 end,
      function(x) return x[3] - 4.2 * math.sin(x[6]) ^ 2 end,
      function(x)
        return x[1] + 2 * x[2] + 2 * x[3] - 7.2 * math.sin(x[7]) ^ 2
      end}})
  local xmax = 1
  for i = 1, 7 do xmax = math.max(xmax, math.abs(r.x[i])) end
  t.ok(r.status ~= "unbounded" or r.kkt.primal <= 1e-8 * xmax,
       "sqp: unbounded only at a feasible point (" .. r.status .. ")")
end

-- More problems for the interior point method.
local function bopts(extra)
  local o = {method = "barrier", gtol = tight.gtol, ctol = tight.ctol}
  for k, v in pairs(extra) do o[k] = v end
  return o
end

-- Bounds alone, one of them fixed: min (x - 2)^2 + (y + 1)^2 + (z - 5)^2
-- in [0, 1] x [0, 1] x [3, 3]: x = (1, 0, 3), zu1 = 2, zl2 = 2, zu3 = 4.
r = optim.minimize(function(x)
  return (x[1] - 2) ^ 2 + (x[2] + 1) ^ 2 + (x[3] - 5) ^ 2 end,
  {0.5, 0.5, 3}, bopts{lower = {0, 0, 3}, upper = {1, 1, 3}})
t.is(r.status, "converged", "barrier box: converged")
t.near(r.x, {1, 0, 3}, 1e-8, "barrier box: x")
t.near(r.multipliers.upper, {2, 0, 4}, 1e-8, "barrier box: upper multipliers")
t.near(r.multipliers.lower, {0, 2, 0}, 1e-8, "barrier box: lower multipliers")

r = optim.minimize(volume, {1.125, 0.875, 1.25},
                   bopts{maximize = true, eq = surface})
t.is(r.status, "converged", "barrier box volume: converged")
t.near(r.x, {1, 1, 1}, 1e-8, "barrier box volume: the unit cube")
t.close(r.multipliers.eq[1], 0.25, 1e-8, "barrier box volume: multiplier 1/4")

-- The largest box with surface 6 and height at most 1/2: the cap is
-- active, the base is a square of side a with 2 (a^2 + 2 a h) = 6 at
-- h = 1/2, so a^2 + a - 3 = 0.
do
  local a = (-1 + math.sqrt(13)) / 2
  r = optim.minimize(volume, {1, 1, 0.25}, bopts{maximize = true,
    eq = surface, ineq = {function(x) return 0.5 - x[3] end}})
  t.is(r.status, "converged", "barrier capped box: converged")
  t.near(r.x, {a, a, 0.5}, 1e-8, "barrier capped box: x")
  -- d V*/d S: V = a^2 h with 2 a^2 + 4 a h = S, so dV/dS = a h / (2 a + 2 h)
  t.close(r.multipliers.eq[1], a * 0.5 / (2 * a + 1), 1e-8,
          "barrier capped box: surface multiplier")
end

r = optim.minimize(function(x) return x[1] + x[2] ^ 2 end, {-1, 1},
                   {method = "barrier", ineq = {function(x) return -x[1] end}})
t.is(r.status, "unbounded", "barrier unbounded (inequality): status")

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

t.error_like("method 'barrier' takes the exact Hessian only", optim.minimize,
             volume, {1, 1, 1}, {method = "barrier", eq = surface,
                                 hessian = "bfgs"})
t.error_like("field 'mu0' must be positive", optim.minimize, volume,
             {1, 1, 1}, {method = "barrier", eq = surface, mu0 = 0})
t.error_like("field 'mu0' must be a number", optim.minimize, volume,
             {1, 1, 1}, {method = "barrier", eq = surface, mu0 = "big"})
r = optim.minimize(volume, {1.125, 0.875, 1.25},
                   {method = "barrier", maximize = true, eq = surface,
                    maxiter = 3})
t.is(r.status, "maxiter", "barrier maxiter: status")
t.is(r.iterations, 3, "barrier maxiter: three iterations")

-- the help entries and their examples, replayed
do
  local entries = {}
  require("slope.doc.sqp_barrier")(function(name, e) entries[name] = e end)
  local env = setmetatable({ optim = optim }, { __index = _G })
  for _, name in ipairs{"slope.optim.method.sqp", "slope.optim.method.barrier"} do
    t.example(entries[name], env, name)
  end
end

t.done()
