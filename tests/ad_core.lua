-- ad_core.lua: tracing mechanics of slope.ad (tape, cache, data, errors).
local t = require "tap"
local slope = require "slope"
local ad = require "slope.ad"
local vec, mat = slope.vec, slope.mat

local function rosen(x)
  local s = 0
  for i = 1, #x - 1 do
    s = s + 100 * (x[i + 1] - x[i] ^ 2) ^ 2 + (1 - x[i]) ^ 2
  end
  return s
end

-- {====================================================== derivatives
local g = ad.grad(function(x) return x[1]^2 + 3*x[2] end, {1, 2})
t.ok(getmetatable(g) == getmetatable(vec{1}), "grad returns a vec")
t.is(tostring(g), "vec{2, 3}", "grad of x1^2 + 3 x2 at {1, 2}")
g = ad.grad(rosen, vec{-1.2, 1})
t.close(g[1], -215.6, 1e-14, "rosenbrock gradient 1")
t.close(g[2], -88, 1e-14, "rosenbrock gradient 2")
local h = ad.hessian(rosen, {-1.2, 1})
t.close(h[1][1], 1330, 1e-14, "hessian 1,1")
t.close(h[1][2], 480, 1e-14, "hessian 1,2")
t.close(h[2][1], 480, 1e-14, "hessian 2,1")
t.close(h[2][2], 200, 1e-14, "hessian 2,2")
local hv = ad.hvp(rosen, {-1.2, 1}, {0.5, 2.385})
t.close(hv[1], 1330 * 0.5 + 480 * 2.385, 1e-13, "hvp 1")
t.close(hv[2], 480 * 0.5 + 200 * 2.385, 1e-13, "hvp 2")
t.close(ad.dirderiv(rosen, {-1.2, 1}, {0.5, 2.385}), -215.6 * 0.5 - 88 * 2.385,
        1e-13, "dirderiv")
t.close(ad.derivative(function(s) return math.sin(s) * s end, 2.385),
        math.cos(2.385) * 2.385 + math.sin(2.385), 1e-14, "derivative")
t.close(ad.derivative(function(s) return 4 end, 2.385), 0, 0, "derivative of a constant")
local J = ad.jacobian(function(x) return {x[1] * x[2], math.exp(x[1]), 7} end,
                      {1.5, 2.385})
t.is(J.rows, 3, "jacobian rows (m >= n: forward sweeps)")
t.close(J[1][1], 2.385, 1e-15, "jacobian 1,1")
t.close(J[1][2], 1.5, 1e-15, "jacobian 1,2")
t.close(J[2][1], math.exp(1.5), 1e-15, "jacobian 2,1")
t.ok(J[3][1] == 0 and J[3][2] == 0, "jacobian of a constant output")
J = ad.jacobian(function(x) return {x[1] * x[2] * x[3]} end, {1.5, 2, 4})
t.ok(J.rows == 1 and J[1][3] == 3, "jacobian with m < n (reverse sweeps)")
-- }

-- {====================================================== compile
local F = ad.compile(function(x) return x[1]^2 + 3*x[2] end, 2)
t.is(tostring(F), "ad.fn(n=2, m=1, nodes=6)", "tostring(F)")
t.is(F.n, 2, "F.n"); t.is(F.m, 1, "F.m"); t.is(F.nodes, 6, "F.nodes")
t.is(F.bytes, 6 * 28 + 4, "F.bytes: 28 per node and the output")
t.is(F{2.5, 1}, 9.25, "F(x)")
t.is(tostring(F:grad{2.5, 1}), "vec{5, 3}", "F:grad")
local v, gv = F:valgrad{2.5, 1}
t.ok(v == 9.25 and gv[1] == 5, "F:valgrad")
t.is(tostring(F:hessian{2.5, 1}), "mat{{2, 0}, {0, 0}}", "F:hessian")
t.is(tostring(F:hvp({2.5, 1}, {1, 1})), "vec{2, 0}", "F:hvp")
t.is(tostring(F:jacobian{2.5, 1}), "mat{{5, 3}}", "F:jacobian")
local FV = ad.compile(function(x) return {x[1] + x[2], x[1] * x[2]} end, 2)
t.is(tostring(FV{1.5, 2}), "vec{3.5, 3}", "vector-valued F(x)")
t.is(FV.m, 2, "vector-valued F.m")
t.error_like("grad: the function returns a list of 2 values, not a number (for a vector-valued function use jacobian)",
             function() return FV:grad{1, 2} end)
t.error_like("grad: the function returns a list of 1 value, not a number",
             function() return ad.grad(function(x) return {x[1]} end, {1, 2}) end)
t.error_like("bad argument #1 to 'grad' (vector of length 2 expected, got length 3)",
             function() return F:grad{1, 2, 3} end)
t.error_like("(vector of length 2 expected, got length 1)", F, {1})
t.error_like("bad argument #2 to 'compile' (positive size expected)",
             function() return ad.compile(rosen, 0) end)
t.error_like("bad argument #1 to 'compile' (function expected, got number)",
             function() return ad.compile(3, 2) end)
-- }

