/*
** data.h: slope.data's native part: data sets read from CSV files into
** slope matrices (rows are observations, the unit of a minibatch).
*/
#ifndef SLOPE_DATA_H
#define SLOPE_DATA_H

#include <lua.h>

/* Opener for core.c: pushes the native data table (csv). */
int slope_open_data(lua_State *L);

#endif
