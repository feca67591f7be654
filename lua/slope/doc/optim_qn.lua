-- doc/optim_qn.lua: help entries for the methods "bfgs", "lbfgs" and "cg"
-- of slope.optim.minimize.
return function(register)

local linesearch = [[
Line search: the strong Wolfe conditions, f(x + t d) <= f(x) + c1 t g'd
and |g(x + t d)'d| <= c2 |g'd| (opts.c1, default 1e-4; opts.c2, default
0.9, for cg 0.1; 0 < c1 < c2 < 1), found as in Nocedal & Wright,
Algorithms 3.5 and 3.6: the step grows (by 1.1 to 4 times, by cubic
extrapolation) until it brackets an acceptable one, then the bracket
shrinks by safeguarded cubic interpolation (exact on a quadratic), with
bisection when it shrinks too slowly. Near a minimiser, where f changes
by less than its rounding error (1e-12 |f|), slopes decide instead of
values (Hager & Zhang's approximate Wolfe conditions), so gtol far below
sqrt(machine epsilon) is still reached. At most 30 evaluations of f and
g per search; if none is acceptable the method resets itself once (see
below), and a second failure ends the run with status
"line_search_failed" and the best point seen. The other options of
minimize apply (gtol, ftol, xtol, maxiter, maximize, trace, callback
...); lr is not used.]]

register("slope.optim.method.bfgs", {
  signature = 'optim.minimize(f, x0, {method = "bfgs"})',
  summary = "BFGS: a dense quasi-Newton approximation of the inverse Hessian.",
  text = [[
Each iteration steps along d = -H g, where H approximates the inverse
Hessian from the changes s = x+ - x and y = g+ - g (Nocedal & Wright,
6.17); the first trial step is t = 1, so near a minimum convergence is
superlinear. H starts as the identity (the first step at most 1 long)
and is rescaled to (s'y / y'y) I after the first step (6.20). A pair
with s'y <= 1e-10 |s| |y| would spoil H and is skipped. When the line
search fails, or d is not a descent direction, H is reset to
(s'y / y'y) I and the search tried once more along -H g;
result.notes.restarted is then set. Cost: n^2 doubles of memory and
O(n^2) per iteration; for large n use lbfgs.]]
  .. "\n\n" .. linesearch,
  example = [[
> rosen = function(x) return 100*(x[2]-x[1]^2)^2 + (1-x[1])^2 end
> r = optim.minimize(rosen, {-1.2, 1}, {method = "bfgs"})
> r.status, r.x, r.iterations, r.evaluations.f
converged	vec{1, 1}	37	45
> r = optim.minimize(function(x) return 2.385 - (x[1] - 1.25)^2 - 3*(x[2] + 0.75)^2 - 0.5*(x[1] - x[2])^2 end, {0, 0}, {method = "bfgs", maximize = true})
> r.x, r.f, r.iterations
vec{0.65, -0.55}	1.185	8]],
  see = { "slope.optim.method.lbfgs", "slope.optim.method.cg",
          "slope.optim.minimize" },
})

register("slope.optim.method.lbfgs", {
  signature = 'optim.minimize(f, x0, {method = "lbfgs", memory = 10})',
  summary = "L-BFGS: BFGS from the last few steps, for many variables.",
  text = [[
Limited-memory BFGS (Nocedal & Wright, Algorithm 7.4): instead of a
dense H it keeps the last opts.memory pairs s = x+ - x, y = g+ - g
(an integer from 1 to 1e6, default 10) and applies H to g by the
two-loop recursion, starting from (s'y / y'y) I of the newest pair. The
safeguards are those of bfgs: the first step at most 1 long, the trial
step 1 after that, pairs with s'y <= 1e-10 |s| |y| skipped, and on a
failed line search the pairs are forgotten and the search tried once
more along -(s'y / y'y) g (result.notes.restarted). Cost: 2 memory n
doubles and O(memory n) per iteration; more pairs usually mean fewer
iterations.]]
  .. "\n\n" .. linesearch,
  example = [[
> big = function(x) local s = 0 for i = 1, #x, 2 do s = s + 100*(x[i+1]-x[i]^2)^2 + (1-x[i])^2 end return s end
> x0 = {} for i = 1, 1000, 2 do x0[i], x0[i+1] = -1.2, 1 end
> r = optim.minimize(big, x0, {method = "lbfgs"})
> r.status, r.iterations, r.evaluations.f, r.f
converged	34	40	2.4418526801216e-20
> r = optim.minimize(big, x0, {method = "lbfgs", memory = 3})
> r.status, r.iterations, r.evaluations.f, r.f
converged	38	48	5.2796746724423e-18]],
  see = { "slope.optim.method.bfgs", "slope.optim.method.cg",
          "slope.optim.minimize" },
})

register("slope.optim.method.cg", {
  signature = 'optim.minimize(f, x0, {method = "cg", variant = "pr"})',
  summary = "Nonlinear conjugate gradients: a few vectors of memory.",
  text = [[
Nocedal & Wright, section 5.2: d = -g + beta d_prev, with beta of
Polak-Ribiere+ (opts.variant = "pr", the default: max(0, g'(g - g_prev)
/ |g_prev|^2)) or Fletcher-Reeves ("fr": |g|^2 / |g_prev|^2). Every n
iterations d restarts as -g; so it does when d is not a descent
direction, and then result.notes.restarted is set. The first trial step
repeats the last step's decrease: t = t_prev g_prev'd_prev / g'd. The
line search runs with c2 = 0.1 unless opts.c2 says otherwise and, where
f looks quadratic along d, spends one more evaluation on a secant step
on the slope, so that on a quadratic every step is exact and cg, like
linear CG, ends in at most n iterations (in floating point, as long as
the condition number is moderate: about 1e-11 of the first gradient is
left after n steps at condition number 200, 1e-7 at 2000). It costs
about 3 evaluations per iteration where bfgs takes 1 or 2, but only 5
vectors of n doubles of memory.]]
  .. "\n\n" .. linesearch,
  example = [[
> q = function(x) return 2.5*x[1]^2 + x[1]*x[2] + 0.75*x[2]^2 + 0.3*x[2]*x[3] + 4*x[3]^2 - x[1] + 2*x[3] end
> r = optim.minimize(q, {0, 0, 0}, {method = "cg", gtol = 1e-10})
> r.status, r.x, r.iterations, r.evaluations.f, r.gnorm
converged	vec{0.219399, -0.0969932, -0.246363}	3	7	1.1642101337064e-15
> rosen = function(x) return 100*(x[2]-x[1]^2)^2 + (1-x[1])^2 end
> r = optim.minimize(rosen, {-1.2, 1}, {method = "cg"})
> r.status, r.x, r.iterations, r.evaluations.f, r.notes.restarted
converged	vec{1, 1}	34	99	true]],
  see = { "slope.optim.method.lbfgs", "slope.optim.method.bfgs",
          "slope.optim.minimize" },
})

end
