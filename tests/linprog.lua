-- linprog.lua: linear and mixed-integer programs through GLPK: textbook
-- optima and their duals, complementary slackness and strong duality,
-- dense and sparse input, simplex against interior point, infeasible and
-- unbounded programs, branch and cut, MPS and LP files, every argument
-- check, and the help entries' examples.
local t = require "tap"
local slope = require "slope"
local optim = require "slope.optim"

local linprog, linprog_file = optim.linprog, optim.linprog_file
local abs, huge = math.abs, math.huge
local format = string.format

local function has(s, sub) return type(s) == "string" and s:find(sub, 1, true) ~= nil end

-- v exactly equal to w, entry by entry (vectors or arrays).
local function same(v, w, name)
  local pass = #v == #w
  for i = 1, #w do pass = pass and v[i] == w[i] end
  local want = {}
  for i = 1, #w do want[i] = tostring(w[i]) end
  return t.ok(pass, name, format("got %s, want {%s}", tostring(v), table.concat(want, ", ")))
end

-- A x for a dense A (a list of rows).
local function times(A, x)
  local y = {}
  for i, row in ipairs(A) do
    local s = 0
    for j = 1, #row do s = s + row[j] * x[j] end
    y[i] = s
  end
  return y
end

-- The optimality conditions of an LP result r for the problem p (dense
-- A_ub, A_eq): complementary slackness, c - A'y = reduced costs, strong
-- duality c'x = b'y + d'x, and the reduced costs vanish off the bounds.
local function kkt(p, r, tol, name)
  local n = #p.c
  local Aub, bub = p.A_ub or {}, p.b_ub or {}
  local Aeq, beq = p.A_eq or {}, p.b_eq or {}
  local yu, ye, d = r.duals.ub, r.duals.eq, r.reduced_costs
  local worst = 0
  local ax = times(Aub, r.x)
  for i = 1, #bub do
    worst = math.max(worst, abs(r.slack[i] - (bub[i] - ax[i])))
    worst = math.max(worst, abs(yu[i] * r.slack[i]))
  end
  t.ok(worst <= tol, name .. ": dual * slack = 0", "worst " .. worst)
  worst = 0
  for j = 1, n do
    local s = p.c[j]
    for i = 1, #bub do s = s - Aub[i][j] * yu[i] end
    for i = 1, #beq do s = s - Aeq[i][j] * ye[i] end
    worst = math.max(worst, abs(s - d[j]))
  end
  t.ok(worst <= tol, name .. ": c - A'y = reduced costs", "worst " .. worst)
  local cx, by = 0, 0
  for j = 1, n do cx = cx + p.c[j] * r.x[j]; by = by + d[j] * r.x[j] end
  for i = 1, #bub do by = by + bub[i] * yu[i] end
  for i = 1, #beq do by = by + beq[i] * ye[i] end
  t.ok(abs(cx - r.f) <= tol * math.max(1, abs(cx)) and abs(by - cx) <= tol * math.max(1, abs(cx)),
       name .. ": strong duality c'x = b'y + d'x = f", format("c'x %.17g, b'y+d'x %.17g, f %.17g", cx, by, r.f))
  worst = 0
  for j = 1, n do
    local lo = type(p.lower) == "table" and p.lower[j] or p.lower or 0
    local up = type(p.upper) == "table" and p.upper[j] or p.upper or huge
    local off = math.min(abs(r.x[j] - lo), abs(r.x[j] - up))
    worst = math.max(worst, abs(d[j]) * (off < huge and off or 1))
  end
  t.ok(worst <= tol, name .. ": reduced cost * distance to a bound = 0", "worst " .. worst)
end

