-- portfolio.lua: the best expected return for a given risk, and what one
-- more unit of risk budget is worth. Run: slope examples/portfolio.lua
local optim = require "slope.optim"

local assets = { "bonds", "utilities", "tech", "emerging" }
local mu = { 0.03, 0.05, 0.09, 0.12 }  -- expected yearly returns
local cov = {                          -- covariance of the returns
  { 0.0016, 0.0006, 0.0002, 0.0000 },
  { 0.0006, 0.0100, 0.0040, 0.0030 },
  { 0.0002, 0.0040, 0.0400, 0.0150 },
  { 0.0000, 0.0030, 0.0150, 0.0900 },
}
local n = #assets

local function ret(w)
  local s = 0
  for i = 1, n do s = s + mu[i] * w[i] end
  return s
end

local function variance(w)
  local s = 0
  for i = 1, n do
    for j = 1, n do s = s + w[i] * cov[i][j] * w[j] end
  end
  return s
end

-- Maximise the expected return, the variance within the budget, the
-- weights summing to 1, no short positions (0 <= w <= 1).
local function best(budget)
  return optim.minimize(ret, { 0.25, 0.25, 0.25, 0.25 }, {
    method = "sqp", maximize = true,
    eq = { function(w) return w[1] + w[2] + w[3] + w[4] - 1 end },
    ineq = { function(w) return budget - variance(w) end },
    lower = 0, upper = 1,
  })
end

local budget = 0.02   -- a variance of 0.02: a volatility of about 14 %
local r = best(budget)
print(string.format("status: %s", r.status))
print(string.format("expected return %.4f at variance %.4f (budget %.4f)",
                    r.f, variance(r.x), budget))
print("\nweights:")
for i, name in ipairs(assets) do
  print(string.format("  %-10s %6.3f", name, r.x[i]))
end

-- The constraint is written budget - variance(w) >= 0, i.e. h(w) >= b
-- with h = -variance and b = -budget. Its multiplier is d(best return)/db
-- (the sign convention of every constraint), so the price of risk, the
-- extra expected return one extra unit of variance budget buys,
-- d(best return) / d(budget), is minus the multiplier.
local y = r.multipliers.ineq[1]
local price = -y
print(string.format("\nmultiplier of budget - variance >= 0: %.4f", y))
print(string.format("price of risk: %.4f extra expected return per unit of extra", price))
print("  variance budget (d best / d budget = -multiplier)")

-- Checked by solving again with a slightly bigger budget.
local h = 1e-5
local r2 = best(budget + h)
local fd = (r2.f - r.f) / h
print(string.format("re-solved with budget + %g: return %.6f", h, r2.f))
print(string.format("finite difference %.3f, price %.3f: %s", fd, price,
                    math.abs(fd - price) < 1e-3 * math.abs(price)
                      and "they agree" or "they DIFFER"))
