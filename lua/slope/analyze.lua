-- analyze.lua: slope.analyze, what to look at in a function before
-- optimising it.
--
--   analyze.classify(f, x [, opts])     the kind of x from the Hessian
--   analyze.stationary(f, box [, opts]) every stationary point in a box
--   analyze.convex(f, box [, opts])     a sampled convexity test
--   analyze.taylor(f, x [, order])      the Taylor polynomial, callable
--   analyze.limit(f, x [, opts])        f'(x) as the limit of quotients
--
-- f is traced once (slope.ad); the searches run in C (src/analyze.c) on
-- the tape. classify and taylor fall back to numerical derivatives
-- (slope.numdiff) when f cannot be traced, and say so in the result;
-- stationary, convex and limit need the exact derivatives and raise the
-- tracing error. A box is {{a1, b1}, {a2, b2}, ...} or {lower = {...},
-- upper = {...}}; {a, b} of two numbers is the box of a function of one
-- number. A number x is the point of a function of one number.
local type, error, pcall, setmetatable, getmetatable, tostring =
      type, error, pcall, setmetatable, getmetatable, tostring
local rawget, next, ipairs, require = rawget, next, ipairs, require
local format, concat, sort = string.format, table.concat, table.sort
local abs, huge, mtype = math.abs, math.huge, math.type

local core = require "slope.core"
local native = core.analyze
local vec, isvec, ismat = core.vec.vec, core.vec.isvec, core.vec.ismat

local analyze = {}

