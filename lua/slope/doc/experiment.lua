-- doc/experiment.lua: help entries for slope.experiment.
return function(register)

local demo = [[
> experiment = slope.experiment
> quad = {name = "quad", fstar = 0.5, loss = function(x) return (x[1] - 2.385)^2 + 0.5 end, start = function(rng) return {rng:uniform(-1, 1)} end}
> s = experiment.suite{name = "demo", seed = 7, repeats = 2, problems = {quad}, solvers = {{method = "bfgs"}, {method = "gd", grid = {lr = {0.1, 0.3}}}}}]]

local function joined(...) return table.concat({...}, "\n") end

register("slope.experiment", {
  signature = "experiment = slope.experiment",
  summary = "Suites of runs: problems x solvers x grid points x repeats.",
  text = [[
A suite declares problems (a loss, a start point or a start generator,
optional constraints, data and known optimum f*), solvers (a method with
options, and grids over any option: lr, schedule, momentum, batch, ...),
a suite seed and a number of repeats. Every run has an id and a seed
derived by SHA-256 from the suite seed and the run's coordinates (problem,
solver, grid point, repeat), never from a position in a list: adding a
problem, a solver or a grid point changes no other run.

A suite file returns a suite; `slope run FILE` runs it in worker
processes, appends each finished run to DIR/runs.jsonl at once (flushed
to disk), and writes runs.csv, manifest.json, report.md and SVG plots.
See slope(1) for run, merge and replay, and --help of each.]],
  example = joined(demo, [[
> s
suite demo: 1 problems, 2 solvers, 6 runs
> s:runs()[1].label
quad/bfgs/-/1]]),
  see = { "slope.experiment.suite", "slope.experiment.load",
          "slope.experiment.run", "slope.experiment.rng" },
})

