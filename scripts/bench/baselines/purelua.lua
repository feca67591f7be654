-- purelua.lua: the pure-Lua tape peer of the differentiation benchmark,
-- and stock Lua's side of the math-call comparison.  Run by scripts/bench/ad
-- under stock lua5.4 (never with slope.ad loaded):
--   lua5.4 purelua.lua     (speaks the protocol in problems.lua)

local dir = arg and arg[0] and arg[0]:match("^(.*)/[^/]*$") or "."

local P = dofile(dir .. "/problems.lua")
local T = dofile(dir .. "/luatape.lua")

local clock = os.clock

local peer = {}

-- Times one recording and cross-checks the tape: the info the driver wants.
local function recorded(f, n, x, ...)
  local t0 = clock()
  local tape = T.record(f, n, ...)
  local trace = clock() - t0
  local fv, g = tape:valgrad(x)
  return tape, {f = fv, g = P.fold(n, g), nodes = tape.nodes, trace = trace}
end

function peer.setup(kind, a, b)
  if kind == "rosen" then
    local n, x = a, P.rosen_point(a)
    local function f(xs) return P.rosenbrock(xs, n) end
    local tape, info = recorded(f, n, x)
    if info.f ~= tape:value(x) then error("value and valgrad disagree") end
    local function valgrad() tape:valgrad(x) end
    return info, {
      value = function() tape:value(x) end,
      valgrad = valgrad,
      grad = valgrad,
      trace = function() T.record(f, n) end,
    }
  elseif kind == "logreg" then
    local N, d = a, b
    local X, y = P.logreg_data(N, d)
    for i = 1, N do setmetatable(X[i], T.row) end
    local w = P.logreg_point(d)
    local function f(ws, Xd, yd)
      return P.logistic(ws, Xd, yd, N, T.softplus)
    end
    local tape, info = recorded(f, d, w, X, y)
    local function valgrad() tape:valgrad(w) end
    return info, {
      value = function() tape:value(w) end,
      valgrad = valgrad,
      grad = valgrad,
      trace = function() T.record(f, d, X, y) end,
    }
  elseif kind == "mathloop" then
    local K = a
    return {sum = P.mathloop(K)}, {value = function() P.mathloop(K) end}
  end
  return nil, "unknown problem " .. tostring(kind)
end

P.serve(peer)