-- {======================================================
-- Textbook LPs with known optima and duals
-- =======================================================

-- A production plan solved by hand: max 3 x + 5 y with x <= 4, 2 y <= 12,
-- 3 x + 2 y <= 18. Optimum (2, 6), profit 36; the second and third
-- constraints bind with shadow prices 3/2 and 1.
local wyndor = { c = {3, 5}, A_ub = {{1, 0}, {0, 2}, {3, 2}}, b_ub = {4, 12, 18},
                 maximize = true }
local r = linprog(wyndor)
t.is(r.status, "converged", "production LP: converged")
t.ok(has(r.message, "optimal"), "message says optimal", r.message)
t.is(r.method, "simplex", "the simplex method by default")
t.ok(getmetatable(r.x) == getmetatable(slope.vec{1}), "x is a slope vec")
t.near(r.x, {2, 6}, 1e-12, "production LP: x = (2, 6)")
t.close(r.f, 36, 1e-12, "production LP: profit 36")
t.is(r.objective, r.f, "objective is f")
t.near(r.duals.ub, {0, 1.5, 1}, 1e-12, "shadow prices (0, 3/2, 1)")
t.is(#r.duals.eq, 0, "no equality rows, no equality duals")
t.near(r.reduced_costs, {0, 0}, 1e-12, "both variables basic: reduced costs 0")
t.near(r.slack, {2, 0, 0}, 1e-12, "slack (2, 0, 0)")
t.ok(math.type(r.iterations) == "integer" and r.iterations >= 0, "iterations counted")
t.ok(type(r.time) == "number" and r.time >= 0 and r.time < 5, "time in seconds")
kkt(wyndor, r, 1e-12, "production LP")

-- The shadow price is the rate of change of the optimum: one more unit of
-- the third resource is worth 1.
local more = linprog{ c = {3, 5}, A_ub = {{1, 0}, {0, 2}, {3, 2}}, b_ub = {4, 12, 18.25},
                      maximize = true }
t.close(more.f - r.f, 0.25 * r.duals.ub[3], 1e-12, "dual = d(optimum)/d(b): maximise")

-- max 2.5 x1 + 4.25 x2 with 1.5 x1 + 2 x2 <= 12.5, 3 x1 + 1.25 x2 <= 14.75,
-- x1 + 3.5 x2 <= 17: optimum (3, 4), 24.5; duals 18/13, 0, 11/26.
local lp2 = { c = {2.5, 4.25}, A_ub = {{1.5, 2}, {3, 1.25}, {1, 3.5}},
              b_ub = {12.5, 14.75, 17}, maximize = true }
r = linprog(lp2)
t.near(r.x, {3, 4}, 1e-12, "LP 2: x = (3, 4)")
t.close(r.f, 24.5, 1e-12, "LP 2: f = 24.5")
t.near(r.duals.ub, {18 / 13, 0, 11 / 26}, 1e-12, "LP 2: duals 18/13, 0, 11/26")
t.near(r.slack, {0, 0.75, 0}, 1e-12, "LP 2: slack (0, 0.75, 0)")
kkt(lp2, r, 1e-12, "LP 2")

-- Minimising the negated profit: the same point, the objective and the
-- duals change sign (each is d(optimum)/d(b) in the problem's own sense).
local lp2min = { c = {-2.5, -4.25}, A_ub = lp2.A_ub, b_ub = lp2.b_ub }
local rm = linprog(lp2min)
t.near(rm.x, {3, 4}, 1e-12, "minimise -c: same x")
t.close(rm.f, -24.5, 1e-12, "minimise -c: f = -24.5")
t.near(rm.duals.ub, {-18 / 13, 0, -11 / 26}, 1e-12, "minimise -c: duals negated")
kkt(lp2min, rm, 1e-12, "LP 2 minimised")
local lesser = linprog{ c = {-2.5, -4.25}, A_ub = lp2.A_ub, b_ub = {12.5, 14.75, 17.5} }
t.close(lesser.f - rm.f, 0.5 * rm.duals.ub[3], 1e-12, "dual = d(optimum)/d(b): minimise")

-- A blend with an equality row and an upper bound that binds: min
-- 0.9 a + 1.7 b + 0.6 c with 0.2 a + 0.6 b + 0.1 c >= 3.2, a + b + c = 10,
-- b <= 4. Optimum (2, 4, 4), cost 11; duals -3 (protein) and 0.3 (total);
-- b's reduced cost -0.4 (at its upper bound).
local blend = { c = {0.9, 1.7, 0.6}, A_ub = {{-0.2, -0.6, -0.1}}, b_ub = {-3.2},
                A_eq = {{1, 1, 1}}, b_eq = {10}, upper = {huge, 4, huge} }
r = linprog(blend)
t.is(r.status, "converged", "blend: converged")
t.near(r.x, {2, 4, 4}, 1e-12, "blend: x = (2, 4, 4)")
t.close(r.f, 11, 1e-12, "blend: cost 11")
t.near(r.duals.ub, {-3}, 1e-12, "blend: protein dual -3")
t.near(r.duals.eq, {0.3}, 1e-12, "blend: equality dual 0.3")
t.near(r.reduced_costs, {0, -0.4, 0}, 1e-12, "blend: reduced costs (0, -0.4, 0)")
kkt(blend, r, 1e-12, "blend")

-- Free variables: min x + y with x >= 2, x - y = 5, both free: (2, -3).
local free = { c = {1, 1}, A_ub = {{-1, 0}}, b_ub = {-2}, A_eq = {{1, -1}}, b_eq = {5},
               lower = -huge }
r = linprog(free)
t.near(r.x, {2, -3}, 1e-12, "free variables: x = (2, -3)")
t.close(r.f, -1, 1e-12, "free variables: f = -1")
t.near(r.duals.ub, {-2}, 1e-12, "free variables: dual -2")
t.near(r.duals.eq, {-1}, 1e-12, "free variables: equality dual -1")
kkt(free, r, 1e-12, "free variables")

-- Bounds on the variables: max 5 x + 4 y, x + y <= 5, x <= 3, y in [-1, 4]:
-- (3, 2), 23; x at its bound with reduced cost 1.
local boxed = { c = {5, 4}, A_ub = {{1, 1}}, b_ub = {5}, lower = {0, -1}, upper = {3, 4},
                maximize = true }
r = linprog(boxed)
t.near(r.x, {3, 2}, 1e-12, "bounded variables: x = (3, 2)")
t.close(r.f, 23, 1e-12, "bounded variables: f = 23")
t.near(r.reduced_costs, {1, 0}, 1e-12, "bounded variables: reduced costs (1, 0)")
kkt(boxed, r, 1e-12, "bounded variables")
-- a fixed variable (lower == upper) and a bound as a number for all
r = linprog{ c = {1, 2, 3}, lower = {0.5, 1.25, 2}, upper = {0.5, 7, 7} }
t.near(r.x, {0.5, 1.25, 2}, 1e-15, "fixed and lower-bounded variables at their bounds")
t.near(r.reduced_costs, {1, 2, 3}, 1e-15, "no rows: reduced costs are c")
r = linprog{ c = {-1, -2}, upper = 2.5 }
t.near(r.x, {2.5, 2.5}, 0, "one upper bound for every variable")
-- a row with b = math.huge is no constraint
r = linprog{ c = {-1}, A_ub = {{1}, {2}}, b_ub = {huge, 7}, upper = 10 }
t.near(r.x, {3.5}, 1e-12, "b_ub = math.huge: a free row")
t.ok(r.slack[1] == huge, "its slack is inf")

-- }======================================================

-- {======================================================
-- Dense, matrix and sparse input; simplex and interior point
-- =======================================================

local sparse = { c = {2.5, 4.25}, maximize = true, b_ub = lp2.b_ub,
                 A_ub = { i = {1, 1, 2, 2, 3, 3}, j = {1, 2, 1, 2, 1, 2},
                          v = {1.5, 2, 3, 1.25, 1, 3.5}, m = 3, n = 2 } }
local rd, rs = linprog(lp2), linprog(sparse)
local rmat = linprog{ c = lp2.c, maximize = true, b_ub = lp2.b_ub, A_ub = slope.mat(lp2.A_ub) }
-- triplets in any order, duplicates summed (1 + 0.5 = 1.5), zeros dropped
local shuffled = { c = lp2.c, maximize = true, b_ub = slope.vec(lp2.b_ub),
                   A_ub = { i = slope.vec{3, 2, 1, 3, 1, 2, 1, 2},
                            j = {2, 1, 2, 1, 1, 2, 1, 1},
                            v = {3.5, 3, 2, 1, 1, 1.25, 0.5, 0} } }
local rsh = linprog(shuffled)
for _, case in ipairs { {rs, "sparse"}, {rmat, "slope.mat"}, {rsh, "shuffled sparse"} } do
  local q, name = case[1], case[2]
  same(q.x, rd.x, name .. " and dense: the same x")
  same(q.duals.ub, rd.duals.ub, name .. " and dense: the same duals")
  same(q.reduced_costs, rd.reduced_costs, name .. " and dense: the same reduced costs")
  t.is(q.f, rd.f, name .. " and dense: the same f")
end
-- rows as vectors (rows of a matrix too)
local M = slope.mat(lp2.A_ub)
r = linprog{ c = lp2.c, maximize = true, b_ub = lp2.b_ub, A_ub = {M[1], M[2], M[3]} }
same(r.x, rd.x, "rows given as vectors")
-- an empty sparse matrix: rows that constrain nothing
r = linprog{ c = {1}, A_ub = {i = {}, j = {}, v = {}}, b_ub = {2.5} }
t.ok(r.status == "converged" and r.slack[1] == 2.5, "an all-zero sparse block")

for _, case in ipairs { {wyndor, "production"}, {lp2, "LP 2"}, {blend, "blend"},
                        {free, "free variables"}, {boxed, "bounded variables"} } do
  local p, name = case[1], case[2]
  local ps, pi = {}, {}
  for k, v in pairs(p) do ps[k] = v; pi[k] = v end
  pi.method = "interior"
  local a, b = linprog(ps), linprog(pi)
  t.is(b.method, "interior", name .. ": interior point ran")
  t.near(b.x, a.x, 1e-6, name .. ": interior point and simplex agree on x")
  t.close(b.f, a.f, 1e-7, name .. ": and on f")
  t.near(b.duals.ub, a.duals.ub, 1e-6, name .. ": and on the duals")
  t.near(b.reduced_costs, a.reduced_costs, 1e-6, name .. ": and on the reduced costs")
  kkt(p, b, 1e-6, name .. " (interior)")
end

-- }======================================================

-- {======================================================
-- Infeasible and unbounded
-- =======================================================

r = linprog{ c = {1, 1}, A_ub = {{1, 1}}, b_ub = {-1} }
t.is(r.status, "infeasible", "x + y <= -1 with x, y >= 0: infeasible")
t.ok(r.x == nil and r.f == nil and r.duals == nil, "no point, no duals")
t.ok(has(r.message, "infeasible"), "message says infeasible", r.message)
r = linprog{ c = {1, 1}, A_eq = {{1, 1}, {1, -1}}, b_eq = {1, 3}, method = "interior" }
t.is(r.status, "infeasible", "interior point: infeasible, as the simplex method finds")
t.ok(has(r.message, "interior-point") and has(r.message, "simplex"), "its message says so", r.message)
r = linprog{ c = {-1, -1}, A_ub = {{1, -1}}, b_ub = {1} }
t.is(r.status, "unbounded", "min -x - y with x - y <= 1: unbounded")
t.ok(has(r.message, "below any bound"), "message: below any bound", r.message)
t.ok(r.x and r.x[1] - r.x[2] <= 1 + 1e-12, "a feasible point comes with it")
r = linprog{ c = {1, 0}, A_ub = {{-1, 1}}, b_ub = {0}, maximize = true }
t.is(r.status, "unbounded", "max x with y <= x: unbounded")
t.ok(has(r.message, "above any bound"), "message: above any bound", r.message)
r = linprog{ c = {-1}, lower = -huge, upper = huge }
t.is(r.status, "unbounded", "no rows, a free variable: unbounded")
r = linprog{ c = {-1, -1}, A_ub = {{1, -1}}, b_ub = {1}, method = "interior" }
t.is(r.status, "unbounded", "interior point: unbounded, as the simplex method finds")

-- }======================================================

-- {======================================================
-- Integer programs
-- =======================================================

-- 0/1 knapsack: weights 12, 7, 11, 8, 9, 6, values 24, 13, 23, 15, 16, 11,
-- capacity 26. The unique best takes items 2, 3, 4 (value 51); the LP
-- relaxation takes 1, 3 and 3/8 of 4 (52.625).
local w, v = {12, 7, 11, 8, 9, 6}, {24, 13, 23, 15, 16, 11}
local best, bestset, second = -1, nil, -1
for mask = 0, 63 do
  local tw, tv = 0, 0
  for i = 1, 6 do
    if mask & (1 << (i - 1)) ~= 0 then tw = tw + w[i]; tv = tv + v[i] end
  end
  if tw <= 26 then
    if tv > best then second, best, bestset = best, tv, mask
    elseif tv > second then second = tv end
  end
end
t.ok(best == 51 and bestset == 2 + 4 + 8 and second == 50, "brute force: 51 by items 2, 3, 4, unique")
local knap = { c = v, A_ub = {w}, b_ub = {26}, upper = 1, integer = {1, 2, 3, 4, 5, 6},
               maximize = true }
r = linprog(knap)
t.is(r.status, "converged", "knapsack: converged")
t.is(r.method, "branch-and-cut", "knapsack: branch and cut")
same(r.x, {0, 1, 1, 1, 0, 0}, "knapsack: items 2, 3, 4")
t.close(r.f, 51, 1e-12, "knapsack: value 51")
t.close(r.relaxation, 52.625, 1e-12, "knapsack: LP relaxation 52.625")
t.close(r.bound, 51, 1e-12, "knapsack: bound 51")
t.is(r.gap, 0.0, "knapsack: gap 0")
t.ok(math.type(r.nodes) == "integer" and r.nodes >= 1, "knapsack: nodes counted")
local kb = {}
for k, x in pairs(knap) do kb[k] = x end
kb.integer = {true, true, true, true, true, true}
same(linprog(kb).x, r.x, "integer as booleans")
kb.integer = true
same(linprog(kb).x, r.x, "integer = true: all")

-- An integer program whose relaxation is fractional: max 5 x + 8 y with
-- x + y <= 6, 5 x + 9 y <= 45: relaxation (2.25, 3.75), 41.25; integer
-- optimum (0, 5), 40.
local ip = { c = {5, 8}, A_ub = {{1, 1}, {5, 9}}, b_ub = {6, 45}, integer = {1, 2},
             maximize = true }
local relax = linprog{ c = ip.c, A_ub = ip.A_ub, b_ub = ip.b_ub, maximize = true }
t.near(relax.x, {2.25, 3.75}, 1e-12, "relaxation: fractional (2.25, 3.75)")
r = linprog(ip)
same(r.x, {0, 5}, "integer optimum (0, 5)")
t.close(r.f, 40, 1e-12, "integer optimum 40")
t.close(r.relaxation, 41.25, 1e-12, "its relaxation 41.25")
t.ok(r.duals and #r.duals.ub == 2, "duals of the LP with the integers fixed")
-- minimisation of the same: the same point, negated
r = linprog{ c = {-5, -8}, A_ub = ip.A_ub, b_ub = ip.b_ub, integer = {1, 2} }
t.ok(r.x[1] == 0 and r.x[2] == 5 and abs(r.f + 40) < 1e-12, "minimised: (0, 5), -40")

-- Mixed: x integer, y continuous; max 3 x + 2 y, 2 x + y <= 7.5, y <= 2.25.
-- The relaxation has x = 2.625, y = 2.25 (12.375); in integers x = 3,
-- y = 1.5 (12) beats x = 2, y = 2.25 (10.5). With x fixed at 3 the row
-- binds (dual 2, y's price), x's reduced cost is 3 - 2*2 = -1.
local mixed = { c = {3, 2}, A_ub = {{2, 1}}, b_ub = {7.5}, upper = {huge, 2.25},
                integer = {1}, maximize = true }
r = linprog(mixed)
t.near(r.x, {3, 1.5}, 1e-12, "mixed: x = (3, 1.5)")
t.close(r.f, 12, 1e-12, "mixed: f = 12")
t.close(r.relaxation, 12.375, 1e-12, "mixed: relaxation 12.375")
t.near(r.duals.ub, {2}, 1e-12, "mixed: fixed-LP dual 2")
t.near(r.reduced_costs, {-1, 0}, 1e-12, "mixed: fixed-LP reduced costs (-1, 0)")
kkt({ c = mixed.c, A_ub = mixed.A_ub, b_ub = mixed.b_ub, lower = {3, 0}, upper = {3, 2.25} },
    r, 1e-12, "mixed (the LP with x fixed)")

-- Infeasible integer programs.
r = linprog{ c = {1}, lower = 0.2, upper = 0.8, integer = {1} }
t.is(r.status, "infeasible", "no integer in [0.2, 0.8]: infeasible")
t.ok(has(r.message, "x[1]"), "its message names the variable", r.message)
r = linprog{ c = {1, 1}, A_eq = {{2, 2}}, b_eq = {3}, integer = true }
t.is(r.status, "infeasible", "2 x + 2 y = 3 in integers: infeasible")
t.ok(r.x == nil, "infeasible: no point")
r = linprog{ c = {1}, A_ub = {{1}}, b_ub = {-1}, integer = {1} }
t.ok(r.status == "infeasible" and has(r.message, "relaxation"),
     "infeasible relaxation", r.message)
r = linprog{ c = {-1, 0}, A_ub = {{1, -1}}, b_ub = {0.5}, integer = {1} }
t.is(r.status, "unbounded", "unbounded integer program")

-- Market split (Cornuejols and Dawande): 4 rows of 30 binary variables,
-- hard for branch and bound; slacks make any point feasible, so a point
-- is found at once and proving it best takes long.
local function marketsplit()
  local seed = 12345
  local function rand(k) seed = (seed * 1103515245 + 12345) % 2147483648; return seed % k end
  local m, n = 4, 30
  local c, A, b, up, ints = {}, {}, {}, {}, {}
  for j = 1, n + 2 * m do
    c[j] = j <= n and 0 or 1
    up[j] = j <= n and 1 or huge
  end
  for i = 1, m do
    local row, s = {}, 0
    for j = 1, n do row[j] = rand(100); s = s + row[j] end
    for k = 1, 2 * m do row[n + k] = 0 end
    row[n + i], row[n + m + i] = 1, -1
    A[i], b[i] = row, s // 2
  end
  for j = 1, n do ints[j] = j end
  return { c = c, A_eq = A, b_eq = b, upper = up, integer = ints }
end
local hard = marketsplit()
hard.maxtime = 0.4
r = linprog(hard)
t.is(r.status, "maxtime", "a hard integer program stops at maxtime")
t.ok(r.time < 3, "within about maxtime", r.time)
t.ok(r.x and r.f >= r.bound - 1e-9 and r.gap > 0, "with its best point, bound and gap",
     format("f %s bound %s gap %s", tostring(r.f), tostring(r.bound), tostring(r.gap)))
local integral = r.x ~= nil
for j = 1, 30 do integral = integral and (r.x[j] == 0 or r.x[j] == 1) end
t.ok(integral, "the best point is integral")
hard.maxtime, hard.mip_gap = 20, 1.0
r = linprog(hard)
t.ok(r.status == "converged" and has(r.message, "mip_gap") and r.time < 10,
     "mip_gap = 1: the first point within the gap", r.message)

-- A real Ctrl-C under slope's handler stops branch and cut with the best point.
if arg and arg[-1] and arg[-1]:match("slope$") then
  hard.maxtime, hard.mip_gap = 60, nil
  os.execute("(sleep 0.5; kill -INT $PPID) &")
  r = linprog(hard)
  t.ok(r.status == "interrupted" and r.x and has(r.message, "Ctrl-C") and r.time < 30,
       "Ctrl-C: status interrupted with the best point", r.message)
else
  t.ok(true, "Ctrl-C # SKIP not run by slope")
end

-- }======================================================

-- {======================================================
-- Files
-- =======================================================

local tmp = os.getenv("TEST_TMPDIR") or "/tmp"
local function write(name, text)
  local path = tmp .. "/" .. name
  t.write(path, text)
  return path
end

-- Fixed MPS: fields in columns 2-3, 5-12, 15-22, 25-36, 40-47, 50-61
-- (free MPS reads it too).
local function card(f1, f2, f3, f4, f5, f6)
  return format(" %-2s %-8s  %-8s  %-12s   %-8s  %-12s", f1 or "", f2 or "", f3 or "",
                f4 or "", f5 or "", f6 or ""):gsub("%s+$", "") .. "\n"
end
local mps = write("linprog_blend.mps", table.concat {
  "NAME          BLEND\n", "ROWS\n",
  card("N", "COST"), card("G", "PROTEIN"), card("E", "TOTAL"),
  "COLUMNS\n",
  card("", "A", "COST", "0.9", "PROTEIN", "0.2"), card("", "A", "TOTAL", "1"),
  card("", "B", "COST", "1.7", "PROTEIN", "0.6"), card("", "B", "TOTAL", "1"),
  card("", "C", "COST", "0.6", "PROTEIN", "0.1"), card("", "C", "TOTAL", "1"),
  "RHS\n", card("", "RHS", "PROTEIN", "3.2", "TOTAL", "10"),
  "BOUNDS\n", card("UP", "BND", "B", "4"),
  "ENDATA\n" })
r = linprog_file(mps)
t.is(r.status, "converged", "MPS file: converged")
t.near(r.x, {2, 4, 4}, 1e-12, "MPS file: the blend's x")
t.close(r.f, 11, 1e-12, "MPS file: cost 11")
t.is(table.concat(r.x_names, " "), "A B C", "MPS file: column names")
t.is(table.concat(r.row_names, " "), "PROTEIN TOTAL", "MPS file: row names")
t.near(r.duals.rows, {3, 0.3}, 1e-12, "MPS file: duals (>= row: +3)")
t.close(r.duals_by_name.PROTEIN, 3, 1e-12, "duals by name")
t.close(r.x_by_name.B, 4, 1e-12, "x by name")
t.near(r.activity, {3.2, 10}, 1e-12, "row activities")
t.near(r.reduced_costs, {0, -0.4, 0}, 1e-12, "MPS file: reduced costs")
local fixed = linprog_file(mps, {format = "fixed_mps", method = "interior"})
t.near(fixed.x, {2, 4, 4}, 1e-6, "fixed MPS, interior point")
local gz = write("linprog_blend.MPS", io.open(mps):read("a"))
t.near(linprog_file(gz).x, {2, 4, 4}, 1e-12, "extension in capitals")

local lpfile = write("linprog_ip.lp", [[
\ max 5 x + 8 y in integers
Maximize
 value: 5 x + 8 y
Subject To
 first: x + y <= 6
 second: 5 x + 9 y <= 45
General
 x y
End
]])
r = linprog_file(lpfile)
t.is(r.method, "branch-and-cut", "LP file with integers: branch and cut")
same(r.x, {0, 5}, "LP file: integer optimum (0, 5)")
t.close(r.relaxation, 41.25, 1e-12, "LP file: relaxation 41.25")
r = linprog_file(lpfile, {maximize = false})
same(r.x, {0, 0}, "opts.maximize = false overrides the file's sense")
local lp2file = write("linprog_lp2.txt", [[
maximize
 obj: 2.5 x1 + 4.25 x2
subject to
 r1: 1.5 x1 + 2 x2 <= 12.5
 r2: 3 x1 + 1.25 x2 <= 14.75
 r3: x1 + 3.5 x2 <= 17
end
]])
r = linprog_file(lp2file, {format = "lp"})
t.near(r.duals.rows, {18 / 13, 0, 11 / 26}, 1e-12, "opts.format: the LP 2 duals")

local badmps = write("linprog_bad.mps", "NAME X\nROWS\n N  COST\nCOLUMNS\n    A  COST  zz\nENDATA\n")
t.error_like("linprog_file: cannot read '" .. badmps .. "': ", linprog_file, badmps)
t.error_like("cannot convert 'zz'", linprog_file, badmps)
local badlp = write("linprog_bad.lp", "Maximize\n obj: 3 x\nSubject To\n c1: x <=\nEnd\n")
t.error_like("linprog_bad.lp:5: missing right-hand side", linprog_file, badlp)
t.error_like("linprog_file: cannot read '" .. tmp .. "/nonexistent.lp': Unable to open",
             linprog_file, tmp .. "/nonexistent.lp")

-- }======================================================

-- {======================================================
-- Argument checks
-- =======================================================

local function err(msg, p) return t.error_like("bad argument #1 to 'linprog' (" .. msg, linprog, p) end
err("table expected, got number)", 2.385)
err("unknown option 'cc'", { c = {1}, cc = 1 })
err("field 'c' (the objective's coefficients) missing)", {})
err("c is empty: no variables)", { c = {} })
err("field 'c' must be a vector or an array of numbers, got string)", { c = "x" })
err("c[2] must be a number, got string)", { c = {1, "a"} })
err("c[2] must be a number, got nan)", { c = {1, 0 / 0} })
err("c[1] must be finite, got inf)", { c = {huge} })
err("A_ub has 3 columns, c has 4)", { c = {1, 2, 3, 4}, A_ub = {{1, 2, 3}}, b_ub = {1} })
err("A_ub has 3 columns, c has 2)", { c = {1, 2}, A_ub = slope.mat{{1, 2, 3}}, b_ub = {1} })
err("A_ub row 2 has 1 entry, c has 2)", { c = {1, 2}, A_ub = {{1, 2}, {1}}, b_ub = {1, 2} })
err("A_eq[2] must be a row (a vector or an array of numbers), got number)",
    { c = {1}, A_eq = {{1}, 2}, b_eq = {1, 2} })
err("A_ub[1][2] must be finite, got inf)", { c = {1, 2}, A_ub = {{1, huge}}, b_ub = {1} })
err("b_ub has 2 entries, A_ub has 1 rows)", { c = {1}, A_ub = {{1}}, b_ub = {1, 2} })
err("field 'A_ub' given without 'b_ub')", { c = {1}, A_ub = {{1}} })
err("field 'b_eq' given without 'A_eq')", { c = {1}, b_eq = {1} })
err("field 'A_eq' must be a matrix, a list of rows or a table {i =, j =, v =}, got number)",
    { c = {1}, A_eq = 1, b_eq = {1} })
err("b_ub[1] must be above -math.huge, got -inf)", { c = {1}, A_ub = {{1}}, b_ub = {-huge} })
err("b_eq[1] must be finite, got inf)", { c = {1}, A_eq = {{1}}, b_eq = {huge} })
err("A_ub.j[2] must be a column index in 1..2, got 3)",
    { c = {1, 2}, A_ub = {i = {1, 1}, j = {1, 3}, v = {1, 1}}, b_ub = {1} })
err("A_ub.i[1] must be a row index in 1..1, got 1.5)",
    { c = {1, 2}, A_ub = {i = {1.5}, j = {1}, v = {1}}, b_ub = {1} })
err("A_ub.v has 1 entries, A_ub.i has 2)",
    { c = {1, 2}, A_ub = {i = {1, 1}, j = {1, 2}, v = {1}}, b_ub = {1} })
err("A_ub.v[1] must be a number, got nan)",
    { c = {1, 2}, A_ub = {i = {1}, j = {1}, v = {0 / 0}}, b_ub = {1} })
err("A_eq.i must be a vector or an array of numbers, got nil)",
    { c = {1, 2}, A_eq = {j = {1}, v = {1}}, b_eq = {1} })
err("A_ub: unknown option 'k'", { c = {1}, A_ub = {i = {1}, j = {1}, v = {1}, k = 2}, b_ub = {1} })
err("b_ub has 1 entries, A_ub has m = 2 rows)",
    { c = {1}, A_ub = {i = {1}, j = {1}, v = {1}, m = 2}, b_ub = {1} })
err("A_ub has n = 3 columns, c has 1)", { c = {1}, A_ub = {i = {1}, j = {1}, v = {1}, n = 3}, b_ub = {1} })
err("A_ub.m must be a non-negative integer, got -1)",
    { c = {1}, A_ub = {i = {1}, j = {1}, v = {1}, m = -1}, b_ub = {1} })
err("lower has 1 entries, c has 2)", { c = {1, 2}, lower = {0} })
err("lower[1] = 3 is above upper[1] = 2.5)", { c = {1, 2}, lower = {3, 0}, upper = 2.5 })
err("lower[2] must be below math.huge, got inf)", { c = {1, 2}, lower = {0, huge} })
err("field 'upper' must be above -math.huge, got -inf)", { c = {1}, upper = -huge })
err("field 'lower' must be a number, a vector or an array of numbers, got boolean)",
    { c = {1}, lower = true })
err("integer[1] must be a variable index in 1..2, got 3)", { c = {1, 2}, integer = {3} })
err("integer[1] must be a variable index in 1..2, got 'x')", { c = {1, 2}, integer = {"x"} })
err("integer has 1 booleans, c has 2)", { c = {1, 2}, integer = {true} })
err("integer[2] must be a boolean like integer[1], got 1)", { c = {1, 2}, integer = {true, 1} })
err("field 'integer' must be a list of variable indices or of booleans, got number)",
    { c = {1}, integer = 1 })
err("field 'method' must be 'simplex' or 'interior', got 'foo')", { c = {1}, method = "foo" })
err("method 'interior' cannot solve integer programs", { c = {1}, integer = {1}, method = "interior" })
err("field 'maximize' must be a boolean, got 1)", { c = {1}, maximize = 1 })
err("field 'maxtime' must be a positive number, got 0)", { c = {1}, maxtime = 0 })
err("field 'mip_gap' must be a non-negative number, got -0.5)", { c = {1}, mip_gap = -0.5 })

local function ferr(msg, ...) return t.error_like(msg, linprog_file, ...) end
ferr("bad argument #1 to 'linprog_file' (file name expected, got nil)", nil)
ferr("bad argument #2 to 'linprog_file' (table or nil expected, got number)", mps, 1)
ferr("bad argument #2 to 'linprog_file' (unknown option 'bogus'", mps, {bogus = 1})
ferr("bad argument #1 to 'linprog_file' (cannot tell the format of 'x.txt' from its extension (.mps or .lp): give opts.format)",
     "x.txt")
ferr("bad argument #2 to 'linprog_file' (field 'format' must be 'mps', 'free_mps', 'fixed_mps' or 'lp', got 'xx')",
     mps, {format = "xx"})
ferr("bad argument #2 to 'linprog_file' (method 'interior' cannot solve integer programs",
     lpfile, {method = "interior"})
ferr("bad argument #2 to 'linprog_file' (field 'maxtime' must be a positive number, got -1)",
     mps, {maxtime = -1})

-- }======================================================

-- {======================================================
-- Help entries: each documented, every example true
-- =======================================================

local src = os.getenv("top_srcdir") or (arg and arg[0]:match("^(.*)/tests/[^/]*$")) or "."
local chunk = assert(loadfile(src .. "/lua/slope/doc/linprog.lua"))
local entries = {}
chunk()(function(name, info) entries[name] = info end)
local env = setmetatable({ slope = slope, optim = optim }, { __index = _G })
for _, name in ipairs { "slope.optim.linprog", "slope.optim.linprog_file" } do
  local e = entries[name]
  t.ok(e and e.signature and e.summary and e.text and e.example, "help entry " .. name)
  t.example(e, env, name)
end

-- }======================================================

t.done()
