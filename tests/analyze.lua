-- analyze.lua: slope.analyze: kinds of points from exact Hessians, every
-- stationary point in a box, sampled convexity, Taylor polynomials, the
-- limit definition of the derivative; argument errors; help entries.
local t = require "tap"
local slope = require "slope"
local analyze = slope.analyze
local ad = slope.ad
local pretty = slope.pretty
local vec = slope.vec

local sqrt, abs = math.sqrt, math.abs

local function has(s, sub) return tostring(s):find(sub, 1, true) ~= nil end

-- The eigenvalues of a symmetric 2x2 matrix, ascending.
local function eig2(h)
  local a, b, d = h[1][1], h[1][2], h[2][2]
  local m, r = (a + d) / 2, sqrt(((a - d) / 2)^2 + b * b)
  return m - r, m + r
end

local function saddle(x) return x[1]^2 - x[2]^2 end
local function rosenbrock(x) return (1 - x[1])^2 + 100 * (x[2] - x[1]^2)^2 end
local function bowl_down(x) return -(x[1]^2 + x[2]^2) end
local function quartic(x) return x[1]^4 + x[2]^4 end
local function wells(x) return (x[1]^2 - 1)^2 + (x[2]^2 - 1)^2 end
local function himmelblau(x)
  return (x[1]^2 + x[2] - 11)^2 + (x[1] + x[2]^2 - 7)^2
end
local function cubic(x) return x^3 - 3 * x end

