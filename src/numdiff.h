/*
** numdiff.h: slope.numdiff's native part (finite differences and
** Richardson extrapolation over Lua callbacks or C functions).
*/
#ifndef SLOPE_NUMDIFF_H
#define SLOPE_NUMDIFF_H

#include <lua.h>

/* Opener for core.c: pushes the native numdiff table. */
int slope_open_numdiff(lua_State *L);

#endif
