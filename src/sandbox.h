/*
** sandbox.h: limits for running untrusted chunks (notebook blocks): a
** wall-clock cap that stops Lua code and slope's C loops alike, and a cap
** on the bytes the Lua allocator hands out.
*/
#ifndef SLOPE_SANDBOX_H
#define SLOPE_SANDBOX_H

#include <lua.h>

/* Opener for core.c: pushes the native table {call = ..., realpath = ...}. */
int slope_open_sandbox(lua_State *L);

#endif
