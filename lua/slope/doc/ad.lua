-- doc/ad.lua: help entries for slope.ad and its compiled functions.
return function(register)

register("slope.ad", {
  aliases = { "ad" },
  signature = 'ad = require "slope.ad"',
  summary = "Automatic differentiation: a loss is traced once into a tape.",
  text = [[
f(x) is called once with a symbolic x; every + - * / ^ % // and math.*
call is recorded into a flat tape, which C then runs for values (forward
sweep), gradients (one reverse sweep), Hessian-vector products (forward
over reverse), Hessians and Jacobians. The tape is cached per function,
input size, data shapes and captured upvalues: a new closure or a changed
captured number traces again. Numbers read from tables or globals are
baked into the tape: pass values that change as data arguments.

A loss may use x[i], #x, arithmetic, math.exp/log (with base)/sin/cos/tan/
asin/acos/atan (two arguments)/sqrt/abs/max/min/floor/ceil and ad's
tanh, sinh, cosh, log1p, expm1, logistic, softplus, erf, ifelse and
logsumexp. It may not branch on x (if x[1] < 0 ...): use ad.ifelse,
math.max/math.min, or numerical derivatives (gradient = "numeric" in the
solvers). Such errors name the line of the loss. One comparison cannot be
caught: x[i] == 0 is simply false for a traced x[i] (Lua compares a
number with a userdata without asking it), so do not test for equality.

Data: extra arguments f(x, d1, ...) that are vecs, mats or arrays become
parameters of the tape (refilled per call, never differentiated): d[i],
m[i][j], m.rows, m.cols, #d, d:dot(x), m[i]:dot(x), m * x (one dot node
per row, a traced vector with [i], :sum(), :dot()), d:sum(), x:dot(x),
x:sum().

Non-differentiable points: abs'(0) = 0; max/min ties give the derivative
to the first argument; floor, ceil, // and the rounded part of % have
derivative 0 (d(a % b)/db = -floor(a / b)); d(a^b)/db is 0 where a <= 0.
NaN and Inf propagate through every sweep.]],
  example = [[
> ad.grad(function(x) return x[1]^2 + 3*x[2] end, {1, 2})
vec{2, 3}]],
  see = { "slope.ad.compile", "slope.ad.grad", "slope.ad.hessian" },
})

register("slope.ad.grad", {
  signature = "ad.grad(f, x, ...)",
  summary = "The gradient of f at x, by one reverse sweep (a vec).",
  text = [[
f(x, ...) returns a number; x is a vec or an array of numbers; extra
arguments are data (vecs, mats, arrays), passed to f after x.]],
  example = [[
> ad.grad(function(x) return x[1]^2 + 3*x[2] end, {1, 2})
vec{2, 3}]],
})

register("slope.ad.hessian", {
  signature = "ad.hessian(f, x, ...)",
  summary = "The Hessian of f at x (an n x n symmetric mat).",
  text = [[
n forward-over-reverse sweeps sharing one forward and one reverse sweep;
the result is symmetrised exactly.]],
  example = [[
> ad.hessian(function(x) return x[1]^2 * x[2] end, {1.5, 2})
mat{{4, 3},
    {3, 0}}]],
})

register("slope.ad.jacobian", {
  signature = "ad.jacobian(F, x, ...)",
  summary = "The Jacobian (m x n mat) of F, which returns an array of m values.",
  text = [[
m reverse sweeps when m < n, else n forward (tangent) sweeps. F may also
return a traced vector such as m * x.]],
  example = [[
> ad.jacobian(function(x) return {x[1] * x[2], x[2]} end, {1.5, 2})
mat{{2, 1.5},
    {0,   1}}]],
})

register("slope.ad.derivative", {
  signature = "ad.derivative(f, x)",
  summary = "f'(x) for a number x and f(x) a number.",
  example = [[
> ad.derivative(function(t) return t^3 end, 2)
12.0]],
})

