/*
** slope.h: the entry point of slope's native library, shared by the slope
** program (which links it) and stock Lua (which loads it as slope/core.so).
*/
#ifndef SLOPE_H
#define SLOPE_H

#include <lua.h>

#define SLOPE_VERSION PACKAGE_VERSION

/* require "slope.core": a table of the native modules (vec, ...) and the
** version strings of slope, Lua and GSL. */
int luaopen_slope_core(lua_State *L);

#endif