-- {====================================================== tape shape
F = ad.compile(function(x) return x[1] * 1 + 0 end, 1)
t.is(F.nodes, 1, "x * 1 + 0 folds to the input")
F = ad.compile(function(x) return x[1] ^ 0 end, 1)
t.is(F.nodes, 2, "x ^ 0 folds to the constant 1")
F = ad.compile(function(x) return x[1] ^ 1 * math.exp(x[1] ^ 0) end, 1)
t.is(F.nodes, 3, "math.exp of a folded constant folds too")
t.close(F{2}, 2 * math.exp(1), 1e-15, "its value")
F = ad.compile(function(x) return (x[1] * x[2]) + (x[2] * x[1]) end, 2)
t.is(F.nodes, 4, "x1 x2 and x2 x1 are one node")
F = ad.compile(function(x) return math.sin(x[1]) * math.sin(x[1]) end, 1)
t.is(F.nodes, 3, "sin(x) recorded once")
F = ad.compile(function(x) return 2 * x[1] + 2 * x[2] end, 2)
t.is(F.nodes, 6, "the constant 2 is one node")
-- A repeated node is found whether it was its operands' first use or not,
-- and however many other nodes use them.
local function shared(body)
  local once = ad.compile(function(x) local s = body(x); return s + s end, 3)
  local twice = ad.compile(function(x) return body(x) + body(x) end, 3)
  return once.nodes .. " " .. twice.nodes
end
t.is(shared(function(x) return x[1] * 2 + x[2] * 3 + x[2] / x[1] end),
     "11 11", "x2 / x1 again: neither operand's first use")
t.is(shared(function(x) return x[1] - x[2] end), "5 5",
     "x1 - x2 again: both operands' first use")
t.is(shared(function(x)
  local s, w = 0, x[1] * x[2]
  for i = 1, 40 do s = s + w * math.sin(i * x[3]) end
  return s
end), "202 202", "40 products with one shared factor, again")
local traced = ad.compile(function(x)
  t.is(math.exp(0), 1.0, "numbers stay numbers while tracing")
  return x[1] + 2
end, 1)
t.is(traced{0.5}, 2.5, "tracing runs the loss once with symbolic inputs")
-- }

-- {====================================================== cache
local cnt = {0}
local function counted(x) cnt[1] = cnt[1] + 1; return x[1] * x[2] end
ad.grad(counted, {1, 2}); ad.grad(counted, {3, 4}); ad.hessian(counted, {3, 4})
t.is(cnt[1], 1, "one trace serves every call of the same size")
ad.grad(counted, {1, 2, 3})
t.is(cnt[1], 2, "another input size traces again")
t.ok(rawequal(ad.compile(counted, 2), ad.compile(counted, 2)),
     "compile returns the cached function")
local k = 2.5
local function scaled(x) return k * x[1] end
t.is(ad.grad(scaled, {1})[1], 2.5, "captured constant used")
k = 4
t.is(ad.grad(scaled, {1})[1], 4.0, "a changed captured number retraces")
local fs = {}
for i = 1, 3 do fs[i] = function(x) return i * x[1] end end
t.is(ad.grad(fs[3], {1})[1], 3.0, "each closure is its own key")
t.is(ad.grad(fs[2], {1})[1], 2.0, "no stale tape across closures")
-- }

