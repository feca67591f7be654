-- luatape.lua: a reverse-mode tape written in pure Lua, the peer that tells
-- what slope's C tape buys over doing the same thing in the interpreter.
-- It is built the way a careful Lua programmer would build it: a loss is
-- recorded once through metamethods into flat parallel arrays (operation
-- code, first argument, second argument or constant), then replayed by a
-- forward sweep (value) and a reverse sweep (gradient) over those arrays,
-- with every array reused from call to call.  A dot product of a data row
-- with the inputs is one node, as in slope's vector nodes.
--
--   local T = require "luatape"
--   local tape = T.record(f, n, ...)   -- f(xs, ...) with xs traced
--   tape:value(x) -> f;  tape:valgrad(x) -> f, g (g reused);  tape.nodes

local exp, log, sin, cos, sqrt = math.exp, math.log, math.sin, math.cos,
  math.sqrt
local getmetatable, setmetatable, type, error = getmetatable, setmetatable,
  type, error

local T = {}

-- Operation codes, the most frequent first (the sweeps test in this order).
local MUL, ADD, SUB, MULC, RSUBC, ADDC, DOT, SOFTPLUS, DIVC, SUBC, DIV,
  RDIVC, NEG, POWC, EXP, LOG, SIN, COS, SQRT =
  1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19

-- The recording in progress.
local op, A, B, top

local Var = {}
Var.__index = Var

local function node(o, a, b)
  top = top + 1
  op[top], A[top], B[top] = o, a, b
  return setmetatable({top}, Var)
end

local function isvar(v) return getmetatable(v) == Var end

function Var.__add(p, q)
  if isvar(p) then
    if isvar(q) then return node(ADD, p[1], q[1]) end
    return node(ADDC, p[1], q)
  end
  return node(ADDC, q[1], p)
end

function Var.__sub(p, q)
  if isvar(p) then
    if isvar(q) then return node(SUB, p[1], q[1]) end
    return node(SUBC, p[1], q)
  end
  return node(RSUBC, q[1], p)
end

function Var.__mul(p, q)
  if isvar(p) then
    if isvar(q) then return node(MUL, p[1], q[1]) end
    return node(MULC, p[1], q)
  end
  return node(MULC, q[1], p)
end

function Var.__div(p, q)
  if isvar(p) then
    if isvar(q) then return node(DIV, p[1], q[1]) end
    return node(DIVC, p[1], q)
  end
  return node(RDIVC, q[1], p)
end

function Var.__unm(p) return node(NEG, p[1]) end

function Var.__pow(p, q)
  if isvar(p) and type(q) == "number" then return node(POWC, p[1], q) end
  error("luatape: only traced ^ number is supported", 2)
end

local function unary(code, f)
  return function(p)
    if isvar(p) then return node(code, p[1]) end
    return f(p)
  end
end

local function softplus(t) return log(1 + exp(t)) end

T.exp, T.log, T.sin, T.cos, T.sqrt = unary(EXP, exp), unary(LOG, log),
  unary(SIN, sin), unary(COS, cos), unary(SQRT, sqrt)
T.softplus = unary(SOFTPLUS, softplus)

-- Data rows: row:dot(w) is one DOT node when w holds traced values.
local idcache = setmetatable({}, {__mode = "k"})
T.row = {__index = {
  dot = function(row, w)
    if isvar(w[1]) then
      local ids = idcache[w]
      if not ids then
        ids = {}
        for j = 1, #w do ids[j] = w[j][1] end
        idcache[w] = ids
      end
      return node(DOT, row, ids)
    end
    local s = 0
    for j = 1, #row do s = s + row[j] * w[j] end
    return s
  end,
}}

local Tape = {}
Tape.__index = Tape

-- Records f(xs, ...) with xs n traced inputs; returns the tape.
function T.record(f, n, ...)
  op, A, B, top = {}, {}, {}, 0
  local xs = {}
  for i = 1, n do xs[i] = node(0) end
  local out = f(xs, ...)
  local tape = setmetatable({op = op, A = A, B = B, n = n, nodes = top,
                             val = {}, adj = {}, g = {}}, Tape)
  if isvar(out) then
    tape.out = out[1]
  else
    tape.const = out
  end
  op, A, B, top = nil, nil, nil, nil
  for k = 1, tape.nodes do tape.val[k], tape.adj[k] = 0, 0 end
  for i = 1, n do tape.g[i] = 0 end
  return tape
