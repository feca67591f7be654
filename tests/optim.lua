-- optim.lua: optim.minimize with the first-order methods: exact minimisers
-- of convex quadratics, the three regimes of gradient descent's learning
-- rate, schedules given as functions, maximisation, callbacks, traces,
-- reproducibility and error messages.
local t = require "tap"
local slope = require "slope"
local optim = slope.optim

-- A convex quadratic 1/2 x'Ax - b'x with A diagonal: minimiser b ./ a.
local a, b = {1, 4, 9}, {3, -2, 1}
local function quad(x)
  local s = 0
  for i = 1, 3 do s = s + 0.5 * a[i] * x[i]^2 - b[i] * x[i] end
  return s
end
local xstar, fstar = {}, 0
for i = 1, 3 do
  xstar[i] = b[i] / a[i]
  fstar = fstar - 0.5 * b[i]^2 / a[i]
end

local near = t.near

local rates = {gd = 0.2, momentum = 0.05, nesterov = 0.05, adagrad = 0.5,
               rmsprop = 0.01, adam = 0.05, adamw = 0.05}
for _, m in ipairs {"gd", "momentum", "nesterov", "adagrad", "rmsprop",
                    "adam", "adamw"} do
  local r = optim.minimize(quad, {0, 0, 0}, {method = m, lr = rates[m],
    gtol = 1e-9, maxiter = 200000, weight_decay = 0})
  t.is(r.status, "converged", m .. " on a convex quadratic: converged")
  t.is(r.method, m, m .. ": result.method")
  near(r.x, xstar, 1e-8, m .. ": the exact minimiser b/a")
  t.close(r.f, fstar, 1e-12, m .. ": the minimum value")
  t.ok(r.gnorm <= 1e-9, m .. ": gnorm <= gtol")
  t.ok(r.iterations > 0 and r.evaluations.grad >= r.iterations,
       m .. ": iterations and gradient evaluations counted")
end

-- The default: lbfgs, no rate to choose.
local r = optim.minimize(quad, {0, 0, 0})
t.is(r.status, "converged", "default method converges")
t.is(r.method, "lbfgs", "the default method is lbfgs")
near(r.x, xstar, 1e-6, "default method: minimiser")

-- gd without a rate: Armijo backtracking.
local ra = optim.minimize(quad, {0, 0, 0}, {method = "gd"})
t.is(ra.status, "converged", "gd with backtracking converges")
near(ra.x, xstar, 1e-6, "gd with backtracking: minimiser")
t.ok(ra.evaluations.f > ra.evaluations.grad,
     "the line search evaluates f alone")

-- Learning rate: too small crawls, good converges, too large diverges.
local small = optim.minimize(quad, {0, 0, 0}, {method = "gd", lr = 1e-4,
                                               maxiter = 500})
t.is(small.status, "maxiter", "gd, lr too small: maxiter")
t.ok(small.f > fstar + 0.1, "gd, lr too small: still far from the minimum")
t.is(small.iterations, 500, "gd, lr too small: 500 iterations")
local good = optim.minimize(quad, {0, 0, 0}, {method = "gd", lr = 0.2,
                                              maxiter = 500})
t.is(good.status, "converged", "gd, good lr: converged")
local big = optim.minimize(quad, {0, 0, 0}, {method = "gd", lr = 0.5,
                                             maxiter = 5000})
t.is(big.status, "diverged", "gd, lr too large (> 2/9): diverged")
t.ok(big.message:find("smaller learning rate", 1, true) ~= nil,
     "divergence message suggests a smaller learning rate")
t.ok(big.f == big.f and math.abs(big.f) < math.huge,
     "divergence returns a finite point")
t.ok(big.f <= quad {0, 0, 0}, "divergence returns the best point seen")

-- No progress to rounding: a run that cannot move stops instead of
-- spinning to maxiter.
local stuck = optim.minimize(quad, {1, 1, 1}, {method = "gd", lr = 1e-300,
                                               maxiter = 100000})
t.is(stuck.status, "line_search_failed", "x unchanged to rounding: stops")
t.ok(stuck.iterations <= 20, "... after a few iterations, not maxiter",
     "iterations " .. stuck.iterations)
t.ok(stuck.message:find("no progress", 1, true) ~= nil,
     "... and says there was no progress")

-- NaN: log of a negative number after an overshoot.
local nan = optim.minimize(function(x) return x[1]^2 - math.log(x[1]) end,
                           {0.5}, {method = "gd", lr = 10, maxiter = 50})
t.is(nan.status, "nan", "f becoming NaN ends with status nan")
t.is(nan.x[1], 0.5, "... and the last finite point")

