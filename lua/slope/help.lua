-- help.lua: slope's online help, a registry of entries.
--
--   help()                  index of every entry, grouped by module
--   help(f), help "name"    one entry: a function value, "slope.vec",
--                           "vec:dot", "help.register", ...
--   help.register(x, info)  x: a function (or table) or a name; info:
--                           {name=, signature=, summary=, text=, example=,
--                            module=, paths=, aliases=}
--   help.lookup(x)          the entry for a value or a name, or nil
--   help.text(x)            what help(x) prints, as a string
--
-- Entries registered by name are bound to their values lazily: a path
-- "slope.vec" is looked up (raw) in package.loaded, a path "vec:dot" in
-- the __index table, then the metatable, of the userdata type "slope.vec".
-- Nothing is loaded to bind a name, so help never drags in a module.
local type, tostring, rawget, next, ipairs, select, setmetatable, error =
      type, tostring, rawget, next, ipairs, select, setmetatable, error
local getmetatable, pcall = getmetatable, pcall
local concat, sort = table.concat, table.sort
local format, find, sub, gsub, rep, lower, match, gmatch =
      string.format, string.find, string.sub, string.gsub, string.rep,
      string.lower, string.match, string.gmatch
local min, max = math.min, math.max
local io, package, debug = io, package, debug

local entries = {}   -- name -> entry
local aliases = {}   -- other name -> entry
local byvalue = setmetatable({}, { __mode = "k" })  -- function/table -> entry

local help = {}

-- The module an entry is listed under: what precedes its last '.' or ':'.
local function modname(name)
  return match(name, "^(.*)[.:][^.:]*$") or name
end

-- Register an entry; x is the documented value or its name.
local function register(x, info)
  local tx = type(x)
  if tx ~= "string" and tx ~= "function" and tx ~= "table" then
    error(format("bad argument #1 to 'register' (function or name expected, got %s)",
                 tx), 2)
  end
  if type(info) ~= "table" then
    error(format("bad argument #2 to 'register' (table expected, got %s)",
                 type(info)), 2)
  end
  local name = info.name or (tx == "string" and x) or nil
  if type(name) ~= "string" then
    error("bad argument #2 to 'register' (field 'name' expected)", 2)
  end
  local e = {}
  for k, v in next, info do e[k] = v end
  e.name = name
  e.module = e.module or modname(name)
  e.paths = e.paths or { name }
  entries[name] = e
  for _, a in ipairs(e.aliases or {}) do aliases[a] = e end
  if tx ~= "string" then byvalue[x] = e end
  return e
end

-- The metatable of the userdata type "slope.<T>" (T may be dotted, as in
-- "ad.fn"), if its module is loaded.
local function typemeta(t)
  local mt
  if debug and debug.getregistry then
    mt = rawget(debug.getregistry(), "slope." .. t)
  end
  if type(mt) ~= "table" then
    local slope = rawget(package.loaded, "slope")
    local make = type(slope) == "table" and rawget(slope, t)
    if type(make) == "function" then
      local ok, sample = pcall(make, t == "mat" and { { 0 } } or { 0 })
      mt = ok and debug and debug.getmetatable(sample) or nil
    end
  end
  return type(mt) == "table" and mt or nil
end