end

local function forward(t, x)
  local op, A, B, val = t.op, t.A, t.B, t.val
  for i = 1, t.n do val[i] = x[i] end
  for k = t.n + 1, t.nodes do
    local o = op[k]
    if o == MUL then val[k] = val[A[k]] * val[B[k]]
    elseif o == ADD then val[k] = val[A[k]] + val[B[k]]
    elseif o == SUB then val[k] = val[A[k]] - val[B[k]]
    elseif o == MULC then val[k] = val[A[k]] * B[k]
    elseif o == RSUBC then val[k] = B[k] - val[A[k]]
    elseif o == ADDC then val[k] = val[A[k]] + B[k]
    elseif o == DOT then
      local row, ids, s = A[k], B[k], 0
      for j = 1, #ids do s = s + row[j] * val[ids[j]] end
      val[k] = s
    elseif o == SOFTPLUS then val[k] = log(1 + exp(val[A[k]]))
    elseif o == DIVC then val[k] = val[A[k]] / B[k]
    elseif o == SUBC then val[k] = val[A[k]] - B[k]
    elseif o == DIV then val[k] = val[A[k]] / val[B[k]]
    elseif o == RDIVC then val[k] = B[k] / val[A[k]]
    elseif o == NEG then val[k] = -val[A[k]]
    elseif o == POWC then val[k] = val[A[k]] ^ B[k]
    elseif o == EXP then val[k] = exp(val[A[k]])
    elseif o == LOG then val[k] = log(val[A[k]])
    elseif o == SIN then val[k] = sin(val[A[k]])
    elseif o == COS then val[k] = cos(val[A[k]])
    elseif o == SQRT then val[k] = sqrt(val[A[k]])
    end
  end
  if t.out then return val[t.out] end
  return t.const
end

function Tape:value(x) return forward(self, x) end

-- Value and gradient: a forward sweep, then a reverse sweep accumulating
-- adjoints.  The gradient array is the tape's own, overwritten each call.
function Tape:valgrad(x)
  local f = forward(self, x)
  local op, A, B, val, adj, g, n = self.op, self.A, self.B, self.val,
    self.adj, self.g, self.n
  for k = 1, self.nodes do adj[k] = 0 end
  if not self.out then
    for i = 1, n do g[i] = 0 end
    return f, g
  end
  adj[self.out] = 1
  for k = self.nodes, n + 1, -1 do
    local w = adj[k]
    if w ~= 0 then
      local o, a = op[k], A[k]
      if o == MUL then
        local b = B[k]
        adj[a] = adj[a] + w * val[b]
        adj[b] = adj[b] + w * val[a]
      elseif o == ADD then
        local b = B[k]
        adj[a] = adj[a] + w
        adj[b] = adj[b] + w
      elseif o == SUB then
        local b = B[k]
        adj[a] = adj[a] + w
        adj[b] = adj[b] - w
      elseif o == MULC then adj[a] = adj[a] + w * B[k]
      elseif o == RSUBC then adj[a] = adj[a] - w
      elseif o == ADDC or o == SUBC then adj[a] = adj[a] + w
      elseif o == DOT then
        local ids = B[k]
        for j = 1, #ids do
          local i = ids[j]
          adj[i] = adj[i] + w * a[j]
        end
      elseif o == SOFTPLUS then adj[a] = adj[a] + w / (1 + exp(-val[a]))
      elseif o == DIVC then adj[a] = adj[a] + w / B[k]
      elseif o == DIV then
        local b = B[k]
        adj[a] = adj[a] + w / val[b]
        adj[b] = adj[b] - w * val[k] / val[b]
      elseif o == RDIVC then adj[a] = adj[a] - w * val[k] / val[a]
      elseif o == NEG then adj[a] = adj[a] - w
      elseif o == POWC then
        local c = B[k]
        adj[a] = adj[a] + w * c * val[a] ^ (c - 1)
      elseif o == EXP then adj[a] = adj[a] + w * val[k]
      elseif o == LOG then adj[a] = adj[a] + w / val[a]
      elseif o == SIN then adj[a] = adj[a] + w * cos(val[a])
      elseif o == COS then adj[a] = adj[a] - w * sin(val[a])
      elseif o == SQRT then adj[a] = adj[a] + w * 0.5 / val[k]
      end
    end
  end
  for i = 1, n do g[i] = adj[i] end
  return f, g
end

return T
