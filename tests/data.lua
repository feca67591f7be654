-- data.lua: slope.data.csv: values read exactly as tonumber reads them,
-- names, shapes, columns, select, separators, headers, line endings, blank
-- lines, quoting, a large generated file, and every error message.
local t = require "tap"
local core = require "slope.core"
local csv = core.data.csv
local isvec, ismat = core.vec.isvec, core.vec.ismat

local is, ok, error_like = t.is, t.ok, t.error_like
local format, concat = string.format, table.concat

-- {======================================================
-- Files
-- =======================================================

local dir = os.getenv("TEST_TMPDIR")
if dir == nil then
  local tmp = os.tmpname()
  os.remove(tmp)
  dir = tmp:match("^(.*)/") or "."
end
local made = {}
local serial = 0

-- Write text into a new file; returns its path (removed at the end).
local function file(text)
  serial = serial + 1
  local path = format("%s/data-%d-%d.csv", dir, serial, math.random(1 << 30))
  local f = assert(io.open(path, "wb"))
  f:write(text)
  f:close()
  made[#made + 1] = path
  return path
end

-- csv(...) must fail with exactly want (called from C: no position).
local function fails(want, ...)
  local okcall, msg = pcall(csv, ...)
  return is(not okcall and msg, want, "error: " .. want)
end

-- What tonumber makes of a cell, as a float (nan for "nan"; "-0" is -0.0,
-- which the integer 0 of tonumber("-0") cannot say).
local function num(s)
  local v = tonumber(s)
  if v == nil and s:lower():match("^%s*[+-]?nan%s*$") then return 0 / 0 end
  if math.type(v) == "integer" then
    v = v + 0.0
    if v == 0 and s:match("^%s*%-") then v = -v end
  end
  return v
end

local function same(a, b)
  return a == b and (a ~= 0 or 1 / a == 1 / b) or (a ~= a and b ~= b)
end

-- Do the cells (a table of rows of strings) read as the data set d?
local function matches(d, cells)
  if d.rows ~= #cells then return false, "rows" end
  for i, row in ipairs(cells) do
    for j, s in ipairs(row) do
      local want = num(s)
      if not same(d.X[i][j], want) then
        return false, format("X[%d][%d] = %.17g, want %s", i, j, d.X[i][j], s)
      end
      if not same(d[d.names[j]][i], want) then
        return false, format("column %d [%d]", j, i)
      end
    end
  end
  return true
end

-- }======================================================

-- {======================================================
-- Reading
-- =======================================================

local cells = {
  { "2.385", "-1.75", "3.125e-3", "17" },
  { "-0.0625", "6.02214076e23", "1E-7", "+4.5" },
  { ".5", "5.", "-0", "0.1" },
  { "123456789012345678", "9007199254740993", "1e22", "1e23" },
  { "0x1.8p1", "4.9e-324", "2.2250738585072014e-308", "-1.7976931348623157e308" },
}
local lines = { "age,height,weight,score" }
for i, row in ipairs(cells) do lines[i + 1] = concat(row, ",") end
local path = file(concat(lines, "\n") .. "\n")
local d = csv(path)

is(d.rows, 5, "d.rows")
is(d.cols, 4, "d.cols")
is(concat(d.names, " "), "age height weight score", "d.names")
ok(ismat(d.X) and d.X.rows == 5 and d.X.cols == 4, "d.X is a rows x cols mat")
ok(matches(d, cells), "every cell reads as tonumber reads it", select(2, matches(d, cells)))
is(math.type(d.X[1][4]), "float", "integers are read as floats")
is(1 / d.weight[3], -math.huge, "-0 keeps its sign")
ok(isvec(d.age) and #d.age == 5, "d[name] is a vec of length rows")
is(d.height[2], 6.02214076e23, "d[name][i]")
is(d.score[5], -1.7976931348623157e308, "the largest finite double")
is(d.height[5], 4.9e-324, "a subnormal")
d.age[1] = 99.5
is(d.X[1][1], 2.385, "columns are copies of X's columns")
is(d:column("height"), d.height, "d:column(name) is d[name]")
is(tostring(d:select{"score", "age"}[2]), "vec{4.5, -0.0625}",
   "d:select picks columns in order")
local s = d:select{"weight", "weight"}
ok(ismat(s) and s.rows == 5 and s.cols == 2 and s[3][2] == 0, "select may repeat a column")
s = d:select{}
ok(ismat(s) and s.rows == 5 and s.cols == 0, "select{} is rows x 0")

-- A trailing newline, none, blank lines, spaces around cells.
local text = "a , b\n\n  1.5 ,\t-2.25  \n   \n\t\n3.75,4\n\n"
d = csv(file(text))
ok(d.rows == 2 and d.names[1] == "a" and d.names[2] == "b",
   "blank lines skipped, names trimmed")
ok(matches(d, { { "1.5", "-2.25" }, { "3.75", "4" } }), "spaces around cells")
d = csv(file("a,b\n1,2\n3,4"))
ok(d.rows == 2 and d.X[2][2] == 4, "no newline at the end")
d = csv(file("\n\n  \nx\n0.125\n"))
ok(d.rows == 1 and d.names[1] == "x" and d.x[1] == 0.125, "blank lines before the header")

-- CRLF.
d = csv(file("p,q\r\n1.25,-3\r\n\r\n2.5,6.75\r\n"))
ok(d.rows == 2 and d.names[2] == "q" and d.X[1][2] == -3 and d.q[2] == 6.75,
   "CRLF line endings")

-- Separators.
d = csv(file("a;b,c\n1,2\n"))
ok(d.cols == 2 and d.names[1] == "a;b" and d.c[1] == 2, "sep ',' by default")
d = csv(file("a;b;c\n1.5;-2;3e2\n"), { sep = ";" })
ok(d.cols == 3 and d.c[1] == 300, "sep ';'")
d = csv(file("a b\tc\n1.5\t 2\n"), { sep = "\t" })
ok(d.cols == 2 and d.names[1] == "a b" and d.c[1] == 2, "sep '\\t'")
d = csv(file("a;b;c\n1;2;3\n"), { sep = "auto" })
ok(d.cols == 3 and d.b[1] == 2, "sep 'auto' finds ';'")
d = csv(file("a\tb,x\tc\n1\t2\t3\n"), { sep = "auto" })
ok(d.cols == 3 and d.names[2] == "b,x", "sep 'auto' finds '\\t'")
d = csv(file("\"a,b\";\"c,d\"\n1;2\n"), { sep = "auto" })
ok(d.cols == 2 and d.names[1] == "a,b" and d["c,d"][1] == 2,
   "sep 'auto' counts outside quotes")
d = csv(file("x\n1\n2\n"), { sep = "auto" })
ok(d.cols == 1 and d.rows == 2, "sep 'auto' on one column")

-- No header.
d = csv(file("1.5,2,3\n4,5,6.25\n"), { header = false })
ok(d.rows == 2 and d.cols == 3 and concat(d.names, " ") == "1 2 3",
   "header = false numbers the columns")
ok(d["3"][2] == 6.25 and d:select{"3", "1"}[1][2] == 1.5, "columns named '1', '2', ...")

-- Quoted header fields, quoted cells.
d = csv(file("\"a b\", \"say \"\"hi\"\"\" ,\"x,y\",plain\n1,\"2.5\", \" -3 \" ,4\n"))
is(concat(d.names, "|"), "a b|say \"hi\"|x,y|plain", "quoted header fields")
ok(d["a b"][1] == 1 and d["say \"hi\""][1] == 2.5 and d["x,y"][1] == -3,
   "quoted numeric cells")

-- nan, inf.
d = csv(file("u,v,w,z\nnan,inf,-inf,  NaN \n-nan,Infinity,+inf,1e400\n"))
local X = d.X
ok(X[1][1] ~= X[1][1] and X[1][4] ~= X[1][4] and X[2][1] ~= X[2][1], "nan")
ok(X[1][2] == math.huge and X[1][3] == -math.huge and X[2][2] == math.huge
   and X[2][3] == math.huge and X[2][4] == math.huge, "inf, -inf, Infinity, overflow")

-- A header and no rows.
d = csv(file("a,b,c\n"))
ok(d.rows == 0 and d.cols == 3 and d.X.rows == 0 and d.X.cols == 3 and #d.b == 0,
   "a header and no rows")

-- A byte order mark.
d = csv(file("\239\187\191k,m\n1,2\n"))
is(d.names[1], "k", "a UTF-8 byte order mark is skipped")

-- Fields hide columns of the same name; d:column reaches them.
d = csv(file("X,rows,y\n1,2,3\n4,5,6\n"))
ok(ismat(d.X) and d.rows == 2 and d.y[2] == 6, "fields win over columns")
ok(tostring(d:column("X")) == "vec{1, 4}" and d:column("rows")[2] == 5
   and d:select{"rows"}[1][1] == 2, "d:column and select reach hidden columns")

-- A generated file, round trip.
math.randomseed(2385)
local fmts = { "%.17g", "%.6g", "%d", "%.3e", "%a", "%.15g" }
local big, rows = { "c1,c2,c3,c4,c5,c6" }, {}
for i = 1, 20000 do
  local row = {}
  for j = 1, 6 do
    local x = (math.random() - 0.5) * 10.0 ^ math.random(-30, 30)
    row[j] = j == 3 and format("%d", math.random(-1 << 40, 1 << 40))
             or format(fmts[j], x)
  end
  rows[i] = row
  big[i + 1] = concat(row, ",")
end
local t0 = os.clock()
d = csv(file(concat(big, "\r\n")))
local secs = os.clock() - t0
ok(d.rows == 20000 and d.cols == 6, "20000 rows")
ok(matches(d, rows), "20000 rows round trip exactly", select(2, matches(d, rows)))
local sel, all = d:select{"c5", "c2"}, true
for i = 1, d.rows do
  all = all and sel[i][1] == d.c5[i] and sel[i][2] == d.X[i][2]
end
ok(all, "select over 20000 rows")
io.write(format("# 20000 x 6 read in %.3f s\n", secs))

-- }======================================================

-- {======================================================
-- Errors
-- =======================================================

local nope = dir .. "/nope-does-not-exist.csv"
fails("csv: cannot open '" .. nope .. "': No such file or directory", nope)
fails("csv: cannot read '" .. dir .. "': Is a directory", dir)
local p = file("")
fails("csv: " .. p .. ": empty file", p)
p = file("\n  \r\n\n")
fails("csv: " .. p .. ": empty file", p)

-- The header.
p = file("a,b,a\n1,2,3\n")
fails("csv: " .. p .. ":1: column 3 ('a') has the name of column 1", p)
p = file("\na, ,c\n1,2,3\n")
fails("csv: " .. p .. ":2: column 2 has no name", p)
p = file("a,b,\n1,2,3\n")
fails("csv: " .. p .. ":1: column 3 has no name", p)
p = file("a,\"b\n1,2\n")
fails("csv: " .. p .. ":1: column 2: unterminated quote", p)
p = file("\"a\"x,b\n1,2\n")
fails("csv: " .. p .. ":1: column 1: text after the closing quote", p)

-- Cells.
p = file("name,size,age\n1,2,3\n\n4,5,abc\n")
fails("csv: " .. p .. ":4: column 3 ('age'): 'abc' is not a number", p)
p = file("a,b,c\n1, ,3\n")
fails("csv: " .. p .. ":2: column 2 ('b'): empty field", p)
p = file("a,b\n1,\n")
fails("csv: " .. p .. ":2: column 2 ('b'): empty field", p)
p = file("a,b\n1e,2\n")
fails("csv: " .. p .. ":2: column 1 ('a'): '1e' is not a number", p)
p = file("a,b\n1,1.2.3\n")
fails("csv: " .. p .. ":2: column 2 ('b'): '1.2.3' is not a number", p)
p = file("a,b\r\n1,2\r\n3, NA \r\n")
fails("csv: " .. p .. ":3: column 2 ('b'): 'NA' is not a number", p)
p = file("a,b\n1,2 3\n")
fails("csv: " .. p .. ":2: column 2 ('b'): '2 3' is not a number", p)
p = file("a,b\n1,\"x\"\n")
fails("csv: " .. p .. ":2: column 2 ('b'): '\"x\"' is not a number", p)
p = file("a,b\n1,\"2\"x\n")
fails("csv: " .. p .. ":2: column 2 ('b'): '\"2\"x' is not a number", p)
p = file("a,b\n1,\"2\n")
fails("csv: " .. p .. ":2: column 2 ('b'): unterminated quote", p)
p = file("a\n" .. string.rep("7", 50) .. "x\n")
fails("csv: " .. p .. ":2: column 1 ('a'): '" .. string.rep("7", 37)
      .. "...' is not a number", p)
p = file("a;b\n1;2\n")
fails("csv: " .. p .. ":2: column 1 ('a;b'): '1;2' is not a number", p)
p = file("1,2\n3,x\n")
fails("csv: " .. p .. ":2: column 2: 'x' is not a number", p, { header = false })

-- Field counts.
p = file("a,b,c\n1,2,3\n4,5,6\n7,8,9\n1,2\n")
fails("csv: " .. p .. ":5: 2 fields, expected 3 (as in the header)", p)
p = file("a,b,c\n1,2,3,4\n")
fails("csv: " .. p .. ":2: 4 fields, expected 3 (as in the header)", p)
p = file("a,b,c\n7\n")
fails("csv: " .. p .. ":2: 1 field, expected 3 (as in the header)", p)
p = file("\n1,2,3\n4,5\n")
fails("csv: " .. p .. ":3: 2 fields, expected 3 (as in line 2)", p,
      { header = false })
p = file("a;b;c\n1;2;3;4\n")
fails("csv: " .. p .. ":2: 4 fields, expected 3 (as in the header)", p,
      { sep = "auto" })

-- Blank lines when they are not allowed.
p = file("a,b\n1,2\n\n3,4\n")
fails("csv: " .. p .. ":3: blank line (opts.skip_blank is false)", p,
      { skip_blank = false })
d = csv(file("a,b\n1,2\n3,4\n"), { skip_blank = false })
is(d.rows, 2, "skip_blank = false without blank lines")

-- Arguments.
fails("bad argument #1 to 'csv' (string expected, got nil)", nil)
fails("bad argument #1 to 'csv' (string expected, got no value)")
fails("bad argument #1 to 'csv' (string expected, got table)", {})
fails("bad argument #2 to 'csv' (table or nil expected, got string)", path, ",")
fails("bad argument #2 to 'csv' (unknown option 'seperator' (expected "
      .. "'header', 'sep' or 'skip_blank'))", path, { seperator = ";" })
fails("bad argument #2 to 'csv' (opts.sep must be ',', ';', '\\t' or "
      .. "'auto', got '|')", path, { sep = "|" })
fails("bad argument #2 to 'csv' (opts.sep must be ',', ';', '\\t' or "
      .. "'auto', got number)", path, { sep = 44 })
fails("bad argument #2 to 'csv' (opts.header must be a boolean, got number)",
      path, { header = 0 })
fails("bad argument #2 to 'csv' (opts.skip_blank must be a boolean, got "
      .. "string)", path, { skip_blank = "no" })

-- select and column.
d = csv(path)
error_like("bad argument #1 to 'select' (unknown column 'agee'; the columns "
           .. "are 'age', 'height', 'weight', 'score')",
           function() return d:select{ "age", "agee" } end)
error_like("bad argument #1 to 'select' (column name expected at [2], got "
           .. "number)", function() return d:select{ "age", 2 } end)
error_like("bad argument #1 to 'select' (table expected, got string)",
           function() return d:select("age") end)
error_like("bad argument #1 to 'column' (unknown column 'Age'; the columns "
           .. "are 'age', 'height', 'weight', 'score')",
           function() return d:column("Age") end)
error_like("bad argument #1 to 'column' (string expected, got nil)",
           function() return d:column() end)
local wide = {}
for j = 1, 25 do wide[j] = "v" .. j end
d = csv(file(concat(wide, ",") .. "\n"))
error_like("(unknown column 'v0'; the columns are 'v1', 'v2', 'v3', 'v4', "
           .. "'v5', 'v6', 'v7', 'v8', 'v9', 'v10', 'v11', 'v12', 'v13', "
           .. "'v14', 'v15', 'v16', 'v17', 'v18', 'v19', 'v20' and 5 more)",
           function() return d:select{ "v0" } end)

-- }======================================================

for _, f in ipairs(made) do os.remove(f) end
t.done()
