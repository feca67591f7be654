-- doc/linprog.lua: help entries for slope.optim.linprog and linprog_file.
return function(register)

register("slope.optim.linprog", {
  signature = "optim.linprog{c =, A_ub =, b_ub =, A_eq =, b_eq =, lower =, upper =, integer =, maximize =, ...}",
  summary = "Linear and mixed-integer programs (GLPK), with duals.",
  text = [==[
Minimises c'x (or maximises, with maximize = true) subject to
A_ub x <= b_ub, A_eq x = b_eq and lower <= x <= upper, as
scipy.optimize.linprog. c is a vector or array of n numbers (finite).
lower and upper are a number for every variable or a vector of n; they
default to 0 and math.huge; -math.huge and math.huge lift a bound.
b_ub may hold math.huge (the row then constrains nothing). Each of
A_ub, A_eq with its b is optional, and is given either
  dense:  a slope.mat, or a list of rows {{...}, ...} (arrays or vecs),
          each row of n numbers; or
  sparse: {i = {...}, j = {...}, v = {...} [, m =, n =]}, triplets
          A[i[k]][j[k]] = v[k] (vectors or arrays of equal length); m
          defaults to #b, n to #c; entries given twice are added, as in
          scipy.sparse, and zeros are dropped.
integer: a list of variable indices, one boolean per variable, or true
(all) for the variables that must take integer values.

opts, in the same table:
  method    "simplex" (the default: GLPK's primal simplex with its
            presolver) or "interior" (GLPK's primal-dual interior-point
            method; any failure, infeasibility included, is handed to
            the simplex method, the message says so and method becomes
            "simplex"). With integer variables the method is always
            "branch-and-cut" (glp_intopt, with GLPK's MIR, Gomory,
            cover and clique cuts), after the LP relaxation.
  maxtime   seconds for the whole solve (simplex and branch and cut)
  mip_gap   stop branch and cut once the best integer point is within
            this relative gap of the bound (0: prove optimality)
Any other field is an error; every input is checked (sizes, NaN,
lower > upper, indices in range) before GLPK sees it.

The result: status "converged" (an optimal point; the message says
"optimal"), "infeasible", "unbounded", "maxtime" or "interrupted"
(Ctrl-C; a simplex run is checked before and after, branch and cut
during the search), "diverged" (GLPK's numerical failure), with a
message; method; time (seconds); iterations (simplex iterations, not
for the interior-point method). With a point: x (a vec), f and
objective (c'x), slack (b_ub - A_ub x, one per A_ub row). With an
optimal LP: duals = {ub = vec, eq = vec} and reduced_costs (a vec per
variable). An infeasible program has no x; an unbounded one gives the
feasible point where the simplex method found the ray.

Duals are shadow prices: duals.ub[i] is the rate of change of the
optimal objective per unit increase of b_ub[i], duals.eq[i] of b_eq[i],
in the problem's own sense: a binding <= row has a dual >= 0 when
maximising and <= 0 when minimising. reduced_costs[j] = c[j] - A[:,j]'y
(y all the duals, ub rows then eq rows), the rate of change of the
objective per unit increase of x[j] off its bound; it is 0 for a
variable strictly between its bounds. At an optimum
dual * slack = 0 and c'x = b_ub'y_ub + b_eq'y_eq + reduced_costs'x.

Integer programs add relaxation (the LP relaxation's optimum), bound
(the best bound on the optimum: f when proven optimal), gap
(|f - bound| / |f|) and nodes (branch-and-bound nodes). Their duals and
reduced costs are those of the LP with the integer variables fixed at
their values in x (x is that LP's solution, integers exact). maxtime
and Ctrl-C return the best integer point found so far, if any.]==],
  example = [[
> r = optim.linprog{c = {3, 5}, A_ub = {{1, 0}, {0, 2}, {3, 2}}, b_ub = {4, 12, 18}, maximize = true}
> r.status, r.x, r.f
converged	vec{2, 6}	36.0
> r.duals.ub, r.slack, r.reduced_costs
vec{0, 1.5, 1}	vec{2, 0, 0}	vec{0, 0}
> A = {i = {1, 1, 2, 2}, j = {1, 2, 1, 2}, v = {1, 1, 5, 9}}
> r = optim.linprog{c = {5, 8}, A_ub = A, b_ub = {6, 45}, integer = {1, 2}, maximize = true}
> r.x, r.f, r.relaxation, r.method
vec{0, 5}	40.0	41.25	branch-and-cut
> optim.linprog{c = {1, 1}, A_ub = {{1, 1}}, b_ub = {-1}}.status
infeasible]],
  see = { "slope.optim.linprog_file", "slope.optim.minimize" },
})

register("slope.optim.linprog_file", {
  signature = "optim.linprog_file(path [, opts])",
  summary = "Solve a linear or integer program read from an MPS or LP file.",
  text = [[
Reads the model with GLPK: free MPS (falling back to fixed MPS) for a
name ending in .mps, CPLEX LP for .lp (either may end in .gz), or as
opts.format says: "mps", "free_mps", "fixed_mps" or "lp". Integer
columns (MPS markers, the LP format's General and Binary sections) make
it an integer program. A file that is missing or malformed raises
"linprog_file: cannot read 'PATH': " and GLPK's reason (with the line).

opts: format, method, maxtime, mip_gap as for optim.linprog, and
maximize (true or false) to override the file's sense.

The result is that of optim.linprog, except that the rows are the
file's, of any kind (<=, >=, =, ranged): duals = {rows = vec}, one per
row, each the rate of change of the optimal objective per unit increase
of the row's right-hand side (its active bound); activity (the rows'
values A x) instead of slack; and names: x_names and row_names (lists),
x_by_name and duals_by_name ({name = value}).]],
  example = [[
> path = os.tmpname()
> f = io.open(path, "w"); f:write("Maximize\n obj: 3 x + 5 y\nSubject To\n A: x <= 4\n B: 2 y <= 12\n C: 3 x + 2 y <= 18\nEnd\n"); f:close()
> r = optim.linprog_file(path, {format = "lp"})
> r.x_names, r.x, r.duals_by_name.B
{"x", "y"}	vec{2, 6}	1.5
> os.remove(path)
true]],
  see = { "slope.optim.linprog" },
})

end
