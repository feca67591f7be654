-- ad.lua: slope.ad, automatic differentiation by tracing. A loss is called
-- once with symbolic inputs; the recorded tape is differentiated in C.
-- The native part is slope.core's ad table; this module installs the
-- overloaded math functions and exports the public API.
local require = require

local core = require("slope.core").ad

core.install_math()

local ad = {
  grad = core.grad,
  hessian = core.hessian,
  jacobian = core.jacobian,
  derivative = core.derivative,
  hvp = core.hvp,
  dirderiv = core.dirderiv,
  compile = core.compile,
  install_math = core.install_math,
  -- elementary functions: numbers in, numbers out; traced values recorded
  tanh = core.tanh,
  sinh = core.sinh,
  cosh = core.cosh,
  log1p = core.log1p,
  expm1 = core.expm1,
  logistic = core.logistic,
  softplus = core.softplus,
  erf = core.erf,
  ifelse = core.ifelse,
  logsumexp = core.logsumexp,
}

-- Checking derivatives lives in its own module, loaded on first use.
ad.check = function(...) return require("slope.adcheck")(...) end

return ad
