-- doc/optim_newton.lua: help entries for the methods "newton",
-- "newton-cg" and "nelder-mead" of slope.optim.minimize.
return function(register)

local linesearch = [[
The step is x + t d with t from Armijo backtracking: the full step t = 1
first (taken near a minimum, which keeps Newton's fast local
convergence), then safeguarded quadratic interpolation within [0.1 t, 0.5 t] until f(x + t d) <= f(x) +
c1 t g'd, c1 = 1e-4; after 60 trials the run ends with status
"line_search_failed" and the best point. The other options of minimize
apply (gtol, maxiter, maximize, trace, callback ...); lr is not used.]]

register("slope.optim.method.newton", {
  signature = 'optim.minimize(f, x0, {method = "newton"})',
  summary = "Damped Newton with the exact Hessian, modified when indefinite.",
  text = [[
Each iteration evaluates the dense Hessian H of the traced f (one entry
of evaluations.hess) and scales it symmetrically to a unit diagonal
(equilibrated instead where an off-diagonal entry would exceed 1), so
that what follows does not depend on the units of x: a badly scaled H
is not mistaken for a singular one. If Cholesky succeeds, H is positive
definite and d is Newton's step, solving H d = -g; a convex quadratic is
solved in one iteration. Otherwise result.notes.hessian_modified is set
and H is modified, scaled instead by the largest |h_ii| of the run (so
that a curvature falling to 0 shows as small). For n <= 500, H = Q
diag(lambda) Q' has each lambda_i replaced by max(|lambda_i|, delta):
the step turns away from negative curvature and stays finite; delta is
the larger of 1e-8 max|lambda| and |lambda_min|, so that no direction
counts as flatter than the most negative one. For larger n, tau I is
added, tau from 1e-3 (or more, to make the diagonal positive) doubling
until Cholesky succeeds (Nocedal & Wright, Algorithm 3.3).

Newton's step goes to the strong Wolfe line search of bfgs (opts.c1,
1e-4, and opts.c2, 0.9) from t = 1. A modified direction starts at the
minimum of the quadratic model of f along it, cut to a radius as in a
trust region (doubled when the model predicted the last step's decrease
well, quartered when it did not), then backtracks (Armijo). When f stops
falling (no step changes x, or f level to rounding for 3 iterations),
the run ends with status "line_search_failed" and the best point. The
other options of minimize apply (gtol, maxiter, maximize, trace,
callback ...); lr is not used.

At a saddle (gradient below gtol, a negative Hessian eigenvalue) the
driver calls the method's escape: the least eigenvalue (Householder
tridiagonalisation and bisection) and its eigenvector (inverse
iteration), then a step along it, whichever sign lowers f more, halved
from 1 until f drops by at least 1e-4 of what the curvature predicts;
result.notes.negative_curvature is set and the run goes on. Cost: n^2
doubles of memory and O(n^3) per iteration; for large n use newton-cg.]],
  example = [[
> rosen = function(x) return 100*(x[2]-x[1]^2)^2 + (1-x[1])^2 end
> r = optim.minimize(rosen, {-1.2, 1}, {method = "newton"})
> r.status, r.x, r.iterations, r.evaluations.hess
converged	vec{1, 1}	21	21
> r = optim.minimize(function(x) return x[1]^4 - x[1]^2 + x[2]^2 end, {0.1, 0.3}, {method = "newton"})
> r.x, r.f, r.notes.hessian_modified
vec{0.707107, -2.6988e-79}	-0.25	true]],
  see = { "slope.optim.method.newton-cg", "slope.optim.minimize" },
})

register("slope.optim.method.newton-cg", {
  signature = 'optim.minimize(f, x0, {method = "newton-cg"})',
  summary = "Truncated Newton: conjugate gradients on Hessian-vector products.",
  text = [[
Line-search Newton-CG (Nocedal & Wright, Algorithm 7.1): the Hessian is
never formed, only products H v by forward-over-reverse differentiation
(each one counted in evaluations.hess), so memory is a few vectors of n.
An inner CG solves H d = -g from d = 0 until the residual is below
min(0.5, sqrt|g|) |g| (superlinear convergence near a minimum), or for
at most 2n + 10 steps. If it meets a direction of non-positive curvature
it stops with the d it has, or, on its first step, the steepest descent
direction -g scaled by |g|^2 / |g'Hg|; result.notes.hessian_modified is
then set. On a badly conditioned H that d can lie in the stiff
directions only and be too short to change f: after such a step the
tolerance is cut a thousandfold (and grows back tenfold with each step
that lowers f), so that CG reaches the rest; after five stalls in a row
the run ends with status "line_search_failed" and the best point.]]
  .. "\n\n" .. linesearch .. "\n\n" .. [[
At a saddle the escape runs CG on H z = b for a fixed spread-out b until
a search direction of negative curvature appears, and steps along it as
newton does (result.notes.negative_curvature).]],
  example = [[
> rosen = function(x) return 100*(x[2]-x[1]^2)^2 + (1-x[1])^2 end
> r = optim.minimize(rosen, {-1.2, 1}, {method = "newton-cg"})
> r.status, r.x, r.iterations, r.evaluations.hess
converged	vec{1, 1}	78	136
> r = optim.minimize(function(x) return x[1]^4 - x[1]^2 + x[2]^2 end, {0, 0.5}, {method = "newton-cg"})
> r.x, r.f, r.notes.negative_curvature
vec{0.707107, -2.16841e-19}	-0.25	true]],
  see = { "slope.optim.method.newton", "slope.optim.minimize" },
})

register("slope.optim.method.nelder-mead", {
  signature = 'optim.minimize(f, x0, {method = "nelder-mead"})',
  summary = "The Nelder-Mead simplex: no derivatives, for non-smooth f.",
  text = [[
Only values of f are used (the driver still takes the gradient at x0
and at the point returned, for result.grad; gtol is ignored), so f may
have kinks, like |x|. The first simplex is x0 and n points with one
coordinate of x0 scaled by 1.05 (set to 0.00025 where it is 0), as in
scipy. Each iteration is one reflection, expansion, contraction or
shrink, with the adaptive parameters of Gao & Han (2012): reflection 1,
expansion 1 + 2/n, contraction 0.75 - 1/(2n), shrink 1 - 1/n (for n = 1
the classic 1, 2, 1/2, 1/2). x and f are the best vertex, which never
gets worse. The run converges when every vertex is within
1e-8 (1 + |x_i|) of the best x in each coordinate i and the f values
within 1e-8 (1 + |f|) of the best f; maxiter counts iterations, not evaluations
(about 2 per iteration, n + 1 for a shrink).]],
  example = [[
> r = optim.minimize(function(x) return math.abs(x[1] - 0.7) + math.abs(x[2] + 1.3) end, {2.1, 0.4}, {method = "nelder-mead"})
> r.status, r.x, r.iterations, r.evaluations.f
converged	vec{0.7, -1.3}	88	170
> rosen = function(x) return 100*(x[2]-x[1]^2)^2 + (1-x[1])^2 end
> r = optim.minimize(rosen, {-1.2, 1}, {method = "nelder-mead"})
> r.status, r.x, r.iterations, r.evaluations.f
converged	vec{1, 1}	112	213]],
  see = { "slope.optim.method.newton", "slope.optim.minimize" },
})

end
