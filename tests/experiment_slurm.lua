-- experiment_slurm.lua: `slope run --slurm` on a real single-node Slurm
-- cluster (slurmctld, slurmd and munged started here on localhost, with
-- a generated slurm.conf and munge key under a temporary directory, and
-- stopped at the end whatever happens): the job array's shards, merged,
-- give the same records as a local run. Skipped where Slurm or munge is
-- not installed, when not root, and under valgrind.
local t = require "tap"
local json = require "slope.experiment_json"
local proc = require("slope.core").proc

local SLOPE = assert(os.getenv("SLOPE"), "SLOPE not set")
if SLOPE:find("valgrind", 1, true) then t.skip_all("not under valgrind") end
local function have(cmd)
  return os.execute("command -v " .. cmd .. " >/dev/null 2>&1") == true
end
for _, cmd in ipairs{"slurmctld", "slurmd", "sbatch", "squeue", "sinfo",
                     "scontrol", "munged", "mungekey"} do
  if not have(cmd) then
    t.skip_all(cmd .. " not installed (scripts/bootstrap installs slurmctld "
               .. "slurmd slurm-client munge)")
  end
end
if t.run("id -u"):gsub("%s", "") ~= "0" then
  t.skip_all("starting slurmctld and slurmd needs root")
end

local read = t.read
local write = t.write
local function sh(cmd) return os.execute(cmd) == true end

-- A short directory of its own (the munge socket's path must stay short).
local tmp = t.run("mktemp -d /tmp/slope-slurm.XXXXXX"):gsub("%s+$", "")
assert(tmp:find("^/tmp/slope%-slurm%."), "mktemp failed")
local q = t.quote
local conf = tmp .. "/slurm.conf"
local env = "SLURM_CONF=" .. q(conf) .. " "
local socket = tmp .. "/munge/munge.socket"

local function pidof(file)
  return tonumber((read(tmp .. "/" .. file) or ""):match("%d+"))
end

-- The daemons' pids, read as soon as each has started (slurmctld removes
-- its pid file when it stops).
local daemons = {}
local function remember()
  for _, f in ipairs{"slurmctld.pid", "slurmd.pid", "munge/munged.pid"} do
    daemons[f] = daemons[f] or pidof(f)
  end
end

