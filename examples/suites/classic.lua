-- classic.lua: the classical unconstrained test problems (Rosenbrock,
-- Beale, Booth, Himmelblau, an ill-conditioned quadratic and four from the
-- More-Garbow-Hillstrom set) x {gradient descent at three learning rates,
-- momentum, Adam, BFGS, L-BFGS, Newton} x 3 seeds: 216 runs.
--
--   slope run examples/suites/classic.lua --jobs 2 --out results/classic
--
-- writes runs.jsonl, runs.csv, manifest.json, report.md, a loss-curve plot
-- per problem and the performance and data profiles of the solvers. Each
-- repeat starts every solver from the same point: the problem's standard
-- start moved by a random normal step drawn from that repeat's seed.
local experiment = require "slope.experiment"

-- A start generator: x0 + sd * N(0, 1) in each coordinate.
local function near(x0, sd)
  return function(rng)
    local x = {}
    for i, v in ipairs(x0) do x[i] = v + sd * rng:normal() end
    return x
  end
end

local problems = {
  {name = "rosenbrock", fstar = 0, start = near({-1.2, 1}, 0.1),
   loss = function(x) return 100 * (x[2] - x[1]^2)^2 + (1 - x[1])^2 end},
  {name = "beale", fstar = 0, start = near({1, 1}, 0.1),
   loss = function(x)
     return (1.5 - x[1] + x[1] * x[2])^2 + (2.25 - x[1] + x[1] * x[2]^2)^2
            + (2.625 - x[1] + x[1] * x[2]^3)^2
   end},
  {name = "booth", fstar = 0, start = near({0, 0}, 1),
   loss = function(x) return (x[1] + 2 * x[2] - 7)^2 + (2 * x[1] + x[2] - 5)^2 end},
  {name = "himmelblau", fstar = 0, start = near({0, 0}, 1),
   loss = function(x)
     return (x[1]^2 + x[2] - 11)^2 + (x[1] + x[2]^2 - 7)^2
   end},
  -- 1/2 sum_i c_i (x_i - 1)^2 + 0.75 with condition number 100
  {name = "quadratic", fstar = 0.75, start = near({0, 0, 0, 0, 0}, 1),
   loss = function(x)
     local s = 0.75
     for i = 1, 5 do s = s + 0.5 * 10^((i - 1) / 2) * (x[i] - 1)^2 end
     return s
   end},
  {name = "freudenstein_roth", fstar = 0, start = near({0.5, -2}, 0.1),
   loss = function(x)
     return (-13 + x[1] + ((5 - x[2]) * x[2] - 2) * x[2])^2
            + (-29 + x[1] + ((x[2] + 1) * x[2] - 14) * x[2])^2
   end},
  {name = "powell_singular", fstar = 0, start = near({3, -1, 0, 1}, 0.1),
   loss = function(x)
     return (x[1] + 10 * x[2])^2 + 5 * (x[3] - x[4])^2
            + (x[2] - 2 * x[3])^4 + 10 * (x[1] - x[4])^4
   end},
  {name = "wood", fstar = 0, start = near({-3, -1, -3, -1}, 0.1),
   loss = function(x)
     return 100 * (x[2] - x[1]^2)^2 + (1 - x[1])^2 + 90 * (x[4] - x[3]^2)^2
            + (1 - x[3])^2 + 10 * (x[2] + x[4] - 2)^2 + 0.1 * (x[2] - x[4])^2
   end},
  {name = "three_hump_camel", fstar = 0, start = near({1.5, -1}, 0.2),
   loss = function(x)
     return 2 * x[1]^2 - 1.05 * x[1]^4 + x[1]^6 / 6 + x[1] * x[2] + x[2]^2
   end},
}

local suite = experiment.suite{
  name = "classic", seed = 2385, repeats = 3,
  options = {maxiter = 5000, gtol = 1e-6},
  limits = {maxtime = 10, memory = "1G"},
  problems = problems,
  solvers = {
    {name = "gd", method = "gd", grid = {lr = {1e-4, 1e-3, 1e-2}}},
    {name = "momentum", method = "momentum", options = {lr = 1e-3, momentum = 0.9}},
    {name = "adam", method = "adam", options = {lr = 0.02}},
    {method = "bfgs"},
    {method = "lbfgs"},
    {method = "newton"},
  },
}
return suite