-- {====================================================== data
local d = vec{1.5, 2, -3}
local m = mat{{1, 2}, {3, 4}, {5, 6}}
g = ad.grad(function(x, dd, mm) return (mm * x):sum() + dd[2] * x[1] + mm[1]:dot(x) end,
            {1, 1}, d, m)
t.is(tostring(g), "vec{12, 14}", "data: m * x, d[i], m[i]:dot(x)")
local G = ad.compile(function(x, dd) return dd:dot(x) ^ 2 end, 3, {data = {d}})
t.is(G{1, 1, 1}, 0.25, "compile with data")
t.is(G({1, 1, 1}, {2, 2, 2}), 36.0, "refilled data, same tape")
t.is(G{1, 1, 1}, 0.25, "default data again")
t.is(tostring(G:grad({1, 1, 1}, vec{1, 0, 0})), "vec{2, 0, 0}", "grad with new data")
t.is(G.nodes, 5, "one dot node for the whole product")
t.error_like("bad argument #2 to 'G' (vector of length 3 expected as data)",
             function() return G({1, 1, 1}, {1, 2}) end)
t.error_like("F: 1 data argument expected, got 2", G, {1, 1, 1}, d, d)
local S = ad.compile(function(x, dd) return dd:sum() * x[1] + x:dot(x) + x:sum() end,
                     2, {data = {vec{1, 2.5}}})
t.is(S{2, 3}, 3.5 * 2 + 13 + 5, "d:sum(), x:dot(x), x:sum()")
t.is(tostring(S:grad{2, 3}), "vec{8.5, 7}", "their gradient")
local DM = ad.compile(function(x, mm) return mm[2][1] * x[1] + mm.rows + mm.cols + #mm end,
                      1, {data = {m}})
t.is(DM{2}, 6 + 3 + 2 + 3, "m[i][j], m.rows, m.cols, #m")
-- }

-- {====================================================== errors
t.error_like("ad_core.lua:", ad.grad, function(x) if x[1] < 0 then return 1 end return 2 end, {1})
t.error_like("ad: comparison of a traced value (the loss branches on its input); use ad.ifelse(c, a, b), math.max/math.min, or numerical derivatives (gradient = \"numeric\" in the solvers)",
             ad.grad, function(x) return x[1] <= x[2] and 1 or 2 end, {1, 2})
t.error_like("ad: comparison of a traced value", ad.grad,
             function(x) return x[1] == x[2] and 1 or 2 end, {1, 2})
t.error_like("bad argument #2 to 'format' (number expected, got slope.ad.var) (ad: a traced value reached code that needs a plain number",
             ad.grad, function(x) return string.format("%g", x[1]) end, {1})
t.error_like("ad_core.lua:", ad.grad, function(x) return string.format("%g", x[1]) end, {1})
t.error_like("invalid value (userdata) at index 1 in table for 'concat' (ad: a traced value reached code",
             ad.grad, function(x) return table.concat({x[1]}) end, {1})
t.error_like("ad: a traced value used as a string (..)",
             ad.grad, function(x) return "a" .. x[1] end, {1})
t.error_like("ad: arithmetic of a traced value and a string value",
             ad.grad, function(x) return x[1] + "2" end, {1})
t.error_like("ad.grad: the loss (", ad.grad, function(x) return "a" end, {1})
t.error_like("returned a string value, not a number", ad.grad, function(x) return "a" end, {1})
t.error_like("returned a nil value, not a number", ad.hessian, function(x) end, {1})
t.error_like("ad.jacobian: element 2 of the result of the function (",
             ad.jacobian, function(x) return {x[1], true} end, {1})
t.error_like("is a boolean value, not a number", ad.jacobian,
             function(x) return {x[1], true} end, {1})
t.error_like("ad: traced vector index 3 out of range (1 to 2)",
             ad.grad, function(x) return x[3] end, {1, 2})
t.error_like("ad: traced vector index must be an integer, got boolean",
             ad.grad, function(x) return x[true] end, {1, 2})
t.error_like("ad: a traced vector is read-only", ad.grad,
             function(x) x[1] = 2; return x[1] end, {1})
t.error_like("ad: arithmetic on a whole traced vector; index it (x[i])",
             ad.grad, function(x) return x + 1 end, {1})
t.error_like("ad: data row index 4 out of range (1 to 3)",
             ad.grad, function(x, mm) return mm[4]:dot(x) end, {1, 2}, m)
t.error_like("ad: data are read-only while tracing",
             ad.grad, function(x, dd) dd[1] = 2; return x[1] end, {1}, d)
t.error_like("ad: a traced value was used after its trace ended", function()
  local kept
  ad.grad(function(x) kept = x[1]; return x[1] end, {1.5})
  return kept + 1
end)
t.error_like("bad argument #2 to 'grad' (", function() return ad.grad(rosen, "x") end)
t.error_like("bad argument #2 to 'derivative' (number expected, got table)",
             function() return ad.derivative(rosen, {1}) end)
-- }

