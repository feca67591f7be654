-- doc/analyze.lua: help entries for slope.analyze.
return function(register)

local tracing = [[
f is traced once (slope.ad) and its exact gradient and Hessian are
evaluated on the tape; a compiled function (ad.compile) is used as it is.
A function of one number takes a number x (or, for the searches, the box
{a, b}); it is traced as one of a vector of length 1.]]

register("slope.analyze", {
  signature = 'analyze = require "slope.analyze"',
  summary = "Look at a function before optimising it: kinds of points, "
            .. "stationary points, convexity, Taylor polynomials, limits.",
  text = [[
classify(f, x) tells a minimum from a maximum, a saddle or a degenerate
point by the eigenvalues of the Hessian; stationary(f, box) finds every
stationary point in a box by multi-start Newton; convex(f, box) samples
the Hessian for negative curvature; taylor(f, x, order) is the Taylor
polynomial as a callable table; limit(f, x) shows the difference
quotients of f converging to f'(x), then drowning in rounding.

A box is {{a1, b1}, {a2, b2}, ...}, one pair of bounds per coordinate
(a < b), or {lower = {a1, a2, ...}, upper = {b1, b2, ...}}; {a, b} of two
numbers is the box of a function of one number.

Derivatives are exact, from the tape of the traced f. Where f cannot be
traced (it branches on its input, calls a function that needs a plain
number), classify and taylor take them numerically (slope.numdiff,
Richardson extrapolation) and say so: derivatives = "numeric" and a note
with the reason; stationary, convex and limit need exact derivatives and
raise the tracing error.]],
  example = [[
> analyze.classify(function(x) return x[1]^2 - x[2]^2 end, {0, 0}).kind
saddle]],
})

