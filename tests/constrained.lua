-- constrained.lua: optim.minimize with eq / ineq / lower / upper, optim.qp,
-- multipliers and the KKT report, against closed-form answers.
local t = require "tap"
local optim = require "slope.optim"

t.plan(77)

local function kkt_ok(r, name)
  t.ok(r.kkt.primal <= 1e-8 and r.kkt.stationarity <= 1e-6 and
       r.kkt.complementarity <= 1e-8, name .. ": KKT residuals small",
       string.format("%g %g %g", r.kkt.primal, r.kkt.stationarity,
                     r.kkt.complementarity))
end

-- max xy on x + y = 10: 25 at (5, 5), lambda = d f*/d b = b/2 = 5
local xy = function(x) return x[1] * x[2] end
local line10 = function(x) return x[1] + x[2] - 10 end
for _, m in ipairs{"newton-kkt", "auglag"} do
  local r = optim.minimize(xy, {1, 2.385}, {eq = {line10}, maximize = true,
                                           method = m, gtol = 1e-10})
  t.is(r.status, "converged", m .. ": max xy converged")
  t.near(r.x, {5, 5}, 1e-8, m .. ": max xy at (5, 5)")
  t.close(r.f, 25, 1e-10, m .. ": max xy = 25")
  t.close(r.multipliers.eq[1], 5, 1e-8, m .. ": lambda = 5")
  kkt_ok(r, m .. " max xy")
end

-- min x^2 + y^2 on x + 2y = 4.7: x = b/5, y = 2b/5, lambda = 2b/5
do
  local b = 4.7
  local r = optim.minimize(function(x) return x[1]^2 + x[2]^2 end, {3.1, -1},
                           {eq = {function(x) return x[1] + 2 * x[2] - b end}})
  t.is(r.method, "newton-kkt", "eq-only default: newton-kkt")
  t.is(r.status, "converged", "circle on a line converged")
  t.near(r.x, {b / 5, 2 * b / 5}, 1e-10, "closest point of the line")
  t.close(r.multipliers.eq[1], 2 * b / 5, 1e-9, "lambda = 2b/5")
  t.close(r.f, b * b / 5, 1e-12, "f* = b^2/5")
end

-- the box of largest volume with surface S: x = y = z = sqrt(S/6),
-- lambda = x/4 for c = 2(xy + yz + zx) - S
do
  local S = 13.7
  local a = math.sqrt(S / 6)
  local r = optim.minimize(function(x) return x[1] * x[2] * x[3] end,
    {1, 1.5, 0.7}, {maximize = true, eq = {function(x)
      return 2 * (x[1] * x[2] + x[2] * x[3] + x[3] * x[1]) - S end}})
  t.is(r.status, "converged", "box converged")
  t.near(r.x, {a, a, a}, 1e-8, "box is a cube")
  t.close(r.multipliers.eq[1], a / 4, 1e-8, "box lambda = x/4")
  t.close(r.f, a^3, 1e-10, "box volume")
end

-- an active and an inactive inequality: min (x-2)^2 + (y-1)^2 with
-- x + y <= 1 (active, mu = 2) and x >= -5 (inactive, mu = 0)
do
  local r = optim.minimize(function(x) return (x[1] - 2)^2 + (x[2] - 1)^2 end,
    {0.3, 0.2}, {ineq = {function(x) return 1 - x[1] - x[2] end,
                         function(x) return x[1] + 5 end}})
  t.is(r.method, "auglag", "ineq default: auglag")
  t.is(r.status, "converged", "active/inactive converged")
  t.near(r.x, {1, 0}, 1e-8, "projection onto x + y <= 1")
  t.close(r.multipliers.ineq[1], 2, 1e-8, "mu > 0 on the active constraint")
  t.is(r.multipliers.ineq[2], 0, "mu = 0 on the inactive one")
  kkt_ok(r, "active/inactive")
end

