-- doc/sqp_barrier.lua: help entries for the constrained methods "sqp" and
-- "barrier".
return function(register)

register("slope.optim.method.sqp", {
  aliases = { "sqp" },
  signature = 'optim.minimize(f, x0, {method = "sqp", eq = {...}, ineq = {...} [, hessian = "bfgs"]})',
  summary = "Sequential quadratic programming with an l1 merit function.",
  text = [[
Each iteration solves a quadratic model of the Lagrangian subject to the
linearised constraints and the bounds (Nocedal & Wright, chapter 18),
exactly, by the dual active-set method of Goldfarb and Idnani. When the
linearisation is inconsistent, the elastic form of Fletcher's Sl1QP is
solved instead: violations cost rho each, rho raised until the step
achieves a fair part of the reduction of the violation the linearisation
allows. The model's Hessian is the exact Hessian of the Lagrangian from
the tapes, shifted where it is not positive definite on the null space
of the active constraints (and further after steps cut short), or with
hessian = "bfgs" a Powell-damped BFGS approximation. The step is accepted
by the Armijo test on f + rho * (l1 violation), after a second-order
correction (the Maratos effect) when the full step fails. Where no step
decreases it at an infeasible point, a restoration phase reduces the
violation alone; a stationary point of the violation ends with
"infeasible" (x the least infeasible point). The multipliers are the
subproblem's, exact at a solution. maxiter counts subproblems (default
200).]],
  example = [[
> r = optim.minimize(function(x) return x[1] * x[2] end, {1, 2}, {method = "sqp", maximize = true, eq = {function(x) return x[1] + x[2] - 10 end}})
> r.status, r.x, r.multipliers.eq[1]
converged	vec{5, 5}	5.0]],
  see = { "slope.optim.constraints", "slope.optim.method.auglag" },
})

register("slope.optim.method.barrier", {
  aliases = { "barrier" },
  signature = 'optim.minimize(f, x0, {method = "barrier", eq = {...}, ineq = {...}, lower = ..., upper = ... [, mu0 = 0.1]})',
  summary = "Primal-dual interior point method with a log barrier.",
  text = [[
The inequalities get slacks s >= 0 (c(x) - s = 0); the slacks and the
bounds lower <= x <= upper are kept strictly inside by the barrier
-mu (sum ln s + sum ln(x - lower) + sum ln(upper - x)) (a bound is never
made a general constraint; a variable with lower = upper is held fixed).
Each iteration is a Newton step on the primal-dual equations from the
symmetric KKT system with the exact Hessian of the Lagrangian, its
inertia corrected (by a shift of the Hessian, and of the constraints when
the Jacobian is rank deficient) so that the step is a descent direction;
the fraction-to-the-boundary rule keeps x, s and the duals inside, and
the step is accepted by the Armijo test on the barrier function plus
nu * (l1 violation), after one second-order correction. mu starts at
mu0 (0.1) and falls (mu <- min(mu / 5, mu^1.5)) each time the barrier
problem is solved to 10 mu. Where no step helps at an infeasible point, a
restoration phase minimises the l1 violation; a stationary point of it
that is not feasible ends with "infeasible" (x the least infeasible
point); f below -1e20 at a feasible point, "unbounded". The multipliers
are the method's duals. maxiter counts Newton steps (default 200);
restoration steps are reported as inner_iterations.]],
  example = [[
> r = optim.minimize(function(x) return x[1] * x[2] end, {1, 2}, {method = "barrier", maximize = true, eq = {function(x) return x[1] + x[2] - 10 end}, ineq = {function(x) return 4 - x[1] end}})
> r.status, r.x, r.multipliers.ineq
converged	vec{4, 6}	vec{-2}]],
  see = { "slope.optim.constraints", "slope.optim.method.sqp" },
})

end