register("slope.analyze.classify", {
  signature = "analyze.classify(f, x [, opts])",
  summary = "Minimum, maximum, saddle or degenerate: the second-derivative "
            .. "test at x.",
  text = tracing .. [[


The eigenvalues of the exact Hessian at x (GSL's symmetric eigensolver,
on the symmetric part of the Hessian) decide: an eigenvalue counts as
zero when |lambda| <= tol, by default tol = sqrt(eps) * max(1, max
|lambda|) (eps = 2.2e-16, so about 1.5e-8 of the largest). Eigenvalues
of both signs beyond tol: "saddle"; else any zero one: "degenerate" (the
test is inconclusive, as for x^4 at 0); else all positive: "minimum",
all negative: "maximum". A Hessian that is not finite gives "undefined".
In one dimension this is the second-derivative test.

The kind is reported whatever x is. x is stationary when |grad f|
<= gtol, by default sqrt(eps) * max(1, |f(x)|); when it is not,
stationary is false, the kind still describes the curvature at x (a
point on a convex bowl's side reports "minimum"), and note says so.

opts: tol (absolute zero threshold for eigenvalues), gtol (for |grad f|).
Any other field is an error.

The result: kind, eigenvalues (ascending vec), eigenvectors (mat, unit
columns in the same order, each with its largest entry positive), x, f,
grad, hessian, gnorm (|grad f|), tol and gtol as used, stationary,
derivatives ("ad", or "numeric" after a fallback) and note (nil, or why
the kind needs care). With a number x, x, grad and hessian are numbers.]],
  example = [[
> r = analyze.classify(function(x) return x[1]^2 - x[2]^2 end, {0, 0})
> r.kind, r.eigenvalues, r.stationary
saddle	vec{-2, 2}	true
> rosenbrock = function(x) return (1 - x[1])^2 + 100 * (x[2] - x[1]^2)^2 end
> analyze.classify(rosenbrock, {1, 1}).eigenvalues
vec{0.399361, 1001.6}
> analyze.classify(function(x) return x^4 end, 0).kind
degenerate
> r = analyze.classify(math.cos, 2.385)
> r.kind, r.stationary
minimum	false]],
  see = { "slope.analyze.stationary", "slope.ad.hessian" },
})

register("slope.analyze.stationary", {
  signature = "analyze.stationary(f, box [, opts])",
  summary = "Every stationary point of f in a box, classified.",
  text = tracing .. [[


Newton's method on grad f = 0 from many starts: GSL's multiroot solver
(hybridsj, Powell's hybrid method with the Hessian from the tape as the
Jacobian; or plain "newton"), all in C with no Lua per iteration. The
starts are a Sobol' sequence (Halton beyond 40 coordinates, pseudo-random
beyond 1229) shifted by a random vector drawn from opts.seed: the same
call gives the same digits. A start whose path goes farther than the
box's width outside the box is given up. An end point is a root when
|grad f| <= gtol, by default 1e-8 * max(1, m), m the median |grad f| over
the first 1024 starts. Roots outside the box (beyond 1e-10 of its width) are
dropped; two roots whose every coordinate is within xtol of the box's
width (1e-6) are one (the one with the smaller gradient is kept). Each
is classified as by classify (the default tol).

The list is sorted by kind (minimum, maximum, saddle, degenerate,
undefined), then by f (values within 1e-9 of the largest |f| are equal),
then by x, coordinate by coordinate.

opts: starts (100 per coordinate), seed (1), maxiter (iterations per
start, 200), method ("hybridsj" or "newton"), gtol, xtol, tol. Any other
field is an error.

The result: a list of points {x, f, kind, eigenvalues, gnorm} (x a
number for a function of one number), with count, starts (run),
converged (starts that ended at a root), gtol as used, status ("done",
or "interrupted": Ctrl-C stops the search with the points found so far)
and message. A continuum of stationary points (a valley floor) gives
many points along it.]],
  example = [[
> himmelblau = function(x) return (x[1]^2 + x[2] - 11)^2 + (x[1] + x[2]^2 - 7)^2 end
> s = analyze.stationary(himmelblau, {{-5, 5}, {-5, 5}})
> s.count, s[1].kind, s[1].x
9	minimum	vec{-3.77931, -3.28319}
> s[5].kind, s[5].x, s[5].f
maximum	vec{-0.270845, -0.923039}	181.61652152258
> s[6].kind, s[6].eigenvalues
saddle	vec{-14.1352, 97.5479}
> p = analyze.stationary(function(x) return x^3 - 3 * x end, {-2, 2})
> p.count, p[1].kind, p[1].x, p[2].kind, p[2].x
2	minimum	1.0	maximum	-1.0]],
  see = { "slope.analyze.classify", "slope.optim.minimize" },
})

register("slope.analyze.convex", {
  signature = "analyze.convex(f, box [, opts])",
  summary = "Sample the Hessian over a box for negative curvature: "
            .. "evidence of convexity, not a proof.",
  text = tracing .. [[


f is convex on the box if its Hessian is positive semidefinite
everywhere in it. This checks the smallest eigenvalue of the exact
Hessian at opts.samples points (1000; a Sobol' sequence shifted by
opts.seed, 1, as in stationary): a sample whose smallest eigenvalue is
below -tol (by default sqrt(eps) * max(1, max |lambda|) there) shows
that f is not convex, and the most negative such sample is the witness.
No such sample is evidence, not proof: negative curvature confined to a
region between the samples goes unseen. Sampling cannot prove convexity;
the message says so.

The result: convex (false once a sample has negative curvature),
samples, negative (how many samples have it), min_eigenvalue and
max_eigenvalue over the samples, witness (the sample with the most
negative eigenvalue; when convex, where the least eigenvalue is),
witness_eigenvalue, direction (its unit eigenvector: f curves down along
it at the witness), status ("done" or "interrupted" by Ctrl-C) and
message.]],
  example = [[
> analyze.convex(function(x) return x[1]^2 + x[1] * x[2] + 2 * x[2]^2 end, {{-1, 1}, {-1, 1}}).convex
true
> rosenbrock = function(x) return (1 - x[1])^2 + 100 * (x[2] - x[1]^2)^2 end
> c = analyze.convex(rosenbrock, {{-2, 2}, {-1, 3}})
> c.convex, c.witness, c.witness_eigenvalue
false	vec{-0.0155058, 2.93796}	-1172.9226983034
> analyze.classify(rosenbrock, c.witness).eigenvalues[1]
-1172.9226983034]],
  see = { "slope.analyze.classify" },
})

