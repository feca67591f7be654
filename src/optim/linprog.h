/*
** linprog.h: linear and mixed-integer programs solved by GLPK, the native
** part of slope.optim.linprog and slope.optim.linprog_file.
*/
#ifndef SLOPE_LINPROG_H
#define SLOPE_LINPROG_H

#include <lua.h>

/* Opener for core.c: pushes the native table {linprog =, linprog_file =}. */
int slope_open_linprog(lua_State *L);

#endif
