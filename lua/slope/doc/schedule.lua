-- doc/schedule.lua: help entries for slope.optim.schedule.
return function(register)

local common = [[
Iterations count from k = 0, the first step; s(k) takes an integer
k >= 0 and returns a float. tostring(s) shows the constructor call,
s.kind its name ("cosine") and s.lr, s.period, ... its parameters.
Schedules are immutable and evaluated in C: a solver reads one rate per
iteration with no Lua call.]]

register("slope.optim.schedule", {
  signature = "schedule = slope.optim.schedule",
  summary = "Learning-rate schedules for the first-order methods of optim.",
  text = [[
Constructors: constant, step, exponential, inverse_time, cosine (with
optional SGDR warm restarts) and warmup (a linear ramp before another
schedule). Give one as opts.schedule to optim.minimize; a Lua function
k -> lr is accepted there too.
]] .. common,
  example = [[
> s = slope.optim.schedule.step(0.1, 0.5, 10)
> s
schedule.step(lr=0.1, drop=0.5, every=10)
> s.kind, s.every
step	10
> s(0), s(9), s(10)
0.1	0.1	0.05]],
  see = { "slope.optim.schedule.constant", "slope.optim.schedule.step",
          "slope.optim.schedule.exponential",
          "slope.optim.schedule.inverse_time", "slope.optim.schedule.cosine",
          "slope.optim.schedule.warmup", "slope.optim.minimize" },
})

register("slope.optim.schedule.constant", {
  signature = "schedule.constant(lr)",
  summary = "The same rate lr at every iteration.",
  text = "lr: a positive number.\n" .. common,
  example = [[
> s = slope.optim.schedule.constant(0.1)
> s(0), s(1000)
0.1	0.1]],
  see = { "slope.optim.schedule" },
})

register("slope.optim.schedule.step", {
  signature = "schedule.step(lr, drop, every)",
  summary = "lr * drop^floor(k / every): the rate cut by drop every few iterations.",
  text = [[
lr: a positive number; drop: a number in (0, 1]; every: an integer
>= 1. The first cut comes at k = every.
]] .. common,
  example = [[
> s = slope.optim.schedule.step(0.1, 0.5, 10)
> s(9), s(10), s(25)
0.1	0.05	0.025]],
  see = { "slope.optim.schedule.exponential", "slope.optim.schedule" },
})

register("slope.optim.schedule.exponential", {
  signature = "schedule.exponential(lr, gamma)",
  summary = "lr * gamma^k: the rate multiplied by gamma at every iteration.",
  text = "lr: a positive number; gamma: a number in (0, 1].\n" .. common,
  example = [[
> s = slope.optim.schedule.exponential(0.1, 0.9)
> s(0), s(1), s(10)
0.1	0.09	0.03486784401]],
  see = { "slope.optim.schedule.step", "slope.optim.schedule" },
})

register("slope.optim.schedule.inverse_time", {
  signature = "schedule.inverse_time(lr, decay [, power])",
  summary = "lr / (1 + decay * k)^power: the classic decay of stochastic approximation.",
  text = [[
lr: a positive number; decay: a number >= 0; power: a positive number,
1 by default (the rate then falls as 1/k; power 0.5 as 1/sqrt(k)).
]] .. common,
  example = [[
> s = slope.optim.schedule.inverse_time(0.1, 0.5)
> s(0), s(2), s(6)
0.1	0.05	0.025
> slope.optim.schedule.inverse_time(0.1, 0.5, 0.5)(6)
0.05]],
  see = { "slope.optim.schedule.exponential", "slope.optim.schedule" },
})

register("slope.optim.schedule.cosine", {
  signature = "schedule.cosine(lr, period [, lr_min [, restart [, mult]]])",
  summary = "Cosine annealing from lr to lr_min over period iterations, with optional warm restarts.",
  text = [[
The rate at position t of a cycle of T iterations is
  lr_min + (lr - lr_min) * (1 + cos(pi * t / T)) / 2
(computed as lr * cos(h)^2 + lr_min * sin(h)^2, h = pi * t / (2 T), which
is exact at t = 0 and keeps its precision near t = T).
Without restart there is one cycle, t = k and T = period, and the rate
stays at lr_min for every k >= period. With restart = true the rate
jumps back to lr at the end of each cycle (SGDR, Loshchilov and Hutter):
cycles of period, period * mult, period * mult^2, ... iterations, so with
period 10 and mult 2 the restarts fall at k = 10, 30, 70, 150, ...
lr: a positive number; period: an integer >= 1; lr_min: a number in
[0, lr], 0 by default; restart: a boolean, false by default; mult: an
integer >= 1, 1 by default (a mult other than 1 needs restart = true).
]] .. common,
  example = [[
> s = slope.optim.schedule.cosine(0.1, 100)
> s(0), s(50), s(100)
0.1	0.05	0.0
> r = slope.optim.schedule.cosine(0.1, 10, 0.001, true, 2)
> r(5), r(9), r(10), r(20), r(30)
0.0505	0.0034227024433899	0.1	0.0505	0.1]],
  see = { "slope.optim.schedule.warmup", "slope.optim.schedule" },
})

register("slope.optim.schedule.warmup", {
  signature = "schedule.warmup(s, k_warm)",
  summary = "A linear ramp up to s(0) over k_warm iterations, then the schedule s.",
  text = [[
For k < k_warm the rate is s(0) * (k + 1) / (k_warm + 1): it starts at
s(0) / (k_warm + 1) and climbs in equal steps to the line's end at
k = k_warm, where s takes over counting from 0 (the rate is s(k - k_warm)
from then on). Every warmup rate is below s(0). s must be a schedule
(not a Lua function), which the warmup keeps alive (as w.base); k_warm:
an integer >= 1. Warmups nest.
]] .. common,
  example = [[
> s = slope.optim.schedule.warmup(slope.optim.schedule.cosine(0.1, 100), 4)
> s(0), s(3), s(4), s(54)
0.02	0.08	0.1	0.05
> s
schedule.warmup(schedule.cosine(lr=0.1, period=100, lr_min=0), k_warm=4)]],
  see = { "slope.optim.schedule.cosine", "slope.optim.schedule" },
})

end
