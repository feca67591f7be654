-- hs_slope.lua: the slope side of scripts/bench/hs.  Run as
--   slope hs_slope.lua METHODS MAXITER [PROBLEMS]
-- (comma lists).  For each problem of ../hs_problems.lua it prints
--   x0 <TAB> name <TAB> f(x0) <TAB> gradient fold
-- from the traced tape (for the driver's cross-check with the generated
-- Python), then for each method
--   r <TAB> name <TAB> method <TAB> status <TAB> x1,x2,... <TAB>
--     iterations <TAB> f evals <TAB> seconds <TAB> message
-- (x with 17 digits; the driver evaluates f and the violation itself).
-- seconds is the process CPU time of optim.minimize on a fresh closure
-- (tracing included).  A method minimize does not know prints
-- "na <TAB> method <TAB> message" once; any other error
-- "err <TAB> name <TAB> method <TAB> message".

local dir = arg and arg[0] and arg[0]:match("^(.*)/[^/]*$") or "."
local P = dofile(dir .. "/../hs_problems.lua")
local slope = require "slope"
local ad, optim = slope.ad, slope.optim

local clock, format, concat = os.clock, string.format, table.concat

local function split(s)
  local t = {}
  for w in (s or ""):gmatch("[^,]+") do t[#t + 1] = w end
  return t
end

local methods = split(arg[1])
local maxiter = tonumber(arg[2]) or 3000
local only = {}
for _, w in ipairs(split(arg[3])) do only[w] = true end

io.stdout:setvbuf("line")

local function oneline(s)
  return (tostring(s):gsub("[\t\n]+", " "))
end

local unavailable = {}
for _, p in ipairs(P.problems) do
  if next(only) == nil or only[p.name] then
    local x0 = slope.vec(p.x0)
    local F = ad.compile(p.f, p.n)
    local f0, g0 = F:valgrad(x0)
    local fold = 0
    for i = 1, p.n do fold = fold + (1 + (i % 7) / 7) * g0[i] end
    print(format("x0\t%s\t%.17g\t%.17g", p.name, f0, fold))
    for _, m in ipairs(methods) do
      if not unavailable[m] then
        -- fresh closures: everything is traced again, inside the timing
        local function wrap(fn) return function(x) return fn(x) end end
        local eq, ineq = {}, {}
        for k, c in ipairs(p.eq) do eq[k] = wrap(c) end
        for k, c in ipairs(p.ineq) do ineq[k] = wrap(c) end
        local opts = {method = m, maxiter = maxiter,
                      eq = #eq > 0 and eq or nil,
                      ineq = #ineq > 0 and ineq or nil,
                      lower = p.lower, upper = p.upper}
        local t0 = clock()
        local ok, r = pcall(optim.minimize, wrap(p.f), x0, opts)
        local t = clock() - t0
        if not ok then
          if tostring(r):find("must be one of", 1, true) or
             tostring(r):find("is not available", 1, true) then
            unavailable[m] = true
            print(format("na\t%s\t%s", m, oneline(r)))
          else
            print(format("err\t%s\t%s\t%s", p.name, m, oneline(r)))
          end
        else
          local xs = {}
          for i = 1, p.n do xs[i] = format("%.17g", r.x[i]) end
          local e = r.evaluations or {}
          print(format("r\t%s\t%s\t%s\t%s\t%d\t%d\t%.6g\t%s", p.name, m,
                       r.status, concat(xs, ","), r.iterations or 0,
                       e.f or 0, t, oneline(r.message or "")))
        end
      end
    end
  end
end