-- {======================================================
-- classify
-- =======================================================

local r = analyze.classify(saddle, {0, 0})
t.is(r.kind, "saddle", "x^2 - y^2 at 0: saddle")
t.ok(r.eigenvalues[1] == -2 and r.eigenvalues[2] == 2, "eigenvalues -2, 2",
     pretty.format(r.eigenvalues))
t.ok(r.eigenvectors[1][1] == 0 and r.eigenvectors[2][1] == 1 and
     r.eigenvectors[1][2] == 1 and r.eigenvectors[2][2] == 0,
     "eigenvectors are columns: (0, 1) for -2, (1, 0) for 2",
     pretty.format(r.eigenvectors))
t.ok(r.stationary == true and r.gnorm == 0 and r.note == nil and
     r.derivatives == "ad", "stationary, from the tape, no note")
t.is(r.tol, sqrt(2^-52) * 2, "default tol: sqrt(eps) max(1, max |lambda|)")

r = analyze.classify(rosenbrock, {1, 1})
local lo, hi = 501 - sqrt(301^2 + 400^2), 501 + sqrt(301^2 + 400^2)
t.is(r.kind, "minimum", "Rosenbrock at (1, 1): minimum")
t.close(r.eigenvalues[1], lo, 1e-13, "least eigenvalue of [[802,-400],[-400,200]]")
t.close(r.eigenvalues[2], hi, 1e-13, "largest eigenvalue")
t.ok(r.hessian[1][1] == 802 and r.hessian[1][2] == -400 and r.hessian[2][2] == 200,
     "the Hessian itself", pretty.format(r.hessian))
do  -- H v = lambda v for each column, unit length
  local worst = 0
  for j = 1, 2 do
    local v = { r.eigenvectors[1][j], r.eigenvectors[2][j] }
    t.close(v[1]^2 + v[2]^2, 1, 1e-14, "eigenvector " .. j .. " has unit length")
    for i = 1, 2 do
      local hv = r.hessian[i][1] * v[1] + r.hessian[i][2] * v[2]
      worst = math.max(worst, abs(hv - r.eigenvalues[j] * v[i]))
    end
  end
  t.ok(worst < 1e-10, "H v = lambda v", worst)
end

r = analyze.classify(bowl_down, {0, 0})
t.ok(r.kind == "maximum" and r.eigenvalues[1] == -2 and r.eigenvalues[2] == -2,
     "-(x^2 + y^2): maximum, eigenvalues -2, -2")
r = analyze.classify(quartic, {0, 0})
t.ok(r.kind == "degenerate" and r.stationary and r.eigenvalues[1] == 0,
     "x^4 + y^4 at 0: degenerate")
t.ok(has(r.note, "inconclusive"), "with a note", r.note)
t.is(analyze.classify(function(x) return x[1]^2 - x[2]^4 end, {0, 0}).kind,
     "degenerate", "x^2 - y^4: semidefinite Hessian, degenerate")
t.is(analyze.classify(function(x) return x[1]^2 - x[2]^2 + x[3]^4 end, {0, 0, 0}).kind,
     "saddle", "both signs and a zero: saddle")

-- one dimension: the second-derivative test, x a number
r = analyze.classify(cubic, 1)
t.ok(r.kind == "minimum" and r.x == 1 and r.grad == 0 and r.hessian == 6 and
     r.eigenvalues[1] == 6 and r.stationary, "x^3 - 3x at 1: minimum, numbers")
t.is(analyze.classify(cubic, -1).kind, "maximum", "x^3 - 3x at -1: maximum")
r = analyze.classify(cubic, 0)
t.ok(r.kind == "degenerate" and r.stationary == false and r.gnorm == 3,
     "at 0: no curvature, not stationary")
t.ok(has(r.note, "not a stationary point"), "the note says so", r.note)
t.is(analyze.classify(function(x) return x[1]^3 - 3 * x[1] end, vec{1}).kind,
     "minimum", "one dimension as a vector of length 1")

-- not stationary: kind from the curvature, flagged
r = analyze.classify(function(x) return x[1]^2 + 3 * x[2]^2 end, {1.5, -2.385})
t.ok(r.kind == "minimum" and r.stationary == false, "a bowl's side: minimum, not stationary")
t.close(r.gnorm, sqrt(3^2 + 14.31^2), 1e-14, "gnorm")
t.ok(has(r.note, "not a stationary point") and has(r.note, "curvature"), "note", r.note)
r = analyze.classify(himmelblau, {-0.270845, -0.923039})
t.ok(r.kind == "maximum" and not r.stationary,
     "Himmelblau's maximum to 6 digits: maximum, gradient not small enough")
t.ok(analyze.classify(himmelblau, {-0.270845, -0.923039}, {gtol = 1e-3}).stationary,
     "opts.gtol")

-- the zero threshold
local flat = function(x) return 1e-10 * x[1]^2 + x[2]^2 end
t.is(analyze.classify(flat, {0, 0}).kind, "degenerate", "eigenvalue 2e-10: zero by default")
t.is(analyze.classify(flat, {0, 0}, {tol = 1e-12}).kind, "minimum", "opts.tol = 1e-12")

-- compiled functions, and the numerical fallback
t.close(analyze.classify(ad.compile(rosenbrock, 2), {1, 1}).eigenvalues[2], hi, 1e-13,
        "a compiled function")
local branchy = function(x)
  if x[1] > 0 then return x[1]^2 + 3 * x[1] * x[2] + x[2]^2 end
  return 0
end
r = analyze.classify(branchy, {0.5, -0.75})
t.ok(r.derivatives == "numeric" and r.kind == "saddle", "untraceable: numerical fallback")
t.close(r.eigenvalues[1], -1, 1e-7, "numerical eigenvalue -1")
t.close(r.eigenvalues[2], 5, 1e-7, "numerical eigenvalue 5")
t.ok(has(r.note, "could not be traced") and has(r.note, "comparison"),
     "the note says why", r.note)
t.close(analyze.classify(function(x) if x > 1 then return x^2 end return x end, 2.385).hessian,
        2, 1e-9, "the fallback in one dimension")

-- }======================================================

