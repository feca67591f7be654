-- optim_newton.lua: optim.minimize with "newton", "newton-cg" and
-- "nelder-mead": one Newton step on convex quadratics, Rosenbrock (plain
-- and extended), indefinite Hessians and saddles, derivative-free minima
-- of non-smooth functions, maximisation and evaluation counts.
local t = require "tap"
local optim = require("slope").optim

local near = t.near

-- A diagonal convex quadratic: minimiser b ./ a.
local a, b = {1.5, 4.25, 9.75}, {3.1, -2.2, 1.3}
local function quad(x)
  local s = 0
  for i = 1, 3 do s = s + 0.5 * a[i] * x[i]^2 - b[i] * x[i] end
  return s
end
local xstar, fstar = {}, 0
for i = 1, 3 do
  xstar[i] = b[i] / a[i]
  fstar = fstar - 0.5 * b[i]^2 / a[i]
end

local r = optim.minimize(quad, {0.4, -0.9, 2.2}, {method = "newton"})
t.is(r.status, "converged", "newton, diagonal quadratic: converged")
t.is(r.method, "newton", "newton: result.method")
t.is(r.iterations, 1, "newton, diagonal quadratic: one iteration")
near(r.x, xstar, 1e-10, "newton, diagonal quadratic: the minimiser")
t.close(r.f, fstar, 1e-14, "newton, diagonal quadratic: the minimum")
t.ok(r.gnorm <= 1e-12, "newton, diagonal quadratic: gradient zero to rounding")
t.is(r.evaluations.hess, 1, "newton, diagonal quadratic: one Hessian")
t.ok(not r.notes.hessian_modified,
     "a positive definite Hessian is not modified")

-- A dense SPD quadratic, n = 10: A = M'M + I, f = x'Ax/2 - c'x.
local n10, A, c = 10, {}, {}
for i = 1, n10 do
  A[i] = {}
  c[i] = math.cos(1.7 * i)
end
for i = 1, n10 do
  for j = 1, n10 do
    local s = i == j and 1 or 0
    for k = 1, n10 do s = s + math.sin(k * i + 0.3) * math.sin(k * j + 0.3) end
    A[i][j] = s
  end
end
local function dense(x)
  local s = 0
  for i = 1, n10 do
    local ax = 0
    for j = 1, n10 do ax = ax + A[i][j] * x[j] end
    s = s + 0.5 * x[i] * ax - c[i] * x[i]
  end
  return s
end
local x0 = {}
for i = 1, n10 do x0[i] = 0.25 * i - 1 end
r = optim.minimize(dense, x0, {method = "newton"})
t.is(r.status, "converged", "newton, dense SPD quadratic: converged")
t.is(r.iterations, 1, "newton, dense SPD quadratic: one iteration")
local res = 0
for i = 1, n10 do
  local ax = 0
  for j = 1, n10 do ax = ax + A[i][j] * r.x[j] end
  res = math.max(res, math.abs(ax - c[i]))
end
t.ok(res <= 1e-10, "newton, dense SPD quadratic: A x = c to 1e-10",
     string.format("residual %.3g", res))
t.ok(r.gnorm <= 1e-10, "newton, dense SPD quadratic: result.gnorm")
r = optim.minimize(dense, x0, {method = "newton-cg", gtol = 1e-10})
t.is(r.status, "converged", "newton-cg, dense SPD quadratic: converged")
t.ok(r.iterations <= 10, "newton-cg, dense SPD quadratic: a few iterations",
     r.iterations)

-- Rosenbrock from (-1.2, 1).
local function rosen(x) return 100 * (x[2] - x[1]^2)^2 + (1 - x[1])^2 end
local iters = {newton = 40, ["newton-cg"] = 150}
for _, m in ipairs {"newton", "newton-cg"} do
  r = optim.minimize(rosen, {-1.2, 1}, {method = m, gtol = 1e-10})
  t.is(r.status, "converged", m .. ", Rosenbrock: converged")
  near(r.x, {1, 1}, 1e-8, m .. ", Rosenbrock: the minimiser (1, 1) to 1e-8")
  t.ok(r.f <= 1e-16, m .. ", Rosenbrock: f <= 1e-16", r.f)
  t.ok(r.iterations <= iters[m], m .. ", Rosenbrock: at most " .. iters[m]
       .. " iterations", r.iterations)
  t.ok(r.evaluations.hess >= r.iterations,
       m .. ": second-order evaluations counted")
  t.ok(r.evaluations.f >= r.iterations and r.evaluations.grad >= r.iterations,
       m .. ": f and gradient evaluations counted")
