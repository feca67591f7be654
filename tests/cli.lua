-- cli.lua: the command line is a drop-in for the lua command. Each case
-- checks slope's own output exactly and, when LUA54 names a stock lua5.4,
-- that stdout, stderr (program name aside) and exit status are the same.
local t = require "tap"

local slope = assert(os.getenv("SLOPE"), "SLOPE not set")
local lua = os.getenv("LUA54")
if lua == "" then lua = nil end
local src = os.getenv("top_srcdir") or "."
local tmp = (os.getenv("TEST_TMPDIR") or "/tmp") .. "/cli"
local q = t.quote

assert(os.execute("mkdir -p " .. q(tmp .. "/pkg") .. " " .. q(tmp .. "/alt")
                  .. " " .. q(tmp .. "/cmod")))

local function write(name, text)
  local path = tmp .. "/" .. name
  local f = assert(io.open(path, "w"))
  f:write(text)
  f:close()
  return path
end

local function literal(s)
  return (s:gsub("[%^%$%(%)%%%.%[%]%*%+%-%?]", "%%%0"))
end

-- The program name as each program reports it: its argv[0].
local slopename = slope:match("(%S+)$")
local function norm(s, name) return (s:gsub(literal(name), "PROG")) end

local version = t.configured_version()

-- t.run less valgrind's lines, when SLOPE runs under it (os.exit leaves
-- memory behind); its errors still show in the status.
local function run(cmd, input)
  local out, err, status = t.run(cmd, input)
  return out, (err:gsub("==%d+==[^\n]*\n", "")), status
end

local function skip(name)
  return t.ok(true, name .. " # SKIP LUA54 not set: no lua5.4 to compare")
end

-- Run "PROGRAM args" under slope and stock lua (env is a shell prefix);
-- returns slope's stdout, stderr (program name as PROG) and status.
-- what: which of "out", "err", "status" to compare (all by default).
local function both(name, args, input, env, what)
  env = "unset LUA_PATH_5_4; " .. (env and env .. " " or "")  -- tests' own
  what = what or { out = true, err = true, status = true }
  local so, se, ss = run(env .. slope .. " " .. args, input)
  so, se = norm(so, slopename), norm(se, slopename)
  if lua then
    local lo, le, ls = run(env .. lua .. " " .. args, input)
    lo, le = norm(lo, lua), norm(le, lua)
    if what.out then t.is(so, lo, name .. ": stdout as lua5.4") end
    if what.err then t.is(se, le, name .. ": stderr as lua5.4") end
    if what.status then t.is(ss, ls, name .. ": status as lua5.4") end
  else
    skip(name)
  end
  return so, se, ss
end

-- Check slope's own results exactly.
local function expect(name, got, out, err, status)
  local so, se, ss = table.unpack(got)
  if out then t.is(so, out, name .. ": stdout") end
  if err then t.is(se, err, name .. ": stderr") end
  if status then t.is(ss, status, name .. ": status") end
end

local function case(name, args, input, env, out, err, status, what)
  expect(name, { both(name, args, input, env, what) }, out, err, status)
end

local traceback_e = "stack traceback:\n\t[C]: in function 'error'\n"
                    .. "\t(command line):1: in main chunk\n\t[C]: in ?\n"

-- -e
case("-e", "-e 'print(1.25 + 2)'", "", nil, "3.25\n", "", 0)
case("-e twice", "-e 'x = 7.5' -e 'print(x * 2)'", "", nil, "15.0\n", "", 0)
case("-e attached", "'-eprint(2.385)'", "", nil, "2.385\n", "", 0)
case("-e does not read stdin", "-e 'print(4)'", "print('stdin ran')\n", nil,
     "4\n", "", 0)
case("-e syntax error", "-e 'x ='", "", nil, "",
     "PROG: (command line):1: unexpected symbol near <eof>\n", 1)
case("-e runtime error", "-e 'print(1)' -e \"error('boom')\" -e 'print(2)'",
     "", nil, "1\n", "PROG: (command line):1: boom\n" .. traceback_e, 1)

-- -l
write("clitestmod.lua", "print('loading'); return { value = 2.385 }\n")
write("pkg/sub.lua", "return { value = 4.75 }\n")
local tmppath = "LUA_PATH=" .. q(tmp .. "/?.lua")
case("-l mod", "-e 'print(1)' -l clitestmod -e 'print(clitestmod.value)'", "",
     tmppath, "1\nloading\n2.385\n", "", 0)