-- Rosenbrock with x1 <= 0.5: (0.5, 0.25), upper multiplier 1
do
  local rb = function(x) return 100 * (x[2] - x[1]^2)^2 + (1 - x[1])^2 end
  local r = optim.minimize(rb, {-1.2, 1}, {upper = {0.5, math.huge},
                                           gtol = 1e-10})
  t.is(r.method, "lbfgs", "bounds only: lbfgs")
  t.is(r.status, "converged", "bounded Rosenbrock converged")
  t.near(r.x, {0.5, 0.25}, 1e-8, "bounded Rosenbrock solution")
  t.close(r.multipliers.upper[1], 1, 1e-8, "upper bound multiplier")
  t.is(r.multipliers.upper[2], 0, "no multiplier on an absent bound")
  t.ok(r.gnorm <= 1e-10, "projected gradient norm below gtol")
  local a = optim.minimize(rb, {-1.2, 1}, {upper = {0.5, math.huge},
                                           method = "auglag"})
  t.is(a.status, "converged", "auglag on bounds only converged")
  t.near(a.x, {0.5, 0.25}, 1e-8, "auglag bounded Rosenbrock")
  t.close(a.multipliers.upper[1], 1, 1e-7, "auglag upper multiplier")
  -- x0 outside the box is projected; a trace still works
  local p = optim.minimize(rb, {3, 1}, {lower = -2, upper = {0.5, 4},
                                        trace = true})
  t.near(p.x, {0.5, 0.25}, 1e-6, "x0 outside the box")
  t.ok(#p.trace == p.iterations, "trace of a bounded run")
end

-- trace = N thins the outer iterations as minimize's own trace does
do
  local disk = {ineq = {function(x) return x[1]^2 + x[2]^2 - 1.5 end},
                method = "sqp"}
  local function run(trace)
    disk.trace = trace
    return optim.minimize(function(x)
      return 100 * (x[2] - x[1]^2)^2 + (1 - x[1])^2
    end, {-1.2, 1}, disk)
  end
  local full, thin = run(true), run(3)
  local kept, same = {}, true
  for i, r in ipairs(thin.trace) do
    kept[i] = r.iter
    local f = full.trace[r.iter]
    same = same and f.iter == r.iter and f.f == r.f and
           f.infeasibility == r.infeasibility
  end
  t.is(#full.trace .. " " .. full.trace[#full.trace].iter, "8 8",
       "sqp on a disk: a record per outer iteration")
  t.is(table.concat(kept, ","), "4,8", "trace = 3: every fourth and the last")
  t.ok(same, "... each record as in the full trace")
end

-- first-order methods project after each step
do
  local r = optim.minimize(function(x) return (x[1] - 3)^2 + (x[2] + 1)^2 end,
                           {0, 0}, {method = "gd", lower = {-1, -0.25},
                                    upper = 1.5})
  t.is(r.status, "converged", "projected gd converged")
  t.near(r.x, {1.5, -0.25}, 1e-8, "projected gd at the corner")
  t.close(r.multipliers.upper[1], 3, 1e-6, "gd upper multiplier")
  t.close(r.multipliers.lower[2], 1.5, 1e-6, "gd lower multiplier")
end

-- a QP solved by hand: min x1^2 + x2^2 - 2x1 - 5x2, x1 + 2x2 <= 3, x >= 0
do
  local r = optim.qp{H = {{2, 0}, {0, 2}}, c = {-2, -5}, A_ub = {{1, 2}},
                     b_ub = {3}, lower = {0, 0}}
  t.is(r.status, "converged", "qp converged")
  t.near(r.x, {0.4, 1.3}, 1e-9, "qp solution")
  t.close(r.f, -5.45, 1e-12, "qp value")
  t.close(r.multipliers.ineq[1], 1.2, 1e-9, "qp multiplier")
  local e = optim.qp{H = {{4, 1}, {1, 2}}, c = {1, 1}, A_eq = {{1, 1}},
                     b_eq = {1}}
  -- 4x + y + 1 = l, x + 2y + 1 = l, x + y = 1: x = 0.25, y = 0.75, l = 2.75
  t.near(e.x, {0.25, 0.75}, 1e-10, "equality qp")
  t.close(e.multipliers.eq[1], 2.75, 1e-10, "equality qp multiplier")
  local m = optim.qp{H = {{-2, 0}, {0, -2}}, c = {2, 5}, A_ub = {{1, 2}},
                     b_ub = {3}, lower = {0, 0}, maximize = true}
  t.near(m.x, {0.4, 1.3}, 1e-9, "qp maximize")
  t.close(m.multipliers.ineq[1], -1.2, 1e-9, "qp maximize: d f*/d b sign")
end

-- infeasible: x >= 1 and x <= 0
do
  local r = optim.minimize(function(x) return x[1]^2 end, {0.3},
    {ineq = {function(x) return x[1] - 1 end, function(x) return -x[1] end}})
  t.is(r.status, "infeasible", "x >= 1, x <= 0 is infeasible")
  t.close(r.x[1], 0.5, 1e-6, "the least infeasible point")
  t.close(r.kkt.primal, 0.5, 1e-6, "its violation")
end

-- unbounded: min x s.t. x <= 3
do
  local r = optim.minimize(function(x) return x[1] end, {0.3},
                           {ineq = {function(x) return 3 - x[1] end}})
  t.is(r.status, "unbounded", "min x, x <= 3 is unbounded")
  t.ok(r.f < -1e20, "f fell below -1e20")
end

-- callback and Ctrl-C style stops keep the best point
do
  local calls = 0
  local r = optim.minimize(function(x) return (x[1] - 2)^2 + (x[2] - 1)^2 end,
    {0.3, 0.2}, {ineq = {function(x) return 1 - x[1] - x[2] end},
                 callback = function(s) calls = calls + 1; return true end})
  t.is(r.status, "stopped", "callback stops auglag")
  t.is(calls, 1, "callback called once")
  t.error_like("boom", optim.minimize,
    function(x) return (x[1] - 2)^2 + (x[2] - 1)^2 end, {0.3, 0.2},
    {ineq = {function(x) return 1 - x[1] - x[2] end},
     callback = function() error("boom") end})
end

-- argument errors
local f2 = function(x) return x[1]^2 + x[2]^2 end
t.error_like("field 'eq': constraint 2 is not a function", optim.minimize,
  f2, {1, 1}, {eq = {function(x) return x[1] end, 3}})
t.error_like("field 'ineq' must be a list of functions", optim.minimize,
  f2, {1, 1}, {ineq = function(x) return x[1] end})
t.error_like("field 'lower' has 3 entries, x0 has 2", optim.minimize,
  f2, {1, 1}, {lower = {0, 0, 0}})
t.error_like("field 'upper' has 1 entries, x0 has 2", optim.minimize,
  f2, {1, 1}, {upper = {0}, eq = {function(x) return x[1] end}})
t.error_like("lower > upper at entry 2", optim.minimize, f2, {1, 1},
  {lower = {0, 2}, upper = {1, 1}})
t.error_like("method 'newton' cannot take bounds; use 'lbfgs' or 'auglag'",
  optim.minimize, f2, {1, 1}, {method = "newton", lower = 0})
t.error_like("method 'lbfgs' cannot take constraints", optim.minimize,
  f2, {1, 1}, {method = "lbfgs", eq = {function(x) return x[1] end}})
t.error_like("method 'newton-kkt' takes equality constraints only",
  optim.minimize, f2, {1, 1}, {method = "newton-kkt",
                               ineq = {function(x) return x[1] end}})
t.error_like("bad argument #1 to 'qp' (field 'c' expected)", optim.qp, {})
t.error_like("field 'A_ub' is 1x3, expected 2 columns", optim.qp,
  {c = {1, 1}, A_ub = optim and require("slope").mat{{1, 2, 3}}, b_ub = {1}})
-- sqp and barrier: an error naming them until they are built, else a run
for _, m in ipairs{"sqp", "barrier"} do
  local ok, r = pcall(optim.minimize, f2, {1, 1},
                      {method = m, eq = {function(x) return x[1] + x[2] - 1 end}})
  t.ok((not ok and tostring(r):find("method '" .. m .. "' is not available",
                                    1, true))
       or (ok and r.method == m and r.x ~= nil), m .. ": an error or a run")
end

-- the help entries and their examples, replayed
do
  local entries = {}
  require("slope.doc.constrained")(function(name, e) entries[name] = e end)
  local env = setmetatable({ optim = optim }, { __index = _G })
  for _, name in ipairs{"slope.optim.constraints", "slope.optim.method.auglag",
                        "slope.optim.method.newton-kkt", "slope.optim.lagrange",
                        "slope.optim.qp"} do
    t.example(entries[name], env, name)
  end
  local help = require "slope.help"
  t.ok(help.lookup(optim.lagrange) and help.lookup(optim.qp),
       "help finds lagrange and qp")
end