end
r = optim.minimize(rosen, {-1.2, 1}, {method = "newton", gtol = 1e-10})
t.is(r.evaluations.hess, r.iterations, "newton: one Hessian per iteration")
r = optim.minimize(rosen, {-3.5, -4.25}, {method = "newton", gtol = 1e-10})
t.is(r.status, "converged", "newton, Rosenbrock from afar: converged")
near(r.x, {1, 1}, 1e-8, "newton, Rosenbrock from afar: the minimiser")

-- Extended Rosenbrock, n = 1000: Hessian-vector products only.
local function xrosen(x)
  local s = 0
  for i = 1, #x, 2 do
    s = s + 100 * (x[i + 1] - x[i]^2)^2 + (1 - x[i])^2
  end
  return s
end
local xr0 = {}
for i = 1, 1000, 2 do xr0[i], xr0[i + 1] = -1.2, 1 end
r = optim.minimize(xrosen, xr0, {method = "newton-cg", gtol = 1e-8})
t.is(r.status, "converged",
     "newton-cg, extended Rosenbrock n = 1000: converged")
local worst = 0
for i = 1, 1000 do worst = math.max(worst, math.abs(r.x[i] - 1)) end
t.ok(worst <= 1e-8, "newton-cg, extended Rosenbrock: every x_i = 1 to 1e-8",
     worst)
t.ok(r.f <= 1e-16, "newton-cg, extended Rosenbrock: f = 0", r.f)
t.ok(r.iterations <= 150, "newton-cg, extended Rosenbrock: iterations",
     r.iterations)

-- An indefinite Hessian at the start: f = x^4 - x^2 + y^2 has minima at
-- (+-1/sqrt 2, 0) and a saddle at the origin.
local function wshape(x) return x[1]^4 - x[1]^2 + x[2]^2 end
local s2 = 1 / math.sqrt(2)
r = optim.minimize(wshape, {0.1, 0.3}, {method = "newton", gtol = 1e-10})
t.is(r.status, "converged", "newton, indefinite start: converged")
near(r.x, {s2, 0}, 1e-9, "newton, indefinite start: the minimum (1/sqrt 2, 0)")
t.close(r.f, -0.25, 1e-14, "newton, indefinite start: f = -1/4")
t.ok(r.notes.hessian_modified,
     "newton, indefinite start: notes.hessian_modified")
r = optim.minimize(wshape, {-0.1, 0.3}, {method = "newton-cg", gtol = 1e-10})
t.is(r.status, "converged", "newton-cg, indefinite start: converged")
near(r.x, {-s2, 0}, 1e-9, "newton-cg, indefinite start: the minimum")
t.ok(r.notes.hessian_modified,
     "newton-cg, indefinite start: negative curvature noted")

-- A saddle: from (0, 0.5) the x-gradient is 0 and both methods reach the
-- origin; escape steps out along negative curvature.
for _, m in ipairs {"newton", "newton-cg"} do
  for _, x0s in ipairs {{0, 0.5}, {0, 0}} do
    local tag = string.format("%s from (%g, %g)", m, x0s[1], x0s[2])
    r = optim.minimize(wshape, x0s, {method = m, gtol = 1e-10})
    t.is(r.status, "converged", tag .. ": converged")
    near({math.abs(r.x[1]), r.x[2]}, {s2, 0}, 1e-9,
         tag .. ": a minimum, not the saddle")
    t.ok(r.notes.negative_curvature, tag .. ": notes.negative_curvature")
  end
end
-- A saddle in three dimensions, two eigenvalues negative, f = 5 there.
local function saddle3(x)
  return (x[1]^2 - 1)^2 + 2.5 * x[2]^2 + (x[3]^2 - 2)^2 + x[1] * x[2]
end
r = optim.minimize(saddle3, {0, 0, 0}, {method = "newton", gtol = 1e-10})
t.is(r.status, "converged", "newton, saddle in 3-d: converged")
t.ok(r.f < 0.5, "newton, saddle in 3-d: below the saddle's f = 5", r.f)

