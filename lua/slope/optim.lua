-- optim.lua: slope.optim, minimisation. The methods, their driver loop and
-- the schedules are native (slope.core); this module gathers them.
local core = require "slope.core"

local optim = {
  minimize = core.optim.minimize,
  solver = core.optim.solver,
  sgd = core.optim.sgd,
}

-- Parts that live in their own native modules.
if core.schedule then optim.schedule = core.schedule end
if core.scalar then optim.minimize_scalar = core.scalar.minimize_scalar end

return optim
