-- doc/constrained.lua: help entries for constrained minimisation:
-- opts.eq / ineq / lower / upper of slope.optim.minimize, the methods
-- "auglag" and "newton-kkt", optim.lagrange and optim.qp.
return function(register)

register("slope.optim.constraints", {
  aliases = { "constraints", "slope.optim.constrained" },
  signature = "optim.minimize(f, x0, {eq = {c1, ...}, ineq = {g1, ...}, "
              .. "lower = l, upper = u, ctol = 1e-8})",
  summary = "Constrained minimisation: equalities, inequalities, bounds; "
            .. "multipliers and the KKT report.",
  text = [[
minimise f(x)  subject to  c_i(x) = 0 (opts.eq), g_j(x) >= 0 (opts.ineq),
lower <= x <= upper.

Every constraint is an ordinary Lua function of x returning a number,
traced once like f (a compiled ad.compile function works as it is); the
methods run in C with no Lua in the loop. opts.lower and opts.upper are
numbers (the same bound for every variable) or vectors / arrays of #x0
numbers; -math.huge and math.huge mean no bound. A start outside the box
is projected into it.

Methods: with bounds only, "lbfgs" (the default) is L-BFGS projected onto
the box (the free variables move along the L-BFGS direction, the others
stay at their bound, an Armijo search along the projected path), and gd,
momentum, nesterov, adagrad, rmsprop, adam and adamw project after each
step; gnorm is then the norm of the projected gradient x - P(x - g). With
inequalities the default is "auglag"; with equalities only (and no
bounds) "newton-kkt", with "auglag" as the fallback when it fails. "sqp"
and "barrier" are named here too, where built. Other methods with
constraints or bounds are an error.

opts: ctol (1e-8: the largest constraint or bound violation accepted),
gtol (1e-6: the max-norm of the gradient of the Lagrangian, relative to
max(1, |grad f|)), maxiter (outer iterations: 100 for auglag, 200 for
newton-kkt), maxinner (inner iterations per outer one, 2000), memory
(L-BFGS pairs, 10), maxtime, maximize, trace (true, or N to keep at most
N records, thinned as minimize's), callback(state) (once per
outer iteration, state with iter, x, f, gnorm, infeasibility; return true
to stop).

The result adds to minimize's: multipliers = {eq = vec, ineq = vec,
lower = vec, upper = vec} and kkt = {primal, stationarity,
complementarity} (max-norms at the point returned). Sign convention, for
a minimisation:
  grad f = sum lambda_i grad c_i + sum mu_j grad g_j + lower - upper,
with mu >= 0, lower >= 0, upper >= 0 (zero where the bound is inactive or
absent), and mu_j g_j = 0. Each multiplier is a price: for a constraint
h(x) = b written c(x) = h(x) - b, lambda = d f* / d b, the rate at which
the optimal value moves with the right-hand side. With maximize = true the
multipliers are reported so that they are still d f* / d b for the f the
user maximises (so mu <= 0 there). evaluations also counts cons
(constraint values) and jac (Jacobians).

status "converged" only when all three KKT residuals meet the
tolerances; "infeasible" when no feasible point was found (x is the least
infeasible point: the run minimised the violation once the penalty grew
past 1e12 with the violation stalled); "unbounded" when f fell below -1e20
at feasible points; otherwise "maxiter", "maxtime", "stopped",
"interrupted" (Ctrl-C) or "line_search_failed", always with the best
point found.]],
  example = [[
> r = optim.minimize(function(x) return x[1]*x[2] end, {1, 2}, {eq = {function(x) return x[1] + x[2] - 10 end}, maximize = true})
> r.status, r.method, r.x, r.f, r.multipliers.eq[1]
converged	newton-kkt	vec{5, 5}	25.0	5.0
> r = optim.minimize(function(x) return (x[1]-2)^2 + (x[2]-1)^2 end, {0, 0}, {ineq = {function(x) return 1 - x[1] - x[2] end, function(x) return x[1] + 5 end}})
> r.status, r.method, r.multipliers.ineq
converged	auglag	vec{2, 0}
> r = optim.minimize(function(x) return 100*(x[2]-x[1]^2)^2 + (1-x[1])^2 end, {-1.2, 1}, {upper = {0.5, math.huge}})
> r.status, r.method, r.x, r.multipliers.upper
converged	lbfgs	vec{0.5, 0.25}	vec{1, 0}]],
  see = { "slope.optim.method.auglag", "slope.optim.method.newton-kkt",
          "slope.optim.lagrange", "slope.optim.qp", "slope.optim.minimize" },
})

