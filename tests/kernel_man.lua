-- kernel_man.lua: slope.1 documents slope kernel and slope kernel install,
-- and slope kernel --help agrees with it.
local t = require "tap"

local src = os.getenv("top_srcdir") or "."
local slope = os.getenv("SLOPE") or "slope"
if os.execute("command -v mandoc >/dev/null 2>&1") ~= true then
  t.skip_all("mandoc not installed (apt-get install mandoc)")
end

local page = t.run("mandoc -Tascii " .. t.quote(src .. "/man/slope.1"))
page = page:gsub(".\b", "")
t.ok(page:find("THE JUPYTER KERNEL", 1, true), "slope.1 has THE JUPYTER KERNEL")
for _, s in ipairs { "kernel --connection-file file", "kernel install",
                     "--user", "--prefix prefix", "HMAC-SHA256",
                     "logo-32x32.png", "logo-64x64.png", "JUPYTER_PATH" } do
  t.ok(page:find(s, 1, true), "slope.1 documents " .. s)
end

local out, _, status = t.run(slope .. " kernel --help")
if status == 0 then
  t.ok(out:find("--connection-file FILE", 1, true)
       and out:find("install [--user] [--prefix P]", 1, true),
       "slope kernel --help shows both forms")
else
  local _, err = t.run(slope .. " kernel")
  t.ok(err:find("no Jupyter kernel", 1, true),
       "a build without the kernel says so", err)
end
t.done()
