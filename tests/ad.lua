-- ad.lua: slope.ad's derivatives on every problem of tests/problems.lua,
-- against the analytic derivatives (to 1e-12, relative to max(1, |value|)
-- per component, as tap.close measures) and against slope.numdiff's
-- Richardson differences (to 1e-7); then ad.check.
local t = require "tap"
local slope = require "slope"
local ad = require "slope.ad"
local nd = require "slope.numdiff"
local P = require "problems"

local ok, is, error_like = t.ok, t.is, t.error_like
local select, pcall, type, tostring = select, pcall, type, tostring
local format, unpack = string.format, table.unpack
local abs, max, huge = math.abs, math.max, math.huge

local EXACT = 1e-12   -- automatic differentiation against analytic
local FD = 1e-7       -- against finite differences

-- The worst relative discrepancy of got against want, which is a number,
-- an array of numbers or an array of rows (nested as deep as need be); got
-- is anything indexable the same way (a vec, a mat, a Lua table).  err,
-- when given, has the shape of want and holds error estimates (numdiff's)
-- that are forgiven.  Raises when the shapes differ.
local function worst(got, want, err, where)
  where = where or ""
  if type(want) == "number" then
    if type(got) ~= "number" then
      error(format("%s: number expected, got %s", where, type(got)), 0)
    end
    local d = max(0, abs(got - want) - abs(err or 0)) / max(1, abs(want))
    if d ~= d then d = huge end
    return d, where, got, want, err
  end
  if got == nil then error(format("%s: nothing to compare", where), 0) end
  local n = #got
  if n ~= #want then
    error(format("%s: length %d, want %d", where, n, #want), 0)
  end
  local w, ww, wg, wv, we = -1, where, nil, nil, nil
  for i = 1, n do
    local d, at, g, v, e = worst(got[i], want[i], err and err[i],
                                 where .. "[" .. i .. "]")
    if d > w then w, ww, wg, wv, we = d, at, g, v, e end
  end
  return w, ww, wg, wv, we
end

-- One test line: got (or a function computing it, whose error fails the
-- test) agrees with want to the relative tolerance tol, beyond the error
-- estimates err if any.  Returns got.
local function agree_err(name, tol, want, err, got, ...)
  if select("#", ...) > 0 and type(got) ~= "function" then
    return ok(false, name, "not a function: " .. tostring(got)), nil
  end
  if type(got) == "function" then
    local okc, v = pcall(got, ...)
    if not okc then return ok(false, name, "raised: " .. tostring(v)), nil end
    got = v
  end
  local okc, d, at, g, v, e = pcall(worst, got, want, err)
  if not okc then return ok(false, name, "shape: " .. tostring(d)), got end
  return ok(d <= tol, name,
            format("worst at %s: got %.17g, want %.17g%s (rel %.3g > %g)",
                   at, g or 0 / 0, v or 0 / 0,
                   e and format(" +- %.3g", e) or "", d, tol)), got
end

local function agree(name, tol, want, got, ...)
  return agree_err(name, tol, want, nil, got, ...)
end

-- Call f(...) and return its results, or nothing after failing a test
-- named name when it raises.
local function try(name, f, ...)
  local r = table.pack(pcall(f, ...))
  if r[1] then return unpack(r, 2, r.n) end
  ok(false, name, "raised: " .. tostring(r[2]))
end

local function skip(name, why) ok(true, name .. " # SKIP " .. why) end

-- Matrix times vector and dot product on Lua arrays.
local function matvec(A, v)
  local r = {}
  for i = 1, #A do
    local s = 0
    for j = 1, #v do s = s + A[i][j] * v[j] end
    r[i] = s
  end
  return r
end

local function dot(a, b)
  local s = 0
  for i = 1, #a do s = s + a[i] * b[i] end
  return s
end

-- Directions of high entropy for hvp and dirderiv, from the problems' LCG.
local direction
do
  local u = P.lcg(8675309)
  local cache = {}
  function direction(n, which)
    local key = n .. ":" .. which
    if not cache[key] then
      local d = {}
      for i = 1, n do d[i] = 3 * u() - 1.5 end
      cache[key] = d
    end
    return cache[key]
  end
end

-- The Jacobian of a vector function G (returning an indexable of m values)
-- at x by numdiff, row by row.
local function nd_jacobian(G, x, m)
  local J, E = {}, {}
  for i = 1, m do
    J[i], E[i] = nd.grad(function(y) return G(y)[i] end, x)
  end
  return J, E
end

---------------------------------------------------------------------------
-- The library itself.

ok(#P.scalar >= 25, format("at least 25 scalar problems (%d)", #P.scalar))
ok(#P.vector >= 3, format("at least 3 vector problems (%d)", #P.vector))
for _, p in ipairs(P.scalar) do
  local data = p.data or {}
  local shapes = #p.points >= 2
  for _, x in ipairs(p.points) do shapes = shapes and #x == p.n end
  ok(shapes, p.name .. ": points of length n")
  if p.xstar then
    agree(p.name .. ": f(x*) = f*", EXACT, p.fstar, p.f(p.xstar, unpack(data)))
    agree(p.name .. ": grad(x*) = 0", 1e-9, (function()
      local z = {}
      for i = 1, p.n do z[i] = 0 end
      return z
    end)(), p.grad(p.xstar, unpack(data)))
  end
end

---------------------------------------------------------------------------
-- Scalar problems: every entry point of slope.ad at every point.

local function scalar_problem(p)
  local n, f = p.n, p.f
  local data = p.data or {}
  local nd_data = #data
  local fx = function(y) return f(y, unpack(data, 1, nd_data)) end
  local v, d = direction(n, 1), direction(n, 2)

  local F = try(p.name .. ": ad.compile", ad.compile, f, n,
                p.data and { data = p.data } or nil)
  if F then
    ok(F.n == n and math.type(F.nodes) == "integer" and F.nodes > 0
       and F.bytes > 0, p.name .. ": F.n, F.nodes, F.bytes",
       format("n %s nodes %s bytes %s", tostring(F.n), tostring(F.nodes),
              tostring(F.bytes)))
  end

  for k, x in ipairs(p.points) do
    local name = format("%s at point %d: ", p.name, k)
    local fv = fx(x)
    local g = p.grad(x, unpack(data))
    local H = p.hess(x, unpack(data))
    local Hv, gd = matvec(H, v), dot(g, d)

    local _, adg = agree(name .. "ad.grad", EXACT, g, ad.grad, f, x, unpack(data))
    local _, adH = agree(name .. "ad.hessian", EXACT, H, ad.hessian, f, x,
                         unpack(data))
    agree(name .. "ad.hvp", EXACT, Hv, ad.hvp, f, x, v, unpack(data))
    agree(name .. "ad.dirderiv", EXACT, gd, ad.dirderiv, f, x, d, unpack(data))

    if F then
      agree(name .. "F(x)", EXACT, fv, function() return F(x) end)
      agree(name .. "F:grad", EXACT, g, function() return F:grad(x) end)
      agree(name .. "F:valgrad", EXACT, { fv, g },
            function() return { F:valgrad(x) } end)
      agree(name .. "F:hessian", EXACT, H, function() return F:hessian(x) end)
      agree(name .. "F:hvp", EXACT, Hv, function() return F:hvp(x, v) end)
      -- a second product at the same x reuses the first one's sweeps
      agree(name .. "F:hvp again, another direction", EXACT, matvec(H, d),
            function() return F:hvp(x, d) end)
    end

    -- Finite differences, with the error numdiff estimates forgiven: of f
    -- against the gradient; of the gradient (compiled when there is one,
    -- else analytic) and of f twice against the Hessian.
    if p.kink and p.kink[k] then
      skip(name .. "numdiff.grad", p.kink[k])
      skip(name .. "numdiff of the gradient", p.kink[k])
      skip(name .. "numdiff.hessian", p.kink[k])
    else
      local ng, ne = try(name .. "numdiff.grad", nd.grad, fx, x)
      if ng then
        agree_err(name .. "numdiff.grad ~ " .. (adg and "ad.grad" or "analytic"),
                  FD, adg or g, ne, ng)
      end
      local grad_of = F and function(y) return F:grad(y) end
                      or function(y) return p.grad(y, unpack(data)) end
      local nH, nE = try(name .. "numdiff of the gradient", nd_jacobian,
                         grad_of, x, n)
      if nH then
        agree_err(name .. "numdiff of " .. (F and "F:grad" or "grad") .. " ~ "
                  .. (adH and "ad.hessian" or "analytic"), FD, adH or H, nE, nH)
      end
      local nH2, nE2 = try(name .. "numdiff.hessian", nd.hessian, fx, x)
      if nH2 then
        agree_err(name .. "numdiff.hessian ~ "
                  .. (adH and "ad.hessian" or "analytic"), FD, adH or H,
                  nE2, nH2)
      end
    end
  end

  -- Data problems: refill the parameters with a second data set of the
  -- same shapes, without re-tracing, then go back to the first.
  if p.data2 then
    local data2 = p.data2
    for k, x in ipairs(p.points) do
      local name = format("%s at point %d, second data: ", p.name, k)
      local fv2 = f(x, unpack(data2))
      local g2, H2 = p.grad(x, unpack(data2)), p.hess(x, unpack(data2))
      agree(name .. "ad.grad", EXACT, g2, ad.grad, f, x, unpack(data2))
      agree(name .. "ad.hessian", EXACT, H2, ad.hessian, f, x, unpack(data2))
      if F then
        agree(name .. "F(x, data)", EXACT, fv2,
              function() return F(x, unpack(data2)) end)
        agree(name .. "F:grad", EXACT, g2,
              function() return F:grad(x, unpack(data2)) end)
        agree(name .. "F:valgrad", EXACT, { fv2, g2 },
              function() return { F:valgrad(x, unpack(data2)) } end)
        agree(name .. "F:hessian", EXACT, H2,
              function() return F:hessian(x, unpack(data2)) end)
        agree(name .. "F:hvp", EXACT, matvec(H2, v),
              function() return F:hvp(x, v, unpack(data2)) end)
        agree(format("%s at point %d, first data again: F:hvp", p.name, k),
              EXACT, matvec(p.hess(x, unpack(data)), v),
              function() return F:hvp(x, v, unpack(data)) end)
        agree(format("%s at point %d, first data again: F:grad", p.name, k),
              EXACT, p.grad(x, unpack(data)),
              function() return F:grad(x, unpack(data)) end)
      end
    end
    if F then
      -- data of another shape must be refused, not read past its end
      local X, y = data[1], data[2]
      local short = slope.mat(#X - 1, X.cols, 0.5)
      ok(not pcall(F.grad, F, p.points[2], short, y),
         p.name .. ": F:grad refuses data of another shape")
    end
  end
end

-- A problem that raises outside the checks above fails one test, and the
-- others still run.
for _, p in ipairs(P.scalar) do
  local okc, err = pcall(scalar_problem, p)
  if not okc then ok(false, p.name .. ": ran to the end", tostring(err)) end
end

---------------------------------------------------------------------------
-- Vector-valued problems: Jacobians.

local function vector_problem(p)
  local n, m = p.n, p.m
  local G = try(p.name .. ": ad.compile", ad.compile, p.F, n)
  if G then
    ok(G.n == n and G.m == m, p.name .. ": G.n and G.m",
       format("n %s m %s", tostring(G.n), tostring(G.m)))
  end
  for k, x in ipairs(p.points) do
    local name = format("%s at point %d: ", p.name, k)
    local J = p.jac(x)
    local _, adJ = agree(name .. "ad.jacobian", EXACT, J, ad.jacobian, p.F, x)
    if G then
      agree(name .. "G(x)", EXACT, p.F(x), function() return G(x) end)
      agree(name .. "G:jacobian", EXACT, J, function() return G:jacobian(x) end)
    end
    if p.kink and p.kink[k] then
      skip(name .. "numdiff Jacobian", p.kink[k])
    else
      local nJ, nE = try(name .. "numdiff Jacobian", nd_jacobian, p.F, x, m)
      if nJ then
        agree_err(name .. "numdiff Jacobian ~ "
                  .. (adJ and "ad.jacobian" or "analytic"), FD, adJ or J, nE, nJ)
      end
    end
  end
end

for _, p in ipairs(P.vector) do
  local okc, err = pcall(vector_problem, p)
  if not okc then ok(false, p.name .. ": ran to the end", tostring(err)) end
end

---------------------------------------------------------------------------
-- Functions of one number: ad.derivative.

for _, p in ipairs(P.univariate) do
  for _, x in ipairs(p.points) do
    local name = format("%s at %g: ", p.name, x)
    local _, d = agree(name .. "ad.derivative", EXACT, p.df(x),
                       ad.derivative, p.f, x)
    local nv, ne = try(name .. "numdiff.derivative", nd.derivative, p.f, x)
    if nv then
      agree_err(name .. "numdiff.derivative ~ "
                .. (type(d) == "number" and "ad.derivative" or "analytic"), FD,
                type(d) == "number" and d or p.df(x), ne, nv)
    end
  end
end

---------------------------------------------------------------------------
-- ad.check.

local rb = P.byname.rosenbrock
local x = { -1.2, 1 }

do
  local r = try("ad.check, no options", ad.check, rb.f, x)
  if r then
    ok(r.ok, "ad.check passes the tape alone", tostring(r))
    is(#r.bad, 0, "ad.check: no bad component")
    ok(type(r.max.reverse_forward) == "number"
       and type(r.max.reverse_numeric) == "number"
       and r.max.user_numeric == nil,
       "ad.check: the discrepancies of the comparisons made")
    ok(tostring(r):find("ok", 1, true), "ad.check: tostring says ok",
       tostring(r))
  end
end

do
  local r = try("ad.check, a correct user gradient", ad.check, rb.f,
                slope.vec(x), { grad = rb.grad })
  if r then
    ok(r.ok, "ad.check passes a correct user gradient", tostring(r))
    ok(r.max.user_numeric < 1e-8 and r.max.user_reverse < 1e-12,
       "ad.check: user gradient discrepancies", tostring(r))
  end
end

do
  -- a gradient with its second component wrong: 200 (x2 - x1^2) halved
  local function wrong(y)
    local g = rb.grad(y)
    g[2] = g[2] / 2
    return g
  end
  local r = try("ad.check, a wrong user gradient", ad.check, rb.f, x,
                { grad = wrong })
  if r then
    ok(not r.ok, "ad.check catches a wrong component")
    is(#r.bad, 1, "ad.check: one bad component")
    local b = r.bad[1] or {}
    is(b.index, 2, "ad.check: the bad component is 2")
    agree("ad.check: bad.user", EXACT, wrong(x)[2], b.user)
    agree("ad.check: bad.reverse", EXACT, rb.grad(x)[2], b.reverse)
    agree("ad.check: bad.forward", EXACT, rb.grad(x)[2], b.forward)
    agree("ad.check: bad.numeric", FD, rb.grad(x)[2], b.numeric)
    local msg = tostring(r)
    ok(msg:find("component 2: user gradient -44 but finite differences -88",
                1, true), "ad.check names the component in words", msg)
    ok(not msg:find("component 1", 1, true),
       "ad.check does not name a good component", msg)
    is(r.message, msg, "ad.check: report.message is tostring(report)")
  end
end

do
  -- every problem's analytic gradient passes at every smooth point
  local failures = {}
  for _, p in ipairs(P.scalar) do
    for k, y in ipairs(p.points) do
      if not (p.kink and p.kink[k]) then
        local okc, r = pcall(ad.check, p.f, y, { grad = p.grad, data = p.data })
        if not okc or not r.ok then
          failures[#failures + 1] = format("%s at point %d: %s", p.name, k,
                                           tostring(r))
        end
      end
    end
  end
  ok(#failures == 0, "ad.check passes every problem's analytic gradient",
     table.concat(failures, "\n"))
end

do
  -- f cannot be traced (it branches on x[1]): the user gradient is still
  -- held to finite differences, and the report says why there is no tape
  local function branchy(y)
    if y[1] > 0 then return y[1]^2 * y[2] end
    return -y[1] * y[2]
  end
  local function branchy_grad(y)
    return { 2 * y[1] * y[2], y[1]^2 }
  end
  local r = try("ad.check of an untraceable f", ad.check, branchy,
                { 1.3718, -0.6425 }, { grad = branchy_grad })
  if r then
    ok(r.ok and r.trace_error and r.reverse == nil,
       "ad.check falls back to finite differences when f cannot be traced",
       tostring(r))
    ok(tostring(r):find("cannot trace", 1, true),
       "ad.check says f cannot be traced", tostring(r))
  end
  local r2 = try("ad.check of an untraceable f, no gradient", ad.check,
                 branchy, { 1.3718, -0.6425 })
  if r2 then ok(not r2.ok, "ad.check with nothing to compare is not ok") end
end

do
  -- a faulty forward mode and an asymmetric Hessian, planted for a moment
  -- in slope.ad's table (ad.check looks them up on every call)
  local dirderiv, hessian = ad.dirderiv, ad.hessian
  ad.dirderiv = function(f, y, e, ...)
    local dd = dirderiv(f, y, e, ...)
    return e[1] == 1 and dd * 1.001 or dd
  end
  local okc, r = pcall(ad.check, rb.f, x)
  ad.dirderiv = dirderiv
  ok(okc and not r.ok and #r.bad == 1 and r.bad[1].index == 1
     and tostring(r):find("component 1: reverse mode -215.6 but forward mode -215.816",
                          1, true),
     "ad.check catches forward mode disagreeing with reverse mode",
     tostring(r))
  ad.hessian = function(...)
    local H = hessian(...)
    H[1][2] = H[1][2] + 0.25
    return H
  end
  okc, r = pcall(ad.check, rb.f, x)
  ad.hessian = hessian
  ok(okc and not r.ok and #r.bad == 0 and #r.asymmetric == 1
     and tostring(r):find("Hessian entries (1,2) = 480.25 but (2,1) = 480", 1, true),
     "ad.check catches an asymmetric Hessian", tostring(r))
end

do
  -- data arguments
  local lr = P.byname.logistic_regression
  local r = try("ad.check with data", ad.check, lr.f, lr.points[2],
                { grad = lr.grad, data = lr.data2 })
  if r then ok(r.ok, "ad.check with opts.data", tostring(r)) end
end

-- Argument errors.
local g2 = function() return { 1, 2 } end
error_like("bad argument #1 to 'check' (function expected, got nil)",
           ad.check, nil, x)
error_like("bad argument #2 to 'check' (vector expected, got string)",
           ad.check, rb.f, "1.5")
error_like("bad argument #2 to 'check' (vector expected, got nil)",
           ad.check, rb.f)
error_like("bad argument #2 to 'check' (number expected at index 2, got string)",
           ad.check, rb.f, { 1.5, "a" })
error_like("bad argument #2 to 'check' (vector of at least one number expected)",
           ad.check, rb.f, {})
error_like("bad argument #3 to 'check' (table expected, got number)",
           ad.check, rb.f, x, 1e-6)
error_like("bad argument #3 to 'check' (field 'grad' must be a function, got table)",
           ad.check, rb.f, x, { grad = { 1, 2 } })
error_like("bad argument #3 to 'check' (field 'tol' must be a positive number, got -0.001)",
           ad.check, rb.f, x, { tol = -0.001 })
error_like("bad argument #3 to 'check' (field 'tol' must be a positive number, got string)",
           ad.check, rb.f, x, { tol = "1e-6" })
error_like("bad argument #3 to 'check' (field 'data' must be a table, got number)",
           ad.check, rb.f, x, { grad = g2, data = 2.5 })
error_like("check: f returned nil, expected a number",
           ad.check, function() end, x)
error_like("check: user gradient returned 3 components, expected 2",
           ad.check, rb.f, x, { grad = function() return { 1, 2, 3 } end })
error_like("check: user gradient returned number, expected a vector",
           ad.check, rb.f, x, { grad = function() return 2.5 end })
error_like("check: user gradient: number expected at index 2, got boolean",
           ad.check, rb.f, x, { grad = function() return { 1.5, true } end })

t.done()
