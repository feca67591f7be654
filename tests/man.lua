-- man.lua: the man pages are mandoc-lint clean and document what they must.
local t = require "tap"

local src = os.getenv("top_srcdir") or "."
local function has(cmd)
  return os.execute("command -v " .. cmd .. " >/dev/null 2>&1") == true
end
if not has("mandoc") then t.skip_all("mandoc not installed (apt-get install mandoc)") end

local pages = { "slope.1", "slope.3", "slope-run.1" }
for _, page in ipairs(pages) do
  local path = src .. "/man/" .. page
  local out, err, status = t.run("mandoc -Tlint -W warning " .. t.quote(path))
  t.ok(status == 0 and out == "" and err == "", page .. " is mandoc -Tlint clean",
       out .. err)
end

local function text(page)
  local out = t.run("mandoc -Tascii " .. t.quote(src .. "/man/" .. page))
  return (out:gsub(".\b", ""))  -- drop overstrike (bold, underline)
end

local one, run = text("slope.1"), text("slope-run.1")
for _, p in ipairs { {"slope.1", one}, {"slope-run.1", run} } do
  local page, out = p[1], p[2]
  for _, section in ipairs { "NAME", "SYNOPSIS", "DESCRIPTION", "ENVIRONMENT",
                             "FILES", "EXIT STATUS", "EXAMPLES", "SEE ALSO" } do
    t.ok(out:find("\n" .. section .. "\n", 1, true), page .. " has " .. section)
  end
end
for _, opt in ipairs { "-e", "-l", "-i", "-v", "-E", "-W", "--help", "--version",
                       "LUA_INIT_5_4", "LUA_INIT", "LUA_PATH", "LUA_CPATH",
                       "SLOPE_HISTORY", "SLOPE_HISTSIZE", "help()" } do
  t.ok(one:find(opt, 1, true), "slope.1 documents " .. opt)
end

local three = text("slope.3")
for _, name in ipairs { "slope.vec", "slope.mat", ":dot", ":norm", ":copy",
                        ":totable", "help" } do
  t.ok(three:find(name, 1, true), "slope.3 documents " .. name)
end
for _, name in ipairs { "analyze.classify", "analyze.stationary", "analyze.convex",
                        "analyze.taylor", "analyze.limit" } do
  t.ok(three:find(name, 1, true), "slope.3 documents " .. name)
end

for _, opt in ipairs { "--jobs", "--out", "--resume", "--filter", "--shard",
                       "--dry-run", "--memory", "--walltime", "--slurm",
                       "--array-size", "--wait", "slope merge", "slope replay",
                       "runs.jsonl", "manifest.json", "report.md" } do
  t.ok(run:find(opt, 1, true), "slope-run.1 documents " .. opt)
end

t.done()
