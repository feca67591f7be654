-- schedule_milp.lua: staff a 24-hour service at least cost, a small
-- mixed-integer program (people come whole). Run: slope examples/schedule_milp.lua
local optim = require "slope.optim"

-- The day in eight 3-hour periods; a 9-hour shift starting in period p
-- covers p and the next two (the late shifts run into the next day).
local periods = { "00-03", "03-06", "06-09", "09-12", "12-15", "15-18", "18-21", "21-24" }
local needed = { 4, 3, 8, 12, 14, 11, 9, 6 }        -- staff on duty at least
local pay = { 150, 140, 117, 108, 108, 112, 126, 144 } -- per shift, by start
local n = #periods
local length = 3

-- Row p: the shifts starting in p, p - 1 and p - 2 cover period p,
-- written -(x[p - 2] + x[p - 1] + x[p]) <= -needed[p].
local A, b = {}, {}
for p = 1, n do
  local row = {}
  for s = 1, n do row[s] = 0 end
  for k = 0, length - 1 do row[(p - 1 - k) % n + 1] = -1 end
  A[p], b[p] = row, -needed[p]
end

local lp = optim.linprog{ c = pay, A_ub = A, b_ub = b }
local r = optim.linprog{ c = pay, A_ub = A, b_ub = b, integer = true }

print(string.format("LP relaxation: cost %.2f with fractional staff:", lp.f))
local parts = {}
for s = 1, n do parts[s] = string.format("%.2f", lp.x[s]) end
print("  " .. table.concat(parts, " "))
print(string.format("integer program: %s (%s)", r.status, r.message))
print(string.format("  cost %.2f (bound %.2f, gap %.4f, method %s)", r.f, r.bound, r.gap, r.method))

print("\nshift starts  staff   pay")
local staff = 0
for s = 1, n do
  staff = staff + r.x[s]
  print(string.format("  %s     %5d  %5d", periods[s], math.tointeger(r.x[s]), math.tointeger(r.x[s] * pay[s])))
end
print(string.format("  total     %5d  %5d", math.tointeger(staff), math.tointeger(r.f)))

print("\nperiod  on duty  needed  spare")
for p = 1, n do
  local on = needed[p] + r.slack[p]
  print(string.format("  %s  %7d  %6d  %5d", periods[p], math.tointeger(on), needed[p],
                      math.tointeger(r.slack[p])))
end