register("slope.analyze.taylor", {
  signature = "analyze.taylor(f, x [, order])",
  summary = "The Taylor polynomial of f at x (order 1 or 2), as a "
            .. "callable table.",
  text = tracing .. [[ Where f cannot be traced the derivatives are
taken numerically (derivatives = "numeric", with a note).

order is 1 (the tangent plane) or 2 (the default). The table holds f0 =
f(x), grad, hessian (order 2), order, x0 = x and derivatives; t(y) is
f0 + grad . d + d . hessian d / 2 with d = y - x0 (without the last term
for order 1). With a number x, grad and hessian are numbers and t takes
a number. t uses plain arithmetic, so it can itself be traced: analysed,
differentiated or minimised.]],
  example = [[
> t = analyze.taylor(math.exp, 0, 2)
> t(0.1), math.exp(0.1)
1.105	1.1051709180756
> q = analyze.taylor(function(x) return x[1]^2 * x[2] end, {1.5, 2})
> q.f0, q.grad, q{1.6, 2.1}, 1.6^2 * 2.1
4.5	vec{6, 2.25}	5.375	5.376]],
  see = { "slope.ad.grad", "slope.ad.hessian" },
})

register("slope.analyze.limit", {
  signature = "analyze.limit(f, x [, opts])",
  summary = "f'(x) as the limit of difference quotients, h = 1e-1 to "
            .. "1e-15, against the exact derivative.",
  text = [[
f is a function of one number. The result is a list of rows {h,
quotient, error} for h = 10^-1 ... 10^-15: the forward difference (f(x
+ h) - f(x)) / h, or with opts.central = true the central one (f(x + h)
- f(x - h)) / 2h, and its distance from the exact derivative (traced
with slope.ad; f must be traceable). The error first falls like h (h^2
for central differences) and then grows like eps/h as rounding takes
over: the best h is near sqrt(eps) = 1e-8 (forward) or eps^(1/3) = 6e-6
(central). The table also holds x, exact, method, best_h and best_error,
and prints as a table (tostring, and at the REPL).]],
  example = [[
> l = analyze.limit(math.exp, 1)
> l.best_h, l[1].error, l[8].error, l[15].error
1e-08	0.14056012641484	6.6027507905631e-09	0.39034264049139
> analyze.limit(function(x) return x^3 end, 2.385, {central = true})
central differences of f at x = 2.385 (exact f'(x) = 17.064675 from the tape)
      h                quotient       error
  1e-01               17.074675   1.000e-02
  1e-02        17.0647749999996   1.000e-04
  1e-03        17.0646759999977   1.000e-06
  1e-04        17.0646750100367   1.004e-08
  1e-05        17.0646750002668   2.668e-10  <- best
  1e-06        17.0646750019543   1.954e-09
  1e-07        17.0646749708681   2.913e-08
  1e-08        17.0646748287595   1.712e-07
  1e-09        17.0646758945736   8.946e-07
  1e-10        17.0646785591089   3.559e-06
  1e-11        17.0646607955405   1.420e-05
  1e-12        17.0663483345379   1.673e-03
  1e-13        17.0530256582424   1.165e-02
  1e-14        17.4082970261225   3.436e-01
  1e-15        15.0990331349021   1.966e+00
best h = 1e-05 (error 2.668e-10): truncation error ~h^2 above it, rounding ~eps/h below]],
  see = { "slope.ad.derivative", "slope.numdiff.derivative" },
})

end
