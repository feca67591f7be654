-- doc/sqp_barrier.lua: help entry for the constrained method "sqp".
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
converged	vec{5, 5}	5]],
  see = { "slope.optim.constraints", "slope.optim.method.auglag" },
})

end
