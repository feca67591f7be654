-- doc/numdiff.lua: help entries for slope.numdiff.
return function(register)

-- The options, with the default steps of first or second derivatives.
local function options(steps)
  return [[
opts.method: "richardson" (the default), "central" or "forward".
opts.h: the step, a number or one per axis (a vec or an array); by
default scaled by max(1, |x_i|): ]] .. steps .. [[.
opts.estimate = false: skip the extra evaluations behind the error
estimates of "forward" and "central" (only the value is returned).
Any other field of opts is an error.]]
end
local first = [[
1.5e-8 for "forward", 6.1e-6 for
"central", and for "richardson" 7.4e-4, the first step GSL adapts]]
local second = [[
6.1e-6 for "forward", 1.2e-4 for
"central", and for "richardson" 0.0625, the first of up to 14 halvings]]

local behaviour = [[
f is called under a protected call, with a fresh vector each time: it may
keep its argument. An error raised by f stops the differentiation and is
raised again with its own message; f must return a number. Error
estimates are conservative on smooth functions; a step that leaves f's
domain (f not finite) gives NaN, except that "richardson" retries with
smaller steps.]]

register("slope.numdiff", {
  signature = 'numdiff = require "slope.numdiff"',
  summary = "Numerical derivatives by finite differences, with error estimates.",
  text = [[
Derivatives of plain Lua functions (no tracing): derivative, grad and
hessian, each returning the value and an estimate of its absolute error.
"forward" differences cost least (relative error about 1e-8 for first
derivatives, 1e-5 for second), "central" ones about 1e-10 (1e-8),
"richardson" (GSL's adaptive five-point rule; for the Hessian central
second differences extrapolated over halved steps) about 1e-11 (1e-11). Use slope.ad for exact
derivatives of traceable functions.]],
  example = [[
> nd = require "slope.numdiff"
> nd.derivative(math.exp, 1.5)
4.4816890703474	6.444046693287e-10]],
  see = { "slope.numdiff.derivative", "slope.numdiff.grad",
          "slope.numdiff.hessian" },
})

register("slope.numdiff.derivative", {
  signature = "numdiff.derivative(f, x [, opts])",
  summary = "The derivative of f at the number x, and an estimate of its error.",
  text = "f takes a number and returns one.\n" .. options(first) .. "\n"
         .. behaviour,
  example = [[
> slope.numdiff.derivative(math.exp, 1.5)
4.4816890703474	6.444046693287e-10
> slope.numdiff.derivative(math.sin, 0.5, {method = "central"})
0.87758256188306	7.4996389885415e-11]],
  see = { "slope.numdiff.grad", "slope.ad.derivative" },
})

register("slope.numdiff.grad", {
  signature = "numdiff.grad(f, x [, opts])",
  summary = "The gradient of f at x (a vec) and a vec of error estimates.",
  text = "f takes a vector and returns a number; x is a vec or an array.\n"
         .. options(first) .. "\n" .. behaviour,
  example = [[
> f = function(x) return x[1]^2 * x[2] end
> slope.numdiff.grad(f, {1.5, 2})
vec{6, 2.25}	vec{8.80063e-12, 5.5252e-12}
> slope.numdiff.grad(f, {1.5, 2}, {method = "forward", estimate = false})
vec{6, 2.25}]],
  see = { "slope.numdiff.hessian", "slope.ad.grad" },
})

register("slope.numdiff.hessian", {
  signature = "numdiff.hessian(f, x [, opts])",
  summary = "The Hessian of f at x (a symmetric mat) and a mat of error estimates.",
  text = "f takes a vector and returns a number; x is a vec or an array.\n"
         .. "The central rules cost 2 (diagonal) or 4 evaluations per entry\n"
         .. "and step.\n"
         .. options(second) .. "\n" .. behaviour,
  example = [[
> f = function(x) return x[1]^2 * x[2] end
> slope.numdiff.hessian(f, {1.5, 2})
mat{{4, 3},
    {3, 0}}	mat{{ 1.4559e-11, 2.73115e-12},
    {2.73115e-12, 8.18545e-12}}]],
  see = { "slope.numdiff.grad", "slope.ad.hessian" },
})

end
