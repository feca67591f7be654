-- capture.lua: slope.capture. print, io.write and the standard files go to
-- the sink while it is pushed and back to the terminal after; sinks nest;
-- plots under a sink with a display arrive as SVG; bad sinks are refused.
local t = require "tap"
local capture = require "slope.capture"
local plot = require "slope.plot"

local realprint, realwrite, realout, realerr =
  print, io.write, io.stdout, io.stderr

local got = {}
local sink = { write = function(stream, text) got[#got + 1] = stream .. ":" .. text end }
t.ok(not capture.active(), "no sink at first")
capture.push(sink)
local active = capture.active()
print(1, "two", nil, 0.5)
io.write("a", 2, "\n")
local ret = io.stdout:write("x"):write("y")
local retok = ret == io.stdout
io.stderr:write("oops\n")
capture.pop()
t.ok(active, "active after push")
t.is(table.concat(got, "|"),
     "stdout:1\ttwo\tnil\t0.5\n|stdout:a2\n|stdout:x|stdout:y|stderr:oops\n",
     "print, io.write, io.stdout:write and io.stderr:write reach the sink")
t.ok(retok, "file:write returns the file")
t.ok(print == realprint and io.write == realwrite and io.stdout == realout
     and io.stderr == realerr, "the last pop restores print, io.write and the files")

-- Nested sinks: the inner one takes the output until it is popped.
local outer, inner = {}, {}
capture.push{ write = function(_, s) outer[#outer + 1] = s end }
print("o1")
capture.push{ write = function(_, s) inner[#inner + 1] = s end }
print("i1")
capture.pop()
print("o2")
capture.pop()
t.is(table.concat(outer), "o1\no2\n", "outer sink gets its own output")
t.is(table.concat(inner), "i1\n", "inner sink gets the output while pushed")
t.ok(print == realprint, "restored after nesting")

-- Plots go to the display as SVG with a plain-text form, and return nothing.
local bundles = {}
capture.push{ write = function() end,
              display = function(b) bundles[#bundles + 1] = b end }
local r = plot.curve(function(x) return x * x end, -1, 1, { title = "sq" })
capture.pop()
t.is(r, nil, "a displayed plot returns nothing to print")
t.is(#bundles, 1, "one display bundle per plot")
local b = bundles[1] or {}
t.ok(type(b["image/svg+xml"]) == "string" and b["image/svg+xml"]:find("<svg", 1, true)
     and b["image/svg+xml"]:find("sq", 1, true), "the bundle holds the SVG, with its title")
t.ok(type(b["text/plain"]) == "string" and #b["text/plain"] > 0,
     "and a plain-text form")
t.is(capture.display{ ["text/plain"] = "x" }, false, "display without a sink is not taken")
local txt = plot.curve(function(x) return x * x end, -1, 1, { width = 30, height = 8 })
t.is(type(txt), "string", "without a sink a plot is terminal text again")

t.error_like("bad argument #1 to 'push' (a table with a function write expected)",
             capture.push, 42)
t.error_like("bad argument #1 to 'push' (field 'display' must be a function)",
             capture.push, { write = print, display = 1 })
t.error_like("capture.pop: no sink to pop", capture.pop)
capture.push{ write = function() end }
local okw, msgw = pcall(io.write, {})
capture.pop()
t.ok(not okw and msgw:find("bad argument #1 to 'write' (string expected, got table)", 1, true),
     "io.write under a sink refuses what file:write refuses", msgw)
-- The help entries' examples replay.
local help = require "slope.help"
local env = setmetatable({}, {__index = _G})
for _, name in ipairs{"slope.capture", "slope.capture.push", "slope.capture.pop",
                      "slope.capture.display", "slope.capture.real",
                      "slope.capture.active"} do
  t.example(help.lookup(name), env, name)
end
t.done()