register("slope.optim.method.auglag", {
  aliases = { "auglag" },
  signature = 'optim.minimize(f, x0, {method = "auglag", ineq = {...}})',
  summary = "Augmented Lagrangian: the robust method for inequalities.",
  text = [[
Powell-Hestenes-Rockafellar augmented Lagrangian (Nocedal & Wright 17.4;
Birgin & Martinez, ALGENCAN). Each outer iteration minimises, within the
bounds, by the projected L-BFGS,
  f - sum_i (lambda_i c_i - rho/2 c_i^2)
    + 1/(2 rho) sum_j (max(0, mu_j - rho g_j)^2 - mu_j^2)
(inequalities without slack variables) to a tolerance that falls tenfold
per outer iteration down to gtol; then lambda <- lambda - rho c,
mu <- max(0, mu - rho g), and rho (10 at first) grows tenfold only when
the violation max(|c|, |min(g, mu/rho)|) did not halve. Once the point is
nearly feasible and stationary, Newton's method on the KKT system of the
active set (exact Hessian of the Lagrangian from the tapes) polishes x and
the multipliers to rounding; the polish is kept only if all the KKT
conditions then hold. Infeasible problems end with status "infeasible"
and the least infeasible point, unbounded ones with "unbounded".
result.inner_iterations counts the L-BFGS steps.]],
  example = [[
> r = optim.minimize(function(x) return x[1]^2 + x[2]^2 end, {3, 1}, {method = "auglag", ineq = {function(x) return x[1] + x[2] - 2.5 end}})
> r.status, r.x, r.multipliers.ineq[1]
converged	vec{1.25, 1.25}	2.5]],
  see = { "slope.optim.constraints", "slope.optim.method.newton-kkt" },
})

register("slope.optim.method.newton-kkt", {
  aliases = { "newton-kkt" },
  signature = 'optim.minimize(f, x0, {method = "newton-kkt", eq = {...}})',
  summary = "Newton's method on the KKT system of equality constraints.",
  text = [[
For equality constraints only (no inequalities, no bounds): each
iteration solves the (n + m) KKT system
  [ W  -J' ] [ d ]   [ -grad f ]
  [ J   0  ] [ y ] = [ -c      ]
with W the exact Hessian of the Lagrangian f - y'c (from the tapes) and
J the constraints' Jacobian, by LU. When the system is singular, or W is
not positive along the part of d tangent to the constraints (the step
would head for a saddle or a maximum), W is shifted by delta I (and the
lower block by a small -delta I) until it is. The step is damped by
backtracking on the l1 merit function f + nu |c|_1. Near a solution
convergence is quadratic and the multipliers come out exact to rounding.
The default for problems with equalities only; when it fails there, the
run falls back to auglag from x0.]],
  example = [[
> r = optim.minimize(function(x) return x[1]^2 + x[2]^2 end, {0, 0}, {method = "newton-kkt", eq = {function(x) return x[1] + 2*x[2] - 4.7 end}})
> r.status, r.x, r.multipliers.eq[1], r.iterations
converged	vec{0.94, 1.88}	1.88	1]],
  see = { "slope.optim.lagrange", "slope.optim.constraints" },
})

register("slope.optim.lagrange", {
  aliases = { "lagrange", "optim.lagrange" },
  signature = "optim.lagrange(f, {c1, ...}, x0 [, opts])",
  summary = "Extremes of f on c_i(x) = 0 by Lagrange multipliers.",
  text = [[
The method of Lagrange multipliers, solved numerically: the stationary
points of L(x, lambda) = f(x) - sum lambda_i c_i(x), found by Newton's
method on grad L = 0 (method "newton-kkt"; see its entry). The same
result table as optim.minimize with opts.eq = {c1, ...}; opts as there
(maximize = true for a maximum).

The multiplier is a price. For a constraint h(x) = b, written
c(x) = h(x) - b, lambda = d f* / d b: how fast the optimal value changes
when the constraint is relaxed. Maximising xy with x + y = b gives
f* = b^2/4 and lambda = b/2: at b = 10 one more unit of b is worth about
5 more of f.]],
  example = [[
> r = optim.lagrange(function(x) return x[1]^2 + x[2]^2 end, {function(x) return x[1] + 2*x[2] - 4.7 end}, {0, 0})
> r.x, r.f, r.multipliers.eq[1]
vec{0.94, 1.88}	4.418	1.88]],
  see = { "slope.optim.method.newton-kkt", "slope.optim.constraints" },
})

register("slope.optim.qp", {
  aliases = { "qp", "optim.qp" },
  signature = "optim.qp{H =, c =, A_eq =, b_eq =, A_ineq =, b_ineq =, "
              .. "A_ub =, b_ub =, lower =, upper =, x0 =, maximize =}",
  summary = "Quadratic programs: minimise 1/2 x'Hx + c'x under linear "
            .. "constraints.",
  text = [[
minimise 1/2 x'Hx + c'x  subject to  A_eq x = b_eq, A_ineq x >= b_ineq,
A_ub x <= b_ub, lower <= x <= upper.

c is required (its length is n); H (n x n, symmetric; absent: a linear
objective) and the constraint matrices are mats or tables of rows, the
right-hand sides vectors or arrays. No Lua is traced: the problem goes to
the constrained methods as C callbacks (auglag by default, newton-kkt
with equalities only and no bounds; the other options of the constrained
minimize apply: method, ctol, gtol, maxiter, maximize). x0 defaults to 0
projected into the bounds. The result is minimize's: multipliers.eq for
A_eq's rows and multipliers.ineq for A_ineq's rows followed by A_ub's
(for A_ub x <= b the multiplier is that of -A_ub x >= -b: mu >= 0, and
d f* / d b_ub = -mu).]],
  example = [[
> r = optim.qp{H = {{2, 0}, {0, 2}}, c = {-2, -5}, A_ub = {{1, 2}}, b_ub = {3}, lower = {0, 0}}
> r.status, r.x, r.f, r.multipliers.ineq[1]
converged	vec{0.4, 1.3}	-5.45	1.2]],
  see = { "slope.optim.constraints", "slope.optim.minimize" },
})

end
