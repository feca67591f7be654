-- solvers_slope.lua: the slope peer of scripts/bench/solvers, run as
-- "slope solvers_slope.lua"; it answers one line per request:
--   setup rosen N               ->  ok n=N
--   run lbfgs GTOL KIND         ->  ok k=v ... | na WHY | error MESSAGE
--   losstime SECONDS            ->  ok valgrad= value= alloc= hvp= trace=
--   setup logreg N D            ->  ok n=N d=D
--   run sgd METHOD LR BATCH SEED ->  ok k=v ... | na WHY | error MESSAGE
--   loss                        ->  ok loss=L (of the last sgd result)
--   quit
-- "run lbfgs" minimises extended Rosenbrock (problems.lua's source) from
-- the standard start (-1.2, 1, -1.2, 1, ...) with optim.minimize(f, x0,
-- {method = "lbfgs", gtol = GTOL}), KIND "kind" as a user calls it, or
-- "nokind" with opts.kind = false (no Hessian inertia of the result); f is a
-- fresh closure each time, so the run traces it again.  "losstime" times,
-- at x0, the compiled tape's F:valgrad(x) and F(x), the allocation
-- F:valgrad makes for its result (slope.vec(n, 0): the same userdata and
-- memset) and F:hvp(x, v): medians of samples of process CPU time
-- (os.clock), each sample repeating the call for about SECONDS; and tracing
-- itself (ad.compile of a fresh closure): the median of 9 single traces,
-- each from a collected heap.  "run sgd" runs one epoch of
-- optim.sgd(loss, w0, {X, y}, {method = METHOD, lr = LR, batch = BATCH,
-- epochs = 1, seed = SEED}) on problems.lua's logistic-regression data from
-- w0 = 0, loss(w, Xb, yb) the batch's mean softplus(-y X.w); "loss" gives
-- the full-data loss at its result (asked separately, so that the driver's
-- wall time of "run" is the epoch's).  Times reported by the peer
-- itself are os.clock (CPU) figures; the driver takes wall times around
-- each request.

local dir = arg and arg[0] and arg[0]:match("^(.*)/[^/]*$") or "."
local P = dofile(dir .. "/problems.lua")
local slope = require "slope"
local ad, optim = slope.ad, slope.optim

local clock, format, tostring = os.clock, string.format, tostring

io.stdout:setvbuf("line")

local function oneline(s)
  return (tostring(s):gsub("%s+", " "))
end

local function median(t)
  table.sort(t)
  local n = #t
  return n % 2 == 1 and t[(n + 1) // 2] or (t[n // 2] + t[n // 2 + 1]) / 2
end

-- Per-call time of fn: the median of `samples` samples, each repeating fn
-- enough times to last about `seconds`.
local function percall(fn, seconds, samples)
  collectgarbage()
  local t0 = clock()
  fn()
  local once = math.max(clock() - t0, 1e-7)
  local reps = math.max(1, math.floor(seconds / once))
  local s = {}
  for k = 1, samples do
    collectgarbage()
    t0 = clock()
    for _ = 1, reps do fn() end
    s[k] = (clock() - t0) / reps
  end
  return median(s)
end

local n, x0, N, d, X, y, wlast

local function rosen_closure()
  local m = n
  return function(x) return P.rosenbrock(x, m) end
end

local function run_lbfgs(gtol, kind)
  local opts = {method = "lbfgs", gtol = gtol, maxiter = 1000000}
  if kind == "nokind" then opts.kind = false end
  local f = rosen_closure()
  local t0 = clock()
  local ok, r = pcall(optim.minimize, f, x0, opts)
  local cpu = clock() - t0
  if not ok then
    if tostring(r):find("field 'method' must be one of", 1, true) then
      return "na " .. oneline(r)
    end
    return "error " .. oneline(r)
  end
  local e = r.evaluations
  return format("ok iterations=%d nf=%d ng=%d nh=%d loop=%.9g cpu=%.9g " ..
                "f=%.17g gnorm=%.17g status=%s", r.iterations, e.f or 0,
                e.grad or 0, e.hess or 0, r.time or -1, cpu, r.f, r.gnorm,
                r.status)
end

local function losstime(seconds)
  local F = ad.compile(rosen_closure(), n)
  local v = slope.vec(P.direction(n))
  local tv = percall(function() F:valgrad(x0) end, seconds, 7)
  local tf = percall(function() F(x0) end, seconds, 7)
  local ta = percall(function() slope.vec(n, 0) end, seconds, 7)
  local th = percall(function() F:hvp(x0, v) end, seconds, 7)
  local ts = {}
  for k = 1, 9 do  -- one trace per sample, from a collected heap
    collectgarbage()
    local t0 = clock()
    ad.compile(rosen_closure(), n)
    ts[k] = clock() - t0
  end
  local tt = median(ts)
  return format("ok valgrad=%.9g value=%.9g alloc=%.9g hvp=%.9g trace=%.9g " ..
                "nodes=%d", tv, tf, ta, th, tt, F.nodes)
end

local function softplus_loss(w, Xb, yb)
  local B = #yb
  local s = 0
  for i = 1, B do
    s = s + ad.softplus(-yb[i] * Xb[i]:dot(w))
  end
  return s / B
end

-- The full-data loss at w, on numbers.
local function full_loss(w)
  local s = 0
  for i = 1, N do
    s = s + ad.softplus(-y[i] * X[i]:dot(w))
  end
  return s / N
end

local function run_sgd(method, lr, batch, seed)
  if type(optim.sgd) ~= "function" then
    return "na optim.sgd not available"
  end
  local w0 = slope.vec(d, 0)
  local loss = function(w, Xb, yb) return softplus_loss(w, Xb, yb) end
  local t0 = clock()
  local ok, r = pcall(optim.sgd, loss, w0, {X, y},
                      {method = method, lr = lr, batch = batch, epochs = 1,
                       seed = seed})
  local cpu = clock() - t0
  if not ok then return "error " .. oneline(r) end
  wlast = type(r) == "table" and (r.x or r.w) or r
  return format("ok steps=%s cpu=%.9g time=%s status=%s", tostring(
                type(r) == "table" and (r.iterations or r.steps) or "?"),
                cpu, tostring(type(r) == "table" and r.time or "?"),
                tostring(type(r) == "table" and r.status or "?"))
end

for line in io.lines() do
  local w = {}
  for s in line:gmatch("%S+") do w[#w + 1] = s end
  local ok, reply = pcall(function()
    if w[1] == "setup" and w[2] == "rosen" then
      n = math.tointeger(tonumber(w[3]))
      local t = {}
      for i = 1, n do t[i] = i % 2 == 1 and -1.2 or 1.0 end
      x0 = slope.vec(t)
      return format("ok n=%d", n)
    elseif w[1] == "setup" and w[2] == "logreg" then
      N, d = math.tointeger(tonumber(w[3])), math.tointeger(tonumber(w[4]))
      local rows, labels = P.logreg_data(N, d)
      X, y = slope.mat(rows), slope.vec(labels)
      rows, labels = nil, nil
      collectgarbage()
      return format("ok n=%d d=%d", N, d)
    elseif w[1] == "run" and w[2] == "lbfgs" and x0 then
      return run_lbfgs(tonumber(w[3]), w[4])
    elseif w[1] == "losstime" and x0 then
      return losstime(tonumber(w[2]))
    elseif w[1] == "run" and w[2] == "sgd" and X then
      return run_sgd(w[3], tonumber(w[4]), math.tointeger(tonumber(w[5])),
                     math.tointeger(tonumber(w[6])))
    elseif w[1] == "loss" and wlast then
      return format("ok loss=%.17g", full_loss(wlast))
    elseif w[1] == "quit" then
      return nil
    end
    return "error unknown command"
  end)
  if ok and reply == nil then break end
  print(ok and reply or "error " .. oneline(reply))
end
