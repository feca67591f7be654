-- kernel_capture.lua: slope.capture's input side, which the Jupyter kernel
-- uses for io.read: a sink with read() answers io.read (every format),
-- io.lines() and io.stdin; a sink without it leaves stdin alone; the last
-- pop restores the originals.
local t = require "tap"
local capture = require "slope.capture"

local realread, reallines, realin = io.read, io.lines, io.stdin

local lines = { "2.385", "second line", "abcdef", "42 apples" }
local asked = 0
local sink = {
  write = function() end,
  read = function()
    asked = asked + 1
    return table.remove(lines, 1)
  end,
}
capture.push(sink)
local n = io.read("n")
local l = io.read()
local a, b = io.read(3, "L")
local stdin_is_proxy = io.stdin ~= realin
capture.pop()
t.is(n, 2.385, "io.read('n') converts the line to a number")
t.is(l, "second line", "io.read() reads a line without its newline")
t.is(a, "abc", "io.read(3) takes the first bytes of a line")
t.is(b, "42 apples\n", "io.read('L') keeps the newline")
t.is(asked, 4, "one line asked of the sink per format")
t.ok(stdin_is_proxy, "io.stdin is a stand-in under a sink")
t.ok(io.read == realread and io.lines == reallines and io.stdin == realin,
     "the last pop restores io.read, io.lines and io.stdin")

-- io.stdin:read and io.lines() until the end of input (nil).
lines = { "x1", "x2", "x3" }
capture.push(sink)
local first = io.stdin:read("l")
local rest = {}
for line in io.lines() do rest[#rest + 1] = line end
local after = io.read()
capture.pop()
t.is(first, "x1", "io.stdin:read reads from the sink")
t.is(table.concat(rest, ","), "x2,x3", "io.lines() iterates until nil")
t.is(after, nil, "io.read at the end of input gives nil")

-- io.read('a') at the end of input gives "" as it does on a file.
capture.push(sink)
local all = io.read("a")
capture.pop()
t.is(all, "", "io.read('a') at the end of input is the empty string")

-- Under a nested sink without read, io.stdin is still the stand-in, whose
-- real file is the real stdin.
capture.push(sink)
capture.push{ write = function() end }
local proxy_real = capture.real(io.stdin)
capture.pop()
capture.pop()
t.ok(proxy_real == realin, "capture.real(io.stdin) is the real stdin")

t.error_like("invalid format", function()
  capture.push(sink)
  local _, err = pcall(io.read, "q")
  capture.pop()
  error(err)
end)
t.error_like("field 'read' must be a function", capture.push,
             { write = function() end, read = 42 })
t.done()
