-- adcheck.lua: ad.check(f, x [, opts]), an audit of derivatives at a point.
--
-- Compares, component by component, the gradient by reverse mode (ad.grad),
-- by forward mode (ad.dirderiv along each unit vector), by finite
-- differences (numdiff.grad, Richardson) and, when opts.grad is given, by
-- the user's own gradient function; and checks that ad.hessian is
-- symmetric.  Returns a report table (see 'check' below); tostring(report)
-- says in words which components disagree.  slope.ad loads this module on
-- the first call of ad.check.
local type, pairs, ipairs, pcall, error, tostring =
      type, pairs, ipairs, pcall, error, tostring
local getmetatable, setmetatable = getmetatable, setmetatable
local math_type, abs, max, huge = math.type, math.abs, math.max, math.huge
local format = string.format
local concat, unpack = table.concat, table.unpack
local require = require

local DEFAULT_TOL = 1e-6     -- against finite differences, relative
local DEFAULT_ADTOL = 1e-9   -- reverse against forward mode, Hessian symmetry

-- Relative discrepancy of a against the reference b, as tap.close measures.
local function discrepancy(a, b)
  local d = abs(a - b) / max(1, abs(b))
  if d ~= d then return huge end   -- a nan never agrees
  return d
end

-- A number for messages.
local function num(v)
  if math_type(v) == "integer" then return tostring(v) end
  return format("%.6g", v)
end

-- Two numbers for messages, with the fewest digits (at least 6) that tell
-- them apart.
local function numpair(a, b)
  local sa, sb
  for digits = 6, 17 do
    sa, sb = format("%." .. digits .. "g", a), format("%." .. digits .. "g", b)
    if sa ~= sb then break end
  end
  return sa, sb
end

local function argerror(i, msg)
  error(format("bad argument #%d to 'check' (%s)", i, msg), 3)
end

-- Type of a value for messages, telling a slope vector apart.
local function typename(v)
  local t = type(v)
  if t == "userdata" then
    local mt = getmetatable(v)
    if type(mt) == "table" and type(mt.__name) == "string" then
      return mt.__name
    end
  end
  return t
end

