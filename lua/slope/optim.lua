-- optim.lua: slope.optim, minimisation. The methods, their driver loop and
-- the schedules are native (slope.core); this module gathers them.
local core = require "slope.core"

local type = type

-- Methods for general constraints: minimize hands them to the constrained
-- framework (core.optim.constrained), as it does any opts.eq or opts.ineq.
local constrained_methods = {
  auglag = true, ["newton-kkt"] = true, sqp = true, barrier = true,
}

local function minimize(f, x0, opts)
  if type(opts) == "table" and (opts.eq ~= nil or opts.ineq ~= nil or
                                constrained_methods[opts.method]) then
    return core.optim.constrained(f, x0, opts)
  end
  return core.optim.minimize(f, x0, opts)
end

local optim = {
  minimize = minimize,
  solver = core.optim.solver,
  sgd = core.optim.sgd,
  lagrange = core.optim.lagrange,
  qp = core.optim.qp,
}

-- Parts that live in their own native modules.
if core.schedule then optim.schedule = core.schedule end
if core.scalar then optim.minimize_scalar = core.scalar.minimize_scalar end
if core.linprog then
  optim.linprog, optim.linprog_file = core.linprog.linprog, core.linprog.linprog_file
end

return optim
