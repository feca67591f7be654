-- doc/plot.lua: help entries for slope.plot.
return function(register)

local output = [[
Output: opts.file = "NAME.svg" writes a standalone SVG (axes, ticks at
nice numbers, labels, title, legend) and returns the path; "NAME.png"
draws the same figure with gnuplot (package gnuplot-nox) when it is
installed, else renders the SVG with rsvg-convert (librsvg2-bin). Without
file the plot is text for the terminal, drawn with braille characters
(2 x 4 dots per character), and is returned: the REPL prints it, a
script prints it with print. opts.width and opts.height: pixels for a
file (640 x 480), characters and lines for the terminal (COLUMNS, else
80; about 0.3 x width lines). opts.color: ANSI colours in the text
(default: when standard output is a terminal). opts.title, opts.xlabel,
opts.ylabel, opts.legend = false (no legend). Any other field of opts is
an error.]]

register("slope.plot", {
  signature = 'plot = require "slope.plot"',
  summary = "Plots: curves, contours with optimiser paths, loss curves.",
  text = [[
Functions are evaluated on a grid through their compiled tape when they
can be traced (slope.ad.compile), by plain calls otherwise; the picture
is the same. Optimiser paths come from the traces of
optim.minimize(..., {trace = true}), whose records carry x (for up to 100
variables) and whose trace[0] is the start.
]] .. output,
  example = [[
> plot = require "slope.plot"
> plot.curve(math.sin, 0, 6.28, {file = "sin.svg"})
sin.svg]],
  see = { "slope.plot.curve", "slope.plot.contour", "slope.plot.loss" },
})

register("slope.plot.curve", {
  signature = "plot.curve(f, a, b [, opts])",
  summary = "Plot f (or several functions) on [a, b].",
  text = [[
f takes a number and returns one; f may also be a list of functions, each
a function or {f, label = "..."}, drawn in the palette's colours with a
legend. Where f is not finite the curve has a gap.
opts.labels: a label per function; opts.n: samples (600 in a file, two
per character column in the terminal); opts.ylim = {lo, hi}: the y range
(default: the values', padded by 5%).
]] .. output,
  example = [[
> plot.curve({math.sin, {math.cos, label = "cos"}}, 0, 6.28,
>>   {labels = {"sin"}, file = "trig.svg"})
trig.svg
> print(plot.curve(function(x) return x * x end, -1, 1,
>>   {width = 40, height = 10, color = false}))]],
  see = { "slope.plot.contour", "slope.plot.loss" },
})

register("slope.plot.contour", {
  signature = "plot.contour(f, box [, opts])",
  summary = "Contour lines of f(x) over box = {{x0, x1}, {y0, y1}}, with optimiser paths.",
  text = [[
f takes a vector of two numbers. It is evaluated on a grid of opts.grid
cells a side (100) and its level lines are traced by marching squares.
opts.levels: a count (10 in a file, 6 in the terminal) or a list of
values. opts.spacing of counted levels: "linear", "log" (geometric in
f - min f: dense near the minimum, for valleys such as Rosenbrock's),
"quantile" (equal areas between levels) or "auto" (the default: log when
most of the box lies far below the maximum, else linear). Levels are
coloured from dark (low) to light (high).
opts.paths = {r1, r2, ...}: optimiser paths from results of
optim.minimize with trace = true (or traces, or {label =, result =},
{label =, trace =}, {label =, points = {{x, y}, ...}}), each drawn from
its start (a circle; "o" in the terminal) to its last point (a square;
"*"), labelled by its method unless given a label.
]] .. output,
  example = [[
> rosen = function(x) return (1 - x[1])^2 + 100 * (x[2] - x[1]^2)^2 end
> r = slope.optim.minimize(rosen, {-1.5, 2}, {trace = true})
> plot.contour(rosen, {{-2, 2}, {-1, 3}}, {paths = {r}, file = "rosen.svg"})
rosen.svg]],
  see = { "slope.plot.loss", "slope.optim.minimize" },
})

register("slope.plot.loss", {
  signature = "plot.loss(runs [, opts])",
  summary = "f (or another trace field) against iteration, for one or several runs.",
  text = [[
runs: a result of optim.minimize (or optim.sgd) with trace = true, a
trace, {label =, result =} or {label =, trace =}, or a list of these. The
curve starts at trace[0] (the start) when the trace has it; sgd traces
plot their loss per epoch. Labels default to the method.
opts.log = true: a logarithmic y axis (values <= 0 leave gaps);
opts.field: the record field to plot ("f", or "loss" for sgd, by
default; "gnorm", "step", "lr"); opts.labels: a label per run;
opts.ylim = {lo, hi}.
]] .. output,
  example = [[
> q = function(x) return (x[1] - 1)^2 + 10 * x[2]^2 end
> a = slope.optim.minimize(q, {2, 1}, {method = "gd", lr = 0.05, trace = true})
> b = slope.optim.minimize(q, {2, 1}, {method = "bfgs", trace = true})
> plot.loss({a, b}, {log = true, file = "loss.svg"})
loss.svg]],
  see = { "slope.plot.contour", "slope.optim.minimize" },
})

end
