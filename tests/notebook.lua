-- notebook.lua: slope notebook. Every example notebook passes --check;
-- a changed stored output fails with a diff and status 1; outputs are
-- written, linked and replaced on a re-run; exercises are reported; the
-- sandbox refuses each forbidden call by name; a runaway loop and a
-- memory bomb are stopped while the rest runs; the HTML page is
-- self-contained and renders in headless Chromium.
local t = require "tap"

local src = os.getenv("top_srcdir") or "."
local slope = assert(os.getenv("SLOPE"), "SLOPE not set")
local tmp = (os.getenv("TEST_TMPDIR") or "/tmp") .. "/notebook"
local nbdir = src .. "/examples/notebooks"
os.execute("rm -rf " .. t.quote(tmp) .. " && mkdir -p " .. t.quote(tmp))

local read = t.read
local write = t.write
local function has(s, sub) return s ~= nil and s:find(sub, 1, true) ~= nil end
local function nb(args) return t.run(slope .. " notebook " .. args) end

-- Every example notebook, with its solutions, matches its stored outputs.
local list = assert(io.popen("ls " .. t.quote(nbdir)))
local books = {}
for name in list:lines() do
  if name:match("%.md$") then books[#books + 1] = name end
end
list:close()
t.ok(#books >= 12, "examples/notebooks holds the notebooks: " .. #books)
for _, name in ipairs(books) do
  local out, err, status = nb("--check --solutions " .. t.quote(nbdir .. "/" .. name))
  t.ok(status == 0 and has(out, "check: every stored output matches")
       and not has(out, ": failed") and err == "", name .. " passes --check", out .. err)
  local text = read(nbdir .. "/" .. name)
  t.ok(has(text, "```lua exercise=") and has(text, "```lua solution="),
       name .. " has an exercise and its solution")
end

-- A changed stored output: --check fails with a diff and status 1.
local book = read(nbdir .. "/12-linprog.md")
write(tmp .. "/changed.md", (book:gsub("profit 36 %-> 37: gain 1", "profit 36 -> 38: gain 2")))
local out, _, status = nb("--check --solutions " .. t.quote(tmp .. "/changed.md"))
t.is(status, 1, "--check exits 1 on a changed output")
t.ok(has(out, "-profit 36 -> 38: gain 2\n+profit 36 -> 37: gain 1\n")
     and has(out, "--- " .. tmp .. "/changed.md: block 2")
     and has(out, "check: 1 of 4 blocks differ"), "the diff shows the stored and new lines", out)

-- Running writes outputs and plots; a re-run replaces rather than adds.
write(tmp .. "/plain.md", [[
# Title

```lua
x = 0.1 + 0.2
print(x, {}, 2^0.5)
{a = 1, time = 0.25, b = {1.5, 2}}
```

Text between.

```lua
plot.curve(function(x) return x^2 end, -1, 1)
print("after the plot")
```

```lua
local n = 0
for i = 1, 3 do n = n + i end
print(n)
```
]])
out, _, status = nb(t.quote(tmp .. "/plain.md") .. " -o " .. t.quote(tmp .. "/run.md"))
local run1 = read(tmp .. "/run.md")
t.is(status, 0, "a run exits 0")
t.ok(has(run1, "```output\n0.3\ttable: (address)\t1.414213562\n{a = 1, b = {1.5, 2}}\n```\n\nText between.")
     and has(run1, "![plot](run-1.svg)\n\n```output\nafter the plot\n```")
     and has(run1, "```output\n6\n```\n"),
     "outputs: rounded numbers, masked addresses, no timing, the plot linked", run1)
t.ok(has(read(tmp .. "/run-1.svg"), "<svg"), "the plot is written beside the notebook")
nb(t.quote(tmp .. "/run.md"))
t.is(read(tmp .. "/run.md"), run1, "a re-run in place leaves the notebook as it was")
out, _, status = nb("--check " .. t.quote(tmp .. "/run.md"))
t.is(status, 0, "the written notebook passes --check")

-- Exercises: reported with a hint, solutions swapped in by --solutions.
write(tmp .. "/ex.md", [[
```lua exercise=square
sq = nil
expect(sq, 6.25, 1e-12)
```

```lua solution=square
sq = 2.5^2
```

```lua exercise=positive
v = -1
expect(v > 0, "v must be positive")
```
]])
out, _, status = nb(t.quote(tmp .. "/ex.md") .. " -o " .. t.quote(tmp .. "/ex-out.md"))
t.ok(status == 0 and has(out, "exercise square: failed (expected a number near 6.25, got nil)")
     and has(out, "exercise positive: failed (v must be positive)")
     and has(out, "exercises: 0 passed, 2 failed"), "failed exercises and the summary", out)
t.ok(not has(read(tmp .. "/ex-out.md"), "solution=square"),
     "a student's copy leaves the solution out")
out = nb("--solutions " .. t.quote(tmp .. "/ex.md") .. " -o " .. t.quote(tmp .. "/ex-sol.md"))
t.ok(has(out, "exercise square: passed") and has(out, "exercises: 1 passed, 1 failed"),
     "--solutions runs the reference answer", out)
t.ok(has(read(tmp .. "/ex-sol.md"), "```output\nexercise square: passed\n```"),
     "the verdict is stored in the output")

-- The sandbox: each forbidden call fails by name; caps stop runaway blocks.
write(tmp .. "/fakemod.so", "")
local forbidden = {
  { 'os.execute("true")', "os.execute is disabled in the notebook sandbox" },
  { 'io.popen("true")', "io.popen is disabled in the notebook sandbox" },
  { 'package.loadlib("x.so", "f")', "package.loadlib is disabled in the notebook sandbox" },
  { 'os.exit(3)', "os.exit is disabled in the notebook sandbox" },
  { 'os.remove("/tmp/slope-notebook-none")', "os.remove outside the output directory" },
  { 'os.rename("a", "/tmp/b")', "os.rename outside the output directory" },
  { 'io.open("/tmp/slope-notebook-x", "w")', "io.open for writing outside the output directory" },
  { 'io.output("/tmp/slope-notebook-x")', "io.output to a file outside the output directory" },
  { 'require "fakemod"', "loading the C module 'fakemod' is disabled in the notebook sandbox" },
  { 'debug.sethook()', "debug.sethook is disabled in the notebook sandbox" },
}
local blocks = {}
for _, f in ipairs(forbidden) do blocks[#blocks + 1] = "```lua\n" .. f[1] .. "\n```\n" end
blocks[#blocks + 1] = "```lua\nwhile true do end\n```\n"
blocks[#blocks + 1] = "```lua\nlocal k, t = string.rep('x', 1024), {}\n"
  .. "for i = 1, 1e9 do t[i] = string.rep(k, 1024) .. i end\n```\n"
blocks[#blocks + 1] = "```lua\nr = optim.minimize(function(x) return x[1]^2 + x[2]^2 end, {1, 2}, "
  .. "{method = 'gd', lr = 1e-12, maxiter = 1e12, gtol = 0})\n```\n"
blocks[#blocks + 1] = "```lua\nlocal f = io.open('" .. tmp .. "/inside.txt', 'w')\nf:write('ok')\nf:close()\n"
  .. "print(io.open('" .. nbdir .. "/01-derivative.md'):read('l'))\nprint('still running')\n```\n"
write(tmp .. "/sandbox.md", table.concat(blocks, "\n"))
-- Under valgrind every block runs tens of times slower: a longer time cap
-- keeps the memory bomb from running out of time before it runs out of
-- memory.
local cap = slope:find("valgrind", 1, true) and "5" or "0.5"
out, _, status = t.run("LUA_CPATH_5_4=" .. t.quote(tmp .. "/?.so") .. " " .. slope
                       .. " notebook --timeout " .. cap .. " --memory 32M " .. t.quote(tmp .. "/sandbox.md"))
local ran = read(tmp .. "/sandbox.md")
t.is(status, 0, "the sandboxed notebook runs to its end")
for _, f in ipairs(forbidden) do
  t.ok(has(ran, f[2]), f[1] .. " fails with a clear message", ran)
end
local _, loops = ran:gsub("stopped: the block ran over its time limit of " .. cap .. " s", "")
t.is(loops, 2, "the Lua loop and the long C solve are stopped by --timeout")
t.ok(has(ran, "stopped: the block ran over its memory limit of 32 MB (--memory)"),
     "the memory bomb is stopped by --memory")
t.ok(has(ran, "```output\n# 1. The derivative as a limit\nstill running\n```")
     and read(tmp .. "/inside.txt") == "ok",
     "later blocks still run; reads anywhere, writes inside the output directory")
t.ok(has(out, "14 blocks, 13 stopped with an error"), "the summary counts them", out)
out = nb("--no-sandbox " .. t.quote(tmp .. "/ex.md") .. " -o " .. t.quote(tmp .. "/ns.md"))
write(tmp .. "/ns.md", "```lua\nprint(io.popen('echo popen works'):read('l'))\n```\n")
nb("--no-sandbox " .. t.quote(tmp .. "/ns.md"))
t.ok(has(read(tmp .. "/ns.md"), "```output\npopen works\n```"), "--no-sandbox lifts it")

-- Command line.
out, _, status = nb("--help")
t.ok(status == 0 and has(out, "usage: slope notebook FILE.md") and has(out, "--solutions"),
     "notebook --help")
local err
out, err, status = nb("--bogus x.md")
t.ok(status == 2 and has(err, "unknown option '--bogus'"), "a bad option: status 2", err)
out, err, status = nb(t.quote(tmp .. "/missing.md"))
t.ok(status == 2 and has(err, "cannot read"), "a missing file: status 2", err)

-- Help entries and their examples.
local help = require "slope.help"
require "slope.notebook"
for _, name in ipairs { "slope.notebook", "slope.notebook.run", "slope.notebook.main", "expect" } do
  local e = help.lookup(name)
  t.example(e, setmetatable({}, {__index = _G}), name)
end

-- HTML: self-contained, plots inline; rendered by headless Chromium.
for _, name in ipairs { "03-gradient-ascent", "06-learning-rate" } do
  local html = tmp .. "/" .. name .. ".html"
  out, _, status = nb("--check --solutions --html " .. t.quote(html) .. " "
                      .. t.quote(nbdir .. "/" .. name .. ".md"))
  local page = read(html) or ""
  t.ok(status == 0 and has(page, "<svg") and has(page, "<polyline")
       and has(page, '<span class="k">'), name .. ".html has its plot and highlighted code")
  t.ok(not page:find("https?:") and not page:find("src%s*=") and not page:find("href=\"[^#]")
       and not page:find("url%([^#]"), name .. ".html references nothing outside itself")
end
local chromium
for _, c in ipairs { "chromium", "chromium-browser" } do
  local _, _, st = t.run("command -v " .. c)
  if st == 0 then chromium = c break end
end
if not chromium then
  io.write("# SKIP headless Chromium: chromium is not installed (scripts/bootstrap installs it)\n")
else
  local function shot(html, png)
    t.run("timeout 120 " .. chromium .. " --headless --no-sandbox --disable-gpu "
          .. "--user-data-dir=" .. t.quote(tmp .. "/chromium") .. " --window-size=900,2400 "
          .. "--screenshot=" .. t.quote(png) .. " file://" .. html)
    return read(png)
  end
  write(tmp .. "/blank.html", "<!DOCTYPE html><html><body></body></html>\n")
  local blank = shot(tmp .. "/blank.html", tmp .. "/blank.png") or ""
  for _, name in ipairs { "03-gradient-ascent", "06-learning-rate" } do
    local png = shot(tmp .. "/" .. name .. ".html", tmp .. "/" .. name .. ".png")
    t.ok(png and png:sub(2, 4) == "PNG" and #png > 4 * math.max(#blank, 2000),
         name .. " renders to a screenshot that is not blank ("
         .. (png and #png or 0) .. " bytes, a blank page " .. #blank .. ")")
  end
end

t.done()
