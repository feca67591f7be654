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
-- A sink may also have read(): then io.read, io.lines() and io.stdin's
-- read and lines take their input from it, one line (without its newline)
-- per call, nil at the end of input; without it they read the terminal.
--
-- Sinks nest; the first push saves print, io.write, io.stdout and io.stderr
-- and the last pop restores them. Only output made from Lua is captured:
-- text C writes to the file descriptors directly is not.
local type, error, select, tostring, setmetatable, getmetatable, rawequal =
      type, error, select, tostring, setmetatable, getmetatable, rawequal
local tonumber = tonumber
local concat, pack, unpack = table.concat, table.pack, table.unpack
local io = io

local capture = {}

local sinks = {}   -- stack of sinks, the current one last
local saved        -- print, io.write, io.read, io.lines and the standard
                   -- files before the first push

local function current() return sinks[#sinks] end

-- The current sink's read, if it has one.
local function reader()
  local sink = current()
  return sink and sink.read
end

-- io.read's formats over lines from read: "l", "L", "n", "a" (the rest
-- of this line: input comes a line at a time) and a byte count.
local function readformats(read, fname, ...)
  local n = select("#", ...)
  if n == 0 then return read() end
  local out = {}
  for i = 1, n do
    local f = select(i, ...)
    local v
    if type(f) == "number" then
      v = read()
      if v then v = v:sub(1, f) end
    else
      f = type(f) == "string" and f:gsub("^%*", ""):sub(1, 1) or nil
      if f == "l" then v = read()
      elseif f == "L" then v = read(); v = v and v .. "\n"
      elseif f == "n" then v = read(); v = v and tonumber(v)
      elseif f == "a" then v = read() or ""
      else
        error(("bad argument #%d to '%s' (invalid format)"):format(i, fname), 3)
      end
    end
    out[i] = v
    if v == nil then return unpack(out, 1, i) end
  end
  return unpack(out, 1, n)
end

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

-- A stand-in for io.stdin that reads from the sink when it can.
local function stdin_proxy(real)
  local p = {}
  local function read(self, ...)
    local r = reader()
    if r then return readformats(r, "read", ...) end
    return real:read(...)
  end
  local mt = {
    __index = {
      read = read,
      lines = function(self, ...)
        local fmts = pack(...)
        return function()
          return read(self, unpack(fmts, 1, fmts.n))
        end
      end,
      close = function() return nil, "cannot close standard file" end,
      flush = function(self) return self end,
      setvbuf = function() return true end,
      seek = function() return nil, "cannot seek stdin" end,
      write = function() return nil, "cannot write stdin" end,
    },
    __name = "FILE*",
    __tostring = function() return "file (stdin)" end,
    real = real,
  }
  return setmetatable(p, mt)
end

local function install()
  saved = { print = print, write = io.write, read = io.read,
            lines = io.lines, stdin = io.stdin,
            stdout = io.stdout, stderr = io.stderr }
  local input = stdin_proxy(saved.stdin)
  io.stdin = input
  io.read = function(...)
    local r = reader()
    if r then return readformats(r, "read", ...) end
    return saved.read(...)
  end
  io.lines = function(filename, ...)
    if filename == nil and reader() then return input:lines(...) end
    return saved.lines(filename, ...)
  end
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
  io.read, io.lines, io.stdin = saved.read, saved.lines, saved.stdin
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
  if sink.read ~= nil and type(sink.read) ~= "function" then
    error("bad argument #1 to 'push' (field 'read' must be a function)", 2)
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
