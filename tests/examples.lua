-- examples.lua: every script in examples/ runs, and prints exactly the
-- output stored beside it in NAME.expected when there is one.
local t = require "tap"

local src = os.getenv("top_srcdir") or "."
local slope = assert(os.getenv("SLOPE"), "SLOPE not set")
local tmp = os.getenv("TEST_TMPDIR") or "/tmp"

local list = assert(io.popen("ls " .. t.quote(src .. "/examples") .. " 2>/dev/null"))
local scripts = {}
for name in list:lines() do
  if name:match("%.lua$") then scripts[#scripts + 1] = name end
end
list:close()
t.ok(#scripts > 0, "examples/ holds scripts")

local read = t.read

for _, name in ipairs(scripts) do
  local path = src .. "/examples/" .. name
  -- Run from a scratch directory: an example may write files (plots).
  local out, err, status = t.run("cd " .. t.quote(tmp) .. " && " .. slope .. " " .. t.quote(path))
  t.ok(status == 0 and err == "", name .. " runs cleanly", err)
  local want = read(src .. "/examples/" .. name:gsub("%.lua$", ".expected"))
  if want then
    t.is(out, want, name .. " prints its expected output")
  end
end

t.done()
