-- hs_pycode.lua: writes the Hock-Schittkowski problems of ../hs_problems.lua
-- as a Python module, so that SciPy's SLSQP solves the very formulas slope
-- does.  Run by scripts/bench/hs as "slope hs_pycode.lua OUT.py" (stock
-- lua5.4 runs it too).
--
-- Every function of a problem (the objective, each constraint) is called
-- once on symbolic numbers: tables whose arithmetic metamethods and math
-- functions record an operation and return a new symbol (operations on
-- plain numbers stay plain numbers, so constants fold as in Lua).  Each
-- record is written out as straight-line Python: F(x) replays it, G(x)
-- replays it and runs the reverse sweep, returning the exact gradient.
-- Python's math functions are C's libm, as slope's tape.  Where Python
-- raises (overflow, a domain error, division by zero) a value is NaN and
-- the gradient NaNs.
--
-- The module's PROBLEMS is a list of dicts: name, number, n, x0, fstar,
-- xstar, kinds, lower, upper (lists, +-inf where there is no bound; None
-- when the problem has none), f, g (objective and gradient), eq and ineq
-- (lists of (value, gradient) function pairs).

local dir = arg and arg[0] and arg[0]:match("^(.*)/[^/]*$") or "."
local P = dofile(dir .. "/../hs_problems.lua")

local format, concat = string.format, table.concat
local stock = math
local out = assert(arg[1], "usage: hs_pycode.lua OUT.py")