-- maximize: a concave quadratic in one Newton step.
local function cap(x) return -(x[1] - 1.25)^2 - 2 * (x[2] + 2.5)^2 + 5 end
r = optim.minimize(cap, {0.3, 0.7}, {method = "newton", maximize = true})
t.is(r.iterations, 1, "newton, maximize: one iteration")
near(r.x, {1.25, -2.5}, 1e-12, "newton, maximize: the maximiser")
t.close(r.f, 5, 1e-15, "newton, maximize: f is the function's own value")

-- Nelder-Mead: no derivatives.
r = optim.minimize(rosen, {-1.2, 1}, {method = "nelder-mead"})
t.is(r.status, "converged", "nelder-mead, Rosenbrock: converged")
t.ok(r.message:find("simplex", 1, true) ~= nil,
     "nelder-mead: its own test named in the message")
near(r.x, {1, 1}, 1e-4, "nelder-mead, Rosenbrock: the minimiser to 1e-4")
t.ok(r.iterations <= 300, "nelder-mead, Rosenbrock: iterations", r.iterations)
t.is(r.evaluations.hess, 0, "nelder-mead: no Hessian")
t.ok(r.evaluations.grad <= 2, "nelder-mead: no gradients of its own",
     r.evaluations.grad)
t.ok(r.evaluations.f > r.iterations, "nelder-mead: f evaluations counted")

r = optim.minimize(quad, {0.4, -0.9, 2.2}, {method = "nelder-mead"})
t.is(r.status, "converged", "nelder-mead, quadratic: converged")
near(r.x, xstar, 1e-6, "nelder-mead, quadratic: the minimiser")
t.close(r.f, fstar, 1e-12, "nelder-mead, quadratic: the minimum")

-- Non-smooth: |x - 0.7| + |y + 1.3| has a kink at its minimum.
local function kink(x) return math.abs(x[1] - 0.7) + math.abs(x[2] + 1.3) end
r = optim.minimize(kink, {2.1, 0.4}, {method = "nelder-mead"})
t.is(r.status, "converged", "nelder-mead, |x| + |y|: converged")
near(r.x, {0.7, -1.3}, 1e-6, "nelder-mead, |x| + |y|: the kink")
t.ok(r.f <= 1e-6, "nelder-mead, |x| + |y|: f = 0", r.f)
r = optim.minimize(function(x) return math.abs(x[1]) + math.abs(x[2]) end,
                   {1.3, -0.7}, {method = "nelder-mead"})
near(r.x, {0, 0}, 1e-6, "nelder-mead, |x| + |y| at the origin")

-- maximize, one dimension, traces and reproducibility.
r = optim.minimize(function(x) return -(x[1] - 1)^2 - 2 * (x[2] + 2)^2 + 5 end,
                   {0, 0}, {method = "nelder-mead", maximize = true})
t.is(r.status, "converged", "nelder-mead, maximize: converged")
near(r.x, {1, -2}, 1e-5, "nelder-mead, maximize: the maximiser")
t.close(r.f, 5, 1e-10, "nelder-mead, maximize: the maximum")
r = optim.minimize(function(x) return (x[1] - 2.5)^2 end, {0},
                   {method = "nelder-mead"})
near(r.x, {2.5}, 1e-6, "nelder-mead, n = 1 from 0")
r = optim.minimize(rosen, {-1.2, 1}, {method = "nelder-mead", trace = true})
local mono = true
for i = 2, #r.trace do mono = mono and r.trace[i].f <= r.trace[i - 1].f end
t.ok(mono, "nelder-mead: the best vertex never gets worse")
local function run()
  local q = optim.minimize(rosen, {-1.2, 1}, {method = "nelder-mead",
                                              maxiter = 60})
  return string.format("%.17g %.17g %.17g", q.x[1], q.x[2], q.f)
end
t.is(run(), run(), "nelder-mead: bit-identical results in two runs")

