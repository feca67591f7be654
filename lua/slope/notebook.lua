-- notebook.lua: slope.notebook, reproducible tutorial notebooks.
--
--   notebook.run(text [, opts])   run the ```lua blocks of a Markdown text
--                                 in order in this Lua state; returns a
--                                 result (the executed Markdown, plots,
--                                 exercise verdicts, differences from the
--                                 stored outputs)
--   notebook.html(result [, opts]) one self-contained HTML page
--   notebook.main(...)            the "slope notebook" command line
--
-- A block's output (what it prints, the value of its last expression as
-- the REPL prints it, an error) is stored right after it in a ```output
-- block, and each plot as a link ![plot](NAME-N.svg) to an SVG file; a
-- re-run replaces them. Numbers are printed with at most 10 significant
-- digits and addresses (table: 0x...) are masked, so that outputs are the
-- same across runs and machines. Blocks marked ```lua exercise=NAME hold a
-- student's answer and its checks (expect), blocks ```lua solution=NAME the
-- reference answer, run in place of the answer by opts.solutions.
local type, error, ipairs, pairs, select, tostring, tonumber, pcall, load,
      require, getmetatable, next, rawequal =
      type, error, ipairs, pairs, select, tostring, tonumber, pcall, load,
      require, getmetatable, next, rawequal
local format, rep, concat = string.format, string.rep, table.concat
local mtype, abs, huge = math.type, math.abs, math.huge
local io, os, package, debug = io, os, package, debug
local io_open = io.open

local capture = require "slope.capture"
local pretty = require "slope.pretty"
local sandbox = require("slope.core").sandbox

local notebook = {}

notebook.defaults = { timeout = 10, memory = 512 * 1024 * 1024 }

