-- pycode.lua: Lua functions of x written out as straight-line Python with
-- exact gradients, so that SciPy runs the very formulas slope does.  Shared
-- by mgh_pycode.lua and hs_pycode.lua (loaded with dofile; stock lua5.4 runs
-- it too).
--
--   pycode.prelude(emit)                 the module's imports and helpers
--   pycode.define(emit, f, g, fn, n, opts) -> operations, depends
--       emits def f(x) (the value) and def g(x) (the gradient) for the Lua
--       function fn of n inputs; depends: whether its value depends on x
--   pycode.ifelse(c, a, b)               a symbolic ifelse for problems
--   pycode.num(v)                        a number as a Python literal
--
-- fn is called once on symbolic numbers: tables whose arithmetic
-- metamethods and math functions (math is swapped for the call) record an
-- operation and return a new symbol; operations on plain numbers stay plain
-- numbers, so constants fold as in Lua.  g replays the record, then runs
-- the reverse sweep (each operation's partial derivatives in reverse
-- order).  Python's math functions are C's libm, as slope's tape, so f
-- agrees to the last digit.  Where Python raises (overflow, division by
-- zero, a domain error), f returns opts.fail ("_inf" or "_nan") and g NaNs.
local format, concat = string.format, table.concat
local stock = math

local pycode = {}

