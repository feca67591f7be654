-- stock_lua.lua: stock lua5.4 loads slope from the build tree: the C module
-- through LUA_CPATH, the pure-Lua modules through LUA_PATH.
local t = require "tap"

local lua = os.getenv("LUA54")
if lua == nil or lua == "" then
  t.skip_all("LUA54 not set: no stock lua5.4 (apt-get install lua5.4)")
end
local module = assert(os.getenv("SLOPE_MODULE"), "SLOPE_MODULE not set")
local src = os.getenv("top_srcdir") or "."
local tmp = os.getenv("TEST_TMPDIR") or "/tmp"
local q = t.quote


-- A template without '?' is the file itself, whatever the module's name.
local env = "unset LUA_INIT LUA_INIT_5_4 LUA_PATH_5_4 LUA_CPATH_5_4; "
            .. "LUA_CPATH=" .. q(module) .. " LUA_PATH="
            .. q(src .. "/lua/?.lua;" .. src .. "/lua/?/init.lua") .. " "

-- Run code under stock Lua; returns stdout, stderr, status.
local function stock(code)
  local path = tmp .. "/stock_lua.lua"
  local f = assert(io.open(path, "w"))
  f:write(code)
  f:close()
  return t.run(env .. lua .. " " .. q(path))
end

local out, err, status = stock([[
local slope = require "slope"
print(slope.version)
print(slope.lua_version)
print(slope.gsl_version)
print(package.searchpath("slope", package.path))
print(package.searchpath("slope.core", package.cpath))
]])
t.is(status, 0, "require 'slope' under stock lua5.4")
t.is(err, "", "require 'slope': stderr")
local lines = {}
for line in out:gmatch("[^\n]*") do lines[#lines + 1] = line end
t.is(lines[1], t.configured_version(), "slope.version")
t.is(lines[2], (t.run(lua .. " -v"):match("^(Lua 5%.4%.%d+)")),
     "slope.lua_version is stock Lua's")
t.ok(lines[3] and lines[3]:match("^%d+%.%d+[%.%d]*$"), "slope.gsl_version",
     lines[3])
t.is(lines[4], src .. "/lua/slope/init.lua", "slope from the source tree")
t.is(lines[5], module, "slope.core from the built module")

out, err, status = stock([[
local slope = require "slope"
local v = slope.vec{1.5, 2.25}
print(#v, v[1], v[2])
]])
t.is(err, "", "slope.vec under stock lua5.4: stderr")
t.is(out, "2\t1.5\t2.25\n", "slope.vec{1.5, 2.25}")
t.is(status, 0, "slope.vec: status")

t.done()
