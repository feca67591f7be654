/*
** repl.h: the interactive loop (readline, history, completion,
** continuation lines, auto-print, Ctrl-C).
*/
#ifndef SLOPE_REPL_H
#define SLOPE_REPL_H

#include <lua.h>

/* Run the REPL on L until end of input. stdin need not be a terminal
** (slope -i < file); call it inside a protected call, as pmain does: it
** runs in its caller's frame so that tracebacks match stock Lua's. */
void repl_run(lua_State *L);

#endif
