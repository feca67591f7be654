-- experiment_report.lua: what `slope run` writes after a suite: runs.csv,
-- report.md with summary tables, and SVG plots (loss curves per problem,
-- Dolan-More performance profiles and More-Wild data profiles), drawn
-- with slope.plot's SVG writer.
local math, string, table, ipairs, type, tostring, io, os, error, assert =
      math, string, table, ipairs, type, tostring, io, os, error, assert
local format, concat, sort = string.format, table.concat, table.sort
local svg = require "slope.plot_svg"
local proc = require("slope.core").proc

local report = {}

local function finite(x) return type(x) == "number" and x == x and
                                x ~= math.huge and x ~= -math.huge end

-- {{ Statistics

-- The q-quantile of a sorted list, interpolated linearly.
local function quantile(s, q)
  if #s == 0 then return nil end
  local h = (#s - 1) * q + 1
  local lo = math.floor(h)
  local hi = math.min(lo + 1, #s)
  return s[lo] + (h - lo) * (s[hi] - s[lo])
end
report.quantile = quantile

local function sorted(list)
  local s = {}
  for _, v in ipairs(list) do if finite(v) then s[#s + 1] = v end end
  sort(s)
  return s
end

-- }}

-- {{ CSV

local columns = {"id", "problem", "solver", "method", "grid", "repeat", "seed",
                 "status", "reason", "f", "gnorm", "fgap", "iterations",
                 "evals_f", "evals_grad", "evals_hess", "time", "error"}
report.columns = columns

local function csvfield(v)
  if v == nil then return "" end
  if math.type(v) == "float" then v = format("%.17g", v) end
  v = tostring(v)
  if v:find('[,"\r\n]') then v = '"' .. v:gsub('"', '""') .. '"' end
  return v
end

-- report.csv(records) -> the text of runs.csv (RFC 4180, one header).
function report.csv(records)
  local lines = {concat(columns, ",")}
  for _, r in ipairs(records) do
    local ev = r.evaluations or {}
    local row = {r.id, r.problem, r.solver, r.method, r.grid_key, r["repeat"],
                 r.seed, r.status, r.reason, r.f, r.gnorm, r.fgap, r.iterations,
                 ev.f, ev.grad, ev.hess, r.time, r.error}
    for i = 1, #columns do row[i] = csvfield(row[i]) end
    lines[#lines + 1] = concat(row, ",")
  end
  return concat(lines, "\r\n") .. "\r\n"
end

-- }}

-- {{ SVG, through slope.plot's writer (slope.plot_svg)

-- report.svg{title=, xlabel=, ylabel=, series = {{label=, x = {...},
-- y = {...}, step = bool}, ...}, ylo=, yhi=, ylog = bool} -> SVG text.
-- A step series is drawn as a staircase carried on to the right edge;
-- non-finite points are gaps. With ylog the y values are log10 units.
function report.svg(fig)
  local xlo, xhi, ylo, yhi = math.huge, -math.huge, math.huge, -math.huge
  for _, s in ipairs(fig.series) do
    for i = 1, #s.x do
      if finite(s.x[i]) and finite(s.y[i]) then
        xlo, xhi = math.min(xlo, s.x[i]), math.max(xhi, s.x[i])
        ylo, yhi = math.min(ylo, s.y[i]), math.max(yhi, s.y[i])
      end
    end
  end
  if xlo > xhi then xlo, xhi, ylo, yhi = 0, 1, 0, 1 end
  if xhi == xlo then xlo, xhi = xlo - 0.5, xhi + 0.5 end
  local pad = 0.02 * (xhi - xlo)
  xhi = xhi + pad
  ylo, yhi = fig.ylo or ylo, fig.yhi or yhi
  if yhi == ylo then yhi, ylo = yhi + 0.5, ylo - 0.5 end
  local ypad = (fig.ylo and fig.yhi) and 0.02 * (yhi - ylo) or 0.05 * (yhi - ylo)
  local layers = {}
  for k, s in ipairs(fig.series) do
    local lines, line = {}, nil
    for i = 1, #s.x do
      local x, y = s.x[i], s.y[i]
      if finite(x) and finite(y) then
        if not line then line = {}; lines[#lines + 1] = line
        elseif s.step then
          line[#line + 1] = x
          line[#line + 1] = line[#line - 1]
        end
        line[#line + 1] = x
        line[#line + 1] = y
      else
        line = nil
      end
    end
    if s.step and line then
      line[#line + 1] = xhi
      line[#line + 1] = line[#line - 1]
    end
    layers[k] = {kind = "curve", label = s.label, color = k, lines = lines}
  end
  return svg.render({title = fig.title, xlabel = fig.xlabel,
                     ylabel = fig.ylabel, legend = true, layers = layers,
                     x = {xlo, xhi}, y = {ylo - ypad, yhi + ypad},
                     ylog = fig.ylog}, fig.width or 760, fig.height or 520)
end

-- }}

-- {{ Grouping

-- The suite's problem of that name, or nil (no suite, or unknown).
local function problemnamed(suite, name)
  for _, p in ipairs(suite and suite.problems or {}) do
    if p.name == name then return p end
  end
end

local function configlabel(r)
  return r.grid_key ~= nil and r.grid_key ~= "" and
         (r.solver .. " " .. r.grid_key) or r.solver
end
report.configlabel = configlabel

-- Records grouped by key(r), groups in first-seen order.
local function groupby(records, key)
  local groups, order = {}, {}
  for _, r in ipairs(records) do
    local k = key(r)
    if not groups[k] then groups[k] = {}; order[#order + 1] = k end
    local g = groups[k]
    g[#g + 1] = r
  end
  return groups, order
end

-- }}

-- {{ Profiles (Dolan & More 2002; More & Wild 2009)

-- The iteration of a record's k-th trace point (a thinned trace names
-- them in trace_iter).
local function iterof(r, k)
  return type(r.trace_iter) == "table" and r.trace_iter[k] or k
end

-- The cost a run took to pass the convergence test
--   f0 - f <= ... : f(x_k) <= fL + tau (f0 - fL)
-- as evaluations (function and gradient, at the run's average rate per
-- iteration) up to the first iteration k that passes; inf when none does.
local function cost(r, f0, fL, tau)
  if r.status == "failed" or type(r.trace) ~= "table" then return math.huge end
  if not (f0 > fL) then return 0 end
  local target = fL + tau * (f0 - fL)
  local ev = r.evaluations or {}
  local per = ((ev.f or 0) + (ev.grad or 0)) / math.max(1, r.iterations or 1)
  for k, f in ipairs(r.trace) do
    if finite(f) and f <= target then return math.max(1, iterof(r, k) * per) end
  end
  return math.huge
end

-- report.profiles(suite, records) -> {configs = {...}, instances = n,
-- perf = {config -> {ratios}}, data = {config -> {costs / (n + 1)}}}.
function report.profiles(suite, records)
  local byinst, instorder = groupby(records, function(r)
    return r.problem .. "\0" .. tostring(r["repeat"])
  end)
  local _, configs = groupby(records, configlabel)
  local perf, data = {}, {}
  for _, c in ipairs(configs) do perf[c], data[c] = {}, {} end
  for _, key in ipairs(instorder) do
    local recs = byinst[key]
    local p = problemnamed(suite, recs[1].problem)
    local f0, fL, n = nil, p and p.fstar or math.huge, 1
    for _, r in ipairs(recs) do
      if f0 == nil and finite(r.f0) then f0 = r.f0 end
      if r.n then n = r.n end
      if not (p and p.fstar) and r.status ~= "failed" then
        for _, f in ipairs(r.trace or {}) do
          if finite(f) and f < fL then fL = f end
        end
        if finite(r.f) and r.f < fL then fL = r.f end
      end
    end
    if f0 and finite(fL) then
      local t, best = {}, math.huge
      for _, r in ipairs(recs) do
        local c = cost(r, f0, fL, suite and suite.tau or 1e-3)
        t[configlabel(r)] = c
        best = math.min(best, c)
      end
      for _, c in ipairs(configs) do
        local tc = t[c] or math.huge
        local ratio = finite(tc) and (best > 0 and tc / best or 1) or math.huge
        perf[c][#perf[c] + 1] = ratio
        data[c][#data[c] + 1] = tc / (n + 1)
      end
    end
  end
  return {configs = configs, perf = perf, data = data}
end

-- A step curve: the fraction of values <= x, at each value.
local function stepcurve(values, total, transform)
  local s = sorted(values)
  local xs, ys = {transform(s[1] or 1)}, {0}
  for i, v in ipairs(s) do
    xs[#xs + 1] = transform(v)
    ys[#ys + 1] = i / total
  end
  return xs, ys
end

-- }}

local function fmt(v)
  if v == nil then return "-" end
  if math.type(v) == "integer" then return tostring(v) end
  return format("%.6g", v)
end

-- report.writefile(path, text): path replaced whole or not at all (a
-- temporary file, flushed to disk, then renamed over it), so that a
-- results directory never holds half a file. slope run writes with it too.
function report.writefile(path, text)
  local tmp = path .. ".tmp"
  local f, err = io.open(tmp, "wb")
  if not f then error("slope run: cannot write " .. tostring(err), 0) end
  f:write(text)
  proc.fsync(f)
  f:close()
  assert(os.rename(tmp, path))
end
local writefile = report.writefile

local function safename(s) return (s:gsub("[^%w_.-]", "_")) end

-- The median of traces, each carried on at its last value, at up to 400
-- iterations spread evenly on a log scale over the longest run: x is
-- log10(iteration), y log10(f - fL).
local function mediantrace(recs, fL)
  local len = 0
  for _, r in ipairs(recs) do
    local tr = r.trace or {}
    if #tr > 0 then len = math.max(len, iterof(r, #tr)) end
  end
  local xs, ys, at, pos = {}, {}, {}, {}
  local points = math.min(len, 400)
  local lastk = 0
  for j = 1, points do
    local k = points == len and j or math.floor(len ^ ((j - 1) / (points - 1)) + 0.5)
    if k <= lastk then goto continue end
    lastk = k
    local col = {}
    for i, r in ipairs(recs) do
      local tr = r.trace or {}
      local p = pos[i] or 1
      while p < #tr and iterof(r, p + 1) <= k do p = p + 1 end
      pos[i] = p
      at[i] = tr[p]
      if finite(at[i]) then col[#col + 1] = at[i] end
    end
    sort(col)
    local m = quantile(col, 0.5)
    if m then
      xs[#xs + 1] = math.log(k, 10)
      ys[#ys + 1] = math.log(math.max(m - fL, 1e-16), 10)  -- log10 units
    end
    ::continue::
  end
  return xs, ys
end

-- report.write(suite, records, dir, meta) writes runs.csv, report.md and
-- the SVGs into dir; returns the list of SVG file names.
function report.write(suite, records, dir, meta)
  writefile(dir .. "/runs.csv", report.csv(records))
  local svgs = {}
  local md = {format("# Suite %s\n", meta.name)}
  md[#md + 1] = format("Suite file `%s` (SHA-256 `%s`), seed %s, %d runs "
    .. "recorded, %d failed.\n", meta.file or "-", meta.sha256 or "-",
    tostring(meta.seed), #records, meta.failed or 0)
  md[#md + 1] = "A run succeeds when it did not fail and its final f is within "
    .. format("%g x max(1, |f*|) of the known optimum f*, or, with no f* ", suite and suite.tol or 1e-6)
    .. "known, when the solver converged. Medians and interquartile ranges "
    .. "(IQR, q75 - q25) are over repeats.\n"
  md[#md + 1] = "## Summary\n"
  md[#md + 1] = "| problem | solver | grid | runs | success | median f | IQR f "
    .. "| median iterations | median f evals | median grad evals | failed |"
  md[#md + 1] = "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|"
  local groups, order = groupby(records, function(r)
    return r.problem .. "\0" .. r.solver .. "\0" .. (r.grid_key or "")
  end)
  for _, k in ipairs(order) do
    local g = groups[k]
    local fs, its, efs, egs, ok, failed = {}, {}, {}, {}, 0, 0
    for _, r in ipairs(g) do
      if r.status == "failed" then failed = failed + 1
      else
        fs[#fs + 1] = r.f
        its[#its + 1] = r.iterations
        efs[#efs + 1] = r.evaluations and r.evaluations.f
        egs[#egs + 1] = r.evaluations and r.evaluations.grad
      end
      if suite and suite:success(r) then ok = ok + 1 end
    end
    fs, its, efs, egs = sorted(fs), sorted(its), sorted(efs), sorted(egs)
    local iqr = #fs > 0 and quantile(fs, 0.75) - quantile(fs, 0.25) or nil
    md[#md + 1] = format("| %s | %s | %s | %d | %.0f%% | %s | %s | %s | %s | %s | %d |",
      g[1].problem, g[1].solver, g[1].grid_key ~= "" and g[1].grid_key or "-",
      #g, 100 * ok / #g, fmt(quantile(fs, 0.5)), fmt(iqr),
      fmt(quantile(its, 0.5)), fmt(quantile(efs, 0.5)), fmt(quantile(egs, 0.5)),
      failed)
  end
  local failures = {}
  for _, r in ipairs(records) do
    if r.status == "failed" then
      failures[#failures + 1] = format("| %s | %s/%s/%s/%s | %s | %s |", r.id,
        r.problem, r.solver, r.grid_key ~= "" and r.grid_key or "-",
        tostring(r["repeat"]), r.reason or "-",
        (tostring(r.error or ""):gsub("[|\n]", " ")))
    end
  end
  if #failures > 0 then
    md[#md + 1] = "\n## Failed runs\n"
    md[#md + 1] = "| id | run | reason | message |"
    md[#md + 1] = "|---|---|---|---|"
    for _, l in ipairs(failures) do md[#md + 1] = l end
  end
  -- loss curves, one plot per problem
  md[#md + 1] = "\n## Loss curves\n"
  md[#md + 1] = "The median over repeats of f - f_L (log scale) against "
    .. "log10 of the iteration "
    .. "(f_L: f* when known, else the lowest f any run reached).\n"
  local byprob, porder = groupby(records, function(r) return r.problem end)
  for _, pname in ipairs(porder) do
    local recs = byprob[pname]
    local p = problemnamed(suite, pname)
    local fL = p and p.fstar or math.huge
    if not (p and p.fstar) then
      for _, r in ipairs(recs) do
        for _, f in ipairs(r.trace or {}) do
          if finite(f) and f < fL then fL = f end
        end
      end
    end
    if not finite(fL) then fL = 0 end
    local series = {}
    local bycfg, corder = groupby(recs, configlabel)
    for _, c in ipairs(corder) do
      local xs, ys = mediantrace(bycfg[c], fL)
      series[#series + 1] = {label = c, x = xs, y = ys}
    end
    local name = "loss-" .. safename(pname) .. ".svg"
    writefile(dir .. "/" .. name, report.svg{title = "loss: " .. pname,
      xlabel = "log10(iteration)", ylabel = "f - f_L", series = series,
      ylog = true})
    svgs[#svgs + 1] = name
    md[#md + 1] = format("![loss curves: %s](%s)\n", pname, name)
  end
  -- profiles
  local prof = report.profiles(suite, records)
  local pseries, dseries = {}, {}
  for _, c in ipairs(prof.configs) do
    local total = #prof.perf[c]
    if total > 0 then
      local xs, ys = stepcurve(prof.perf[c], total, function(v)
        return math.log(math.max(v, 1), 2) end)
      pseries[#pseries + 1] = {label = c, x = xs, y = ys, step = true}
      xs, ys = stepcurve(prof.data[c], total, function(v) return v end)
      dseries[#dseries + 1] = {label = c, x = xs, y = ys, step = true}
    end
  end
  md[#md + 1] = "## Profiles\n"
  md[#md + 1] = format("A problem instance is a problem and a repeat (one start "
    .. "point); a run passes when f0 - f >= (1 - tau)(f0 - f_L), tau = %g. Its "
    .. "cost is the function and gradient evaluations up to the first "
    .. "iteration that passes. Performance profile (Dolan & More): the "
    .. "fraction of instances a configuration solves within a factor "
    .. "2^x of the best cost. Data profile (More & Wild): the fraction "
    .. "solved within a budget of x (n + 1) evaluations.\n",
    suite and suite.tau or 1e-3)
  writefile(dir .. "/performance.svg", report.svg{title = "performance profile",
    xlabel = "log2(cost / best cost)", ylabel = "fraction of instances solved",
    series = pseries, ylo = 0, yhi = 1})
  writefile(dir .. "/data.svg", report.svg{title = "data profile",
    xlabel = "evaluations / (n + 1)", ylabel = "fraction of instances solved",
    series = dseries, ylo = 0, yhi = 1})
  svgs[#svgs + 1] = "performance.svg"
  svgs[#svgs + 1] = "data.svg"
  md[#md + 1] = "![performance profile](performance.svg)\n"
  md[#md + 1] = "![data profile](data.svg)\n"
  writefile(dir .. "/report.md", concat(md, "\n"))
  return svgs
end

return report
