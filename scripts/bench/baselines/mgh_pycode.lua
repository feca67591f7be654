-- mgh_pycode.lua: writes the MGH problems of ../mgh_problems.lua as a Python
-- module, so that SciPy minimises the very formulas slope does.  Run by
-- scripts/bench/mgh as "slope mgh_pycode.lua OUT.py" (stock lua5.4 runs it
-- too).
--
-- Each objective is called once on symbolic numbers (tables whose
-- arithmetic metamethods and math functions record an operation and return
-- a new symbol; operations on plain numbers stay plain numbers, so
-- constants fold as in Lua).  The record is written out as straight-line
-- Python: f_NAME(x) replays it, g_NAME(x) replays it and then runs the
-- reverse sweep (each operation's partial derivatives, in reverse order),
-- returning the exact gradient.  Python's math functions are C's libm, as
-- slope's tape, so f agrees to the last digit; where Python raises (exp
-- overflow, division by zero, a domain error) f returns inf and g NaNs,
-- where the C tape would carry inf or NaN on.
--
-- The module also carries the data table: PROBLEMS, a list of dicts with
-- name, title, number, n, m, x0, fstar, alt, published, f, g.

local dir = arg and arg[0] and arg[0]:match("^(.*)/[^/]*$") or "."
local P = dofile(dir .. "/../mgh_problems.lua")

local format, concat = string.format, table.concat
local stock = math
local out = assert(arg[1], "usage: mgh_pycode.lua OUT.py")

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
Sym.__eq = nil

local symmath = setmetatable({}, {__index = stock})
for _, name in ipairs{"exp", "log", "sin", "cos", "tan", "sqrt", "abs"} do
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
local function symifelse(c, a, b)
  if not issym(c) and not issym(a) and not issym(b) then
    if c > 0 then return a else return b end
  end
  return node("ifelse", c, a, b)
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
-- operands: a list of {operand, python expression}.
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
  elseif op == "atan" then add(o.a, format("1 / (1 + %s * %s)", a, a))
  elseif op == "atan2" then
    local r = format("(%s * %s + %s * %s)", a, a, b, b)
    add(o.a, format("%s / %s", b, r))
    add(o.b, format("-%s / %s", a, r))
  elseif op == "ifelse" then
    local c = ref(o.c)
    add(o.b, format("(1.0 if %s > 0 else 0.0)", a))
    add(o.c, format("(0.0 if %s > 0 else 1.0)", a))
  else
    error("no derivative for " .. op)
  end
  return d
end

local lines = {}
local function emit(s) lines[#lines + 1] = s end

emit("# Generated by scripts/bench/baselines/mgh_pycode.lua from")
emit("# scripts/bench/mgh_problems.lua: the MGH problems as straight-line")
emit("# Python, f_NAME(x) the value and g_NAME(x) the exact gradient.  Do not")
emit("# edit; regenerated on every run of scripts/bench/mgh.")
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

local function pylist(t)
  local s = {}
  for i = 1, #t do s[i] = num(t[i]) end
  return "[" .. concat(s, ", ") .. "]"
end

local function pystr(s)
  return format("%q", s):gsub("\\\n", "\\n")
end

local counts = {}
for _, p in ipairs(P.problems) do
  -- the record
  ops = {}
  local x = {}
  for i = 1, p.n do x[i] = node("input") end
  nin = p.n
  local saved_math, saved_ifelse = _G.math, P.ifelse
  _G.math, P.ifelse = symmath, symifelse
  local ok, y = pcall(P.objective(p), x)
  _G.math, P.ifelse = saved_math, saved_ifelse
  if not ok then error(p.name .. ": " .. tostring(y), 0) end
  assert(issym(y), p.name .. ": the objective does not depend on x")
  local nops = #ops
  counts[#counts + 1] = format("%s %d", p.name, nops - nin)
  local unpack = {}
  for i = 1, p.n do unpack[i] = format("x%d", i - 1) end
  local head = "    " .. concat(unpack, ", ") .. (p.n == 1 and "," or "") ..
               " = x.tolist() if hasattr(x, 'tolist') else list(x)"
  -- f
  emit("")
  emit(format("def f_%s(x):", p.name))
  emit(head)
  emit("    try:")
  for k = nin + 1, nops do
    emit(format("        v%d = %s", k, expr(ops[k])))
  end
  emit(format("        return %s", ref(y)))
  emit("    except _ERR:")
  emit("        return _inf")
  -- g: forward, then adjoints a<k> in reverse
  emit("")
  emit(format("def g_%s(x):", p.name))
  emit(head)
  emit("    try:")
  for k = nin + 1, nops do
    emit(format("        v%d = %s", k, expr(ops[k])))
  end
  local have = {}
  have[y.id] = true
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
  for i = 1, p.n do gs[i] = have[i] and format("a%d", i) or "0.0" end
  emit("        return [" .. concat(gs, ", ") .. "]")
  emit("    except _ERR:")
  emit(format("        return [_nan] * %d", p.n))
  -- the data
  local alt = {}
  for i, a in ipairs(p.alt or {}) do
    alt[i] = format("(%s, %s)", num(a[1]), pystr(a[2]))
  end
  emit(format("PROBLEMS.append(dict(name=%s, title=%s, number=%d, n=%d, " ..
              "m=%d, x0=%s, fstar=%s, published=%s, alt=[%s], ops=%d, " ..
              "f=f_%s, g=g_%s))", pystr(p.name), pystr(p.title), p.number,
              p.n, p.m, pylist(p.x0), num(p.fstar), pystr(p.published),
              concat(alt, ", "), nops - nin, p.name, p.name))
end

local fh = assert(io.open(out, "w"))
fh:write(concat(lines, "\n"), "\n")
fh:close()
print(format("wrote %d problems to %s", #P.problems, out))
