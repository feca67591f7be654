-- problems.lua: the benchmark's problems for the Lua peers (the slope tape
-- and the pure-Lua tape), the Lua twin of problems.h: the same points, the
-- same synthetic data from the same 64-bit LCG, the same loss functions
-- (one source, run by both tapes), the math-call loop, and the line
-- protocol every peer speaks to scripts/bench/ad:
--   setup KIND ARGS...  ->  ok k=v ... | skip WHY | error MESSAGE
--   time OP REPS        ->  t SECONDS-PER-CALL | na | error MESSAGE
--   free | quit

local clock, format, tostring = os.clock, string.format, tostring
local collectgarbage, pcall, pairs = collectgarbage, pcall, pairs

local M = {}

M.LOGREG_SEED = 20240607

-- Knuth's MMIX LCG on Lua's wrapping 64-bit integers; the top 53 bits give
-- a float in [0, 1), bit for bit the numbers problems.h draws.
function M.lcg(seed)
  local s = seed
  return function()
    s = s * 6364136223846793005 + 1442695040888963407
    return (s >> 11) * (1.0 / 9007199254740992.0)
  end
end

function M.rosen_point(n)
  local x = {}
  for i = 1, n do
    x[i] = (i % 2 == 1 and -1.2 or 1.0) + 0.01 * (i % 17) / 17
  end
  return x
end

function M.direction(n)
  local v = {}
  for i = 1, n do v[i] = 1 - (i % 13) / 6.5 end
  return v
end

-- Folds a gradient (any 1-based indexable) into the cross-check number.
function M.fold(n, g)
  local s = 0
  for i = 1, n do s = s + (1 + (i % 7) / 7) * g[i] end
  return s
end

function M.logreg_point(d)
  local w = {}
  for j = 1, d do w[j] = 0.05 * (j % 7) - 0.15 end
  return w
end

-- Synthetic data: X as N row tables of d features in [-1, 1), y = +-1
-- from a hidden linear model plus noise (draw order as in problems.h).
function M.logreg_data(N, d)
  local u = M.lcg(M.LOGREG_SEED)
  local wtrue, X, y = {}, {}, {}
  for j = 1, d do wtrue[j] = 2 * u() - 1 end
  for i = 1, N do
    local row, s = {}, 0
    for j = 1, d do
      local xij = 2 * u() - 1
      row[j] = xij
      s = s + xij * wtrue[j]
    end
    s = s + 0.5 * (2 * u() - 1)
    X[i] = row
    y[i] = s >= 0 and 1 or -1
  end
  return X, y
end

-- Extended Rosenbrock: sum over pairs (a, b) of 100 (b - a^2)^2 + (1 - a)^2.
function M.rosenbrock(x, n)
  local s = 0
  for i = 1, n, 2 do
    local a, b = x[i], x[i + 1]
    local t = b - a * a
    local u = 1 - a
    s = s + 100 * t * t + u * u
  end
  return s
end

-- Logistic regression: (1/N) sum_i softplus(-y_i X_i.w); softplus is the
-- tape's own (ad.softplus for slope).
function M.logistic(w, X, y, N, softplus)
  local s = 0
  for i = 1, N do
    s = s + softplus(-y[i] * X[i]:dot(w))
  end
  return s / N
end

-- K rounds of four math calls, looked up through the global math table as
-- a user's loss would (so deliberately not cached in locals).  Returns the
-- sum so nothing is dead.
function M.mathloop(K)
  local s = 0
  for i = 1, K do
    local x = i * 1e-6
    s = s + math.exp(x) + math.sin(x) + math.floor(x * 10) + math.max(x, 0.5)
  end
  return s
end

-- Formats an info table as "k=v k=v" (numbers with all their digits).
local function info_line(info)
  local parts = {}
  for k, v in pairs(info) do
    if math.type(v) == "float" then v = format("%.17g", v) end
    parts[#parts + 1] = k .. "=" .. tostring(v)
  end
  table.sort(parts)
  return table.concat(parts, " ")
end

local function oneline(msg)
  return (tostring(msg):gsub("%s+", " "))
end

-- Runs the protocol loop.  peer.setup(kind, ...) returns an info table and
-- a table of operations (name -> function run once per call), or nil and
-- a reason to skip.  Every timed sample starts from a collected heap.
function M.serve(peer)
  io.stdout:setvbuf("line")
  local ops = {}
  for line in io.lines() do
    local words = {}
    for w in line:gmatch("%S+") do words[#words + 1] = w end
    local cmd = words[1]
    if cmd == "setup" then
      ops = {}
      collectgarbage()
      local args = {}
      for i = 3, #words do args[#args + 1] = tonumber(words[i]) end
      local ok, info, newops = pcall(peer.setup, words[2], table.unpack(args))
      if not ok then
        print("error " .. oneline(info))
      elseif info == nil then
        print("skip " .. oneline(newops))
      else
        ops = newops
        print("ok " .. info_line(info))
      end
    elseif cmd == "time" then
      local f, reps = ops[words[2]], tonumber(words[3])
      if not f then
        print("na")
      else
        collectgarbage()
        local ok, t = pcall(function()
          local t0 = clock()
          for _ = 1, reps do f() end
          return clock() - t0
        end)
        if ok then
          print(format("t %.9g", t / reps))
        else
          print("error " .. oneline(t))
        end
      end
    elseif cmd == "free" then
      ops = {}
      if peer.free then peer.free() end
      collectgarbage()
      print("ok")
    elseif cmd == "quit" then
      break
    else
      print("error unknown command")
    end
  end
end

return M