-- {======================================================
-- Symbolic numbers
-- =======================================================

local Sym = {}
local ops        -- the record: {op, a, b, c} with operands symbols or numbers
local function issym(v) return getmetatable(v) == Sym end

local function node(op, a, b, c)
  ops[#ops + 1] = {op = op, a = a, b = b, c = c}
  return setmetatable({id = #ops}, Sym)
end

local function binary(op, fold)
  return function(a, b)
    if not issym(a) and not issym(b) then return fold(a, b) end
    return node(op, a, b)
  end
end

Sym.__add = binary("add", function(a, b) return a + b end)
Sym.__sub = binary("sub", function(a, b) return a - b end)
Sym.__mul = binary("mul", function(a, b) return a * b end)
Sym.__div = binary("div", function(a, b) return a / b end)
Sym.__pow = binary("pow", function(a, b) return a ^ b end)
Sym.__unm = function(a) return node("unm", a) end
Sym.__index = function() error("a symbolic number has no fields", 2) end
Sym.__lt = function() error("comparison of a traced value", 2) end
Sym.__le = Sym.__lt

local symmath = setmetatable({}, {__index = stock})
for _, name in ipairs{"exp", "log", "sin", "cos", "tan", "sqrt", "abs",
                      "asin"} do
  symmath[name] = function(a)
    if not issym(a) then return stock[name](a) end
    return node(name, a)
  end
end
symmath.atan = function(y, x)
  if x == nil then
    if not issym(y) then return stock.atan(y) end
    return node("atan", y)
  end
  if not issym(y) and not issym(x) then return stock.atan(y, x) end
  return node("atan2", y, x)
end

function pycode.ifelse(c, a, b)
  if not issym(c) and not issym(a) and not issym(b) then
    if c > 0 then return a else return b end
  end
  return node("ifelse", c, a, b)
end

-- }======================================================

-- {======================================================
-- Python code
-- =======================================================

function pycode.num(v)
  if v ~= v then return "_nan" end
  if v == math.huge then return "_inf" end
  if v == -math.huge then return "(-_inf)" end
  local s = format("%.17g", v)
  if not s:find("[%.eEn]") then s = s .. ".0" end
  return v < 0 and "(" .. s .. ")" or s
end
local num = pycode.num

-- The Python name of an operand: v<k> for a recorded value, x<i> for an
-- input, or a literal.
local nin
local function ref(v)
  if issym(v) then
    return v.id <= nin and format("x%d", v.id - 1) or format("v%d", v.id)
  end
  return num(v)
end

-- The expression of operation k.
local function expr(o)
  local a, b, c = ref(o.a), o.b ~= nil and ref(o.b), o.c ~= nil and ref(o.c)
  local op = o.op
  if op == "add" then return a .. " + " .. b
  elseif op == "sub" then return a .. " - " .. b
  elseif op == "mul" then return a .. " * " .. b
  elseif op == "div" then return a .. " / " .. b
  elseif op == "pow" then
    if o.b == 2 then return a .. " * " .. a end
    return format("_pow(%s, %s)", a, b)
  elseif op == "unm" then return "-" .. a
  elseif op == "atan2" then return format("math.atan2(%s, %s)", a, b)
  elseif op == "ifelse" then
    return format("(%s if %s > 0 else %s)", b, a, c)
  elseif op == "abs" then return format("abs(%s)", a)
  end
  return format("math.%s(%s)", op, a)
end

-- The partial derivatives of operation k (value v<k>) with respect to its
-- symbolic operands: a list of {operand, factor} (factor nil: 1, "-": -1).
local function partials(o, k)
  local a, b = ref(o.a), o.b ~= nil and ref(o.b)
  local v = format("v%d", k)
  local op, d = o.op, {}
  local function add(x, e) if issym(x) then d[#d + 1] = {x, e} end end
  if op == "add" then add(o.a, nil); add(o.b, nil)
  elseif op == "sub" then add(o.a, nil); add(o.b, "-")
  elseif op == "mul" then add(o.a, b); add(o.b, a)
  elseif op == "div" then
    add(o.a, "1 / " .. b)
    add(o.b, "-" .. v .. " / " .. b)
  elseif op == "pow" then
    if o.b == 2 then add(o.a, "2 * " .. a)
    else add(o.a, format("%s * _pow(%s, %s - 1)", b, a, b)) end
    add(o.b, format("%s * math.log(%s)", v, a))
  elseif op == "unm" then add(o.a, "-")
  elseif op == "exp" then add(o.a, v)
  elseif op == "log" then add(o.a, "1 / " .. a)
  elseif op == "sin" then add(o.a, format("math.cos(%s)", a))
  elseif op == "cos" then add(o.a, format("-math.sin(%s)", a))
  elseif op == "tan" then add(o.a, format("(1 + %s * %s)", v, v))
  elseif op == "sqrt" then add(o.a, format("0.5 / %s", v))
  elseif op == "abs" then add(o.a, format("_sign(%s)", a))
  elseif op == "asin" then
    add(o.a, format("1 / math.sqrt(1 - %s * %s)", a, a))
  elseif op == "atan" then add(o.a, format("1 / (1 + %s * %s)", a, a))
  elseif op == "atan2" then
    local r = format("(%s * %s + %s * %s)", a, a, b, b)
    add(o.a, format("%s / %s", b, r))
    add(o.b, format("-%s / %s", a, r))
  elseif op == "ifelse" then
    add(o.b, format("(1.0 if %s > 0 else 0.0)", a))
    add(o.c, format("(0.0 if %s > 0 else 1.0)", a))
  else
    error("no derivative for " .. op)
  end
  return d
end

function pycode.prelude(emit)
  emit("import math")
  emit("_inf = math.inf")
  emit("_nan = math.nan")
  emit("_ERR = (OverflowError, ZeroDivisionError, ValueError)")
  emit("")
  emit("def _pow(a, b):")
  emit("    try:")
  emit("        return math.pow(a, b)")
  emit("    except ValueError:")
  emit("        return _inf if a == 0 else _nan")
  emit("")
  emit("def _sign(a):")
  emit("    return 1.0 if a > 0 else (-1.0 if a < 0 else 0.0)")
  emit("")
  emit("PROBLEMS = []")
end

-- opts.what names fn in errors; opts.fail is what f returns when Python
-- raises; opts.hooks, a list of {table, key}, are set to pycode's symbolic
-- version (pycode.ifelse) during the call.
function pycode.define(emit, fname, gname, fn, n, opts)
  ops = {}
  local x = {}
  for i = 1, n do x[i] = node("input") end
  nin = n
  local saved = {_G.math}
  _G.math = symmath
  for k, h in ipairs(opts.hooks or {}) do
    saved[k + 1] = h[1][h[2]]
    h[1][h[2]] = pycode.ifelse
  end
  local ok, y = pcall(fn, x)
  _G.math = saved[1]
  for k, h in ipairs(opts.hooks or {}) do h[1][h[2]] = saved[k + 1] end
  if not ok then error(opts.what .. ": " .. tostring(y), 0) end
  local nops = #ops
  local unpack = {}
  for i = 1, n do unpack[i] = format("x%d", i - 1) end
  local head = "    " .. concat(unpack, ", ") .. (n == 1 and "," or "") ..
               " = [float(t) for t in x]"
  local function replay()
    for k = nin + 1, nops do
      emit(format("        v%d = %s", k, expr(ops[k])))
    end
  end
  emit("")
  emit(format("def %s(x):", fname))
  emit(head)
  emit("    try:")
  replay()
  emit(format("        return float(%s)", ref(y)))
  emit("    except _ERR:")
  emit("        return " .. opts.fail)
  emit("")
  emit(format("def %s(x):", gname))
  emit(head)
  if not issym(y) then
    emit(format("    return [0.0] * %d", n))
    return nops - nin, false
  end
  emit("    try:")
  replay()
  local have = {[y.id] = true}
  emit(format("        a%d = 1.0", y.id))
  for k = nops, nin + 1, -1 do
    if have[k] then
      for _, pd in ipairs(partials(ops[k], k)) do
        local opd, e = pd[1].id, pd[2]
        local term
        if e == nil then term = format("a%d", k)
        elseif e == "-" then term = format("-a%d", k)
        else term = format("%s * a%d", e, k) end
        if have[opd] then
          emit(format("        a%d += %s", opd, term))
        else
          emit(format("        a%d = %s", opd, term))
          have[opd] = true
        end
      end
    end
  end
  local gs = {}
  for i = 1, n do gs[i] = have[i] and format("a%d", i) or "0.0" end
  emit("        return [" .. concat(gs, ", ") .. "]")
  emit("    except _ERR:")
  emit(format("        return [_nan] * %d", n))
  return nops - nin, true
end

-- }======================================================

return pycode
