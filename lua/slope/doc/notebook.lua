-- doc/notebook.lua: help entries for slope.notebook and expect.
return function(register)

register("slope.notebook", {
  signature = 'notebook = require "slope.notebook"',
  summary = "Reproducible tutorial notebooks: Markdown with Lua blocks, "
            .. "run, stored, checked.",
  text = [[
The module behind "slope notebook FILE.md" (see slope(1)). A notebook is
Markdown whose ```lua blocks run in order in one Lua state; each block's
printed output and the value of its last expression are stored after it
in a ```output block, and its plots as linked SVG files. Numbers print
with at most 10 significant digits and addresses are masked, so a
notebook run twice, or elsewhere with the same seeds, prints the same.
Blocks ```lua exercise=NAME check a student's answer with expect;
blocks ```lua solution=NAME hold the reference answer. Blocks run in a
sandbox (no os.execute, io.popen, os.exit, package.loadlib, C modules;
writes only under the output directory) with a time and a memory cap
per block.]],
  example = [[
> nb = require "slope.notebook"
> nb.defaults.timeout, nb.defaults.memory
10	536870912]],
  see = { "slope.notebook.run", "slope.notebook.main", "expect" },
})

register("slope.notebook.run", {
  signature = "notebook.run(text [, opts])",
  summary = "Run a notebook's Lua blocks; the executed Markdown, plots, "
            .. "exercise verdicts, differences.",
  text = [[
text is the notebook's Markdown. opts: name (plots are NAME-N.svg;
"notebook"), dir (the output directory, where sandboxed blocks may
write; "."), solutions (run solution blocks in place of the answers),
sandbox (true), timeout (seconds per block, 10; 0 none), memory (bytes
per block, 512 MB; 0 none), check (compare with the stored outputs),
stored (the directory of the stored plots; dir), quiet (no verdict
lines on the standard output). Nothing is written to files.

The result: markdown (the executed notebook), plots = {{file =, svg =},
...}, blocks (run), errors (blocks stopped by an error or a cap),
exercises = {{name =, passed =, hint =}, ...}, passed, failed,
mismatches = {{block =, line =, diff = {lines}}, ...} (with check: the
stored output against the new one, lines prefixed " ", "-" or "+"), and
cells (the parsed notebook with each block's outputs).]],
  example = [[
> r = require("slope.notebook").run("```lua\nprint(6 * 7)\nx = 0.1 + 0.2\nx\n```\n", {quiet = true})
> r.blocks, r.errors, r.markdown:match("```output\n(.-)\n```")
1	0	42
0.3
> r2 = require("slope.notebook").run("```lua\nos.execute('ls')\n```\n", {quiet = true})
> r2.errors, r2.markdown:match("error: (os.execute is disabled)")
1	os.execute is disabled]],
  see = { "slope.notebook.main", "expect" },
})

register("slope.notebook.main", {
  signature = "notebook.main(arg1, ...)",
  summary = "The slope notebook command line; returns the exit status.",
  text = [[
Takes the words after "slope notebook" (FILE.md, -o OUT.md, --html
OUT.html, --check, --solutions, --sandbox, --no-sandbox, --timeout S,
--memory SIZE, --help), runs the notebook, writes what was asked and
returns 0 (ran; with --check, matched), 1 (--check found differences)
or 2 (usage error, unreadable file).]],
  example = [[
> require("slope.notebook").main("--bogus")
2]],
  see = { "slope.notebook.run" },
})

register("expect", {
  signature = "expect(value, wanted [, tolerance [, hint]]) or expect(condition, hint)",
  summary = "In a notebook: check an exercise's answer.",
  text = [[
A global while a notebook runs. Compares a number with wanted within
tolerance (absolute, 1e-6 by default), a list or vector entry by entry,
anything else by ==; or, given a boolean and a hint, checks a predicate.
A failed check is recorded with a message ("expected 6.25 (within 1e-12),
got 6.2") and the hint; the exercise block it is in is reported as
passed when every check passed and the block ran without error.]],
  example = [[
> r = require("slope.notebook").run("```lua exercise=sq\nx = 2.5^2\nexpect(x, 6.25, 1e-12)\nexpect(x < 6, 'x is too big')\n```\n", {quiet = true})
> r.passed, r.failed, r.exercises[1].hint
0	1	x is too big]],
  see = { "slope.notebook.run" },
})

end