register("slope.ad.hvp", {
  signature = "ad.hvp(f, x, v, ...)",
  summary = "The Hessian of f at x times v, by forward over reverse (a vec).",
  text = "Costs a few gradients, whatever n; the Hessian is never formed.",
  example = [[
> ad.hvp(function(x) return x[1]^2 * x[2] end, {1.5, 2}, {1, 0})
vec{4, 3}]],
})

register("slope.ad.dirderiv", {
  signature = "ad.dirderiv(f, x, d, ...)",
  summary = "The directional derivative grad f(x) . d, by one forward sweep.",
  example = [[
> ad.dirderiv(function(x) return x[1] * x[2] end, {1.5, 2}, {1, 1})
3.5]],
})

register("slope.ad.compile", {
  signature = "ad.compile(f, n [, opts])",
  summary = "Trace f for n inputs once; returns a compiled function F.",
  text = [[
opts.data = {d1, ...}: the data f is traced with (f(x, d1, ...)); F(x) uses
them, F(x, e1, ...) refills the parameters with other data of the same
shapes without tracing again. F(x) is a number, or a vec when f returns an
array. Methods: F:grad, F:valgrad, F:hessian, F:hvp, F:jacobian,
F:dirderiv, F:ops; fields F.n, F.m, F.nodes (tape length), F.bytes (tape
memory: 28 bytes per node with its value and adjoint). The same f and n
give the same F (cached).]],
  example = [[
> F = ad.compile(function(x) return x[1]^2 + 3*x[2] end, 2)
> F
ad.fn(n=2, m=1, nodes=6)
> F{1, 2}, F:grad{1, 2}
7.0	vec{2, 3}]],
})

register("slope.ad.check", {
  signature = "ad.check(f, x [, opts])",
  summary = "Audit derivatives at x: reverse mode, forward mode, finite differences.",
  text = [[
Compares, component by component, the gradient by reverse mode, by
forward mode (one tangent sweep per axis) and by Richardson differences
(slope.numdiff), and checks that the Hessian is symmetric. Returns a
report: ok, n, the gradients compared (reverse, forward, numeric, user),
max (the largest discrepancy of each comparison), bad (a list of
{index, reverse, forward, numeric, user, what} for every component that
disagrees), asymmetric (a list of {i, j, hij, hji}) and message, which is
also what tostring(report) and the REPL show.

opts.grad = g also checks a hand-written gradient g(x, data...) against
the others; opts.tol (1e-6) is the relative agreement asked of finite
differences, opts.adtol (1e-9) that of reverse against forward mode and
of the Hessian's symmetry; opts.data is a list of data arguments;
opts.numdiff passes options to numdiff.grad; opts.hessian = false skips
the symmetry check. A loss that cannot be traced is still checked by
finite differences against opts.grad.]],
  example = [[
> f = function(x) return x[1]^2 * x[2] end
> ad.check(f, {1.5, 2}).ok
true
> ad.check(f, {1.5, 2}, {grad = function(x) return {2*x[1]*x[2], x[1]^2 + 1} end})]],
})

register("slope.ad.install_math", {
  signature = "ad.install_math()",
  summary = "Install the tracing versions of math.* (done by require).",
  text = [[
math.exp, log, sin, cos, tan, asin, acos, atan, sqrt, abs, max, min,
floor and ceil are replaced by functions that record traced values and
return exactly what stock Lua returns for numbers (integer results of
floor, ceil, abs, max, min included), at the same speed.]],
  example = "> ad.install_math()\n> math.floor(2.5)\n2",
})

