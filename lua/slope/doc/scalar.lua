-- doc/scalar.lua: help entry for slope.optim.minimize_scalar.
return function(register)

register("slope.optim.minimize_scalar", {
  signature = "optim.minimize_scalar(f, a, b [, opts]) or (f, x0 [, opts])",
  summary = "Minimise a function of one number on [a, b], or from x0.",
  text = [[
f(x) takes a number and returns one; it is called as it is (no tracing),
under a protected call. With a < b, the minimum on [a, b]: GSL needs a
point inside lower than both ends, sought at the two golden-section
points, then among 16 evenly spaced ones; if none is lower, the minimum
is at an end (probed ever closer to it, in case it lies just inside) and
is returned with status "converged" and a message saying so. A dip
narrower than the scan may be missed. With x0 alone (b nil), the
bracket is found first: steps downhill from x0 growing by the golden
ratio, starting with opts.step; after 50 expansions with f still falling
the status is "unbounded".

opts:
  method    "brent" (the default: parabolic steps, guarded by golden
            section), "golden" (golden section) or "quad_golden"
            (Gill and Murray's safeguarded quadratic steps)
  xtol      absolute tolerance on the bracket, and rtol the relative
  rtol      one: the run has converged once b - a < xtol + rtol*|x|
            (GSL's gsl_min_test_interval). Defaults: the finest each
            method reaches: xtol 1e-10 and rtol 6e-8 (four times
            sqrt(eps): Brent never samples closer than sqrt(eps)|x| to
            its best point) for brent; 1e-10 and 1.5e-8 for golden; 1e-9
            and 4e-6 for quad_golden (which steps at least 1e-6|x|). A
            smaller tolerance than a method can reach ends in "maxiter".
  maxiter   iterations (500)
  maximize  true: maximise f (f and the trace report f's own values)
  step      the first step from x0 (max(1, |x0|) / 10)
  bracket   true: a and b are the first two points of the downhill
            search (from a towards b) rather than bounds
  callback  callback(state) after each iteration, state = {iter, x, f,
            a, b}; returning true stops (status "stopped")
  trace     true: result.trace holds one {iter, x, f, a, b} per iteration
Any other field is an error.

The result: x and f (the best point), iterations (of GSL's minimizer;
the bracket search is not counted), evaluations = {f = calls of f},
status: "converged", "maxiter", "stopped", "interrupted" (Ctrl-C),
"nan" (f returned NaN) or "unbounded" (f kept falling, or returned
-inf), with a message; method; bracket = {a, b}, the final interval
about x; time in seconds (wall clock); trace. A run that ends early
returns the best point seen. f may return +inf (outside its domain, say):
that is merely high. f returning a value that is not a number is an
error, and so is any error f raises, which comes back with its own
message.]],
  example = [[
> r = optim.minimize_scalar(math.cos, 3, 4)
> r.x, r.f, r.status, r.iterations, r.evaluations.f
3.1415926423683	-1.0	converged	7	28
> r.bracket
{3.1415925955549, 3.1415926891816}
> optim.minimize_scalar(math.sin, 0, 3, {maximize = true, method = "golden"}).x
1.5707963222391
> r = optim.minimize_scalar(function(x) return (x - 2)^4 + x end, 0)
> r.x, r.status
1.3700394757341	converged
> optim.minimize_scalar(math.exp, 0, 5).message
the minimum is at the boundary x = 0.0: f is no lower at any point probed inside
> optim.minimize_scalar(function(x) return x^3 end, 1).status
unbounded]],
  see = { "slope.optim.minimize" },
})

end
