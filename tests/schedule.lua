-- schedule.lua: the native learning-rate schedules against their closed
-- forms (k counts from 0), step and cycle boundaries, warm restarts,
-- warmups and what they keep alive, tostring and fields, every argument
-- check, and the help entries' examples.
local t = require "tap"
local slope = require "slope"
local sched = require("slope.core").schedule

local cos, sin, pi, abs, floor = math.cos, math.sin, math.pi, math.abs,
      math.floor
local format = string.format

-- |got - want| <= 1e-15 |want|: what only rounding separates.
local function rel(got, want, name)
  local pass = type(got) == "number" and abs(got - want) <= 1e-15 * abs(want)
  return t.ok(pass, name, format("got %.17g, want %.17g", tonumber(got) or 0 / 0,
                                 want))
end

-- {======================================================
-- The constructors
-- =======================================================

local names = {}
for k, v in pairs(sched) do
  if type(v) == "function" then names[#names + 1] = k end
end
table.sort(names)
t.is(table.concat(names, " "),
     "constant cosine exponential inverse_time step warmup",
     "core.schedule holds the six constructors")

-- }======================================================

-- {======================================================
-- constant, step, exponential, inverse_time
-- =======================================================

local lr = 0.2385

local c = sched.constant(lr)
for _, k in ipairs {0, 1, 17, 1 << 40} do
  t.is(c(k), lr, "constant(k = " .. k .. ")")
end
t.is(math.type(c(0)), "float", "constant(lr) returns a float")

-- drop 0.5: every value is exact.
local s = sched.step(lr, 0.5, 7)
for _, k in ipairs {0, 1, 6, 7, 8, 13, 14, 20, 21, 700} do
  t.is(s(k), lr * 0.5 ^ (k // 7), "step 0.5 every 7 at k = " .. k)
end
t.is(s(6), lr, "step: no drop before k = every")
t.is(s(7), lr / 2, "step: first drop at k = every")
s = sched.step(lr, 0.3, 3)
for _, k in ipairs {0, 2, 3, 5, 6, 9, 10, 301} do
  rel(s(k), lr * 0.3 ^ floor(k / 3), "step 0.3 every 3 at k = " .. k)
end
t.is(sched.step(lr, 1, 3)(99), lr, "step with drop 1 is constant")

local e = sched.exponential(lr, 0.9)
t.is(e(0), lr, "exponential(k = 0) is lr")
for _, k in ipairs {1, 2, 10, 100, 1000} do
  rel(e(k), lr * 0.9 ^ k, "exponential 0.9 at k = " .. k)
end
t.is(e(100000), 0.0, "exponential underflows to 0")
t.is(sched.exponential(lr, 0.5)(3), lr / 8, "exponential 0.5 at k = 3")
t.is(sched.exponential(lr, 1)(12345), lr, "exponential with gamma 1")

local it = sched.inverse_time(lr, 0.25)
t.is(it(0), lr, "inverse_time(k = 0) is lr")
t.is(it(4), lr / 2, "inverse_time 0.25 at k = 4")
t.is(it(12), lr / 4, "inverse_time 0.25 at k = 12")
for _, k in ipairs {1, 3, 7, 99, 12345} do
  rel(it(k), lr / (1 + 0.25 * k), "inverse_time 0.25 at k = " .. k)
end
it = sched.inverse_time(lr, 0.25, 0.5)
t.is(it(12), lr / 2, "inverse_time power 0.5 at k = 12")
for _, k in ipairs {0, 1, 5, 1000} do
  rel(it(k), lr / (1 + 0.25 * k) ^ 0.5, "inverse_time power 0.5 at k = " .. k)
end
it = sched.inverse_time(lr, 0.01375, 2.385)
for _, k in ipairs {1, 50, 777} do
  rel(it(k), lr / (1 + 0.01375 * k) ^ 2.385,
      "inverse_time power 2.385 at k = " .. k)
end
t.is(sched.inverse_time(lr, 0)(500), lr, "inverse_time with decay 0")

-- }======================================================

-- {======================================================
-- cosine
-- =======================================================

-- The rate at position t of a cycle of length T: the half-angle form the
-- C code uses (accurate to the end of the cycle) ...
local function cosine_at(hi, lo, tt, T)
  local h = pi * tt / (2 * T)
  return hi * (cos(h) * cos(h)) + lo * (sin(h) * sin(h))
end
-- ... and the textbook form, equal up to its cancellation near t = T.
local function textbook(hi, lo, tt, T)
  return lo + (hi - lo) * (1 + cos(pi * tt / T)) / 2
end

local cs = sched.cosine(lr, 100)
t.is(cs(0), lr, "cosine(k = 0) is lr")
rel(cs(50), lr / 2, "cosine at half the period is lr / 2")
for _, k in ipairs {1, 25, 50, 75, 99} do
  rel(cs(k), cosine_at(lr, 0, k, 100), "cosine over 100 at k = " .. k)
  t.close(cs(k), textbook(lr, 0, k, 100), 1e-13,
          "cosine over 100 at k = " .. k .. ", textbook form")
end
t.is(cs(100), 0.0, "cosine reaches lr_min at k = period")
t.is(cs(10 ^ 9), 0.0, "cosine stays at lr_min")

local lo = 0.0125
cs = sched.cosine(lr, 40, lo)
t.is(cs(0), lr, "cosine with lr_min at k = 0")
for _, k in ipairs {1, 13, 20, 39} do
  rel(cs(k), cosine_at(lr, lo, k, 40), "cosine to lr_min at k = " .. k)
end
t.is(cs(40), lo, "cosine with lr_min at k = period")
t.is(cs(41), lo, "cosine with lr_min after the period")
t.is(sched.cosine(lr, 40, lr)(17), lr, "cosine with lr_min = lr")

-- Warm restarts with equal periods.
cs = sched.cosine(lr, 10, lo, true)
for _, k in ipairs {0, 10, 20, 10 ^ 9, math.maxinteger - 7} do
  t.is(cs(k), lr, "restart every 10: lr at k = " .. k)
end
t.is(cs(15), cs(5), "restart every 10: k = 15 as k = 5")
t.is(cs(10 ^ 9 + 3), cs(3), "restart every 10: k = 1e9 + 3 as k = 3")
rel(cs(9), cosine_at(lr, lo, 9, 10), "restart every 10: end of a cycle")

-- Position and length of the cycle holding k, the long way.
local function cycle(k, T, mult)
  while k >= T do k, T = k - T, T * mult end
  return k, T
end

-- Periods 10, 20, 40, 80, ...: restarts at 10, 30, 70, 150, 310.
cs = sched.cosine(lr, 10, lo, true, 2)
for _, k in ipairs {0, 10, 30, 70, 150, 310} do
  t.is(cs(k), lr, "restart, mult 2: lr at k = " .. k)
end
rel(cs(29), cosine_at(lr, lo, 19, 20), "restart, mult 2: k = 29 ends cycle 2")
rel(cs(50), cosine_at(lr, lo, 20, 40), "restart, mult 2: k = 50 mid cycle 3")
rel(cs(50), (lr + lo) / 2, "restart, mult 2: k = 50 halfway between")
rel(cs(69), cosine_at(lr, lo, 39, 40), "restart, mult 2: k = 69 ends cycle 3")
for _, k in ipairs {1, 9, 11, 31, 100, 1000, 123457} do
  local tt, T = cycle(k, 10, 2)
  rel(cs(k), cosine_at(lr, lo, tt, T), "restart, mult 2: k = " .. k)
end
cs = sched.cosine(lr, 7, 0, true, 3)
for _, k in ipairs {6, 7, 27, 28, 90, 91, 5000} do
  local tt, T = cycle(k, 7, 3)
  rel(cs(k), cosine_at(lr, 0, tt, T), "restart, 7 mult 3: k = " .. k)
end

-- Periods beyond the largest k: the last cycle's length is 2^64.
cs = sched.cosine(lr, 1 << 62, 0, true, 4)
t.is(cs(1 << 62), lr, "restart at k = 2^62")
rel(cs(math.maxinteger), lr * cos(pi / 8) ^ 2,
    "cycle of length 2^64 at k = 2^63 - 1")
local v = sched.cosine(lr, 3, lo, true, 2)(math.maxinteger)
t.ok(v >= lo and v <= lr, "restart, mult 2 at the largest k")

-- }======================================================

-- {======================================================
-- warmup
-- =======================================================

local w = sched.warmup(sched.constant(lr), 5)
for k = 0, 4 do
  t.is(w(k), (k + 1) / 6 * lr, "warmup 5 of constant at k = " .. k)
end
t.is(w(5), lr, "warmup 5 reaches lr at k = 5")
t.is(w(6), lr, "warmup 5 of constant after the ramp")
t.ok(w(0) < w(1) and w(3) < w(4) and w(4) < w(5), "the ramp increases")

w = sched.warmup(sched.cosine(lr, 100, lo), 10)
t.is(w(0), lr / 11, "warmup of cosine at k = 0")
t.is(w(9), 10 / 11 * lr, "warmup of cosine at k = 9")
t.is(w(10), lr, "warmup of cosine: the cosine starts at k = 10")
t.is(w(60), sched.cosine(lr, 100, lo)(50), "warmup 10 at k = 60 is base(50)")
t.is(w(110), lo, "warmup of cosine: lr_min at k = 110")

w = sched.warmup(sched.step(lr, 0.5, 3), 1)
t.is(w(0), lr / 2, "warmup 1: half the rate at k = 0")
t.is(w(1), lr, "warmup 1: base(0) at k = 1")
t.is(w(4), lr / 2, "warmup 1: base(3) at k = 4")

-- A warmup of a warmup ramps to the inner warmup's first rate.
local inner = sched.warmup(sched.exponential(lr, 0.9), 3)
w = sched.warmup(inner, 4)
t.is(w.lr, nil, "a warmup has no lr field")
t.is(w(0), 1 / 5 * (1 / 4 * lr), "nested warmup at k = 0")
t.is(w(4), 1 / 4 * lr, "nested warmup at k = 4: inner(0)")
t.is(w(7), lr, "nested warmup at k = 7: the exponential starts")
rel(w(9), lr * 0.9 ^ 2, "nested warmup at k = 9")

-- The warmup keeps its base alive, and only as long as it lives itself.
local weak = setmetatable({}, { __mode = "v" })
w = sched.warmup(sched.cosine(lr, 100, lo), 10)
weak[1] = w.base
local want = cosine_at(lr, lo, 50, 100)
collectgarbage()
collectgarbage()
t.ok(weak[1] ~= nil, "the base survives collectgarbage()")
rel(w(60), want, "the warmup still reads its base after collection")
t.is(w.base, weak[1], "w.base is the base schedule")
w = nil
collectgarbage()
collectgarbage()
t.is(weak[1], nil, "the base is collected with its warmup")

-- }======================================================

-- {======================================================
-- tostring and fields
-- =======================================================

local shows = {
  { sched.constant(lr), "schedule.constant(lr=0.2385)" },
  { sched.step(lr, 0.5, 7), "schedule.step(lr=0.2385, drop=0.5, every=7)" },
  { sched.exponential(0.1, 0.99), "schedule.exponential(lr=0.1, gamma=0.99)" },
  { sched.inverse_time(0.1, 0.01),
    "schedule.inverse_time(lr=0.1, decay=0.01, power=1)" },
  { sched.cosine(0.1, 100), "schedule.cosine(lr=0.1, period=100, lr_min=0)" },
  { sched.cosine(lr, 10, lo, true, 2),
    "schedule.cosine(lr=0.2385, period=10, lr_min=0.0125, restart=true, mult=2)" },
  { sched.warmup(sched.constant(2), 5),
    "schedule.warmup(schedule.constant(lr=2), k_warm=5)" },
}
for _, p in ipairs(shows) do t.is(tostring(p[1]), p[2], "tostring " .. p[2]) end

cs = sched.cosine(lr, 10, lo, true, 2)
t.is(cs.kind, "cosine", "s.kind")
t.is(sched.warmup(cs, 3).kind, "warmup", "warmup kind")
t.is(sched.inverse_time(lr, 0.25).kind, "inverse_time", "inverse_time kind")
t.is(cs.lr, lr, "s.lr")
t.is(cs.lr_min, lo, "s.lr_min")
t.is(math.type(cs.period), "integer", "s.period is an integer")
t.is(cs.period, 10, "s.period")
t.is(cs.restart, true, "s.restart")
t.is(cs.mult, 2, "s.mult")
t.is(sched.step(lr, 0.5, 7).every, 7, "s.every")
t.is(sched.warmup(cs, 3).k_warm, 3, "s.k_warm")
t.is(cs.gamma, nil, "a parameter of another kind is nil")
t.is(cs[1], nil, "a non-string key is nil")

-- }======================================================

-- {======================================================
-- Argument checks
-- =======================================================

local errors = {
  { "bad argument #1 to 'constant' (number expected, got no value)",
    sched.constant },
  { "bad argument #1 to 'constant' (number expected, got string)",
    sched.constant, "0.1" },
  { "bad argument #1 to 'constant' (positive number expected, got 0)",
    sched.constant, 0 },
  { "bad argument #1 to 'constant' (positive number expected, got -0.1)",
    sched.constant, -0.1 },
  { "bad argument #1 to 'constant' (positive number expected, got inf)",
    sched.constant, math.huge },
  { "bad argument #1 to 'constant' (positive number expected, got ",
    sched.constant, 0 / 0 },
  { "bad argument #1 to 'step' (positive number expected, got -1)",
    sched.step, -1, 0.5, 3 },
  { "bad argument #2 to 'step' (number in (0, 1] expected, got 1.5)",
    sched.step, 0.1, 1.5, 3 },
  { "bad argument #2 to 'step' (number in (0, 1] expected, got 0)",
    sched.step, 0.1, 0, 3 },
  { "bad argument #3 to 'step' (integer >= 1 expected, got 0)",
    sched.step, 0.1, 0.5, 0 },
  { "bad argument #3 to 'step' (integer >= 1 expected, got 2.5)",
    sched.step, 0.1, 0.5, 2.5 },
  { "bad argument #3 to 'step' (number expected, got no value)",
    sched.step, 0.1, 0.5 },
  { "bad argument #1 to 'exponential' (positive number expected, got 0.0)",
    sched.exponential, 0.0, 0.5 },
  { "bad argument #2 to 'exponential' (number in (0, 1] expected, got 1.01)",
    sched.exponential, 0.1, 1.01 },
  { "bad argument #2 to 'exponential' (number in (0, 1] expected, got -0.5)",
    sched.exponential, 0.1, -0.5 },
  { "bad argument #2 to 'inverse_time' (non-negative number expected, got -0.5)",
    sched.inverse_time, 0.1, -0.5 },
  { "bad argument #2 to 'inverse_time' (non-negative number expected, got inf)",
    sched.inverse_time, 0.1, math.huge },
  { "bad argument #3 to 'inverse_time' (positive number expected, got 0)",
    sched.inverse_time, 0.1, 0.5, 0 },
  { "bad argument #3 to 'inverse_time' (number expected, got string)",
    sched.inverse_time, 0.1, 0.5, "x" },
  { "bad argument #1 to 'cosine' (number expected, got table)",
    sched.cosine, {}, 10 },
  { "bad argument #2 to 'cosine' (integer >= 1 expected, got 0)",
    sched.cosine, 0.1, 0 },
  { "bad argument #2 to 'cosine' (integer >= 1 expected, got 10.5)",
    sched.cosine, 0.1, 10.5 },
  { "bad argument #3 to 'cosine' (number in [0, 0.1] expected, got 0.2)",
    sched.cosine, 0.1, 10, 0.2 },
  { "bad argument #3 to 'cosine' (number in [0, 0.1] expected, got -0.01)",
    sched.cosine, 0.1, 10, -0.01 },
  { "bad argument #4 to 'cosine' (boolean expected, got number)",
    sched.cosine, 0.1, 10, 0, 1 },
  { "bad argument #5 to 'cosine' (integer >= 1 expected, got 0)",
    sched.cosine, 0.1, 10, 0, true, 0 },
  { "bad argument #5 to 'cosine' (integer >= 1 expected, got 1.5)",
    sched.cosine, 0.1, 10, 0, true, 1.5 },
  { "bad argument #5 to 'cosine' (a period multiplier needs restart = true)",
    sched.cosine, 0.1, 10, 0, false, 2 },
  { "bad argument #1 to 'warmup' (schedule expected, got function)",
    sched.warmup, function(k) return 0.1 end, 5 },
  { "bad argument #1 to 'warmup' (schedule expected, got vec)",
    sched.warmup, slope.vec { 0.1 }, 5 },
  { "bad argument #2 to 'warmup' (integer >= 1 expected, got 0)",
    sched.warmup, c, 0 },
  { "bad argument #2 to 'warmup' (number expected, got no value)",
    sched.warmup, c },
  { "bad argument #1 to 'schedule' (integer >= 0 expected, got -1)", c, -1 },
  { "bad argument #1 to 'schedule' (integer >= 0 expected, got 1.5)", c, 1.5 },
  { "bad argument #1 to 'schedule' (number expected, got string)", c, "3" },
  { "bad argument #1 to 'schedule' (number expected, got no value)", c },
}
for _, e in ipairs(errors) do t.error_like(table.unpack(e)) end
t.error_like("bad argument #2 to 'exponential' (number expected, got nil)",
             sched.exponential, 0.1, nil)
t.is(sched.cosine(lr, 10, nil, true)(10), lr, "cosine: nil lr_min is 0")
t.is(c(3.0), lr, "s(k) takes a float k with an integer value")

-- }======================================================

-- {======================================================
-- Help entries: every constructor documented, every example true
-- =======================================================

local src = os.getenv("top_srcdir")
            or (arg and arg[0]:match("^(.*)/tests/[^/]*$")) or "."
local chunk = assert(loadfile(src .. "/lua/slope/doc/schedule.lua"))
local entries = {}
chunk()(function(name, info) entries[name] = info end)
local env = setmetatable({ slope = { optim = { schedule = sched } } },
                         { __index = _G })
local documented = { "slope.optim.schedule" }
for _, name in ipairs(names) do
  documented[#documented + 1] = "slope.optim.schedule." .. name
end
for _, name in ipairs(documented) do
  local e = entries[name]
  t.ok(e and e.signature and e.summary and e.text and e.example,
       "help entry " .. name)
  t.example(e, env, name)
end

-- }======================================================

t.done()
