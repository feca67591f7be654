-- vec.lua: slope's native vectors and matrices from Lua.
local t = require "tap"
local slope = require "slope"
local vec, mat = slope.vec, slope.mat
local core = require "slope.core"

local is, ok, close, error_like = t.is, t.ok, t.close, t.error_like

-- Constructors and element access.
local v = vec{2.385, -1.75, 3.125}
ok(core.vec.isvec(v) and not core.vec.ismat(v), "isvec")
ok(core.vec.ismat(mat{{1}}) and not core.vec.isvec({2.385}), "ismat")
is(#v, 3, "#v")
is(v[1], 2.385, "v[1]")
is(v[3], 3.125, "v[3]")
is(math.type(v[2]), "float", "elements are floats")
v[2] = 0.4375
is(v[2], 0.4375, "v[i] = x")
v[2] = 7
is(v[2], 7.0, "an integer is stored as a float")
is(tostring(vec(3, 2.385)), "vec{2.385, 2.385, 2.385}", "vec(n, fill)")
is(tostring(vec(2)), "vec{0, 0}", "vec(n) is zeros")
is(tostring(vec(0)), "vec{}", "vec(0)")
is(tostring(vec{}), "vec{}", "vec{}")
is(#vec(4.0), 4, "a float size with an integer value")
is(tostring(vec.linspace(-1.5, 2.25, 4)), "vec{-1.5, -0.25, 1, 2.25}",
   "vec.linspace")
is(vec.linspace(0.1, 0.7, 7)[7], 0.7, "linspace ends exactly at b")
is(tostring(vec.linspace(2.385, 9, 1)), "vec{2.385}", "linspace of one point")
is(#vec.linspace(1, 2, 0), 0, "linspace of no point")

-- tostring: %.14g, no forced ".0", nan/inf spelt as Lua spells them.
is(tostring(vec{1, 2.5, 3}), "vec{1, 2.5, 3}", "tostring(vec)")
is(tostring(vec{1 / 3, -2.385e-7, 6.02214076e23}),
   "vec{0.33333333333333, -2.385e-07, 6.02214076e+23}",
   "tostring uses %.14g")
is(tostring(vec{0 / 0, 1 / 0, -1 / 0, -0.0}), "vec{nan, inf, -inf, -0}",
   "tostring of nan, inf, -0")
is(tostring(mat{{1, 2}, {3, 4}}), "mat{{1, 2}, {3, 4}}", "tostring(mat)")
is(tostring(mat{}), "mat{}", "tostring of a 0x0 mat")
is(tostring(mat(2, 0)), "mat{{}, {}}", "tostring of a 2x0 mat")

-- Matrices.
local A = mat{{1.5, -2.25, 0.5}, {3.75, 0.125, -1}}
local B = mat{{2, -1.5}, {0.25, 4}, {-3, 1.125}}
is(#A, 2, "#m is the number of rows")
is(A.rows, 2, "m.rows")
is(A.cols, 3, "m.cols")
local r, c = A:shape()
ok(r == 2 and c == 3, "m:shape()")
is(A[2][1], 3.75, "m[i][j]")
is(A:get(1, 2), -2.25, "m:get(i, j)")
is(tostring(mat(2, 3, -0.625)), "mat{{-0.625, -0.625, -0.625}, "
   .. "{-0.625, -0.625, -0.625}}", "mat(rows, cols, fill)")
is(tostring(mat(1, 2)), "mat{{0, 0}}", "mat(rows, cols) is zeros")
is(tostring(mat.eye(3)), "mat{{1, 0, 0}, {0, 1, 0}, {0, 0, 1}}", "mat.eye")
is(tostring(mat.diag{2.385, -4.5}), "mat{{2.385, 0}, {0, -4.5}}",
   "mat.diag of a Lua array")
is(mat.diag(vec{0.5, 1.5}), mat{{0.5, 0}, {0, 1.5}}, "mat.diag of a vec")
is(mat{vec{1.25, 2}, {3, 4.5}}, mat{{1.25, 2}, {3, 4.5}},
   "mat rows may be vecs")
is(mat{A[2], A[1]}, mat{{3.75, 0.125, -1}, {1.5, -2.25, 0.5}},
   "mat rows may be row views")

-- Rows are views sharing the matrix's memory.
local M = A:copy()
local row = M[2]
ok(core.vec.isvec(row) and #row == 3, "m[i] is a vec of length cols")
row[3] = 9.875
is(M:get(2, 3), 9.875, "writing a row view writes the matrix")
M:set(2, 1, -6.125)
is(row[1], -6.125, "m:set shows through a row view")
M[1][2] = 0.0625
is(M:get(1, 2), 0.0625, "m[i][j] = x")
M[1] = {7.5, 8.25, -9}
is(M[1], vec{7.5, 8.25, -9}, "m[i] = table copies a row")
M[2] = vec{0.5, 0.75, 1.25}
is(tostring(M), "mat{{7.5, 8.25, -9}, {0.5, 0.75, 1.25}}", "m[i] = vec")
M[1] = M[2]
is(M[1], M[2], "m[i] = m[j]")
is(A:get(2, 3), -1, "copy is independent of its source")
local orphan = (function() return mat{{1.5, 2.385}, {-3.25, 4}} end)()[2]
collectgarbage(); collectgarbage()
ok(orphan[1] == -3.25 and orphan[2] == 4, "a row view keeps its matrix alive")
is(A:col(2), vec{-2.25, 0.125}, "m:col(j)")

-- Vector arithmetic, against Lua's own arithmetic.
local x, y = vec{2.385, -1.75, 0.3}, vec{4.125, 0.6, -7.5}
is(x + y, vec{2.385 + 4.125, -1.75 + 0.6, 0.3 + -7.5}, "vec + vec")
is(x - y, vec{2.385 - 4.125, -1.75 - 0.6, 0.3 - -7.5}, "vec - vec")
is(x * y, vec{2.385 * 4.125, -1.75 * 0.6, 0.3 * -7.5}, "vec * vec")
is(x / y, vec{2.385 / 4.125, -1.75 / 0.6, 0.3 / -7.5}, "vec / vec")
is(x + 1.5, vec{2.385 + 1.5, -1.75 + 1.5, 0.3 + 1.5}, "vec + number")
is(2.5 - x, vec{2.5 - 2.385, 2.5 + 1.75, 2.5 - 0.3}, "number - vec")
is(x * 3, vec{2.385 * 3, -1.75 * 3, 0.3 * 3}, "vec * integer")
is(-0.5 * x, vec{-0.5 * 2.385, -0.5 * -1.75, -0.5 * 0.3}, "number * vec")
is(x / 0.7, vec{2.385 / 0.7, -1.75 / 0.7, 0.3 / 0.7}, "vec / number")
is(1.2 / x, vec{1.2 / 2.385, 1.2 / -1.75, 1.2 / 0.3}, "number / vec")
is(-x, vec{-2.385, 1.75, -0.3}, "-vec")
is(x + {4.125, 0.6, -7.5}, x + y, "vec + Lua array")
is({4.125, 0.6, -7.5} - x, y - x, "Lua array - vec")
is(x * {2, 0.5, -1}, vec{2.385 * 2, -1.75 * 0.5, -0.3}, "vec * Lua array")
ok(x + 0 ~= nil and rawequal(x + 0, x) == false, "results are new objects")
is(x, vec{2.385, -1.75, 0.3}, "operands are unchanged")

-- Equality is exact and elementwise.
ok(x == vec{2.385, -1.75, 0.3}, "== of equal vecs")
ok(x ~= vec{2.385, -1.75, 0.30000000000001}, "~= when one element differs")
ok(x ~= vec{2.385, -1.75}, "~= when lengths differ")
ok(vec{0 / 0} ~= vec{0 / 0}, "nan ~= nan")
ok(vec{1, 2} ~= mat{{1, 2}}, "a vec is never a mat")
ok(A[1] == vec{1.5, -2.25, 0.5}, "a row view equals a vec")
ok(A == mat{{1.5, -2.25, 0.5}, {3.75, 0.125, -1}}, "== of equal mats")
ok(A ~= mat{{1.5, -2.25}, {0.5, 3.75}, {0.125, -1}}, "~= when shapes differ")

-- Matrix arithmetic and products (values by hand, exact in binary).
is(A * B, mat{{0.9375, -10.6875}, {10.53125, -6.25}}, "mat * mat")
is(B * A, mat{{-2.625, -4.6875, 2.5}, {15.375, -0.0625, -3.875},
              {-0.28125, 6.890625, -2.625}}, "mat * mat (other order)")
is(A * {{2, -1.5}, {0.25, 4}, {-3, 1.125}}, A * B, "mat * Lua array of rows")
local Av = A * vec{2.4, -1.3, 0.7}
ok(core.vec.isvec(Av) and #Av == 2, "mat * vec is a vec")
close(Av[1], 6.875, 1e-15, "mat * vec (1)")
close(Av[2], 8.1375, 1e-15, "mat * vec (2)")
is(A * {2.4, -1.3, 0.7}, Av, "mat * Lua array")
is(mat.eye(2) * A, A, "eye * A")
is(tostring(mat(2, 0) * mat(0, 3)), "mat{{0, 0, 0}, {0, 0, 0}}",
   "an empty inner dimension gives zeros")
is(A + A, A * 2, "mat + mat")
is(A - A, mat(2, 3), "mat - mat")
is(0.5 * A, A / 2, "number * mat and mat / number")
is(1 + A, mat{{2.5, -1.25, 1.5}, {4.75, 1.125, 0}}, "number + mat")
is(3 / mat{{2, -4}}, mat{{1.5, -0.75}}, "number / mat")
is(-A, mat{{-1.5, 2.25, -0.5}, {-3.75, -0.125, 1}}, "-mat")
is(A + {{1, 1, 1}, {2, 2, 2}}, mat{{2.5, -1.25, 1.5}, {5.75, 2.125, 1}},
   "mat + Lua array of rows")
is(A:T(), mat{{1.5, 3.75}, {-2.25, 0.125}, {0.5, -1}}, "m:T()")
is(A:transpose(), A:T(), "m:transpose()")
is((A * B):T(), B:T() * A:T(), "(AB)^T = B^T A^T")
is(mat(0, 4):T().rows, 4, "transpose of an empty matrix")

-- Methods.
local w = vec{3.5, -1.25, 2.75}
is(w:dot(vec{2, 4, -0.5}), 3.5 * 2 - 1.25 * 4 - 2.75 * 0.5, "dot")
is(w:dot{2, 4, -0.5}, w:dot(vec{2, 4, -0.5}), "dot of a Lua array")
close(w:norm(), math.sqrt(3.5^2 + 1.25^2 + 2.75^2), 1e-15, "norm()")
close(w:norm(2), math.sqrt(21.375), 1e-15, "norm(2)")
is(w:norm(1), 7.5, "norm(1)")
is(w:norm(math.huge), 3.5, "norm(math.huge)")
close(w:norm(3), (3.5^3 + 1.25^3 + 2.75^3)^(1 / 3), 1e-14, "norm(3)")
is(vec{3, 4}:norm(), 5.0, "norm of {3, 4} is exact")
close(vec{3e300, 4e300}:norm(), 5e300, 1e-15, "norm does not overflow")
close(vec{3e-300, 4e-300}:norm(), 5e-300, 1e-15, "norm does not underflow")
is(vec{}:norm(), 0.0, "norm of an empty vec")
ok(vec{1, 0 / 0}:norm() ~= vec{1, 0 / 0}:norm(), "norm of a nan is nan")
is(vec{1, 1 / 0}:norm(), math.huge, "norm with an inf")
close(mat{{3.5, -1.25}, {2.75, 0}}:norm(), math.sqrt(21.375), 1e-15,
      "mat:norm() is Frobenius")
is(w:sum(), 5.0, "sum")
local lo, ilo = w:min()
ok(lo == -1.25 and ilo == 2, "min returns the value and its index")
local hi, ihi = w:max()
ok(hi == 3.5 and ihi == 1, "max returns the value and its index")
ok(select(2, vec{0 / 0, 2.385, -4}:min()) == 3, "min skips nan")
local c1 = w:copy()
c1[1] = 0
ok(w[1] == 3.5 and c1[1] == 0, "copy is independent")
local tv = w:totable()
ok(type(tv) == "table" and #tv == 3 and tv[1] == 3.5 and tv[3] == 2.75,
   "vec:totable()")
local tm = A:totable()
ok(#tm == 2 and #tm[1] == 3 and tm[2][1] == 3.75 and tm[1][3] == 0.5,
   "mat:totable() is nested")
local keys, sum = {}, 0
for i, xi in pairs(w) do keys[#keys + 1] = i; sum = sum + xi end
ok(#keys == 3 and keys[3] == 3 and sum == 5, "pairs(v)")
local nrows = 0
for i, ri in pairs(A) do
  nrows = nrows + 1
  ok(ri == A[i], "pairs(m) row " .. i)
end
is(nrows, 2, "pairs(m) visits every row")
is(w.nosuchmethod, nil, "an unknown field is nil")

-- Errors: constructors.
error_like("bad argument #1 to 'vec' (table or number expected, got nil)",
           vec, nil)
error_like("bad argument #1 to 'vec' (table or number expected, got vec)",
           vec, w)
error_like("bad argument #1 to 'vec' (number expected at [2], got string)",
           vec, {2.385, "1"})
error_like("bad argument #1 to 'vec' (non-negative size expected, got -3)",
           vec, -3)
error_like("bad argument #1 to 'vec' (size 4611686018427387904 too large)",
           vec, 1 << 62)
error_like("bad argument #1 to 'vec' (number has no integer representation)",
           vec, 2.5)
error_like("bad argument #2 to 'vec' (number expected, got string)",
           vec, 3, "x")
error_like("bad argument #1 to 'mat' (table or number expected, got boolean)",
           mat, true)
error_like("bad argument #2 to 'mat' (number expected, got no value)", mat, 3)
error_like("bad argument #2 to 'mat' (non-negative size expected, got -2)",
           mat, 3, -2)
error_like("bad argument #3 to 'mat' (number expected, got table)",
           mat, 3, 2, {})
error_like("bad argument #2 to 'mat' (size 4294967296x4294967296 too large)",
           mat, 1 << 32, 1 << 32)
error_like("bad argument #1 to 'mat' (ragged rows: row 1 has length 2, "
           .. "row 3 has length 1)", mat, {{1, 2}, {3, 4}, {5}})
error_like("bad argument #1 to 'mat' (number expected at [2][1], got string)",
           mat, {{1, 2}, {"3", 4}})
error_like("bad argument #1 to 'mat' (table or vec expected at [2], "
           .. "got number)", mat, {{1, 2}, 3})
error_like("mat 1099511627776x1099511627776 too large",
           function() return mat(1 << 40, 0) * mat(0, 1 << 40) end)
error_like("bad argument #2 to 'linspace' (number expected, got nil)",
           vec.linspace, 0, nil, 3)
error_like("bad argument #3 to 'linspace' (number expected, got no value)",
           vec.linspace, 0, 1)
error_like("bad argument #1 to 'eye' (non-negative size expected, got -1)",
           mat.eye, -1)
error_like("bad argument #1 to 'eye' (size 4294967296 too large)",
           mat.eye, 1 << 32)
error_like("bad argument #1 to 'diag' (vec or table expected, got string)",
           mat.diag, "2")
error_like("bad argument #1 to 'diag' (number expected at [3], got boolean)",
           mat.diag, {1, 2, false})

-- Errors: indexing.
error_like("vec index 4 out of range 1..3", function() return w[4] end)
error_like("vec index 0 out of range 1..3", function() w[0] = 1 end)
error_like("vec index -1 out of range 1..3", function() return w[-1] end)
error_like("vec index 1 out of range (size 0)", function() return vec{}[1] end)
error_like("vec index must be an integer, got 1.5",
           function() return w[1.5] end)
error_like("vec index must be an integer, got boolean",
           function() return w[true] end)
error_like("vec index must be an integer, got 2.5", function() w[2.5] = 1 end)
error_like("vec index must be an integer, got string",
           function() w.x = 1 end)
error_like("vec element must be a number, got string",
           function() w[1] = "2" end)
error_like("vec index 4 out of range 1..3", function() return A[2][4] end)
error_like("mat row index 3 out of range 1..2", function() return A[3] end)
error_like("mat row index 0 out of range 1..2", function() A[0] = {} end)
error_like("mat row index must be an integer, got 1.5",
           function() return A[1.5] end)
error_like("mat row index must be an integer, got table",
           function() return A[{}] end)
error_like("mat row index must be an integer, got string",
           function() A.rows = 4 end)
error_like("bad value for mat row 1 (vec or table expected, got number)",
           function() M[1] = 5 end)
error_like("size mismatch for row assignment (row of length 3 and table of "
           .. "length 2)", function() M[1] = {1, 2} end)
error_like("size mismatch for row assignment (row of length 3 and vec of "
           .. "length 4)", function() M[2] = vec(4) end)
error_like("bad value for mat row 2 (number expected at [2], got boolean)",
           function() M[2] = {1, true, 3} end)
is(M[2], vec{0.5, 0.75, 1.25}, "a failed row assignment changes nothing")

-- Errors: methods.
error_like("bad argument #1 to 'get' (row 3 out of range 1..2)",
           function() return A:get(3, 1) end)
error_like("bad argument #2 to 'get' (column 0 out of range 1..3)",
           function() return A:get(1, 0) end)
error_like("bad argument #2 to 'get' (number has no integer representation)",
           function() return A:get(1, 1.5) end)
error_like("bad argument #1 to 'get' (number expected, got string)",
           function() return A:get("1", 1) end)
error_like("bad argument #3 to 'set' (number expected, got no value)",
           function() M:set(1, 1) end)
error_like("bad argument #1 to 'col' (column 4 out of range 1..3)",
           function() return A:col(4) end)
error_like("bad argument #1 to 'dot' (vec or table expected, got string)",
           function() return w:dot("x") end)
error_like("bad argument #1 to 'dot' (number expected at [3], got string)",
           function() return w:dot{1, 2, "z"} end)
error_like("size mismatch for 'dot' (vec of length 3 and vec of length 2)",
           function() return w:dot{1, 2} end)
error_like("bad argument #1 to 'norm' (p >= 1 expected, got 0.5)",
           function() return w:norm(0.5) end)
error_like("bad argument #1 to 'norm' (number expected, got string)",
           function() return w:norm("2") end)
error_like("calling 'min' on bad self (vec is empty)",
           function() return vec{}:min() end)
error_like("calling 'max' on bad self (vec is empty)",
           function() return vec{}:max() end)
error_like("calling 'dot' on bad self (vec expected, got table)",
           function() local o = {dot = w.dot}; return o:dot(w) end)
error_like("bad argument #1 to 'get' (mat expected, got vec)",
           function() local get = A.get; return get(w, 1, 1) end)

-- Errors: arithmetic.
error_like("size mismatch for '+' (vec of length 3 and vec of length 2)",
           function() return w + vec{1, 2} end)
error_like("size mismatch for '-' (vec of length 2 and vec of length 3)",
           function() return {1, 2} - w end)
error_like("size mismatch for '*' (vec of length 3 and vec of length 4)",
           function() return w * vec(4) end)
error_like("size mismatch for '/' (vec of length 3 and vec of length 1)",
           function() return w / vec{2} end)
error_like("size mismatch for '*' (mat 2x3 and mat 2x3)",
           function() return A * A end)
error_like("size mismatch for '*' (mat 2x3 and vec of length 2)",
           function() return A * vec{1, 2} end)
error_like("size mismatch for '+' (mat 2x3 and mat 3x2)",
           function() return A + B end)
error_like("bad argument #2 to '+' (number, vec or table expected, got mat)",
           function() return w + A end)
error_like("bad argument #2 to '*' (number, vec or table expected, got mat)",
           function() return w * A end)
error_like("bad argument #2 to '-' (number, mat or table expected, got vec)",
           function() return A - w end)
error_like("bad argument #1 to '+' (number, vec or table expected, "
           .. "got string)", function() return "x" + w end)
error_like("bad argument #2 to '*' (number, vec, mat or table expected, got "
           .. "boolean)", function() return A * true end)
error_like("bad argument #2 to '+' (number expected at [2], got string)",
           function() return w + {1, "a", 3} end)
error_like("bad argument #1 to '*' (table or vec expected at [1], got number)",
           function() return {1, 2} * B end)

t.done()
