-- tap.lua: the tiny TAP helper every Lua test uses.
--   local t = require "tap"
--   t.plan(3); t.ok(v, "name"); t.close(a, b, 1e-12, "name")
--   t.error_like("bad argument #1 to 'vec'", f, ...); t.done()
local io, string, tostring, type, pcall, select, math, os =
      io, string, tostring, type, pcall, select, math, os

local M = {}
local count, failed, planned = 0, 0, nil

local function report(pass, name, diag)
  count = count + 1
  if not pass then failed = failed + 1 end
  io.write(pass and "ok " or "not ok ", count, " - ", name or "", "\n")
  if not pass and diag then
    io.write("#   ", (tostring(diag):gsub("\n", "\n#   ")), "\n")
  end
  io.flush()
  return pass
end

function M.plan(n)
  planned = n
  io.write("1..", n, "\n")
end

function M.ok(v, name, diag) return report(not not v, name, diag) end

-- Equal by ==, with both values shown on failure.
function M.is(got, want, name)
  return report(got == want, name,
    string.format("got:  %s\nwant: %s", tostring(got), tostring(want)))
end

-- |a - b| <= rel * max(1, |b|).
function M.close(a, b, rel, name)
  local pass = type(a) == "number" and type(b) == "number"
               and math.abs(a - b) <= rel * math.max(1, math.abs(b))
  return report(pass, name,
    string.format("got %.17g, want %.17g (rel %g)", tonumber(a) or 0/0, b, rel))
end

-- Every v[i] within tol (absolute) of w[i], i = 1 .. #w.
function M.near(v, w, tol, name)
  local worst = 0
  for i = 1, #w do worst = math.max(worst, math.abs(v[i] - w[i])) end
  return report(worst <= tol, name,
                string.format("worst error %.3g > %.3g", worst, tol))
end

-- f(...) must raise an error whose message contains pattern (plain text).
function M.error_like(pattern, f, ...)
  local okcall, msg = pcall(f, ...)
  local pass = not okcall and string.find(tostring(msg), pattern, 1, true) ~= nil
  return report(pass, "error: " .. pattern,
    okcall and "no error raised" or ("got: " .. tostring(msg)))
end

-- Run a shell command; returns its stdout, stderr and exit status.
function M.run(cmd, input)
  local dir = os.getenv("TEST_TMPDIR") or "/tmp"
  local base = string.format("%s/run-%d-%d", dir, os.time(), math.random(1 << 30))
  local inf = base .. ".in"
  local f = assert(io.open(inf, "w")); f:write(input or ""); f:close()
  local ok, how, status = os.execute(string.format("(%s) <%s >%s.out 2>%s.err",
                                                   cmd, inf, base, base))
  local function slurp(p)
    local h = assert(io.open(p)); local s = h:read("a"); h:close()
    os.remove(p); return s
  end
  os.remove(inf)
  return slurp(base .. ".out"), slurp(base .. ".err"), status
end

-- The contents of a file, or nil when it cannot be opened.
function M.read(path)
  local f = io.open(path, "rb")
  if not f then return nil end
  local s = f:read("a"); f:close()
  return s
end

-- Write text to a file, replacing it.
function M.write(path, text)
  local f = assert(io.open(path, "wb")); f:write(text); f:close()
end

-- Quote a string for the shell.
function M.quote(s) return "'" .. tostring(s):gsub("'", "'\\''") .. "'" end

-- The version in configure.ac, the one source of truth.
function M.configured_version()
  local src = os.getenv("top_srcdir") or "."
  local f = assert(io.open(src .. "/configure.ac"))
  local text = f:read("a")
  f:close()
  return assert(text:match("AC_INIT%(%[slope%],%s*%[([^%]]+)%]"))
end

-- Replay help entry e's example in env: each "> code" line runs, and what
-- it returns, printed as the REPL prints it (strings and numbers plainly,
-- anything else through slope.pretty), must be the lines that follow
-- (blank ones apart).
function M.example(e, env, name)
  local pretty = require "slope.pretty"
  local printed, expected = {}, {}
  for line in ((e and e.example or "") .. "\n"):gmatch("(.-)\n") do
    local code = line:match("^> (.*)$")
    if code then
      local f = load("return " .. code, "=example", "t", env)
                or assert(load(code, "=example", "t", env))
      local out = table.pack(f())
      for i = 1, out.n do
        local v = out[i]
        out[i] = (type(v) == "string" or type(v) == "number") and tostring(v)
                 or pretty.format(v)
      end
      if out.n > 0 then printed[#printed + 1] = table.concat(out, "\t", 1, out.n) end
    elseif line ~= "" then
      expected[#expected + 1] = line
    end
  end
  return M.is(e and #expected > 0 and table.concat(printed, "\n"),
              table.concat(expected, "\n"), "help example of " .. name)
end

function M.skip_all(why)
  io.write("1..0 # SKIP ", why, "\n")
  os.exit(0, true)
end

function M.done()
  if not planned then io.write("1..", count, "\n") end
  -- close the state too, so that valgrind sees every block freed
  os.exit(failed == 0 and (not planned or count == planned) and 0 or 1, true)
end

return M
