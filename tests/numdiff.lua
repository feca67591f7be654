-- numdiff.lua: slope.numdiff against analytic derivatives: accuracy per
-- method, error estimates that bound the true error, steps, fresh
-- arguments for f, errors raised by f, and every argument check.
local t = require "tap"
local slope = require "slope"
local nd = require "slope.numdiff"

local exp, sin, cos, log, sqrt, abs, max = math.exp, math.sin, math.cos,
      math.log, math.sqrt, math.abs, math.max
local format = string.format

t.is(slope.numdiff, nd, "slope.numdiff is require 'slope.numdiff'")

-- {======================================================
-- Accuracy
-- =======================================================

-- Smooth problems with analytic gradients and Hessians.
local problems = {
  { name = "exp(x)sin(y)", x = { 0.7385, 1.2915 },
    f = function(x) return exp(x[1]) * sin(x[2]) end,
    g = function(x) return { exp(x[1]) * sin(x[2]), exp(x[1]) * cos(x[2]) } end,
    h = function(x)
      local s, c = exp(x[1]) * sin(x[2]), exp(x[1]) * cos(x[2])
      return { { s, c }, { c, -s } }
    end },
  { name = "rosenbrock", x = { -1.2385, 1.0715 },
    f = function(x) return 100 * (x[2] - x[1]^2)^2 + (1 - x[1])^2 end,
    g = function(x)
      return { -400 * x[1] * (x[2] - x[1]^2) - 2 * (1 - x[1]),
               200 * (x[2] - x[1]^2) }
    end,
    h = function(x)
      return { { 1200 * x[1]^2 - 400 * x[2] + 2, -400 * x[1] },
               { -400 * x[1], 200 } }
    end },
  { name = "x^3 log y + z sqrt x", x = { 2.385, 1.737, -0.4385 },
    f = function(x) return x[1]^3 * log(x[2]) + x[3] * sqrt(x[1]) end,
    g = function(x)
      return { 3 * x[1]^2 * log(x[2]) + x[3] / (2 * sqrt(x[1])),
               x[1]^3 / x[2], sqrt(x[1]) }
    end,
    h = function(x)
      local a = 6 * x[1] * log(x[2]) - x[3] / (4 * x[1]^1.5)
      local b, c = 3 * x[1]^2 / x[2], 1 / (2 * sqrt(x[1]))
      return { { a, b, c }, { b, -x[1]^3 / x[2]^2, 0 }, { c, 0, 0 } }
    end },
  { name = "log(x) y^2 + x/y (large x)", x = { 238.5, -41.75 },
    f = function(x) return log(x[1]) * x[2]^2 + x[1] / x[2] end,
    g = function(x)
      return { x[2]^2 / x[1] + 1 / x[2], 2 * x[2] * log(x[1]) - x[1] / x[2]^2 }
    end,
    h = function(x)
      local b = 2 * x[2] / x[1] - 1 / x[2]^2
      return { { -x[2]^2 / x[1]^2, b }, { b, 2 * log(x[1]) + 2 * x[1] / x[2]^3 } }
    end },
}

-- Relative error bounds: gradient and Hessian, per method.
local gradtol = { forward = 1e-6, central = 1e-9, richardson = 1e-10 }
local hesstol = { forward = 1e-3, central = 1e-6, richardson = 1e-8 }
local methods = { "forward", "central", "richardson" }

-- Worst relative error of got against want (|want| below 1 counts as 1)
-- and whether est bounds every absolute error; n entries read by get.
local function compare(n, get)
  local worst, bounded, where = 0, true, ""
  for k = 1, n do
    local got, want, est = get(k)
    local e = abs(got - want)
    local rel = e / max(1, abs(want))
    if rel > worst then worst = rel end
    if not (e <= est) then
      bounded = false
      where = where .. format(" [%d] error %.3g > estimate %.3g;", k, e, est)
    end
  end
  return worst, bounded, where
end

for _, p in ipairs(problems) do
  local n = #p.x
  local g, H = p.g(p.x), p.h(p.x)
  for _, m in ipairs(methods) do
    local v, est = nd.grad(p.f, p.x, { method = m })
    local worst, bounded, where = compare(n, function(k) return v[k], g[k], est[k] end)
    t.ok(worst <= gradtol[m], format("grad %s %s: relative error %.2g <= %g",
                                     m, p.name, worst, gradtol[m]))
    t.ok(bounded, format("grad %s %s: estimates bound the error", m, p.name), where)

    local hv, hest = nd.hessian(p.f, p.x, { method = m })
    worst, bounded, where = compare(n * n, function(k)
      local i, j = (k - 1) // n + 1, (k - 1) % n + 1
      return hv[i][j], H[i][j], hest[i][j]
    end)
    t.ok(worst <= hesstol[m], format("hessian %s %s: relative error %.2g <= %g",
                                     m, p.name, worst, hesstol[m]))
    t.ok(bounded, format("hessian %s %s: estimates bound the error", m, p.name), where)
    local symmetric = true
    for i = 1, n do
      for j = 1, n do
        if hv[i][j] ~= hv[j][i] or hest[i][j] ~= hest[j][i] then symmetric = false end
      end
    end
    t.ok(symmetric, format("hessian %s %s: exactly symmetric", m, p.name))
  end
end

-- Scalar derivatives.
local scalars = {
  { name = "x^3 log x", x = 2.385, f = function(x) return x^3 * log(x) end,
    d = function(x) return 3 * x^2 * log(x) + x^2 end },
  { name = "exp(3.17 x)", x = 1.385, f = function(x) return exp(3.17 * x) end,
    d = function(x) return 3.17 * exp(3.17 * x) end },
  { name = "1/(1+x^2) at 13.85", x = 13.85, f = function(x) return 1 / (1 + x * x) end,
    d = function(x) return -2 * x / (1 + x * x)^2 end },
  { name = "sin at -0.7385", x = -0.7385, f = sin, d = cos },
}
for _, s in ipairs(scalars) do
  local want = s.d(s.x)
  for _, m in ipairs(methods) do
    local v, est = nd.derivative(s.f, s.x, { method = m })
    local e = abs(v - want)
    t.ok(e <= gradtol[m] * max(1, abs(want)),
         format("derivative %s %s: relative error %.2g", m, s.name, e / max(1, abs(want))))
    t.ok(e <= est, format("derivative %s %s: estimate %.2g bounds %.2g", m, s.name, est, e))
  end
end

-- The default is richardson.
do
  local f = problems[1].f
  local a, ea = nd.grad(f, problems[1].x)
  local b, eb = nd.grad(f, problems[1].x, { method = "richardson" })
  t.ok(a == b and ea == eb, "grad: richardson by default")
  local ha = nd.hessian(f, problems[1].x, {})
  local hb = nd.hessian(f, problems[1].x, { method = "richardson" })
  t.ok(ha == hb, "hessian: richardson by default")
  t.is(nd.derivative(exp, 0.385), nd.derivative(exp, 0.385, { method = "richardson" }),
       "derivative: richardson by default")
end

-- }======================================================