-- {======================================================
-- stationary
-- =======================================================

-- Is each of the expected points found once with its kind, to tol?
local function matches(found, expected, tol, name)
  t.is(found.count, #expected, name .. ": count")
  t.is(#found, #expected, name .. ": length")
  for _, e in ipairs(expected) do
    local hits = 0
    for _, p in ipairs(found) do
      if abs(p.x[1] - e[1]) <= tol and abs(p.x[2] - e[2]) <= tol then
        hits = hits + 1
        t.is(p.kind, e[3], ("%s: (%g, %g) is a %s"):format(name, e[1], e[2], e[3]))
        t.ok(p.gnorm < 1e-9 and abs(p.f - e.f) < 1e-9,
             ("%s: (%g, %g) f and gnorm"):format(name, e[1], e[2]), p.gnorm)
      end
    end
    t.is(hits, 1, ("%s: (%g, %g) found once"):format(name, e[1], e[2]))
  end
end

local wells_points = {
  {-1, -1, "minimum", f = 0}, {-1, 1, "minimum", f = 0},
  {1, -1, "minimum", f = 0}, {1, 1, "minimum", f = 0},
  {0, 0, "maximum", f = 2},
  {-1, 0, "saddle", f = 1}, {1, 0, "saddle", f = 1},
  {0, -1, "saddle", f = 1}, {0, 1, "saddle", f = 1},
}
local s = analyze.stationary(wells, {{-2, 2}, {-2, 2}})
matches(s, wells_points, 1e-10, "(x^2 - 1)^2 + (y^2 - 1)^2")
t.ok(s.status == "done" and s.starts == 200 and has(s.message, "9 stationary points"),
     "status, starts, message", s.message)
do
  local order = {}
  for i, p in ipairs(s) do order[i] = p.kind end
  t.is(table.concat(order, " "),
       "minimum minimum minimum minimum maximum saddle saddle saddle saddle",
       "sorted by kind")
  t.ok(s[1].x[1] < 0 and s[1].x[2] < 0 and s[2].x[1] < 0 and s[2].x[2] > 0 and
       s[4].x[1] > 0 and s[4].x[2] > 0, "then by x")
  t.ok(s[5].eigenvalues[1] == -4 and s[5].eigenvalues[2] == -4 and
       abs(s[6].eigenvalues[1] + 4) < 1e-12 and abs(s[6].eigenvalues[2] - 8) < 1e-12,
       "eigenvalues of the maximum and a saddle")
end

local himmelblau_points = {
  {3, 2, "minimum", f = 0},
  {-2.80511808695274, 3.13131251825057, "minimum", f = 0},
  {-3.77931025337775, -3.28318599128617, "minimum", f = 0},
  {3.58442834033049, -1.8481265269644, "minimum", f = 0},
  {-0.270844590667348, -0.923038556479981, "maximum", f = 181.616521522576},
  {0.0866775045553964, 2.88425470117478, "saddle", f = 67.7192},
  {-3.07302575076439, -0.0813530442879675, "saddle", f = 104.0224},
  {3.38515418360702, 0.0738518798377493, "saddle", f = 13.3119},
  {-0.12796134673068, -1.95371498024458, "saddle", f = 178.3372},
}
for _, e in ipairs(himmelblau_points) do e.f = himmelblau(e) end
local h1 = analyze.stationary(himmelblau, {{-5, 5}, {-5, 5}})
matches(h1, himmelblau_points, 1e-8, "Himmelblau")
t.ok(h1[5].kind == "maximum" and h1[6].f < h1[7].f and h1[7].f < h1[8].f and
     h1[8].f < h1[9].f, "saddles sorted by f")

-- reproducible: the same call gives the same digits
local function digits(list)
  local out = {}
  for _, p in ipairs(list) do
    out[#out + 1] = ("%s %.17g %.17g %.17g %.17g %.17g %.17g"):format(p.kind,
      p.x[1], p.x[2], p.f, p.gnorm, p.eigenvalues[1], p.eigenvalues[2])
  end
  return table.concat(out, "\n")
end
local h2 = analyze.stationary(himmelblau, {{-5, 5}, {-5, 5}})
t.is(digits(h2), digits(h1), "two runs: identical output")
t.is(digits(analyze.stationary(himmelblau, {{-5, 5}, {-5, 5}}, {seed = 1})), digits(h1),
     "seed 1 is the default")
local h3 = analyze.stationary(himmelblau, {{-5, 5}, {-5, 5}}, {seed = 2385, starts = 60})
matches(h3, himmelblau_points, 1e-8, "Himmelblau, another seed, 60 starts")
t.is(h3.starts, 60, "opts.starts")
matches(analyze.stationary(himmelblau, {lower = {-5, -5}, upper = vec{5, 5}}),
        himmelblau_points, 1e-8, "box as lower and upper")
matches(analyze.stationary(himmelblau, {{-5, 5}, {-5, 5}}, {method = "newton"}),
        himmelblau_points, 1e-8, "plain Newton")
matches(analyze.stationary(ad.compile(wells, 2), {{-2, 2}, {-2, 2}}),
        wells_points, 1e-10, "a compiled function")

-- roots outside the box are dropped
s = analyze.stationary(wells, {{0.5, 2}, {-2, 2}})
matches(s, { {1, -1, "minimum", f = 0}, {1, 1, "minimum", f = 0},
             {1, 0, "saddle", f = 1} }, 1e-10, "half the box")

-- one dimension, x a number
s = analyze.stationary(cubic, {-2, 2})
t.ok(s.count == 2 and s[1].kind == "minimum" and s[1].x == 1 and
     s[2].kind == "maximum" and s[2].x == -1, "x^3 - 3x on [-2, 2]")
s = analyze.stationary(function(x) return x^4 end, {-1, 2})
t.ok(s.count == 1 and s[1].kind == "degenerate" and abs(s[1].x) < 1e-9,
     "x^4: one degenerate point", s.count)
s = analyze.stationary(function(x) return math.exp(x) end, {-1, 1})
t.ok(s.count == 0 and #s == 0 and s.status == "done", "exp: none")
s = analyze.stationary(function(x) return math.sin(x[1]) * math.cos(x[2]) end,
                       {{-4, 4}, {-2, 2}})
do
  local kinds = {}
  for _, p in ipairs(s) do kinds[p.kind] = (kinds[p.kind] or 0) + 1 end
  t.ok(s.count == 8 and kinds.minimum == 1 and kinds.maximum == 1 and
       kinds.saddle == 6, "sin x cos y: a minimum, a maximum, six saddles",
       pretty.format(kinds))
end

-- }======================================================

-- {======================================================
-- convex
-- =======================================================

local c = analyze.convex(function(x) return 2 * x[1]^2 + x[1] * x[2] + 3 * x[2]^2 end,
                         {{-3, 3}, {-3, 3}})
t.ok(c.convex == true and c.samples == 1000 and c.negative == 0, "convex quadratic")
t.close(c.min_eigenvalue, 5 - sqrt(2), 1e-13, "its least eigenvalue 5 - sqrt 2")
t.ok(has(c.message, "not a proof") and has(c.message, "cannot prove"),
     "evidence, not proof", c.message)
local lse = function(x)
  return math.log(math.exp(x[1]) + math.exp(x[2]) + math.exp(-x[1] - 2 * x[2]))
end
c = analyze.convex(lse, {{-3, 3}, {-3, 3}}, {samples = 500})
t.ok(c.convex == true and c.samples == 500 and c.min_eigenvalue > -1e-12,
     "log-sum-exp is convex", c.min_eigenvalue)
c = analyze.convex(rosenbrock, {{-2, 2}, {-1, 3}})
t.ok(c.convex == false and c.negative > 0 and c.witness_eigenvalue < 0,
     "Rosenbrock is not convex", c.message)
do  -- the witness really has negative curvature, along the direction
  local H = ad.hessian(rosenbrock, c.witness)
  local l1 = eig2(H)
  t.ok(l1 < 0, "the witness's Hessian has a negative eigenvalue", l1)
  t.close(c.witness_eigenvalue, l1, 1e-10, "the one reported")
  t.ok(c.min_eigenvalue == c.witness_eigenvalue, "the most negative sampled")
  local d = c.direction
  local dHd = d[1] * (H[1][1] * d[1] + H[1][2] * d[2]) +
              d[2] * (H[2][1] * d[1] + H[2][2] * d[2])
  t.close(dHd, l1, 1e-10, "f curves down along direction")
  t.ok(c.witness[1] >= -2 and c.witness[1] <= 2 and c.witness[2] >= -1 and
       c.witness[2] <= 3, "the witness is in the box")
  t.ok(c.witness[2] > c.witness[1]^2, "where y > x^2 (Rosenbrock's concave part)")
end
t.ok(has(c.message, "not convex"), "message", c.message)
local c2 = analyze.convex(rosenbrock, {{-2, 2}, {-1, 3}})
t.ok(c2.witness[1] == c.witness[1] and c2.witness[2] == c.witness[2], "reproducible")
t.ok(analyze.convex(rosenbrock, {{0.95, 1.05}, {0.8, 0.9}}).convex,
     "Rosenbrock where y < x^2: no negative curvature seen")
t.ok(not analyze.convex(rosenbrock, {{0.9, 1.1}, {0.9, 1.1}}).convex,
     "but some about its minimum (where y > x^2 + 0.005)")
c = analyze.convex(math.sin, {-1, 1})
t.ok(c.convex == false and c.witness > 0 and c.witness_eigenvalue < 0 and
     abs(c.direction) == 1, "sin on [-1, 1]: numbers in one dimension")
t.ok(analyze.convex(math.exp, {-5, 5}).convex, "exp is convex")

-- }======================================================

-- {======================================================
-- taylor
-- =======================================================

local g = function(x) return x[1]^2 * x[2] + math.sin(x[1]) end
local x0 = {0.7, 1.3}
local tq = analyze.taylor(g, x0, 2)
local gx = {2 * 0.7 * 1.3 + math.cos(0.7), 0.7^2}
local hx = {{2 * 1.3 - math.sin(0.7), 2 * 0.7}, {2 * 0.7, 0}}
t.ok(tq.order == 2 and tq.f0 == g(x0) and tq.derivatives == "ad", "taylor: f0, order")
t.ok(abs(tq.grad[1] - gx[1]) < 1e-15 and tq.grad[2] == gx[2], "gradient")
t.ok(abs(tq.hessian[1][1] - hx[1][1]) < 1e-15 and tq.hessian[1][2] == hx[1][2] and
     tq.hessian[2][2] == 0, "Hessian")
do
  local y = {0.85, 1.1}
  local d = {y[1] - x0[1], y[2] - x0[2]}
  local lin = g(x0) + gx[1] * d[1] + gx[2] * d[2]
  local quad = lin + 0.5 * (hx[1][1] * d[1]^2 + 2 * hx[1][2] * d[1] * d[2])
  t.close(tq(y), quad, 1e-14, "second-order value")
  t.close(tq(vec(y)), quad, 1e-14, "of a vector")
  local t1 = analyze.taylor(g, x0, 1)
  t.ok(t1.order == 1 and t1.hessian == nil, "first order: no Hessian")
  t.close(t1(y), lin, 1e-14, "first-order value")
  t.is(tq(x0), g(x0), "exact at x0")
  -- the error shrinks like |d|^3 (order 2) and |d|^2 (order 1)
  local e2a = abs(tq{0.7 + 1e-2, 1.3 + 1e-2} - g{0.7 + 1e-2, 1.3 + 1e-2})
  local e2b = abs(tq{0.7 + 1e-3, 1.3 + 1e-3} - g{0.7 + 1e-3, 1.3 + 1e-3})
  t.ok(e2a / e2b > 500 and e2a / e2b < 2000, "order 2: error ~ h^3", e2a / e2b)
end
local te = analyze.taylor(math.exp, 0)
t.ok(te.order == 2 and te.x0 == 0 and te.f0 == 1 and te.grad == 1 and te.hessian == 1,
     "exp at 0, numbers")
t.close(te(0.1), 1.105, 1e-15, "1 + h + h^2/2")
t.close(analyze.taylor(math.log, 2, 1)(2.5), math.log(2) + 0.25, 1e-15, "log, order 1")
-- the polynomial is itself traceable
local tr = analyze.taylor(rosenbrock, {1, 1})
r = analyze.classify(function(x) return tr(x) end, {1, 1})
t.ok(r.kind == "minimum" and abs(r.eigenvalues[2] - hi) < 1e-9,
     "the Taylor polynomial, traced and classified")
t.close(ad.grad(function(x) return tr(x) end, {1.5, 0.5})[1],
        802 * 0.5 - 400 * -0.5, 1e-13, "and differentiated")
local tn = analyze.taylor(branchy, {0.5, -0.75})
t.ok(tn.derivatives == "numeric" and has(tn.note, "could not be traced"),
     "taylor: numerical fallback")
t.close(tn.hessian[1][2], 3, 1e-7, "its Hessian")
t.error_like("bad argument #1 to 'taylor polynomial' (vector of length 2 expected, got length 3)",
             tq, {1, 2, 3})
t.error_like("bad argument #1 to 'taylor polynomial' (number expected, got table)", te, {1})

-- }======================================================

-- {======================================================
-- limit
-- =======================================================

local l = analyze.limit(math.exp, 1)
local e1 = math.exp(1)
t.is(#l, 15, "15 rows")
t.ok(l.exact == e1 and l.method == "forward" and l.x == 1, "exact, method, x")
t.ok(l[1].h == 0.1 and l[15].h == 1e-15, "h = 1e-1 .. 1e-15")
t.close(l[3].quotient, (math.exp(1 + 1e-3) - e1) / 1e-3, 0, "a quotient")
t.is(l[3].error, abs(l[3].quotient - e1), "its error")
do
  local falls = true
  for k = 1, 5 do  -- truncation: the error falls tenfold per step
    local ratio = l[k].error / l[k + 1].error
    falls = falls and ratio > 8 and ratio < 12
  end
  t.ok(falls, "the error first falls like h")
  t.ok(l.best_error < 1e-7 and l.best_h >= 1e-9 and l.best_h <= 1e-7,
       "least error below 1e-7 near h = 1e-8", l.best_h)
  t.ok(l[12].error > 100 * l.best_error and l[15].error > 1e-3,
       "then grows with round-off", l[15].error)
  t.ok(l[10].error > l[9].error * 2 and l[12].error > l[10].error, "growing")
end
local text = tostring(l)
t.ok(has(text, "forward differences of f at x = 1") and has(text, "<- best") and
     has(text, "1e-08") and select(2, text:gsub("\n", "")) == 17,
     "prints as a table", text)
t.is(pretty.format(l), text, "and so at the REPL")
local lc = analyze.limit(math.exp, 1, {central = true})
t.ok(lc.method == "central" and lc.best_error < 1e-9 and
     lc.best_h >= 1e-6 and lc.best_h <= 1e-4, "central: better, at a larger h", lc.best_h)
t.ok(lc[1].error / lc[2].error > 80, "central: error ~ h^2")

-- }======================================================

-- {======================================================
-- Argument errors
-- =======================================================

t.error_like("bad argument #1 to 'classify' (function expected, got number)",
             analyze.classify, 2.385, {0})
t.error_like("bad argument #2 to 'classify' (number or vector expected, got string)",
             analyze.classify, saddle, "0")
t.error_like("bad argument #2 to 'classify' (number expected at [2], got boolean)",
             analyze.classify, saddle, {0, true})
t.error_like("bad argument #2 to 'classify' (non-empty vector expected)",
             analyze.classify, saddle, {})
t.error_like("bad argument #3 to 'classify' (unknown option 'tl' (expected 'gtol' or 'tol'))",
             analyze.classify, saddle, {0, 0}, {tl = 1})
t.error_like("bad argument #3 to 'classify' (field 'tol' must be a non-negative number, got -1)",
             analyze.classify, saddle, {0, 0}, {tol = -1})
t.error_like("classify: the compiled function takes 2 inputs",
             analyze.classify, ad.compile(saddle, 2), {0, 0, 0})
t.error_like("bad argument #1 to 'stationary' (function expected, got nil)",
             analyze.stationary, nil, {{0, 1}})
t.error_like("bad argument #2 to 'stationary' (box {{a1, b1}, {a2, b2}, ...} expected, got number)",
             analyze.stationary, wells, 2)
t.error_like("bad argument #2 to 'stationary' (box {{a1, b1}, {a2, b2}, ...} expected, got an empty table)",
             analyze.stationary, wells, {})
t.error_like("bad argument #2 to 'stationary' (box {{a1, b1}, {a2, b2}, ...} expected: entry 2 is not a pair {a, b})",
             analyze.stationary, wells, {{-2, 2}, {-2}})
t.error_like("bad argument #2 to 'stationary' (box: entry 1 must have a < b, got {2, -2})",
             analyze.stationary, wells, {{2, -2}, {-2, 2}})
t.error_like("bad argument #2 to 'stationary' (box: finite bounds expected in entry 2)",
             analyze.stationary, wells, {{-2, 2}, {-2, math.huge}})
t.error_like("bad argument #2 to 'stationary' (box.lower and box.upper must be vectors of one length)",
             analyze.stationary, wells, {lower = {-2, -2}, upper = {2}})
t.error_like("bad argument #3 to 'stationary' (field 'starts' must be at least 1, got 0)",
             analyze.stationary, wells, {{-2, 2}, {-2, 2}}, {starts = 0})
t.error_like("bad argument #3 to 'stationary' (field 'starts' must be at most 100000000, got 100000001)",
             analyze.stationary, wells, {{-2, 2}, {-2, 2}}, {starts = 100000001})
t.error_like("bad argument #3 to 'stationary' (field 'seed' must be an integer, got 1.5)",
             analyze.stationary, wells, {{-2, 2}, {-2, 2}}, {seed = 1.5})
t.error_like("bad argument #3 to 'stationary' (field 'method' must be \"hybridsj\" or \"newton\")",
             analyze.stationary, wells, {{-2, 2}, {-2, 2}}, {method = "bfgs"})
t.error_like("bad argument #3 to 'stationary' (table or nil expected, got number)",
             analyze.stationary, wells, {{-2, 2}, {-2, 2}}, 5)
t.error_like("stationary: f could not be traced, and stationary needs its exact derivatives",
             analyze.stationary, branchy, {{-2, 2}, {-2, 2}})
t.error_like("comparison of a traced value", analyze.stationary, branchy, {{-2, 2}, {-2, 2}})
t.error_like("bad argument #2 to 'convex' (box: entry 1 must have a < b, got {1, 1})",
             analyze.convex, math.exp, {1, 1})
t.error_like("bad argument #3 to 'convex' (unknown option 'starts' (expected 'samples', 'seed' or 'tol'))",
             analyze.convex, math.exp, {0, 1}, {starts = 3})
t.error_like("convex: f could not be traced", analyze.convex, branchy, {{-2, 2}, {-2, 2}})
t.error_like("bad argument #3 to 'taylor' (order must be 1 or 2, got 3)",
             analyze.taylor, g, x0, 3)
t.error_like("bad argument #3 to 'taylor' (order must be 1 or 2, got string)",
             analyze.taylor, g, x0, "2")
t.error_like("bad argument #1 to 'taylor' (function expected, got table)",
             analyze.taylor, {}, x0)
t.error_like("bad argument #1 to 'limit' (function expected, got nil)", analyze.limit)
t.error_like("bad argument #2 to 'limit' (number expected, got table)",
             analyze.limit, math.exp, {1})
t.error_like("bad argument #3 to 'limit' (field 'central' must be a boolean)",
             analyze.limit, math.exp, 1, {central = 1})
t.error_like("limit: f could not be traced, and limit needs its exact derivative",
             analyze.limit, function(x) if x > 0 then return x end return -x end, 1)
t.error_like("limit: f returned a nil, not a number",
             analyze.limit, function(x) if type(x) ~= "number" then return x end end, 1)
t.error_like("oops", analyze.classify, function() error("oops") end, {1})

-- }======================================================

-- {======================================================
-- Ctrl-C stops a search with the points found so far
-- =======================================================

if arg and arg[-1] and arg[-1]:match("slope$") then
  os.execute("(sleep 1; kill -INT $PPID) >/dev/null 2>&1 &")
  local t0 = os.time()
  s = analyze.stationary(wells, {{-2, 2}, {-2, 2}}, {starts = 50000000, gtol = 1e-10})
  t.ok(s.status == "interrupted" and s.count == 9 and s.starts < 50000000 and
       has(s.message, "interrupted"), "Ctrl-C: status interrupted, the points so far",
       s.message)
  t.ok(os.time() - t0 < 30, "promptly")
else
  t.ok(true, "Ctrl-C # SKIP not run by slope")
  t.ok(true, "promptly # SKIP not run by slope")
end

-- }======================================================

-- {======================================================
-- Help: every function documented, every example true
-- =======================================================

local help = require "slope.help"
for _, name in ipairs { "classify", "stationary", "convex", "taylor", "limit" } do
  local e = help.lookup(analyze[name])
  t.ok(e and e.name == "slope.analyze." .. name and e.signature and e.summary and
       e.text and e.example, "help entry for analyze." .. name)
end
local src = os.getenv("top_srcdir")
            or (arg and arg[0]:match("^(.*)/tests/[^/]*$")) or "."
local entries = {}
assert(loadfile(src .. "/lua/slope/doc/analyze.lua"))()(function(name, info)
  entries[#entries + 1] = { name, info }
end)
local env = setmetatable({ slope = slope, analyze = analyze }, { __index = _G })
for _, e in ipairs(entries) do
  t.example(e[2], env, e[1])
end

-- }======================================================

t.done()
