-- hs_problems.lua: constrained test problems of W. Hock and K. Schittkowski,
-- "Test examples for nonlinear programming codes", Lecture Notes in
-- Economics and Mathematical Systems 187, Springer, 1981 (numbers and data
-- as printed there and in K. Schittkowski, "More test examples for
-- nonlinear programming codes", LNEMS 282, 1987, which repeats them), with
-- the published starting points (feasible or not, as printed) and optimal
-- values.  Used by scripts/bench/hs: baselines/hs_slope.lua hands them to
-- optim.minimize and baselines/hs_pycode.lua writes the very same formulas
-- out as Python, with exact derivatives, for SciPy's SLSQP.
--
-- Each problem: name, number, n, x0, fstar (the optimal value, to the
-- digits the collection prints, 10 or more), xstar (the published solution,
-- for the self-check of hs_pycode.lua), and
--   f(x)          the objective
--   eq   = {...}  functions c(x), c(x) = 0
--   ineq = {...}  functions g(x), g(x) >= 0 (a two-sided constraint
--                 a <= h(x) <= b is written as two of them)
--   lower, upper  bounds (lists of n numbers, -math.huge / math.huge where
--                 a variable has none), or nil
-- The functions are plain Lua on x[i]: + - * / ^ and math.exp / log / sin /
-- cos / sqrt, looked up in the global math table at call time (the Python
-- generator swaps in symbolic versions); they never compare a component of
-- x.

local M = {}
local problems = {}
M.problems = problems

local inf = math.huge

local function add(p)
  p.eq = p.eq or {}
  p.ineq = p.ineq or {}
  problems[#problems + 1] = p
  problems[p.name] = p
end

local function fill(n, v)
  local t = {}
  for i = 1, n do t[i] = v end
  return t
end

-- The kinds of constraint a problem has, for the table: "2e 1i b" (two
-- equalities, one inequality, bounds).
function M.kinds(p)
  local s = {}
  if #p.eq > 0 then s[#s + 1] = #p.eq .. "e" end
  if #p.ineq > 0 then s[#s + 1] = #p.ineq .. "i" end
  if p.lower or p.upper then s[#s + 1] = "b" end
  return table.concat(s, " ")
end

-- Is f the optimal value of p?  The bench's test:
-- |f - f*| <= max(1e-6 |f*|, 1e-8).
function M.near(p, f)
  return math.abs(f - p.fstar) <= math.max(1e-6 * math.abs(p.fstar), 1e-8)
end

-- HS6: Rosenbrock's valley as an equality.
add{name = "hs006", number = 6, n = 2, x0 = {-1.2, 1}, fstar = 0,
  xstar = {1, 1},
  f = function(x) return (1 - x[1]) ^ 2 end,
  eq = {function(x) return 10 * (x[2] - x[1] ^ 2) end}}

-- HS7
add{name = "hs007", number = 7, n = 2, x0 = {2, 2},
  fstar = -1.7320508075688772, xstar = {0, 1.7320508075688772},
  f = function(x) return math.log(1 + x[1] ^ 2) - x[2] end,
  eq = {function(x) return (1 + x[1] ^ 2) ^ 2 + x[2] ^ 2 - 4 end}}

-- HS9: minima at (12k - 3, 16k - 4), f* = -1/2.
add{name = "hs009", number = 9, n = 2, x0 = {0, 0}, fstar = -0.5,
  xstar = {-3, -4},
  f = function(x)
    return math.sin(math.pi * x[1] / 12) * math.cos(math.pi * x[2] / 16)
  end,
  eq = {function(x) return 4 * x[1] - 3 * x[2] end}}

-- HS14: f* = 9 - 2.875 sqrt 7.
add{name = "hs014", number = 14, n = 2, x0 = {2, 2},
  fstar = 9 - 2.875 * math.sqrt(7),
  xstar = {0.5 * (math.sqrt(7) - 1), 0.25 * (math.sqrt(7) + 1)},
  f = function(x) return (x[1] - 2) ^ 2 + (x[2] - 1) ^ 2 end,
  eq = {function(x) return x[1] - 2 * x[2] + 1 end},
  ineq = {function(x) return -x[1] ^ 2 / 4 - x[2] ^ 2 + 1 end}}

-- HS15
add{name = "hs015", number = 15, n = 2, x0 = {-2, 1}, fstar = 306.5,
  xstar = {0.5, 2},
  f = function(x) return 100 * (x[2] - x[1] ^ 2) ^ 2 + (1 - x[1]) ^ 2 end,
  ineq = {function(x) return x[1] * x[2] - 1 end,
          function(x) return x[1] + x[2] ^ 2 end},
  lower = {-inf, -inf}, upper = {0.5, inf}}

-- HS18
add{name = "hs018", number = 18, n = 2, x0 = {2, 2}, fstar = 5,
  xstar = {math.sqrt(250), math.sqrt(2.5)},
  f = function(x) return 0.01 * x[1] ^ 2 + x[2] ^ 2 end,
  ineq = {function(x) return x[1] * x[2] - 25 end,
          function(x) return x[1] ^ 2 + x[2] ^ 2 - 25 end},
  lower = {2, 0}, upper = {50, 50}}

-- HS21: the starting point violates the constraint.
add{name = "hs021", number = 21, n = 2, x0 = {-1, -1}, fstar = -99.96,
  xstar = {2, 0},
  f = function(x) return 0.01 * x[1] ^ 2 + x[2] ^ 2 - 100 end,
  ineq = {function(x) return 10 * x[1] - x[2] - 10 end},
  lower = {2, -50}, upper = {50, 50}}

-- HS23
add{name = "hs023", number = 23, n = 2, x0 = {3, 1}, fstar = 2,
  xstar = {1, 1},
  f = function(x) return x[1] ^ 2 + x[2] ^ 2 end,
  ineq = {function(x) return x[1] + x[2] - 1 end,
          function(x) return x[1] ^ 2 + x[2] ^ 2 - 1 end,
          function(x) return 9 * x[1] ^ 2 + x[2] ^ 2 - 9 end,
          function(x) return x[1] ^ 2 - x[2] end,
          function(x) return x[2] ^ 2 - x[1] end},
  lower = {-50, -50}, upper = {50, 50}}

-- HS26
add{name = "hs026", number = 26, n = 3, x0 = {-2.6, 2, 2}, fstar = 0,
  xstar = {1, 1, 1},
  f = function(x) return (x[1] - x[2]) ^ 2 + (x[2] - x[3]) ^ 4 end,
  eq = {function(x) return (1 + x[2] ^ 2) * x[1] + x[3] ^ 4 - 3 end}}

-- HS27
add{name = "hs027", number = 27, n = 3, x0 = {2, 2, 2}, fstar = 0.04,
  xstar = {-1, 1, 0},
  f = function(x) return 0.01 * (x[1] - 1) ^ 2 + (x[2] - x[1] ^ 2) ^ 2 end,
  eq = {function(x) return x[1] + x[3] ^ 2 + 1 end}}

-- HS28
add{name = "hs028", number = 28, n = 3, x0 = {-4, 1, 1}, fstar = 0,
  xstar = {0.5, -0.5, 0.5},
  f = function(x) return (x[1] + x[2]) ^ 2 + (x[2] + x[3]) ^ 2 end,
  eq = {function(x) return x[1] + 2 * x[2] + 3 * x[3] - 1 end}}

-- HS34: f* = -log(log 10).
add{name = "hs034", number = 34, n = 3, x0 = {0, 1.05, 2.9},
  fstar = -math.log(math.log(10)),
  xstar = {math.log(math.log(10)), math.log(10), 10},
  f = function(x) return -x[1] end,
  ineq = {function(x) return x[2] - math.exp(x[1]) end,
          function(x) return x[3] - math.exp(x[2]) end},
  lower = {0, 0, 0}, upper = {100, 100, 10}}

-- HS35 (Beale's quadratic program): f* = 1/9.
add{name = "hs035", number = 35, n = 3, x0 = {0.5, 0.5, 0.5}, fstar = 1 / 9,
  xstar = {4 / 3, 7 / 9, 4 / 9},
  f = function(x)
    return 9 - 8 * x[1] - 6 * x[2] - 4 * x[3] + 2 * x[1] ^ 2 +
           2 * x[2] ^ 2 + x[3] ^ 2 + 2 * x[1] * x[2] + 2 * x[1] * x[3]
  end,
  ineq = {function(x) return 3 - x[1] - x[2] - 2 * x[3] end},
  lower = {0, 0, 0}, upper = {inf, inf, inf}}

-- HS39
add{name = "hs039", number = 39, n = 4, x0 = {2, 2, 2, 2}, fstar = -1,
  xstar = {1, 1, 0, 0},
  f = function(x) return -x[1] end,
  eq = {function(x) return x[2] - x[1] ^ 3 - x[3] ^ 2 end,
        function(x) return x[1] ^ 2 - x[2] - x[4] ^ 2 end}}

-- HS40: x* = (2^(-1/3), 2^(-1/2), 2^(-11/12), 2^(-1/4)).
add{name = "hs040", number = 40, n = 4, x0 = {0.8, 0.8, 0.8, 0.8},
  fstar = -0.25,
  xstar = {2 ^ (-1 / 3), 2 ^ (-1 / 2), 2 ^ (-11 / 12), 2 ^ (-1 / 4)},
  f = function(x) return -x[1] * x[2] * x[3] * x[4] end,
  eq = {function(x) return x[1] ^ 3 + x[2] ^ 2 - 1 end,
        function(x) return x[1] ^ 2 * x[4] - x[3] end,
        function(x) return x[4] ^ 2 - x[2] end}}

-- HS42: f* = 28 - 10 sqrt 2.
add{name = "hs042", number = 42, n = 4, x0 = {1, 1, 1, 1},
  fstar = 28 - 10 * math.sqrt(2),
  xstar = {2, 2, 0.6 * math.sqrt(2), 0.8 * math.sqrt(2)},
  f = function(x)
    return (x[1] - 1) ^ 2 + (x[2] - 2) ^ 2 + (x[3] - 3) ^ 2 + (x[4] - 4) ^ 2
  end,
  eq = {function(x) return x[1] - 2 end,
        function(x) return x[3] ^ 2 + x[4] ^ 2 - 2 end}}

-- HS43 (Rosen-Suzuki)
add{name = "hs043", number = 43, n = 4, x0 = {0, 0, 0, 0}, fstar = -44,
  xstar = {0, 1, 2, -1},
  f = function(x)
    return x[1] ^ 2 + x[2] ^ 2 + 2 * x[3] ^ 2 + x[4] ^ 2 - 5 * x[1] -
           5 * x[2] - 21 * x[3] + 7 * x[4]
  end,
  ineq = {
    function(x)
      return 8 - x[1] ^ 2 - x[2] ^ 2 - x[3] ^ 2 - x[4] ^ 2 - x[1] + x[2] -
             x[3] + x[4]
    end,
    function(x)
      return 10 - x[1] ^ 2 - 2 * x[2] ^ 2 - x[3] ^ 2 - 2 * x[4] ^ 2 + x[1] +
             x[4]
    end,
    function(x)
      return 5 - 2 * x[1] ^ 2 - x[2] ^ 2 - x[3] ^ 2 - 2 * x[1] + x[2] + x[4]
    end}}

-- HS44: an indefinite quadratic over a polytope (several local minima;
-- the published one, f* = -15, is the global).
add{name = "hs044", number = 44, n = 4, x0 = {0, 0, 0, 0}, fstar = -15,
  xstar = {0, 3, 0, 4},
  f = function(x)
    return x[1] - x[2] - x[3] - x[1] * x[3] + x[1] * x[4] + x[2] * x[3] -
           x[2] * x[4]
  end,
  ineq = {function(x) return 8 - x[1] - 2 * x[2] end,
          function(x) return 12 - 4 * x[1] - x[2] end,
          function(x) return 12 - 3 * x[1] - 4 * x[2] end,
          function(x) return 8 - 2 * x[3] - x[4] end,
          function(x) return 8 - x[3] - 2 * x[4] end,
          function(x) return 5 - x[3] - x[4] end},
  lower = fill(4, 0), upper = fill(4, inf)}

-- HS46
add{name = "hs046", number = 46, n = 5,
  x0 = {0.5 * math.sqrt(2), 1.75, 0.5, 2, 2}, fstar = 0,
  xstar = {1, 1, 1, 1, 1},
  f = function(x)
    return (x[1] - x[2]) ^ 2 + (x[3] - 1) ^ 2 + (x[4] - 1) ^ 4 +
           (x[5] - 1) ^ 6
  end,
  eq = {function(x) return x[1] ^ 2 * x[4] + math.sin(x[4] - x[5]) - 1 end,
        function(x) return x[2] + x[3] ^ 4 * x[4] ^ 2 - 2 end}}

-- HS47
add{name = "hs047", number = 47, n = 5,
  x0 = {2, math.sqrt(2), -1, 2 - math.sqrt(2), 0.5}, fstar = 0,
  xstar = {1, 1, 1, 1, 1},
  f = function(x)
    return (x[1] - x[2]) ^ 2 + (x[2] - x[3]) ^ 3 + (x[3] - x[4]) ^ 4 +
           (x[4] - x[5]) ^ 4
  end,
  eq = {function(x) return x[1] + x[2] ^ 2 + x[3] ^ 3 - 3 end,
        function(x) return x[2] - x[3] ^ 2 + x[4] - 1 end,
        function(x) return x[1] * x[5] - 1 end}}

-- HS48
add{name = "hs048", number = 48, n = 5, x0 = {3, 5, -3, 2, -2}, fstar = 0,
  xstar = {1, 1, 1, 1, 1},
  f = function(x)
    return (x[1] - 1) ^ 2 + (x[2] - x[3]) ^ 2 + (x[4] - x[5]) ^ 2
  end,
  eq = {function(x) return x[1] + x[2] + x[3] + x[4] + x[5] - 5 end,
        function(x) return x[3] - 2 * (x[4] + x[5]) + 3 end}}

-- HS49
add{name = "hs049", number = 49, n = 5, x0 = {10, 7, 2, -3, 0.8}, fstar = 0,
  xstar = {1, 1, 1, 1, 1},
  f = function(x)
    return (x[1] - x[2]) ^ 2 + (x[3] - 1) ^ 2 + (x[4] - 1) ^ 4 +
           (x[5] - 1) ^ 6
  end,
  eq = {function(x) return x[1] + x[2] + x[3] + 4 * x[4] - 7 end,
        function(x) return x[3] + 5 * x[5] - 6 end}}

-- HS50
add{name = "hs050", number = 50, n = 5, x0 = {35, -31, 11, 5, -5},
  fstar = 0, xstar = {1, 1, 1, 1, 1},
  f = function(x)
    return (x[1] - x[2]) ^ 2 + (x[2] - x[3]) ^ 2 + (x[3] - x[4]) ^ 4 +
           (x[4] - x[5]) ^ 2
  end,
  eq = {function(x) return x[1] + 2 * x[2] + 3 * x[3] - 6 end,
        function(x) return x[2] + 2 * x[3] + 3 * x[4] - 6 end,
        function(x) return x[3] + 2 * x[4] + 3 * x[5] - 6 end}}

-- HS51
add{name = "hs051", number = 51, n = 5, x0 = {2.5, 0.5, 2, -1, 0.5},
  fstar = 0, xstar = {1, 1, 1, 1, 1},
  f = function(x)
    return (x[1] - x[2]) ^ 2 + (x[2] + x[3] - 2) ^ 2 + (x[4] - 1) ^ 2 +
           (x[5] - 1) ^ 2
  end,
  eq = {function(x) return x[1] + 3 * x[2] - 4 end,
        function(x) return x[3] + x[4] - 2 * x[5] end,
        function(x) return x[2] - x[5] end}}

-- HS52: f* = 1859/349, x* = (-33, 11, 180, -158, 11)/349.
add{name = "hs052", number = 52, n = 5, x0 = {2, 2, 2, 2, 2},
  fstar = 1859 / 349,
  xstar = {-33 / 349, 11 / 349, 180 / 349, -158 / 349, 11 / 349},
  f = function(x)
    return (4 * x[1] - x[2]) ^ 2 + (x[2] + x[3] - 2) ^ 2 + (x[4] - 1) ^ 2 +
           (x[5] - 1) ^ 2
  end,
  eq = {function(x) return x[1] + 3 * x[2] end,
        function(x) return x[3] + x[4] - 2 * x[5] end,
        function(x) return x[2] - x[5] end}}

-- HS56
do
  local a = math.asin(math.sqrt(1 / 4.2))
  local b = math.asin(math.sqrt(5 / 7.2))
  local c = math.asin(math.sqrt(4 / 7))
  local d = math.asin(math.sqrt(2 / 7))
  add{name = "hs056", number = 56, n = 7, x0 = {1, 1, 1, a, a, a, b},
    fstar = -3.456, xstar = {2.4, 1.2, 1.2, c, d, d, 0.5 * math.pi},
    f = function(x) return -x[1] * x[2] * x[3] end,
    eq = {function(x) return x[1] - 4.2 * math.sin(x[4]) ^ 2 end,
          function(x) return x[2] - 4.2 * math.sin(x[5]) ^ 2 end,
          function(x) return x[3] - 4.2 * math.sin(x[6]) ^ 2 end,
          function(x)
            return x[1] + 2 * x[2] + 2 * x[3] - 7.2 * math.sin(x[7]) ^ 2
          end}}
end

-- HS60
add{name = "hs060", number = 60, n = 3, x0 = {2, 2, 2},
  fstar = 0.0325682002513,
  xstar = {1.104859024, 1.196674194, 1.535262257},
  f = function(x)
    return (x[1] - 1) ^ 2 + (x[1] - x[2]) ^ 2 + (x[2] - x[3]) ^ 4
  end,
  eq = {function(x)
          return x[1] * (1 + x[2] ^ 2) + x[3] ^ 4 - 4 - 3 * math.sqrt(2)
        end},
  lower = fill(3, -10), upper = fill(3, 10)}

-- HS61
add{name = "hs061", number = 61, n = 3, x0 = {0, 0, 0},
  fstar = -143.646142201,
  xstar = {5.32677015, -2.11899864, 3.21046437},
  f = function(x)
    return 4 * x[1] ^ 2 + 2 * x[2] ^ 2 + 2 * x[3] ^ 2 - 33 * x[1] +
           16 * x[2] - 24 * x[3]
  end,
  eq = {function(x) return 3 * x[1] - 2 * x[2] ^ 2 - 7 end,
        function(x) return 4 * x[1] - x[3] ^ 2 - 11 end}}

-- HS65
add{name = "hs065", number = 65, n = 3, x0 = {-5, 5, 0},
  fstar = 0.953528856757,
  xstar = {3.650461821, 3.65046168, 4.6204170507},
  f = function(x)
    return (x[1] - x[2]) ^ 2 + (x[1] + x[2] - 10) ^ 2 / 9 + (x[3] - 5) ^ 2
  end,
  ineq = {function(x) return 48 - x[1] ^ 2 - x[2] ^ 2 - x[3] ^ 2 end},
  lower = {-4.5, -4.5, -5}, upper = {4.5, 4.5, 5}}

-- HS71
add{name = "hs071", number = 71, n = 4, x0 = {1, 5, 5, 1},
  fstar = 17.0140172891,
  xstar = {1, 4.7429994, 3.8211503, 1.3794082},
  f = function(x) return x[1] * x[4] * (x[1] + x[2] + x[3]) + x[3] end,
  eq = {function(x)
          return x[1] ^ 2 + x[2] ^ 2 + x[3] ^ 2 + x[4] ^ 2 - 40
        end},
  ineq = {function(x) return x[1] * x[2] * x[3] * x[4] - 25 end},
  lower = fill(4, 1), upper = fill(4, 5)}

-- HS73 (cattle feed)
add{name = "hs073", number = 73, n = 4, x0 = {1, 1, 1, 1},
  fstar = 29.8943781573,
  xstar = {0.6355216, 0, 0.3127019, 0.05177655},
  f = function(x)
    return 24.55 * x[1] + 26.75 * x[2] + 39 * x[3] + 40.50 * x[4]
  end,
  eq = {function(x) return x[1] + x[2] + x[3] + x[4] - 1 end},
  ineq = {
    function(x)
      return 2.3 * x[1] + 5.6 * x[2] + 11.1 * x[3] + 1.3 * x[4] - 5
    end,
    function(x)
      return 12 * x[1] + 11.9 * x[2] + 41.8 * x[3] + 52.1 * x[4] - 21 -
             1.645 * math.sqrt(0.28 * x[1] ^ 2 + 0.19 * x[2] ^ 2 +
                               20.5 * x[3] ^ 2 + 0.62 * x[4] ^ 2)
    end},
  lower = fill(4, 0), upper = fill(4, inf)}

-- HS76: f* = -103/22, x* = (3, 23, 0, 6)/11.
add{name = "hs076", number = 76, n = 4, x0 = {0.5, 0.5, 0.5, 0.5},
  fstar = -103 / 22, xstar = {3 / 11, 23 / 11, 0, 6 / 11},
  f = function(x)
    return x[1] ^ 2 + 0.5 * x[2] ^ 2 + x[3] ^ 2 + 0.5 * x[4] ^ 2 -
           x[1] * x[3] + x[3] * x[4] - x[1] - 3 * x[2] + x[3] - x[4]
  end,
  ineq = {function(x) return 5 - x[1] - 2 * x[2] - x[3] - x[4] end,
          function(x) return 4 - 3 * x[1] - x[2] - 2 * x[3] + x[4] end,
          function(x) return x[2] + 4 * x[3] - 1.5 end},
  lower = fill(4, 0), upper = fill(4, inf)}

-- HS77
add{name = "hs077", number = 77, n = 5, x0 = {2, 2, 2, 2, 2},
  fstar = 0.241505128786,
  xstar = {1.166172, 1.182111, 1.380257, 1.506036, 0.6109203},
  f = function(x)
    return (x[1] - 1) ^ 2 + (x[1] - x[2]) ^ 2 + (x[3] - 1) ^ 2 +
           (x[4] - 1) ^ 4 + (x[5] - 1) ^ 6
  end,
  eq = {function(x)
          return x[1] ^ 2 * x[4] + math.sin(x[4] - x[5]) - 2 * math.sqrt(2)
        end,
        function(x) return x[2] + x[3] ^ 4 * x[4] ^ 2 - 8 - math.sqrt(2) end}}

-- HS78
add{name = "hs078", number = 78, n = 5, x0 = {-2, 1.5, 2, -1, -1},
  fstar = -2.91970040911,
  xstar = {-1.717143, 1.595709, 1.827247, -0.7636413, -0.7636450},
  f = function(x) return x[1] * x[2] * x[3] * x[4] * x[5] end,
  eq = {function(x)
          return x[1] ^ 2 + x[2] ^ 2 + x[3] ^ 2 + x[4] ^ 2 + x[5] ^ 2 - 10
        end,
        function(x) return x[2] * x[3] - 5 * x[4] * x[5] end,
        function(x) return x[1] ^ 3 + x[2] ^ 3 + 1 end}}

-- HS79
add{name = "hs079", number = 79, n = 5, x0 = {2, 2, 2, 2, 2},
  fstar = 0.0787768208600,
  xstar = {1.191127, 1.362603, 1.472818, 1.635017, 1.679081},
  f = function(x)
    return (x[1] - 1) ^ 2 + (x[1] - x[2]) ^ 2 + (x[2] - x[3]) ^ 2 +
           (x[3] - x[4]) ^ 4 + (x[4] - x[5]) ^ 4
  end,
  eq = {function(x)
          return x[1] + x[2] ^ 2 + x[3] ^ 3 - 2 - 3 * math.sqrt(2)
        end,
        function(x) return x[2] - x[3] ^ 2 + x[4] + 2 - 2 * math.sqrt(2) end,
        function(x) return x[1] * x[5] - 2 end}}

-- HS80
add{name = "hs080", number = 80, n = 5, x0 = {-2, 2, 2, -1, -1},
  fstar = 0.0539498477749,
  xstar = {-1.717143, 1.595709, 1.827247, -0.7636413, -0.7636450},
  f = function(x) return math.exp(x[1] * x[2] * x[3] * x[4] * x[5]) end,
  eq = {function(x)
          return x[1] ^ 2 + x[2] ^ 2 + x[3] ^ 2 + x[4] ^ 2 + x[5] ^ 2 - 10
        end,
        function(x) return x[2] * x[3] - 5 * x[4] * x[5] end,
        function(x) return x[1] ^ 3 + x[2] ^ 3 + 1 end},
  lower = {-2.3, -2.3, -3.2, -3.2, -3.2}, upper = {2.3, 2.3, 3.2, 3.2, 3.2}}

-- HS100
add{name = "hs100", number = 100, n = 7, x0 = {1, 2, 0, 4, 0, 1, 1},
  fstar = 680.630057374,
  xstar = {2.330499, 1.951372, -0.4775414, 4.365726, -0.6244870, 1.038131,
           1.594227},
  f = function(x)
    return (x[1] - 10) ^ 2 + 5 * (x[2] - 12) ^ 2 + x[3] ^ 4 +
           3 * (x[4] - 11) ^ 2 + 10 * x[5] ^ 6 + 7 * x[6] ^ 2 + x[7] ^ 4 -
           4 * x[6] * x[7] - 10 * x[6] - 8 * x[7]
  end,
  ineq = {
    function(x)
      return 127 - 2 * x[1] ^ 2 - 3 * x[2] ^ 4 - x[3] - 4 * x[4] ^ 2 -
             5 * x[5]
    end,
    function(x)
      return 282 - 7 * x[1] - 3 * x[2] - 10 * x[3] ^ 2 - x[4] + x[5]
    end,
    function(x) return 196 - 23 * x[1] - x[2] ^ 2 - 6 * x[6] ^ 2 + 8 * x[7] end,
    function(x)
      return -4 * x[1] ^ 2 - x[2] ^ 2 + 3 * x[1] * x[2] - 2 * x[3] ^ 2 -
             5 * x[6] + 11 * x[7]
    end}}

-- HS104 (reactor design); the objective is also bounded, 0.1 <= f <= 4.2.
do
  local function obj(x)
    return 0.4 * x[1] ^ 0.67 * x[7] ^ -0.67 +
           0.4 * x[2] ^ 0.67 * x[8] ^ -0.67 + 10 - x[1] - x[2]
  end
  add{name = "hs104", number = 104, n = 8,
    x0 = {6, 3, 0.4, 0.2, 6, 6, 1, 0.5}, fstar = 3.9511634396,
    xstar = {6.465114, 2.232709, 0.6673975, 0.5957564, 5.932676, 5.527235,
             1.013322, 0.4006682},
    f = obj,
    ineq = {
      function(x) return 1 - 0.0588 * x[5] * x[7] - 0.1 * x[1] end,
      function(x)
        return 1 - 0.0588 * x[6] * x[8] - 0.1 * x[1] - 0.1 * x[2]
      end,
      function(x)
        return 1 - 4 * x[3] / x[5] - 2 * x[3] ^ -0.71 / x[5] -
               0.0588 * x[3] ^ -1.3 * x[7]
      end,
      function(x)
        return 1 - 4 * x[4] / x[6] - 2 * x[4] ^ -0.71 / x[6] -
               0.0588 * x[4] ^ -1.3 * x[8]
      end,
      function(x) return obj(x) - 0.1 end,
      function(x) return 4.2 - obj(x) end},
    lower = fill(8, 0.1), upper = fill(8, 10)}
end

return M