-- {======================================================
-- Steps and options
-- =======================================================

do
  local p = problems[3]
  local g = p.g(p.x)
  local v = nd.grad(p.f, p.x, { method = "central", h = 2.385e-5 })
  local worst = compare(3, function(k) return v[k], g[k], 1 end)
  t.ok(worst < 1e-8, format("grad central with h = 2.385e-5: %.2g", worst))
  v = nd.grad(p.f, p.x, { method = "central", h = 0.1385 })
  worst = compare(3, function(k) return v[k], g[k], 1 end)
  t.ok(worst > 1e-4, format("a large step shows: %.2g", worst))
  local steps = slope.vec { 1e-5, 2.385e-6, 1.5e-5 }
  local a = nd.grad(p.f, p.x, { method = "central", h = steps })
  local b = nd.grad(p.f, p.x, { method = "central", h = { 1e-5, 2.385e-6, 1.5e-5 } })
  t.ok(a == b, "opts.h per axis: vec or array")
  worst = compare(3, function(k) return a[k], g[k], 1 end)
  t.ok(worst < 1e-8, format("grad central, a step per axis: %.2g", worst))
  local c = nd.grad(p.f, p.x, { method = "central", h = 1e-5 })
  t.ok(c[1] == a[1] and c[2] ~= a[2], "steps apply to their own axes")
  local H = p.h(p.x)
  local hv = nd.hessian(p.f, p.x, { method = "richardson", h = 0.02385 })
  worst = compare(9, function(k)
    local i, j = (k - 1) // 3 + 1, (k - 1) % 3 + 1
    return hv[i][j], H[i][j], 1
  end)
  t.ok(worst < 1e-8, format("hessian richardson from h = 0.02385: %.2g", worst))
  local d = nd.derivative(function(s) return s^3 * log(s) end, 2.385,
                          { method = "forward", h = 1e-7 })
  t.close(d, 3 * 2.385^2 * log(2.385) + 2.385^2, 1e-5, "derivative forward with h = 1e-7")
end

-- opts.estimate = false: one result, the same value.
for _, m in ipairs { "forward", "central" } do
  local p = problems[2]
  t.is(select("#", nd.grad(p.f, p.x, { method = m, estimate = false })), 1,
       "grad " .. m .. ", estimate = false: one result")
  t.ok(nd.grad(p.f, p.x, { method = m, estimate = false }) == nd.grad(p.f, p.x, { method = m }),
       "grad " .. m .. ", estimate = false: same value")
  t.is(select("#", nd.hessian(p.f, p.x, { method = m, estimate = false })), 1,
       "hessian " .. m .. ", estimate = false: one result")
  t.ok(nd.hessian(p.f, p.x, { method = m, estimate = false }) == nd.hessian(p.f, p.x, { method = m }),
       "hessian " .. m .. ", estimate = false: same value")
  t.is(select("#", nd.derivative(sin, 2.385, { method = m, estimate = false })), 1,
       "derivative " .. m .. ", estimate = false: one result")
end
t.is(select("#", nd.grad(problems[2].f, problems[2].x, { estimate = false })), 2,
     "richardson estimates come free: always returned")

-- Evaluations: what each method costs on n = 3.
do
  local p, calls = problems[3], 0
  local function f(x) calls = calls + 1; return p.f(x) end
  local cost = {}
  for _, m in ipairs(methods) do
    calls = 0; nd.grad(f, p.x, { method = m, estimate = false }); cost[#cost + 1] = calls
  end
  t.is(cost[1], 4, "grad forward without estimates: n + 1 evaluations")
  t.is(cost[2], 6, "grad central without estimates: 2n evaluations")
  t.ok(cost[3] >= 12 and cost[3] <= 24, "grad richardson: 4 or 8 per axis, got " .. cost[3])
  calls = 0; nd.hessian(f, p.x, { method = "central", estimate = false })
  t.is(calls, 1 + 2 * 3 + 4 * 3, "hessian central without estimates: 1 + 2n + 4 n(n-1)/2")
end

-- Points out of f's domain for the first richardson steps.
t.close(nd.derivative(log, 1.385e-4), 1 / 1.385e-4, 1e-9,
        "derivative richardson: the step shrinks into log's domain")
do
  local v, est = nd.hessian(function(x) return log(x[1]) * x[2] end, { 0.02385, 2.385 })
  t.close(v[1][1], -2.385 / 0.02385^2, 1e-7, "hessian richardson: restarts inside log's domain")
  t.ok(abs(v[1][1] + 2.385 / 0.02385^2) <= est[1][1], "and its estimate holds")
end
t.ok(nd.derivative(sqrt, -2.385, { method = "central" }) ~= nd.derivative(sqrt, -2.385, { method = "central" }),
     "out of the domain: NaN, not an error")

-- }======================================================

-- {======================================================
-- Arguments of f
-- =======================================================

-- x as an array or a vec, left alone.
do
  local p = problems[1]
  local x = slope.vec(p.x)
  local copy = x:copy()
  for _, m in ipairs(methods) do
    t.ok(nd.grad(p.f, p.x, { method = m }) == nd.grad(p.f, x, { method = m }),
         "grad " .. m .. ": array and vec agree")
    t.ok(nd.hessian(p.f, p.x, { method = m }) == nd.hessian(p.f, x, { method = m }),
         "hessian " .. m .. ": array and vec agree")
  end
  t.ok(x == copy, "x is not modified")
end

-- f gets a fresh vector each call: it may keep it, or scribble on it.
do
  local kept, seen = {}, {}
  local function f(x)
    kept[#kept + 1] = x
    seen[#seen + 1] = x:copy()
    local y = exp(x[1]) * sin(x[2])
    x[1], x[2] = 238.5, -238.5
    return y
  end
  local x = { 0.7385, 1.2915 }
  local g = nd.grad(f, x, { method = "central" })
  local want = problems[1].g(x)
  t.close(g[1], want[1], 1e-9, "f scribbling on its argument changes nothing (1)")
  t.close(g[2], want[2], 1e-9, "f scribbling on its argument changes nothing (2)")
  local distinct, same = true, {}
  for i, v in ipairs(kept) do
    if same[v] then distinct = false end
    same[v] = true
    if seen[i] == v then distinct = false end  -- scribbled on, not reused
  end
  t.ok(distinct and #kept == 8, "a fresh vector per call (" .. #kept .. " calls)")
  local moved = 0
  for _, v in ipairs(seen) do
    if v[1] ~= x[1] then moved = moved + 1 end
  end
  t.is(moved, 4, "central: x_1 moved in 4 of 8 calls (h, -h, 2h, -2h)")
end

-- f may be any callable; nested differentiation works.
do
  local callable = setmetatable({}, { __call = function(_, x) return x[1]^2 * x[2] end })
  local g = nd.grad(callable, { 2.385, 1.5 })
  t.close(g[1], 2 * 2.385 * 1.5, 1e-10, "f may be a callable table")
  local function df(x) return nd.derivative(function(s) return s^3 * log(s) end, x) end
  t.close(nd.derivative(df, 2.385), 6 * 2.385 * log(2.385) + 5 * 2.385, 1e-7,
          "derivative of a derivative (re-entrant)")
end

-- An empty point: nothing to do, f never called.
do
  local called = false
  local function f() called = true; return 0 end
  local g, ge = nd.grad(f, {})
  local h, he = nd.hessian(f, slope.vec(0))
  t.ok(#g == 0 and #ge == 0 and #h == 0 and #he == 0 and not called,
       "empty x: empty results, f not called")
end

-- Errors raised by f come out with their own message, once GSL is done;
-- f is not called again after.
for _, m in ipairs(methods) do
  for _, which in ipairs { "derivative", "grad", "hessian" } do
    local calls = 0
    local function f()
      calls = calls + 1
      if calls == 3 then error("boom at call 3 (2.385)") end
      return 2.385
    end
    local ok, msg = pcall(nd[which], f, which == "derivative" and 1.5 or { 1.5, 2.5 },
                          { method = m })
    t.ok(not ok and msg:find("boom at call 3 (2.385)", 1, true) and calls == 3,
         format("%s %s: f's error propagates, no call after it", which, m),
         tostring(msg) .. " after " .. calls .. " calls")
  end
end
do
  local obj = { 2.385 }
  local ok, e = pcall(nd.grad, function() error(obj) end, { 1 })
  t.ok(not ok and e == obj, "an error value that is a table comes out as itself")
  ok, e = pcall(nd.derivative, function(x) return x + nil end, 2.385)
  t.ok(not ok and e:find("attempt to perform arithmetic on a nil value", 1, true),
       "a runtime error in f propagates", e)
end

-- f must return a number.
t.error_like("bad argument #1 to 'grad' (f must return a number, got table)",
             nd.grad, function() return {} end, { 1.5 })
t.error_like("bad argument #1 to 'hessian' (f must return a number, got nil)",
             nd.hessian, function() end, { 1.5 })
t.error_like("bad argument #1 to 'derivative' (f must return a number, got string)",
             nd.derivative, function() return "2.385" end, 1.5)
t.error_like("bad argument #1 to 'grad' (f must return a number, got vec)",
             nd.grad, function(x) return x end, { 1.5 }, { method = "forward" })

-- }======================================================

-- {======================================================
-- Argument checks
-- =======================================================

local function sq(x) return x[1]^2 end
t.error_like("bad argument #1 to 'grad' (function expected, got nil)", nd.grad, nil, { 1 })
t.error_like("bad argument #1 to 'hessian' (function expected, got number)", nd.hessian, 2.385, { 1 })
t.error_like("bad argument #1 to 'derivative' (function expected, got table)", nd.derivative, {}, 1)
t.error_like("bad argument #2 to 'derivative' (number expected, got table)", nd.derivative, sin, { 1 })
t.error_like("bad argument #2 to 'derivative' (number expected, got no value)", nd.derivative, sin)
t.error_like("bad argument #2 to 'grad' (vec or table expected, got number)", nd.grad, sq, 2.385)
t.error_like("bad argument #2 to 'hessian' (vec or table expected, got mat)",
             nd.hessian, sq, slope.mat { { 1 } })
t.error_like("bad argument #2 to 'grad' (number expected at [2], got string)", nd.grad, sq, { 1, "2" })
t.error_like("bad argument #3 to 'grad' (table or nil expected, got string)", nd.grad, sq, { 1 }, "central")
t.error_like("bad argument #3 to 'hessian' (unknown option 'step' (expected 'estimate', 'h' or 'method'))",
             nd.hessian, sq, { 1 }, { step = 1e-3 })
t.error_like("bad argument #3 to 'grad' (unknown option 1 (expected 'estimate', 'h' or 'method'))",
             nd.grad, sq, { 1 }, { "central" })
t.error_like("bad argument #3 to 'grad' (opts.method must be 'forward', 'central' or 'richardson', got 'newton')",
             nd.grad, sq, { 1 }, { method = "newton" })
t.error_like("bad argument #3 to 'derivative' (opts.method must be 'forward', 'central' or 'richardson', got number)",
             nd.derivative, sin, 1, { method = 2 })
t.error_like("bad argument #3 to 'grad' (opts.h must be a positive number, got -2.385)",
             nd.grad, sq, { 1 }, { h = -2.385 })
t.error_like("bad argument #3 to 'derivative' (opts.h must be a positive number, got 0)",
             nd.derivative, sin, 1, { h = 0 })
t.error_like("bad argument #3 to 'hessian' (opts.h must be a positive number, got inf)",
             nd.hessian, sq, { 1 }, { h = math.huge })
t.error_like("bad argument #3 to 'derivative' (opts.h must be a positive number, got table)",
             nd.derivative, sin, 1, { h = { 1e-3 } })
t.error_like("bad argument #3 to 'grad' (opts.h must be a positive number or a vec, got string)",
             nd.grad, sq, { 1 }, { h = "1e-3" })
t.error_like("bad argument #3 to 'grad' (opts.h must have 2 entries, got 1)",
             nd.grad, sq, { 1, 2 }, { h = slope.vec { 1e-3 } })
t.error_like("bad argument #3 to 'hessian' (opts.h[2] must be a positive number, got -0.5)",
             nd.hessian, sq, { 1, 2 }, { h = { 1e-3, -0.5 } })
t.error_like("bad argument #3 to 'grad' (opts.h[1] must be a positive number, got boolean)",
             nd.grad, sq, { 1, 2 }, { h = { true, 1e-3 } })
t.error_like("bad argument #3 to 'grad' (opts.estimate must be a boolean, got number)",
             nd.grad, sq, { 1 }, { estimate = 0 })

-- }======================================================

t.done()
