-- doc/data.lua: help entries for slope.data.
return function(register)

register("slope.data.csv", {
  signature = "data.csv(path [, opts])",
  summary = "A data set read from a CSV file of numbers under a header.",
  text = [[
The first line names the columns; every other line is a row of numbers,
read as tonumber reads them (integers, decimals, exponents, hex, nan, inf,
-inf), with spaces around them allowed. Header names are trimmed; a quoted
name ("a b", "say ""hi""") keeps its text and may hold separators.
Blank lines, a missing last newline, CRLF line endings and a UTF-8 byte
order mark are accepted. The file is parsed in C in one pass, with no Lua
call per cell.

opts.sep: ",", ";", "\t" or "auto" (whichever of the three occurs most
often in the first line, outside quotes); default ",".
opts.header = false: no header; the columns are named "1", "2", ...
opts.skip_blank = false: a blank line is an error.
Any other field of opts is an error.

The data set d is a table:
  d.names     the column names, in order
  d.X         a rows x cols mat of every column (a row per line)
  d.rows      the number of rows, d.cols the number of columns
  d[name]     a vec of that column (a copy: X does not change with it)
  d:select{name, ...}  a new rows x k mat of those columns, in that order
  d:column(name)       d[name], also for a column called names, X, rows,
                       cols, select or column, which the fields hide

Errors name the file, the line and the column: "csv: runs.csv:17: column
3 ('loss'): 'abc' is not a number", "csv: runs.csv:5: 4 fields, expected 3
(as in the header)", an empty field, an empty file, a missing or repeated
name, a file that cannot be read.]],
  example = [[
> d = slope.data.csv("runs.csv")   -- lr,epochs,loss
> d.rows, d.cols, d.names[3]
3	3	loss
> d.loss
vec{0.4125, 0.2385, 0.1975}
> d:select{"loss", "lr"}
mat{{0.4125,  0.1},
    {0.2385, 0.05},
    {0.1975, 0.01}}]],
  see = { "slope.mat", "slope.vec" },
})

end
