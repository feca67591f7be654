-- help.lua: every public function has a help entry; entries print their
-- signature and an example; names, values and near matches resolve.
local t = require "tap"
local slope = require "slope"
local help = require "slope.help"
local _ = slope.help, slope.pretty, slope.ad, slope.numdiff  -- load the lazy submodules

-- What help(x) prints, captured.
local function printed(...)
  local out, stdout = {}, io.stdout
  io.stdout = {write = function(_, ...) for _, s in ipairs{...} do out[#out + 1] = s end end,
               flush = function() end}
  local ok, err = pcall(help, ...)
  io.stdout = stdout
  assert(ok, err)
  return table.concat(out)
end

local function has(s, sub) return s:find(sub, 1, true) ~= nil end

-- Every function (or callable table) reachable from the slope table, by
-- raw access.
local function walk(v, path, seen, found)
  if seen[v] then return end
  seen[v] = true
  if type(v) == "function" then found[#found + 1] = {path, v}; return end
  if type(v) ~= "table" then return end
  local mt = getmetatable(v)
  if type(mt) == "table" and rawget(mt, "__call") then found[#found + 1] = {path, v} end
  local keys = {}
  for k in next, v do if type(k) == "string" then keys[#keys + 1] = k end end
  table.sort(keys)
  for _, k in ipairs(keys) do walk(rawget(v, k), path .. "." .. k, seen, found) end
end
local found = {}
walk(slope, "slope", {}, found)
t.ok(#found >= 6, "functions found in slope: " .. #found)
for _, f in ipairs(found) do
  local e = help.lookup(f[2])
  t.ok(e, "help entry for " .. f[1])
  if e then
    local text = help.text(f[2])
    t.ok(has(text, e.signature or "?") and has(text, "Example:"),
         "help(" .. f[1] .. ") shows signature and example", text)
  end
end

-- Every method of the native types: the metatable's __index table (or the
-- method table behind a C __index).
local function methods(mt)
  local index = rawget(mt, "__index")
  if type(index) == "table" then return index end
  if type(rawget(mt, "__methods")) == "table" then return rawget(mt, "__methods") end
  if type(index) == "function" then
    local _, up = debug.getupvalue(index, 1)
    if type(up) == "table" then return up end
  end
end
for _, tname in ipairs{"slope.vec", "slope.mat"} do
  local mt = debug.getregistry()[tname]
  local m = type(mt) == "table" and methods(mt)
  t.ok(m, tname .. " has a method table")
  local names = {}
  for k, v in next, m or {} do
    if type(v) == "function" then names[#names + 1] = k end
  end
  table.sort(names)
  local short = tname:match("%.(%w+)$")
  for _, k in ipairs(names) do
    local e = help.lookup(m[k])
    t.ok(e, ("help entry for %s:%s"):format(short, k))
    t.ok(e and help.lookup(short .. ":" .. k) == e, ("help %q finds it"):format(short .. ":" .. k))
    t.ok(e and has(help.text(m[k]), e.signature) and has(help.text(m[k]), "Example:"),
         ("%s:%s shows signature and example"):format(short, k))
  end
end

-- The entries the core promises.
for _, name in ipairs{"slope.vec", "slope.mat", "vec:dot", "vec:norm", "vec:copy",
                      "vec:totable", "vec:__tostring", "vec:__len", "vec.arithmetic",
                      "mat:norm", "mat:copy", "mat:totable", "mat.arithmetic",
                      "help", "slope.pretty.format", "slope.pretty.print",
                      "slope.version", "slope.help.register"} do
  local e = help.lookup(name)
  t.ok(e and e.signature and e.summary and e.example, "entry " .. name)
end

-- Printing.
local s = printed(slope.vec)
t.ok(has(s, "slope.vec{x1, x2, ...}") and has(s, "slope.vec(n [, fill])")
     and has(s, "Example:") and has(s, "> v = slope.vec{1.5, 2, 3.25}"),
     "help(slope.vec) prints signature and example", s)
s = printed "vec:dot"
t.ok(has(s, "v:dot(w)") and has(s, "Example:"), 'help "vec:dot"', s)
t.is(printed "vec.dot", s, '"vec.dot" reads as "vec:dot"')
t.is(printed "pretty.format", printed(slope.pretty.format), '"pretty.format" is slope.pretty.format')
t.is(printed(help), help.text "help", "help(help)")
t.ok(has(printed(slope.vec{2.385}), "A native vector"), "help(v) for a vector")
local index = printed()
t.ok(has(index, "\nslope\n") and has(index, "\nvec\n") and has(index, "\nmat\n")
     and has(index, "\nslope.pretty\n") and has(index, "vec:dot"), "help() index by module", index)
s = printed "vec:nrom"
t.ok(has(s, 'no help for "vec:nrom"') and has(s, "vec:norm"), "unknown name: near matches", s)
s = printed "zzzzzzzzzz"
t.ok(has(s, "no help") and has(s, "help()"), "unknown name, nothing near", s)
t.ok(has(printed(nil), "no help for nil"), "help(nil)")
t.ok(has(printed(print), "no help for function"), "undocumented function")
t.ok(has(printed "slope.pretty", "pretty.format") or has(printed "slope.pretty", "slope.pretty.format"),
     "a module name lists its entries")

-- Registering.
local function sq(x) return x * x end
local e = help.register(sq, {name = "sq", signature = "sq(x)", summary = "x squared.",
                             example = "> sq(2.385)\n5.688225"})
t.is(help.lookup(sq), e, "register a function")
t.is(help.lookup "sq", e, "and by name")
t.ok(has(help.text(sq), "sq(x)") and has(help.text(sq), "5.688225"), "its text")
t.is(require("slope.pretty").format(sq), "function: sq", "pretty names it")
help.register("mymod.thing", {signature = "mymod.thing", summary = "A value.", example = "> mymod.thing"})
t.is(help.lookup("mymod.thing").module, "mymod", "module from the name")
t.error_like("bad argument #2 to 'register' (field 'name' expected)", help.register, sq, {})
t.error_like("bad argument #1 to 'register' (function or name expected, got number)",
             help.register, 2.385, {name = "x"})
t.error_like("bad argument #2 to 'register' (table expected, got nil)", help.register, "x")

t.done()
