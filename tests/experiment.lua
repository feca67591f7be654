-- experiment.lua: slope.experiment and `slope run / merge / replay`:
-- seeds from coordinates, worker processes, durable records, resume,
-- failures with reasons, shards, filters, outputs and replay.
local t = require "tap"
local slope = require "slope"
local experiment = require "slope.experiment"
local json = require "slope.experiment_json"
local proc = require("slope.core").proc
local optim = slope.optim

local SLOPE = assert(os.getenv("SLOPE"), "SLOPE not set")
local tmp = (os.getenv("TEST_TMPDIR") or "/tmp") .. "/experiment-" .. proc.getpid()
local valgrind = SLOPE:find("valgrind", 1, true) ~= nil
os.execute("rm -rf " .. t.quote(tmp) .. " && mkdir -p " .. t.quote(tmp))

local read = t.read
local write = t.write
local function records(dir)
  local list = {}
  for line in (read(dir .. "/runs.jsonl") or ""):gmatch("[^\n]+") do
    list[#list + 1] = json.decode(line)
  end
  return list
end
local function slope_run(args)
  return t.run("cd " .. t.quote(tmp) .. " && " .. SLOPE .. " " .. args:gsub("^slope ", ""))
end

-- {{ JSON
local samples = {0.1, 1 / 3, -2.385e-300, 1e308, 5e-324, 2 ^ 53 + 0.0, 3.0,
                 -0.5, 12, -7, math.maxinteger, math.mininteger}
local okrt = true
for _, v in ipairs(samples) do
  local back = json.decode(json.encode(v))
  if back ~= v or math.type(back) ~= math.type(v) then okrt = false end
end
t.ok(okrt, "json: numbers round-trip to the bit, integers stay integers")
local nested = {name = "a\"b\\c\n\t\1é€😀", list = {1, 2.5, "x", true, false},
                obj = {k = {deep = {1, {2}}}}}
local back = json.decode(json.encode(nested))
t.is(back.name, nested.name, "json: escapes and UTF-8 round-trip")
t.is(back.obj.k.deep[2][1], 2, "json: nested tables round-trip")
t.is(json.encode{b = 1, a = {}, c = json.object()}, '{"a":[],"b":1,"c":{}}',
     "json: sorted keys, [] and {}")
t.is(json.encode{0 / 0, math.huge, -math.huge}, "[null,null,null]",
     "json: nan and inf are null")
t.is(json.decode('"\\ud83d\\ude00 \\u00e9"'), "😀 é", "json: \\u escapes and surrogates")
t.is(json.decode(' [1, null, 3] ')[2], json.null, "json: null kept in arrays")
t.error_like("json.decode: trailing text at byte 3", json.decode, "1 2")
t.error_like("json.decode: unterminated string", json.decode, '"abc')
t.error_like("json.encode: cannot encode a value of type function",
             json.encode, {print})
-- }}

-- {{ SHA-256 and the generator
t.is(proc.sha256("abc"),
     "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
     "sha256('abc') (FIPS 180-4)")
t.is(proc.sha256("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
     "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
     "sha256 of the 448-bit FIPS vector (two blocks of padding)")
t.is(proc.sha256(string.rep("a", 1000000)),
     "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0",
     "sha256 of a million 'a'")
local r1, r2 = experiment.rng(42), experiment.rng(42)
local same = true
for _ = 1, 100 do if r1:next() ~= r2:next() then same = false end end
t.ok(same, "rng: the same seed, the same stream")
local u = experiment.rng(2385)
local sum, n = 0, 20000
for _ = 1, n do sum = sum + u:normal() end
t.ok(math.abs(sum / n) < 0.03, "rng: normal draws have mean 0", sum / n)
t.error_like("bad argument #1 to 'rng' (integer expected, got float)",
             experiment.rng, 1.5)
-- }}

-- {{ The small suite: 2 problems x 2 solvers x 2 learning rates x 2 seeds
local suitetext = [[
local experiment = require "slope.experiment"
return experiment.suite{
  name = "small", seed = 7, repeats = 2,
  options = {maxiter = 150},
  problems = {
    {name = "rosen",
     loss = function(x) return (1 - x[1])^2 + 100 * (x[2] - x[1]^2)^2 end,
     start = function(rng) return {-1.2 + 0.1 * rng:normal(), 1 + 0.1 * rng:normal()} end,
     fstar = 0},
    {name = "quad",
     loss = function(x) return (x[1] - 1.5)^2 + 3 * (x[2] + 0.25)^2 + 0.125 end,
     start = function(rng) return {rng:uniform(-2, 2), rng:uniform(-2, 2)} end,
     fstar = 0.125},
  },
  solvers = {{name = "mom", method = "momentum"}, {name = "adam", method = "adam"}},
  grid = {lr = {LRS}},
}
]]
local suitefile = tmp .. "/small.lua"
write(suitefile, (suitetext:gsub("LRS", "0.002, 0.02")))

local out, err, status = slope_run("slope run small.lua --jobs 2 --out r1")
t.is(status, 0, "slope run --jobs 2 exits 0")
t.ok(out:find("slope run: 16/16 ", 1, true) and out:find("16 runs recorded in r1 (0 failed)", 1, true),
     "plain progress lines on a non-terminal stdout", out)
local recs = records(tmp .. "/r1")
local suite = experiment.load(suitefile)
local runs = suite:runs()
t.is(#runs, 16, "16 runs in the suite")
local ids, byid = {}, {}
for _, r in ipairs(recs) do ids[r.id] = (ids[r.id] or 0) + 1; byid[r.id] = r end
local once = #recs == 16
for _, r in ipairs(runs) do if ids[r.id] ~= 1 then once = false end end
t.ok(once, "every run recorded exactly once")

-- each record equals a direct optim.minimize with the same options and seed
local loss = {rosen = suite.problems[1].loss, quad = suite.problems[2].loss}
local equal, checked = true, 0
for _, run in ipairs(runs) do
  local rng = experiment.rng(run.instance_seed)
  local x0
  if run.problem == "rosen" then
    x0 = {-1.2 + 0.1 * rng:normal(), 1 + 0.1 * rng:normal()}
  else
    x0 = {rng:uniform(-2, 2), rng:uniform(-2, 2)}
  end
  local r = optim.minimize(loss[run.problem], x0, {
    method = run.solver == "mom" and "momentum" or "adam",
    lr = tonumber(run.grid.lr), maxiter = 150, seed = run.seed, trace = true})
  local rec = byid[run.id]
  if not (rec and rec.f == r.f and rec.iterations == r.iterations and
          rec.status == r.status and #rec.trace == #r.trace and
          rec.trace[#rec.trace] == r.trace[#r.trace].f) then
    equal = false
  end
  checked = checked + 1
end
t.ok(equal and checked == 16, "records equal direct optim.minimize runs to the bit")
t.ok(recs[1].evaluations and recs[1].evaluations.grad > 0 and recs[1].time >= 0
     and recs[1].gnorm and recs[1].fgap and recs[1].seed and recs[1].options.gtol == 1e-6,
     "a record holds evaluations, time, |g|, f - f*, seed and options with defaults")
local distinct = {}
for _, r in ipairs(runs) do distinct[r.seed] = true end
local nseeds = 0
for _ in pairs(distinct) do nseeds = nseeds + 1 end
t.is(nseeds, 16, "every run has its own seed")

-- adding a grid point changes no other run
local bigger = experiment.load((function()
  local p = tmp .. "/bigger.lua"
  write(p, (suitetext:gsub("LRS", "0.05, 0.002, 0.02")))
  return p
end)())
local bruns, stable, found = bigger:runs(), true, 0
local old = {}
for _, r in ipairs(runs) do old[r.id] = r end
for _, r in ipairs(bruns) do
  local o = old[r.id]
  if o then
    found = found + 1
    if o.seed ~= r.seed or o.instance_seed ~= r.instance_seed or o.label ~= r.label then
      stable = false
    end
  end
end
t.ok(#bruns == 24 and found == 16 and stable,
     "a new grid point: 8 new runs, the 16 others keep ids and seeds")
-- }}

-- {{ Outputs
local csv = read(tmp .. "/r1/runs.csv")
local lines = {}
for l in csv:gmatch("[^\r\n]+") do lines[#lines + 1] = l end
t.is(lines[1], "id,problem,solver,method,grid,repeat,seed,status,reason,f,gnorm,"
     .. "fgap,iterations,evals_f,evals_grad,evals_hess,time,error", "runs.csv header")
t.is(#lines, 17, "runs.csv: a row per run")
local row = {}
for v in (lines[2] .. ","):gmatch("([^,]*),") do row[#row + 1] = v end
local r1rec = byid[row[1]]
t.ok(r1rec and tonumber(row[10]) == r1rec.f and row[5] == r1rec.grid_key and
     tonumber(row[13]) == r1rec.iterations, "runs.csv row matches its record", lines[2])

local man = json.decode(read(tmp .. "/r1/manifest.json"))
t.is(man.slope, t.configured_version(), "manifest: slope version")
t.ok(man.lua:find("^Lua 5%.4") and man.gsl:find("^%d") and man.glpk:find("^%d"),
     "manifest: Lua, GSL and GLPK versions")
t.is(man.suite.sha256, proc.sha256(read(suitefile)), "manifest: the suite file's SHA-256")
t.is(man.suite.seed, 7, "manifest: suite seed")
t.ok(man.seeds[runs[3].id].seed == runs[3].seed and man.seeds[runs[3].id].instance_seed
     == runs[3].instance_seed, "manifest: every run's seeds")
t.ok(man.host ~= nil and man.host ~= "", "manifest: host")
t.ok(#man.configurations == 8 and man.configurations[1].options.maxiter == 150
     and man.configurations[1].options.momentum == 0.9
     and man.configurations[1].options.gtol == 1e-6,
     "manifest: every configuration's options, defaults included")
t.is(man.runs.recorded, 16, "manifest: 16 runs recorded")

local md = read(tmp .. "/r1/report.md")
t.ok(md:find("| problem | solver | grid | runs | success | median f | IQR f |", 1, true),
     "report.md: the summary table")
local nrows = 0
for _ in md:gmatch("\n| [%w]+ | [%w]+ | lr=") do nrows = nrows + 1 end
t.is(nrows, 8, "report.md: a row per problem x solver x grid point")
t.ok(md:find("| quad | mom | lr=0.02 | 2 | 100% |", 1, true),
     "report.md: momentum with lr 0.02 solves the quadratic", md)
local svgs = {"loss-rosen.svg", "loss-quad.svg", "performance.svg", "data.svg"}
local linked = true
for _, s in ipairs(svgs) do
  if not md:find("](" .. s .. ")", 1, true) then linked = false end
end
t.ok(linked, "report.md links the loss curves and both profiles")
-- every SVG in a results directory parses (xmllint) and is an SVG document
local function svgsparse(dir, name)
  local list = t.run("cd " .. t.quote(dir) .. " && ls *.svg")
  local n = select(2, list:gsub("\n", ""))
  if os.execute("command -v xmllint >/dev/null 2>&1") then
    local _, xerr, xs = t.run("cd " .. t.quote(dir) .. " && xmllint --noout *.svg")
    t.ok(n >= 3 and xs == 0 and xerr == "", name .. ": the " .. n .. " SVGs parse with xmllint", xerr)
  else
    t.ok(n >= 3 and read(dir .. "/performance.svg"):find("<svg", 1, true),
         name .. ": SVGs written (# no xmllint here)")
  end
end
svgsparse(tmp .. "/r1", "r1")
local perf = read(tmp .. "/r1/performance.svg")
t.ok(select(2, perf:gsub('class="curve"', "")) == 4 and select(2, perf:gsub('class="legend%-label"', "")) == 4,
     "performance profile: a curve and a legend entry per configuration")

-- replay
out, err, status = slope_run("slope replay r1 " .. runs[5].id)
t.ok(status == 0 and out == "same\n", "replay: same", out .. err)
os.execute("cp -r " .. t.quote(tmp .. "/r1") .. " " .. t.quote(tmp .. "/r1x"))
local tampered = read(tmp .. "/r1x/runs.jsonl"):gsub('},"f":([%d.e-]+)', function(v)
  return '},"f":' .. string.format("%.17g", tonumber(v) * (1 + 1e-15))
end, 1)
write(tmp .. "/r1x/runs.jsonl", tampered)
local firstid = json.decode(tampered:match("[^\n]+")).id
out, err, status = slope_run("slope replay r1x " .. firstid)
t.ok(status == 1 and out:find("differ: run " .. firstid, 1, true) and out:find("  f: recorded "),
     "replay: a changed f is a difference, exit 1", out .. err)
-- }}

-- {{ A progress bar on a terminal (script(1) gives the run a pty)
if os.execute("command -v script >/dev/null 2>&1") then
  out = t.run("cd " .. t.quote(tmp) .. " && script -qfec " .. t.quote(SLOPE
              .. " run small.lua --jobs 2 --out rtty") .. " /dev/null")
  t.ok(out:find("\r[########################] 16/16 runs, 0 failed, 0:0", 1, true)
       and out:find("ETA 0:00", 1, true) and not out:find("slope run: 1/16", 1, true),
       "a terminal gets one redrawn bar: done/total, failures, elapsed, ETA", out)
else
  t.ok(true, "# SKIP script(1) is not installed")
end
-- }}

-- {{ Selection: dry run, shards, filter
out, err, status = slope_run("slope run small.lua --dry-run --out never")
local function idsof(text)
  local list = {}
  for l in text:gmatch("[^\n]+") do list[#list + 1] = l:match("^(%x+)  ") end
  return list
end
local listed = idsof(out)
t.ok(status == 0 and #listed == 16 and not read(tmp .. "/never/runs.jsonl"),
     "--dry-run lists 16 runs and writes nothing")
local s1 = slope_run("slope run small.lua --dry-run --shard 1/2")
local s2 = slope_run("slope run small.lua --dry-run --shard 2/2")
local seen, part = {}, true
local n1, n2 = 0, 0
for _, id in ipairs(idsof(s1)) do seen[id] = 1; n1 = n1 + 1 end
for _, id in ipairs(idsof(s2)) do
  if seen[id] then part = false end
  seen[id] = 2; n2 = n2 + 1
end
for _, id in ipairs(listed) do if not seen[id] then part = false end end
t.ok(part and n1 + n2 == 16 and n1 > 0 and n2 > 0,
     "--shard 1/2 and 2/2 partition the runs", n1 .. " + " .. n2)
out = slope_run("slope run small.lua --dry-run --filter 'quad/adam/lr=0%.02/'")
local fl = {}
for l in out:gmatch("[^\n]+") do fl[#fl + 1] = l end
t.ok(#fl == 2 and fl[1]:find("quad/adam/lr=0.02/1", 1, true) and
     fl[2]:find("quad/adam/lr=0.02/2", 1, true), "--filter: a Lua pattern on the label", out)
out = slope_run("slope run small.lua --dry-run --filter '^" .. listed[3] .. "'")
t.is(select(2, out:gsub("\n", "")), 1, "--filter on a run id")
local classic = (os.getenv("top_srcdir") or ".") .. "/examples/suites/classic.lua"
out, err, status = slope_run("slope run " .. t.quote(classic) .. " --dry-run")
t.ok(status == 0 and select(2, out:gsub("\n", "")) == 9 * 8 * 3
     and out:find("rosenbrock/gd/lr=0.0001/1", 1, true) and out:find("wood/newton/-/3", 1, true),
     "examples/suites/classic.lua: 9 problems x 8 solver settings x 3 seeds", err)
-- }}

-- {{ Stopped part-way, then --resume
out, err, status = slope_run("slope run small.lua --jobs 2 --out r2 --max-runs 5 --quiet")
local part1 = records(tmp .. "/r2")
t.ok(status == 3 and #part1 >= 5 and #part1 < 16,
     "--max-runs 5: stopped before the end, exit 3", #part1 .. " " .. err)
-- a record cut short by a kill in the middle of a write
local f = assert(io.open(tmp .. "/r2/runs.jsonl", "ab")); f:write('{"id":"trunc'); f:close()
out, err, status = slope_run("slope run small.lua --jobs 2 --out r2 --resume")
local all = records(tmp .. "/r2")
local count, dup = {}, false
for _, r in ipairs(all) do
  if count[r.id] then dup = true end
  count[r.id] = true
end
t.ok(status == 0 and #all == 16 and not dup, "--resume completes the suite, no duplicates",
     #all .. " " .. err)
t.ok(out:find("slope run: " .. (16 - #part1) .. "/" .. (16 - #part1) .. " ", 1, true),
     "--resume ran exactly the missing runs", out)
local same2 = true
for _, r in ipairs(all) do
  if byid[r.id].f ~= r.f then same2 = false end
end
t.ok(same2, "resumed runs give the same numbers as the full run")

-- SIGKILL of the parent while a run sleeps; workers die with it
write(tmp .. "/sleepy.lua", [[
local experiment = require "slope.experiment"
local proc = require("slope.core").proc
return experiment.suite{
  name = "sleepy", seed = 3,
  problems = {
    {name = "fast", loss = function(x) return (x[1] - 2.385)^2 end, start = {0}},
    {name = "slow", loss = function(x) return (x[1] + 1.5)^2 end,
     start = function() proc.sleep(30) return {0} end},
  },
  solvers = {{method = "bfgs"}, {method = "lbfgs"}},
}
]])
os.execute("cd " .. t.quote(tmp) .. " && (" .. SLOPE .. " run sleepy.lua --out r3-" .. proc.getpid() .. " --quiet "
           .. "& echo $! > r3.pid; wait) >/dev/null 2>&1 &")
local deadline = proc.clock() + (valgrind and 60 or 15)
while proc.clock() < deadline and #records(tmp .. "/r3-" .. proc.getpid()) < 2 do proc.sleep(0.05) end
local pid = tonumber(read(tmp .. "/r3.pid"))
t.is(#records(tmp .. "/r3-" .. proc.getpid()), 2, "before the kill: the two fast runs are recorded")
proc.kill(pid, proc.SIGKILL)
proc.sleep(0.3)
local left = t.run("pgrep -f 'run [s]leepy.lua --out r3-" .. proc.getpid() .. " ' || true")
t.is(left, "", "SIGKILL of the suite: no worker left behind")
local killedrecs = records(tmp .. "/r3-" .. proc.getpid())
t.is(#killedrecs, 2, "the kill lost no finished run")
-- }}

-- {{ kill -9 in the middle of a suite, --resume: the results equal an
-- uninterrupted run's (times aside), no run missing, none twice
write(tmp .. "/paced.lua", [[
local experiment = require "slope.experiment"
local proc = require("slope.core").proc
return experiment.suite{
  name = "paced", seed = 5, repeats = 3,
  problems = {
    {name = "beale", loss = function(x)
       return (1.5 - x[1] + x[1]*x[2])^2 + (2.25 - x[1] + x[1]*x[2]^2)^2
              + (2.625 - x[1] + x[1]*x[2]^3)^2 end,
     start = function(rng) proc.sleep(0.1) return {1 + 0.2 * rng:normal(), 0.5} end, fstar = 0},
    {name = "booth", loss = function(x) return (x[1] + 2*x[2] - 7)^2 + (2*x[1] + x[2] - 5)^2 end,
     start = function(rng) proc.sleep(0.1) return {rng:uniform(-3, 3), rng:uniform(-3, 3)} end,
     fstar = 0},
  },
  solvers = {{method = "bfgs"}, {method = "adam", options = {lr = 0.05}}},
}
]])
local function stripped(dir)
  local list, n, twice = {}, 0, false
  for _, r in ipairs(records(dir)) do
    r.time, r.wall = nil, nil
    if list[r.id] then twice = true end
    list[r.id] = json.encode(r)
    n = n + 1
  end
  return list, n, twice
end
slope_run("slope run paced.lua --jobs 2 --out pfull --quiet")
os.execute("cd " .. t.quote(tmp) .. " && (" .. SLOPE .. " run paced.lua --jobs 2 --out pkill-" .. proc.getpid() .. " "
           .. "--quiet & echo $! > pkill.pid; wait) >/dev/null 2>&1 &")
deadline = proc.clock() + (valgrind and 90 or 20)
while proc.clock() < deadline and #records(tmp .. "/pkill-" .. proc.getpid()) < 4 do proc.sleep(0.02) end
proc.kill(tonumber(read(tmp .. "/pkill.pid")), proc.SIGKILL)
proc.sleep(0.3)
local before = #records(tmp .. "/pkill-" .. proc.getpid())
t.ok(before >= 4 and before < 12, "kill -9 part-way through: some runs recorded", before)
t.is(t.run("pgrep -f 'run [p]aced.lua --jobs 2 --out pkill-" .. proc.getpid() .. " ' || true"), "", "kill -9: no worker left behind")
out, err, status = slope_run("slope run paced.lua --jobs 2 --out pkill-" .. proc.getpid() .. " --resume")
t.ok(status == 0 and out:find("slope run: " .. (12 - before) .. "/" .. (12 - before) .. " ", 1, true)
     and not out:find("/" .. (12 - before + 1) .. " ", 1, true),
     "--resume after kill -9 runs exactly the missing runs", out .. err)
local full, nfull, twicefull = stripped(tmp .. "/pfull")
local resumed, nres, twice = stripped(tmp .. "/pkill-" .. proc.getpid())
local equal2 = nfull == 12 and nres == 12 and not twice and not twicefull
for id, text in pairs(full) do if resumed[id] ~= text then equal2 = false end end
t.ok(equal2, "killed and resumed: the same 12 records as an uninterrupted run (times aside)",
     nfull .. " " .. nres)
-- }}

-- {{ Failures recorded with their reasons; the suite goes on
write(tmp .. "/bad.lua", [[
local experiment = require "slope.experiment"
local proc = require("slope.core").proc
local slope = require "slope"
local N = 40
local rows, ys = {}, {}
for i = 1, N do rows[i] = {math.sin(i), 1}; ys[i] = 2.5 * math.sin(i) - 0.75 end
return experiment.suite{
  name = "bad", seed = 11,
  limits = {maxtime = MAXT},
  problems = {
    {name = "ok", loss = function(x) return (x[1] - 2.385)^2 end, start = {0}, fstar = 0},
    {name = "boom", loss = function(x) return x[1]^2 end,
     start = function() error("boom: no start today", 0) end},
    {name = "hog", loss = function(x) return x[1]^2 end,
     start = function() local t, s = {}, string.rep("x", 1 << 16) for i = 1, 1e4 do t[i] = s:rep(1 << 10) .. i end end},
    {name = "crash", loss = function(x) return x[1]^2 end,
     start = function() proc.kill(proc.getpid(), proc.SIGKILL) end},
    {name = "stuck", loss = function(x) return x[1]^2 end,
     start = function() while true do end end},
    {name = "slowsolve", loss = function(x) return (x[1] - 1)^2 end, start = {0},
     options = {maxiter = 1e9, gtol = 0, lr = 1e-12}},
    {name = "lsq", loss = function(w, X, y)
       local s = 0
       for i = 1, #y do local e = X[i]:dot(w) - y[i]; s = s + e * e end
       return s / #y
     end, start = {0, 0}, data = {slope.mat(rows), slope.vec(ys)},
     options = {epochs = 30, batch = 16}},
  },
  options = {lr = 0.05},
  solvers = {{method = "adam"}},
}
]])
local bad = read(tmp .. "/bad.lua"):gsub("MAXT", valgrind and "10" or "0.5")
write(tmp .. "/bad.lua", bad)
-- valgrind cannot run under RLIMIT_AS: there, no memory cap and no hog
local limit = valgrind and " --filter '^%x+ [^h]'" or " --memory 100M"
out, err, status = slope_run("slope run bad.lua --jobs 2 --out r4 --quiet" .. limit)
t.is(status, 0, "a suite with failing runs still completes", err)
local got = {}
for _, r in ipairs(records(tmp .. "/r4")) do got[r.problem] = r end
t.ok(got.ok and got.ok.status == "converged" and math.abs(got.ok.x[1] - 2.385) < 1e-4,
     "the good run is recorded")
t.ok(got.boom and got.boom.status == "failed" and got.boom.reason == "error"
     and got.boom.error == "boom: no start today", "an error: failed, reason and message")
if valgrind then
  t.ok(true, "# SKIP the memory cap under valgrind (RLIMIT_AS breaks valgrind)")
else
  t.ok(got.hog and got.hog.status == "failed" and got.hog.reason == "memory"
       and got.hog.error:find("not enough memory", 1, true),
       "over the memory cap: failed, reason memory", got.hog and got.hog.error)
end
t.ok(got.crash and got.crash.status == "failed" and got.crash.reason == "signal"
     and got.crash.error:find("worker killed by signal 9", 1, true),
     "a worker killed by a signal: failed, reason signal", got.crash and got.crash.error)
t.ok(got.stuck and got.stuck.status == "failed" and got.stuck.reason == "timeout"
     and got.stuck.error:find("walltime limit", 1, true),
     "a loop for ever: killed at 2 maxtime + 1 s, reason timeout", got.stuck and got.stuck.error)
t.ok(got.slowsolve and got.slowsolve.status == "failed" and got.slowsolve.reason == "maxtime"
     and got.slowsolve.solver_status == "maxtime" and got.slowsolve.f < 1
     and got.slowsolve.error:find("maxtime 0.5 s", 1, true) or valgrind,
     "a solver stopped by maxtime: failed, reason maxtime, with its point",
     got.slowsolve and got.slowsolve.error)
local ss = got.slowsolve or {}
t.ok(valgrind or (ss.iterations > 2 * experiment.TRACEMAX and #ss.trace <= 2 * experiment.TRACEMAX
     and #ss.trace == #ss.trace_iter and ss.trace_iter[#ss.trace_iter] == ss.iterations
     and ss.trace_iter[1] < ss.trace_iter[2]),
     "a long run's loss curve is thinned, with its iterations", ss.iterations)
t.ok(got.lsq and got.lsq.status == "converged" and got.lsq.iterations == 30 * 3
     and #got.lsq.trace == 30 and got.lsq.f < got.lsq.trace[1],
     "a problem with data runs through optim.sgd (3 batches x 30 epochs)",
     got.lsq and got.lsq.iterations)
local bmd = read(tmp .. "/r4/report.md")
t.ok(bmd:find("## Failed runs", 1, true) and bmd:find("boom: no start today", 1, true),
     "report.md lists the failed runs")
svgsparse(tmp .. "/r4", "a suite with failures")
-- }}

-- {{ merge of shards
os.execute("cd " .. t.quote(tmp) .. " && " .. SLOPE .. " run small.lua --quiet --shard 1/2 "
           .. "--out r5/shards/1 && " .. SLOPE .. " run small.lua --quiet --shard 2/2 "
           .. "--out r5/shards/2 && cp r5/shards/1/runs.jsonl r5/runs.jsonl")
out, err, status = slope_run("slope merge r5")
local merged = records(tmp .. "/r5")
local mcount, mdup = {}, false
for _, r in ipairs(merged) do
  if mcount[r.id] then mdup = true end
  mcount[r.id] = true
end
t.ok(status == 0 and #merged == 16 and not mdup and out:find("merged 16 runs of 16", 1, true),
     "merge: the shards combine into 16 runs, duplicates dropped", out .. err)
t.ok(read(tmp .. "/r5/report.md"):find("| rosen | adam | lr=0.002 | 2 |", 1, true),
     "merge: report.md written")
-- }}

-- {{ The command line's mistakes
out, err, status = slope_run("slope run")
t.ok(status == 1 and err:find("slope run: no suite file", 1, true), "no suite file", err)
out, err, status = slope_run("slope run small.lua --shard 3/2")
t.ok(status == 1 and err:find("--shard needs K/N with 1 <= K <= N, got '3/2'", 1, true),
     "--shard 3/2 is refused", err)
out, err, status = slope_run("slope run small.lua --frobnicate")
t.ok(status == 1 and err:find("unknown option '--frobnicate'", 1, true), "unknown option", err)
out, err, status = slope_run("slope run small.lua --out r1 --quiet")
t.ok(status == 1 and err:find("holds 16 runs already: use --resume", 1, true),
     "an existing result is not overwritten", err)
out, err, status = slope_run("slope run --help")
t.ok(status == 0 and out:find("usage: slope run SUITE.lua [options]", 1, true)
     and out:find("--shard K/N", 1, true), "slope run --help")
write(tmp .. "/nosuite.lua", "return 42\n")
out, err, status = slope_run("slope run nosuite.lua")
t.ok(status == 1 and err:find("must return a suite", 1, true), "a file that is no suite", err)
t.error_like("suite: problem 'p' needs a start", experiment.suite,
             {problems = {{name = "p", loss = function() return 0 end}}})
t.error_like("suite: two solvers named 'gd'", experiment.suite,
             {solvers = {{method = "gd"}, {method = "gd"}}})
t.error_like("grid axis 'schedule': a function value needs a name", experiment.suite,
             {grid = {schedule = {function() return 1 end}}})
-- }}

-- {{ Help: every public function of slope.experiment has an entry whose
-- example holds
local help = require "slope.help"
local function publics(tbl, prefix, into)
  local names = {}
  for k, v in pairs(tbl) do
    if type(v) == "function" and not k:find("^__") then names[#names + 1] = k end
  end
  table.sort(names)
  for _, k in ipairs(names) do into[#into + 1] = {prefix .. k, tbl[k]} end
  return into
end
local pub = publics(experiment, "experiment.", {})
publics(experiment.Suite, "suite:", pub)
publics(experiment.Rng, "rng:", pub)
local missing = {}
for _, p in ipairs(pub) do
  local e = help.lookup(p[2])
  if not (e and e.signature and e.summary and e.example) then missing[#missing + 1] = p[1] end
end
t.ok(#pub >= 17 and #missing == 0, "help entries for the " .. #pub .. " public functions",
     table.concat(missing, " "))
local src = os.getenv("top_srcdir") or "."
local entries, order = {}, {}
assert(loadfile(src .. "/lua/slope/doc/experiment.lua"))()(function(name, info)
  entries[name] = info; order[#order + 1] = name
end)
for _, name in ipairs(order) do
  t.example(entries[name], setmetatable({slope = slope}, {__index = _G}), name)
end
out, err, status = slope_run("slope -e 'local slope = require \"slope\"; slope.help(slope.experiment.suite)'")
t.ok(status == 0 and out:find("experiment.suite{name=", 1, true) and out:find("Example:", 1, true),
     "help(slope.experiment.suite) in the program", out .. err)
-- }}

os.execute("rm -rf " .. t.quote(tmp))
t.done()
