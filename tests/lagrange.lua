-- lagrange.lua: optim.lagrange, Newton on the KKT system; the multiplier as
-- a price (d f* / d b).
local t = require "tap"
local optim = require "slope.optim"

t.plan(14)

-- max xy on x + y = b: lambda = b/2, and f*(b) = b^2/4
local function xy(x) return x[1] * x[2] end
local r = optim.lagrange(xy, {function(x) return x[1] + x[2] - 10 end},
                         {1, 2.385}, {maximize = true})
t.is(r.status, "converged", "lagrange converged")
t.is(r.method, "newton-kkt", "lagrange runs newton-kkt")
t.near(r.x, {5, 5}, 1e-10, "max xy on x + y = 10")
t.close(r.multipliers.eq[1], 5, 1e-10, "lambda = 5")
t.ok(r.iterations <= 3, "a quadratic problem: Newton in a few steps")

-- the multiplier is the price of the constraint: d f* / d b
local function fstar(b)
  return optim.lagrange(function(x) return x[1]^2 + x[2]^2 end,
    {function(x) return x[1] + 2 * x[2] - b end}, {0.5, 0.5})
end
local b, h = 4.7, 1e-4
local r0 = fstar(b)
t.close(r0.multipliers.eq[1], 2 * b / 5, 1e-10, "lambda = 2b/5")
t.close((fstar(b + h).f - fstar(b - h).f) / (2 * h), r0.multipliers.eq[1],
        1e-7, "lambda = d f* / d b")

-- two constraints: min x^2 + y^2 + z^2 on x + y + z = 1.7, x - y = 0.3
do
  local s = optim.lagrange(function(x) return x[1]^2 + x[2]^2 + x[3]^2 end,
    {function(x) return x[1] + x[2] + x[3] - 1.7 end,
     function(x) return x[1] - x[2] - 0.3 end}, {0, 0, 0})
  -- 2x = l1 + l2, 2y = l1 - l2, 2z = l1: z = l1/2, x - y = l2 = 0.3,
  -- x + y + z = 3 l1 / 2 = 1.7
  local l1 = 1.7 * 2 / 3
  t.near(s.x, {(l1 + 0.3) / 2, (l1 - 0.3) / 2, l1 / 2}, 1e-10, "two planes")
  t.near(s.multipliers.eq, {l1, 0.3}, 1e-10, "two multipliers")
end

-- a nonconvex objective: W is indefinite, the regularised step still
-- finds a minimum of x^3 + y^3 on the circle x^2 + y^2 = 2: (0, -sqrt 2)
-- ((-1, -1) is a maximum on the circle)
do
  local s = optim.lagrange(function(x) return x[1]^3 + x[2]^3 end,
    {function(x) return x[1]^2 + x[2]^2 - 2 end}, {-0.8, -1.3})
  t.is(s.status, "converged", "cubic on a circle converged")
  -- grad f = (0, 6) = lambda (0, -2 sqrt 2): lambda = -3 / sqrt 2
  t.near(s.x, {0, -math.sqrt(2)}, 1e-9, "cubic on a circle")
  t.close(s.multipliers.eq[1], -3 / math.sqrt(2), 1e-9, "its multiplier")
end

t.error_like("bad argument #2 to 'lagrange' (list of constraint functions "
             .. "expected, got number)", optim.lagrange, xy, 3, {1, 1})
t.error_like("bad argument #2 to 'lagrange' (the constraint list: "
             .. "constraint 1 is not a function, got string)",
             optim.lagrange, xy, {"x"}, {1, 1})