-- {====================================================== math overloads
t.is(math.type(math.floor(2.5)), "integer", "floor of a float is an integer")
t.is(math.floor(7), 7, "floor of an integer")
t.is(math.type(math.floor(-0.0)), "integer", "floor of -0.0")
t.is(math.type(math.floor(2^70)), "float", "floor of a huge float stays float")
t.is(math.floor("2.5"), 2, "floor converts strings as stock Lua")
t.is(math.type(math.ceil(2.5)), "integer", "ceil integer")
t.is(math.type(math.abs(-3)), "integer", "abs of an integer")
t.is(math.abs(math.mininteger), math.mininteger, "abs wraps like stock Lua")
t.is(math.abs("-2"), 2.0, "abs converts strings")
t.is(math.max(1, 2.0), 2.0, "max keeps the subtype of the winner")
t.is(math.type(math.max(1, 1.0)), "integer", "max tie keeps the first")
t.is(math.min("a"), "a", "min of one value returns it")
t.is(math.max("10", "9"), "9", "max compares strings as stock Lua")
t.is(math.log(8, 2), 3.0, "log base 2")
t.is(math.log(1000, 10), 3.0, "log base 10")
t.close(math.log(2.385, 3), math.log(2.385) / math.log(3), 1e-16, "log base 3")
t.is(math.atan(1, 2), math.atan(0.5, 1), "atan with two arguments")
t.is(math.sqrt(4), 2.0, "sqrt")
t.error_like("bad argument #1 to 'exp' (number expected, got string)", function() return math.exp("x") end)
t.error_like("bad argument #1 to 'max' (value expected)", function() return math.max() end)
t.error_like("attempt to compare string with number", function() return math.min(1, "a") end)
t.error_like("bad argument #2 to 'atan' (number expected, got string)", function() return math.atan(1, "x") end)
t.error_like("bad argument #1 to 'floor' (number expected, got table)", function() return math.floor({}) end)

-- the same functions on traced values
local function at(f, x) return ad.grad(f, x) end
t.close(at(function(x) return math.log(x[1], 2) end, {2.385})[1], 1 / (2.385 * math.log(2)), 1e-15, "d log2")
t.close(at(function(x) return math.log(x[1], 10) end, {2.385})[1], 1 / (2.385 * math.log(10)), 1e-15, "d log10")
t.close(at(function(x) return math.log(x[1], 3) end, {2.385})[1], 1 / (2.385 * math.log(3)), 1e-15, "d log base 3")
t.close(at(function(x) return math.atan(x[1], x[2]) end, {1.5, 2.385})[2], -1.5 / (1.5^2 + 2.385^2), 1e-15, "d atan2")
t.close(at(function(x) return math.atan(x[1]) end, {1.5})[1], 1 / (1 + 1.5^2), 1e-15, "d atan")
t.is(at(function(x) return math.abs(x[1]) end, {0})[1], 0.0, "abs'(0) = 0")
t.is(at(function(x) return math.abs(x[1]) end, {-2})[1], -1.0, "abs' < 0")
t.is(tostring(at(function(x) return math.max(x[1], x[2]) end, {2, 2})), "vec{1, 0}", "max tie goes to the first")
t.is(tostring(at(function(x) return math.min(x[2], x[1]) end, {2, 2})), "vec{0, 1}", "min tie goes to the first")
t.is(tostring(at(function(x) return math.max(x[1], x[2], 3) end, {1, 2.5})), "vec{0, 0}", "max of three")
t.is(at(function(x) return math.floor(x[1]) + math.ceil(x[1]) end, {2.5})[1], 0.0, "floor and ceil: derivative 0")
t.is(tostring(at(function(x) return x[1] % x[2] end, {7.5, 2})), "vec{1, -3}", "% : derivative 1 and -floor(a/b)")
t.is(at(function(x) return x[1] // 2 end, {7.5})[1], 0.0, "// : derivative 0")
t.is(ad.compile(function(x) return x[1] // 2 end, 1){7.5}, 3.0, "// value")
t.is(ad.compile(function(x) return x[1] % 2 end, 1){-7.5}, 0.5, "% value as Lua's")
t.is(at(function(x) return -x[1] end, {1})[1], -1.0, "unary minus")
t.close(at(function(x) return x[1] ^ x[2] end, {2, 3})[2], 8 * math.log(2), 1e-15, "d a^b / db")
t.close(at(function(x) return 2 ^ x[1] end, {3})[1], 8 * math.log(2), 1e-15, "d 2^x")
t.close(at(function(x) return x[1] ^ 3.5 end, {2})[1], 3.5 * 2^2.5, 1e-15, "d x^3.5")
t.close(at(function(x) return math.sqrt(x[1]) end, {2.385})[1], 0.5 / math.sqrt(2.385), 1e-15, "d sqrt")
t.close(at(function(x) return math.tan(x[1]) end, {0.385})[1], 1 / math.cos(0.385)^2, 1e-14, "d tan")
t.close(at(function(x) return math.asin(x[1]) + math.acos(x[1]) end, {0.385})[1], 0, 1e-14, "d asin + acos")
-- }

-- {====================================================== ad's functions
t.is(ad.tanh(0.385), math.tanh and math.tanh(0.385) or ad.tanh(0.385), "tanh of a number")
t.close(ad.logistic(0.385), 1 / (1 + math.exp(-0.385)), 1e-15, "logistic")
t.close(ad.softplus(0.385), math.log(1 + math.exp(0.385)), 1e-15, "softplus")
t.is(ad.softplus(1000), 1000.0, "softplus does not overflow")
t.is(ad.logistic(-1000), 0.0, "logistic does not overflow")
t.close(ad.logsumexp{1000, 1000}, 1000 + math.log(2), 1e-15, "logsumexp")
t.is(ad.logsumexp{}, -math.huge, "logsumexp of nothing")
t.is(ad.ifelse(1, "a", "b"), "a", "ifelse with a number")
t.is(ad.ifelse(false, "a", "b"), "b", "ifelse with a boolean")
t.error_like("bad argument #1 to 'ifelse' (number expected, got string)", function() return ad.ifelse("x", 1, 2) end)
for _, name in ipairs { "tanh", "sinh", "cosh", "log1p", "expm1", "logistic", "softplus", "erf" } do
  local f = ad[name]
  local e = 1e-6
  local d0 = (f(0.385 + e) - f(0.385 - e)) / (2 * e)
  t.close(at(function(x) return f(x[1]) end, {0.385})[1], d0, 1e-8, "d " .. name)
end
t.is(tostring(at(function(x) return ad.ifelse(x[1] - 1, x[1] * 2, x[2]) end, {2, 5})), "vec{2, 0}", "ifelse, c > 0")
t.is(tostring(at(function(x) return ad.ifelse(x[1] - 1, x[1] * 2, x[2]) end, {0.5, 5})), "vec{0, 1}", "ifelse, c <= 0")
g = at(function(x) return ad.logsumexp(x) end, {1, 2, 3})
t.close(g[1] + g[2] + g[3], 1, 1e-15, "logsumexp gradient sums to 1")
h = ad.hessian(function(x) return ad.logsumexp{x[1], 2 * x[2]} end, {1, 2})
local p = math.exp(1) / (math.exp(1) + math.exp(4))
t.close(h[1][1], p * (1 - p), 1e-14, "logsumexp hessian")
-- }

-- {====================================================== NaN and Inf
t.ok(ad.grad(function(x) return math.sqrt(x[1]) end, {-1})[1] ~= ad.grad(function(x) return math.sqrt(x[1]) end, {-1})[1], "NaN propagates")
t.is(ad.compile(function(x) return math.log(x[1]) end, 1){0}, -math.huge, "log(0) = -inf")
t.is(ad.grad(function(x) return math.log(x[1]) end, {0})[1], math.huge, "its derivative is inf")
F = ad.compile(rosen, 2)
local nanv = F{0/0, 1}
t.ok(nanv ~= nanv, "NaN input, NaN value")
-- }

t.done()
