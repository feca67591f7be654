/*
** optim.h: slope.optim's native part.
*/
#ifndef SLOPE_OPTIM_H
#define SLOPE_OPTIM_H

#include <lua.h>

/* Opener for core.c: pushes the native optim table (minimize). */
int slope_open_optim(lua_State *L);

#endif