-- A schedule written as a Lua function k -> lr, and the trace.
local seen = {}
local rs = optim.minimize(quad, {0, 0, 0}, {method = "gd", maxiter = 5,
  trace = true, gtol = 0,
  lr = function(k) seen[#seen + 1] = k; return 0.1 / (1 + k) end})
t.is(rs.status, "maxiter", "schedule run: maxiter")
t.is(table.concat(seen, ","), "0,1,2,3,4", "the schedule sees k = 0, 1, ...")
t.is(#rs.trace, 5, "trace: one record per iteration")
t.close(rs.trace[3].lr, 0.1 / 3, 1e-15, "trace records the rate used")
t.is(rs.trace[5].iter, 5, "trace records the iteration")
t.ok(rs.trace[5].f < rs.trace[1].f, "trace: f decreases")
t.ok(rs.trace[2].step > 0 and rs.trace[2].gnorm > 0,
     "trace records step and gnorm")
-- trace = N: at most N records, every stride-th iteration (the stride a
-- power of two) and the last; each the same as in the full trace.
local full = optim.minimize(quad, {0, 0, 0}, {method = "gd", lr = 0.001,
                                              maxiter = 1000, gtol = 0, trace = true})
local thin = optim.minimize(quad, {0, 0, 0}, {method = "gd", lr = 0.001,
                                              maxiter = 1000, gtol = 0, trace = 10})
local iters, same, stride = {}, true, 1
for i, r in ipairs(thin.trace) do
  iters[i] = r.iter
  local f = full.trace[r.iter]
  same = same and f.f == r.f and f.gnorm == r.gnorm and f.step == r.step
         and f.x[2] == r.x[2]
end
while thin.trace[1].iter % (2 * stride) == 0 do stride = 2 * stride end
t.is(#full.trace, 1000, "trace = true: every one of 1000 iterations")
t.is(table.concat(iters, ","), "128,256,384,512,640,768,896,1000",
     "trace = 10: every 128th iteration and the last")
t.is(stride, 128, "... a power of two as the stride")
t.ok(same, "... each record as in the full trace")
t.is(thin.trace[0].f, full.trace[0].f, "... and the start as trace[0]")
local short = optim.minimize(quad, {0, 0, 0}, {method = "gd", lr = 0.001,
                                               maxiter = 7, gtol = 0, trace = 10})
t.is(#short.trace, 7, "trace = 10 over 7 iterations: all of them")
for _, bad in ipairs{{1, "1"}, {2.5, "2.5"}, {"yes", "string"}} do
  t.error_like("bad argument #3 to 'minimize' (field 'trace' must be a boolean "
               .. "or an integer >= 2 (the most records to keep), got " .. bad[2] .. ")",
               optim.minimize, quad, {0, 0, 0}, {trace = bad[1]})
end
t.error_like("minimize: the schedule returned string at iteration 0",
  function() optim.minimize(quad, {0, 0, 0},
                            {method = "gd", lr = function() return "x" end}) end)

-- A schedule computed in C.
local sched = optim.schedule.exponential(0.1, 0.9)
local rc = optim.minimize(quad, {0, 0, 0}, {method = "momentum", lr = sched,
                                            maxiter = 6, gtol = 0, trace = true})
for k = 1, 6 do
  t.is(rc.trace[k].lr, sched(k - 1), "schedule object: the rate of iteration " .. k)
end
local S3 = optim.solver(quad, {0, 0, 0}, {method = "gd", lr = 0.1})
S3:set{lr = optim.schedule.step(0.2, 0.5, 2)}
local lrs = {}
for _ = 1, 4 do lrs[#lrs + 1] = S3:step().lr end
t.is(table.concat(lrs, ","), "0.2,0.2,0.1,0.1",
     "set{lr = schedule}: counted from the run's iteration")

-- maximize: the maximum of a concave function, f and grad as given.
local mx = optim.minimize(function(x) return -(x[1] - 1)^2 - (x[2] + 2)^2 + 5 end,
                          {0, 0}, {maximize = true, gtol = 1e-10})
t.is(mx.status, "converged", "maximize: converged")
near(mx.x, {1, -2}, 1e-8, "maximize: the maximiser")
t.close(mx.f, 5, 1e-14, "maximize: f is the function's own value")

-- Callback: a read-only view each iteration; true stops.
local iters = {}
local cb = optim.minimize(quad, {0, 0, 0}, {method = "adam", lr = 0.01,
  callback = function(s)
    iters[#iters + 1] = s.iter
    t.ok(s.x[1] == s.x[1] and s.f == s.f and s.gnorm >= 0 and s.lr == 0.01,
         "callback state at iteration " .. s.iter)
    return s.iter == 3
  end})
t.is(cb.status, "stopped", "callback returning true stops")
t.is(table.concat(iters, ","), "1,2,3", "callback runs after each iteration")
t.is(cb.iterations, 3, "stopped after 3 iterations")

-- ftol and xtol.
local ft = optim.minimize(quad, {0, 0, 0}, {method = "gd", lr = 0.05,
                                            ftol = 1e-6, gtol = 0})
t.is(ft.status, "converged", "ftol: converged")
t.ok(ft.message:find("ftol", 1, true) ~= nil, "ftol named in the message")
local xt = optim.minimize(quad, {0, 0, 0}, {method = "gd", lr = 0.05,
                                            xtol = 1e-6, gtol = 0})
t.ok(xt.message:find("xtol", 1, true) ~= nil, "xtol named in the message")

-- Reproducible to the bit: two runs, identical digits.
local function run()
  local r = optim.minimize(quad, {0.3, -0.7, 2}, {method = "adam", lr = 0.1,
                                                  maxiter = 100, gtol = 0})
  return string.format("%.17g %.17g %.17g %.17g", r.x[1], r.x[2], r.x[3], r.f)
end
t.is(run(), run(), "adam: bit-identical results in two runs")

-- A compiled function works as it is.
local F = slope.ad.compile(quad, 3)
local rf = optim.minimize(F, {0, 0, 0}, {method = "nesterov", lr = 0.05})
near(rf.x, xstar, 1e-6, "a compiled function minimised")

-- What kind of point: the Hessian's inertia, dense for small n.
t.is(r.kind, "minimum", "kind of a convex quadratic's minimiser")
near(r.eigenvalues, {1, 4, 9}, 1e-12, "the Hessian's eigenvalues, ascending")
t.close(r.curvature.min, 1, 1e-12, "curvature.min")
t.close(r.curvature.max, 9, 1e-12, "curvature.max")
local sad = optim.minimize(function(x) return x[1]^2 - x[2]^2 end, {1, 0},
                           {method = "gd", lr = 0.25})
t.is(sad.status, "converged", "gd stops where the gradient vanishes")
t.is(sad.kind, "saddle", "... and says it is a saddle")
t.is(mx.kind, "maximum", "maximize: the kind of the user's f, a maximum")
local deg = optim.minimize(function(x) return x[1]^4 + x[2]^2 end, {0, 1},
                           {method = "gd", lr = 0.25})
t.is(deg.kind, "degenerate", "a zero eigenvalue: degenerate")
t.is(optim.minimize(quad, {0, 0, 0}, {kind = false}).kind, nil,
     "kind = false skips the Hessian")
-- Large n: Lanczos on Hessian-vector products estimates the extremes.
local big = optim.minimize(function(x)
  local s = 0
  for i = 1, #x do s = s + i * x[i]^2 end
  return s
end, slope.vec(400, 1), {method = "nesterov", lr = 1e-3, maxiter = 20000})
t.is(big.kind, "minimum", "n = 400: kind from Lanczos")
t.is(big.eigenvalues, nil, "n = 400: no dense eigenvalues")
t.ok(big.curvature.min > 0 and big.curvature.min < 10
     and math.abs(big.curvature.max - 800) < 8,
     "n = 400: Lanczos brackets the spectrum [2, 800]",
     string.format("min %g max %g", big.curvature.min, big.curvature.max))

-- The observed order of convergence.
t.is(good.order, "linear", "gd on a quadratic converges linearly")
t.ok(good.order_estimate > 0.9 and good.order_estimate < 1.1,
     "... with an order estimate near 1")

-- Step-through solving: step, state, set, run, result.
local S = optim.solver(function(x) return (x[1] - 3)^2 + x[2]^2 end, {0, 0},
                       {method = "gd", lr = 0.1})
t.is(tostring(S), "optim.solver(gd, n=2, iter=0, f=9.0, running)",
     "tostring of a fresh solver")
local st = S:step()
t.is(st.iter, 1, "step(): one iteration")
t.close(st.f, 9 * 0.64, 1e-15, "step(): f after one step of lr 0.1")
t.is(st.status, "running", "step(): still running")
t.is(S:step(5).iter, 6, "step(5): five more")
t.is(S:state().iter, 6, "state() reads without stepping")
t.is(S:result().status, "running", "result() before the end: running")
t.is(S:set{lr = 0.5}, S, "set{} returns the solver")
t.is(S:step().lr, 0.5, "set{lr}: the new rate is used")
local res = S:run()
t.is(res.status, "converged", "run(): to the end")
near(res.x, {3, 0}, 1e-8, "run(): the minimiser")
t.is(S:result().iterations, res.iterations, "result() after run()")
t.is(S:step().iter, res.iterations, "step() after the end does nothing")
local S2 = optim.solver(quad, {0, 0, 0}, {method = "adam", lr = 0.05,
                                          maxiter = 10})
t.is(S2:run().status, "maxiter", "solver: maxiter")
S2:set{maxiter = 100000, gtol = 1e-9, lr = 0.02}
t.is(S2:run().status, "converged", "set{maxiter}: the run goes on")
t.error_like("bad argument #3 to 'solver' (field 'momentum' must be in [0, 1], got 2.0)",
             function() optim.solver(quad, {0, 0, 0}, {momentum = 2}) end)
t.error_like("bad argument #1 to 'set' (field 'lr' must be positive)",
             function() S2:set{lr = -1} end)
t.is(optim.minimize(quad, {0, 0, 0}, {method = "gd", lr = 0.2}).x[2],
     optim.solver(quad, {0, 0, 0}, {method = "gd", lr = 0.2}):run().x[2],
     "minimize is the solver run to the end")

-- Errors name the function and the argument.
t.error_like("bad argument #1 to 'minimize' (function expected, got nil)",
             function() optim.minimize(nil, {1}) end)
t.error_like("bad argument #2 to 'minimize'",
             function() optim.minimize(quad, "x") end)
t.error_like("bad argument #3 to 'minimize' (table expected, got number)",
             function() optim.minimize(quad, {0, 0, 0}, 5) end)
t.error_like("bad argument #3 to 'minimize' (field 'method' must be one of gd, momentum, nesterov, adagrad, rmsprop, adam, adamw",
             function() optim.minimize(quad, {0, 0, 0}, {method = "sgdx"}) end)
t.error_like("bad argument #3 to 'minimize' (field 'lr' must be positive, got -1.0)",
             function() optim.minimize(quad, {0, 0, 0}, {lr = -1}) end)
t.error_like("bad argument #3 to 'minimize' (field 'gtol' must be a number, got string)",
             function() optim.minimize(quad, {0, 0, 0}, {gtol = "small"}) end)
t.error_like("bad argument #3 to 'minimize' (field 'callback' must be a function, got number)",
             function() optim.minimize(quad, {0, 0, 0}, {callback = 1}) end)
t.error_like("bad argument #3 to 'minimize' (field 'gradient' must be \"auto\", \"ad\" or \"numeric\")",
             function() optim.minimize(quad, {0, 0, 0}, {gradient = "exact"}) end)

-- A function that cannot be traced: numerical derivatives, as a fallback
-- the message reports, or when asked; gradient = "ad" refuses.
local function branchy(x)
  if x[1] > 0 then return (x[1] - 2)^2 + (x[2] + 1)^2 end
  return x[1]^2 + 4 + (x[2] + 1)^2
end
t.error_like("ad: comparison of a traced value",
             function() optim.minimize(branchy, {1, 1}, {gradient = "ad"}) end)
local fb = optim.minimize(branchy, {1, 1}, {method = "bfgs"})
t.is(fb.status, "converged", "untraceable f: minimised all the same")
t.is(fb.gradient, "numeric", "untraceable f: result.gradient says numeric")
near(fb.x, {2, -1}, 1e-7, "untraceable f: the minimiser")
t.ok(fb.message:find("could not be traced", 1, true) ~= nil
     and fb.message:find("comparison of a traced value", 1, true) ~= nil,
     "the message says numerical derivatives were used, and why", fb.message)
t.is(fb.kind, "minimum", "untraceable f: the kind, from a numerical Hessian")
local fn = optim.minimize(quad, {0, 0, 0}, {gradient = "numeric",
                                            method = "lbfgs"})
t.is(fn.gradient, "numeric", "gradient = \"numeric\" on a traceable f")
near(fn.x, xstar, 1e-7, "numeric gradients: the minimiser")
t.ok(fn.message:find("traced", 1, true) == nil,
     "asked for: no fallback note", fn.message)
t.is(optim.minimize(quad, {0, 0, 0}).gradient, "ad", "traced: gradient ad")
t.error_like("boom", function()
  optim.minimize(function(x) error("boom") end, {1}, {gradient = "numeric"})
end)
t.error_like("minimize: f returned nil, not a number", function()
  optim.minimize(function(x) end, {1}, {gradient = "numeric"})
end)

t.done()
