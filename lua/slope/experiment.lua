-- experiment.lua: slope.experiment, scripted suites of runs (problems x
-- solvers x grid points x repeats), each with its own seed derived from
-- the suite's seed and the run's coordinates, run in worker processes
-- (slope.core's proc) and recorded one JSON line per run.
--
-- A run's coordinates are its problem's and solver's names, its grid
-- point's canonical string ("lr=0.01,momentum=0.9") and its repeat. Its id
-- and seeds are SHA-256 hashes of these (never of a position in a list), so
-- adding a problem, a solver or a grid point changes no other run.
local core = require "slope.core"
local json = require "slope.experiment_json"

local proc = core.proc
local type, pairs, ipairs, error, tostring, tonumber, pcall, next =
      type, pairs, ipairs, error, tostring, tonumber, pcall, next
local setmetatable, getmetatable, load = setmetatable, getmetatable, load
local math, string, table, io = math, string, table, io
local format, concat, sort = string.format, table.concat, table.sort

local experiment = {}

local function fail(fmt, ...)
  error("suite: " .. format(fmt, ...), 0)
end

-- {{ Random numbers for start and data generators: xoshiro256** seeded
-- through splitmix64, in Lua integers (the same digits everywhere).

local Rng = {}
Rng.__index = Rng
Rng.__name = "slope.experiment.rng"
Rng.__tostring = function() return "slope.experiment.rng" end

local function splitmix(s)
  s = s + 0x9e3779b97f4a7c15
  local z = s
  z = (z ~ (z >> 30)) * 0xbf58476d1ce4e5b9
  z = (z ~ (z >> 27)) * 0x94d049bb133111eb
  return s, z ~ (z >> 31)
end

local function rotl(x, k) return (x << k) | (x >> (64 - k)) end

-- experiment.rng(seed) -> a generator: rng:uniform([a, b]),
-- rng:normal([mean, sd]), rng:integer(m, n), rng:next() (64 random bits).
function experiment.rng(seed)
  if math.type(seed) ~= "integer" then
    error("bad argument #1 to 'rng' (integer expected, got " ..
          (math.type(seed) or type(seed)) .. ")", 2)
  end
  local r, s = setmetatable({}, Rng), seed
  for i = 1, 4 do s, r[i] = splitmix(s) end
  return r
end

function Rng:next()
  local s0, s1, s2, s3 = self[1], self[2], self[3], self[4]
  local result = rotl(s1 * 5, 7) * 9
  local t = s1 << 17
  s2 = s2 ~ s0; s3 = s3 ~ s1; s1 = s1 ~ s2; s0 = s0 ~ s3
  s2 = s2 ~ t; s3 = rotl(s3, 45)
  self[1], self[2], self[3], self[4] = s0, s1, s2, s3
  return result
end

function Rng:uniform(a, b)
  local u = (self:next() >> 11) * 0x1p-53
  if a == nil then return u end
  return a + (b - a) * u
end

function Rng:normal(mean, sd)
  local u1 = 1 - self:uniform()  -- in (0, 1]
  local u2 = self:uniform()
  local z = math.sqrt(-2 * math.log(u1)) * math.cos(2 * math.pi * u2)
  return (mean or 0) + (sd or 1) * z
end

function Rng:integer(m, n)
  return m + (self:next() >> 1) % (n - m + 1)
end

-- }}

-- {{ Canonical strings and hashes

local function canonical(v)
  if math.type(v) == "integer" then return format("%d", v) end
  if type(v) == "number" then  -- the shortest digits that read back the same
    for digits = 15, 16 do
      local t = format("%." .. digits .. "g", v)
      if tonumber(t) == v then return t end
    end
    return format("%.17g", v)
  end
  return tostring(v)
end

local function hash(...)
  return proc.sha256(concat({...}, "\0"))
end

-- A 31-bit seed from a hash's first hex digits.
local function seedof(h) return tonumber(h:sub(1, 8), 16) & 0x7fffffff end

-- }}

-- {{ Suites

local Suite = {}
Suite.__index = Suite
Suite.__name = "slope.experiment.suite"
function Suite.__tostring(self)
  return format("suite %s: %d problems, %d solvers, %d runs", self.name,
                #self.problems, #self.solvers, #self:runs())
end

local function checkname(what, i, t)
  if type(t) ~= "table" then fail("%s %d must be a table, got %s", what, i, type(t)) end
  if type(t.name) ~= "string" or t.name == "" or t.name:find("[%c/]") then
    fail("%s %d needs a name (a string without '/')", what, i)
  end
end

-- Normalise a grid: axis -> list of {name = canonical string, value = v}.
local function normgrid(grid, where)
  local out = {}
  if grid == nil then return out end
  if type(grid) ~= "table" then fail("%s: grid must be a table", where) end
  for axis, values in pairs(grid) do
    if type(axis) ~= "string" then fail("%s: grid axis names must be strings", where) end
    if type(values) ~= "table" or next(values) == nil then
      fail("%s: grid axis '%s' needs a non-empty list of values", where, axis)
    end
    local list = {}
    if #values > 0 then
      for _, v in ipairs(values) do
        local tv = type(v)
        if tv ~= "number" and tv ~= "string" and tv ~= "boolean" then
          fail("%s: grid axis '%s': a %s value needs a name (give the axis as "
               .. "{name = value, ...})", where, axis, tv)
        end
        list[#list + 1] = {name = canonical(v), value = v}
      end
    else
      for name, v in pairs(values) do
        list[#list + 1] = {name = tostring(name), value = v}
      end
      sort(list, function(a, b) return a.name < b.name end)
    end
    out[axis] = list
  end
  return out
end

local function addproblem(self, p)
  local i = #self.problems + 1
  checkname("problem", i, p)
  if type(p.loss) ~= "function" and type(p.loss) ~= "userdata" then
    fail("problem '%s' needs a loss (a function)", p.name)
  end
  if type(p.start) ~= "table" and type(p.start) ~= "function" and
     type(p.start) ~= "userdata" then
    fail("problem '%s' needs a start (a vector or a function(rng) -> x0)", p.name)
  end
  if p.fstar ~= nil and type(p.fstar) ~= "number" then
    fail("problem '%s': fstar must be a number", p.name)
  end
  for _, q in ipairs(self.problems) do
    if q.name == p.name then fail("two problems named '%s'", p.name) end
  end
  self.problems[i] = p
  return self
end

local function addsolver(self, s)
  local i = #self.solvers + 1
  if type(s) == "table" and s.name == nil then s.name = s.method end
  checkname("solver", i, s)
  if s.method ~= nil and type(s.method) ~= "string" then
    fail("solver '%s': method must be a string", s.name)
  end
  if s.options ~= nil and type(s.options) ~= "table" then
    fail("solver '%s': options must be a table", s.name)
  end
  for _, q in ipairs(self.solvers) do
    if q.name == s.name then fail("two solvers named '%s'", s.name) end
  end
  s.ngrid = normgrid(s.grid, "solver '" .. s.name .. "'")
  self.solvers[i] = s
  return self
end

-- suite:problem{...}, suite:solver{...}, suite:grid{axis = {...}}: the
-- declarative form, for suite files that build the suite step by step.
function Suite:problem(p) return addproblem(self, p) end
function Suite:solver(s) return addsolver(self, s) end
function Suite:grid(g)
  for axis, list in pairs(normgrid(g, "suite")) do self.ngrid[axis] = list end
  return self
end

local function memorybytes(m)
  if m == nil then return nil end
  if type(m) == "number" then return math.tointeger(m) or math.floor(m) end
  local n, unit = tostring(m):match("^(%d+)%s*([kKmMgG]?)")
  if not n then fail("limits.memory must be bytes or a size like '512M', got '%s'", m) end
  local scale = ({k = 1 << 10, m = 1 << 20, g = 1 << 30})[unit:lower()] or 1
  return math.tointeger(n) * scale
end

-- experiment.suite(spec) -> a suite: spec.name, seed (integer, default
-- 0), repeats (default 1), problems, solvers, grid, options (for every
-- run), limits = {maxtime, memory, walltime}, tol (success: f - fstar <=
-- tol * max(1, |fstar|), default 1e-6), tau (profiles, default 1e-3).
function experiment.suite(spec)
  spec = spec or {}
  if type(spec) ~= "table" then
    error("bad argument #1 to 'suite' (table expected, got " .. type(spec) .. ")", 2)
  end
  local s = setmetatable({
    name = spec.name or "suite",
    seed = spec.seed or 0,
    repeats = spec.repeats or 1,
    options = spec.options or {},
    limits = spec.limits or {},
    tol = spec.tol or 1e-6,
    tau = spec.tau or 1e-3,
    problems = {}, solvers = {},
    ngrid = normgrid(spec.grid, "suite"),
  }, Suite)
  if type(s.name) ~= "string" or not s.name:match("^[%w_.-]+$") then
    fail("name must be a word (letters, digits, '_', '-', '.')")
  end
  if math.type(s.seed) ~= "integer" then fail("seed must be an integer") end
  if math.type(s.repeats) ~= "integer" or s.repeats < 1 then
    fail("repeats must be an integer >= 1")
  end
  s.limits.memory = memorybytes(s.limits.memory)
  local lim = s.limits
  for _, k in ipairs{"maxtime", "walltime"} do
    if lim[k] ~= nil and (type(lim[k]) ~= "number" or not (lim[k] > 0)) then
      fail("limits.%s must be a number of seconds > 0", k)
    end
  end
  -- a run stuck outside the solver (in a loss, a start generator, a
  -- callback) is killed when it overruns its maxtime well
  if lim.walltime == nil and lim.maxtime then lim.walltime = 2 * lim.maxtime + 1 end
  for _, p in ipairs(spec.problems or {}) do addproblem(s, p) end
  for _, v in ipairs(spec.solvers or {}) do addsolver(s, v) end
  return s
end

-- The grid points of a solver: the suite's axes and the solver's own (the
-- solver's win), crossed; each point a list of {axis, name, value}.
local function gridpoints(suite, solver)
  local axes = {}
  for axis, list in pairs(suite.ngrid) do axes[axis] = list end
  for axis, list in pairs(solver.ngrid) do axes[axis] = list end
  local names = {}
  for axis in pairs(axes) do names[#names + 1] = axis end
  sort(names)
  local points = {{}}
  for _, axis in ipairs(names) do
    local nextpoints = {}
    for _, p in ipairs(points) do
      for _, v in ipairs(axes[axis]) do
        local q = {table.unpack(p)}
        q[#q + 1] = {axis = axis, name = v.name, value = v.value}
        nextpoints[#nextpoints + 1] = q
      end
    end
    points = nextpoints
  end
  return points
end

local function gridkey(point)
  local parts = {}
  for i, c in ipairs(point) do parts[i] = c.axis .. "=" .. c.name end
  return concat(parts, ",")
end

-- suite:runs() -> the list of runs in suite order. A run: id, problem,
-- solver, grid (axis -> canonical string), grid_key, rep, seed (the
-- solver's, from every coordinate) and instance_seed (the start's and the
-- data's, from the problem and the repeat: every solver of a repeat starts
-- from the same point), label.
function Suite:runs()
  local list = {}
  for pi, p in ipairs(self.problems) do
    for si, s in ipairs(self.solvers) do
      for _, point in ipairs(gridpoints(self, s)) do
        local key = gridkey(point)
        local grid = json.object()
        for _, c in ipairs(point) do grid[c.axis] = c.name end
        for rep = 1, self.repeats do
          local h = hash("run", p.name, s.name, key, tostring(rep))
          list[#list + 1] = {
            id = h:sub(1, 12), problem = p.name, solver = s.name,
            grid = grid, grid_key = key, rep = rep, point = point,
            seed = seedof(hash("seed", tostring(self.seed), p.name, s.name,
                                key, tostring(rep))),
            instance_seed = seedof(hash("instance", tostring(self.seed),
                                        p.name, tostring(rep))),
            label = format("%s/%s/%s/%d", p.name, s.name,
                           key == "" and "-" or key, rep),
            pindex = pi, sindex = si,
          }
        end
      end
    end
  end
  return list
end

-- Documented defaults of the driver (slope(3)), recorded beside the
-- options a run sets so that a manifest shows every option in force.
experiment.defaults = {
  gtol = 1e-6, ftol = 0, xtol = 0, maxiter = 10000, momentum = 0.9,
  beta1 = 0.9, beta2 = 0.999, eps = 1e-8, weight_decay = 0.01,
}
experiment.sgd_defaults = {batch = 32, epochs = 10}

-- The options a run passes to its solver, and their recordable form
-- (functions and userdata by their grid name, or their type).
function Suite:runoptions(run)
  local p, s = self.problems[run.pindex], self.solvers[run.sindex]
  local opts, shown = {}, json.object()
  local function put(k, v, name)
    opts[k] = v
    local tv = type(v)
    shown[k] = (tv == "number" or tv == "string" or tv == "boolean") and v
               or name or ("<" .. tv .. ">")
  end
  for k, v in pairs(p.data and experiment.sgd_defaults or experiment.defaults) do
    put(k, v)
  end
  for _, src in ipairs{self.options, p.options or {}, s.options or {}} do
    for k, v in pairs(src) do put(k, v) end
  end
  for _, c in ipairs(run.point) do put(c.axis, c.value, c.name) end
  if s.method then put("method", s.method) end
  for _, k in ipairs{"eq", "ineq", "lower", "upper"} do
    if p[k] ~= nil then put(k, p[k]) end
  end
  if opts.maxtime == nil and self.limits.maxtime then
    put("maxtime", self.limits.maxtime)
  end
  put("seed", run.seed)
  return opts, shown
end

local function tolist(v)
  if v == nil then return nil end
  if type(v) == "table" then return {table.unpack(v)} end
  return v:totable()
end

local function finite(x) return type(x) == "number" and x == x and
                                x ~= math.huge and x ~= -math.huge end

-- suite:start(run) -> x0 (a plain list) and the data (or nil), from the
-- run's instance seed.
function Suite:start(run)
  local p = self.problems[run.pindex]
  local rng = experiment.rng(run.instance_seed)
  local x0 = p.start
  if type(x0) == "function" then x0 = x0(rng) end
  x0 = tolist(x0)
  local data = p.data
  if type(data) == "function" then data = data(rng) end
  return x0, data
end

-- A record keeps at most TRACEMAX points of a run's loss curve: past
-- that it keeps every stride-th iteration (stride doubling as needed) and
-- the last one, with their iteration numbers in trace_iter, so that a run
-- of millions of iterations stays small in memory and on disk. The solver
-- thins its own trace (opts.trace = 2 * TRACEMAX), in C.
local TRACEMAX = 1000
experiment.TRACEMAX = TRACEMAX

-- The loss curve of result r: f per iteration from 1, and the iteration
-- numbers when the trace was thinned (else nil).
local function curve(r)
  local fs, its, thinned = {}, {}, false
  for i, rec in ipairs(r.trace or {}) do
    fs[i], its[i] = rec.f, rec.iter
    thinned = thinned or rec.iter ~= i
  end
  return fs, thinned and its or nil
end

local function classify(msg)
  msg = tostring(msg)
  if msg:find("not enough memory", 1, true) then return "memory" end
  if msg:find("interrupted!", 1, true) then return "interrupted" end
  return "error"
end

-- suite:execute(run) -> the run's record (a failed run is a record with
-- status "failed", a reason and the error message; this never raises).
function Suite:execute(run)
  local rec = {
    id = run.id, problem = run.problem, solver = run.solver,
    grid = run.grid, grid_key = run.grid_key, ["repeat"] = run.rep,
    seed = run.seed, instance_seed = run.instance_seed,
  }
  local p = self.problems[run.pindex]
  local t0 = proc.clock()
  local ok, err = pcall(function()
    local optim = require "slope.optim"
    local opts, shown = self:runoptions(run)
    rec.options = shown
    rec.method = opts.method
    local x0, data = self:start(run)
    rec.n = #x0
    local r
    if data ~= nil then
      r = optim.sgd(p.loss, x0, data, opts)
    else
      local okf, f0 = pcall(p.loss, core.vec.vec(x0))
      if okf and type(f0) == "number" then rec.f0 = f0 end
      opts.trace = 2 * TRACEMAX
      r = optim.minimize(p.loss, x0, opts)
      r.trace, rec.trace_iter = curve(r)
    end
    rec.status, rec.message = r.status, r.message
    if r.status == "maxtime" and self.limits.maxtime
       and opts.maxtime == self.limits.maxtime then
      -- over the suite's time limit: a failure, with the point reached
      rec.status, rec.reason, rec.solver_status = "failed", "maxtime", r.status
      rec.error = format("stopped by the time limit (maxtime %g s)", opts.maxtime)
    end
    rec.method = r.method or rec.method
    rec.f, rec.gnorm = r.f, r.gnorm
    rec.lr = r.lr
    if p.fstar and type(r.f) == "number" then rec.fgap = r.f - p.fstar end
    rec.iterations = r.iterations
    rec.evaluations = {f = r.evaluations.f, grad = r.evaluations.grad,
                       hess = r.evaluations.hess}
    rec.time = r.time
    rec.x = tolist(r.x)
    local trace = {}
    if data ~= nil then
      for i, v in ipairs(r.loss or {}) do trace[i] = v end
    else
      trace = r.trace
    end
    rec.trace = trace
    if rec.f0 == nil then rec.f0 = trace[1] end
    if not finite(rec.f) then rec.nonfinite = tostring(rec.f) end
  end)
  rec.wall = proc.clock() - t0
  if not ok then
    rec.status, rec.reason = "failed", classify(err)
    rec.error = tostring(err)
  end
  return rec
end

local function problemnamed(suite, name)
  for _, p in ipairs(suite.problems) do if p.name == name then return p end end
end

-- A run succeeded: no failure, and f within tol of fstar when fstar is
-- known, else the solver converged.
function Suite:success(rec)
  if rec.status == "failed" or not finite(rec.f) then return false end
  local p = problemnamed(self, rec.problem)
  if p and p.fstar then
    return rec.f - p.fstar <= self.tol * math.max(1, math.abs(p.fstar))
  end
  return rec.status == "converged"
end


-- {{ Loading suite files

local function readfile(path)
  local f, err = io.open(path, "rb")
  if not f then return nil, err end
  local s = f:read("a")
  f:close()
  return s
end

-- experiment.load(path) -> the suite a file returns (a suite, or a spec
-- table for experiment.suite), with suite.file and suite.sha256 set.

function experiment.load(path)
  if type(path) ~= "string" then
    error("bad argument #1 to 'load' (string expected, got " .. type(path) .. ")", 2)
  end
  local text, err = readfile(path)
  if not text then error("cannot read suite " .. tostring(err), 0) end
  local chunk, cerr = load(text, "@" .. path, "t")
  if not chunk then error(cerr, 0) end
  local saved = experiment.loading
  experiment.loading = true
  local ok, r = pcall(chunk, "--suite")
  experiment.loading = saved
  if not ok then error(r, 0) end
  local suite = r
  if type(suite) == "table" and getmetatable(suite) ~= Suite then
    suite = experiment.suite(suite)
  end
  if getmetatable(suite) ~= Suite then
    error(path .. ": a suite file must return a suite (or a table describing one)", 0)
  end
  suite.file = path
  suite.sha256 = proc.sha256(text)
  return suite
end

-- True while experiment.load runs a suite file: a file that is also a
-- script (slope FILE) runs itself only when this is false.
experiment.loading = false

-- }}

-- {{ The pool of workers

-- The child's loop: take a run id, execute it, send back its record.
local function workermain(suite, byid, chan, memory)
  if memory then proc.setmemlimit(memory) end
  while true do
    local msg = chan:recv()
    if not msg or msg == "quit" then proc.exit(0) end
    local rec = suite:execute(byid[msg])
    local ok, text = pcall(json.encode, rec)
    if not ok then
      text = json.encode{id = rec.id, problem = rec.problem, solver = rec.solver,
                         grid = rec.grid, grid_key = rec.grid_key,
                         ["repeat"] = rec["repeat"], seed = rec.seed,
                         status = "failed", reason = "error",
                         error = "record: " .. tostring(text)}
    end
    if not chan:send(text) then proc.exit(1) end
  end
end

local function deathrecord(run, reason, msg)
  return {id = run.id, problem = run.problem, solver = run.solver,
          grid = run.grid, grid_key = run.grid_key, ["repeat"] = run.rep,
          seed = run.seed, instance_seed = run.instance_seed,
          status = "failed", reason = reason, error = msg}
end

-- experiment.pool(suite, runs, opts): execute runs in opts.jobs workers
-- and call opts.onrecord(rec, run) as each finishes, in the parent.
-- opts.memory caps each worker's address space (bytes), opts.walltime
-- kills a run that takes longer (seconds), opts.maxruns stops after that
-- many records (returns false then). Returns true when all ran.
function experiment.pool(suite, runs, opts)
  local jobs = math.max(1, math.min(opts.jobs or 1, #runs))
  local byid = {}
  for _, r in ipairs(runs) do byid[r.id] = r end
  local slots, queue, done = {}, 1, 0
  local function spawn()
    local others = {}
    for _, sl in ipairs(slots) do others[#others + 1] = sl.w end
    local w, chan = proc.spawn(others)
    if w == nil and type(chan) == "userdata" then
      workermain(suite, byid, chan, opts.memory)  -- never returns
    end
    if w == nil then error("cannot start a worker: " .. tostring(chan), 0) end
    return w
  end
  local function finish(sl, rec)
    sl.run = nil
    done = done + 1
    opts.onrecord(rec, byid[rec.id])
  end
  local function replace(i)
    slots[i].w:close()
    slots[i].w = spawn()
  end
  local ok, err = pcall(function()
    for i = 1, jobs do slots[i] = {w = spawn()} end
    local function busy()
      for _, sl in ipairs(slots) do if sl.run then return true end end
      return false
    end
    while queue <= #runs or busy() do
      if opts.maxruns and done >= opts.maxruns then return end
      for _, sl in ipairs(slots) do
        if not sl.run and queue <= #runs then
          sl.run, sl.t0 = runs[queue], proc.clock()
          queue = queue + 1
          if not sl.w:send(sl.run.id) then sl.dead = true end
        end
      end
      local ws = {}
      for i, sl in ipairs(slots) do ws[i] = sl.w end
      local ready = proc.poll(ws, 0.25)
      for _, i in ipairs(ready) do
        local sl = slots[i]
        local msg = sl.w:recv()
        local okd, rec = false, nil
        if msg then okd, rec = pcall(json.decode, msg) end
        if okd and type(rec) == "table" and sl.run and rec.id == sl.run.id then
          finish(sl, rec)
        else
          sl.dead = true
        end
      end
      local now = proc.clock()
      for i, sl in ipairs(slots) do
        if sl.run and not sl.dead and opts.walltime and now - sl.t0 > opts.walltime then
          sl.w:kill()
          sl.w:wait()
          finish(sl, deathrecord(sl.run, "timeout", format(
            "killed after %g s (walltime limit)", opts.walltime)))
          replace(i)
        elseif sl.dead then
          sl.dead = nil
          sl.w:close()
          local how, code, name = sl.w:wait()
          local msg
          if how == "signaled" then
            msg = format("worker killed by signal %d (%s)", code, name)
          else
            msg = format("worker exited with status %s", tostring(code))
          end
          if sl.run then
            finish(sl, deathrecord(sl.run, how == "signaled" and "signal"
                                   or "exit", msg))
          end
          replace(i)
        end
      end
    end
  end)
  for _, sl in ipairs(slots) do
    if ok and not (opts.maxruns and done >= opts.maxruns) then sl.w:send("quit") end
    if not ok or (opts.maxruns and done >= opts.maxruns) then sl.w:kill() end
    sl.w:close()
    sl.w:wait()
  end
  if not ok then error(err, 0) end
  return not (opts.maxruns and done >= opts.maxruns and queue <= #runs)
end

-- }}

-- experiment.run(suite, opts) runs a suite as `slope run` does (opts: out,
-- jobs, resume, filter, shard = {k, n}, quiet, report); returns the list of
-- records, the directory and whether all ran. See slope.cli_run.
function experiment.run(suite, opts)
  return require("slope.cli_run").execute(suite, opts or {})
end

experiment.Suite = Suite
experiment.Rng = Rng
return experiment
