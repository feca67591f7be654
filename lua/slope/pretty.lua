-- pretty.lua: the REPL's printer, usable from scripts.
--
--   pretty.format(v [, opts]) -> string
--   pretty.print(...)          like print, through pretty.format
--
-- Numbers print as Lua prints them (integers as integers, floats with
-- "%.14g"), so 0.1 + 0.2 shows 0.3. Tables print on one line when they fit
-- in opts.width, else one entry per line, indented; the array part comes
-- first, then the other keys sorted (numbers, strings, booleans, others).
-- Cycles print as <cycle>, tables below opts.depth as {...}. Vectors and
-- matrices share one format per object, "%.<digits>g" (6 significant
-- digits by default), right-aligned in columns; beyond opts.maxlen
-- elements (rows, columns) only the first and last opts.edge are shown,
-- with a count of the elided ones. Functions that help knows print as
-- "function: <name>" (callable tables "table: <name>"). At the top level of pretty.print, strings and
-- numbers print exactly as print prints them. pretty.defaults holds the
-- options (width, indent, depth, digits, maxlen, edge) and may be changed.
local type, tostring, select, next, rawget, pcall, require =
      type, tostring, select, next, rawget, pcall, require
local getmetatable, ipairs = getmetatable, ipairs
local concat, sort = table.concat, table.sort
local format, rep, find, gsub = string.format, string.rep, string.find,
                                string.gsub
local mtype, huge = math.type, math.huge
local io = io

local defaults = {
  width = 78,   -- columns for a one-line table or a vector row
  indent = 2,   -- per nesting level
  depth = 12,   -- nesting shown
  digits = 6,   -- significant digits of vector and matrix entries
  maxlen = 20,  -- longer vectors (more rows, columns) are elided
  edge = 5,     -- elements kept at each end when eliding
}

local keywords = {}
for w in ("and break do else elseif end false for function goto if in " ..
          "local nil not or repeat return then true until while"):gmatch("%S+") do
  keywords[w] = true
end

-- Is x a native vector / matrix? slope.core tells when it can, else the
-- metatable's __name does.
local isvec, ismat
do
  local ok, core = pcall(require, "slope.core")
  local cv = ok and type(core) == "table" and core.vec
  local function named(name)
    return function(x)
      local mt = type(x) == "userdata" and getmetatable(x)
      return type(mt) == "table" and rawget(mt, "__name") == name
    end
  end
  isvec = type(cv) == "table" and cv.isvec or named("slope.vec")
  ismat = type(cv) == "table" and cv.ismat or named("slope.mat")
end

-- help's name for a function, if help is loaded and knows it.
local function helpname(f)
  local ok, help = pcall(require, "slope.help")
  if ok and type(help) == "table" and type(help.lookup) == "function" then
    local e = help.lookup(f)
    return e and e.name
  end
end

local function isnan(x) return x ~= x end

-- A number as Lua prints it; NaN without its meaningless sign.
local function number(x)
  if isnan(x) then return "nan" end
  return tostring(x)
end

-- An entry of a vector or matrix in the shared short format.
local function entry(x, fmt)
  if isnan(x) then return "nan" end
  if x == huge then return "inf" elseif x == -huge then return "-inf" end
  if mtype(x) == "integer" then return format("%d", x) end
  return format(fmt, x)
end

local function quote(s)
  return (gsub(format("%q", s), "\\\n", "\\n"))
end

local function isname(k)
  return type(k) == "string" and find(k, "^[%a_][%w_]*$") and not keywords[k]
end

-- Sort order for non-array keys: numbers, strings, booleans, the rest.
local rank = { number = 1, string = 2, boolean = 3 }
local function keyless(a, b)
  local ta, tb = type(a), type(b)
  local ra, rb = rank[ta] or 4, rank[tb] or 4
  if ra ~= rb then return ra < rb end
  if ra == 1 or ra == 2 then return a < b end
  if ra == 3 then return not a and b end
  if ta ~= tb then return ta < tb end
  return tostring(a) < tostring(b)
end

-- Indices i..j kept of 1..n (all, or both ends around a gap).
local function spans(n, o)
  if n <= o.maxlen then return { { 1, n } } end
  return { { 1, o.edge }, { n - o.edge + 1, n } }
end

