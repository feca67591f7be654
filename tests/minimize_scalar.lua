-- minimize_scalar.lua: one-dimensional minimisation (core.scalar): known
-- minima for every method, minima at a bound, maximisation, bracketing
-- from a start, unbounded and NaN outcomes, callback, trace, Ctrl-C,
-- errors raised by f and every argument check.
-- tap.lua beside this file, also when run without make check's LUA_PATH
package.path = (arg and arg[0] and arg[0]:match("^(.*)/[^/]*$") or ".")
               .. "/?.lua;" .. package.path
local t = require "tap"
local ms = require("slope.core").scalar.minimize_scalar

local exp, cos, sin, log, abs, pi, huge = math.exp, math.cos, math.sin,
      math.log, math.abs, math.pi, math.huge
local format = string.format

local function sq(x) return (x - 2.385)^2 + 1.25 end

-- {======================================================
-- Known minima, every method
-- =======================================================

local problems = {
  { name = "(x-2.385)^2 + 1.25 on [0, 5]", f = sq, a = 0, b = 5,
    x = 2.385 },
  { name = "cos on [3, 4]", f = cos, a = 3, b = 4, x = pi },
  { name = "x log x on [0.1, 1]", f = function(x) return x * log(x) end,
    a = 0.1, b = 1, x = exp(-1) },
  { name = "exp(x) - 2.385 x on [-3, 5]",
    f = function(x) return exp(x) - 2.385 * x end, a = -3, b = 5,
    x = log(2.385) },
}

-- Accuracy of x with the default tolerances: quad_golden never samples
-- closer than 1e-6 |x| to its best point.
local xtol = { brent = 1e-8, golden = 1e-8, quad_golden = 1e-5 }

for _, m in ipairs { "brent", "golden", "quad_golden" } do
  for _, p in ipairs(problems) do
    local r = ms(p.f, p.a, p.b, { method = m })
    t.close(r.x, p.x, xtol[m], format("%s: %s, x", m, p.name))
    t.ok(r.status == "converged" and r.method == m and r.f == p.f(r.x)
         and r.bracket[1] <= r.x and r.x <= r.bracket[2],
         format("%s: %s, status, f and bracket", m, p.name),
         format("%s %s f=%.17g [%.17g, %.17g]", r.status, r.message, r.f,
                r.bracket[1], r.bracket[2]))
  end
end

-- brent is the default, and faster than golden section
local rb, rg = ms(sq, 0, 5), ms(sq, 0, 5, { method = "golden" })
t.ok(rb.method == "brent" and rb.iterations < rg.iterations,
     "brent is the default and needs fewer iterations than golden",
     format("%d vs %d", rb.iterations, rg.iterations))
t.ok(rb.evaluations.f >= rb.iterations + 3 and rb.evaluations.f < 40
     and math.type(rb.iterations) == "integer" and rb.iterations > 0
     and rb.iterations < 20,
     "iteration and evaluation counts are sane",
     format("%d iterations, %d evaluations", rb.iterations, rb.evaluations.f))
t.ok(type(rb.time) == "number" and rb.time >= 0 and rb.time < 10
     and rb.trace == nil, "time in seconds; no trace unless asked")

-- tighter tolerances are honoured
local tight = ms(sq, 0, 5, { method = "golden", xtol = 1e-12, rtol = 0 })
t.ok(tight.bracket[2] - tight.bracket[1] < 1e-12 or
     tight.message:find("flat to rounding", 1, true),
     "golden with xtol = 1e-12", tight.message)
local loose = ms(sq, 0, 5, { method = "golden", xtol = 1e-3, rtol = 0 })
t.ok(loose.status == "converged"
     and loose.bracket[2] - loose.bracket[1] < 1e-3
     and loose.iterations < rg.iterations / 2, "a loose xtol stops earlier",
     format("%d iterations", loose.iterations))

-- }======================================================

