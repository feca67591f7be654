-- slope: the top-level module. Native parts come from slope.core (linked
-- into the slope program, or slope/core.so under stock Lua); submodules
-- written later (ad, optim, analyze, plot, ...) load on first use.
local require, rawset, setmetatable = require, rawset, setmetatable

local core = require "slope.core"

-- math.* records traced values from here on, so that a loss may use math
-- functions saved in locals after require "slope" (numbers are unchanged).
core.ad.install_math()

local slope = {
  _VERSION = "slope " .. core.version,
  version = core.version,
  lua_version = core.lua_version,
  gsl_version = core.gsl_version,
  vec = core.vec.vec,
  mat = core.vec.mat,
}

-- Submodules loaded lazily, so that require "slope" stays cheap.
local lazy = {
  help = "slope.help", pretty = "slope.pretty",
  ad = "slope.ad", numdiff = "slope.numdiff", optim = "slope.optim",
  data = "slope.data", analyze = "slope.analyze", plot = "slope.plot",
  experiment = "slope.experiment",
}

setmetatable(slope, {
  __index = function(t, k)
    local name = lazy[k]
    if name then
      local m = require(name)
      rawset(t, k, m)
      return m
    end
  end,
})

return slope
