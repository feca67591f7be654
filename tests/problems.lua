-- problems.lua: a library of test problems with analytic derivatives, for
-- the differentiation tests, the solver tests and the benchmarks.
--
--   local P = require "problems"
--   P.scalar       list of scalar problems (also P.byname[name])
--   P.vector       list of vector-valued problems (residuals) with Jacobians
--   P.univariate   list of functions of one number, for ad.derivative
--   P.lcg(seed)    the deterministic uniform generator the data come from
--
-- A scalar problem is a table
--   name, n, f(x, ...)           the function in ordinary Lua (x[i], + - * /
--                                ^, math.*, and slope.ad's extra elementary
--                                functions where the problem is about them)
--   grad(x, ...), hess(x, ...)   analytic: a Lua array; an array of rows
--   points                       points[1] is the standard start (also x0),
--                                then one or two points of high entropy
--   fstar, xstar                 the known minimum, where classical (Bard's
--                                and Penalty I's found by Newton's method
--                                to double precision)
--   data, data2                  for data problems: the extra arguments of f,
--                                {X, y}, and a second set of the same shapes
--   kink                         points[k] where f is not smooth nearby, so
--                                finite differences do not apply: kink[k] =
--                                the reason
-- A vector problem: name, n, m, F(x) -> array of m values, jac(x) -> array
-- of m rows, points (and kink).  A univariate problem: name, f, df, points.
--
-- Every point and datum is written out or drawn from P.lcg, so the numbers
-- are the same on every machine.
local math, ipairs, assert, require = math, ipairs, assert, require
local exp, log, sin, cos, tan, sqrt, atan, pi =
      math.exp, math.log, math.sin, math.cos, math.tan, math.sqrt,
      math.atan, math.pi
local floor, ceil, abs = math.floor, math.ceil, math.abs

local slope = require "slope"
-- slope.ad for its elementary functions, looked up at call time
local ad = require "slope.ad"

local P = { scalar = {}, vector = {}, univariate = {}, byname = {} }

-- Helpers for the analytic derivatives.

local function zeros(n)
  local v = {}
  for i = 1, n do v[i] = 0.0 end
  return v
end

local function zmat(n, m)
  local a = {}
  for i = 1, n do a[i] = zeros(m or n) end
  return a
end

-- H += s * u v'
local function addouter(H, s, u, v)
  v = v or u
  for i = 1, #u do
    if u[i] ~= 0 then
      for j = 1, #v do H[i][j] = H[i][j] + s * u[i] * v[j] end
    end
  end
end

-- g += s * u
local function axpy(g, s, u)
  for i = 1, #u do g[i] = g[i] + s * u[i] end
end

-- The logistic function, and a softmax of an array, both stable.
local function sigma(z)
  if z >= 0 then return 1 / (1 + exp(-z)) end
  local e = exp(z)
  return e / (1 + e)
end

local function tanh(z)
  if z < 0 then return -tanh(-z) end
  local e = exp(-2 * z)
  return (1 - e) / (1 + e)
end

local function softmax(z)
  local m = z[1]
  for i = 2, #z do if z[i] > m then m = z[i] end end
  local p, s = {}, 0.0
  for i = 1, #z do p[i] = exp(z[i] - m); s = s + p[i] end
  for i = 1, #z do p[i] = p[i] / s end
  return p
end

