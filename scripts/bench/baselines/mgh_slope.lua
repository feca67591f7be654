-- mgh_slope.lua: the slope side of scripts/bench/mgh.  Run as
--   slope mgh_slope.lua METHODS REPS GTOL MAXITER NM_MAXITER [PROBLEMS]
-- (comma lists).  For each problem of ../mgh_problems.lua it prints
--   x0 <TAB> name <TAB> f(x0) <TAB> gradient fold <TAB> tape nodes
-- from the compiled tape (for the driver's cross-check with the generated
-- Python), then for each method
--   r <TAB> name <TAB> method <TAB> status <TAB> f <TAB> gnorm <TAB>
--     iterations <TAB> f evals <TAB> grad evals <TAB> hess evals <TAB>
--     seconds <TAB> message
-- where seconds is the median over REPS runs of the process CPU time of
-- optim.minimize on a fresh closure (so tracing is included).  A method
-- minimize does not know prints "na <TAB> method <TAB> message" once; any
-- other error "err <TAB> name <TAB> method <TAB> message".

local dir = arg and arg[0] and arg[0]:match("^(.*)/[^/]*$") or "."
local P = dofile(dir .. "/../mgh_problems.lua")
local slope = require "slope"
local ad, optim = slope.ad, slope.optim

local clock, format = os.clock, string.format
P.ifelse = ad.ifelse

local function split(s)
  local t = {}
  for w in (s or ""):gmatch("[^,]+") do t[#t + 1] = w end
  return t
end

local methods = split(arg[1])
local reps = tonumber(arg[2]) or 3
local gtol = tonumber(arg[3]) or 1e-8
local maxiter = tonumber(arg[4]) or 20000
local nm_maxiter = tonumber(arg[5]) or 20000
local only = {}
for _, w in ipairs(split(arg[6])) do only[w] = true end

io.stdout:setvbuf("line")

local function oneline(s)
  return (tostring(s):gsub("[\t\n]+", " "))
end

local function median(t)
  table.sort(t)
  local n = #t
  return n % 2 == 1 and t[(n + 1) // 2] or (t[n // 2] + t[n // 2 + 1]) / 2
end

local unavailable = {}
for _, p in ipairs(P.problems) do
  if next(only) == nil or only[p.name] then
    local x0 = slope.vec(p.x0)
    local F = ad.compile(P.objective(p), p.n)
    local f0, g0 = F:valgrad(x0)
    local fold = 0
    for i = 1, p.n do fold = fold + (1 + (i % 7) / 7) * g0[i] end
    print(format("x0\t%s\t%.17g\t%.17g\t%d", p.name, f0, fold, F.nodes))
    for _, m in ipairs(methods) do
      if not unavailable[m] then
        local opts = {method = m, gtol = gtol,
                      maxiter = m == "nelder-mead" and nm_maxiter or maxiter}
        local times, r, err = {}, nil, nil
        for _ = 1, reps do
          local f = P.objective(p)  -- a fresh closure: traced again
          local t0 = clock()
          local ok, res = pcall(optim.minimize, f, x0, opts)
          times[#times + 1] = clock() - t0
          if not ok then err = res break end
          r = res
        end
        if err then
          if tostring(err):find("field 'method' must be one of", 1, true) then
            unavailable[m] = true
            print(format("na\t%s\t%s", m, oneline(err)))
          else
            print(format("err\t%s\t%s\t%s", p.name, m, oneline(err)))
          end
        else
          local e = r.evaluations
          print(format("r\t%s\t%s\t%s\t%.17g\t%.6g\t%d\t%d\t%d\t%d\t%.6g\t%s",
                       p.name, m, r.status, r.f, r.gnorm, r.iterations,
                       e.f or 0, e.grad or 0, e.hess or 0, median(times),
                       oneline(r.message)))
        end
      end
    end
  end
end
