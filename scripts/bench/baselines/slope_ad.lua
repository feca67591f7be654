-- slope_ad.lua: the slope side of the differentiation benchmark, run by
-- scripts/bench/ad as "slope slope_ad.lua" (speaks the protocol in
-- problems.lua).  Each loss is compiled once with ad.compile(f, n [, opts])
-- (the logistic regression with opts.data = {X, y}) and the compiled tape
-- is timed: F(x), F:valgrad(x), F:grad(x), F:hvp(x, v); "trace" compiles
-- a fresh closure of the loss (ad.compile caches per function object, so
-- compiling f itself again would time a cache hit).  For the math-call
-- loop it keeps the stock math functions, taken before slope.ad is loaded,
-- to tell the host's cost from the overloading's.

local stock_math = {}
for k, f in pairs(math) do stock_math[k] = f end

local dir = arg and arg[0] and arg[0]:match("^(.*)/[^/]*$") or "."

local P = dofile(dir .. "/problems.lua")
local slope = require "slope"
local ad = require "slope.ad"

local clock = os.clock

local peer = {}

-- Compiles f once (timed) and cross-checks every operation; an operation
-- that fails leaves its check out and raises again when timed.
local function compiled(n, f, opts, x, v)
  local t0 = clock()
  local F = ad.compile(f, n, opts)
  local trace = clock() - t0
  local info = {nodes = F.nodes, bytes = F.bytes, trace = trace}
  local ok, fv = pcall(function() return F(x) end)
  if ok then info.f = fv end
  local okg, g = pcall(function() return F:grad(x) end)
  if okg then info.g = P.fold(n, g) end
  local okv, fv2, g2 = pcall(function() return F:valgrad(x) end)
  if okv then
    info.valgrad_f = fv2
    info.valgrad_g = P.fold(n, g2)
  end
  local okh, hv = pcall(function() return F:hvp(x, v) end)
  if okh then info.hv = P.fold(n, hv) end
  return F, info
end

local function operations(F, x, v, retrace)
  return {
    value = function() F(x) end,
    valgrad = function() F:valgrad(x) end,
    grad = function() F:grad(x) end,
    hvp = function() F:hvp(x, v) end,
    trace = retrace,
  }
end

function peer.setup(kind, a, b)
  if kind == "rosen" then
    local n = a
    local x, v = slope.vec(P.rosen_point(n)), slope.vec(P.direction(n))
    local function f(xs) return P.rosenbrock(xs, n) end
    local F, info = compiled(n, f, nil, x, v)
    return info, operations(F, x, v, function()
      ad.compile(function(xs) return f(xs) end, n)
    end)
  elseif kind == "logreg" then
    local N, d = a, b
    local rows, labels = P.logreg_data(N, d)
    local X, y = slope.mat(rows), slope.vec(labels)
    rows, labels = nil, nil
    local w, v = slope.vec(P.logreg_point(d)), slope.vec(P.direction(d))
    local function f(ws, Xd, yd)
      return P.logistic(ws, Xd, yd, N, ad.softplus)
    end
    local opts = {data = {X, y}}
    local F, info = compiled(d, f, opts, w, v)
    return info, operations(F, w, v, function()
      ad.compile(function(ws, Xd, yd) return f(ws, Xd, yd) end, d, opts)
    end)
  elseif kind == "mathloop" then
    local K = a
    local overloaded = {}
    for k in pairs(stock_math) do
      if math[k] ~= stock_math[k] then overloaded[#overloaded + 1] = k end
    end
    table.sort(overloaded)
    local function stock()
      local m = math
      _G.math = stock_math
      local ok, err = pcall(P.mathloop, K)
      _G.math = m
      if not ok then error(err, 0) end
    end
    return {sum = P.mathloop(K),
            overloaded = #overloaded > 0 and table.concat(overloaded, ",")
              or "none"},
      {value = function() P.mathloop(K) end, stock = stock}
  end
  return nil, "unknown problem " .. tostring(kind)
end

P.serve(peer)
