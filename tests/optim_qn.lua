-- optim_qn.lua: optim.minimize with bfgs, lbfgs and cg: exact minimisers
-- of convex quadratics (CG in at most n iterations), the classical
-- problems from their standard starts, maximisation, the options memory,
-- variant, c1 and c2, a line search that must fail, and error messages.
local t = require "tap"
local P = require "problems"
local slope = require "slope"
local ad = require "slope.ad"
local optim = slope.optim

local METHODS = {"bfgs", "lbfgs", "cg"}

local near = t.near

local function diag(fmt, ...)
  io.write("# ", string.format(fmt, ...), "\n")
end

-- A convex quadratic 1/2 x'Ax - b'x and its minimiser, solved by Cholesky.
local function quadratic(A, b)
  local n = #b
  local f = function(x)
    local s = 0
    for i = 1, n do
      local ax = 0
      for j = 1, n do
        if A[i][j] ~= 0 then ax = ax + A[i][j] * x[j] end
      end
      s = s + x[i] * (0.5 * ax - b[i])
    end
    return s
  end
  return f, P.cholesky_solve(A, b)
end

-- Diagonal d, or sqrt(d_i d_j) rho^|i-j| (an SPD correlation matrix scaled).
local function matrix(d, rho)
  local A = {}
  for i = 1, #d do
    A[i] = {}
    for j = 1, #d do
      A[i][j] = i == j and d[i]
                or (rho and math.sqrt(d[i] * d[j]) * rho^math.abs(i - j) or 0)
    end
  end
  return A
end

local u = P.lcg(2385)
local function spread(n, lo, hi)  -- n values log-spaced in [lo, hi]
  local d = {}
  for i = 1, n do
    d[i] = lo * (hi / lo)^((i - 1) / math.max(n - 1, 1)) * (1 + 0.3 * u())
  end
  return d
end
local function rhs(n)
  local b = {}
  for i = 1, n do b[i] = 4 * u() - 2 end
  return b
end