-- Stop the daemons (politely, then for sure) and remove the directory.
local function cleanup()
  local pids = {}
  remember()
  os.execute(env .. "timeout 5 scontrol shutdown >/dev/null 2>&1")
  local deadline = proc.clock() + 5
  for _, f in ipairs{"slurmctld.pid", "slurmd.pid", "munge/munged.pid"} do
    local pid = daemons[f]
    if pid then
      pids[#pids + 1] = pid
      proc.kill(pid, proc.SIGTERM)
      while proc.clock() < deadline and proc.kill(pid, 0) do proc.sleep(0.1) end
      if proc.kill(pid, 0) then proc.kill(pid, proc.SIGKILL) end
    end
  end
  os.execute("rm -rf " .. q(tmp))
  return pids
end

local function logs()
  local out = {}
  for _, f in ipairs{"slurmctld.log", "slurmd.log", "munge/munged.log"} do
    local text = read(tmp .. "/" .. f) or ""
    out[#out + 1] = "== " .. f .. "\n" .. text:sub(-1500)
  end
  return table.concat(out, "\n")
end

-- Two TCP ports free just now (the kernel picks them), else two from the
-- pid.
local function freeports()
  local out = t.run((os.getenv("PYTHON3") or "python3") .. [[ -c "
import socket
s = [socket.socket() for _ in range(2)]
for x in s: x.bind(('127.0.0.1', 0))
print(*[x.getsockname()[1] for x in s])"]])
  local a, b = out:match("^(%d+) (%d+)")
  if a then return tonumber(a), tonumber(b) end
  local port = 20000 + proc.getpid() % 20000
  return port, port + 1
end

local function body()
  -- munge: a fresh key, our own socket
  assert(sh("mkdir -p " .. q(tmp .. "/munge") .. " " .. q(tmp .. "/state") .. " "
            .. q(tmp .. "/spool") .. " && chmod 755 " .. q(tmp .. "/munge")))
  assert(sh("mungekey -c -b 1024 -k " .. q(tmp .. "/munge/munge.key")
            .. " && chmod 400 " .. q(tmp .. "/munge/munge.key")), "mungekey failed")
  local m = tmp .. "/munge/"
  assert(sh("munged -f --socket=" .. q(socket) .. " --key-file=" .. q(m .. "munge.key")
            .. " --log-file=" .. q(m .. "munged.log") .. " --pid-file="
            .. q(m .. "munged.pid") .. " --seed-file=" .. q(m .. "munged.seed")),
         "munged did not start")
  remember()

  local host = t.run("hostname -s"):gsub("%s+$", "")
  local ctldport, dport = freeports()
  write(conf, table.concat({
    "ClusterName=slopetest",
    "SlurmctldHost=" .. host .. "(127.0.0.1)",
    "SlurmctldPort=" .. ctldport, "SlurmdPort=" .. dport,
    "SlurmUser=root", "SlurmdUser=root",
    "AuthType=auth/munge", "AuthInfo=socket=" .. socket, "CredType=cred/munge",
    "StateSaveLocation=" .. tmp .. "/state", "SlurmdSpoolDir=" .. tmp .. "/spool",
    "SlurmctldPidFile=" .. tmp .. "/slurmctld.pid",
    "SlurmdPidFile=" .. tmp .. "/slurmd.pid",
    "SlurmctldLogFile=" .. tmp .. "/slurmctld.log",
    "SlurmdLogFile=" .. tmp .. "/slurmd.log",
    "ProctrackType=proctrack/linuxproc", "TaskPlugin=task/none",
    "JobAcctGatherType=jobacct_gather/none",
    "SelectType=select/cons_tres", "SelectTypeParameters=CR_Core",
    "AccountingStorageType=accounting_storage/none", "JobCompType=jobcomp/none",
    "MpiDefault=none", "ReturnToService=2", "SchedulerType=sched/builtin",
    "NodeName=" .. host .. " NodeAddr=127.0.0.1 CPUs=2 State=UNKNOWN",
    "PartitionName=test Nodes=" .. host .. " Default=YES MaxTime=INFINITE State=UP",
    ""}, "\n"))
  assert(sh(env .. "slurmctld -i -f " .. q(conf)), "slurmctld did not start")
  assert(sh(env .. "slurmd -f " .. q(conf) .. " -N " .. q(host)), "slurmd did not start")
  local deadline, state = proc.clock() + 20, ""
  while proc.clock() < deadline do
    state = t.run(env .. "sinfo -h -o %t 2>/dev/null")
    remember()
    if state:find("idle") then break end
    proc.sleep(0.25)
  end
  t.ok(state:find("idle"), "a single-node Slurm cluster is up", state .. logs())
  if not state:find("idle") then return end

  write(tmp .. "/small.lua", [[
local experiment = require "slope.experiment"
return experiment.suite{
  name = "small", seed = 19,
  options = {maxiter = 200},
  problems = {
    {name = "rosen",
     loss = function(x) return (1 - x[1])^2 + 100 * (x[2] - x[1]^2)^2 end,
     start = function(rng) return {-1.2 + 0.1 * rng:normal(), 1} end, fstar = 0},
    {name = "quad",
     loss = function(x) return (x[1] - 1.5)^2 + 3 * (x[2] + 0.25)^2 + 0.125 end,
     start = function(rng) return {rng:uniform(-2, 2), rng:uniform(-2, 2)} end,
     fstar = 0.125},
  },
  solvers = {{name = "mom", method = "momentum"}, {method = "bfgs"}},
  grid = {lr = {0.002, 0.02}},
}
]])
  local cd = "cd " .. q(tmp) .. " && "
  local _, err, status = t.run(cd .. SLOPE .. " run small.lua --quiet --out local")
  t.is(status, 0, "the local run", err)
  local out
  out, err, status = t.run(cd .. env .. "timeout 60 " .. SLOPE
                           .. " run small.lua --slurm --array-size 2 --wait --out sl")
  t.ok(status == 0 and out:find("submitted job array %d+ %(2 tasks, 8 runs%)")
       and out:find("merged 8 runs of 8 from 3 files", 1, true),
       "--slurm --wait: submitted, ran and merged", out .. err .. logs())
  local job = read(tmp .. "/sl/slurm/job.sh") or ""
  t.ok(job:find("#SBATCH --array=1-2", 1, true) and job:find("--shard \"$SLURM_ARRAY_TASK_ID\"/2", 1, true),
       "job.sh: an array of 2 tasks, one shard each", job)

  local function records(path)
    local list = {}
    for line in (read(path) or ""):gmatch("[^\n]+") do
      local r = json.decode(line)
      r.time, r.wall = nil, nil  -- times aside
      list[r.id] = json.encode(r)
    end
    return list
  end
  local s1, s2 = records(tmp .. "/sl/shards/1/runs.jsonl"), records(tmp .. "/sl/shards/2/runs.jsonl")
  local n1, n2, disjoint = 0, 0, true
  for id in pairs(s1) do n1 = n1 + 1; if s2[id] then disjoint = false end end
  for _ in pairs(s2) do n2 = n2 + 1 end
  t.ok(disjoint and n1 > 0 and n2 > 0 and n1 + n2 == 8,
       "each task ran its own shard", n1 .. " + " .. n2)
  local loc, sl = records(tmp .. "/local/runs.jsonl"), records(tmp .. "/sl/runs.jsonl")
  local same, count = true, 0
  for id, text in pairs(loc) do
    count = count + 1
    if sl[id] ~= text then same = false end
  end
  for id in pairs(sl) do if not loc[id] then same = false end end
  t.ok(same and count == 8, "the merged Slurm results equal the local run's (times aside)")
  t.ok((read(tmp .. "/sl/report.md") or ""):find("| quad | bfgs | lr=0.02 | 1 | 100% |", 1, true),
       "report.md written from the merged results")
  out, err, status = t.run(cd .. SLOPE .. " replay sl " .. next(sl))
  t.ok(status == 0 and out == "same\n", "replay of a run that Slurm ran", out .. err)
end

local ok, err = pcall(body)
local pids = cleanup()
t.ok(ok, "no error while the cluster ran", tostring(err))
local gone = #pids == 3
for _, pid in ipairs(pids) do if proc.kill(pid, 0) then gone = false end end
t.ok(gone, "munged, slurmctld and slurmd stopped", #pids .. " pids")
t.done()
