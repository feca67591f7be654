/*
** scalar.h: one-dimensional minimisation of Lua functions (GSL's golden
** section, Brent and quad-golden), the native part of
** slope.optim.minimize_scalar.
*/
#ifndef SLOPE_SCALAR_H
#define SLOPE_SCALAR_H

#include <lua.h>

/* Opener for core.c: pushes the native table {minimize_scalar = ...}. */
int slope_open_scalar(lua_State *L);

#endif