local quads = {}
do
  local d5, b5 = spread(5, 1, 1500), rhs(5)
  local f, xs = quadratic(matrix(d5), b5)
  quads[#quads + 1] = {name = "diagonal n=5", f = f, xstar = xs, n = 5}
  f, xs = quadratic(matrix(d5, 0.45), b5)
  quads[#quads + 1] = {name = "dense n=5", f = f, xstar = xs, n = 5}
  local d50, b50 = spread(50, 1, 100), rhs(50)
  f, xs = quadratic(matrix(d50), b50)
  quads[#quads + 1] = {name = "diagonal n=50", f = f, xstar = xs, n = 50}
  f, xs = quadratic(matrix(d50, 0.6), b50)
  quads[#quads + 1] = {name = "dense n=50", f = f, xstar = xs, n = 50}
end

-- Convex quadratics: the exact minimiser, from a start away from it.
for _, q in ipairs(quads) do
  local x0 = {}
  for i = 1, q.n do x0[i] = 1.5 - 0.37 * i % 2 end
  for _, m in ipairs(METHODS) do
    local r = optim.minimize(q.f, x0, {method = m, gtol = 1e-10})
    local name = m .. " on the " .. q.name .. " quadratic"
    t.is(r.status, "converged", name .. ": converged")
    near(r.x, q.xstar, 1e-8, name .. ": the exact minimiser")
    diag("%s: %d iterations, %d evaluations", name, r.iterations,
         r.evaluations.grad)
  end
end

-- CG with its exact line search ends in at most n iterations, as linear
-- CG does, on an ill-conditioned quadratic (condition number 228: in
-- floating point, n steps reach 3e-11 here, and only about 1e-7 once the
-- condition number is in the thousands, even for exact linear CG); so does
-- BFGS with a nearly exact line search (c2 = 0.01), once it has learnt the
-- Hessian.
do
  local f, xs = quadratic(matrix({1.37, 4.82, 17.6, 58.3, 214.9}, 0.45),
                          {0.62, -1.41, 0.385, 1.77, -0.93})
  local z = {0, 0, 0, 0, 0}
  for _, v in ipairs {"pr", "fr"} do
    local r = optim.minimize(f, z, {method = "cg", variant = v, gtol = 1e-8})
    local name = "cg (" .. v .. ") on the n = 5 quadratic"
    t.is(r.status, "converged", name .. ": converged")
    t.ok(r.iterations <= 5, name .. ": at most n = 5 iterations",
         string.format("%d iterations", r.iterations))
    near(r.x, xs, 1e-8, name .. ": the minimiser")
    t.ok(r.evaluations.grad <= 3 * r.iterations,
         name .. ": an exact step in two or three evaluations",
         string.format("%d evaluations", r.evaluations.grad))
  end
  local bf = optim.minimize(f, z, {method = "bfgs", c2 = 0.01, gtol = 1e-8})
  t.ok(bf.status == "converged" and bf.iterations <= 6,
       "bfgs, c2 = 0.01: at most n + 1 iterations on the n = 5 quadratic",
       string.format("%s after %d iterations", bf.status, bf.iterations))
end

-- Rosenbrock from (-1.2, 1).
local rosen = P.byname.rosenbrock
for _, m in ipairs(METHODS) do
  local r = optim.minimize(rosen.f, rosen.x0, {method = m, gtol = 1e-9})
  t.is(r.status, "converged", m .. " on Rosenbrock: converged")
  near(r.x, {1, 1}, 1e-6, m .. " on Rosenbrock: (1, 1)")
  t.ok(r.evaluations.grad >= r.iterations and r.evaluations.hess == 0,
       m .. " on Rosenbrock: evaluations counted, no Hessian")
  diag("%s on Rosenbrock: %d iterations, %d evaluations of f and g",
       m, r.iterations, r.evaluations.grad)
  -- Polak-Ribiere+ meets a direction uphill on the way and restarts
  t.is(r.notes.restarted, m == "cg" or nil,
       m .. " on Rosenbrock: notes.restarted " ..
       (m == "cg" and "set" or "not set"))
end

-- Extended Rosenbrock, n = 100, with lbfgs.
do
  local x0 = {}
  for i = 1, 100, 2 do x0[i], x0[i + 1] = -1.2, 1 end
  local ones = {}
  for i = 1, 100 do ones[i] = 1 end
  local r = optim.minimize(P.byname.extended_rosenbrock.f, x0,
                           {method = "lbfgs", gtol = 1e-9})
  t.is(r.status, "converged", "lbfgs on extended Rosenbrock n=100: converged")
  near(r.x, ones, 1e-6, "lbfgs on extended Rosenbrock n=100: all ones")
  diag("lbfgs on extended Rosenbrock n=100: %d iterations, %d evaluations",
       r.iterations, r.evaluations.grad)
  -- memory: any number of pairs works; more pairs, fewer iterations
  local its = {}
  for _, m in ipairs {1, 3, 25} do
    local rm = optim.minimize(P.byname.extended_rosenbrock.f, x0,
                              {method = "lbfgs", memory = m, gtol = 1e-9})
    t.ok(rm.status == "converged" and math.abs(rm.x[37] - 1) < 1e-6,
         "lbfgs, memory = " .. m .. ": converged to the minimiser",
         rm.status)
    its[m] = rm.iterations
  end
  diag("lbfgs memory 1, 3, 25: %d, %d, %d iterations", its[1], its[3], its[25])
  t.ok(its[25] < its[1], "lbfgs: 25 pairs take fewer iterations than 1")
  t.ok(its[3] ~= its[25], "the memory option changes the run")
end

-- Powell's singular function and Wood's from their standard starts.
for _, m in ipairs {"bfgs", "lbfgs"} do
  local ps = P.byname.powell_singular
  local r = optim.minimize(ps.f, ps.x0, {method = m, gtol = 1e-8})
  t.is(r.status, "converged", m .. " on Powell singular: converged")
  t.ok(r.f < 1e-12, m .. " on Powell singular: f near 0",
       string.format("f = %g", r.f))
  near(r.x, ps.xstar, 1e-2, m .. " on Powell singular: near 0 (singular)")
  local w = P.byname.wood
  r = optim.minimize(w.f, w.x0, {method = m, gtol = 1e-9})
  t.is(r.status, "converged", m .. " on Wood: converged")
  near(r.x, w.xstar, 1e-6, m .. " on Wood: (1, 1, 1, 1)")
  diag("%s on Wood: %d iterations", m, r.iterations)
end

-- maximize: the maximum of a concave function, f and grad as given.
local function concave(x)
  return 2.385 - (x[1] - 1.25)^2 - 3 * (x[2] + 0.75)^2
         - 0.5 * (x[1] - x[2])^2
end
for _, m in ipairs(METHODS) do
  local r = optim.minimize(concave, {0, 0}, {method = m, maximize = true,
                                             gtol = 1e-10})
  t.is(r.status, "converged", m .. ", maximize: converged")
  -- the maximiser solves 3 x1 - x2 = 2.5, x1 - 7 x2 = 4.5
  near(r.x, {0.65, -0.55}, 1e-9, m .. ", maximize: the maximiser")
  t.close(r.f, 1.185, 1e-13, m .. ", maximize: f is the maximum")
end

-- cg's two variants differ, and both reach Rosenbrock's minimum.
do
  local pr = optim.minimize(rosen.f, rosen.x0, {method = "cg", gtol = 1e-9,
                                                trace = true})
  local fr = optim.minimize(rosen.f, rosen.x0, {method = "cg", gtol = 1e-9,
                                                variant = "fr", trace = true})
  t.is(fr.status, "converged", "cg, Fletcher-Reeves on Rosenbrock: converged")
  near(fr.x, {1, 1}, 1e-6, "cg, Fletcher-Reeves on Rosenbrock: (1, 1)")
  t.ok(pr.trace[1].f == fr.trace[1].f and pr.trace[3].f ~= fr.trace[3].f,
       "cg: the variants share the first step, then part")
  diag("cg on Rosenbrock: pr %d iterations, fr %d", pr.iterations,
       fr.iterations)
  local explicit = optim.minimize(rosen.f, rosen.x0, {method = "cg",
                                  gtol = 1e-9, variant = "pr"})
  t.is(explicit.iterations, pr.iterations, "cg: variant pr is the default")
end

-- c1 and c2: a looser curvature condition changes the path, not the end.
do
  local r = optim.minimize(rosen.f, rosen.x0, {method = "bfgs", c2 = 0.1,
                                               gtol = 1e-9})
  local r0 = optim.minimize(rosen.f, rosen.x0, {method = "bfgs", gtol = 1e-9})
  t.ok(r.status == "converged" and r.evaluations.f ~= r0.evaluations.f,
       "bfgs, c2 = 0.1: converged along another path")
  local c = optim.minimize(rosen.f, rosen.x0, {method = "cg", c2 = 0.9,
                                               gtol = 1e-9})
  t.is(c.status, "converged", "cg, c2 = 0.9: still converged")
end

-- A step down a cliff: f jumps up by 10 where x[1] - 0.25 turns <= 0, and
-- its slope along x[1] is 1 on both sides, so no step meets the curvature
-- condition there: the line search fails, the best point is returned.
local function cliff(x)
  return (x[2] - 0.3)^2 + x[1] + ad.ifelse(x[1] - 0.25, 0, 10)
end
for _, m in ipairs(METHODS) do
  local r = optim.minimize(cliff, {1.5, -0.4}, {method = m})
  t.is(r.status, "line_search_failed", m .. " at a cliff: line_search_failed")
  t.ok(r.x[1] > 0.25 and r.f == r.f and r.f < cliff {1.5, -0.4}
       and r.f == cliff(r.x),
       m .. " at a cliff: a finite best point, better than the start",
       string.format("x = (%g, %g), f = %g", r.x[1], r.x[2], r.f))
end

-- Restarts: a run through optim.solver can be stepped and resumed.
do
  local s = optim.solver(rosen.f, rosen.x0, {method = "lbfgs", gtol = 1e-9})
  s:step(7)
  local r = s:run()
  local r0 = optim.minimize(rosen.f, rosen.x0, {method = "lbfgs", gtol = 1e-9})
  t.ok(r.x[1] == r0.x[1] and r.x[2] == r0.x[2] and
       r.iterations == r0.iterations,
       "lbfgs stepped then run: the same digits as one minimize")
end

-- Errors name the field and the rule.
local A = "bad argument #3 to 'minimize' (field "
local q = quads[1].f
local z = {0, 0, 0, 0, 0}
t.error_like(A .. "'memory' must be an integer in [1, 1e6], got 0.0)",
             function() optim.minimize(q, z, {method = "lbfgs", memory = 0}) end)
t.error_like(A .. "'memory' must be an integer in [1, 1e6], got 2.5)",
             function() optim.minimize(q, z, {method = "lbfgs", memory = 2.5}) end)
t.error_like(A .. "'memory' must be a number, got string)",
             function() optim.minimize(q, z, {memory = "ten"}) end)
t.error_like(A .. "'variant' must be \"pr\" or \"fr\", got hs)",
             function() optim.minimize(q, z, {method = "cg", variant = "hs"}) end)
t.error_like(A .. "'variant' must be \"pr\" or \"fr\", got number)",
             function() optim.minimize(q, z, {method = "cg", variant = 1}) end)
t.error_like(A .. "'c1' must be in (0, 1), got 0.0)",
             function() optim.minimize(q, z, {method = "bfgs", c1 = 0}) end)
t.error_like(A .. "'c1' must be in (0, 1), got 1.0)",
             function() optim.minimize(q, z, {method = "bfgs", c1 = 1}) end)
t.error_like(A .. "'c2' must be in (c1, 1), got 1.0)",
             function() optim.minimize(q, z, {method = "bfgs", c2 = 1}) end)
t.error_like(A .. "'c2' must be in (c1, 1), got 0.25)",
             function() optim.minimize(q, z, {method = "bfgs", c1 = 0.5,
                                              c2 = 0.25}) end)
t.error_like(A .. "'c2' must be a number, got boolean)",
             function() optim.minimize(q, z, {method = "cg", c2 = true}) end)
t.error_like(A .. "'method' must be one of gd, momentum, nesterov, adagrad, "
             .. "rmsprop, adam, adamw, bfgs, lbfgs, cg",
             function() optim.minimize(q, z, {method = "l-bfgs"}) end)

t.done()
