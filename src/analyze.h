/*
** analyze.h: the native part of slope.analyze (the kind of a point from
** the Hessian's eigenvalues, the stationary points in a box, a sampled
** convexity test), all on the tape of a traced function.
*/
#ifndef SLOPE_ANALYZE_H
#define SLOPE_ANALYZE_H

#include <lua.h>

/* Opener for core.c: pushes the native table {classify = ..., ...}. */
int slope_open_analyze(lua_State *L);

#endif