-- The numbers of a vector or a Lua array as a fresh Lua array; nil and a
-- message when v is neither.
local function toarray(v)
  local t = type(v)
  if t ~= "table" and t ~= "userdata" then
    return nil, format("vector expected, got %s", typename(v))
  end
  local okn, n = pcall(function() return #v end)
  if not okn or math_type(n) ~= "integer" then
    return nil, format("vector expected, got %s", typename(v))
  end
  local a = {}
  for i = 1, n do
    local oki, e = pcall(function() return v[i] end)
    if not oki or type(e) ~= "number" then
      return nil, format("number expected at index %d, got %s", i,
                         oki and typename(e) or "an error")
    end
    a[i] = e
  end
  return a
end

local function checkopts(opts)
  if opts == nil then return {} end
  if type(opts) ~= "table" then
    argerror(3, format("table expected, got %s", typename(opts)))
  end
  if opts.grad ~= nil and type(opts.grad) ~= "function" then
    argerror(3, format("field 'grad' must be a function, got %s",
                       typename(opts.grad)))
  end
  for _, k in ipairs { "tol", "adtol" } do
    local v = opts[k]
    if v ~= nil and not (type(v) == "number" and v > 0 and v < huge) then
      argerror(3, format("field '%s' must be a positive number, got %s", k,
                         type(v) == "number" and num(v) or typename(v)))
    end
  end
  if opts.data ~= nil and type(opts.data) ~= "table" then
    argerror(3, format("field 'data' must be a table, got %s",
                       typename(opts.data)))
  end
  if opts.numdiff ~= nil and type(opts.numdiff) ~= "table" then
    argerror(3, format("field 'numdiff' must be a table, got %s",
                       typename(opts.numdiff)))
  end
  if opts.hessian ~= nil and type(opts.hessian) ~= "boolean" then
    argerror(3, format("field 'hessian' must be a boolean, got %s",
                       typename(opts.hessian)))
  end
  return opts
end

-- Strip the "file:line: " an error message may start with.
local function bare(msg)
  msg = tostring(msg)
  return (msg:gsub("^[^:\n]*:%d+: ", ""))
end

local names = { user = "user gradient", reverse = "reverse mode",
                forward = "forward mode", numeric = "finite differences" }

-- The words for each disagreement of one component, most telling first.
local function describe(b)
  local parts = {}
  for _, c in ipairs(b.what) do
    local a, r = numpair(b[c[1]], b[c[2]])
    parts[#parts + 1] = format("%s %s but %s %s", names[c[1]], a,
                               names[c[2]], r)
  end
  return format("component %d: %s", b.index, concat(parts, "; "))
end

local comparison_words = {
  { "reverse_forward", "reverse vs forward" },
  { "reverse_numeric", "reverse vs differences" },
  { "user_numeric", "user vs differences" },
  { "user_reverse", "user vs reverse" },
  { "symmetry", "Hessian asymmetry" },
}

-- The report in words: a verdict, one line per disagreeing component or
-- Hessian entry, the largest discrepancy of each comparison made.
local function message(r)
  local lines = {}
  local nbad = #r.bad
  if nbad == 0 and #r.asymmetric == 0 then
    lines[1] = not r.compared and "ad.check: nothing to compare"
               or r.n == 1 and "ad.check: ok, the 1 component agrees"
               or format("ad.check: ok, the %d components agree", r.n)
  else
    local what = {}
    if nbad == 1 then
      what[1] = format("component %d of %d disagrees", r.bad[1].index, r.n)
    elseif nbad > 1 then
      what[1] = format("%d of %d components disagree", nbad, r.n)
    end
    if #r.asymmetric > 0 then
      what[#what + 1] = "the Hessian is not symmetric"
    end
    lines[1] = "ad.check: " .. concat(what, " and ")
  end
  if r.trace_error then
    lines[#lines + 1] = "  cannot trace f, so no reverse or forward mode: "
                        .. r.trace_error
  end
  if r.hessian_error then
    lines[#lines + 1] = "  no Hessian: " .. r.hessian_error
  end
  for _, b in ipairs(r.bad) do lines[#lines + 1] = "  " .. describe(b) end
  for _, a in ipairs(r.asymmetric) do
    local hij, hji = numpair(a.hij, a.hji)
    lines[#lines + 1] = format("  Hessian entries (%d,%d) = %s but (%d,%d) = %s",
                               a.i, a.j, hij, a.j, a.i, hji)
  end
  local maxes = {}
  for _, w in ipairs(comparison_words) do
    local v = r.max[w[1]]
    if v then maxes[#maxes + 1] = format("%s %.2g", w[2], v) end
  end
  if #maxes > 0 then
    lines[#lines + 1] = "  largest relative discrepancies: "
                        .. concat(maxes, ", ")
  end
  return concat(lines, "\n")
end

local report_meta = { __tostring = function(r) return r.message end }

-- ad.check(f, x [, opts]) -> report
--   opts.grad     a gradient function g(x, ...) to check as well
--   opts.tol      agreement with finite differences, relative (1e-6): a
--                 component agrees when |a - fd| <= tol * max(1, |fd|)
--                 plus the error numdiff estimates for fd
--   opts.adtol    reverse vs forward mode and Hessian symmetry (1e-9)
--   opts.data     a list of data arguments: f(x, d1, d2, ...)
--   opts.numdiff  options for numdiff.grad (method "richardson" unless set)
--   opts.hessian  false to skip the symmetry check
-- The report: ok, n, x, value, reverse, forward, numeric, numeric_error,
-- user (arrays, those computed), hessian, max = {reverse_forward=,
-- reverse_numeric=, user_numeric=, user_reverse=, symmetry=} (those
-- compared), bad = {{index=, reverse=, forward=, numeric=, user=, what=}},
-- asymmetric = {{i=, j=, hij=, hji=}}, trace_error, hessian_error,
-- message; tostring(report) is the message.
local function check(f, x, opts)
  if type(f) ~= "function" then
    argerror(1, format("function expected, got %s", typename(f)))
  end
  local xs, why = toarray(x)
  if not xs then argerror(2, why) end
  local n = #xs
  if n == 0 then argerror(2, "vector of at least one number expected") end
  opts = checkopts(opts)
  local tol, adtol = opts.tol or DEFAULT_TOL, opts.adtol or DEFAULT_ADTOL
  local data = opts.data or {}
  local nd_data = #data

  local ad, numdiff = require "slope.ad", require "slope.numdiff"

  local value = f(x, unpack(data, 1, nd_data))
  if type(value) ~= "number" then
    error(format("check: f returned %s, expected a number", typename(value)), 2)
  end

  local r = { n = n, x = xs, value = value, tol = tol, adtol = adtol,
              max = {}, bad = {}, asymmetric = {} }

  -- Finite differences: the reference every other gradient is held to.
  local ndopts = { method = "richardson" }
  for k, v in pairs(opts.numdiff or {}) do ndopts[k] = v end
  local fx = function(y) return f(y, unpack(data, 1, nd_data)) end
  local ng, ne = numdiff.grad(fx, x, ndopts)
  r.numeric = toarray(ng)
  r.numeric_error = ne and toarray(ne) or nil

  -- Reverse and forward mode; a function that cannot be traced is
  -- reported, and the user's gradient is still held to the differences.
  local okr, rg = pcall(ad.grad, f, x, unpack(data, 1, nd_data))
  if okr then
    r.reverse = toarray(rg)
    local e, fw = {}, {}
    for i = 1, n do e[i] = 0.0 end
    for i = 1, n do
      e[i] = 1.0
      local okf, d = pcall(ad.dirderiv, f, x, e, unpack(data, 1, nd_data))
      e[i] = 0.0
      if not okf then okr, rg = false, d; break end
      fw[i] = d
    end
    if okr then r.forward = fw end
  end
  if not okr then
    r.reverse, r.forward = nil, nil
    r.trace_error = bare(rg)
  end

  if opts.grad then
    local ug = opts.grad(x, unpack(data, 1, nd_data))
    local u, uwhy = toarray(ug)
    if not u then
      local t = type(ug)
      if t == "table" or t == "userdata" then
        error("check: user gradient: " .. uwhy, 2)
      end
      error(format("check: user gradient returned %s, expected a vector",
                   typename(ug)), 2)
    end
    if #u ~= n then
      error(format("check: user gradient returned %d components, expected %d",
                   #u, n), 2)
    end
    r.user = u
  end

  -- Compare component by component.
  local function note(key, d)
    if (r.max[key] or -1) < d then r.max[key] = d end
  end
  for i = 1, n do
    local numv = r.numeric[i]
    local nerr = r.numeric_error and abs(r.numeric_error[i]) or 0
    if nerr ~= nerr then nerr = 0 end
    local fdallow = tol * max(1, abs(numv)) + nerr
    local what = {}
    local function against_fd(key, a, name)
      local d = discrepancy(a, numv)
      note(key, d)
      if not (abs(a - numv) <= fdallow) then
        what[#what + 1] = { name, "numeric" }
      end
    end
    if r.user then against_fd("user_numeric", r.user[i], "user") end
    if r.reverse then
      against_fd("reverse_numeric", r.reverse[i], "reverse")
      local d = discrepancy(r.reverse[i], r.forward[i])
      note("reverse_forward", d)
      if not (d <= adtol) then what[#what + 1] = { "reverse", "forward" } end
      if r.user then
        local du = discrepancy(r.user[i], r.reverse[i])
        note("user_reverse", du)
        -- the user's gradient against the tape, worth naming when the
        -- differences did not already catch it
        if not (du <= tol) and not (what[1] and what[1][1] == "user") then
          what[#what + 1] = { "user", "reverse" }
        end
      end
    end
    if #what > 0 then
      r.bad[#r.bad + 1] = { index = i, reverse = r.reverse and r.reverse[i],
                            forward = r.forward and r.forward[i],
                            numeric = numv, user = r.user and r.user[i],
                            numeric_error = nerr, what = what }
    end
  end
  r.compared = r.reverse ~= nil or r.user ~= nil

  -- The Hessian's symmetry.
  if opts.hessian ~= false and r.reverse then
    local okh, H = pcall(ad.hessian, f, x, unpack(data, 1, nd_data))
    if okh then
      r.hessian = H
      local worst = 0
      for i = 1, n do
        local Hi = H[i]
        for j = i + 1, n do
          local a, b = Hi[j], H[j][i]
          local d = abs(a - b) / max(1, abs(a), abs(b))
          if d ~= d then d = huge end
          if d > worst then worst = d end
          if not (d <= adtol) then
            r.asymmetric[#r.asymmetric + 1] = { i = i, j = j, hij = a, hji = b }
          end
        end
      end
      r.max.symmetry = worst
    else
      r.hessian_error = bare(H)
    end
  end

  r.ok = r.compared and #r.bad == 0 and #r.asymmetric == 0
  r.message = message(r)
  return setmetatable(r, report_meta)
end

return check