-- The method table of a metatable: __index if a table, else __methods
-- (slope's own types index numbers through a C __index function).
local function methods(mt)
  local index = rawget(mt, "__index")
  if type(index) == "table" then return index end
  local m = rawget(mt, "__methods")
  if type(m) == "table" then return m end
end

-- The value a path names, found without loading or calling anything.
local function resolve(path)
  local t, m = match(path, "^([%w_.]+):([%w_]+)$")
  if t then
    local mt = typemeta(t)
    if not mt then return nil end
    local index = methods(mt)
    local v = index and rawget(index, m)
    if v == nil then v = rawget(mt, m) end
    return v
  end
  local parts = {}
  for p in gmatch(path, "[^.]+") do parts[#parts + 1] = p end
  for i = #parts, 1, -1 do
    local v = rawget(package.loaded, concat(parts, ".", 1, i))
    if v ~= nil then
      for j = i + 1, #parts do
        if type(v) ~= "table" then return nil end
        v = rawget(v, parts[j])
      end
      return v
    end
  end
end

-- Bind every named entry to its value where that value exists now.
local function bind()
  for _, e in next, entries do
    for _, p in ipairs(e.paths) do
      local v = resolve(p)
      local tv = type(v)
      if (tv == "function" or tv == "table") and byvalue[v] == nil then
        byvalue[v] = e
      end
    end
  end
end

-- The entry for a name: exact, an alias, with "slope." in front, or with
-- the last '.' read as ':' ("vec.dot" for "vec:dot").
local function byname(name)
  local e = entries[name] or aliases[name]
  if e then return e end
  local candidates = { "slope." .. name }
  local head, last = match(name, "^(.*)%.([^.]*)$")
  if head then candidates[#candidates + 1] = head .. ":" .. last end
  local stripped = match(name, "^slope%.(.*)$")
  if stripped then candidates[#candidates + 1] = stripped end
  for _, c in ipairs(candidates) do
    e = entries[c] or aliases[c]
    if e then return e end
  end
end

local function lookup(x)
  local tx = type(x)
  if tx == "string" then return byname(x) end
  if tx ~= "function" and tx ~= "table" and tx ~= "userdata" then return nil end
  local e = byvalue[x]
  if e == nil and tx ~= "userdata" then
    bind()
    e = byvalue[x]
  end
  if e == nil and tx == "userdata" then  -- a vector: its type's entry
    local mt = debug and debug.getmetatable(x)
    local name = type(mt) == "table" and rawget(mt, "__name")
    e = type(name) == "string" and byname(name) or nil
  end
  return e
end

-- Edit distance, for near matches.
local function distance(a, b)
  local prev = {}
  for j = 0, #b do prev[j] = j end
  for i = 1, #a do
    local cur = { [0] = i }
    local ai = sub(a, i, i)
    for j = 1, #b do
      local cost = ai == sub(b, j, j) and 0 or 1
      cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
    end
    prev = cur
  end
  return prev[#b]
end

-- Names close to q: containing it, or a few edits away (from the whole
-- name or from its last component).
local function near(q)
  q = lower(q)
  local scored = {}
  for name in next, entries do
    local l = lower(name)
    local last = match(l, "[^.:]*$")
    local d = min(distance(q, l), distance(q, last))
    if find(l, q, 1, true) then d = min(d, 1) end
    if d <= max(2, #q // 3) then scored[#scored + 1] = { name, d } end
  end
  sort(scored, function(a, b)
    if a[2] ~= b[2] then return a[2] < b[2] end
    return a[1] < b[1]
  end)
  local out = {}
  for i = 1, min(#scored, 8) do out[i] = scored[i][1] end
  return out
end

local function indent(s, by)
  return by .. gsub(s, "\n", "\n" .. by)
end

-- The text of one entry.
local function entrytext(e)
  local out = { e.signature or e.name }
  if e.summary then out[#out + 1] = indent(e.summary, "  ") end
  if e.text then out[#out + 1] = "\n" .. indent(e.text, "  ") end
  if e.example then
    out[#out + 1] = "\n  Example:\n" .. indent(e.example, "    ")
  end
  if e.see then out[#out + 1] = "\n  See also: " .. concat(e.see, ", ") end
  return concat(out, "\n") .. "\n"
end

-- The index: every entry (or those of one module), grouped by module.
local function index(only)
  local groups, names = {}, {}
  for name, e in next, entries do
    local m = e.module
    if not only or m == only or sub(m, 1, #only + 1) == only .. "." then
      if not groups[m] then groups[m] = {}; names[#names + 1] = m end
      local g = groups[m]
      g[#g + 1] = name
    end
  end
  if #names == 0 then return nil end
  sort(names)
  local out = {}
  if not only then
    out[1] = 'slope help: help(f) or help "name" for one entry.'
  end
  for _, m in ipairs(names) do
    local g = groups[m]
    sort(g)
    out[#out + 1] = "\n" .. m
    local width = 0
    for _, name in ipairs(g) do width = max(width, #name) end
    width = min(width, 22)
    for _, name in ipairs(g) do
      out[#out + 1] = "  " .. name .. rep(" ", width - #name) .. "  " ..
                      (entries[name].summary or "")
    end
  end
  return concat(out, "\n") .. "\n"
end

-- The name under which package.loaded holds the table t.
local function loadedname(t)
  for name, m in next, package.loaded do
    if m == t then return name end
  end
end

local function text(...)
  if select("#", ...) == 0 then return index() end
  local x = ...
  local e = lookup(x)
  if e then return entrytext(e) end
  local tx = type(x)
  if tx == "string" then
    local list = index(x)  -- a module name: its entries
    if list then return list end
    local out = { format("no help for %q.", x) }
    local close = near(x)
    if #close > 0 then
      out[#out + 1] = " Did you mean: " .. concat(close, ", ") .. "?"
    end
    out[#out + 1] = "\nhelp() lists every entry.\n"
    return concat(out)
  elseif tx == "table" then
    local name = loadedname(x)
    local list = name and index(name)
    if list then return list end
  elseif tx == "nil" then
    return "no help for nil (a misspelt name?); help() lists every entry.\n"
  end
  return format("no help for %s; help() lists every entry.\n", tostring(x))
end

help.register = register
help.lookup = lookup
help.text = text

-- help(x) prints help.text(x).
setmetatable(help, {
  __call = function(_, ...)
    local out = io.stdout
    out:write(text(...))
    out:flush()
  end,
})


-- {==================================================================
-- Entries for the core: vectors, matrices, help and pretty themselves.
-- Modules written later register their own.
-- ===================================================================

register(help, {
  name = "help", module = "slope.help", aliases = { "slope.help" },
  signature = 'help([x])',
  summary = "Print help: an index, or the entry for a function or a name.",
  text = [[
With no argument, lists every entry by module. x may be a function value
(help(slope.vec)), a name (help "vec:dot", help "slope.mat"), a vector or
matrix (help(v)), or a module table (help(slope)). An unknown name lists
near matches. help is also slope.help and require "slope.help".]],
  example = [[
> help(slope.vec)
> help "vec:norm"
> help()]],
})

register("slope.help.register", {
  signature = "help.register(f | name, info)",
  summary = "Add or replace a help entry.",
  text = [[
info = {name=, signature=, summary=, text=, example=}; name is required
when f is a function. Optional: module (the index group, by default what
precedes the last '.' or ':' of the name), paths (names whose values the
entry documents, default {name}), aliases, see. Returns the entry.]],
  example = [[
> function sq(x) return x * x end
> help.register(sq, {name = "sq", signature = "sq(x)",
>>   summary = "x squared.", example = "> sq(2.5)\n6.25"})
> help(sq)]],
})

register("slope.help.lookup", {
  signature = "help.lookup(x)",
  summary = "The entry for a value or a name (a table), or nil.",
  example = [[
> help.lookup(slope.vec).signature]],
})

register("slope.help.text", {
  signature = "help.text([x])",
  summary = "What help(x) prints, as a string.",
  example = [[
> s = help.text "vec:dot"]],
})

register("slope.pretty.format", {
  signature = "pretty.format(v [, opts])",
  summary = "A compact, stable string for any value.",
  text = [[
Numbers as Lua prints them (integers as integers, floats with %.14g);
strings quoted; tables on one line when they fit, else one entry per line,
array part first then keys sorted; cycles as <cycle>. Vectors and matrices
use one format per object, %.6g, right-aligned in columns, and elide the
middle of long ones with a count. opts: width (78), indent (2), depth (12),
digits (6), maxlen (20), edge (5); the defaults are in pretty.defaults.]],
  example = [[
> pretty = require "slope.pretty"
> pretty.format{2.385, x = {1, 2}}
{2.385, x = {1, 2}}]],
})

register("slope.pretty.print", {
  signature = "pretty.print(...)",
  summary = "Print values like print, tables and vectors through format.",
  text = [[
The REPL prints the values of expressions with it. Strings and numbers
print exactly as print prints them.]],
  example = [[
> require("slope.pretty").print({1, 2.5}, "done")
{1, 2.5}	done]],
})

register("slope.version", {
  aliases = { "slope._VERSION", "version" },
  signature = "slope.version",
  summary = "slope's version string; slope._VERSION is \"slope <version>\".",
  text = [[
slope.lua_version and slope.gsl_version are the versions of Lua and GSL
slope was built with.]],
  example = [[
> slope.version
0.1.0]],
})

register("slope.vec", {
  aliases = { "vec" },
  signature = "slope.vec{x1, x2, ...}\nslope.vec(n [, fill])",
  summary = "A native vector of doubles.",
  text = [[
Indexed from 1: v[i], v[i] = x; #v is its length; pairs(v) and == work.
Arithmetic is elementwise (+ - * / and unary minus) with vectors of the
same length and with numbers. Methods: v:dot(w), v:norm([p]), v:sum(),
v:min(), v:max(), v:copy(), v:totable(). Everything that takes a vector
also takes a Lua array of numbers.]],
  example = [[
> v = slope.vec{1.5, 2, 3.25}
> v[2], #v
2.0	3
> slope.vec(3, 2.5)
vec{2.5, 2.5, 2.5}]],
  see = { "slope.mat", "vec:dot", "vec:norm", "vec.arithmetic" },
})

register("slope.vec.linspace", {
  signature = "slope.vec.linspace(a, b, n)",
  summary = "n points evenly spaced from a to b, both included.",
  example = [[
> slope.vec.linspace(0, 1, 5)
vec{0, 0.25, 0.5, 0.75, 1}]],
})

register("slope.mat", {
  aliases = { "mat" },
  signature = "slope.mat{{a11, a12, ...}, {a21, ...}, ...}\nslope.mat(rows, cols [, fill])",
  summary = "A native matrix of doubles, stored by rows.",
  text = [[
m[i] is row i, a vector over the same memory, so m[i][j] reads and
m[i][j] = x writes an entry; #m and m.rows are the number of rows, m.cols
the number of columns. Arithmetic: + - with matrices of the same shape,
* and / by numbers, m * b the product with a matrix or a vector (a long
product can be stopped with Ctrl-C).]],
  example = [[
> m = slope.mat{{1.5, 2}, {3, 4.25}}
> m[2][1], m.cols
3.0	2
> slope.mat(2, 3, 0.5)
mat{{0.5, 0.5, 0.5},
    {0.5, 0.5, 0.5}}]],
  see = { "slope.vec", "mat.arithmetic", "slope.mat.eye" },
})

register("slope.mat.eye", {
  signature = "slope.mat.eye(n)",
  summary = "The n x n identity matrix.",
  example = [[
> slope.mat.eye(2)
mat{{1, 0},
    {0, 1}}]],
})

register("slope.mat.diag", {
  signature = "slope.mat.diag(v)",
  summary = "The square matrix with the vector v on its diagonal.",
  example = [[
> slope.mat.diag{1.5, 2}
mat{{1.5, 0},
    {  0, 2}}]],
})

register("vec:dot", {
  signature = "v:dot(w)",
  summary = "The dot product sum(v[i] * w[i]).",
  text = "w must have the same length; a Lua array is accepted.",
  example = "> v = slope.vec{3, 4}\n> v:dot(v)\n25.0",
})

register("vec:norm", {
  signature = "v:norm([p])",
  summary = "The p-norm (p >= 1, default 2; math.huge for the largest |v[i]|).",
  example = "> slope.vec{3, 4}:norm()\n5.0\n> slope.vec{3, -4}:norm(math.huge)\n4.0",
})

register("vec:sum", {
  signature = "v:sum()",
  summary = "The sum of the entries.",
  example = "> slope.vec{1.5, 2, 3.25}:sum()\n6.75",
})

register("vec:min", {
  signature = "v:min()",
  summary = "The smallest entry and its index (NaN skipped unless all are).",
  example = "> slope.vec{2.5, -1, 3}:min()\n-1.0\t2",
})

register("vec:max", {
  signature = "v:max()",
  summary = "The largest entry and its index (NaN skipped unless all are).",
  example = "> slope.vec{2.5, -1, 3}:max()\n3.0\t3",
})

register("vec:copy", {
  signature = "v:copy()",
  summary = "A new vector with the same entries.",
  text = "Assignment shares a vector; copy it before changing one in place.",
  example = "> a = slope.vec{1.5, 2}\n> b = a:copy()\n> b[1] = 7  -- a is unchanged",
})

register("vec:totable", {
  signature = "v:totable()",
  summary = "The entries as a Lua array {v[1], ..., v[n]}.",
  example = "> slope.vec{3, 4}:totable()\n{3.0, 4.0}",
})

register("mat:norm", {
  signature = "m:norm()",
  summary = "The Frobenius norm, sqrt of the sum of the squared entries.",
  example = "> slope.mat{{3, 0}, {0, 4}}:norm()\n5.0",
})

register("mat:copy", {
  signature = "m:copy()",
  summary = "A new matrix with the same entries.",
  text = "Assignment shares a matrix; copy it before changing one in place.",
  example = "> a = slope.mat{{1.5, 2}}\n> b = a:copy()\n> b[1][1] = 7  -- a is unchanged",
})

register("mat:totable", {
  signature = "m:totable()",
  summary = "The rows as Lua arrays {{m[1][1], ...}, ...}.",
  example = "> slope.mat{{3, 0}, {0, 4}}:totable()\n{{3.0, 0.0}, {0.0, 4.0}}",
})

register("mat:transpose", {
  aliases = { "mat:T" },
  paths = { "mat:transpose", "mat:T" },
  signature = "m:transpose()\nm:T()",
  summary = "A new matrix, the transpose of m.",
  example = "> slope.mat{{1, 2, 3}}:T()\nmat{{1},\n    {2},\n    {3}}",
})

register("mat:col", {
  signature = "m:col(j)",
  summary = "A copy of column j, as a vector.",
  example = "> slope.mat{{1.5, 2}, {3, 4}}:col(2)\nvec{2, 4}",
})

register("mat:get", {
  signature = "m:get(i, j)",
  summary = "The entry in row i, column j (as m[i][j]).",
  example = "> slope.mat{{1.5, 2}, {3, 4}}:get(2, 1)\n3.0",
})

register("mat:set", {
  signature = "m:set(i, j, x)",
  summary = "Set the entry in row i, column j to x (as m[i][j] = x).",
  example = "> m = slope.mat(2, 2)\n> m:set(1, 2, 2.5)\n> m[1][2]\n2.5",
})

register("mat:shape", {
  signature = "m:shape()",
  summary = "The number of rows and of columns.",
  example = "> slope.mat(2, 3):shape()\n2\t3",
})

-- What both types share, documented once per type.
for _, t in ipairs { "vec", "mat" } do
  local v = t == "vec" and "v" or "m"
  local make = t == "vec" and "slope.vec{3, 4}" or "slope.mat{{3, 0}, {0, 4}}"

  register(t .. ":__tostring", {
    aliases = { t .. ":tostring", "tostring(" .. t .. ")" },
    signature = format("tostring(%s)", v),
    summary = format("The %s as Lua source, entries with %%.14g.",
                     t == "vec" and "vector" or "matrix"),
    text = "print uses it; the REPL prints through slope.pretty instead.",
    example = format("> print(%s)\n%s", make,
                     t == "vec" and "vec{3, 4}" or "mat{{3, 0}, {0, 4}}"),
  })

  register(t .. ":__len", {
    aliases = { t .. ":len", "#" .. t },
    signature = "#" .. v,
    summary = t == "vec" and "The length of the vector."
              or "The number of rows of the matrix.",
    example = format("> #%s\n2", make),
  })

  local ops = { "__add", "__sub", "__mul", "__div", "__unm", "__eq" }
  local paths = {}
  for i, op in ipairs(ops) do paths[i] = t .. ":" .. op end
  register(t .. ".arithmetic", {
    aliases = { t .. ":arithmetic" },
    paths = paths,
    signature = t == "vec" and "v + w, v - w, v * w, v / w, -v, a * v, v / a, v == w"
                or "m + b, m - b, m * b, m * w, a * m, m / a, -m, m == b",
    summary = t == "vec" and "Elementwise arithmetic with vectors and numbers."
              or "Matrix sums, products (with matrices and vectors) and scaling.",
    text = t == "vec" and [[
Operands must have the same length (a Lua array is converted); a number
applies to every entry. == compares exactly, entry by entry.]]
      or [[
Shapes must agree; m * b is the matrix product, m * w with a vector w the
matrix-vector product; + - / and a number apply entry by entry.]],
    example = t == "vec" and "> slope.vec{1.5, 2} * 2 + slope.vec{1, 1}\nvec{4, 5}"
              or "> slope.mat{{1, 2}, {3, 4}} * slope.vec{1, 1}\nvec{3, 7}",
  })
end

-- }==================================================================

-- Later modules keep their entries in lua/slope/doc/NAME.lua, a function
-- of register; loading them binds nothing, so help stays light.
for _, m in ipairs { "ad", "numdiff", "optim", "optim_qn", "optim_newton",
                     "constrained", "sqp_barrier",
                     "schedule", "scalar", "linprog", "data", "analyze", "plot",
                     "notebook", "experiment", "capture" } do
  require("slope.doc." .. m)(register)
end

return help
