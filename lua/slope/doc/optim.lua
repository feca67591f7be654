-- doc/optim.lua: help entries for slope.optim's driver, result and solver
-- objects (the methods and schedules have their own files).
return function(register)

register("slope.optim", {
  aliases = { "optim" },
  signature = 'optim = require "slope.optim"',
  summary = "Minimisation: one driver loop in C, methods that plug into it.",
  text = [[
optim.minimize(f, x0, opts) traces f once (slope.ad) and runs a method in
C with no Lua in the loop; optim.solver(f, x0, opts) is the same run
stepped through by hand. Methods: gd (Armijo backtracking by default, or
a fixed rate or schedule), momentum, nesterov, adagrad, rmsprop, adam,
adamw. Learning rates: a number, an optim.schedule, or any Lua function
k -> lr (k = 0 for the first iteration).]],
  example = [[
> r = optim.minimize(function(x) return (x[1]-1)^2 + 10*(x[2]+2)^2 end, {0, 0})
> r.status, r.x, r.f, r.iterations, r.kind
converged	vec{1, -2}	1.3129739172137e-13	65	minimum]],
  see = { "slope.optim.minimize", "slope.optim.solver",
          "slope.optim.schedule" },
})

register("slope.optim.minimize", {
  signature = "optim.minimize(f, x0 [, opts])",
  summary = "Minimise f from x0; returns a result table.",
  text = [[
f(x) returns a number and is traced once (a compiled ad.compile function
works as it is). opts: method ("gd"), lr, momentum (0.9), beta1 (0.9),
beta2 (0.999; rmsprop's decay 0.9), eps (1e-8), weight_decay (adamw,
0.01); gtol (1e-6, on the gradient's 2-norm), ftol and xtol (0: off),
maxiter (10000), maxtime (seconds), maximize, trace, callback(state)
(after every iteration, with iter, x, f, gnorm, lr; returning true stops
the run), kind = false (skip the Hessian inertia).

The result: x, f, grad, gnorm at the point returned; iterations;
evaluations = {f, grad, hess}; status: "converged", "maxiter", "maxtime",
"stopped", "interrupted" (Ctrl-C), "diverged", "nan" or
"line_search_failed", with a message; method; time; lr (the last rate);
trace (one {iter, f, gnorm, step, lr} per iteration, with opts.trace);
order ("linear", "superlinear", "quadratic" or "unknown", observed on the
last gradient norms) and order_estimate; kind ("minimum", "maximum",
"saddle", "degenerate") from the Hessian's eigenvalues, listed in
eigenvalues for n <= 200 (Lanczos estimates of the extremes in curvature
beyond); notes. A run that diverges or meets NaN returns the best finite
point it saw, and the message suggests a smaller learning rate.]],
  example = [[
> r = optim.minimize(function(x) return x[1]^2 - x[2]^2 end, {1, 0})
> r.status, r.kind, r.eigenvalues
converged	saddle	vec{-2, 2}]],
  see = { "slope.optim.solver", "slope.optim.schedule" },
})

register("slope.optim.solver", {
  signature = "optim.solver(f, x0 [, opts])",
  summary = "A run to step through: step, state, set, run, result.",
  text = [[
Takes the arguments of minimize and returns the run before its first
iteration. S:step([k]) runs k iterations (1) and returns the state
{iter, x, f, gnorm, lr, status}; S:state() returns it without stepping;
S:set{lr = ..., momentum = ..., beta1 = ..., beta2 = ..., eps = ...,
weight_decay = ..., maxiter = ..., gtol = ...} changes hyper-parameters
mid-run (a larger maxiter resumes a run that hit it); S:run() goes on to
the end and returns the result; S:result() returns it at any time
(status "running" before the end). minimize(f, x0, opts) is
solver(f, x0, opts):run().]],
  example = [[
> S = optim.solver(function(x) return (x[1]-3)^2 + x[2]^2 end, {0, 0}, {method = "gd", lr = 0.1})
> S:step(11).f
0.066408278665354
> S:set{lr = 0.5}
optim.solver(gd, n=2, iter=11, f=0.066408278665354, running)
> S:run().status
converged]],
})

local methods = {
  step = { "S:step([k])", "Run k more iterations (1); returns the state." },
  state = { "S:state()", "The state {iter, x, f, gnorm, lr, status}." },
  set = { "S:set{lr = ..., ...}", "Change hyper-parameters mid-run; returns S." },
  run = { "S:run()", "Iterate to the end; returns the result table." },
  result = { "S:result()", "The result table now (status \"running\" before the end)." },
}
for name, e in next, methods do
  register("solver:" .. name, {
    aliases = { "S:" .. name, "optim.solver:" .. name },
    paths = { "optim.solver:" .. name },
    module = "slope.optim.solver",
    signature = e[1], summary = e[2],
    see = { "slope.optim.solver" },
  })
end

end