-- Every method on every standard problem with a known minimum, from its
-- standard start. From there Freudenstein-Roth leads every method to
-- its local minimum 48.98..., and Nelder-Mead stops on Box 3-D's flat
-- valley (x2 -> infinity), a degenerate stationary point.
local P = require "problems"
local localmin = {
  freudenstein_roth = {newton = 48.98425367924, ["newton-cg"] = 48.98425367924,
                       ["nelder-mead"] = 48.98425367924},
  box3d = {["nelder-mead"] = 0.0755887407549974},
}
for _, p in ipairs(P.scalar) do
  if p.fstar and not p.data then
    for _, m in ipairs {"newton", "newton-cg", "nelder-mead"} do
      local q = optim.minimize(p.f, p.x0, {method = m})
      local want = localmin[p.name] and localmin[p.name][m] or p.fstar
      t.ok(q.status == "converged" and
           math.abs(q.f - want) <= 1e-7 * (1 + math.abs(want)),
           string.format("%s on %s: converged to f = %.6g", m, p.name, want),
           string.format("%s, f = %.17g after %d iterations", q.status, q.f,
                         q.iterations))
    end
  end
end

-- Badly scaled and nearly singular Hessians (Moré, Garbow and Hillstrom's
-- problems 3, 10, 18 and 19, from their standard starts, gtol 1e-8): the
-- Hessian is scaled before it is modified, so newton no longer shifts its
-- way to steps of nothing.
local exp = math.exp
local function sumsq(r)
  local s = 0
  for i = 1, #r do s = s + r[i] * r[i] end
  return s
end
local function powell_bs(x)
  return sumsq {1e4 * x[1] * x[2] - 1, exp(-x[1]) + exp(-x[2]) - 1.0001}
end
local meyer_y = {34780, 28610, 23650, 19630, 16370, 13720, 11540, 9744, 8261,
                 7030, 6005, 5147, 4427, 3820, 3307, 2872}
local function meyer(x)
  local r = {}
  for i = 1, 16 do
    r[i] = x[1] * exp(x[2] / (45 + 5 * i + x[3])) - meyer_y[i]
  end
  return sumsq(r)
end
local function biggs(x)
  local r = {}
  for i = 1, 13 do
    local s = 0.1 * i
    r[i] = x[3] * exp(-s * x[1]) - x[4] * exp(-s * x[2]) +
           x[6] * exp(-s * x[5]) -
           (exp(-s) - 5 * exp(-10 * s) + 3 * exp(-4 * s))
  end
  return sumsq(r)
end
local osb2_y = {1.366, 1.191, 1.112, 1.013, 0.991, 0.885, 0.831, 0.847,
                0.786, 0.725, 0.746, 0.679, 0.608, 0.655, 0.616, 0.606,
                0.602, 0.626, 0.651, 0.724, 0.649, 0.649, 0.694, 0.644,
                0.624, 0.661, 0.612, 0.558, 0.533, 0.495, 0.500, 0.423,
                0.395, 0.375, 0.372, 0.391, 0.396, 0.405, 0.428, 0.429,
                0.523, 0.562, 0.607, 0.653, 0.672, 0.708, 0.633, 0.668,
                0.645, 0.632, 0.591, 0.559, 0.597, 0.625, 0.739, 0.710,
                0.729, 0.720, 0.636, 0.581, 0.428, 0.292, 0.162, 0.098,
                0.054}
local function osborne2(x)
  local r = {}
  for i = 1, 65 do
    local s = (i - 1) / 10
    r[i] = osb2_y[i] - (x[1] * exp(-s * x[5]) +
                        x[2] * exp(-(s - x[9])^2 * x[6]) +
                        x[3] * exp(-(s - x[10])^2 * x[7]) +
                        x[4] * exp(-(s - x[11])^2 * x[8]))
  end
  return sumsq(r)
end
local hard = {
  {"Powell badly scaled", powell_bs, {0, 1}, 0, 150},
  {"Meyer", meyer, {0.02, 4000, 250}, 87.9458551706, 300},
  {"Biggs EXP6", biggs, {1, 2, 1, 1, 1, 1}, 0, 100},
  {"Osborne 2", osborne2, {1.3, 0.65, 0.65, 0.7, 0.6, 3, 5, 7, 2, 4.5, 5.5},
   4.01377362935477e-2, 50},
}
for _, h in ipairs(hard) do
  local name, f, x0s, want, most = h[1], h[2], h[3], h[4], h[5]
  r = optim.minimize(f, x0s, {method = "newton", gtol = 1e-8,
                              maxiter = 20000})
  t.ok(math.abs(r.f - want) <= math.max(1e-6 * want, 1e-10),
       string.format("newton, %s: f = %.6g", name, want),
       string.format("%s, f = %.17g", r.status, r.f))
  t.ok(r.iterations <= most, string.format("newton, %s: at most %d "
       .. "iterations", name, most), r.iterations)
  t.ok(r.status == "converged" or r.status == "line_search_failed",
       "newton, " .. name .. ": converged or stopped at rounding", r.status)
  t.ok(r.notes.hessian_modified, "newton, " .. name .. ": Hessian modified")
