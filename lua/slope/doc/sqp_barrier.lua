-- doc/sqp_barrier.lua: help entry for the constrained method "sqp".
return function(register)

register("slope.optim.method.sqp", {
  aliases = { "sqp" },
  signature = 'optim.minimize(f, x0, {method = "sqp", eq = {...}, ineq = {...} [, hessian = "bfgs"]})',
  summary = "Sequential quadratic programming with an l1 merit function.",
  text = [[
Each iteration solves a quadratic model of the Lagrangian subject to the
linearised constraints and the bounds (Nocedal & Wright, chapter 18), in
the elastic form of Fletcher's Sl1QP: violations of the linearisation
cost rho each, so the subproblem is always feasible, and rho grows
tenfold while they are needed. The model's Hessian is the exact Hessian
of the Lagrangian from the tapes, made positive definite where needed
(first along the normals of the constraints predicted active, else by a
shift), or with hessian = "bfgs" a damped BFGS approximation. The step
is accepted by the Armijo test on f + rho * (l1 violation); a
second-order correction answers the Maratos effect. The multipliers are
the subproblem's. A point where the linearised violation can no longer
be reduced ends with "infeasible" (x the least infeasible point found),
f below -1e20 at a feasible point with "unbounded". maxiter counts
subproblems (default 200).]],
  example = [[
> r = optim.minimize(function(x) return x[1] * x[2] end, {1, 2}, {method = "sqp", maximize = true, eq = {function(x) return x[1] + x[2] - 10 end}})
> r.status, r.x, r.multipliers.eq[1]
converged	vec{5, 5}	5]],
  see = { "slope.optim.constraints", "slope.optim.method.auglag" },
})

end