-- {==================================================================
-- Parsing
-- ===================================================================

local function splitlines(text)
  local lines = {}
  for line in (text:gsub("\r\n", "\n") .. "\n"):gmatch("(.-)\n") do
    lines[#lines + 1] = line
  end
  if text:sub(-1) == "\n" or text == "" then lines[#lines] = nil end
  return lines
end

-- An opening fence: its indentation, marker and info string.
local function fence_open(line)
  local ind, marker, info = line:match("^( ? ? ?)(```+)%s*([^`]*)$")
  if not marker then
    ind, marker, info = line:match("^( ? ? ?)(~~~+)%s*(.*)$")
  end
  if marker then return ind, marker, (info:gsub("%s+$", "")) end
end

local function fence_closes(line, marker)
  local m = line:match("^ ? ? ?([`~]+)%s*$")
  return m and m:sub(1, 1) == marker:sub(1, 1) and #m >= #marker
end

-- The info string's words: the language and key=value attributes.
local function parse_info(info)
  local lang = info:match("^(%S*)")
  local attrs = {}
  for k, v in info:gmatch("([%w_%-]+)=([^%s]+)") do attrs[k] = v end
  return lang, attrs
end

local PLOT_LINE = "^!%[plot%]%(([^%s%)]+%.svg)%)%s*$"

-- Cells: {kind = "text", lines} and {kind = "code", code, attrs, line,
-- stored = {items}, opening, closing}. Stored outputs (```output blocks
-- and plot links right after a lua block) are read into stored and left
-- out of the text.
local function parse(text)
  local lines = splitlines(text)
  local cells, textbuf = {}, {}
  local function flush()
    if #textbuf > 0 then
      cells[#cells + 1] = { kind = "text", lines = textbuf }
      textbuf = {}
    end
  end
  local i, n = 1, #lines
  while i <= n do
    local ind, marker, info = fence_open(lines[i])
    local lang, attrs
    if marker then lang, attrs = parse_info(info) end
    if marker and lang == "lua" then
      flush()
      local body, j = {}, i + 1
      while j <= n and not fence_closes(lines[j], marker) do
        body[#body + 1] = lines[j]
        j = j + 1
      end
      local cell = { kind = "code", code = concat(body, "\n"), attrs = attrs,
                     line = i, opening = lines[i],
                     closing = lines[j] or ind .. marker, stored = {} }
      cells[#cells + 1] = cell
      -- the stored outputs: blank lines, output fences and plot links
      local k, last = j + 1, j
      while k <= n do
        local l = lines[k]
        local _, m2, info2 = fence_open(l)
        if l:match("^%s*$") then
          k = k + 1
        elseif m2 and info2 == "output" then
          local out, e = {}, k + 1
          while e <= n and not fence_closes(lines[e], m2) do
            out[#out + 1] = lines[e]
            e = e + 1
          end
          cell.stored[#cell.stored + 1] = { text = concat(out, "\n") .. "\n" }
          k, last = e + 1, e
        elseif l:match(PLOT_LINE) then
          cell.stored[#cell.stored + 1] = { file = l:match(PLOT_LINE) }
          k, last = k + 1, k
        else
          break
        end
      end
      i = last + 1
    else
      textbuf[#textbuf + 1] = lines[i]
      i = i + 1
      if marker then  -- another language's block: copied as it is
        while i <= n do
          textbuf[#textbuf + 1] = lines[i]
          i = i + 1
          if fence_closes(lines[i - 1], marker) then break end
        end
      end
    end
  end
  flush()
  return cells
end

-- }==================================================================


-- {==================================================================
-- Stable output
-- ===================================================================

-- A float with at most 10 significant digits: the same on every machine
-- unless the computation itself differs.
local function round(x)
  if mtype(x) ~= "float" or x ~= x or x == huge or x == -huge then return x end
  local r = tonumber(format("%.10g", x))
  if r == 0 then r = 0.0 end  -- no -0.0
  return r
end

-- A copy of v for printing: floats rounded, the field "time" (a timing)
-- left out, plain tables only (others are printed as they are).
local function stable(v, seen)
  local tv = type(v)
  if tv == "number" then return round(v) end
  if tv ~= "table" or getmetatable(v) ~= nil then return v end
  seen = seen or {}
  if seen[v] then return seen[v] end
  local c = {}
  seen[v] = c
  for k, x in next, v do
    if k ~= "time" then c[stable(k, seen)] = stable(x, seen) end
  end
  return c
end

local ADDRESS_TYPES = { "table", "function", "userdata", "thread", "builtin" }

-- Addresses masked: "table: 0x55d0c8" prints as "table: (address)".
local function mask(text)
  for _, t in ipairs(ADDRESS_TYPES) do
    text = text:gsub("(" .. t .. ": )0?x?%x%x%x%x%x%x+", "%1(address)")
  end
  return text
end

-- print as the notebook shows it: floats rounded.
local function stable_tostring(v)
  if mtype(v) == "float" then return tostring(round(v)) end
  return tostring(v)
end

-- }==================================================================


-- {==================================================================
-- The sandbox
-- ===================================================================

local function denied(name)
  return function()
    error(name .. " is disabled in the notebook sandbox (run with "
          .. "--no-sandbox to allow it)", 2)
  end
end

local function readonly(mode)
  return mode == nil or (type(mode) == "string" and not mode:find("[wa+]"))
end

-- Install the sandbox over the standard library; returns a function that
-- takes it off again. Writes are allowed under dir (resolved) only.
local function enter_sandbox(dir)
  local root = sandbox.realpath(dir) or dir
  if root:sub(-1) ~= "/" then root = root .. "/" end
  local function inside(path)
    local full = type(path) == "string" and sandbox.realpath(path)
    return full and full:sub(1, #root) == root
  end
  local function guarded(name, orig, check)
    return function(...)
      if not check(...) then
        error(name .. " outside the output directory " .. root .. " is "
              .. "disabled in the notebook sandbox", 2)
      end
      return orig(...)
    end
  end
  local saved = {
    { os, "execute" }, { os, "exit" }, { os, "remove" }, { os, "rename" },
    { io, "popen" }, { io, "open" }, { io, "output" }, { package, "loadlib" },
    { package, "cpath" }, { debug, "sethook" }, { _G, "load" },
    { _G, "loadfile" }, { _G, "dofile" },
  }
  for _, s in ipairs(saved) do s[3] = s[1][s[2]] end
  local searchers = package.searchers
  local saved_searchers = {}
  for i, f in ipairs(searchers) do saved_searchers[i] = f end

  os.execute = denied("os.execute")
  os.exit = denied("os.exit")
  io.popen = denied("io.popen")
  package.loadlib = denied("package.loadlib")
  debug.sethook = denied("debug.sethook")
  local orig_remove, orig_rename = os.remove, os.rename
  local orig_open, orig_output = io.open, io.output
  local orig_load, orig_loadfile = load, loadfile
  os.remove = guarded("os.remove", orig_remove,
                      function(p) return inside(p) end)
  os.rename = guarded("os.rename", orig_rename,
                      function(a, b) return inside(a) and inside(b) end)
  io.open = guarded("io.open for writing", orig_open, function(p, mode)
    return readonly(mode) or inside(p)
  end)
  io.output = guarded("io.output to a file", orig_output, function(f)
    return type(f) ~= "string" or inside(f)
  end)
  -- text chunks only: a binary chunk can crash the interpreter
  _G.load = function(chunk, name, mode, env)
    if mode ~= nil and mode ~= "t" then
      error("binary chunks are disabled in the notebook sandbox", 2)
    end
    return orig_load(chunk, name, "t", env)
  end
  _G.loadfile = function(name, mode, env)
    if mode ~= nil and mode ~= "t" then
      error("binary chunks are disabled in the notebook sandbox", 2)
    end
    return orig_loadfile(name, "t", env)
  end
  _G.dofile = function(name)
    local f = assert(orig_loadfile(name, "t"))
    return f()
  end
  local cpath = package.cpath
  local function nocmodule(name)
    if package.searchpath(name:gsub("%..*$", ""), cpath)
       or package.searchpath(name, cpath) then
      error("loading the C module '" .. name .. "' is disabled in the "
            .. "notebook sandbox", 2)
    end
    return "\n\tno C modules in the notebook sandbox"
  end
  package.cpath = ""
  searchers[3], searchers[4] = nocmodule, nil
  return function()
    for _, s in ipairs(saved) do s[1][s[2]] = s[3] end
    for i = 1, #searchers do searchers[i] = nil end
    for i, f in ipairs(saved_searchers) do searchers[i] = f end
  end
end

-- }==================================================================


-- {==================================================================
-- Running
-- ===================================================================

-- The chunk to run for code: the last statement returned when it is an
-- expression (as the REPL prints it), else code as it is.
local function compile(code, name)
  local lines = splitlines(code)
  for i = #lines, 1, -1 do
    local rest = concat(lines, "\n", i)
    if rest:match("^%s*[^%s%-]") or rest:match("^%s*%-[^%-]") then
      local prefix = concat(lines, "\n", 1, i - 1)
      if load(prefix, name, "t") then
        local f = load((i > 1 and prefix .. "\n" or "") .. "return " .. rest,
                       name, "t")
        if f then return f, true end
      end
    end
  end
  local f, err = load(code, name, "t")
  return f, false, err
end

-- expect(value, wanted [, tolerance [, hint]]) or expect(ok, hint).
local function compare(value, wanted, tol)
  if type(wanted) == "number" then
    if type(value) ~= "number" then
      return false, format("expected a number near %s, got %s",
                           stable_tostring(wanted), pretty.format(stable(value)))
    end
    if value ~= value or abs(value - wanted) > tol then
      return false, format("expected %s (within %s), got %s",
                           stable_tostring(wanted), stable_tostring(tol),
                           stable_tostring(value))
    end
    return true
  end
  local mt = getmetatable(wanted)
  local wl = type(wanted) == "table" or (type(wanted) == "userdata" and mt)
  if wl then
    local ok, n = pcall(function() return #wanted end)
    local okv, nv = pcall(function() return #value end)
    if not (ok and okv and type(value) ~= "number" and type(value) ~= "string")
       or n ~= nv then
      return false, format("expected %s, got %s", pretty.format(stable(wanted)),
                           pretty.format(stable(value)))
    end
    for i = 1, n do
      local good = compare(value[i], wanted[i], tol)
      if not good then
        return false, format("expected %s, got %s (entry %d differs)",
                             pretty.format(stable(wanted)),
                             pretty.format(stable(value)), i)
      end
    end
    return true
  end
  if rawequal(value, wanted) or value == wanted then return true end
  return false, format("expected %s, got %s", pretty.format(stable(wanted)),
                       pretty.format(stable(value)))
end

local function make_expect(state)
  return function(value, wanted, tol, hint)
    local good, why
    if type(value) == "boolean" and (wanted == nil or type(wanted) == "string")
       and tol == nil then
      good, why = value, wanted or "the condition does not hold"
    else
      if tol == nil then tol = 1e-6 end
      if type(tol) ~= "number" then
        error("bad argument #3 to 'expect' (number expected, got "
              .. type(tol) .. ")", 2)
      end
      good, why = compare(value, wanted, tol)
      if hint and not good then why = why .. ": " .. tostring(hint) end
    end
    state.checks = (state.checks or 0) + 1
    if not good then
      state.failures = state.failures or {}
      state.failures[#state.failures + 1] = why
    end
  end
end

-- Split an exercise block at its first expect(...) line: answer, checks.
local function split_exercise(code)
  local lines = splitlines(code)
  for i, l in ipairs(lines) do
    if l:match("^%s*expect%s*%(") then
      return concat(lines, "\n", 1, i - 1), concat(lines, "\n", i)
    end
  end
  return code, ""
end

-- Items of output: {text = ...} and {svg = ...}, consecutive text merged.
local function collector()
  local items = {}
  local sink = {}
  function sink.write(_, text)
    local last = items[#items]
    if last and last.text then last.text = last.text .. text
    else items[#items + 1] = { text = text } end
  end
  function sink.display(bundle)
    local svg = bundle["image/svg+xml"]
    if svg then items[#items + 1] = { svg = svg }
    elseif bundle["text/plain"] then sink.write("stdout", bundle["text/plain"] .. "\n") end
  end
  return items, sink
end

local function firstline(msg)
  msg = tostring(msg)
  return (msg:gsub("\nstack traceback:.*$", ""))
end

-- Run one chunk under the caps, its output into sink; returns ok and the
-- error message (and why: "time", "memory", "error").
local function execute(f, autoprint, opts)
  local function body()
    return f()
  end
  local res = table.pack(sandbox.call(opts.timeout or 0, opts.memory or 0, body))
  if res[1] then
    local shown = false
    for i = 2, res.n do if res[i] ~= nil then shown = true end end
    if autoprint and shown then
      local out = {}
      for i = 2, res.n do
        local v = stable(res[i])
        local tv = type(v)
        out[#out + 1] = (tv == "string" or tv == "number") and tostring(v)
                        or pretty.format(v)
      end
      io.write(concat(out, "\t"), "\n")
    end
    return true
  end
  return false, res[2], res[3]
end

local function human_bytes(n)
  if n >= 2^30 and n % 2^30 == 0 then return format("%d GB", n // 2^30) end
  if n >= 2^20 then return format("%g MB", n / 2^20) end
  if n >= 2^10 then return format("%g KB", n / 2^10) end
  return format("%d bytes", n)
end

local function failure_message(err, why, opts)
  if why == "time" then
    return format("stopped: the block ran over its time limit of %s s "
                  .. "(--timeout)", stable_tostring(opts.timeout))
  elseif why == "memory" then
    return format("stopped: the block ran over its memory limit of %s "
                  .. "(--memory)", human_bytes(opts.memory))
  end
  return "error: " .. firstline(err)
end

-- The stored text of a cell's outputs (for --check): text verbatim, plots
-- by their file and content.
local function render_outputs(items, plotname)
  local out = {}
  for _, it in ipairs(items) do
    if it.text then out[#out + 1] = it.text
    else out[#out + 1] = "![plot](" .. (it.file or plotname(it)) .. ")\n" end
  end
  return concat(out)
end

-- A Markdown fence longer than any run of backticks in text.
local function fence_for(text)
  local longest = 2
  for run in text:gmatch("`+") do if #run > longest then longest = #run end end
  return rep("`", longest + 1)
end

local function readfile(path)
  local f = io_open(path, "rb")
  if not f then return nil end
  local s = f:read("a")
  f:close()
  return s
end

local function dirname(path)
  return path:match("^(.*)/[^/]*$") or "."
end

local function basename(path)
  return (path:match("([^/]*)$"):gsub("%.md$", ""):gsub("%.markdown$", ""))
end

-- Line differences of a and b (lists of lines) as unified-style lines.
local function diff_lines(a, b)
  local n, m = #a, #b
  local L = {}
  for i = n + 1, 1, -1 do
    L[i] = {}
    for j = m + 1, 1, -1 do
      if i > n or j > m then L[i][j] = 0
      elseif a[i] == b[j] then L[i][j] = L[i + 1][j + 1] + 1
      else
        local x, y = L[i + 1][j], L[i][j + 1]
        L[i][j] = x >= y and x or y
      end
    end
  end
  local out, i, j = {}, 1, 1
  while i <= n or j <= m do
    if i <= n and j <= m and a[i] == b[j] then
      out[#out + 1] = " " .. a[i]; i, j = i + 1, j + 1
    elseif i <= n and (j > m or L[i + 1][j] >= L[i][j + 1]) then
      out[#out + 1] = "-" .. a[i]; i = i + 1
    else
      out[#out + 1] = "+" .. b[j]; j = j + 1
    end
  end
  return out
end

local function checkopts(opts)
  if opts == nil then opts = {} end
  if type(opts) ~= "table" then
    error("bad argument #2 to 'run' (table expected, got " .. type(opts) .. ")", 3)
  end
  local o = {}
  for k, v in pairs(notebook.defaults) do o[k] = v end
  for k, v in pairs(opts) do o[k] = v end
  if o.sandbox == nil then o.sandbox = true end
  for _, k in ipairs { "timeout", "memory" } do
    if type(o[k]) ~= "number" then
      error(format("bad argument #2 to 'run' (field '%s' must be a number)", k), 3)
    end
  end
  o.name = o.name or "notebook"
  o.dir = o.dir or "."
  return o
end

--[[
notebook.run(text [, opts]): run the notebook in text. opts: name (plots
are NAME-N.svg, default "notebook"), dir (where plots and writes go,
default "."), solutions, sandbox (default true), timeout (seconds per
block, 0 none), memory (bytes per block, 0 none), stored (dir holding
the stored plots to compare, default dir), quiet (no lines on stdout).
Returns {markdown, plots = {{file, svg}}, blocks, errors, exercises =
{{name, passed, hint}}, passed, failed, mismatches = {{block, line,
diff}}}.
]]
function notebook.run(text, opts)
  if type(text) ~= "string" then
    error("bad argument #1 to 'run' (string expected, got " .. type(text) .. ")", 2)
  end
  local o = checkopts(opts)
  local cells = parse(text)
  local solutions = {}
  for _, c in ipairs(cells) do
    if c.kind == "code" and c.attrs.solution then solutions[c.attrs.solution] = c end
  end
  local result = { plots = {}, blocks = 0, errors = 0, exercises = {},
                   passed = 0, failed = 0, mismatches = {}, cells = cells }
  local nplot = 0
  local function plotname(it)
    if not it.file then
      nplot = nplot + 1
      it.file = o.name .. "-" .. nplot .. ".svg"
      result.plots[#result.plots + 1] = { file = it.file, svg = it.svg }
    end
    return it.file
  end
  local say = o.quiet and function() end or function(s)
    local out = capture.real(io.stdout)
    out:write(s, "\n")
    out:flush()
  end

  -- the globals a notebook sees, as at the REPL
  local slope = require "slope"
  local globals = { slope = slope, ad = slope.ad, numdiff = slope.numdiff,
                    optim = slope.optim, analyze = slope.analyze,
                    plot = slope.plot }
  for k, v in pairs(globals) do if _G[k] == nil then _G[k] = v end end
  local state = {}
  local saved_expect = _G.expect
  _G.expect = make_expect(state)

  local leave = o.sandbox and enter_sandbox(o.dir) or function() end
  local ok, err = pcall(function()
    for index, c in ipairs(cells) do
      if c.kind == "code" and not c.attrs.solution then
        result.blocks = result.blocks + 1
        c.index = result.blocks
        local exercise = c.attrs.exercise
        local code = c.code
        if exercise and o.solutions then
          local answer, checks = split_exercise(code)
          local sol = solutions[exercise]
          code = (sol and sol.code or answer) .. "\n" .. checks
        end
        for k in pairs(state) do state[k] = nil end
        local items, sink = collector()
        capture.push(sink)
        print = function(...)
          local parts = {}
          for i = 1, select("#", ...) do
            parts[i] = stable_tostring((select(i, ...)))
          end
          io.write(concat(parts, "\t"), "\n")
        end
        local chunkname = "=block " .. c.index
        local f, autoprint, cerr = compile(code, chunkname)
        local good, msg, why
        if f then
          good, msg, why = execute(f, autoprint, o)
        else
          good, msg, why = false, cerr, "error"
        end
        if not good then
          result.errors = result.errors + 1
          sink.write("stderr", failure_message(msg, why, o) .. "\n")
        end
        capture.pop()
        if exercise then
          local passed = good and (state.checks or 0) > 0 and not state.failures
          local hint
          if not good then hint = "the block stopped with an error"
          elseif (state.checks or 0) == 0 then hint = "no expect(...) ran"
          elseif state.failures then hint = concat(state.failures, "; ") end
          local verdict = passed and ("exercise " .. exercise .. ": passed")
                          or ("exercise " .. exercise .. ": failed (" .. hint .. ")")
          sink.write("stdout", verdict .. "\n")
          result.exercises[#result.exercises + 1] = { name = exercise,
            passed = passed, hint = hint }
          if passed then result.passed = result.passed + 1
          else result.failed = result.failed + 1 end
          say(verdict)
        end
        for _, it in ipairs(items) do
          if it.text then it.text = mask(it.text) end
        end
        c.items = items
        c.cellindex = index
      end
    end
  end)
  leave()
  _G.expect = saved_expect
  if not ok then error(err, 0) end

  -- the executed Markdown
  local out = {}
  local function emit(s) out[#out + 1] = s end
  for _, c in ipairs(cells) do
    if c.kind == "text" then
      for _, l in ipairs(c.lines) do emit(l) end
    elseif c.attrs.solution and not o.keep_solutions and not o.solutions then
      -- left out of a student's copy
    else
      emit(c.opening)
      for _, l in ipairs(splitlines(c.code)) do emit(l) end
      emit(c.closing)
      for _, it in ipairs(c.items or {}) do
        if it.text then
          local body = it.text:sub(-1) == "\n" and it.text:sub(1, -2) or it.text
          local fence = fence_for(body)
          emit("")
          emit(fence .. "output")
          emit(body)
          emit(fence)
        else
          emit("")
          emit("![plot](" .. plotname(it) .. ")")
        end
      end
    end
  end
  result.markdown = concat(out, "\n") .. "\n"

  -- compared with the stored outputs
  if o.check then
    local stored_dir = o.stored or o.dir
    for _, c in ipairs(cells) do
      if c.items then
        local want = render_outputs(c.stored, plotname)
        local got = render_outputs(c.items, plotname)
        local diffs = {}
        if want ~= got then
          diffs[#diffs + 1] = diff_lines(splitlines(want), splitlines(got))
        end
        for _, it in ipairs(c.items) do
          if it.svg then
            local have = readfile(stored_dir .. "/" .. it.file)
            if have ~= it.svg then
              diffs[#diffs + 1] = { have and ("-(stored " .. it.file .. ")")
                                    or ("-(no stored " .. it.file .. ")"),
                                    "+(new " .. it.file .. ", "
                                    .. #it.svg .. " bytes)" }
            end
          end
        end
        for _, d in ipairs(diffs) do
          result.mismatches[#result.mismatches + 1] =
            { block = c.index, line = c.line, diff = d }
        end
      end
    end
  end
  return result
end

-- }==================================================================


-- {==================================================================
-- The command line
-- ===================================================================

local USAGE = [[
usage: slope notebook FILE.md [-o OUT.md] [--html OUT.html] [--check]
                      [--solutions] [--sandbox | --no-sandbox]
                      [--timeout S] [--memory SIZE]
]]

local HELP = USAGE .. [==[

Runs the ```lua blocks of a Markdown notebook in order, in one Lua state,
and writes the executed notebook: each block followed by what it printed
and the value of its last expression in a ```output block, plots as
NAME-N.svg files beside the output, linked as ![plot](NAME-N.svg).

Options:
  -o OUT.md       write the executed notebook to OUT.md (default: FILE.md
                  itself, unless --check or --html is given)
  --html OUT.html also write one self-contained HTML page (plots inline)
  --check         run and compare every stored output with the new one;
                  print the differences and exit with status 1 on any
  --solutions     run the ```lua solution=NAME blocks in place of the
                  answers of ```lua exercise=NAME blocks, and show them
  --sandbox       no os.execute, io.popen, os.exit, package.loadlib, C
                  modules; files written only under the output directory
                  (the default)
  --no-sandbox    lift those restrictions (the caps below stay)
  --timeout S     stop a block after S seconds (default 10; 0: no cap)
  --memory SIZE   stop a block that allocates more than SIZE (bytes, or
                  with K, M or G; default 512M; 0: no cap)
  --help          show this help

Exercises: a block ```lua exercise=NAME holds the answer, then checks
  expect(value, wanted [, tolerance [, hint]])   numbers, lists, vectors
  expect(condition, hint)                         a predicate
from its first expect line on. Each exercise is reported as passed or
failed with a hint, then a summary line.

Exit status: 0 when the notebook ran (and, with --check, matched), 1 on
differences, 2 on a usage error or an unreadable file.
See slope(1).
]==]

local function parse_size(s)
  local num, unit = tostring(s):match("^(%d+%.?%d*)%s*([kKmMgG]?)[bB]?$")
  if not num then return nil end
  local mult = ({ k = 2^10, m = 2^20, g = 2^30 })[unit:lower()] or 1
  return math.floor(tonumber(num) * mult)
end

local function writefile(path, text)
  local f, err = io_open(path, "wb")
  if not f then return nil, err end
  f:write(text)
  f:close()
  return true
end

--[[ notebook.main(...): the command line; returns the exit status. ]]
function notebook.main(...)
  local args = { ... }
  local stderr = capture.real(io.stderr)
  local function usage(msg)
    stderr:write("slope notebook: ", msg, "\n", USAGE)
    return 2
  end
  local file, out, html, check
  local opts = { timeout = notebook.defaults.timeout,
                 memory = notebook.defaults.memory }
  local i = 1
  while i <= #args do
    local a = args[i]
    local function value()
      i = i + 1
      if args[i] == nil then error({ usage = "option " .. a .. " needs a value" }) end
      return args[i]
    end
    local ok, e = pcall(function()
      if a == "--help" or a == "-h" then error({ help = true })
      elseif a == "-o" or a == "--output" then out = value()
      elseif a == "--html" then html = value()
      elseif a == "--check" then check = true
      elseif a == "--solutions" then opts.solutions = true
      elseif a == "--sandbox" then opts.sandbox = true
      elseif a == "--no-sandbox" then opts.sandbox = false
      elseif a == "--timeout" then
        local v = value()
        opts.timeout = tonumber(v)
        if not opts.timeout or opts.timeout < 0 then
          error({ usage = "--timeout: a number of seconds expected, got '" .. v .. "'" })
        end
      elseif a == "--memory" then
        local v = value()
        opts.memory = parse_size(v)
        if not opts.memory then
          error({ usage = "--memory: a size expected (e.g. 512M), got '" .. v .. "'" })
        end
      elseif a:sub(1, 1) == "-" and a ~= "-" then
        error({ usage = "unknown option '" .. a .. "'" })
      elseif file then
        error({ usage = "one notebook at a time ('" .. file .. "', '" .. a .. "')" })
      else file = a end
    end)
    if not ok then
      if type(e) == "table" and e.help then io.write(HELP); return 0 end
      if type(e) == "table" and e.usage then return usage(e.usage) end
      error(e, 0)
    end
    i = i + 1
  end
  if not file then return usage("no notebook given") end
  local text = readfile(file)
  if not text then
    stderr:write("slope notebook: cannot read ", file, "\n")
    return 2
  end
  local target = out or ((not check and not html) and file) or nil
  local outpath = target or file
  opts.name = basename(outpath)
  opts.dir = dirname(outpath)
  opts.stored = dirname(file)
  opts.check = check
  opts.keep_solutions = target == file  -- the source keeps its solutions
  if check then opts.name = basename(file) end
  local result = notebook.run(text, opts)

  local status = 0
  if target then
    local ok, err = writefile(target, result.markdown)
    if not ok then stderr:write("slope notebook: ", err, "\n"); return 2 end
    for _, p in ipairs(result.plots) do
      ok, err = writefile(opts.dir .. "/" .. p.file, p.svg)
      if not ok then stderr:write("slope notebook: ", err, "\n"); return 2 end
    end
  end
  if html then
    local page = require("slope.notebook_html").page(result,
      { title = basename(file), solutions = opts.solutions })
    local ok, err = writefile(html, page)
    if not ok then stderr:write("slope notebook: ", err, "\n"); return 2 end
  end
  local summary = format("%s: %d blocks, %d stopped with an error", file,
                         result.blocks, result.errors)
  if #result.exercises > 0 then
    summary = summary .. format("; exercises: %d passed, %d failed",
                                result.passed, result.failed)
  end
  io.write(summary, "\n")
  if check then
    if #result.mismatches == 0 then
      io.write("check: every stored output matches\n")
    else
      local blocks, seen = 0, {}
      for _, m in ipairs(result.mismatches) do
        if not seen[m.block] then
          blocks, seen[m.block] = blocks + 1, true
        end
        io.write(format("--- %s: block %d (line %d), stored output\n", file,
                        m.block, m.line))
        io.write(format("+++ %s: block %d (line %d), new output\n", file,
                        m.block, m.line))
        for _, l in ipairs(m.diff) do io.write(l, "\n") end
      end
      io.write(format("check: %d of %d blocks differ from their stored "
                      .. "output\n", blocks, result.blocks))
      status = 1
    end
  end
  io.stdout:flush()
  return status
end

-- }==================================================================

return notebook