register("slope.experiment.suite", {
  signature = "experiment.suite{name=, seed=, repeats=, problems=, solvers=, grid=, options=, limits=, tol=, tau=}",
  summary = "A new suite from its description.",
  text = [[
name: a word (default "suite"); seed: an integer (default 0); repeats:
runs per grid point, each with its own seed (default 1).
problems: a list of {name=, loss=, start=, fstar=, data=, eq=, ineq=,
lower=, upper=, options=}. start is a point or a function(rng) -> point
called with a generator seeded from the problem and the repeat (every
solver of a repeat starts from the same point); data (a table or a
function(rng) -> data) makes the problem a minibatch one for optim.sgd.
solvers: a list of {name=, method=, options=, grid=}; name defaults to
the method. grid (suite-wide, or a solver's own, which wins): axis ->
list of values, or axis -> {name = value} for values that are not
numbers, strings or booleans (schedules, functions).
Options of a run, later ones winning: slope's documented defaults, the
suite's options, the problem's, the solver's, the grid point's.
limits = {maxtime = s, memory = bytes or "512M", walltime = s}: maxtime
is passed to the solver and a run it stops is recorded as failed
(reason "maxtime"); a run still going after walltime (default
2 maxtime + 1) is killed (reason "timeout"); memory caps each worker's
address space (reason "memory").
tol: a run succeeds when f - f* <= tol max(1, |f*|) (default 1e-6);
tau: the profiles' convergence test (default 1e-3).]],
  example = joined(demo, [[
> s.name, s.seed, #s.problems, #s.solvers
demo	7	1	2]]),
  see = { "suite:problem", "suite:solver", "suite:grid", "suite:runs" },
})

register("suite:problem", {
  paths = { "slope.experiment.Suite.problem" },
  signature = "suite:problem{name=, loss=, start=, fstar=, ...}",
  summary = "Add a problem to the suite; returns the suite.",
  text = "The fields are those of a problem in experiment.suite.",
  example = joined(demo, [[
> s:problem{name = "booth", start = {0, 0}, fstar = 0, loss = function(x) return (x[1] + 2*x[2] - 7)^2 + (2*x[1] + x[2] - 5)^2 end}
suite demo: 2 problems, 2 solvers, 12 runs]]),
  see = { "slope.experiment.suite" },
})

register("suite:solver", {
  paths = { "slope.experiment.Suite.solver" },
  signature = "suite:solver{name=, method=, options=, grid=}",
  summary = "Add a solver to the suite; returns the suite.",
  text = "The fields are those of a solver in experiment.suite.",
  example = joined(demo, [[
> s:solver{name = "mom", method = "momentum", grid = {momentum = {0.5, 0.9}}}
suite demo: 1 problems, 3 solvers, 10 runs]]),
  see = { "slope.experiment.suite" },
})

register("suite:grid", {
  paths = { "slope.experiment.Suite.grid" },
  signature = "suite:grid{axis = {values...}, ...}",
  summary = "Add axes to the suite-wide grid; returns the suite.",
  text = [[
Every solver's grid points are the cross product of the suite's axes and
its own (its own win on a shared axis). Values that are not numbers,
strings or booleans need names: {schedule = {cos = s1, step = s2}}.]],
  example = joined(demo, [[
> s:grid{maxiter = {50, 500}}
suite demo: 1 problems, 2 solvers, 12 runs]]),
  see = { "slope.experiment.suite" },
})

register("suite:runs", {
  paths = { "slope.experiment.Suite.runs" },
  signature = "suite:runs()",
  summary = "The suite's runs in order: id, label, coordinates and seeds.",
  text = [[
Each run: id (12 hex digits), problem, solver, grid (axis -> value as a
string), grid_key ("lr=0.1"), rep, seed (the solver's, from every
coordinate), instance_seed (the start's and the data's, from the problem
and the repeat) and label ("problem/solver/grid/repeat", what --filter
matches).]],
  example = joined(demo, [[
> r = s:runs()[3]
> r.label, r.grid.lr
quad/gd/lr=0.1/1	0.1
> r.seed ~= s:runs()[4].seed
true]]),
  see = { "suite:execute", "slope.experiment.suite" },
})

register("suite:runoptions", {
  paths = { "slope.experiment.Suite.runoptions" },
  signature = "suite:runoptions(run)",
  summary = "The options a run passes to its solver, and their recorded form.",
  text = [[
Returns opts (what the solver gets, defaults included) and a copy for
records and manifests in which functions and userdata appear by their
grid name.]],
  example = joined(demo, [[
> opts = s:runoptions(s:runs()[3])
> opts.method, opts.lr, opts.gtol, opts.seed == s:runs()[3].seed
gd	0.1	1e-06	true]]),
  see = { "suite:runs" },
})

register("suite:start", {
  paths = { "slope.experiment.Suite.start" },
  signature = "suite:start(run)",
  summary = "A run's start point (a list) and data, from its instance seed.",
  example = joined(demo, [[
> runs = s:runs()
> s:start(runs[1])[1] == s:start(runs[3])[1], s:start(runs[1])[1] == s:start(runs[2])[1]
true	false]]),
  see = { "suite:runs" },
})

register("suite:execute", {
  paths = { "slope.experiment.Suite.execute" },
  signature = "suite:execute(run)",
  summary = "Run one run here and return its record; never raises.",
  text = [[
The record: id, problem, solver, grid, grid_key, repeat, seed, method,
options, status, message, f, f0, fgap (f - f*), x, gnorm, iterations,
evaluations = {f, grad, hess}, time, wall, trace (f per iteration, at
most 2000 points: a longer run keeps every k-th with its iteration in
trace_iter). A run that raised an error is status "failed" with reason
"error" (or "memory") and the message in error. slope run executes runs
in worker processes, which adds the reasons "signal", "timeout" and
"exit".]],
  example = joined(demo, [[
> rec = s:execute(s:runs()[1])
> rec.status, rec.method, math.abs(rec.x[1] - 2.385) < 1e-8
converged	bfgs	true]]),
  see = { "suite:success", "slope.experiment.run" },
})

register("suite:success", {
  paths = { "slope.experiment.Suite.success" },
  signature = "suite:success(record)",
  summary = "Whether a record counts as solved.",
  text = [[
Not failed, and f - f* <= tol max(1, |f*|) when the problem knows f*;
otherwise status "converged".]],
  example = joined(demo, [[
> s:success(s:execute(s:runs()[1])), s:success{status = "failed"}
true	false]]),
  see = { "suite:execute" },
})

register("slope.experiment.load", {
  signature = "experiment.load(path)",
  summary = "The suite a suite file returns, with its file name and SHA-256.",
  text = [[
The file is run as a Lua chunk and must return a suite (or a table that
experiment.suite accepts). suite.file and suite.sha256 are set;
experiment.loading is true while the file runs.]],
  example = [[
> path = os.tmpname()
> f = io.open(path, "w"); f:write('return require("slope.experiment").suite{name = "one", problems = {{name = "p", start = {1}, loss = function(x) return x[1]^2 end}}, solvers = {{method = "newton"}}}'); f:close()
> s = slope.experiment.load(path)
> s.name, #s:runs(), #s.sha256
one	1	64
> os.remove(path)
true]],
  see = { "slope.experiment.suite" },
})

register("slope.experiment.run", {
  signature = "experiment.run(suite [, opts])",
  summary = "Run a suite into a results directory as slope run does.",
  text = [[
opts: out (the directory, default results/NAME), jobs, resume, filter,
shard = {k, n}, memory, walltime, quiet, maxruns. Returns the records
in suite order, the directory and whether every selected run is
recorded. Writes runs.jsonl, runs.csv, manifest.json, report.md and the
SVG plots.]],
  example = joined(demo, [[
> dir = os.tmpname(); os.remove(dir)
> records = experiment.run(s, {out = dir, jobs = 2, quiet = true})
> #records, records[1].status
6	converged
> ok = os.execute("rm -r " .. dir)]]),
  see = { "slope.experiment.pool", "slope.experiment.load" },
})

register("slope.experiment.pool", {
  signature = "experiment.pool(suite, runs, opts)",
  summary = "Execute runs in worker processes, calling opts.onrecord for each.",
  text = [[
opts: jobs (workers, default 1), memory (bytes per worker), walltime
(seconds per run), maxruns (stop after that many), onrecord(record, run),
called in this process as each run finishes, in the order they finish.
A worker that dies (a signal, an exit) or overruns walltime is replaced
and its run recorded as failed. Returns true when every run ran.]],
  example = joined(demo, [[
> got = {}
> experiment.pool(s, s:runs(), {jobs = 2, onrecord = function(r) got[#got + 1] = r.status end})
true
> #got
6]]),
  see = { "slope.experiment.run" },
})

register("slope.experiment.rng", {
  signature = "experiment.rng(seed)",
  summary = "A random generator (xoshiro256**): the same digits everywhere.",
  text = [[
seed: an integer. Start generators get one seeded from the run's
instance seed. Methods: rng:next(), rng:uniform([a, b]),
rng:normal([mean, sd]), rng:integer(m, n).]],
  example = [[
> rng = slope.experiment.rng(2385)
> rng:integer(1, 6), rng:integer(1, 6)
1	2]],
  see = { "rng:uniform", "rng:normal", "rng:integer", "rng:next" },
})

register("rng:next", {
  paths = { "slope.experiment.Rng.next" },
  signature = "rng:next()",
  summary = "64 random bits as a Lua integer.",
  example = [[
> rng = slope.experiment.rng(1)
> math.type(rng:next())
integer]],
  see = { "slope.experiment.rng" },
})

register("rng:uniform", {
  paths = { "slope.experiment.Rng.uniform" },
  signature = "rng:uniform([a, b])",
  summary = "A uniform draw in [0, 1), or in [a, b).",
  example = [[
> rng = slope.experiment.rng(2385)
> u = rng:uniform(-2, 2)
> u >= -2 and u < 2
true]],
  see = { "slope.experiment.rng" },
})

register("rng:normal", {
  paths = { "slope.experiment.Rng.normal" },
  signature = "rng:normal([mean, sd])",
  summary = "A normal draw (Box-Muller), mean 0 and sd 1 by default.",
  example = [[
> a, b = slope.experiment.rng(7):normal(), slope.experiment.rng(7):normal(10, 2)
> math.abs(b - (10 + 2 * a)) < 1e-12
true]],
  see = { "slope.experiment.rng" },
})

register("rng:integer", {
  paths = { "slope.experiment.Rng.integer" },
  signature = "rng:integer(m, n)",
  summary = "An integer drawn uniformly in [m, n].",
  example = [[
> rng = slope.experiment.rng(42)
> k = rng:integer(10, 12)
> k >= 10 and k <= 12
true]],
  see = { "slope.experiment.rng" },
})

end
