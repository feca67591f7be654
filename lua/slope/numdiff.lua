-- numdiff.lua: slope.numdiff, numerical derivatives of Lua functions.
--
--   local nd = require "slope.numdiff"
--   nd.derivative(f, x [, opts])  -> number, error estimate (x a number)
--   nd.grad(f, x [, opts])        -> vec, vec of error estimates
--   nd.hessian(f, x [, opts])     -> mat, mat of error estimates
--
-- opts.method: "forward", "central" or "richardson" (the default);
-- opts.h: the step (a number, or one per axis as a vec or array), by
-- default scaled by max(1, |x_i|); opts.estimate = false skips the extra
-- evaluations behind the error estimates of "forward" and "central".
-- f is called under lua_pcall, with a fresh vector each time; everything
-- runs in src/numdiff.c, this module only names the exports.
local require = require

local native = require("slope.core").numdiff

local numdiff = {
  derivative = native.derivative,
  grad = native.grad,
  hessian = native.hessian,
}

return numdiff
