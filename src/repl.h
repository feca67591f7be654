/*
** repl.h: the interactive loop (readline, history, completion,
** continuation lines, auto-print, Ctrl-C).
*/
#ifndef SLOPE_REPL_H
#define SLOPE_REPL_H

#include <lua.h>

/* Run the REPL on L until end of input; stdin is a terminal. */
void repl_run(lua_State *L);

#endif