-- {======================================================
-- Symbolic numbers
-- =======================================================

local Sym = {}
local ops        -- the record: {op, a, b} with operands symbols or numbers
local function issym(v) return getmetatable(v) == Sym end

local function node(op, a, b)
  ops[#ops + 1] = {op = op, a = a, b = b}
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
for _, name in ipairs{"exp", "log", "sin", "cos", "sqrt", "asin"} do
  symmath[name] = function(a)
    if not issym(a) then return stock[name](a) end
    return node(name, a)
  end
end

-- }======================================================

-- {======================================================
-- Python code
-- =======================================================

local function num(v)
  if v ~= v then return "_nan" end
  if v == math.huge then return "_inf" end
  if v == -math.huge then return "(-_inf)" end
  local s = format("%.17g", v)
  if not s:find("[%.eEn]") then s = s .. ".0" end
  return v < 0 and "(" .. s .. ")" or s
end

local nin
local function ref(v)
  if issym(v) then
    return v.id <= nin and format("x%d", v.id - 1) or format("v%d", v.id)
  end
  return num(v)
end

local function expr(o)
  local a, b = ref(o.a), o.b ~= nil and ref(o.b)
  local op = o.op
  if op == "add" then return a .. " + " .. b
  elseif op == "sub" then return a .. " - " .. b
  elseif op == "mul" then return a .. " * " .. b
  elseif op == "div" then return a .. " / " .. b
  elseif op == "pow" then
    if o.b == 2 then return a .. " * " .. a end
    return format("math.pow(%s, %s)", a, b)
  elseif op == "unm" then return "-" .. a
  end
  return format("math.%s(%s)", op, a)
end

-- The partials of operation k (value v<k>) with respect to its symbolic
-- operands: a list of {operand, factor} (factor nil: 1, "-": -1).
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
    else add(o.a, format("%s * math.pow(%s, %s - 1)", b, a, b)) end
    add(o.b, format("%s * math.log(%s)", v, a))
  elseif op == "unm" then add(o.a, "-")
  elseif op == "exp" then add(o.a, v)
  elseif op == "log" then add(o.a, "1 / " .. a)
  elseif op == "sin" then add(o.a, format("math.cos(%s)", a))
  elseif op == "cos" then add(o.a, format("-math.sin(%s)", a))
  elseif op == "sqrt" then add(o.a, format("0.5 / %s", v))
  elseif op == "asin" then
    add(o.a, format("1 / math.sqrt(1 - %s * %s)", a, a))
  else
    error("no derivative for " .. op)
  end
  return d
end

local lines = {}
local function emit(s) lines[#lines + 1] = s end

-- Emit Python functions F and G for the Lua function fn of n inputs.
local function emitfn(fname, gname, fn, n, what)
  ops = {}
  local x = {}
  for i = 1, n do x[i] = node("input") end
  nin = n
  local saved = _G.math
  _G.math = symmath
  local ok, y = pcall(fn, x)
  _G.math = saved
  if not ok then error(what .. ": " .. tostring(y), 0) end
  local nops = #ops
  local unpack = {}
  for i = 1, n do unpack[i] = format("x%d", i - 1) end
  local head = "    " .. concat(unpack, ", ") .. (n == 1 and "," or "") ..
               " = [float(t) for t in x]"
  emit("")
  emit(format("def %s(x):", fname))
  emit(head)
  emit("    try:")
  for k = nin + 1, nops do
    emit(format("        v%d = %s", k, expr(ops[k])))
  end
  emit(format("        return float(%s)", ref(y)))
  emit("    except _ERR:")
  emit("        return _nan")
  emit("")
  emit(format("def %s(x):", gname))
  emit(head)
  if not issym(y) then
    emit(format("    return [0.0] * %d", n))
    return
  end
  emit("    try:")
  for k = nin + 1, nops do
    emit(format("        v%d = %s", k, expr(ops[k])))
  end
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
end

local function pylist(t)
  if not t then return "None" end
  local s = {}
  for i = 1, #t do s[i] = num(t[i]) end
  return "[" .. concat(s, ", ") .. "]"
end

emit("# Generated by scripts/bench/baselines/hs_pycode.lua from")
emit("# scripts/bench/hs_problems.lua: the Hock-Schittkowski problems as")
emit("# straight-line Python with exact gradients.  Do not edit; regenerated")
emit("# on every run of scripts/bench/hs.")
emit("import math")
emit("_inf = math.inf")
emit("_nan = math.nan")
emit("_ERR = (OverflowError, ZeroDivisionError, ValueError)")
emit("")
emit("PROBLEMS = []")

for _, p in ipairs(P.problems) do
  local id = p.name
  emitfn("f_" .. id, "g_" .. id, p.f, p.n, id .. " objective")
  local eq, ineq = {}, {}
  for k, c in ipairs(p.eq) do
    emitfn(format("ce%d_%s", k, id), format("je%d_%s", k, id), c, p.n,
           format("%s equality %d", id, k))
    eq[k] = format("(ce%d_%s, je%d_%s)", k, id, k, id)
  end
  for k, c in ipairs(p.ineq) do
    emitfn(format("ci%d_%s", k, id), format("ji%d_%s", k, id), c, p.n,
           format("%s inequality %d", id, k))
    ineq[k] = format("(ci%d_%s, ji%d_%s)", k, id, k, id)
  end
  local lower, upper = p.lower, p.upper
  if lower or upper then
    lower = lower or {}
    upper = upper or {}
    for i = 1, p.n do
      lower[i] = lower[i] or -math.huge
      upper[i] = upper[i] or math.huge
    end
  end
  emit(format("PROBLEMS.append(dict(name=%q, number=%d, n=%d, x0=%s, " ..
              "fstar=%s, xstar=%s, kinds=%q, lower=%s, upper=%s, f=f_%s, " ..
              "g=g_%s, eq=[%s], ineq=[%s]))", id, p.number, p.n,
              pylist(p.x0), num(p.fstar), pylist(p.xstar), P.kinds(p),
              pylist(lower), pylist(upper), id, id, concat(eq, ", "),
              concat(ineq, ", ")))
end

local fh = assert(io.open(out, "w"))
fh:write(concat(lines, "\n"), "\n")
fh:close()
print(format("wrote %d problems to %s", #P.problems, out))