case("-l attached", "-lclitestmod -e 'print(clitestmod.value)'", "", tmppath,
     "loading\n2.385\n", "", 0)
case("-l g=mod", "-l m=clitestmod -e 'print(m.value, clitestmod)'", "",
     tmppath, "loading\n2.385\tnil\n", "", 0)
case("-l dotted name", "-l pkg.sub -e \"print(_G['pkg.sub'].value, pkg)\"",
     "", tmppath, "4.75\tnil\n", "", 0)
do
  local name = "-l missing module"
  local so, se, ss = both(name, "-l nosuchmod_cli -e 'print(1)'", "", tmppath,
                          { out = true, status = true })
  t.is(se:match("^[^\n]*\n"), "PROG: module 'nosuchmod_cli' not found:\n",
       name .. ": first line of stderr")
  t.ok(se:find("no file '" .. tmp .. "/nosuchmod_cli.lua'", 1, true),
       name .. ": lists LUA_PATH", se)
  t.is(so, "", name .. ": nothing else runs")
  t.is(ss, 1, name .. ": status")
end

-- -i with stdin not a terminal: the statements run, then the status is 0.
write("setsy.lua", "y = 9.5\n")
write("fails.lua", "y = 9.5\nerror('early')\n")
do
  local name = "-i"
  local input = "print(3.5 * 2)\nx = 4\nprint(x + 0.25)\n"
  local so, se, ss = run(slope .. " -i", input)
  t.ok(so:find("\n7.0\n", 1, true) and so:find("\n4.25\n", 1, true),
       name .. ": statements run", so)
  t.is(se, "", name .. ": stderr")
  t.is(ss, 0, name .. ": status")
  local banner = string.format("slope %s  (Lua 5.4", version)
  t.is(so:sub(1, #banner), banner, name .. ": banner names slope and Lua")
  t.ok(so:match("^[^\n]*GSL %d+%.%d+[^\n]*\n[^\n]*help%(%)"),
       name .. ": banner names GSL and help()", so)
  so, se, ss = run(slope .. " -i " .. q(tmp .. "/setsy.lua"), "print(y)\n")
  t.ok(so:find("\n9.5\n", 1, true), name .. " after a script", so)
  t.is(ss, 0, name .. " after a script: status")
  if lua then
    local lo, _, ls = run(lua .. " -i", input)
    t.ok(lo:find("\n7.0\n", 1, true) and lo:find("\n4.25\n", 1, true),
         name .. ": lua5.4 runs the same statements", lo)
    t.is(ss, ls, name .. ": status as lua5.4")
  else
    skip(name)
  end
end
-- (lua5.4 -i prints its version first; slope's banner comes with the REPL)
case("-i after a failing script", "-i " .. q(tmp .. "/fails.lua"),
     "print('repl ran')\n", nil, "", nil, 1, { err = true, status = true })

-- -v
local copyright = "Lua 5.4"
do
  local so = both("-v", "-v", "print('stdin ran')\n")
  t.ok(so:match("^Lua 5%.4%.%d+  Copyright %(C%) 1994%-%d+ Lua%.org, "
                .. "PUC%-Rio\n$"),
       "-v prints Lua's copyright line only", so)
  copyright = so
end
case("-v -e", "-v -e 'print(1)'", "", nil, copyright .. "1\n", "", 0)

-- -E
case("-E ignores LUA_INIT", "-E -e 'print(2)'", "",
     "LUA_INIT='print(\"init ran\")'", "2\n", "", 0)
case("-E ignores LUA_PATH",
     "-E -e \"print(package.path:find('/nonexistent', 1, true))\"", "",
     "LUA_PATH='/nonexistent/?.lua' LUA_PATH_5_4='/nonexistent/?.lua'",
     "nil\n", "", 0)
case("-E ignores LUA_CPATH",
     "-E -e \"print(package.cpath:find('/nonexistent', 1, true))\"", "",
     "LUA_CPATH='/nonexistent/?.so'", "nil\n", "", 0)
case("LUA_PATH without -E",
     "-e \"print(package.path:find('/nonexistent/?.lua', 1, true) ~= nil)\"",
     "", "LUA_PATH='/nonexistent/?.lua'", "true\n", "", 0)
expect("-E keeps slope",
       { run(slope .. " -E -e 'print(require(\"slope\").version)'") },
       version .. "\n", "", 0)

-- -W
case("warnings off", "-e \"warn('hot', 'ter')\"", "", nil, "", "", 0)
case("-W", "-W -e \"warn('hot', 'ter')\"", "", nil, "",
     "Lua warning: hotter\n", 0)
case("-W in order", "-e \"warn('one')\" -W -e \"warn('two')\"", "", nil, "",
     "Lua warning: two\n", 0)

-- - and --
case("-", "- a b", "print(arg[0], #arg, ...)\n", nil, "-\t2\ta\tb\n", "", 0)
case("- error", "-", "error('piped')\n", nil, "",
     "PROG: stdin:1: piped\nstack traceback:\n\t[C]: in function 'error'\n"
     .. "\tstdin:1: in main chunk\n\t[C]: in ?\n", 1)
write("args.lua", "print(select('#', ...), ...)\n"
                  .. "for i = -3, #arg do print(i, arg[i]) end\n")
case("--", "-e 'x = 1' -- " .. q(tmp .. "/args.lua") .. " -e", "", nil,
     "1\t-e\n-3\t-e\n-2\tx = 1\n-1\t--\n0\t" .. tmp .. "/args.lua\n1\t-e\n",
     "", 0)
case("-- then stdin", "--", "print(#arg, arg[0], arg[1])\n", nil,
     "1\tPROG\t--\n", "", 0)
case("no script, stdin not a terminal", "", "print(2.5)\nprint(...)\n", nil,
     "2.5\n\n", "", 0)
-- lua.c ignores an error in stdin run for want of a script; slope fails.
case("no script, error in stdin", "", "print(1)\nerror('late')\n", nil, "1\n",
     "PROG: stdin:2: late\nstack traceback:\n\t[C]: in function 'error'\n"
     .. "\tstdin:2: in main chunk\n\t[C]: in ?\n", nil,
     { out = true, err = true })
expect("no script, error in stdin: status",
       { run(slope, "error('late')\n") }, nil, nil, 1)

-- the arg table and ...
case("script args", "-e 'y = 2' " .. q(tmp .. "/args.lua")
     .. " one 'two words' 3", "", nil,
     "3\tone\ttwo words\t3\n-3\tPROG\n-2\t-e\n-1\ty = 2\n0\t" .. tmp
     .. "/args.lua\n1\tone\n2\ttwo words\n3\t3\n", "", 0)
case("arg without a script",
     "-e \"print(arg[-1], arg[0], arg[1], arg[2], arg[3])\"", "", nil,
     "nil\tPROG\t-e\tprint(arg[-1], arg[0], arg[1], arg[2], arg[3])\tnil\n",
     "", 0)
write("ret.lua", "return 1, 2\n")
case("script results ignored", q(tmp .. "/ret.lua"), "", nil, "", "", 0)

-- LUA_INIT
write("init.lua", "print('init file', ...)\n")
case("LUA_INIT", "-e 'print(1)'", "", "LUA_INIT='print(\"plain\")'",
     "plain\n1\n", "", 0)
case("LUA_INIT_5_4 over LUA_INIT", "-e 'print(1)'", "",
     "LUA_INIT_5_4='print(\"five four\")' LUA_INIT='print(\"plain\")'",
     "five four\n1\n", "", 0)
case("LUA_INIT=@file", "-e 'print(1)'", "",
     "LUA_INIT=" .. q("@" .. tmp .. "/init.lua"), "init file\n1\n", "", 0)
case("LUA_INIT error", "-e 'print(1)'", "", "LUA_INIT='error(\"i\")'", "",
     "PROG: LUA_INIT:1: i\nstack traceback:\n\t[C]: in function 'error'\n"
     .. "\tLUA_INIT:1: in main chunk\n\t[C]: in ?\n", 1)
case("LUA_INIT_5_4 syntax error", "-e 'print(1)'", "", "LUA_INIT_5_4='x ='",
     "", "PROG: LUA_INIT_5_4:1: unexpected symbol near <eof>\n", 1)

-- errors in scripts

-- A file name as Lua shows it in messages: "..." and the last 56
-- characters once it is longer than LUA_IDSIZE (60) allows.
local function chunkid(path)
  return #path + 1 <= 60 and path or "..." .. path:sub(-56)
end

local syntax = write("syntax.lua", "local a = 1\nx = = 1\n")
case("script syntax error", q(syntax), "", nil, "",
     "PROG: " .. chunkid(syntax) .. ":2: unexpected symbol near '='\n", 1)
local runtime = write("runtime.lua",
                      "local function f(x)\n  return x.field\nend\n"
                      .. "print('before')\nf(nil)\nprint('after')\n")
do
  local name = "script runtime error"
  local so, se, ss = both(name, q(runtime), "", nil)
  t.is(so, "before\n", name .. ": stdout")
  t.is(se:match("^[^\n]*\n"), "PROG: " .. chunkid(runtime)
       .. ":2: attempt to index a nil value (local 'x')\n",
       name .. ": first line of stderr")
  t.ok(se:find("\nstack traceback:\n\t" .. chunkid(runtime) .. ":2: in local 'f'\n", 1,
               true), name .. ": traceback", se)
  t.is(ss, 1, name .. ": status")
end
case("error object a table", "-e 'error({})'", "", nil, "",
     "PROG: (error object is a table value)\n" .. traceback_e, 1)
case("error object nil", "-e 'error()'", "", nil, "",
     "PROG: (error object is a nil value)\n" .. traceback_e, 1)
case("error object with __tostring",
     "-e \"error(setmetatable({}, {__tostring = function() return 'boo' end}))"
     .. "\"",
     "", nil, "", "PROG: boo\n", 1)
case("missing script", q(tmp .. "/nosuch.lua"), "", nil, "",
     "PROG: cannot open " .. tmp .. "/nosuch.lua: No such file or directory\n",
     1)

-- os.exit
case("os.exit(0)", "-e 'io.write(\"x\") os.exit(0)'", "", nil, "x", "", 0)
case("os.exit(3)", "-e 'io.write(\"y\") os.exit(3)'", "", nil, "y", "", 3)
case("os.exit(true)", "-e 'os.exit(true)'", "", nil, "", "", 0)
case("os.exit(false)", "-e 'os.exit(false)'", "", nil, "", "", 1)
case("os.exit(3, true)", "-e 'os.exit(3, true)'", "", nil, "", "", 3)

-- bad options: lua's usage, then slope's two extra lines
local extra = "  --help    show a fuller help\n"
              .. "  --version show slope, Lua and GSL versions\n"
local function badoption(name, args, first)
  local so, se, ss = run(slope .. " " .. args .. " -e 'print(1)'")
  se = norm(se, slopename)
  t.is(se:match("^[^\n]*\n"), first, name .. ": message")
  t.ok(se:find("\nusage: PROG [options] [script [args]]\n", 1, true),
       name .. ": usage", se)
  t.is(so, "", name .. ": nothing runs")
  t.is(ss, 1, name .. ": status")
  if lua then
    local _, le, ls = run(lua .. " " .. args .. " -e 'print(1)'")
    le = norm(le, lua)
    t.is(se, le .. extra, name .. ": lua5.4's usage and --help, --version")
    t.is(ss, ls, name .. ": status as lua5.4")
  else
    skip(name)
  end
end
badoption("bad option", "-x", "PROG: unrecognized option '-x'\n")
badoption("bad long option", "--x", "PROG: unrecognized option '--x'\n")
badoption("-v with extra letters", "-vx", "PROG: unrecognized option '-vx'\n")
badoption("-W with extra letters", "-Wx", "PROG: unrecognized option '-Wx'\n")
badoption("-E with extra letters", "-Ex", "PROG: unrecognized option '-Ex'\n")
badoption("-i with extra letters", "-ix", "PROG: unrecognized option '-ix'\n")
badoption("-e then an option", "-e", "PROG: '-e' needs argument\n")
badoption("-l then an option", "-l", "PROG: '-l' needs argument\n")
do
  local _, se, ss = run(slope .. " -e")
  t.is(norm(se, slopename):match("^[^\n]*\n"), "PROG: '-e' needs argument\n",
       "-e at the end: message")
  t.is(ss, 1, "-e at the end: status")
end

-- --help and --version
do
  local so, se, ss = run(slope .. " --help", "print('stdin ran')\n")
  for _, s in ipairs { "-e stat", "-l mod", "-l g=mod", " -i ", " -v ",
                       " -E ", " -W ", " -- ", " - ", "--help", "--version",
                       "LUA_INIT_5_4", "LUA_INIT ", "LUA_PATH_5_4",
                       "LUA_PATH ", "LUA_CPATH_5_4", "LUA_CPATH ",
                       "SLOPE_HISTORY", "~/.slope_history", "SLOPE_HISTSIZE",
                       "1000", "REPL", "help()", "Ctrl-C", "Ctrl-D" } do
    t.ok(so:find(s, 1, true), "--help lists " .. s)
  end
  t.is(norm(so, slopename):match("^[^\n]*"),
       "usage: PROG [options] [script [args]]", "--help: usage line")
  t.is(se, "", "--help: stderr")
  t.is(ss, 0, "--help: status")
  t.ok(not so:find("stdin ran", 1, true), "--help runs nothing")
end
do
  local gsl = run(slope .. " -e \"io.write(require('slope').gsl_version)\"")
  t.ok(gsl:match("^%d+%.%d+"), "slope.gsl_version", gsl)
  local want = "slope " .. version .. "\n" .. copyright .. "GSL " .. gsl
               .. "\n"
  expect("--version", { run(slope .. " --version") }, want, "", 0)
  expect("--version ends the options",
         { run(slope .. " --version -x", "print('stdin ran')\n") }, want, "",
         0)
end

-- modules
write("alt/clitestmod.lua", "return { value = 'five four' }\n")
case("require from LUA_PATH",
     "-e \"print(require('clitestmod').value)\"", "", tmppath,
     "loading\n2.385\n", "", 0)
case("LUA_PATH_5_4 over LUA_PATH",
     "-e \"print(require('clitestmod').value)\"", "",
     tmppath .. " LUA_PATH_5_4=" .. q(tmp .. "/alt/?.lua"), "five four\n", "",
     0)
case("LUA_PATH ;; keeps the default",
     "-e \"print(package.path:find(';;', 1, true),"
     .. " package.path:find('/usr/local/share/lua/5.4/?.lua', 1, true)"
     .. " ~= nil)\"",
     "", "LUA_PATH=" .. q(tmp .. "/?.lua;;"), "nil\ttrue\n", "", 0)

local lpeg = "/usr/lib/x86_64-linux-gnu/lua/5.4/lpeg.so"
local has_lpeg = io.open(lpeg)
if has_lpeg then
  has_lpeg:close()
  assert(os.execute("ln -sf " .. q(lpeg) .. " " .. q(tmp .. "/cmod/lpeg.so")))
  local cpath = "LUA_CPATH=" .. q(tmp .. "/cmod/?.so")
  case("C module through LUA_CPATH",
       "-e \"local l = require 'lpeg';"
       .. " print(l.match(l.C(l.R'az'^1), 'slope42'),"
       .. " package.searchpath('lpeg', package.cpath) == '" .. tmp
       .. "/cmod/lpeg.so', package.cpath)\"",
       "", cpath, "slope\ttrue\t" .. tmp .. "/cmod/?.so\n", "", 0)
  case("-l of a C module",
       "-l lp=lpeg -e \"print(lp.match(lp.P'sl', 'slope'))\"",
       "", cpath, "3\n", "", 0)
else
  for _ = 1, 2 do
    t.ok(true, "C module # SKIP " .. lpeg
               .. " absent (apt-get install lua-lpeg)")
  end
end

-- require "slope" from the build tree, with no set-up
do
  local unset = "cd " .. q(tmp) .. " && unset LUA_PATH LUA_PATH_5_4 LUA_CPATH"
                .. " LUA_CPATH_5_4 && "
  local so, se, ss = run(unset .. slope .. " -e \"local s = require 'slope';"
                           .. " print(s.version, package.searchpath('slope',"
                           .. " package.path))\"")
  t.is(so, version .. "\t" .. src .. "/lua/slope/init.lua\n",
       "require 'slope' from the build tree")
  t.is(se, "", "require 'slope': stderr")
  t.is(ss, 0, "require 'slope': status")
end

t.done()
