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
stepped through by hand; optim.sgd trains on minibatches of data;
optim.minimize_scalar minimises a function of one number. Methods (lbfgs
by default): gd
(Armijo backtracking by default, or a fixed rate or schedule), momentum,
nesterov, adagrad, rmsprop, adam, adamw; bfgs, lbfgs and cg (strong Wolfe
line search); newton (modified Hessian, line search), newton-cg
(Hessian-vector products only) and nelder-mead (no derivatives).
Learning rates: a number, an optim.schedule, or any Lua function k -> lr
(k = 0 for the first iteration). A function that cannot be traced is
minimised with numerical derivatives, and the result says so.]],
  example = [[
> r = optim.minimize(function(x) return (x[1]-1)^2 + 10*(x[2]+2)^2 end, {0, 0})
> r.status, r.x, r.f, r.iterations, r.kind
converged	vec{1, -2}	1.3129739172137e-13	65	minimum]],
  see = { "slope.optim.minimize", "slope.optim.solver",
          "slope.optim.sgd", "slope.optim.schedule",
          "slope.optim.minimize_scalar" },
})

register("slope.optim.minimize", {
  signature = "optim.minimize(f, x0 [, opts])",
  summary = "Minimise f from x0; returns a result table.",
  text = [[
f(x) returns a number and is traced once (a compiled ad.compile function
works as it is); opts.gradient = "ad" insists on that, "numeric" calls f
through Lua with central differences, and "auto" (the default) falls back
to them when f cannot be traced (result.gradient says which, and the
message why). opts: method ("lbfgs", or bfgs, cg, newton, newton-cg,
nelder-mead, gd, momentum, nesterov, adagrad, rmsprop, adam, adamw: see
help "slope.optim.method.NAME"), lr, momentum (0.9), beta1 (0.9),
beta2 (0.999; rmsprop's decay 0.9), eps (1e-8), weight_decay (adamw,
0.01); gtol (1e-6, on the gradient's 2-norm), ftol and xtol (0: off),
maxiter (10000), maxtime (seconds), maximize, trace, callback(state)
(after every iteration, with iter, x, f, gnorm, lr; returning true stops
the run), kind = false (skip the Hessian inertia), progress (a line on
the terminal, redrawn in place: nil shows it once a run on a terminal
passes a second, true always, false never). Constraints: eq =
{c1, ...} (c(x) = 0), ineq = {g1, ...} (g(x) >= 0), lower, upper (numbers
or vectors; with bounds only lbfgs projects onto the box), ctol (1e-8,
feasibility); the result then carries multipliers and kkt: see help
"slope.optim.constraints".

The result: x, f, grad, gnorm at the point returned; iterations;
evaluations = {f, grad, hess}; status: "converged", "maxiter", "maxtime",
"stopped", "interrupted" (Ctrl-C), "diverged", "nan" or
"line_search_failed", with a message; method; gradient ("ad" or
"numeric"); time; lr (the last rate, for the methods that step by one);
trace (one {iter, f, gnorm, step, lr, x} per iteration, with opts.trace
= true; x for n <= 100; trace[0] is the start, which # and ipairs skip;
opts.trace = N keeps at most N records however long the run: every
stride-th iteration, the stride doubling as needed, and the last);
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

register("slope.optim.sgd", {
  signature = "optim.sgd(loss, x0, data [, opts])",
  summary = "Minibatch training: loss traced once, batches fed to the tape.",
  text = [[
data is a mat, a vec, or a list of them with the same number of rows
(samples), e.g. {X, y}; loss(x, Xb, yb) gets each item's rows of the
current batch (mats of batch rows, vecs of batch entries) and returns the
batch's loss. It is traced once on batch-sized buffers (and once more for
a shorter last batch), so every step runs in C: the sampled rows are
copied into the buffers and the method takes one gradient.

opts: batch (32), epochs (10), seed (0: the rows are reshuffled every
epoch by a GSL mt19937 generator seeded with it, so a run is reproducible
to the bit), method and its hyper-parameters as in minimize ("gd", plain
SGD, by default), lr (0.01 for gd; a number, schedule or function of the
step),
trace = true for one {epoch, loss} record per epoch (trace = N: at most
N of them and the last, thinned as minimize's). gtol applies only if
given. The result is minimize's, at the last point, with epochs and loss
(the mean batch loss of each epoch); status "converged" with message "all
epochs done", or "diverged"/"nan" with the last finite point.]],
  example = [[
> X = slope.mat{{1, 0}, {0, 1}, {1, 1}, {2, 1}}
> y = slope.vec{1, -1, 0, 1}
> r = optim.sgd(function(w, Xb, yb)
>>   local s = 0
>>   for i = 1, #yb do s = s + (Xb[i]:dot(w) - yb[i])^2 end
>>   return s / #yb
>> end, {0, 0}, {X, y}, {lr = 0.1, batch = 2, epochs = 200, seed = 1})
> r.status, r.x
converged	vec{1, -1}]],
  see = { "slope.optim.minimize", "slope.data.csv" },
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