-- {======================================================
-- Bounds, maximisation, bracketing from a start
-- =======================================================

local quartic = function(x) return (x + 0.5)^4 - 1.75 end
local lowend = ms(quartic, 0, 2.385)
t.ok(lowend.x == 0 and lowend.f == quartic(0) and lowend.status == "converged"
     and lowend.iterations == 0
     and lowend.message:find("the minimum is at the boundary x = 0", 1, true),
     "a quartic increasing on [0, 2.385]: the minimum at a", lowend.message)
local highend = ms(function(x) return (x - 3)^4 end, 0, 2.385,
                   { method = "golden" })
t.ok(highend.x == 2.385 and highend.status == "converged"
     and highend.bracket[2] == 2.385 and highend.bracket[1] < 2.385
     and highend.bracket[1] > 2.385 - 1e-7,
     "a quartic decreasing on [0, 2.385]: the minimum at b",
     format("%.17g [%.17g, %.17g]", highend.x, highend.bracket[1],
            highend.bracket[2]))
-- just inside a bound: found, not mistaken for the bound
local inside = ms(function(x) return (x - 1e-3)^2 end, 0, 5)
t.close(inside.x, 1e-3, 1e-10, "a minimum 1e-3 inside the lower bound")

local rmax = ms(sin, 0, 3, { maximize = true })
t.close(rmax.x, pi / 2, 1e-8, "maximize sin on [0, 3]: x = pi/2")
t.ok(rmax.f == sin(rmax.x) and abs(rmax.f - 1) < 1e-15
     and rmax.status == "converged",
     "maximize reports f's own value (1, not -1)", tostring(rmax.f))
local maxend = ms(function(x) return x^2 end, -1, 2.385, { maximize = true })
t.ok(maxend.x == 2.385 and maxend.f == 2.385^2
     and maxend.message:find("maximum is at the boundary", 1, true),
     "maximize x^2 on [-1, 2.385]: at b", maxend.message)

local function shifted(x) return (x - 7.385)^2 - 0.5 end
local rs = ms(shifted, 0)
t.close(rs.x, 7.385, 1e-8, "from a start: (x - 7.385)^2 from 0")
t.ok(rs.status == "converged" and rs.bracket[1] <= rs.x
     and rs.x <= rs.bracket[2], "from a start: converged inside its bracket")
local rl = ms(function(x) return (x + 70.3)^2 end, 1.5,
              { method = "golden", step = 2.385 })
t.close(rl.x, -70.3, 1e-8, "from a start, downhill to the left, opts third")
t.is(rl.method, "golden", "opts in third place are read")
local rbr = ms(shifted, 10, 11, { bracket = true })
t.close(rbr.x, 7.385, 1e-8, "opts.bracket: a and b start the search")

local unb = ms(function(x) return x end, 0.5)
t.ok(unb.status == "unbounded" and unb.x < -1e9 and unb.f == unb.x
     and unb.iterations == 0
     and unb.message:find("kept decreasing over 50 expansions", 1, true),
     "f = x from a start: unbounded, with the lowest point", unb.message)
local neginf = ms(function(x) return x < -5 and huge or -x end, 0,
                  { maximize = true })
t.ok(neginf.status == "unbounded" and neginf.f == huge and neginf.x < -5,
     "maximize: f = inf is unbounded", neginf.message)

-- }======================================================

