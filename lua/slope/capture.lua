-- capture.lua: slope.capture, output of Lua code sent somewhere other
-- than the terminal (the notebook runner collects it, the Jupyter kernel
-- streams it).
--
--   capture.push(sink)      from now on print, io.write, io.stdout:write and
--                           io.stderr:write go to sink.write(stream, text)
--                           (stream "stdout" or "stderr"), and rich output
--                           (plots) to sink.display(bundle) when it has one
--   capture.pop()           back to the previous sink, or to the terminal
--   capture.display(bundle) hand a bundle {["image/svg+xml"] = ...,
--                           ["text/plain"] = ...} to the current sink's
--                           display; false when nothing takes it
--   capture.active()        is a sink installed?
--
-- Sinks nest; the first push saves print, io.write, io.stdout and io.stderr
-- and the last pop restores them. Only output made from Lua is captured:
-- text C writes to the file descriptors directly is not.
local type, error, select, tostring, setmetatable, getmetatable, rawequal =
      type, error, select, tostring, setmetatable, getmetatable, rawequal
local concat = table.concat
local io = io

local capture = {}

local sinks = {}   -- stack of sinks, the current one last
local saved        -- print, io.write, io.stdout, io.stderr before the first push

local function current() return sinks[#sinks] end

local function emit(stream, text)
  local sink = current()
  if sink then sink.write(stream, text) end
end

-- The pieces of a write call as text, as file:write converts them.
local function pieces(fname, ...)
  local n = select("#", ...)
  local out = {}
  for i = 1, n do
    local v = select(i, ...)
    local tv = type(v)
    if tv == "number" then
      out[i] = tostring(v)
    elseif tv == "string" then
      out[i] = v
    else
      error(("bad argument #%d to '%s' (string expected, got %s)")
            :format(i, fname, tv), 3)
    end
  end
  return concat(out)
end

-- A stand-in for io.stdout or io.stderr: a table with the methods scripts
-- call on those files.
local function proxy(stream, real)
  local p = {}
  local mt = {
    __index = {
      write = function(self, ...)
        emit(stream, pieces("write", ...))
        return self
      end,
      flush = function(self) return self end,
      setvbuf = function() return true end,
      close = function() return nil, "cannot close standard file" end,
      lines = function() error("capture: cannot read " .. stream, 2) end,
      read = function() error("capture: cannot read " .. stream, 2) end,
      seek = function() return nil, "cannot seek " .. stream end,
    },
    __name = "FILE*",
    __tostring = function() return "file (" .. stream .. ")" end,
    real = real,
  }
  return setmetatable(p, mt)
end

local function install()
  saved = { print = print, write = io.write,
            stdout = io.stdout, stderr = io.stderr }
  local out = proxy("stdout", saved.stdout)
  print = function(...)
    local n = select("#", ...)
    local parts = {}
    for i = 1, n do parts[i] = tostring((select(i, ...))) end
    emit("stdout", concat(parts, "\t") .. "\n")
  end
  io.write = function(...)
    emit("stdout", pieces("write", ...))
    return out
  end
  io.stdout = out
  io.stderr = proxy("stderr", saved.stderr)
end

local function restore()
  print, io.write = saved.print, saved.write
  io.stdout, io.stderr = saved.stdout, saved.stderr
  saved = nil
end

function capture.push(sink)
  if type(sink) ~= "table" or type(sink.write) ~= "function" then
    error("bad argument #1 to 'push' (a table with a function write "
          .. "expected)", 2)
  end
  if sink.display ~= nil and type(sink.display) ~= "function" then
    error("bad argument #1 to 'push' (field 'display' must be a function)", 2)
  end
  if #sinks == 0 then install() end
  sinks[#sinks + 1] = sink
end

function capture.pop()
  if #sinks == 0 then error("capture.pop: no sink to pop", 2) end
  sinks[#sinks] = nil
  if #sinks == 0 then restore() end
end

function capture.display(bundle)
  if type(bundle) ~= "table" then
    error("bad argument #1 to 'display' (table expected, got "
          .. type(bundle) .. ")", 2)
  end
  local sink = current()
  if sink and sink.display then
    sink.display(bundle)
    return true
  end
  return false
end

function capture.active() return #sinks > 0 end

-- The real standard file behind a stand-in (or the file itself).
function capture.real(file)
  local mt = getmetatable(file)
  if type(mt) == "table" and not rawequal(mt.real, nil) then return mt.real end
  return file
end

return capture