-- A linear congruential generator (Numerical Recipes' constants) on 32
-- bits: uniform numbers in [0, 1) that are exact binary fractions, the same
-- on every platform.
local function lcg(seed)
  local s = seed & 0xffffffff
  return function()
    s = (1664525 * s + 1013904223) & 0xffffffff
    return s / 4294967296.0
  end
end
P.lcg = lcg

local function add(p)
  assert(not P.byname[p.name], p.name)
  p.x0 = p.points[1]
  P.byname[p.name] = p
  local list = p.F and P.vector or P.scalar
  list[#list + 1] = p
  return p
end

---------------------------------------------------------------------------
-- Classical unconstrained problems (Moré, Garbow and Hillstrom 1981).

-- Rosenbrock's banana valley.
add {
  name = "rosenbrock", n = 2,
  f = function(x)
    return 100 * (x[2] - x[1]^2)^2 + (1 - x[1])^2
  end,
  grad = function(x)
    local a = x[2] - x[1]^2
    return { -400 * x[1] * a - 2 * (1 - x[1]), 200 * a }
  end,
  hess = function(x)
    local h12 = -400 * x[1]
    return { { 1200 * x[1]^2 - 400 * x[2] + 2, h12 }, { h12, 200 } }
  end,
  points = { { -1.2, 1 }, { 0.7358, -0.4163 }, { 1.3841, 1.9077 } },
  fstar = 0, xstar = { 1, 1 },
}

-- Extended Rosenbrock: n/2 independent valleys; written with #x.
add {
  name = "extended_rosenbrock", n = 10,
  f = function(x)
    local s = 0
    for i = 1, #x, 2 do
      s = s + 100 * (x[i + 1] - x[i] * x[i])^2 + (1 - x[i])^2
    end
    return s
  end,
  grad = function(x)
    local g = {}
    for i = 1, #x, 2 do
      local a = x[i + 1] - x[i]^2
      g[i] = -400 * x[i] * a - 2 * (1 - x[i])
      g[i + 1] = 200 * a
    end
    return g
  end,
  hess = function(x)
    local H = zmat(#x)
    for i = 1, #x, 2 do
      H[i][i] = 1200 * x[i]^2 - 400 * x[i + 1] + 2
      H[i][i + 1], H[i + 1][i] = -400 * x[i], -400 * x[i]
      H[i + 1][i + 1] = 200
    end
    return H
  end,
  points = {
    { -1.2, 1, -1.2, 1, -1.2, 1, -1.2, 1, -1.2, 1 },
    { 0.4173, -1.2964, 1.0482, 0.3317, -0.8625, 2.0716, 1.5391, -0.2048,
      -0.0937, 0.7754 },
    { -1.7305, 2.8814, 0.9261, 0.8573, 0.1349, -0.6602, -0.4488, 0.2271,
      1.1126, 1.2359 },
  },
  fstar = 0, xstar = { 1, 1, 1, 1, 1, 1, 1, 1, 1, 1 },
}

-- Powell's singular function: the Hessian is singular at the minimum.
add {
  name = "powell_singular", n = 4,
  f = function(x)
    return (x[1] + 10 * x[2])^2 + 5 * (x[3] - x[4])^2 + (x[2] - 2 * x[3])^4
           + 10 * (x[1] - x[4])^4
  end,
  grad = function(x)
    local a, b = x[2] - 2 * x[3], x[1] - x[4]
    local c, d = x[1] + 10 * x[2], x[3] - x[4]
    return { 2 * c + 40 * b^3, 20 * c + 4 * a^3, 10 * d - 8 * a^3,
             -10 * d - 40 * b^3 }
  end,
  hess = function(x)
    local a2, b2 = (x[2] - 2 * x[3])^2, (x[1] - x[4])^2
    return {
      { 2 + 120 * b2, 20, 0, -120 * b2 },
      { 20, 200 + 12 * a2, -24 * a2, 0 },
      { 0, -24 * a2, 10 + 48 * a2, -10 },
      { -120 * b2, 0, -10, 10 + 120 * b2 },
    }
  end,
  points = { { 3, -1, 0, 1 }, { 0.8326, -1.4719, 2.2853, 0.1964 },
             { -2.0581, 0.6347, -0.3912, 1.7438 } },
  fstar = 0, xstar = { 0, 0, 0, 0 },
}

-- Wood's function (Colville).
add {
  name = "wood", n = 4,
  f = function(x)
    return 100 * (x[2] - x[1]^2)^2 + (1 - x[1])^2 + 90 * (x[4] - x[3]^2)^2
           + (1 - x[3])^2 + 10.1 * ((x[2] - 1)^2 + (x[4] - 1)^2)
           + 19.8 * (x[2] - 1) * (x[4] - 1)
  end,
  grad = function(x)
    local a, b = x[2] - x[1]^2, x[4] - x[3]^2
    return {
      -400 * x[1] * a - 2 * (1 - x[1]),
      200 * a + 20.2 * (x[2] - 1) + 19.8 * (x[4] - 1),
      -360 * x[3] * b - 2 * (1 - x[3]),
      180 * b + 20.2 * (x[4] - 1) + 19.8 * (x[2] - 1),
    }
  end,
  hess = function(x)
    return {
      { 1200 * x[1]^2 - 400 * x[2] + 2, -400 * x[1], 0, 0 },
      { -400 * x[1], 220.2, 0, 19.8 },
      { 0, 0, 1080 * x[3]^2 - 360 * x[4] + 2, -360 * x[3] },
      { 0, 19.8, -360 * x[3], 200.2 },
    }
  end,
  points = { { -3, -1, -3, -1 }, { 1.2741, 0.6158, -0.7392, 1.8864 },
             { -0.5127, 2.3309, 0.9476, -1.4215 } },
  fstar = 0, xstar = { 1, 1, 1, 1 },
}

-- Beale's function; x[2]^i with x[2] < 0 exercises constant exponents of a
-- negative base.
local beale_y = { 1.5, 2.25, 2.625 }
add {
  name = "beale", n = 2,
  f = function(x)
    local s = 0
    for i = 1, 3 do s = s + (beale_y[i] - x[1] * (1 - x[2]^i))^2 end
    return s
  end,
  grad = function(x)
    local g = zeros(2)
    for i = 1, 3 do
      local r = beale_y[i] - x[1] * (1 - x[2]^i)
      axpy(g, 2 * r, { -(1 - x[2]^i), x[1] * i * x[2]^(i - 1) })
    end
    return g
  end,
  hess = function(x)
    local H = zmat(2)
    for i = 1, 3 do
      local r = beale_y[i] - x[1] * (1 - x[2]^i)
      local d = { -(1 - x[2]^i), x[1] * i * x[2]^(i - 1) }
      addouter(H, 2, d)
      local h12 = i * x[2]^(i - 1)
      local h22 = i >= 2 and x[1] * i * (i - 1) * x[2]^(i - 2) or 0
      H[1][2] = H[1][2] + 2 * r * h12
      H[2][1] = H[2][1] + 2 * r * h12
      H[2][2] = H[2][2] + 2 * r * h22
    end
    return H
  end,
  points = { { 1, 1 }, { 2.2731, -0.3867 }, { -0.8541, 1.1938 } },
  fstar = 0, xstar = { 3, 0.5 },
}

-- Fletcher and Powell's helical valley, theta from the two-argument atan so
-- that it traces without a branch.  The standard start (-1, 0, 0) lies on
-- the cut of atan(x2, x1), where the function jumps.
add {
  name = "helical_valley", n = 3,
  f = function(x)
    local theta = math.atan(x[2], x[1]) / (2 * pi)
    local r = math.sqrt(x[1]^2 + x[2]^2)
    return 100 * (x[3] - 10 * theta)^2 + 100 * (r - 1)^2 + x[3]^2
  end,
  grad = function(x)
    local x1, x2, x3 = x[1], x[2], x[3]
    local rho = x1 * x1 + x2 * x2
    local r = sqrt(rho)
    local u = x3 - 10 * atan(x2, x1) / (2 * pi)
    local t1, t2 = -x2 / (2 * pi * rho), x1 / (2 * pi * rho)
    return {
      200 * u * (-10 * t1) + 200 * (r - 1) * x1 / r,
      200 * u * (-10 * t2) + 200 * (r - 1) * x2 / r,
      200 * u + 2 * x3,
    }
  end,
  hess = function(x)
    local x1, x2, x3 = x[1], x[2], x[3]
    local rho = x1 * x1 + x2 * x2
    local r = sqrt(rho)
    local u, s = x3 - 10 * atan(x2, x1) / (2 * pi), r - 1
    local c = 2 * pi * rho * rho
    local t11, t12, t22 = 2 * x1 * x2 / c, (x2 * x2 - x1 * x1) / c,
                          -2 * x1 * x2 / c
    local du = { 10 * x2 / (2 * pi * rho), -10 * x1 / (2 * pi * rho), 1 }
    local ds = { x1 / r, x2 / r, 0 }
    local r3 = r * rho
    local H = zmat(3)
    addouter(H, 200, du)
    addouter(H, 200, ds)
    H[1][1] = H[1][1] + 200 * (u * -10 * t11 + s * x2 * x2 / r3)
    H[1][2] = H[1][2] + 200 * (u * -10 * t12 - s * x1 * x2 / r3)
    H[2][1] = H[1][2]
    H[2][2] = H[2][2] + 200 * (u * -10 * t22 + s * x1 * x1 / r3)
    H[3][3] = H[3][3] + 2
    return H
  end,
  points = { { -1, 0, 0 }, { 0.6231, 0.4417, 0.2746 },
             { -0.3812, -0.7165, -1.1903 } },
  kink = { [1] = "on the cut of atan(x2, x1), where theta jumps by 1" },
  fstar = 0, xstar = { 1, 0, 0 },
}

-- Brown's badly scaled function.
add {
  name = "brown_badly_scaled", n = 2,
  f = function(x)
    return (x[1] - 1e6)^2 + (x[2] - 2e-6)^2 + (x[1] * x[2] - 2)^2
  end,
  grad = function(x)
    local c = x[1] * x[2] - 2
    return { 2 * (x[1] - 1e6) + 2 * c * x[2], 2 * (x[2] - 2e-6) + 2 * c * x[1] }
  end,
  hess = function(x)
    local h12 = 4 * x[1] * x[2] - 4
    return { { 2 + 2 * x[2]^2, h12 }, { h12, 2 + 2 * x[1]^2 } }
  end,
  points = { { 1, 1 }, { 3.8417e5, 2.6139e-5 }, { 1.2276e6, -7.4183e-6 } },
  fstar = 0, xstar = { 1e6, 2e-6 },
}

-- Freudenstein and Roth: a global minimum 0 at (5, 4) and a local one.
local function fr_parts(x)
  local x2 = x[2]
  local f1 = -13 + x[1] + ((5 - x2) * x2 - 2) * x2
  local f2 = -29 + x[1] + ((x2 + 1) * x2 - 14) * x2
  return f1, f2, { 1, 10 * x2 - 3 * x2^2 - 2 }, { 1, 3 * x2^2 + 2 * x2 - 14 },
         10 - 6 * x2, 6 * x2 + 2
end
add {
  name = "freudenstein_roth", n = 2,
  f = function(x)
    return (-13 + x[1] + ((5 - x[2]) * x[2] - 2) * x[2])^2
           + (-29 + x[1] + ((x[2] + 1) * x[2] - 14) * x[2])^2
  end,
  grad = function(x)
    local f1, f2, d1, d2 = fr_parts(x)
    local g = zeros(2)
    axpy(g, 2 * f1, d1)
    axpy(g, 2 * f2, d2)
    return g
  end,
  hess = function(x)
    local f1, f2, d1, d2, s1, s2 = fr_parts(x)
    local H = zmat(2)
    addouter(H, 2, d1)
    addouter(H, 2, d2)
    H[2][2] = H[2][2] + 2 * (f1 * s1 + f2 * s2)
    return H
  end,
  points = { { 0.5, -2 }, { 6.1372, 2.4518 }, { -3.7145, 0.8261 } },
  fstar = 0, xstar = { 5, 4 },
}

-- Box's three-dimensional function, with fixed data t_i = 0.1 i.
local box_t, box_c = {}, {}
for i = 1, 10 do
  box_t[i] = 0.1 * i
  box_c[i] = exp(-box_t[i]) - exp(-10 * box_t[i])
end
local function box_residual(x, i)
  local t = box_t[i]
  local e1, e2 = exp(-t * x[1]), exp(-t * x[2])
  return e1 - e2 - x[3] * box_c[i], { -t * e1, t * e2, -box_c[i] },
         t * t * e1, -t * t * e2
end
add {
  name = "box3d", n = 3,
  f = function(x)
    local s = 0
    for i = 1, #box_t do
      local t = box_t[i]
      s = s + (math.exp(-t * x[1]) - math.exp(-t * x[2])
               - x[3] * (math.exp(-t) - math.exp(-10 * t)))^2
    end
    return s
  end,
  grad = function(x)
    local g = zeros(3)
    for i = 1, #box_t do
      local r, d = box_residual(x, i)
      axpy(g, 2 * r, d)
    end
    return g
  end,
  hess = function(x)
    local H = zmat(3)
    for i = 1, #box_t do
      local r, d, h11, h22 = box_residual(x, i)
      addouter(H, 2, d)
      H[1][1] = H[1][1] + 2 * r * h11
      H[2][2] = H[2][2] + 2 * r * h22
    end
    return H
  end,
  points = { { 0, 10, 20 }, { 0.4318, 7.9264, 1.3851 },
             { 2.1147, 12.6083, 0.6372 } },
  fstar = 0, xstar = { 1, 10, 1 },
}

-- Bard's data fitting problem: y_i ~ x1 + u_i / (v_i x2 + w_i x3).
local bard_y = { 0.14, 0.18, 0.22, 0.25, 0.29, 0.32, 0.35, 0.39, 0.37, 0.58,
                 0.73, 0.96, 1.34, 2.10, 4.39 }
local function bard_residual(x, i)
  local u, v = i, 16 - i
  local w = math.min(u, v)
  local d = v * x[2] + w * x[3]
  local d2, d3 = d * d, d * d * d
  return bard_y[i] - (x[1] + u / d), { -1, u * v / d2, u * w / d2 },
         -2 * u * v * v / d3, -2 * u * v * w / d3, -2 * u * w * w / d3
end
add {
  name = "bard", n = 3,
  f = function(x)
    local s = 0
    for i = 1, 15 do
      local u, v = i, 16 - i
      local w = math.min(u, v)
      s = s + (bard_y[i] - (x[1] + u / (v * x[2] + w * x[3])))^2
    end
    return s
  end,
  grad = function(x)
    local g = zeros(3)
    for i = 1, 15 do
      local r, d = bard_residual(x, i)
      axpy(g, 2 * r, d)
    end
    return g
  end,
  hess = function(x)
    local H = zmat(3)
    for i = 1, 15 do
      local r, d, h22, h23, h33 = bard_residual(x, i)
      addouter(H, 2, d)
      H[2][2] = H[2][2] + 2 * r * h22
      H[2][3] = H[2][3] + 2 * r * h23
      H[3][2] = H[3][2] + 2 * r * h23
      H[3][3] = H[3][3] + 2 * r * h33
    end
    return H
  end,
  points = { { 1, 1, 1 }, { 0.2719, 1.8462, 0.5173 },
             { -0.3416, 0.7285, 2.9634 } },
  fstar = 8.2148773065789694e-3,
  xstar = { 0.082410559749789128, 1.1330360920297251, 2.3436951786425344 },
}

-- The trigonometric function, n = 6, written with #x.
local function trig_parts(x)
  local n = #x
  local sc = 0
  for j = 1, n do sc = sc + cos(x[j]) end
  return n, sc
end
add {
  name = "trigonometric", n = 6,
  f = function(x)
    local n = #x
    local sc = 0
    for j = 1, n do sc = sc + math.cos(x[j]) end
    local s = 0
    for i = 1, n do
      s = s + (n - sc + i * (1 - math.cos(x[i])) - math.sin(x[i]))^2
    end
    return s
  end,
  grad = function(x)
    local n, sc = trig_parts(x)
    local g = zeros(n)
    for i = 1, n do
      local fi = n - sc + i * (1 - cos(x[i])) - sin(x[i])
      local d = {}
      for j = 1, n do d[j] = sin(x[j]) end
      d[i] = d[i] + i * sin(x[i]) - cos(x[i])
      axpy(g, 2 * fi, d)
    end
    return g
  end,
  hess = function(x)
    local n, sc = trig_parts(x)
    local H = zmat(n)
    for i = 1, n do
      local fi = n - sc + i * (1 - cos(x[i])) - sin(x[i])
      local d = {}
      for j = 1, n do d[j] = sin(x[j]) end
      d[i] = d[i] + i * sin(x[i]) - cos(x[i])
      addouter(H, 2, d)
      for j = 1, n do H[j][j] = H[j][j] + 2 * fi * cos(x[j]) end
      H[i][i] = H[i][i] + 2 * fi * (i * cos(x[i]) + sin(x[i]))
    end
    return H
  end,
  points = { { 1 / 6, 1 / 6, 1 / 6, 1 / 6, 1 / 6, 1 / 6 },
             { 0.3714, -0.8256, 1.1937, 0.0482, -0.4409, 0.6631 },
             { 2.0573, 0.2918, -1.3745, 0.8862, 0.5127, -0.1394 } },
}

-- Penalty function I, n = 4.
add {
  name = "penalty1", n = 4,
  f = function(x)
    local a, s = 0, 0
    for i = 1, #x do
      a = a + (x[i] - 1)^2
      s = s + x[i]^2
    end
    return 1e-5 * a + (s - 0.25)^2
  end,
  grad = function(x)
    local s = 0
    for i = 1, #x do s = s + x[i]^2 end
    local g = {}
    for i = 1, #x do g[i] = 2e-5 * (x[i] - 1) + 4 * (s - 0.25) * x[i] end
    return g
  end,
  hess = function(x)
    local s = 0
    for i = 1, #x do s = s + x[i]^2 end
    local H = zmat(#x)
    addouter(H, 8, x)
    for i = 1, #x do H[i][i] = H[i][i] + 2e-5 + 4 * (s - 0.25) end
    return H
  end,
  points = { { 1, 2, 3, 4 }, { 0.2947, -0.6138, 0.4452, 0.1826 },
             { -1.3361, 0.5704, 0.9218, -0.0573 } },
  fstar = 2.2499775008999372e-5,
  xstar = { 0.25000749958753787, 0.25000749958753787, 0.25000749958753787,
            0.25000749958753787 },
}

-- A convex quadratic x'Ax/2 - b'x with a fixed symmetric positive definite A.
local quad_A = {
  { 4.2731, 0.8316, -0.4152, 0.2209, 0.1174 },
  { 0.8316, 3.6148, 0.5527, -0.3081, 0.0462 },
  { -0.4152, 0.5527, 2.9453, 0.7194, -0.2638 },
  { 0.2209, -0.3081, 0.7194, 2.1867, 0.4105 },
  { 0.1174, 0.0462, -0.2638, 0.4105, 1.6322 },
}
local quad_b = { 1.3846, -0.7215, 2.0934, 0.5578, -1.1763 }

-- Solve A x = b by Cholesky (A symmetric positive definite), asserting that
-- A is.
local function cholesky_solve(A, b)
  local n = #A
  local L = zmat(n)
  for i = 1, n do
    for j = 1, i do
      local s = A[i][j]
      for k = 1, j - 1 do s = s - L[i][k] * L[j][k] end
      if i == j then
        assert(s > 0, "matrix not positive definite")
        L[i][i] = sqrt(s)
      else
        L[i][j] = s / L[j][j]
      end
    end
  end
  local y, x = {}, {}
  for i = 1, n do
    local s = b[i]
    for k = 1, i - 1 do s = s - L[i][k] * y[k] end
    y[i] = s / L[i][i]
  end
  for i = n, 1, -1 do
    local s = y[i]
    for k = i + 1, n do s = s - L[k][i] * x[k] end
    x[i] = s / L[i][i]
  end
  return x
end

P.cholesky_solve = cholesky_solve  -- for other tests
local quad_xstar = cholesky_solve(quad_A, quad_b)
local quad_fstar = 0
for i = 1, 5 do quad_fstar = quad_fstar - 0.5 * quad_b[i] * quad_xstar[i] end

add {
  name = "quadratic", n = 5,
  f = function(x)
    local s = 0
    for i = 1, 5 do
      local ax = 0
      for j = 1, 5 do ax = ax + quad_A[i][j] * x[j] end
      s = s + x[i] * (0.5 * ax - quad_b[i])
    end
    return s
  end,
  grad = function(x)
    local g = {}
    for i = 1, 5 do
      local ax = 0
      for j = 1, 5 do ax = ax + quad_A[i][j] * x[j] end
      g[i] = ax - quad_b[i]
    end
    return g
  end,
  hess = function()
    local H = zmat(5)
    for i = 1, 5 do
      for j = 1, 5 do H[i][j] = quad_A[i][j] end
    end
    return H
  end,
  points = { { 0, 0, 0, 0, 0 }, { 1.7315, -0.6284, 0.9047, -2.3316, 0.4481 },
             { -0.2893, 1.4426, -1.0719, 0.3658, 2.7902 } },
  fstar = quad_fstar, xstar = quad_xstar,
}

---------------------------------------------------------------------------
-- Losses over data.  The data are tape parameters when traced: f(w, X, y).

-- Logistic regression, labels in {0, 1}, a column of ones for the
-- intercept, and a small ridge penalty.  Written with X[i]:dot(w).
local LOGREG_M, LOGREG_LAMBDA = 24, 0.0137
local function logreg_data(seed)
  local u = lcg(seed)
  local wtrue = { 0.35, -1.2, 0.8, 0.45 }
  local X, y = {}, {}
  for i = 1, LOGREG_M do
    local row = { 1.0, 4 * u() - 2, 4 * u() - 2, 4 * u() - 2 }
    local z = 0
    for j = 1, 4 do z = z + wtrue[j] * row[j] end
    X[i] = row
    y[i] = z + 1.5 * (u() - 0.5) > 0 and 1.0 or 0.0
  end
  return { slope.mat(X), slope.vec(y) }
end

add {
  name = "logistic_regression", n = 4,
  f = function(w, X, y)
    local m = #X
    local s = 0
    for i = 1, m do
      local z = X[i]:dot(w)
      s = s + math.log(1 + math.exp(z)) - y[i] * z
    end
    local r = 0
    for j = 1, #w do r = r + w[j]^2 end
    return s / m + 0.5 * LOGREG_LAMBDA * r
  end,
  grad = function(w, X, y)
    local m, n = #X, #w
    local g = zeros(n)
    for i = 1, m do
      local z = 0
      for j = 1, n do z = z + X[i][j] * w[j] end
      local c = (sigma(z) - y[i]) / m
      for j = 1, n do g[j] = g[j] + c * X[i][j] end
    end
    for j = 1, n do g[j] = g[j] + LOGREG_LAMBDA * w[j] end
    return g
  end,
  hess = function(w, X)
    local m, n = #X, #w
    local H = zmat(n)
    for i = 1, m do
      local z, xi = 0, {}
      for j = 1, n do xi[j] = X[i][j]; z = z + xi[j] * w[j] end
      local s = sigma(z)
      addouter(H, s * (1 - s) / m, xi)
    end
    for j = 1, n do H[j][j] = H[j][j] + LOGREG_LAMBDA end
    return H
  end,
  points = { { 0, 0, 0, 0 }, { 0.2371, -0.5814, 0.9432, -0.1267 },
             { -1.0538, 1.6623, -0.4079, 2.2146 } },
  data = logreg_data(20240611), data2 = logreg_data(977),
}

-- Softmax cross-entropy, 3 classes, 3 features (a column of ones first),
-- one-hot labels Y; the weights x[(k-1)*3 + j] for class k, feature j.
-- Written with sums of X[i][j] * w[...].
local SOFTMAX_M, SOFTMAX_K, SOFTMAX_P, SOFTMAX_LAMBDA = 18, 3, 3, 0.0219
local function softmax_data(seed)
  local u = lcg(seed)
  local wtrue = { { 0.4, 1.3, -0.7 }, { -0.2, -0.9, 1.1 }, { 0.1, 0.2, 0.6 } }
  local X, Y = {}, {}
  for i = 1, SOFTMAX_M do
    local row = { 1.0, 4 * u() - 2, 4 * u() - 2 }
    local best, bestz = 1, -math.huge
    for k = 1, SOFTMAX_K do
      local z = 0.8 * (u() - 0.5)
      for j = 1, SOFTMAX_P do z = z + wtrue[k][j] * row[j] end
      if z > bestz then best, bestz = k, z end
    end
    X[i], Y[i] = row, zeros(SOFTMAX_K)
    Y[i][best] = 1.0
  end
  return { slope.mat(X), slope.mat(Y) }
end

local function softmax_probs(w, X, i)
  local z = {}
  for k = 1, SOFTMAX_K do
    z[k] = 0
    for j = 1, SOFTMAX_P do
      z[k] = z[k] + X[i][j] * w[(k - 1) * SOFTMAX_P + j]
    end
  end
  return softmax(z)
end

add {
  name = "softmax_cross_entropy", n = SOFTMAX_K * SOFTMAX_P,
  f = function(w, X, Y)
    local m = #X
    local s = 0
    for i = 1, m do
      local se, zy = 0, 0
      for k = 1, 3 do
        local z = 0
        for j = 1, 3 do z = z + X[i][j] * w[(k - 1) * 3 + j] end
        se = se + math.exp(z)
        zy = zy + Y[i][k] * z
      end
      s = s + math.log(se) - zy
    end
    local r = 0
    for a = 1, #w do r = r + w[a] * w[a] end
    return s / m + SOFTMAX_LAMBDA / 2 * r
  end,
  grad = function(w, X, Y)
    local m = #X
    local g = zeros(#w)
    for i = 1, m do
      local p = softmax_probs(w, X, i)
      for k = 1, SOFTMAX_K do
        for j = 1, SOFTMAX_P do
          local a = (k - 1) * SOFTMAX_P + j
          g[a] = g[a] + (p[k] - Y[i][k]) * X[i][j] / m
        end
      end
    end
    for a = 1, #w do g[a] = g[a] + SOFTMAX_LAMBDA * w[a] end
    return g
  end,
  hess = function(w, X)
    local m, n = #X, #w
    local H = zmat(n)
    for i = 1, m do
      local p = softmax_probs(w, X, i)
      for k = 1, SOFTMAX_K do
        for l = 1, SOFTMAX_K do
          local c = ((k == l) and p[k] or 0) - p[k] * p[l]
          for j = 1, SOFTMAX_P do
            for q = 1, SOFTMAX_P do
              local a, b = (k - 1) * SOFTMAX_P + j, (l - 1) * SOFTMAX_P + q
              H[a][b] = H[a][b] + c * X[i][j] * X[i][q] / m
            end
          end
        end
      end
    end
    for a = 1, n do H[a][a] = H[a][a] + SOFTMAX_LAMBDA end
    return H
  end,
  points = { { 0, 0, 0, 0, 0, 0, 0, 0, 0 },
             { 0.3128, 0.9471, -0.5526, -0.1843, -0.7702, 0.8365, 0.0619,
               0.2457, 0.4113 },
             { -1.2604, 0.4381, 1.9127, 0.7756, -1.5318, -0.3392, 1.0845,
               0.6629, -0.8874 } },
  data = softmax_data(31337), data2 = softmax_data(4242),
}

---------------------------------------------------------------------------
-- One function per family of elementary operations, with points chosen
-- inside every domain and away from every tie and jump.

-- exp, natural log, log with base 2 and base 10.
add {
  name = "exp_log", n = 2,
  f = function(x)
    return math.exp(0.3 * x[1] - 0.2 * x[2]) + x[1] * math.log(x[2]^2 + 1.7)
           + math.log(x[1]^2 + x[1] * x[2] + 4.1, 2)
           + math.log(x[1]^2 + 0.9, 10)
  end,
  grad = function(x)
    local x1, x2 = x[1], x[2]
    local e, q = exp(0.3 * x1 - 0.2 * x2), x2 * x2 + 1.7
    local p, s = x1 * x1 + x1 * x2 + 4.1, x1 * x1 + 0.9
    local l2, l10 = log(2), log(10)
    return {
      0.3 * e + log(q) + (2 * x1 + x2) / (p * l2) + 2 * x1 / (s * l10),
      -0.2 * e + x1 * 2 * x2 / q + x1 / (p * l2),
    }
  end,
  hess = function(x)
    local x1, x2 = x[1], x[2]
    local e, q = exp(0.3 * x1 - 0.2 * x2), x2 * x2 + 1.7
    local p, s = x1 * x1 + x1 * x2 + 4.1, x1 * x1 + 0.9
    local l2, l10 = log(2), log(10)
    local H = { { 0.09 * e, -0.06 * e }, { -0.06 * e, 0.04 * e } }
    H[1][2] = H[1][2] + 2 * x2 / q
    H[2][1] = H[2][1] + 2 * x2 / q
    H[2][2] = H[2][2] + 2 * x1 * (1.7 - x2 * x2) / (q * q)
    local dp = { 2 * x1 + x2, x1 }
    addouter(H, -1 / (p * p * l2), dp)
    H[1][1] = H[1][1] + 2 / (p * l2)
    H[1][2] = H[1][2] + 1 / (p * l2)
    H[2][1] = H[2][1] + 1 / (p * l2)
    H[1][1] = H[1][1] + (2 / s - 4 * x1 * x1 / (s * s)) / l10
    return H
  end,
  points = { { 0.5, 0.5 }, { 1.8264, -0.7391 }, { -1.3187, 2.4506 } },
}

-- sin, cos, tan.
add {
  name = "trig", n = 2,
  f = function(x)
    return math.sin(x[1] * x[2]) + math.cos(x[1] - 2 * x[2])
           + math.tan(0.4 * x[1] + 0.1 * x[2]) * x[2]
  end,
  grad = function(x)
    local x1, x2 = x[1], x[2]
    local c, sd = cos(x1 * x2), sin(x1 - 2 * x2)
    local te = tan(0.4 * x1 + 0.1 * x2)
    local S = 1 + te * te
    return { c * x2 - sd + x2 * S * 0.4, c * x1 + 2 * sd + te + x2 * S * 0.1 }
  end,
  hess = function(x)
    local x1, x2 = x[1], x[2]
    local c, s = cos(x1 * x2), sin(x1 * x2)
    local cd = cos(x1 - 2 * x2)
    local te = tan(0.4 * x1 + 0.1 * x2)
    local S = 1 + te * te
    local T2 = 2 * te * S
    local h11 = -s * x2 * x2 - cd + x2 * T2 * 0.16
    local h12 = c - s * x1 * x2 + 2 * cd + S * 0.4 + x2 * T2 * 0.04
    local h22 = -s * x1 * x1 - 4 * cd + 0.2 * S + x2 * T2 * 0.01
    return { { h11, h12 }, { h12, h22 } }
  end,
  points = { { 1, 1 }, { 0.7352, -1.4128 }, { -1.9634, 0.3857 } },
}

-- asin, acos, atan of one argument and of two.
add {
  name = "inverse_trig", n = 2,
  f = function(x)
    return math.asin(0.3 * x[1]) + math.acos(0.25 * x[2]) * x[1]
           + math.atan(x[1] * x[2]) + math.atan(x[2], x[1] + 3)
  end,
  grad = function(x)
    local x1, x2 = x[1], x[2]
    local u, v, w = 0.3 * x1, 0.25 * x2, x1 * x2
    local xx = x1 + 3
    local rho = xx * xx + x2 * x2
    return {
      0.3 / sqrt(1 - u * u) + math.acos(v) + x2 / (1 + w * w) - x2 / rho,
      x1 * -0.25 / sqrt(1 - v * v) + x1 / (1 + w * w) + xx / rho,
    }
  end,
  hess = function(x)
    local x1, x2 = x[1], x[2]
    local u, v, w = 0.3 * x1, 0.25 * x2, x1 * x2
    local xx = x1 + 3
    local rho = xx * xx + x2 * x2
    local H = zmat(2)
    H[1][1] = 0.09 * u / (1 - u * u)^1.5
    H[1][2] = -0.25 / sqrt(1 - v * v)
    H[2][2] = x1 * -0.0625 * v / (1 - v * v)^1.5
    local a1, a2 = 1 / (1 + w * w), -2 * w / (1 + w * w)^2
    addouter(H, a2, { x2, x1 })
    H[1][2] = H[1][2] + a1
    H[1][1] = H[1][1] + 2 * xx * x2 / (rho * rho)
    H[1][2] = H[1][2] + (x2 * x2 - xx * xx) / (rho * rho)
    H[2][2] = H[2][2] - 2 * xx * x2 / (rho * rho)
    H[2][1] = H[1][2]
    return H
  end,
  points = { { 0.5, 0.5 }, { 2.1753, -3.2816 }, { -1.4427, 1.9638 } },
}

-- sqrt, abs, max and min (of two and three arguments), away from ties; the
-- three points take different branches.
add {
  name = "sqrt_abs_minmax", n = 3,
  f = function(x)
    return math.sqrt(x[1]^2 + 2 * x[2]^2 + 1.3)
           + math.abs(x[1] - 2 * x[2]) * x[3]
           + math.max(x[1], x[2], -0.75)^2 + math.min(x[2], x[3]) * x[1]
  end,
  grad = function(x)
    local x1, x2, x3 = x[1], x[2], x[3]
    local r = sqrt(x1 * x1 + 2 * x2 * x2 + 1.3)
    local g = { x1 / r, 2 * x2 / r, 0 }
    local d = x1 - 2 * x2
    local sg = d > 0 and 1 or -1
    axpy(g, 1, { sg * x3, -2 * sg * x3, abs(d) })
    if x1 > x2 and x1 > -0.75 then g[1] = g[1] + 2 * x1
    elseif x2 > x1 and x2 > -0.75 then g[2] = g[2] + 2 * x2 end
    if x2 < x3 then axpy(g, 1, { x2, x1, 0 }) else axpy(g, 1, { x3, 0, x1 }) end
    return g
  end,
  hess = function(x)
    local x1, x2, x3 = x[1], x[2], x[3]
    local q = x1 * x1 + 2 * x2 * x2 + 1.3
    local r = sqrt(q)
    local H = zmat(3)
    H[1][1], H[2][2] = 1 / r, 2 / r
    addouter(H, -1 / (r * q), { x1, 2 * x2, 0 })
    local sg = x1 - 2 * x2 > 0 and 1 or -1
    H[1][3], H[3][1] = sg, sg
    H[2][3], H[3][2] = -2 * sg, -2 * sg
    if x1 > x2 and x1 > -0.75 then H[1][1] = H[1][1] + 2
    elseif x2 > x1 and x2 > -0.75 then H[2][2] = H[2][2] + 2 end
    if x2 < x3 then
      H[1][2], H[2][1] = H[1][2] + 1, H[2][1] + 1
    else
      H[1][3], H[3][1] = H[1][3] + 1, H[3][1] + 1
    end
    return H
  end,
  points = { { 0.8312, -0.4476, 1.2391 }, { -1.1627, 0.3184, -0.5273 },
             { -1.4093, -0.9851, 0.6620 } },
}

-- ^ with constant exponents (integer, fractional, negative), a constant
-- base and a variable exponent.
add {
  name = "powers", n = 2,
  f = function(x)
    return x[1]^3 + x[2]^2 + x[1]^x[2] + 2.5^x[2] + x[1]^-1.5 * x[2] + x[1]^0.5
  end,
  grad = function(x)
    local x1, x2 = x[1], x[2]
    local P = x1^x2
    return {
      3 * x1^2 + P * x2 / x1 - 1.5 * x1^-2.5 * x2 + 0.5 * x1^-0.5,
      2 * x2 + P * log(x1) + 2.5^x2 * log(2.5) + x1^-1.5,
    }
  end,
  hess = function(x)
    local x1, x2 = x[1], x[2]
    local P, L = x1^x2, log(x1)
    local h11 = 6 * x1 + P * x2 * (x2 - 1) / x1^2 + 3.75 * x1^-3.5 * x2
                - 0.25 * x1^-1.5
    local h12 = P * (1 + x2 * L) / x1 - 1.5 * x1^-2.5
    local h22 = 2 + P * L * L + 2.5^x2 * log(2.5)^2
    return { { h11, h12 }, { h12, h22 } }
  end,
  points = { { 1.5, 0.5 }, { 0.4183, -1.2756 }, { 2.2647, 1.8391 } },
}

-- % with a constant divisor, a traced divisor, and negative operands.
add {
  name = "modulo", n = 2,
  f = function(x)
    return (x[1] % 2.5) * x[2] + (x[1] * x[2]) % 1.7 + 7.3 % x[2]
  end,
  grad = function(x)
    local x1, x2 = x[1], x[2]
    return { x2 + x2, x1 % 2.5 + x1 - floor(7.3 / x2) }
  end,
  hess = function()
    return { { 0, 2 }, { 2, 0 } }
  end,
  points = { { 3.2017, 1.3268 }, { -2.9687, 0.8591 }, { 0.8736, 2.9194 } },
}

-- slope.ad's tanh, sinh, cosh.
add {
  name = "hyperbolic", n = 2,
  f = function(x)
    return ad.tanh(0.7 * x[1] - x[2]) + ad.sinh(0.5 * x[2]) * x[1]
           + ad.cosh(0.3 * x[1] * x[2])
  end,
  grad = function(x)
    local x1, x2 = x[1], x[2]
    local t = tanh(0.7 * x1 - x2)
    local b, c = 0.5 * x2, 0.3 * x1 * x2
    local sh_b, ch_b = (exp(b) - exp(-b)) / 2, (exp(b) + exp(-b)) / 2
    local sh_c = (exp(c) - exp(-c)) / 2
    local d = 1 - t * t
    return { 0.7 * d + sh_b + sh_c * 0.3 * x2,
             -d + 0.5 * x1 * ch_b + sh_c * 0.3 * x1 }
  end,
  hess = function(x)
    local x1, x2 = x[1], x[2]
    local t = tanh(0.7 * x1 - x2)
    local b, c = 0.5 * x2, 0.3 * x1 * x2
    local sh_b, ch_b = (exp(b) - exp(-b)) / 2, (exp(b) + exp(-b)) / 2
    local sh_c, ch_c = (exp(c) - exp(-c)) / 2, (exp(c) + exp(-c)) / 2
    local H = zmat(2)
    addouter(H, -2 * t * (1 - t * t), { 0.7, -1 })
    H[1][2] = H[1][2] + 0.5 * ch_b
    H[2][2] = H[2][2] + 0.25 * x1 * sh_b
    addouter(H, ch_c, { 0.3 * x2, 0.3 * x1 })
    H[1][2] = H[1][2] + 0.3 * sh_c
    H[2][1] = H[1][2]
    return H
  end,
  points = { { 1, 1 }, { 1.6384, -0.9127 }, { -2.4711, 0.5592 } },
}

-- slope.ad's log1p and expm1, with one point of tiny arguments.
add {
  name = "log1p_expm1", n = 2,
  f = function(x)
    return ad.log1p(0.8 * x[1]^2 + 0.3 * x[2]^2)
           + x[1] * ad.expm1(0.5 * x[2] - 0.2 * x[1])
  end,
  grad = function(x)
    local x1, x2 = x[1], x[2]
    local q = 0.8 * x1 * x1 + 0.3 * x2 * x2
    local e = exp(0.5 * x2 - 0.2 * x1)
    return { 1.6 * x1 / (1 + q) + (e - 1) - 0.2 * x1 * e,
             0.6 * x2 / (1 + q) + 0.5 * x1 * e }
  end,
  hess = function(x)
    local x1, x2 = x[1], x[2]
    local q = 0.8 * x1 * x1 + 0.3 * x2 * x2
    local e = exp(0.5 * x2 - 0.2 * x1)
    local H = zmat(2)
    addouter(H, -1 / (1 + q)^2, { 1.6 * x1, 0.6 * x2 })
    H[1][1] = H[1][1] + 1.6 / (1 + q) + e * (-0.4 + 0.04 * x1)
    H[2][2] = H[2][2] + 0.6 / (1 + q) + 0.25 * x1 * e
    H[1][2] = H[1][2] + e * (0.5 - 0.1 * x1)
    H[2][1] = H[1][2]
    return H
  end,
  points = { { 1, 1 }, { 3.7146e-5, -2.2931e-5 }, { -1.8752, 2.6319 } },
}

-- slope.ad's logistic and softplus, with one point far out on the flat
-- sides.
add {
  name = "logistic_softplus", n = 3,
  f = function(x)
    return ad.logistic(x[1] - x[2]) * x[3] + ad.softplus(2 * x[1] + x[3])
           - ad.softplus(-x[2])
  end,
  grad = function(x)
    local s, sb, sm = sigma(x[1] - x[2]), sigma(2 * x[1] + x[3]), sigma(-x[2])
    local s1 = s * (1 - s)
    return { s1 * x[3] + 2 * sb, -s1 * x[3] + sm, s + sb }
  end,
  hess = function(x)
    local s, sb, sm = sigma(x[1] - x[2]), sigma(2 * x[1] + x[3]), sigma(-x[2])
    local s1 = s * (1 - s)
    local s2 = s1 * (1 - 2 * s)
    local H = zmat(3)
    addouter(H, s2 * x[3], { 1, -1, 0 })
    H[1][3], H[3][1] = s1, s1
    H[2][3], H[3][2] = -s1, -s1
    addouter(H, sb * (1 - sb), { 2, 0, 1 })
    H[2][2] = H[2][2] - sm * (1 - sm)
    return H
  end,
  points = { { 0.5, 0.5, 0.5 }, { -0.6283, 1.4417, 2.0935 },
             { 18.3712, -2.1406, 3.9291 } },
}

-- slope.ad's erf.
local two_over_sqrtpi = 2 / sqrt(pi)
add {
  name = "erf", n = 2,
  f = function(x)
    return ad.erf(0.7 * x[1] - 0.3 * x[2]) + x[2] * ad.erf(x[1])
  end,
  grad = function(x)
    local u = 0.7 * x[1] - 0.3 * x[2]
    local E, E1 = two_over_sqrtpi * exp(-u * u),
                  two_over_sqrtpi * exp(-x[1] * x[1])
    return { 0.7 * E + x[2] * E1, -0.3 * E + ad.erf(x[1]) }
  end,
  hess = function(x)
    local u = 0.7 * x[1] - 0.3 * x[2]
    local E, E1 = two_over_sqrtpi * exp(-u * u),
                  two_over_sqrtpi * exp(-x[1] * x[1])
    local H = zmat(2)
    addouter(H, -2 * u * E, { 0.7, -0.3 })
    H[1][1] = H[1][1] - 2 * x[1] * E1 * x[2]
    H[1][2] = H[1][2] + E1
    H[2][1] = H[2][1] + E1
    return H
  end,
  points = { { 0.5, 0.5 }, { 1.2863, -0.4471 }, { -0.3528, 2.1704 } },
}

-- slope.ad's logsumexp of an array of traced values and constants, with one
-- point where exp would overflow.
local function lse_parts(x)
  local z = { x[1], 2 * x[2], x[3] - x[1], 0.5 }
  local J = { { 1, 0, 0 }, { 0, 2, 0 }, { -1, 0, 1 }, { 0, 0, 0 } }
  return softmax(z), J, softmax { x[2], x[3] }
end
add {
  name = "logsumexp", n = 3,
  f = function(x)
    return ad.logsumexp { x[1], 2 * x[2], x[3] - x[1], 0.5 }
           + 0.3 * ad.logsumexp { x[2], x[3] }
  end,
  grad = function(x)
    local p, J, q = lse_parts(x)
    local g = zeros(3)
    for k = 1, 4 do axpy(g, p[k], J[k]) end
    g[2] = g[2] + 0.3 * q[1]
    g[3] = g[3] + 0.3 * q[2]
    return g
  end,
  hess = function(x)
    local p, J, q = lse_parts(x)
    local H = zmat(3)
    local Jp = zeros(3)
    for k = 1, 4 do
      addouter(H, p[k], J[k])
      axpy(Jp, p[k], J[k])
    end
    addouter(H, -1, Jp)
    local c = 0.3 * q[1] * q[2]
    H[2][2], H[3][3] = H[2][2] + c, H[3][3] + c
    H[2][3], H[3][2] = H[2][3] - c, H[3][2] - c
    return H
  end,
  points = { { 0.5, 0.5, 0.5 }, { -0.7315, 0.4928, 1.6674 },
             { 250.3172, 120.7419, 480.9136 } },
}

-- Chains of divisions and unary minus.
add {
  name = "division_chain", n = 3,
  f = function(x)
    return x[1] / (x[2] / (x[3] + x[1] / x[2])) - 2.3 / (x[1] * x[3])
           + (x[1] - x[3]) / (x[2] + 4) - (x[2] * -x[3])
  end,
  grad = function(x)
    local x1, x2, x3 = x[1], x[2], x[3]
    local D = x2 + 4
    return {
      x3 / x2 + 2 * x1 / x2^2 + 2.3 / (x1^2 * x3) + 1 / D,
      -x1 * x3 / x2^2 - 2 * x1^2 / x2^3 - (x1 - x3) / D^2 + x3,
      x1 / x2 + 2.3 / (x1 * x3^2) - 1 / D + x2,
    }
  end,
  hess = function(x)
    local x1, x2, x3 = x[1], x[2], x[3]
    local D = x2 + 4
    local h11 = 2 / x2^2 - 4.6 / (x1^3 * x3)
    local h12 = -x3 / x2^2 - 4 * x1 / x2^3 - 1 / D^2
    local h13 = 1 / x2 - 2.3 / (x1^2 * x3^2)
    local h22 = 2 * x1 * x3 / x2^3 + 6 * x1^2 / x2^4 + 2 * (x1 - x3) / D^3
    local h23 = -x1 / x2^2 + 1 / D^2 + 1
    local h33 = -4.6 / (x1 * x3^3)
    return { { h11, h12, h13 }, { h12, h22, h23 }, { h13, h23, h33 } }
  end,
  points = { { 1.5, 2.5, 3.5 }, { -0.8261, 1.7394, 2.2158 },
             { 2.9317, -1.4682, -0.6045 } },
}

-- slope.ad's ifelse: both branches are on the tape; the points take
-- different ones.
add {
  name = "ifelse", n = 2,
  f = function(x)
    return ad.ifelse(x[1] - x[2], x[1]^2 * x[2], 3 * x[2] - x[1]^3)
           + ad.ifelse(x[1] * x[2] - 0.5, x[1], x[2]) * x[2]
  end,
  grad = function(x)
    local x1, x2 = x[1], x[2]
    local g
    if x1 - x2 > 0 then g = { 2 * x1 * x2, x1 * x1 }
    else g = { -3 * x1 * x1, 3 } end
    if x1 * x2 - 0.5 > 0 then axpy(g, 1, { x2, x1 })
    else g[2] = g[2] + 2 * x2 end
    return g
  end,
  hess = function(x)
    local x1, x2 = x[1], x[2]
    local H
    if x1 - x2 > 0 then H = { { 2 * x2, 2 * x1 }, { 2 * x1, 0 } }
    else H = { { -6 * x1, 0 }, { 0, 0 } } end
    if x1 * x2 - 0.5 > 0 then
      H[1][2], H[2][1] = H[1][2] + 1, H[2][1] + 1
    else
      H[2][2] = H[2][2] + 2
    end
    return H
  end,
  points = { { 1.5, 0.75 }, { -0.6138, 1.2874 }, { 2.3419, 2.8846 } },
}

-- math.floor and math.ceil: piecewise constant, derivative zero.
add {
  name = "floor_ceil", n = 2,
  f = function(x)
    return math.floor(1.7 * x[1]) * x[2] + math.ceil(x[2]) * x[1]^2
  end,
  grad = function(x)
    return { 2 * ceil(x[2]) * x[1], floor(1.7 * x[1]) }
  end,
  hess = function(x)
    return { { 2 * ceil(x[2]), 0 }, { 0, 0 } }
  end,
  points = { { 1.3, 0.6 }, { -2.0719, 1.4463 }, { 0.8834, -2.6127 } },
}

---------------------------------------------------------------------------
-- Vector-valued problems: residuals and maps, with analytic Jacobians.

add {
  name = "rosenbrock_residuals", n = 2, m = 2,
  F = function(x) return { 10 * (x[2] - x[1]^2), 1 - x[1] } end,
  jac = function(x) return { { -20 * x[1], 10 }, { -1, 0 } } end,
  points = { { -1.2, 1 }, { 0.7358, -0.4163 }, { 1.3841, 1.9077 } },
}

add {
  name = "helical_valley_residuals", n = 3, m = 3,
  F = function(x)
    local theta = math.atan(x[2], x[1]) / (2 * pi)
    return { 10 * (x[3] - 10 * theta),
             10 * (math.sqrt(x[1]^2 + x[2]^2) - 1), x[3] }
  end,
  jac = function(x)
    local x1, x2 = x[1], x[2]
    local rho = x1 * x1 + x2 * x2
    local r = sqrt(rho)
    return { { 100 * x2 / (2 * pi * rho), -100 * x1 / (2 * pi * rho), 10 },
             { 10 * x1 / r, 10 * x2 / r, 0 }, { 0, 0, 1 } }
  end,
  points = { { -1, 0, 0 }, { 0.6231, 0.4417, 0.2746 },
             { -0.3812, -0.7165, -1.1903 } },
  kink = { [1] = "on the cut of atan(x2, x1), where theta jumps by 1" },
}

add {
  name = "powell_singular_residuals", n = 4, m = 4,
  F = function(x)
    return { x[1] + 10 * x[2], math.sqrt(5) * (x[3] - x[4]),
             (x[2] - 2 * x[3])^2, math.sqrt(10) * (x[1] - x[4])^2 }
  end,
  jac = function(x)
    local a, b = x[2] - 2 * x[3], x[1] - x[4]
    local s5, s10 = sqrt(5), sqrt(10)
    return { { 1, 10, 0, 0 }, { 0, 0, s5, -s5 }, { 0, 2 * a, -4 * a, 0 },
             { 2 * s10 * b, 0, 0, -2 * s10 * b } }
  end,
  points = { { 3, -1, 0, 1 }, { 0.8326, -1.4719, 2.2853, 0.1964 },
             { -2.0581, 0.6347, -0.3912, 1.7438 } },
}

-- Ten residuals in three unknowns: a tall Jacobian.
add {
  name = "box3d_residuals", n = 3, m = 10,
  F = function(x)
    local r = {}
    for i = 1, 10 do
      local t = box_t[i]
      r[i] = math.exp(-t * x[1]) - math.exp(-t * x[2])
             - x[3] * (math.exp(-t) - math.exp(-10 * t))
    end
    return r
  end,
  jac = function(x)
    local J = {}
    for i = 1, 10 do
      local _, d = box_residual(x, i)
      J[i] = d
    end
    return J
  end,
  points = { { 0, 10, 20 }, { 0.4318, 7.9264, 1.3851 },
             { 2.1147, 12.6083, 0.6372 } },
}

-- Spherical to Cartesian coordinates, (r, theta, phi) -> (x, y, z).
add {
  name = "spherical", n = 3, m = 3,
  F = function(x)
    local r, th, ph = x[1], x[2], x[3]
    return { r * math.sin(th) * math.cos(ph), r * math.sin(th) * math.sin(ph),
             r * math.cos(th) }
  end,
  jac = function(x)
    local r, th, ph = x[1], x[2], x[3]
    local st, ct, sp, cp = sin(th), cos(th), sin(ph), cos(ph)
    return { { st * cp, r * ct * cp, -r * st * sp },
             { st * sp, r * ct * sp, r * st * cp },
             { ct, -r * st, 0 } }
  end,
  points = { { 1, 0.5, 0.5 }, { 2.3857, 1.1742, -0.6318 },
             { 0.7164, 2.6095, 3.8871 } },
}

-- Freudenstein and Roth's residuals: polynomials in x2.
add {
  name = "freudenstein_roth_residuals", n = 2, m = 2,
  F = function(x)
    return { -13 + x[1] + ((5 - x[2]) * x[2] - 2) * x[2],
             -29 + x[1] + ((x[2] + 1) * x[2] - 14) * x[2] }
  end,
  jac = function(x)
    local _, _, d1, d2 = fr_parts(x)
    return { d1, d2 }
  end,
  points = { { 0.5, -2 }, { 6.1372, 2.4518 }, { -3.7145, 0.8261 } },
}

---------------------------------------------------------------------------
-- Functions of one number, for ad.derivative.

local U = P.univariate
U[#U + 1] = {
  name = "exp_sin_pow",
  f = function(x) return math.exp(math.sin(x)) * x^2.3 end,
  df = function(x) return exp(sin(x)) * (cos(x) * x^2.3 + 2.3 * x^1.3) end,
  points = { 0.5, 1.8372, 3.1469 },
}
U[#U + 1] = {
  name = "log_over_cos",
  f = function(x) return math.log(1 + x^2) / (2 + math.cos(x)) end,
  df = function(x)
    local d = 2 + cos(x)
    return (2 * x / (1 + x * x) * d + log(1 + x * x) * sin(x)) / (d * d)
  end,
  points = { 0.5, -1.4736, 2.9183 },
}
U[#U + 1] = {
  name = "atan2_sqrt",
  f = function(x) return math.atan(x, 1.5) + math.sqrt(x^2 + 0.7) end,
  df = function(x) return 1.5 / (x * x + 2.25) + x / sqrt(x * x + 0.7) end,
  points = { 0.5, -2.2617, 0.8154 },
}
U[#U + 1] = {
  name = "tanh_softplus",
  f = function(x) return ad.tanh(x)^3 - ad.softplus(-2 * x) end,
  df = function(x)
    local t = tanh(x)
    return 3 * t * t * (1 - t * t) + 2 * sigma(-2 * x)
  end,
  points = { 0.5, -0.9318, 1.6427 },
}
U[#U + 1] = {
  name = "x_to_the_x",
  f = function(x) return x^x end,
  df = function(x) return x^x * (log(x) + 1) end,
  points = { 0.5, 1.3729, 2.8461 },
}

return P
