-- transport_lp.lua: ship goods from plants to markets at least cost, a
-- transportation problem given as a sparse matrix (triplets).
-- Run: slope examples/transport_lp.lua
local optim = require "slope.optim"

local plants = { "Leeds", "Bristol", "Glasgow" }
local supply = { 350, 420, 300 }              -- units available
local markets = { "London", "Manchester", "Cardiff", "Edinburgh" }
local demand = { 380, 240, 190, 210 }         -- units needed
local cost = {                                -- per unit shipped
  { 4.2, 1.6, 4.8, 3.9 },
  { 2.4, 3.1, 1.1, 6.2 },
  { 6.8, 3.4, 6.1, 0.9 },
}

-- One variable per route: x[(p - 1) * #markets + m] from plant p to
-- market m. Rows 1..#plants: what leaves a plant is at most its supply;
-- then one row per market: what arrives, at least the demand, written
-- -sum <= -demand.
local np, nm = #plants, #markets
local c, I, J, V, b = {}, {}, {}, {}, {}
local function route(p, m) return (p - 1) * nm + m end
for p = 1, np do
  for m = 1, nm do
    local j = route(p, m)
    c[j] = cost[p][m]
    I[#I + 1], J[#J + 1], V[#V + 1] = p, j, 1
    I[#I + 1], J[#J + 1], V[#V + 1] = np + m, j, -1
  end
  b[p] = supply[p]
end
for m = 1, nm do b[np + m] = -demand[m] end

local r = optim.linprog{ c = c, A_ub = { i = I, j = J, v = V }, b_ub = b }
print(string.format("status: %s (%s)", r.status, r.message))
print(string.format("least total cost: %.2f", r.f))

io.write(string.format("\n%-9s", "from\\to"))
for _, name in ipairs(markets) do io.write(string.format("%11s", name)) end
io.write(string.format("%9s\n", "shipped"))
for p, name in ipairs(plants) do
  io.write(string.format("%-9s", name))
  local sent = 0
  for m = 1, nm do
    local q = r.x[route(p, m)]
    sent = sent + q
    io.write(string.format("%11.1f", q))
  end
  io.write(string.format("%9.1f\n", sent))
end

-- The duals price the rows: a market's (negated, its row is written with
-- -demand) is what one more unit of demand there would add to the cost;
-- a plant's is what one more unit of its supply would save (0 when it has
-- some left over).
print("\nmarginal cost of one more unit of demand:")
for m, name in ipairs(markets) do
  print(string.format("  %-10s %6.2f", name, -r.duals.ub[np + m] + 0.0))  -- + 0.0: no "-0.00"
end
print("saving from one more unit of supply:")
for p, name in ipairs(plants) do
  print(string.format("  %-10s %6.2f   (%.1f units left over)", name, -r.duals.ub[p] + 0.0, r.slack[p]))
end

-- A route not used costs more than the prices at its ends justify: its
-- reduced cost is how much cheaper it must get before it is worth using.
print("unused routes and how much cheaper they must get:")
for p = 1, np do
  for m = 1, nm do
    local j = route(p, m)
    if r.x[j] < 1e-9 then
      print(string.format("  %-8s -> %-10s %5.2f", plants[p], markets[m], r.reduced_costs[j]))
    end
  end
end
