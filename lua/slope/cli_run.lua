-- cli_run.lua: the subcommands `slope run`, `slope merge` and `slope
-- replay` (src/main.c hands them here), and the execution of a suite into
-- a results directory that slope.experiment.run shares.
local core = require "slope.core"
local experiment = require "slope.experiment"
local json = require "slope.experiment_json"
local report = require "slope.experiment_report"

local proc = core.proc
local io, os, string, table, math, ipairs, pairs, tostring, tonumber, type,
      pcall, error = io, os, string, table, math, ipairs, pairs, tostring,
      tonumber, type, pcall, error
local format, concat = string.format, table.concat

local cli = {}

local usage = [[
usage: slope run SUITE.lua [options]
       slope merge DIR [DIR...]
       slope replay DIR RUN_ID

slope run runs every run of an experiment suite (problems x solvers x grid
points x repeats) in worker processes and records each finished run at once
in DIR/runs.jsonl; then it writes runs.csv, manifest.json, report.md and SVG
plots (loss curves, performance and data profiles) into DIR.

Options of slope run:
  --jobs N        worker processes (default 1)
  --out DIR       results directory (default ./results/SUITE-NAME)
  --resume        run only the runs missing from DIR/runs.jsonl
  --filter PAT    only the runs whose id or label (problem/solver/grid/repeat)
                  matches the Lua pattern PAT
  --shard K/N     only the K-th of N slices (chosen by run id)
  --dry-run       list the selected runs (id, label, seed) and exit
  --memory SIZE   cap each worker's address space (bytes, or 512M, 2G)
  --walltime S    kill a run that takes longer than S seconds
  --quiet         no progress output
  --max-runs N    stop after N runs, as if killed (exit status 3)
  --slurm         submit a Slurm job array (sbatch) instead: task K of N
                  runs --shard K/N into DIR/shards/K
  --array-size N  tasks in the job array (default: the runs, at most 16)
  --wait          with --slurm: wait for the array to end, then merge
  --help          show this help

slope merge DIR combines DIR/runs.jsonl, DIR/shards/*/runs.jsonl and the
runs.jsonl of any further DIR (one record per run id), and writes the
outputs again. slope replay DIR RUN_ID runs one recorded run again from the
suite file named in DIR/manifest.json and prints "same" when f, status and
iterations, x and the loss curve are bit-identical (exit 0), the
differences otherwise (exit 1).

See slope(1) and slope(3), and help(slope.experiment) in the REPL.
]]

local function die(msg) error("slope run: " .. msg, 0) end

local function readfile(path)
  local f = io.open(path, "rb")
  if not f then return nil end
  local s = f:read("a")
  f:close()
  return s
end

local writefile = report.writefile

local function quote(s) return "'" .. tostring(s):gsub("'", "'\\''") .. "'" end

local function mkdirp(dir)
  if os.execute("mkdir -p " .. quote(dir)) ~= true then
    die("cannot create directory " .. dir)
  end
end

-- The records of a runs.jsonl, one per id (the first), skipping a line cut
-- short by a kill; and whether the file ends cleanly.
local function readrecords(path, into, seen)
  into, seen = into or {}, seen or {}
  local text = readfile(path)
  if not text then return into, true, 0 end
  local dups = 0
  for line in text:gmatch("[^\n]+") do
    local ok, rec = pcall(json.decode, line)
    if ok and type(rec) == "table" and type(rec.id) == "string" then
      if seen[rec.id] then dups = dups + 1
      else
        seen[rec.id] = true
        into[#into + 1] = rec
      end
    end
  end
  return into, text == "" or text:sub(-1) == "\n", dups
end

-- Records in suite order (unknown ids last, by id).
local function ordered(suite, records)
  local rank = {}
  for i, r in ipairs(suite:runs()) do rank[r.id] = i end
  table.sort(records, function(a, b)
    local ra, rb = rank[a.id] or math.huge, rank[b.id] or math.huge
    if ra ~= rb then return ra < rb end
    return a.id < b.id
  end)
  return records
end

local function selected(suite, o)
  local list = {}
  for _, r in ipairs(suite:runs()) do
    local keep = true
    if o.filter then
      keep = (r.id .. " " .. r.label):find(o.filter) ~= nil
    end
    if keep and o.shard then
      keep = tonumber(r.id:sub(1, 8), 16) % o.shard[2] == o.shard[1] - 1
    end
    if keep then list[#list + 1] = r end
  end
  return list
end

local function manifest(suite, o, counts)
  local configs = {}
  local seen = {}
  for _, r in ipairs(suite:runs()) do
    local key = r.problem .. "\0" .. r.solver .. "\0" .. r.grid_key
    if not seen[key] then
      seen[key] = true
      local _, shown = suite:runoptions(r)
      shown.seed = nil
      configs[#configs + 1] = {problem = r.problem, solver = r.solver,
                               grid = r.grid_key, options = shown}
    end
  end
  local problems, solvers = {}, {}
  for _, p in ipairs(suite.problems) do
    problems[#problems + 1] = {name = p.name, fstar = p.fstar,
      data = p.data ~= nil, constraints = json.object{eq = p.eq and #p.eq or nil,
      ineq = p.ineq and #p.ineq or nil, lower = p.lower ~= nil or nil,
      upper = p.upper ~= nil or nil}}
  end
  for _, s in ipairs(suite.solvers) do
    solvers[#solvers + 1] = {name = s.name, method = s.method}
  end
  local seeds = json.object{}
  for _, r in ipairs(suite:runs()) do
    seeds[r.id] = {seed = r.seed, instance_seed = r.instance_seed}
  end
  local limits = json.object{}
  for k, v in pairs(suite.limits) do limits[k] = v end
  for k, v in pairs{memory = o.memory, walltime = o.walltime} do limits[k] = v end
  return {
    slope = core.version, lua = core.lua_version, gsl = core.gsl_version,
    glpk = core.glpk_version, host = proc.hostname(),
    created = os.date("!%Y-%m-%dT%H:%M:%SZ"),
    suite = {name = suite.name, file = suite.file, sha256 = suite.sha256,
             seed = suite.seed, repeats = suite.repeats, tol = suite.tol,
             tau = suite.tau},
    problems = problems, solvers = solvers, configurations = configs,
    limits = limits, jobs = o.jobs or 1, filter = o.filter,
    shard = o.shard and format("%d/%d", o.shard[1], o.shard[2]) or nil,
    defaults = experiment.defaults, sgd_defaults = experiment.sgd_defaults,
    runs = counts, seeds = seeds,
  }
end

local function clock(s)
  s = math.floor(s + 0.5)
  if s >= 3600 then return format("%d:%02d:%02d", s // 3600, s // 60 % 60, s % 60) end
  return format("%d:%02d", s // 60, s % 60)
end

-- Progress on stdout: one redrawn bar (runs done / total, failures,
-- elapsed, ETA) when stdout is a terminal, a plain line per run otherwise.
local function progressor(total, quiet)
  if quiet then return function() end, function() end end
  local tty = proc.isatty(1)
  local t0, done, failed = proc.clock(), 0, 0
  local function line(rec)
    local el = proc.clock() - t0
    local eta = done > 0 and el / done * (total - done) or 0
    if tty then
      local w = 24
      local k = total > 0 and math.floor(w * done / total) or w
      io.stdout:write(format("\r[%s%s] %d/%d runs, %d failed, %s elapsed, ETA %s\27[K",
        string.rep("#", k), string.rep(".", w - k), done, total, failed,
        clock(el), clock(eta)))
    elseif rec then
      io.stdout:write(format("slope run: %d/%d %s %s/%s/%s/%d %s%s\n", done, total,
        rec.id, rec.problem, rec.solver, rec.grid_key ~= "" and rec.grid_key or "-",
        rec["repeat"], rec.status,
        rec.status == "failed" and (" (" .. tostring(rec.reason) .. ")")
        or format(" f=%.6g", tonumber(rec.f) or 0 / 0)))
    end
    io.stdout:flush()
  end
  return function(rec)
    done = done + 1
    if rec.status == "failed" then failed = failed + 1 end
    line(rec)
  end, function()
    if tty then line(nil); io.stdout:write("\n") end
  end
end

-- Run a suite into its directory (see the usage). Returns the records in
-- suite order, the directory and whether every selected run is recorded.
function cli.execute(suite, o)
  local runs = selected(suite, o)
  local dir = o.out or ("results/" .. suite.name)
  if o.dryrun then
    for _, r in ipairs(runs) do
      io.write(format("%s  %s  seed=%d\n", r.id, r.label, r.seed))
    end
    return {}, dir, true
  end
  mkdirp(dir)
  local jsonl = dir .. "/runs.jsonl"
  local old, clean = readrecords(jsonl)
  if #old > 0 and not o.resume then
    die(format("%s holds %d runs already: use --resume, or another --out",
               jsonl, #old))
  end
  if o.resume then
    local m = readfile(dir .. "/manifest.json")
    local okm, man = pcall(json.decode, m or "")
    if okm and type(man) == "table" and man.suite and man.suite.seed ~= suite.seed then
      die(format("%s was run with suite seed %s, not %s", dir,
                 tostring(man.suite.seed), tostring(suite.seed)))
    end
    if not clean then  -- a line cut short by a kill: keep the whole ones
      local lines = {}
      for _, r in ipairs(old) do lines[#lines + 1] = json.encode(r) end
      writefile(jsonl, #lines > 0 and concat(lines, "\n") .. "\n" or "")
    end
  end
  local have = {}
  for _, r in ipairs(old) do have[r.id] = true end
  local pending = {}
  for _, r in ipairs(runs) do
    if not have[r.id] then pending[#pending + 1] = r end
  end
  writefile(dir .. "/manifest.json", json.encode(manifest(suite, o,
    {selected = #runs, pending = #pending, total = #suite:runs()})) .. "\n")
  local f = io.open(jsonl, "ab")
  if not f then die("cannot open " .. jsonl) end
  local step, close = progressor(#pending, o.quiet)
  local ok, complete = pcall(experiment.pool, suite, pending, {
    jobs = o.jobs or 1, memory = o.memory or suite.limits.memory,
    walltime = o.walltime or suite.limits.walltime, maxruns = o.maxruns,
    onrecord = function(rec)
      f:write(json.encode(rec), "\n")
      proc.fsync(f)
      step(rec)
    end})
  close()
  f:close()
  if not ok then error(complete, 0) end
  local records = ordered(suite, (readrecords(jsonl)))
  local failed = 0
  for _, r in ipairs(records) do
    if r.status == "failed" then failed = failed + 1 end
  end
  writefile(dir .. "/manifest.json", json.encode(manifest(suite, o,
    {selected = #runs, recorded = #records, failed = failed,
     total = #suite:runs(), complete = complete})) .. "\n")
  report.write(suite, records, dir, {name = suite.name, file = suite.file,
    sha256 = suite.sha256, seed = suite.seed, failed = failed})
  return records, dir, complete
end

local function parse(args)
  local o, i = {}, 1
  local function value(name)
    i = i + 1
    if args[i] == nil then die(name .. " needs an argument") end
    return args[i]
  end
  local function count(name, v, lo)
    local n = math.tointeger(tonumber(v))
    if not n or n < lo then die(format("%s needs an integer >= %d, got '%s'", name, lo, v)) end
    return n
  end
  while i <= #args do
    local a = args[i]
    if a == "--help" or a == "-h" then o.help = true
    elseif a == "--jobs" or a == "-j" then o.jobs = count("--jobs", value(a), 1)
    elseif a == "--out" or a == "-o" then o.out = value(a)
    elseif a == "--resume" then o.resume = true
    elseif a == "--filter" then o.filter = value(a)
    elseif a == "--shard" then
      local v = value(a)
      local k, n = v:match("^(%d+)/(%d+)$")
      k, n = tonumber(k), tonumber(n)
      if not k or n < 1 or k < 1 or k > n then
        die("--shard needs K/N with 1 <= K <= N, got '" .. v .. "'")
      end
      o.shard = {math.tointeger(k), math.tointeger(n)}
    elseif a == "--dry-run" or a == "-n" then o.dryrun = true
    elseif a == "--memory" then
      local v = value(a)
      local n, unit = v:match("^(%d+)([kKmMgG]?)$")
      if not n then die("--memory needs bytes or a size like 512M, got '" .. v .. "'") end
      o.memory = math.tointeger(n) * (({k = 1 << 10, m = 1 << 20, g = 1 << 30})[unit:lower()] or 1)
    elseif a == "--walltime" then
      o.walltime = tonumber(value(a))
      if not o.walltime or o.walltime <= 0 then die("--walltime needs seconds > 0") end
    elseif a == "--quiet" or a == "-q" then o.quiet = true
    elseif a == "--max-runs" then o.maxruns = count("--max-runs", value(a), 0)
    elseif a == "--slurm" then o.slurm = true
    elseif a == "--array-size" then o.arraysize = count("--array-size", value(a), 1)
    elseif a == "--wait" then o.wait = true
    elseif a:sub(1, 1) == "-" and a ~= "-" then die("unknown option '" .. a .. "'")
    elseif o.file == nil then o.file = a
    else die("unexpected argument '" .. a .. "'") end
    i = i + 1
  end
  if (o.arraysize or o.wait) and not o.slurm then
    die((o.wait and "--wait" or "--array-size") .. " goes with --slurm")
  end
  if o.slurm and (o.shard or o.maxruns or o.dryrun) then
    die("--slurm chooses the shards itself: no --shard, --max-runs or --dry-run")
  end
  return o
end

local function absolute(path)
  if path:sub(1, 1) == "/" then return path end
  local pwd = os.getenv("PWD")
  if not pwd then
    local p = io.popen("pwd")
    pwd = p:read("l")
    p:close()
  end
  return pwd .. "/" .. path
end

-- The lines a shell command prints, and whether it succeeded.
local function capture(cmd)
  local p = io.popen(cmd .. " 2>&1")
  local text = p:read("a")
  local ok = p:close()
  return text, ok == true
end

-- slope run SUITE.lua --slurm: write DIR/slurm/job.sh, a job array whose
-- task K runs shard K of N into DIR/shards/K (with --resume, so that a
-- task that is requeued goes on where it stopped), and submit it with
-- sbatch. With --wait, poll squeue until the array is over and merge.
function cli.slurm(suite, o)
  local runs = selected(suite, o)
  if #runs == 0 then die("no runs selected") end
  local n = math.min(o.arraysize or math.min(#runs, 16), #runs)
  local dir = absolute(o.out or ("results/" .. suite.name))
  mkdirp(dir .. "/slurm")
  if readfile(dir .. "/runs.jsonl") and not o.resume then
    die(dir .. "/runs.jsonl exists: use --resume, or another --out")
  end
  local exe = proc.executable()
  if not exe then die("cannot tell the path of the slope program") end
  local jobs = o.jobs or 1
  local cmd = {quote(exe), "run", quote(suite.file), "--out",
               quote(dir .. "/shards/") .. '"$SLURM_ARRAY_TASK_ID"',
               "--shard", '"$SLURM_ARRAY_TASK_ID"/' .. n, "--resume", "--quiet",
               "--jobs", tostring(jobs)}
  if o.filter then cmd[#cmd + 1] = "--filter " .. quote(o.filter) end
  if o.memory then cmd[#cmd + 1] = "--memory " .. o.memory end
  if o.walltime then cmd[#cmd + 1] = format("--walltime %.17g", o.walltime) end
  local script = concat({
    "#!/bin/sh",
    "# slope run --slurm: task K of this array runs shard K/" .. n
      .. " of suite " .. suite.name,
    "#SBATCH --job-name=" .. quote("slope-" .. suite.name),
    format("#SBATCH --array=1-%d", n),
    "#SBATCH --ntasks=1",
    format("#SBATCH --cpus-per-task=%d", jobs),
    "#SBATCH --output=" .. dir .. "/slurm/task-%a.out",
    "#SBATCH --chdir=" .. absolute("."),
    "exec " .. concat(cmd, " "),
    ""}, "\n")
  local job = dir .. "/slurm/job.sh"
  writefile(job, script)
  writefile(dir .. "/manifest.json", json.encode(manifest(suite, o,
    {selected = #runs, total = #suite:runs(), shards = n})) .. "\n")
  local sbatch = os.getenv("SLOPE_SBATCH") or "sbatch"
  local out, ok = capture(sbatch .. " --parsable " .. quote(job))
  local id = out:match("^%s*(%d+)")
  if not ok or not id then
    die("sbatch could not submit " .. job .. ": " .. (out:gsub("%s+$", "")))
  end
  writefile(dir .. "/slurm/jobid", id .. "\n")
  io.write(format("slope run: submitted job array %s (%d tasks, %d runs) "
                  .. "to Slurm; %s\n", id, n, #runs, o.wait and "waiting"
                  or "when it is over: slope merge " .. dir))
  io.stdout:flush()
  if not o.wait then return 0 end
  local squeue = os.getenv("SLOPE_SQUEUE") or "squeue"
  local last
  while true do
    local text = capture(squeue .. " -h -r -j " .. id .. " -o %i")
    local left = 0
    for l in text:gmatch("[^\n]+") do
      if l:match("^%s*" .. id .. "_") or l:match("^%s*%d+%s*$") then left = left + 1 end
    end
    if left == 0 then break end
    if left ~= last and not o.quiet then
      io.write(format("slope run: job array %s: %d of %d tasks left\n", id, left, n))
      io.stdout:flush()
    end
    last = left
    proc.sleep(0.5)
  end
  return cli.merge(dir)
end

-- slope run SUITE.lua [options]
function cli.run(...)
  local o = parse{...}
  if o.help then io.write(usage); return 0 end
  if not o.file then
    io.stderr:write("slope run: no suite file (slope run --help)\n")
    return 1
  end
  local suite = experiment.load(o.file)
  if suite.file:sub(1, 1) ~= "/" then
    local pwd = os.getenv("PWD")
    if pwd then suite.file = pwd .. "/" .. suite.file end
  end
  if o.slurm then return cli.slurm(suite, o) end
  local records, dir, complete = cli.execute(suite, o)
  if o.dryrun then return 0 end
  if not o.quiet then
    local failed = 0
    for _, r in ipairs(records) do if r.status == "failed" then failed = failed + 1 end end
    io.write(format("slope run: %d runs recorded in %s (%d failed)%s\n",
      #records, dir, failed, complete and "" or ", stopped before the end"))
  end
  return complete and 0 or 3
end

local function loadmanifest(dir)
  local text = readfile(dir .. "/manifest.json")
  if not text then die("no manifest.json in " .. dir) end
  return json.decode(text)
end

local function suitefrom(man)
  local suite = experiment.load(man.suite.file)
  if suite.sha256 ~= man.suite.sha256 then
    io.stderr:write("slope: warning: " .. man.suite.file
                    .. " changed since the suite ran (SHA-256 differs)\n")
  end
  suite.seed = man.suite.seed
  return suite
end

-- slope merge DIR [DIR...]
function cli.merge(...)
  local dirs = {...}
  if dirs[1] == nil or dirs[1] == "--help" then
    io.write(usage)
    return dirs[1] and 0 or 1
  end
  local dir = dirs[1]
  local files = {dir .. "/runs.jsonl"}
  local ls = io.popen("ls -d " .. quote(dir) .. "/shards/*/ 2>/dev/null")
  local shards = {}
  for d in ls:lines() do shards[#shards + 1] = (d:gsub("/$", "")) end
  ls:close()
  table.sort(shards)
  for _, d in ipairs(shards) do files[#files + 1] = d .. "/runs.jsonl" end
  for i = 2, #dirs do files[#files + 1] = dirs[i] .. "/runs.jsonl" end
  local records, seen, dups = {}, {}, 0
  for _, path in ipairs(files) do
    local _, _, d = readrecords(path, records, seen)
    dups = dups + d
  end
  local man
  local okm = pcall(function() man = loadmanifest(dir) end)
  if not okm then
    for _, d in ipairs(shards) do
      if pcall(function() man = loadmanifest(d) end) then break end
    end
    for i = 2, #dirs do
      if man then break end
      pcall(function() man = loadmanifest(dirs[i]) end)
    end
  end
  if not man then die("no manifest.json in " .. dir .. " or its shards") end
  local suite = suitefrom(man)
  records = ordered(suite, records)
  local lines = {}
  local failed = 0
  for i, r in ipairs(records) do
    lines[i] = json.encode(r)
    if r.status == "failed" then failed = failed + 1 end
  end
  mkdirp(dir)
  writefile(dir .. "/runs.jsonl", #lines > 0 and concat(lines, "\n") .. "\n" or "")
  local expected, missing = selected(suite, {filter = man.filter}), 0
  local have = {}
  for _, r in ipairs(records) do have[r.id] = true end
  for _, r in ipairs(expected) do if not have[r.id] then missing = missing + 1 end end
  man.runs = {recorded = #records, failed = failed, total = #suite:runs(),
              selected = #expected, missing = missing, complete = missing == 0}
  man.shard = nil
  writefile(dir .. "/manifest.json", json.encode(man) .. "\n")
  report.write(suite, records, dir, {name = suite.name, file = suite.file,
    sha256 = suite.sha256, seed = suite.seed, failed = failed})
  io.write(format("merged %d runs of %d from %d files (%d duplicates dropped)\n",
                  #records, #expected, #files, dups))
  if missing > 0 then
    io.write(format("slope merge: %d runs missing: slope run %s --out %s "
                    .. "--resume runs them\n", missing, man.suite.file, dir))
    return 3
  end
  return 0
end

-- slope replay DIR RUN_ID
function cli.replay(dir, id)
  if dir == "--help" then io.write(usage); return 0 end
  if not dir or not id then
    io.stderr:write("usage: slope replay DIR RUN_ID\n")
    return 1
  end
  local man = loadmanifest(dir)
  local suite = suitefrom(man)
  local run
  for _, r in ipairs(suite:runs()) do
    if r.id:sub(1, #id) == id then
      if run then die("run id '" .. id .. "' is ambiguous") end
      run = r
    end
  end
  if not run then die("no run '" .. id .. "' in " .. man.suite.file) end
  local recorded
  for _, r in ipairs((readrecords(dir .. "/runs.jsonl"))) do
    if r.id == run.id then recorded = r end
  end
  if not recorded then die("run " .. run.id .. " is not recorded in " .. dir) end
  local now = suite:execute(run)
  -- through JSON, as the recorded one went
  now = json.decode(json.encode(now))
  local diffs = {}
  local function cmp(name, a, b)
    local sa = type(a) == "number" and format("%a", a) or tostring(a)
    local sb = type(b) == "number" and format("%a", b) or tostring(b)
    if sa ~= sb then
      diffs[#diffs + 1] = format("%s: recorded %s, now %s", name,
        type(a) == "number" and format("%.17g", a) or tostring(a),
        type(b) == "number" and format("%.17g", b) or tostring(b))
    end
  end
  cmp("status", recorded.status, now.status)
  cmp("f", recorded.f, now.f)
  cmp("gnorm", recorded.gnorm, now.gnorm)
  cmp("iterations", recorded.iterations, now.iterations)
  local re, ne = recorded.evaluations or {}, now.evaluations or {}
  cmp("evaluations.f", re.f, ne.f)
  cmp("evaluations.grad", re.grad, ne.grad)
  cmp("error", recorded.error, now.error)
  local rx, nx = recorded.x or {}, now.x or {}
  for i = 1, math.max(#rx, #nx) do cmp(format("x[%d]", i), rx[i], nx[i]) end
  local rt, nt = recorded.trace or {}, now.trace or {}
  cmp("trace length", #rt, #nt)
  local function bits(v) return type(v) == "number" and format("%a", v) or tostring(v) end
  for i = 1, math.min(#rt, #nt) do
    if bits(rt[i]) ~= bits(nt[i]) then
      cmp(format("trace[%d]", i), rt[i], nt[i])
      break
    end
  end
  if #diffs == 0 then
    io.write("same\n")
    return 0
  end
  io.write(format("differ: run %s (%s)\n", run.id, run.label))
  for _, d in ipairs(diffs) do io.write("  ", d, "\n") end
  return 1
end

-- A subcommand's errors are messages, not tracebacks.
for _, name in ipairs{"run", "merge", "replay"} do
  local fn = cli[name]
  cli[name] = function(...)
    local ok, r = pcall(fn, ...)
    if ok then return r end
    local msg = tostring(r)
    if not msg:find("^slope") then msg = "slope " .. name .. ": " .. msg end
    io.stderr:write(msg, "\n")
    return 1
  end
end

cli.usage = usage
return cli
