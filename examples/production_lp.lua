-- production_lp.lua: a workshop's production plan as a linear program,
-- and what its shadow prices say. Run: slope examples/production_lp.lua
local optim = require "slope.optim"

local products = { "table", "chair", "bookcase" }
local profit = { 65, 30, 58 }          -- per unit sold
local resources = { "wood (board-ft)", "labour (h)", "finishing (h)" }
local use = {                          -- per unit made
  { 8,   4,   6   },
  { 2.5, 1.5, 2   },
  { 1,   0.5, 1.5 },
}
local available = { 480, 130, 60 }     -- this week

local r = optim.linprog{ c = profit, A_ub = use, b_ub = available, maximize = true }
print(string.format("status: %s (%s)", r.status, r.message))
print(string.format("weekly profit: %.2f", r.f))
print("\nplan:")
for j, name in ipairs(products) do
  print(string.format("  %-9s %7.2f units   reduced cost %7.3f", name, r.x[j], r.reduced_costs[j]))
end

print("\nresources:")
for i, name in ipairs(resources) do
  print(string.format("  %-16s used %7.2f of %5.1f   slack %6.2f   shadow price %6.3f",
                      name, available[i] - r.slack[i], available[i], r.slack[i], r.duals.ub[i]))
end

-- The shadow price of a resource is what one more unit of it is worth:
-- the rate at which the best profit grows with its availability. A
-- resource left over (slack > 0) is worth nothing more.
print("\nwhat the shadow prices say:")
for i, name in ipairs(resources) do
  if r.slack[i] > 1e-9 then
    print(string.format("  %s is not used up: more of it is worth nothing", name))
  else
    local more = {}
    for k = 1, #available do more[k] = available[k] end
    more[i] = more[i] + 1
    local r1 = optim.linprog{ c = profit, A_ub = use, b_ub = more, maximize = true }
    print(string.format("  one more unit of %s: profit %.2f -> %.2f (+%.3f, the shadow price)",
                        name, r.f, r1.f, r1.f - r.f))
  end
end
-- A product left out has a negative reduced cost: making one unit of it
-- would lower the profit by that much (its resources are worth more in
-- the other products, priced at the shadow prices).
for j, name in ipairs(products) do
  if r.reduced_costs[j] < -1e-9 then
    local worth = 0
    for i = 1, #resources do worth = worth + use[i][j] * r.duals.ub[i] end
    print(string.format("  a %s earns %.2f but uses resources worth %.2f: reduced cost %.2f",
                        name, profit[j], worth, r.reduced_costs[j]))
  end
end

-- Strong duality: the resources, valued at their shadow prices, are worth
-- exactly the best profit.
local value = 0
for i = 1, #available do value = value + available[i] * r.duals.ub[i] end
print(string.format("\nresources at shadow prices: %.2f = profit %.2f", value, r.f))
