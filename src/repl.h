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

/* Characters that end the word being completed. */
#define REPL_WORD_BREAKS " \t\n\"'`@$><=;|&{}()[],+-*/%^~#"

/* Completions of the word at index 1 (a name, "a.b.c" or "a.b:c"): a
** table mapping each completion to what follows a single match ("."
** after a table, " " after a keyword, else ""). Runs no metamethod. */
int repl_complete(lua_State *L);

/* Replace the value on the top by its field k of length l, following
** __index (and __methods) tables but running no metamethod (nil when there
** is none). */
void repl_raw_field(lua_State *L, const char *k, size_t l);

#endif
