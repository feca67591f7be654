-- plot.lua: slope.plot. SVG files parse as XML and render to pictures
-- that are not blank, with the optimiser paths, legends and ticks asked
-- for; terminal plots are braille, fit their width and are the same text
-- every time; traced and untraced functions give the same picture; the
-- traces record x; wrong arguments raise errors that say what is wrong.
local t = require "tap"
local slope = require "slope"
local plot = require "slope.plot"
local axis = require "slope.plot_axis"
local optim = require "slope.optim"

local tmp = os.getenv("TEST_TMPDIR") or "/tmp"
local python = os.getenv("PYTHON3")
if python == "" then python = nil end

local function has(s, sub) return s:find(sub, 1, true) ~= nil end

local read = t.read

local function tool(name)
  return os.execute("command -v " .. name .. " >/dev/null 2>&1") == true
end
local xmllint, rsvg = tool("xmllint"), tool("rsvg-convert")

-- Count the pixels of a PNG that are not white (nor transparent), with a
-- minimal decoder in python3 (zlib and the five row filters).
local pngcheck = tmp .. "/pngcheck.py"
do
  local f = assert(io.open(pngcheck, "w"))
  f:write([[
import struct, sys, zlib
d = open(sys.argv[1], 'rb').read()
assert d[:8] == b'\x89PNG\r\n\x1a\n', 'not a PNG'
pos, idat = 8, b''
while pos < len(d):
    n, = struct.unpack('>I', d[pos:pos + 4])
    kind, body = d[pos + 4:pos + 8], d[pos + 8:pos + 8 + n]
    pos += 12 + n
    if kind == b'IHDR':
        w, h, depth, ct, _, _, interlace = struct.unpack('>IIBBBBB', body)
    elif kind == b'IDAT':
        idat += body
assert depth == 8 and interlace == 0, 'unexpected PNG layout'
bpp = {0: 1, 2: 3, 4: 2, 6: 4}[ct]
raw, stride = zlib.decompress(idat), w * bpp
prev, i, ink = bytearray(stride), 0, 0
for y in range(h):
    f, line = raw[i], bytearray(raw[i + 1:i + 1 + stride])
    i += 1 + stride
    for x in range(stride):
        a = line[x - bpp] if x >= bpp else 0
        b = prev[x]
        c = prev[x - bpp] if x >= bpp else 0
        if f == 1: line[x] = (line[x] + a) & 255
        elif f == 2: line[x] = (line[x] + b) & 255
        elif f == 3: line[x] = (line[x] + (a + b) // 2) & 255
        elif f == 4:
            p = a + b - c
            pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            pr = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
            line[x] = (line[x] + pr) & 255
    for x in range(0, stride, bpp):
        if ct in (4, 6) and line[x + bpp - 1] == 0:
            continue
        if min(line[x:x + (1 if ct in (0, 4) else 3)]) < 200:
            ink += 1
    prev = line
print(w, h, ink)
]])
  f:close()
end

-- An SVG file parses as XML and renders to a picture with ink in it.
local function checksvg(path, what)
  if xmllint then
    local _, err, status = t.run("xmllint --noout " .. t.quote(path))
    t.ok(status == 0 and err == "", what .. ": the SVG is well-formed XML", err)
  else
    t.ok(true, what .. ": # SKIP xmllint not installed")
  end
  if rsvg and python then
    local png = path:gsub("%.svg$", ".png")
    local _, err, status = t.run("rsvg-convert -o " .. t.quote(png) .. " " .. t.quote(path))
    local out = status == 0 and t.run(python .. " " .. t.quote(pngcheck) .. " " .. t.quote(png))
    local w, h, ink = (out or ""):match("(%d+) (%d+) (%d+)")
    t.ok(status == 0 and tonumber(ink) and tonumber(ink) > 500,
         what .. ": renders to a picture that is not blank (" .. tostring(ink)
         .. " pixels with ink of " .. tostring(w) .. "x" .. tostring(h) .. ")", err)
  else
    t.ok(true, what .. ": # SKIP rsvg-convert or python3 not installed")
  end
end

-- The points of the polyline with this id.
local function polyline(text, id)
  local el = text:match('<polyline[^>]-id="' .. id:gsub("%-", "%%-") .. '"[^>]*>')
  if not el then return nil end
  local pts = {}
  for x, y in el:match('points="([^"]*)"'):gmatch("(%-?[%d.]+),(%-?[%d.]+)") do
    pts[#pts + 1] = {tonumber(x), tonumber(y)}
  end
  return pts, el
end

local function ticklabels(text, which)
  local list = {}
  for s in text:gmatch('<text class="tick%-label ' .. which .. '"[^>]*>([^<]*)</text>') do
    list[#list + 1] = s
  end
  return list
end

-- Numbers evenly spaced by a nice step (1, 2 or 5 times a power of ten).
local function nice(labels, lo, hi)
  local v = {}
  for i, s in ipairs(labels) do
    v[i] = tonumber(s)
    if not v[i] or v[i] < lo - 1e-9 or v[i] > hi + 1e-9 then return false end
  end
  if #v < 3 then return false end
  local step = v[2] - v[1]
  for i = 3, #v do
    if math.abs((v[i] - v[i - 1]) - step) > 1e-9 * math.abs(step) then return false end
  end
  local m = step / 10 ^ math.floor(math.log(step, 10) + 1e-9)
  return math.abs(m - 1) < 1e-9 or math.abs(m - 2) < 1e-9 or math.abs(m - 5) < 1e-9
end

-- Ticks and their labels.
local function labels(list)
  local out = {}
  for i, tk in ipairs(list) do out[i] = tk.label end
  return table.concat(out, " ")
end
t.is(labels(axis.ticks(0, 1, 6)), "0.0 0.2 0.4 0.6 0.8 1.0", "ticks on [0, 1]")
t.is(labels(axis.ticks(-2.385, 2.385, 5)), "-2 -1 0 1 2", "ticks on a symmetric range: 0 not -0")
t.is(labels(axis.ticks(0, 2.5e7, 4)), "0 1e7 2e7", "large ticks in exponent notation")
t.is(labels(axis.ticks(-6, 2, 5, true)), "1e-6 1e-4 0.01 1 100", "log ticks: every other decade")
t.is(labels(axis.ticks(math.log(2, 10), math.log(8, 10), 4, true)), "2 4 6 8",
     "log ticks within one decade: linear values")

-- Contour lines by marching squares: the unit circle of x^2 + y^2.
do
  local xs, ys, z = {}, {}, {}
  for i = 1, 41 do xs[i] = -1.5 + 3 * (i - 1) / 40; ys[i] = xs[i] end
  for j = 1, 41 do for i = 1, 41 do z[#z + 1] = xs[i]^2 + ys[j]^2 end end
  local chains = plot.isolines(z, 40, 40, xs, ys, 1)
  t.is(#chains, 1, "isolines: the circle is one chain")
  local c, worst = chains[1], 0
  for k = 1, #c, 2 do worst = math.max(worst, math.abs(math.sqrt(c[k]^2 + c[k + 1]^2) - 1)) end
  t.ok(worst < 2e-3, "isolines: every point within 2e-3 of the circle", worst)
  t.ok(c[1] == c[#c - 1] and c[2] == c[#c], "isolines: the chain is closed")
end

-- Traces record x, and the start as trace[0].
local quad = function(x) return (x[1] - 1.5)^2 + 4 * (x[2] + 0.75)^2 end
local run = optim.minimize(quad, {-2.385, 1.25}, {method = "gd", lr = 0.05,
                                                   maxiter = 25, gtol = 0, trace = true})
t.is(#run.trace, 25, "trace: 25 records for 25 iterations")
t.ok(run.trace[0] and run.trace[0].iter == 0 and run.trace[0].x[1] == -2.385
     and run.trace[0].x[2] == 1.25, "trace[0]: the start, x0")
t.close(run.trace[0].f, quad{-2.385, 1.25}, 1e-15, "trace[0].f is f(x0)")
t.ok(run.trace[25].x[1] == run.x[1] and run.trace[25].x[2] == run.x[2],
     "the last record's x is the result's")
local big = optim.minimize(function(x) return x:dot(x) end, slope.vec(101, 1),
                           {maxiter = 2, trace = true})
t.ok(big.trace[1].x == nil and big.trace[1].f ~= nil, "no x recorded beyond 100 variables")

-- Curves to SVG: two functions, a legend with escaped text, nice ticks.
local file = tmp .. "/curve.svg"
t.is(plot.curve({math.sin, {function(x) return 0.5 * math.cos(2 * x) end,
                            label = "½cos(2x) & <more>"}}, -3, 3.5,
                {file = file, labels = {"sin"}, title = "Two \"curves\"", width = 320,
                 height = 240}),
     file, "curve: returns the path of the file written")
local text = read(file)
checksvg(file, "curve")
t.ok(polyline(text, "curve-1") and polyline(text, "curve-2"), "curve: one polyline per function")
t.is(#polyline(text, "curve-1"), 601, "curve: 600 samples by default in a file")
t.ok(has(text, ">sin</text>") and has(text, ">½cos(2x) &amp; &lt;more&gt;</text>"),
     "curve: legend labels, escaped")
t.ok(has(text, "Two &quot;curves&quot;"), "curve: the title, escaped")
t.ok(nice(ticklabels(text, "x"), -3, 3.5), "curve: x tick labels are nice numbers in range",
     table.concat(ticklabels(text, "x"), " "))
t.ok(nice(ticklabels(text, "y"), -1.2, 1.2), "curve: y tick labels are nice numbers in range",
     table.concat(ticklabels(text, "y"), " "))

-- Contours with optimiser paths.
local ridge = function(x) return (1 - x[1])^2 + 10 * (x[2] - x[1]^2)^2 end
local r1 = optim.minimize(ridge, {-1.25, 2.385}, {method = "bfgs", trace = true})
local r2 = optim.minimize(ridge, {1.75, -0.5}, {method = "gd", lr = 0.01, maxiter = 40,
                                               gtol = 0, trace = true})
file = tmp .. "/contour.svg"
plot.contour(ridge, {{-2, 2}, {-1, 3}}, {file = file, width = 320, height = 240,
             paths = {r1, {label = "gd, lr = 0.01", result = r2}}, title = "ridge"})
text = read(file)
checksvg(file, "contour")
local p1, p2 = polyline(text, "path-1"), polyline(text, "path-2")
t.is(p1 and #p1, #r1.trace + 1, "contour: path-1 has one point per record and the start")
t.is(p2 and #p2, 41, "contour: path-2 has 41 points (start and 40 iterations)")
t.ok(select(2, polyline(text, "path-1")):find('class="path"', 1, true),
     "contour: paths are of class path")
t.ok(has(text, ">bfgs</text>") and has(text, ">gd, lr = 0.01</text>"),
     "contour: the legend names the paths (method by default)")
local _, starts = text:gsub('class="start"', "")
local _, ends = text:gsub('class="end"', "")
t.ok(starts == 2 and ends == 2, "contour: a start and an end marker per path")
local _, ncont = text:gsub('<path class="contour"', "")
t.is(ncont, 10, "contour: 10 levels by default in a file")
-- the path's first point is at x0 on the picture: compare with x1 = -1.25
-- on the axis from -2 to 2, mapped to the plot area
local left, width = text:match('<rect class="frame" x="([%d.]+)" y="[%d.]+" width="([%d.]+)"')
t.close(p1[1][1], left + (0.75 / 4) * width, 0.06, "contour: the path starts at x0")

plot.contour(ridge, {{-2, 2}, {-1, 3}}, {file = file, levels = {0.5, 5, 50}})
local levels = {}
for l in read(file):gmatch('class="contour" data%-level="([^"]+)"') do levels[#levels + 1] = l end
t.is(table.concat(levels, " "), "0.5 5 50", "contour: opts.levels as a list")

-- A traced function and an untraceable one give the same picture.
local branchy = function(x)
  if x[1] ~= x[1] then return 0 end  -- a comparison: cannot be traced
  return (1 - x[1])^2 + 10 * (x[2] - x[1]^2)^2
end
t.is(plot.contour(branchy, {{-2, 2}, {-1, 3}}, {width = 60, height = 20, color = false}),
     plot.contour(ridge, {{-2, 2}, {-1, 3}}, {width = 60, height = 20, color = false}),
     "contour: tape and plain calls draw the same")

-- Loss curves on a log scale.
file = tmp .. "/loss.svg"
plot.loss({r1, {label = "gd", result = r2}}, {file = file, log = true, width = 320, height = 240})
text = read(file)
checksvg(file, "loss")
local ok = #ticklabels(text, "y") >= 2
for _, s in ipairs(ticklabels(text, "y")) do
  local v = tonumber(s)
  ok = ok and v and v > 0 and math.abs(math.log(v, 10) - math.floor(math.log(v, 10) + 0.5)) < 1e-9
end
t.ok(ok, "loss: log-scale y ticks are powers of ten", table.concat(ticklabels(text, "y"), " "))
t.ok(has(text, ">bfgs</text>") and has(text, ">gd</text>"), "loss: legend")
t.is(#polyline(text, "curve-2"), 41, "loss: iterations 0 to 40")

-- PNG: through gnuplot when it is installed, else rsvg-convert.
local gnuplot = tool("gnuplot")
if gnuplot or rsvg then
  file = tmp .. "/curve.png"
  plot.curve(math.exp, 0, 1, {file = file, width = 160, height = 120})
  t.is(read(file):sub(1, 8), "\137PNG\r\n\26\n", "curve: a PNG file")
else
  t.ok(true, "# SKIP neither gnuplot nor rsvg-convert installed")
end

-- The gnuplot script: data inline, the palette, the legend, the path's
-- two ends, titles quoted, a log scale in data units.
local gp = require "slope.plot_gnuplot"
local fig = {
  x = {0, 1}, y = {-1, 2}, legend = true, title = 'say "hi"', xlabel = "x",
  layers = {
    {kind = "contour", level = 0.5, shade = 0, lines = {{0, 1, 1, 0}}},
    {kind = "curve", label = "sin", color = 1, lines = {{0, 0, 0.5, 0.25, 1, 1}}},
    {kind = "path", label = "gd", color = 2, points = {0, 0, 0.5, 0.5, 1, 0.75}},
  },
}
local script = gp.script(fig, 320, 240, tmp .. "/s.png")
t.ok(has(script, "set terminal pngcairo size 320,240")
     and has(script, 'set output "' .. tmp .. '/s.png"'), "gnuplot: terminal and output", script)
t.ok(has(script, 'set title "say \\"hi\\""') and has(script, 'set xlabel "x"'),
     "gnuplot: titles quoted", script)
t.ok(has(script, "$layer1 with lines lw 1 lc rgb '#440154' notitle")
     and has(script, "$layer2 with lines lw 2 lc rgb '#1f77b4' title \"sin\"")
     and has(script, "$layer3 with lines lw 2 lc rgb '#ff7f0e' title \"gd\""),
     "gnuplot: contour in the ramp's colour, curve and path in the palette's, legend titles", script)
t.ok(has(script, "$layer2 << EOD\n0 0\n0.5 0.25\n1 1\nEOD")
     and has(script, "$layer3ends << EOD\n0 0\n\n1 0.75\nEOD")
     and has(script, "every :::0::0 with points pt 6") and has(script, "every :::1::1 with points pt 5"),
     "gnuplot: the data inline, the path's start and end marked", script)
t.ok(has(script, "set yrange [-1:2]") and not has(script, "logscale"), "gnuplot: linear y", script)
fig.ylog, fig.y = true, {-2, 1}
script = gp.script(fig, 320, 240, tmp .. "/s.png")
t.ok(has(script, "set logscale y") and has(script, "set yrange [0.01:10]")
     and has(script, "$layer2 << EOD\n0 1\n0.5 1.7782794100389228\n1 10\nEOD"),
     "gnuplot: a log scale, the data back from log10 units", script)
if gnuplot and python then
  file = tmp .. "/contour.png"
  plot.contour(function(x) return x[1]^2 + 4 * x[2]^2 end, {{-2, 2}, {-2, 2}},
               {file = file, paths = {optim.minimize(function(x) return x[1]^2 + 4 * x[2]^2 end,
                                                     {1.5, 1.5}, {method = "gd", lr = 0.05, trace = true})}})
  local out = t.run(python .. " " .. t.quote(pngcheck) .. " " .. t.quote(file))
  local w, h, ink = out:match("(%d+) (%d+) (%d+)")
  t.ok(w == "640" and h == "480" and tonumber(ink) > 5000,
       "gnuplot: the contour PNG is 640x480 and not blank (" .. tostring(ink) .. " pixels with ink)", out)
else
  t.ok(true, "# SKIP gnuplot or python3 not installed")
end

-- The terminal: braille, the width kept, the same text every time.
local square = plot.curve(function(x) return x * x end, -1, 1,
                          {width = 40, height = 12, color = false, title = "x^2"})
local widest = 0
for line in (square .. "\n"):gmatch("(.-)\n") do widest = math.max(widest, utf8.len(line)) end
t.ok(widest <= 39, "terminal: no line wider than width - 1", widest)
t.ok(square:find("[\u{2801}-\u{28ff}]") ~= nil, "terminal: braille dots")
t.ok(not has(square, "\27["), "terminal: no colour when color = false")
t.ok(has(plot.curve(math.sin, 0, 3, {width = 40, height = 12, color = true}), "\27[34m"),
     "terminal: colours when color = true")
local want = table.concat({
  "                    x^2",
  "1.0 ┤⢆⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⡰",
  "    │⠀⢳⡀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⢀⡞⠀",
  "    │⠀⠀⠱⡄⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⢠⠎⠀⠀",
  "    │⠀⠀⠀⠈⢦⡀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⢀⡴⠁⠀⠀⠀",
  "0.5 ┤⠀⠀⠀⠀⠀⠑⢄⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⡠⠊⠀⠀⠀⠀⠀",
  "    │⠀⠀⠀⠀⠀⠀⠀⠑⢄⡀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⢀⡠⠊⠀⠀⠀⠀⠀⠀⠀",
  "    │⠀⠀⠀⠀⠀⠀⠀⠀⠀⠑⠢⢄⡀⠀⠀⠀⠀⠀⠀⠀⠀⢀⡠⠔⠊⠀⠀⠀⠀⠀⠀⠀⠀⠀",
  "0.0 ┤⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠈⠉⠒⠒⠤⠤⠒⠒⠉⠁⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀",
  "    └┬────────────────┬───────────────┬",
  "     -1               0               1",
  "                     x",
}, "\n")
t.is(square, want, "terminal: the expected text for x^2 on [-1, 1]")
if square ~= want then io.write("# got:\n", (square:gsub("[^\n]+", "#   %0")), "\n") end
local withpaths = plot.contour(ridge, {{-2, 2}, {-1, 3}}, {width = 72, height = 24, color = false,
                                                           paths = {r1}})
t.ok(has(withpaths, "o⠒⠒* bfgs") and withpaths:find("%*") and has(withpaths, "o"),
     "terminal: contour with a path, markers and legend")
t.ok(has(plot.loss(r2, {width = 50, height = 14, color = false}), "iteration"),
     "terminal: loss curve")

-- Help entries, with examples.
local help = require "slope.help"
for _, name in ipairs { "curve", "contour", "loss" } do
  local e = help.lookup(plot[name])
  t.ok(e and e.signature:find("plot." .. name, 1, true) and e.example,
       "help entry for slope.plot." .. name)
end

-- Errors.
local box = {{-2, 2}, {-1, 3}}
t.error_like("bad argument #2 to 'contour' (box must be {{x0, x1}, {y0, y1}} with x0 < x1 and y0 < y1)",
             plot.contour, ridge, {{2, -2}, {-1, 3}})
t.error_like("bad argument #2 to 'contour' (box must be", plot.contour, ridge, {-2, 2})
t.error_like("bad argument #1 to 'contour' (function expected, got number)", plot.contour, 2.385, box)
t.error_like("bad argument #1 to 'curve' (function or list of functions expected, got string)",
             plot.curve, "sin", 0, 1)
t.error_like("bad argument #3 to 'curve' (b must be greater than a)", plot.curve, math.sin, 1, 0)
t.error_like("bad argument #3 to 'contour' (unknown option 'level' (expected 'color', 'file', ",
             plot.contour, ridge, box, {level = 3})
t.error_like("bad argument #4 to 'curve' (unknown option 'colour'", plot.curve, math.sin, 0, 1,
             {colour = true})
t.error_like("bad argument #4 to 'curve' (field 'file' must end in .svg or .png, got plot.pdf)",
             plot.curve, math.sin, 0, 1, {file = "plot.pdf"})
t.error_like("bad argument #4 to 'curve' (field 'width' must be an integer >= 8, got 3)",
             plot.curve, math.sin, 0, 1, {width = 3})
t.error_like("bad argument #3 to 'contour' (paths[1] has no trace (minimize with opts.trace = true))",
             plot.contour, ridge, box, {paths = {optim.minimize(ridge, {0, 0})}})
t.error_like("bad argument #3 to 'contour' (paths[1]: the run has 3 variables, the plot 2)",
             plot.contour, ridge, box,
             {paths = {optim.minimize(function(x) return x:dot(x) end, {1, 2, 3}, {trace = true})}})
t.error_like("bad argument #3 to 'contour' (field 'levels' must be a count in [1, 200]",
             plot.contour, ridge, box, {levels = 0})
t.error_like("bad argument #1 to 'contour' (f must return a number, got vec)",
             plot.contour, function(x) return x end, box)
t.error_like("bad argument #1 to 'loss' (runs[1] has no trace (minimize with opts.trace = true))",
             plot.loss, {optim.minimize(ridge, {0, 0})})
t.error_like("bad argument #2 to 'loss' (field 'log' must be a boolean, got string)",
             plot.loss, r1, {log = "yes"})

t.done()
