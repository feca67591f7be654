-- doc/capture.lua: help entries for slope.capture.
return function(register)

register("slope.capture", {
  signature = 'capture = require "slope.capture"',
  summary = "Send print, io.write and plots to a sink instead of the "
            .. "terminal.",
  text = [[
What the notebook runner and the Jupyter kernel collect output with, and
any script can: while a sink is pushed, print, io.write, io.stdout:write
and io.stderr:write call sink.write(stream, text) (stream "stdout" or
"stderr"), and slope.plot without a file hands the picture to
sink.display as {["image/svg+xml"] = ..., ["text/plain"] = ...}. Sinks
nest. Only output made from Lua is captured, not what C writes to the
file descriptors.]],
  example = [[
> capture = require "slope.capture"
> capture.active()
false]],
  see = { "slope.capture.push", "slope.capture.pop",
          "slope.capture.display", "slope.capture.real",
          "slope.capture.active" },
})

register("slope.capture.push", {
  signature = "capture.push(sink)",
  summary = "From now on, output goes to sink.write (and plots to "
            .. "sink.display).",
  text = [==[
sink = {write = function(stream, text) ... end [, display =
function(bundle) ... end [, read = function(fmt) ... end]]}. The first
push saves print, io.write, io.stdout and io.stderr; read, when given,
answers io.read, io.lines() and io.stdin (a kernel's input request).]==],
  example = [[
> out = {}
> capture.push{write = function(stream, s) out[#out + 1] = s end}
> print("hello", 42)
> capture.pop()
> out[1] == "hello\t42\n"
true]],
  see = { "slope.capture.pop" },
})

register("slope.capture.pop", {
  signature = "capture.pop()",
  summary = "Back to the previous sink, or to the terminal after the last.",
  example = [[
> capture.push{write = function() end}
> capture.pop()
> capture.active()
false]],
  see = { "slope.capture.push" },
})

register("slope.capture.display", {
  signature = "capture.display(bundle)",
  summary = "Hand rich output (MIME type -> data) to the current sink's "
            .. "display; false when nothing takes it.",
  example = [[
> capture.display{["text/plain"] = "x"}
false]],
  see = { "slope.capture.push" },
})

register("slope.capture.real", {
  signature = "capture.real(file)",
  summary = "The real standard file behind a sink's stand-in (or file "
            .. "itself): to write past the sink.",
  example = [[
> io.type(capture.real(io.stdout))
file]],
})

register("slope.capture.active", {
  signature = "capture.active()",
  summary = "Is a sink pushed?",
  example = [[
> capture.active()
false]],
})

end