end
r = optim.minimize(powell_bs, {0, 1}, {method = "newton", gtol = 1e-8,
                                       maxiter = 20000})
t.is(r.status, "converged", "newton, Powell badly scaled: converged")
t.ok(math.abs(r.x[1] / 1.098159329699e-5 - 1) <= 1e-6,
     "newton, Powell badly scaled: x1 of the minimiser to 1e-6", r.x[1])
t.close(r.x[2], 9.106146739867, 1e-9,
        "newton, Powell badly scaled: x2 of the minimiser")
t.ok(r.evaluations.f <= 2 * r.iterations,
     "newton, Powell badly scaled: steps taken, not searched for",
     r.evaluations.f)
r = optim.minimize(meyer, {0.02, 4000, 250}, {method = "newton-cg",
                                              gtol = 1e-8, maxiter = 20000})
t.ok(math.abs(r.f - 87.9458551706) <= 1e-6 * 87.95,
     "newton-cg, Meyer: f = 87.9459 (CG tightened after stalls)",
     string.format("%s, f = %.17g after %d iterations", r.status, r.f,
                   r.iterations))

-- A positive definite Hessian is used as it is, however badly scaled
-- (curvatures 1e10 apart) or nearly singular (eigenvalues 2e9 apart).
r = optim.minimize(function(x)
  return 1e5 * (x[1] - 0.385)^2 + 1e-5 * (x[2] + 2.125)^2 +
         3e-3 * (x[1] - 0.385) * (x[2] + 2.125)
end, {1.5, 7.25}, {method = "newton"})
t.is(r.iterations, 1, "newton, badly scaled quadratic: one iteration")
near(r.x, {0.385, -2.125}, 1e-9,
     "newton, badly scaled quadratic: the minimiser")
t.ok(not r.notes.hessian_modified,
     "newton, badly scaled quadratic: Hessian not modified")
r = optim.minimize(function(x)
  local u, v = x[1] - 1.25, x[2] + 0.75
  return 0.5 * (u * u + v * v) + (1 - 1e-9) * u * v
end, {-2.5, 3.125}, {method = "newton"})
t.is(r.iterations, 1, "newton, nearly singular quadratic: one iteration")
near(r.x, {1.25, -0.75}, 1e-6,
     "newton, nearly singular quadratic: the minimiser")
t.ok(not r.notes.hessian_modified,
     "newton, nearly singular quadratic: Hessian not modified")

-- Where gtol cannot be reached (0 here: the gradient stays at the rounding
-- of x), both methods stop in a few iterations with status
-- "line_search_failed" and the best point, not at maxiter.
local function level(x)
  return exp(x[1]) - 2.385 * x[1] + 1e6 * (x[2] - 1 / 3)^2 +
         0.5 * (x[1] - x[2])^2
end
for _, m in ipairs {"newton", "newton-cg"} do
  r = optim.minimize(level, {0.7, -0.4}, {method = m, gtol = 0,
                                          maxiter = 20000})
  t.is(r.status, "line_search_failed", m .. ", gtol 0: line_search_failed")
  t.ok(r.iterations <= 12, m .. ", gtol 0: stops within 12 iterations",
       r.iterations)
  t.ok(r.gnorm <= 1e-9, m .. ", gtol 0: at the minimum to rounding",
       r.gnorm)
end

-- The methods are listed by name.
t.error_like("nelder-mead",
  function() optim.minimize(quad, {0, 0, 0}, {method = "simplex"}) end)
for _, m in ipairs {"newton", "newton-cg"} do
  t.error_like(m .. ",",
    function() optim.minimize(quad, {0, 0, 0}, {method = "Newton"}) end)
end

t.done()