local elementary = {
  tanh = { "ad.tanh(x)", "The hyperbolic tangent.", "> ad.tanh(0.5)\n0.46211715726001" },
  sinh = { "ad.sinh(x)", "The hyperbolic sine.", "> ad.sinh(1)\n1.1752011936438" },
  cosh = { "ad.cosh(x)", "The hyperbolic cosine.", "> ad.cosh(1)\n1.5430806348152" },
  log1p = { "ad.log1p(x)", "log(1 + x), accurate for small x.", "> ad.log1p(1e-10)\n9.9999999995e-11" },
  expm1 = { "ad.expm1(x)", "exp(x) - 1, accurate for small x.", "> ad.expm1(1e-10)\n1.00000000005e-10" },
  logistic = { "ad.logistic(x)", "1 / (1 + exp(-x)), without overflow.", "> ad.logistic(0)\n0.5" },
  softplus = { "ad.softplus(x)", "log(1 + exp(x)), without overflow.", "> ad.softplus(0)\n0.69314718055995" },
  erf = { "ad.erf(x)", "The error function.", "> ad.erf(0.5)\n0.52049987781305" },
}
for name, e in next, elementary do
  register("slope.ad." .. name, {
    signature = e[1], summary = e[2],
    text = "A number for a number; recorded on the tape for a traced value.",
    example = e[3],
  })
end

register("slope.ad.ifelse", {
  signature = "ad.ifelse(c, a, b)",
  summary = "a where c > 0 (or c is true), else b; traceable.",
  text = [[
With a traced c the choice is made on the tape at every evaluation; the
derivative is that of the branch taken (0 with respect to c). Use it
instead of if ... then in a loss.]],
  example = [[
> ad.grad(function(x) return ad.ifelse(x[1], x[1]^2, -x[1]) end, {-2})
vec{-1}]],
})

register("slope.ad.logsumexp", {
  signature = "ad.logsumexp(t)",
  summary = "log(sum(exp(t[i]))) without overflow; t an array, vec or traced vector.",
  example = "> ad.logsumexp{1000, 1000}\n1000.6931471806",
})

-- Methods of compiled functions ("slope.ad.fn").
local methods = {
  grad = { "F:grad(x [, data...])", "The gradient at x (a vec)." },
  valgrad = { "F:valgrad(x [, data...])", "The value and the gradient at x, from one forward and one reverse sweep." },
  hessian = { "F:hessian(x [, data...])", "The Hessian at x (a mat)." },
  hvp = { "F:hvp(x, v [, data...])", "The Hessian at x times v (a vec)." },
  jacobian = { "F:jacobian(x [, data...])", "The Jacobian at x (an m x n mat)." },
  dirderiv = { "F:dirderiv(x, d [, data...])", "The directional derivative at x along d." },
  ops = { "F:ops()", "The tape as an array of op names (after folding and pruning)." },
}
for name, e in next, methods do
  register("fn:" .. name, {
    aliases = { "F:" .. name, "ad.fn:" .. name },
    paths = { "ad.fn:" .. name },
    module = "slope.ad.fn",
    signature = e[1], summary = e[2],
    text = "Data arguments, when given, refill the tape's parameters for this call.",
    example = "> F = ad.compile(function(x) return x[1]^2 * x[2] end, 2)\n> F:" ..
              (name == "hvp" and "hvp({1.5, 2}, {1, 0})" or name == "dirderiv"
               and "dirderiv({1.5, 2}, {1, 0})" or name == "ops" and "ops()"
               or name .. "{1.5, 2}"),
  })
end

register("fn:__call", {
  aliases = { "F(x)", "fn:call" },
  module = "slope.ad.fn",
  signature = "F(x [, data...])",
  summary = "The value at x: a number, or a vec for a vector-valued function.",
  example = "> F = ad.compile(function(x) return x[1] * x[2] end, 2)\n> F{1.5, 2}\n3.0",
})

register("fn:__tostring", {
  aliases = { "fn.fields", "F.nodes", "F.bytes" },
  module = "slope.ad.fn",
  signature = "tostring(F), F.n, F.m, F.nodes, F.bytes",
  summary = "Inputs, outputs, tape length and tape memory of a compiled function.",
  example = "> ad.compile(function(x) return x[1]^2 + 3*x[2] end, 2)\nad.fn(n=2, m=1, nodes=6)",
})

end
