-- pretty.lua: slope.pretty's formats, exactly.
local t = require "tap"
local slope = require "slope"
local pretty = require "slope.pretty"
local F = pretty.format

-- Scalars: as Lua prints them.
t.is(F(42), "42", "integer")
t.is(F(2.385), "2.385", "float")
t.is(F(0.1 + 0.2), "0.3", "0.1 + 0.2 with %.14g")
t.is(F(3.0), "3.0", "integral float keeps .0")
t.is(F(1e100), "1e+100", "large float")
t.is(F(2^63), "9.2233720368548e+18", "2^63")
t.is(F(-0.0), "-0.0", "negative zero")
t.is(F(1/0) .. " " .. F(-1/0), "inf -inf", "infinities")
t.is(F({0/0}), "{nan}", "NaN without a sign")
t.is(F(true) .. F(nil), "truenil", "booleans and nil")
t.is(F("a\nb\"c"), '"a\\nb\\"c"', "strings quoted, newline as \\n")

-- Tables: array part, then sorted keys; one line when they fit.
t.is(F{}, "{}", "empty table")
t.is(F{1, 2.5, "x"}, '{1, 2.5, "x"}', "array")
t.is(F{b = 1, a = 2.385, [3] = true, [1] = 0, [false] = 1, ["not id"] = 2, ["end"] = 3},
     '{0, [3] = true, a = 2.385, b = 1, ["end"] = 3, ["not id"] = 2, [false] = 1}',
     "keys: array, numbers, strings, booleans; bare names only when valid")
t.is(F{x = {y = {z = {1.5}}}}, "{x = {y = {z = {1.5}}}}", "nested, compact")
local long = {alpha = 2.385, beta = "a string long enough to wrap the line",
              gamma = {1, 2, 3}, delta = {}}
t.is(F(long), [[
{
  alpha = 2.385,
  beta = "a string long enough to wrap the line",
  delta = {},
  gamma = {1, 2, 3},
}]], "multi-line with indentation")
t.is(F({a = {b = long}}), [[
{
  a = {
    b = {
      alpha = 2.385,
      beta = "a string long enough to wrap the line",
      delta = {},
      gamma = {1, 2, 3},
    },
  },
}]], "nested multi-line indentation")
t.is(F({1, 2}, {width = 4}), "{\n  1,\n  2,\n}", "opts.width")
t.is(F({1, 2}, {width = 4, indent = 4}), "{\n    1,\n    2,\n}", "opts.indent")
t.is(F({{{{1}}}}, {depth = 2}), "{{{...}}}", "opts.depth")
local opts = {width = 4}
F({1}, opts)
t.is(opts.indent, nil, "opts left alone")

-- Cycles.
local c = {name = "c"}
c.self = c
t.is(F(c), '{name = "c", self = <cycle>}', "cycle")
local shared = {1}
t.is(F{shared, shared}, "{{1}, {1}}", "shared, not cyclic")

-- __tostring objects and functions.
local obj = setmetatable({}, {__tostring = function() return "<obj 2.385>" end})
t.is(F(obj), "<obj 2.385>", "__tostring respected")
t.is(F(pretty.format), "function: slope.pretty.format", "function named by help")
local anon = function() end
t.is(F(anon), tostring(anon), "unknown function")

-- Vectors and matrices: one %.6g format, aligned columns, elision.
t.is(F(slope.vec{1.5, 2, 3.25}), "vec{1.5, 2, 3.25}", "vector")
t.is(F(slope.vec{}), "vec{}", "empty vector")
t.is(F(slope.vec{1/3, 2e-7, 123456789}), "vec{0.333333, 2e-07, 1.23457e+08}",
     "vector entries with %.6g")
t.is(F(slope.vec{1/3}, {digits = 3}), "vec{0.333}", "opts.digits")
t.is(F(slope.vec{0/0, 1/0}), "vec{nan, inf}", "vector NaN and inf")
t.is(F(slope.vec.linspace(1, 100, 100)),
     "vec{1, 2, 3, 4, 5, ... 90 more ..., 96, 97, 98, 99, 100}",
     "long vector elided with a count")
t.is(F(slope.vec.linspace(1, 8, 8), {maxlen = 4, edge = 2}),
     "vec{1, 2, ... 4 more ..., 7, 8}", "opts.maxlen and opts.edge")
t.is(F(slope.vec.linspace(1.5, 15, 10), {width = 30}), [[
vec{ 1.5,    3,  4.5,    6,
     7.5,    9, 10.5,   12,
    13.5,   15}]], "wrapped vector, aligned")
t.is(F(slope.mat{{1.5, 2, -3.25}, {100, 5, 6}}), [[
mat{{1.5, 2, -3.25},
    {100, 5,     6}}]], "matrix, columns aligned")
t.is(F{m = slope.mat{{1, 2}, {3, 4}}}, [[
{
  m = mat{{1, 2},
          {3, 4}},
}]], "matrix in a table")
local big = F(slope.mat(30, 40, 2.385))
t.ok(big:find("... 20 more rows ...", 1, true), "tall matrix elided", big)
t.ok(big:find("{2.385, 2.385, 2.385, 2.385, 2.385, ..., 2.385, 2.385, 2.385, 2.385, 2.385}",
              1, true), "wide matrix elided")
t.ok(big:find("-- 30x40", 1, true), "elided matrix shows its shape")
t.is(F(slope.mat(0, 0)), "mat{}", "empty matrix")

-- print: tab-separated, top-level strings and numbers as print prints them.
local out = {}
local stdout = io.stdout
io.stdout = {write = function(_, ...) for _, s in ipairs{...} do out[#out + 1] = s end end,
             flush = function() end}
local ok, err = pcall(pretty.print, "raw\nstring", 0.1 + 0.2, 7, {2.385}, nil)
io.stdout = stdout
t.ok(ok, "print runs", err)
t.is(table.concat(out), 'raw\nstring\t0.3\t7\t{2.385}\tnil\n', "print output")

t.done()