-- {======================================================
-- Arguments
-- =======================================================

local function kindname(v)
  if isvec(v) then return "vec" end
  if ismat(v) then return "mat" end
  return type(v)
end

-- Messages name the function the same way however it was reached.
local function argerror(fname, arg, msg)
  error(format("bad argument #%d to '%s' (%s)", arg, fname, msg), 0)
end

local function typeerror(fname, arg, expected, v)
  argerror(fname, arg, format("%s expected, got %s", expected, kindname(v)))
end

local function iscompiled(f)
  local mt = type(f) == "userdata" and getmetatable(f)
  return type(mt) == "table" and rawget(mt, "__name") == "slope.ad.fn"
end

local function checkfunction(fname, f)
  if type(f) ~= "function" and not iscompiled(f) then
    typeerror(fname, 1, "function", f)
  end
end

-- The point: a number (f takes a number) or a vector / array of numbers,
-- as a fresh vector; and whether it was a number.
local function checkpoint(fname, arg, x)
  if mtype(x) then
    if x ~= x or abs(x) == huge then argerror(fname, arg, "finite number expected") end
    return vec{x}, true
  end
  if isvec(x) then
    if #x == 0 then argerror(fname, arg, "non-empty vector expected") end
    return x:copy(), false
  end
  if type(x) ~= "table" then typeerror(fname, arg, "number or vector", x) end
  local n = #x
  if n == 0 then argerror(fname, arg, "non-empty vector expected") end
  for i = 1, n do
    if not mtype(x[i]) then
      argerror(fname, arg, format("number expected at [%d], got %s", i, kindname(x[i])))
    end
  end
  return vec(x), false
end

-- opts: nil or a table with only the names given.
local function checkopts(fname, arg, opts, names)
  if opts == nil then return {} end
  if type(opts) ~= "table" then typeerror(fname, arg, "table or nil", opts) end
  for k in next, opts do
    if not names[k] then
      local list = {}
      for name in next, names do list[#list + 1] = "'" .. name .. "'" end
      sort(list)
      local expected = #list == 1 and list[1] or
        concat(list, ", ", 1, #list - 1) .. " or " .. list[#list]
      argerror(fname, arg, format("unknown option %s (expected %s)",
        type(k) == "string" and "'" .. k .. "'" or tostring(k), expected))
    end
  end
  return opts
end

local function numberopt(fname, arg, opts, k)
  local v = opts[k]
  if v == nil then return nil end
  if not mtype(v) or v ~= v or v < 0 or v == huge then
    argerror(fname, arg, format("field '%s' must be a non-negative number, got %s",
                                k, mtype(v) and tostring(v) or kindname(v)))
  end
  return v
end

local function countopt(fname, arg, opts, k, def, min, max)
  local v = opts[k]
  if v == nil then return def end
  if mtype(v) ~= "integer" and not (mtype(v) == "float" and v == v // 1 and abs(v) < 2^53) then
    argerror(fname, arg, format("field '%s' must be an integer, got %s", k,
                                mtype(v) and tostring(v) or kindname(v)))
  end
  v = v // 1 | 0
  if v < min then
    argerror(fname, arg, format("field '%s' must be at least %d, got %d", k, min, v))
  end
  if max and v > max then
    argerror(fname, arg, format("field '%s' must be at most %d, got %d", k, max, v))
  end
  return v
end

-- The box: lower and upper vectors, and whether f takes a number.
local boxform = "box {{a1, b1}, {a2, b2}, ...} expected"
local function checkbox(fname, arg, box)
  if type(box) ~= "table" then
    argerror(fname, arg, format("%s, got %s", boxform, kindname(box)))
  end
  local lo, hi, scalar = {}, {}, false
  if rawget(box, "lower") ~= nil or rawget(box, "upper") ~= nil then
    local l, u = rawget(box, "lower"), rawget(box, "upper")
    if not (isvec(l) or type(l) == "table") or not (isvec(u) or type(u) == "table")
       or #l ~= #u then
      argerror(fname, arg, "box.lower and box.upper must be vectors of one length")
    end
    for i = 1, #l do lo[i], hi[i] = l[i], u[i] end
  elseif #box == 2 and mtype(box[1]) and mtype(box[2]) then
    lo[1], hi[1], scalar = box[1], box[2], true
  else
    for i = 1, #box do
      local e = box[i]
      if type(e) ~= "table" or #e ~= 2 then
        argerror(fname, arg, format("%s: entry %d is not a pair {a, b}", boxform, i))
      end
      lo[i], hi[i] = e[1], e[2]
    end
  end
  if #lo == 0 then argerror(fname, arg, format("%s, got an empty table", boxform)) end
  for i = 1, #lo do
    local a, b = lo[i], hi[i]
    if not (mtype(a) and mtype(b) and abs(a) < huge and abs(b) < huge) then
      argerror(fname, arg, format("box: finite bounds expected in entry %d", i))
    end
    if not (a < b) then
      argerror(fname, arg, format("box: entry %d must have a < b, got {%s, %s}",
                                  i, tostring(a), tostring(b)))
    end
  end
  return vec(lo), vec(hi), scalar
end

-- }======================================================

-- {======================================================
-- Tracing
-- =======================================================

-- A function of one number is traced as one of a vector of length 1; the
-- wrapper is kept per function so the trace cache finds it again.
local wrappers = setmetatable({}, { __mode = "k" })
local function asvector(f)
  local g = wrappers[f]
  if not g then
    g = function(v) return f(v[1]) end
    wrappers[f] = g
  end
  return g
end

-- The compiled f for n inputs: true, F; or false and why it cannot be
-- traced. A compiled function of the wrong shape is the caller's mistake.
local function compile(fname, f, n, scalar)
  if iscompiled(f) then return true, native.compile(f, n, fname) end
  return pcall(native.compile, scalar and asvector(f) or f, n, fname)
end

-- The compiled f, or raise: these searches need the exact derivatives.
local function mustcompile(fname, f, n, scalar)
  local ok, F = compile(fname, f, n, scalar)
  if not ok then
    error(format("%s: f could not be traced, and %s needs its exact "
                 .. "derivatives: %s", fname, fname, tostring(F)), 0)
  end
  return F
end

-- f's value, gradient and Hessian by numerical differentiation.
local function numerical(fname, f, x, scalar)
  local numdiff = require "slope.numdiff"
  local g = scalar and asvector(f) or f
  local fx = g(x:copy())
  if not mtype(fx) then
    error(format("%s: f returned a %s, not a number", fname, kindname(fx)), 0)
  end
  return fx, numdiff.grad(g, x), numdiff.hessian(g, x)
end

local function fallbacknote(why)
  return "f could not be traced, so its derivatives were taken numerically: "
         .. tostring(why)
end

-- }======================================================

-- {======================================================
-- classify
-- =======================================================

local classify_opts = { tol = true, gtol = true }

function analyze.classify(f, x, opts)
  checkfunction("classify", f)
  local xv, scalar = checkpoint("classify", 2, x)
  opts = checkopts("classify", 3, opts, classify_opts)
  local tol = numberopt("classify", 3, opts, "tol")
  local gtol = numberopt("classify", 3, opts, "gtol")
  local ok, F = compile("classify", f, #xv, scalar)
  local r
  if ok then
    r = native.classify(F, xv, tol, gtol)
    r.derivatives = "ad"
  else
    local fx, g, h = numerical("classify", f, xv, scalar)
    r = native.classify_matrix(xv, fx, g, h, tol, gtol)
    r.derivatives = "numeric"
    r.note = r.note and r.note .. "; " .. fallbacknote(F) or fallbacknote(F)
  end
  if scalar then
    r.x, r.grad, r.hessian = x, r.grad[1], r.hessian[1][1]
  end
  return r
end

-- }======================================================

-- {======================================================
-- stationary and convex
-- =======================================================

local stationary_opts = { starts = true, seed = true, maxiter = true,
                          gtol = true, xtol = true, tol = true, method = true }
local methods = { hybridsj = true, newton = true }

function analyze.stationary(f, box, opts)
  checkfunction("stationary", f)
  local lo, hi, scalar = checkbox("stationary", 2, box)
  opts = checkopts("stationary", 3, opts, stationary_opts)
  local n = #lo
  local starts = countopt("stationary", 3, opts, "starts", 100 * n, 1, 100000000)
  local seed = countopt("stationary", 3, opts, "seed", 1, 0)
  local maxiter = countopt("stationary", 3, opts, "maxiter", 200, 1)
  local method = opts.method or "hybridsj"
  if not methods[method] then
    argerror("stationary", 3, "field 'method' must be \"hybridsj\" or \"newton\"")
  end
  local F = mustcompile("stationary", f, n, scalar)
  local r = native.stationary(F, lo, hi, starts, seed, maxiter,
                              numberopt("stationary", 3, opts, "gtol"),
                              numberopt("stationary", 3, opts, "xtol"),
                              numberopt("stationary", 3, opts, "tol"), method)
  if scalar then
    for _, p in ipairs(r) do p.x = p.x[1] end
  end
  return r
end

local convex_opts = { samples = true, seed = true, tol = true }

function analyze.convex(f, box, opts)
  checkfunction("convex", f)
  local lo, hi, scalar = checkbox("convex", 2, box)
  opts = checkopts("convex", 3, opts, convex_opts)
  local samples = countopt("convex", 3, opts, "samples", 1000, 1)
  local seed = countopt("convex", 3, opts, "seed", 1, 0)
  local F = mustcompile("convex", f, #lo, scalar)
  local r = native.convex(F, lo, hi, samples, seed, numberopt("convex", 3, opts, "tol"))
  if scalar and r.witness then
    r.witness, r.direction = r.witness[1], r.direction[1]
  end
  return r
end

-- }======================================================

-- {======================================================
-- taylor
-- =======================================================

-- The polynomial at y: f0 + g.d (+ d.H d / 2), d = y - x0. Plain
-- arithmetic, so y may be traced (the polynomial can itself be analysed
-- or minimised).
local function evaluate(t, y)
  local x0, g, h = t.x0, t.grad, t.hessian
  if type(x0) == "number" then
    if type(y) ~= "number" and not (type(y) == "userdata" and not isvec(y)) then
      typeerror("taylor polynomial", 1, "number", y)
    end
    local d = y - x0
    local s = t.f0 + g * d
    if t.order == 2 then s = s + 0.5 * h * d * d end
    return s
  end
  local n = #x0
  if not (type(y) == "table" or type(y) == "userdata") or #y ~= n then
    argerror("taylor polynomial", 1, format("vector of length %d expected, got %s",
      n, (type(y) == "table" or isvec(y)) and "length " .. #y or kindname(y)))
  end
  local d = {}
  for i = 1, n do d[i] = y[i] - x0[i] end
  local s = t.f0
  for i = 1, n do s = s + g[i] * d[i] end
  if t.order == 2 then
    local q = 0
    for i = 1, n do
      local hi, qi = h[i], 0
      for j = 1, n do qi = qi + hi[j] * d[j] end
      q = q + d[i] * qi
    end
    s = s + 0.5 * q
  end
  return s
end

local taylor_meta = { __call = evaluate }

function analyze.taylor(f, x, order)
  checkfunction("taylor", f)
  local xv, scalar = checkpoint("taylor", 2, x)
  if order == nil then order = 2 end
  if order ~= 1 and order ~= 2 then
    argerror("taylor", 3, format("order must be 1 or 2, got %s",
                                 mtype(order) and tostring(order) or kindname(order)))
  end
  local n = #xv
  local ok, F = compile("taylor", f, n, scalar)
  local t = { order = order // 1 | 0 }
  local fx, g, h
  if ok then
    fx, g = F:valgrad(xv)
    if order == 2 then h = F:hessian(xv) end
    t.derivatives = "ad"
  else
    fx, g, h = numerical("taylor", f, xv, scalar)
    if order == 1 then h = nil end
    t.derivatives = "numeric"
    t.note = fallbacknote(F)
  end
  t.f0 = fx
  if scalar then
    t.x0, t.grad, t.hessian = x, g[1], h and h[1][1]
  else
    t.x0, t.grad, t.hessian = xv, g, h
  end
  return setmetatable(t, taylor_meta)
end

-- }======================================================

-- {======================================================
-- limit
-- =======================================================

local function render(t)
  local out = {
    format("%s differences of f at x = %.14g (exact f'(x) = %.14g from the tape)",
           t.method, t.x, t.exact),
    format("%7s  %22s  %10s", "h", "quotient", "error"),
  }
  for _, r in ipairs(t) do
    local mark = r.h == t.best_h and "  <- best" or ""
    out[#out + 1] = format("%7.0e  %22.15g  %10.3e%s", r.h, r.quotient, r.error, mark)
  end
  out[#out + 1] = format("best h = %.0e (error %.3e): truncation error ~h%s "
                         .. "above it, rounding ~eps/h below", t.best_h,
                         t.best_error, t.method == "central" and "^2" or "")
  return concat(out, "\n")
end

local limit_meta = { __tostring = render }
local limit_opts = { central = true }

function analyze.limit(f, x, opts)
  if type(f) ~= "function" then typeerror("limit", 1, "function", f) end
  if not mtype(x) then typeerror("limit", 2, "number", x) end
  if x ~= x or abs(x) == huge then argerror("limit", 2, "finite number expected") end
  opts = checkopts("limit", 3, opts, limit_opts)
  if opts.central ~= nil and type(opts.central) ~= "boolean" then
    argerror("limit", 3, "field 'central' must be a boolean")
  end
  local central = opts.central == true
  local ok, exact = pcall(require("slope.ad").derivative, f, x)
  if not ok then
    error(format("limit: f could not be traced, and limit needs its exact "
                 .. "derivative: %s", tostring(exact)), 0)
  end
  local function value(y)
    local v = f(y)
    if not mtype(v) then
      error(format("limit: f returned a %s, not a number", kindname(v)), 0)
    end
    return v
  end
  local fx = value(x)
  local t = { x = x, exact = exact, method = central and "central" or "forward" }
  local best_h, best_err = nil, huge
  for k = 1, 15 do
    local h = 10.0 ^ -k
    local q
    if central then
      q = (value(x + h) - value(x - h)) / (2 * h)
    else
      q = (value(x + h) - fx) / h
    end
    local err = abs(q - exact)
    t[k] = { h = h, quotient = q, error = err }
    if err < best_err then best_h, best_err = h, err end
  end
  t.best_h, t.best_error = best_h, best_err
  return setmetatable(t, limit_meta)
end

-- }======================================================

return analyze