-- {======================================================
-- NaN, callback, trace, Ctrl-C
-- =======================================================

local calls = 0
local rn = ms(function(x)
  calls = calls + 1
  if calls == 7 then return 0 / 0 end
  return sq(x)
end, 0, 5)
t.ok(rn.status == "nan" and rn.evaluations.f == 7 and rn.iterations > 0 and rn.f == sq(rn.x)
     and rn.message:find("f returned NaN", 1, true),
     "f returns NaN: status nan with the best point so far", rn.message)
t.ok(abs(rn.x - 2.385) < 0.5, "nan: the best point is near the minimum",
     tostring(rn.x))

local states = {}
local rc = ms(sq, 0, 5, { callback = function(s)
  states[#states + 1] = s
  return s.iter == 3
end })
t.ok(rc.status == "stopped" and rc.iterations == 3 and #states == 3
     and rc.message == "the callback asked to stop",
     "a callback returning true stops", rc.status)
local s3 = states[3]
t.ok(s3.iter == 3 and s3.x == rc.x and s3.f == rc.f and s3.a <= s3.x
     and s3.x <= s3.b and s3.a == rc.bracket[1] and s3.b == rc.bracket[2],
     "callback state: iter, x, f, a, b")

local rt = ms(sq, 0, 5, { trace = true, method = "golden" })
local tr = rt.trace
local okay, fprev = #tr == rt.iterations and #tr > 10, huge
for i, s in ipairs(tr) do
  okay = okay and s.iter == i and s.a <= s.x and s.x <= s.b
         and s.f == sq(s.x) and s.f <= fprev
  fprev = s.f
end
t.ok(okay, "trace: one record per iteration, x inside [a, b], f falling")
t.ok(tr[#tr].x == rt.x and tr[#tr].f == rt.f,
     "trace: the last record is the answer")
local rmt = ms(sin, 0, 3, { maximize = true, trace = true })
t.ok(rmt.trace[#rmt.trace].f == rmt.f and rmt.trace[1].f > 0,
     "trace of a maximisation: f's own values")

-- Ctrl-C while f runs reaches f as the hook's "interrupted!" error
calls = 0
local ri = ms(function(x)
  calls = calls + 1
  if calls == 7 then error("interrupted!") end
  return sq(x)
end, 0, 5)
t.ok(ri.status == "interrupted" and ri.f == sq(ri.x)
     and ri.message:find("Ctrl-C", 1, true),
     "interrupted: status and the best point, no error", ri.message)
-- a real SIGINT, under slope's handler (one only: a second one kills)
if arg and arg[-1] and arg[-1]:match("slope$") then
  calls = 0
  local rk = ms(function(x)
    calls = calls + 1
    if calls == 7 then io.popen("kill -INT $PPID"):close() end
    return sq(x)
  end, 0, 5)
  t.ok(rk.status == "interrupted" and rk.evaluations.f == 7,
       "a real Ctrl-C while f runs", rk.status)
else
  t.ok(true, "a real Ctrl-C # SKIP not run by slope")
end

-- }======================================================

-- {======================================================
-- Errors from f, argument checks
-- =======================================================

t.error_like("minimize_scalar: f returned a string, not a number",
             ms, function() return "1" end, 0, 5)
t.error_like("minimize_scalar: f returned a nil, not a number",
             ms, function(x) if x > 1 then return nil end return x end, 0, 5)
t.error_like("minimize_scalar: f returned a table, not a number",
             ms, function() return {} end, 0)
calls = 0
t.error_like(": boom at ", ms, function(x)
  calls = calls + 1
  if calls == 9 then error("boom at " .. x) end
  return sq(x)
end, 0, 5)
local errobj = {}
local okcall, got = pcall(ms, function(x)
  if x > 4 then error(errobj) end
  return sq(x)
end, 0, 5)
t.ok(not okcall and got == errobj, "an error object raised by f comes back")
calls = 0
t.error_like("stop here", ms, sq, 0, 5,
             { callback = function() error("stop here") end })

local A = "bad argument #"
t.error_like(A .. "1 to 'minimize_scalar' (function expected, got nil)",
             ms, nil, 0, 5)
t.error_like(A .. "1 to 'minimize_scalar' (function expected, got number)",
             ms, 2.385, 0, 5)
t.error_like(A .. "2 to 'minimize_scalar' (number expected, got string)",
             ms, sq, "0", 5)
t.error_like(A .. "2 to 'minimize_scalar' (number expected, got no value)",
             ms, sq)
t.error_like(A .. "2 to 'minimize_scalar' (finite number expected, got inf)",
             ms, sq, huge, 5)
t.error_like(A .. "3 to 'minimize_scalar' (finite number expected, got -inf)",
             ms, sq, 0, -huge)
t.error_like(A .. "3 to 'minimize_scalar' (b must be greater than a)",
             ms, sq, 5, 0)
t.error_like(A .. "3 to 'minimize_scalar' (b must be greater than a)",
             ms, sq, 2.385, 2.385)
t.error_like(A .. "3 to 'minimize_scalar' (b must differ from a)",
             ms, sq, 2.385, 2.385, { bracket = true })
t.error_like(A .. "3 to 'minimize_scalar' (number expected, got boolean)",
             ms, sq, 0, true)
t.error_like(A .. "4 to 'minimize_scalar' (table or nil expected, got string)",
             ms, sq, 0, 5, "brent")
t.error_like(A .. "4 to 'minimize_scalar' (field 'method' must be one of "
             .. "brent, golden, quad_golden)", ms, sq, 0, 5,
             { method = "newton" })
t.error_like(A .. "3 to 'minimize_scalar' (field 'method' must be one of "
             .. "brent, golden, quad_golden)", ms, sq, 0, { method = 1 })
t.error_like(A .. "4 to 'minimize_scalar' (unknown field 'tol')",
             ms, sq, 0, 5, { tol = 1e-3 })
t.error_like(A .. "4 to 'minimize_scalar' (field 'xtol' must be a "
             .. "non-negative number, got -2.385)", ms, sq, 0, 5,
             { xtol = -2.385 })
t.error_like(A .. "4 to 'minimize_scalar' (field 'rtol' must be a "
             .. "non-negative number, got string)", ms, sq, 0, 5,
             { rtol = "1e-8" })
t.error_like(A .. "3 to 'minimize_scalar' (field 'step' must be a "
             .. "positive number, got 0)", ms, sq, 0, { step = 0 })
t.error_like(A .. "4 to 'minimize_scalar' (field 'maxiter' must be a "
             .. "non-negative integer, got 2.5)", ms, sq, 0, 5,
             { maxiter = 2.5 })
t.error_like(A .. "4 to 'minimize_scalar' (field 'maximize' must be a "
             .. "boolean, got 1)", ms, sq, 0, 5, { maximize = 1 })
t.error_like(A .. "4 to 'minimize_scalar' (field 'callback' must be a "
             .. "function, got table)", ms, sq, 0, 5, { callback = {} })

local rm = ms(sq, 0, 5, { maxiter = 2 })
t.ok(rm.status == "maxiter" and rm.iterations == 2
     and rm.message:find("maxiter", 1, true),
     "maxiter = 2: status maxiter after two iterations", rm.message)
local callable = setmetatable({}, { __call = function(_, x) return sq(x) end })
t.close(ms(callable, 0, 5).x, 2.385, 1e-8, "a callable table as f")

-- }======================================================

t.done()