local function pad(s, w) return rep(" ", w - #s) .. s end

-- A vector starting at column col.
local function fmtvec(v, o, col)
  local n = #v
  local fmt = "%." .. o.digits .. "g"
  local items, width = {}, 0
  local sp = spans(n, o)
  for s, span in ipairs(sp) do
    if s == 2 then items[#items + 1] = false end  -- the gap
    for i = span[1], span[2] do
      local e = entry(v[i], fmt)
      items[#items + 1] = e
      if #e > width then width = #e end
    end
  end
  local gap = #sp == 2 and format("... %d more ...", n - 2 * o.edge)
  local flat = {}
  for i, e in ipairs(items) do flat[i] = e or gap end
  local line = "vec{" .. concat(flat, ", ") .. "}"
  if col + #line <= o.width then return line end
  -- Wrapped: aligned columns, as many per row as fit.
  local per = (o.width - col - 4) // (width + 2)
  if per < 1 then per = 1 end
  local rows, row = {}, {}
  local lead = "\n" .. rep(" ", col + 4)
  for _, e in ipairs(items) do
    if not e then
      if #row > 0 then rows[#rows + 1] = concat(row, ", "); row = {} end
      rows[#rows + 1] = gap
    else
      row[#row + 1] = pad(e, width)
      if #row == per then rows[#rows + 1] = concat(row, ", "); row = {} end
    end
  end
  if #row > 0 then rows[#rows + 1] = concat(row, ", ") end
  return "vec{" .. concat(rows, "," .. lead) .. "}"
end

-- A matrix starting at column col: one row per line, columns aligned.
local function fmtmat(m, o, col)
  local r = #m
  if r == 0 then return "mat{}" end
  local c = #m[1]
  local fmt = "%." .. o.digits .. "g"
  local rsp, csp = spans(r, o), spans(c, o)
  local cells, widths = {}, {}  -- cells[k] = list of strings, or a gap note
  for s, span in ipairs(rsp) do
    if s == 2 then cells[#cells + 1] = format("... %d more rows ...", r - 2 * o.edge) end
    for i = span[1], span[2] do
      local row, cells_i, k = m[i], {}, 0
      for t, cs in ipairs(csp) do
        if t == 2 then k = k + 1; cells_i[k] = "..."; widths[k] = 3 end
        for j = cs[1], cs[2] do
          k = k + 1
          local e = entry(row[j], fmt)
          cells_i[k] = e
          if #e > (widths[k] or 0) then widths[k] = #e end
        end
      end
      cells[#cells + 1] = cells_i
    end
  end
  local lines = {}
  for i, row in ipairs(cells) do
    if type(row) == "string" then
      lines[i] = row
    else
      for k, e in ipairs(row) do row[k] = pad(e, widths[k]) end
      lines[i] = "{" .. concat(row, ", ") .. "}"
    end
  end
  local s = "mat{" .. concat(lines, ",\n" .. rep(" ", col + 4)) .. "}"
  if #rsp == 2 or #csp == 2 then s = s .. format(" -- %dx%d", r, c) end
  return s
end

local fmtvalue

-- A table whose line starts at indentation ind, the value at column col.
local function fmttable(t, o, ind, col, path, level)
  if path[t] then return "<cycle>" end
  local mt = getmetatable(t)
  if mt ~= nil then  -- an object: named by help, or its own __tostring
    local name = helpname(t)
    if name then return "table: " .. name end
    if type(mt) == "table" and rawget(mt, "__tostring") then
      return tostring(t)
    end
  end
  if level >= o.depth then return "{...}" end
  path[t] = true
  local n = 0
  while rawget(t, n + 1) ~= nil do n = n + 1 end
  local keys = {}
  for k in next, t do
    if not (mtype(k) == "integer" and k >= 1 and k <= n) then
      keys[#keys + 1] = k
    end
  end
  sort(keys, keyless)
  local cind = ind + o.indent
  -- Items formatted for the multi-line layout; they are reused for the
  -- one-line layout when all of them fit on one line.
  local items, multi, total = {}, false, 2
  for i = 1, n do
    items[i] = fmtvalue(rawget(t, i), o, cind, cind, path, level + 1)
  end
  for _, k in ipairs(keys) do
    local kstr = isname(k) and k or
                 "[" .. fmtvalue(k, o, cind, cind + 1, path, level + 1) .. "]"
    local prefix = kstr .. " = "
    items[#items + 1] = prefix ..
      fmtvalue(rawget(t, k), o, cind, cind + #prefix, path, level + 1)
  end
  path[t] = nil
  for _, s in ipairs(items) do
    if find(s, "\n", 1, true) then multi = true end
    total = total + #s + 2
  end
  if #items == 0 then return "{}" end
  if not multi and col + total - 2 <= o.width then
    return "{" .. concat(items, ", ") .. "}"
  end
  local lead = rep(" ", cind)
  return "{\n" .. lead .. concat(items, ",\n" .. lead) .. ",\n" ..
         rep(" ", ind) .. "}"
end

function fmtvalue(v, o, ind, col, path, level)
  local tv = type(v)
  if tv == "number" then return number(v)
  elseif tv == "string" then return quote(v)
  elseif tv == "table" then return fmttable(v, o, ind, col, path, level)
  elseif tv == "function" then
    local name = helpname(v)
    return name and "function: " .. name or tostring(v)
  elseif tv == "userdata" then
    if isvec(v) then return fmtvec(v, o, col) end
    if ismat(v) then return fmtmat(v, o, col) end
  end
  return tostring(v)
end

-- Options: opts over the defaults (opts itself is left alone).
local function options(opts)
  if opts == nil then return defaults end
  local o = {}
  for k, v in next, defaults do o[k] = v end
  for k, v in next, opts do o[k] = v end
  return o
end

local function pformat(v, opts)
  local o = options(opts)
  return fmtvalue(v, o, 0, 0, {}, 0)
end

-- Print the values, tab-separated, as print does; strings and numbers
-- unchanged, everything else through format.
local function pprint(...)
  local n = select("#", ...)
  local out = {}
  for i = 1, n do
    local v = select(i, ...)
    local tv = type(v)
    if tv == "string" or tv == "number" then
      out[i] = tostring(v)
    else
      out[i] = fmtvalue(v, defaults, 0, 0, {}, 0)
    end
  end
  local stdout = io.stdout
  stdout:write(concat(out, "\t"), "\n")
  stdout:flush()
end

return {
  format = pformat,
  print = pprint,
  defaults = defaults,
}
