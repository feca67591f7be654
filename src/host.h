/*
** host.h: what the command line and the REPL share: the protected call
** with a traceback, error reporting in the lua command's format, and the
** opening of the standard libraries plus slope's own modules.
*/
#ifndef SLOPE_HOST_H
#define SLOPE_HOST_H

#include <lua.h>

/* The name errors are reported under (argv[0], as the lua command does). */
void host_setprogname(const char *name);
const char *host_progname(void);

/* Print "progname: msg" (progname omitted when NULL) to stderr. */
void host_message(const char *pname, const char *msg);

/* If status is not LUA_OK, print and pop the error object on the top. */
int host_report(lua_State *L, int status);

/* Message handler for lua_pcall: a string gets a traceback; another
** object its __tostring or a description of its type. */
int host_msghandler(lua_State *L);

/* Call the function below its narg arguments under lua_pcall with a
** traceback handler and Ctrl-C routed to L; returns the pcall status. */
int host_docall(lua_State *L, int narg, int nres);

/* Standard libraries, slope.core preloaded, slope's Lua directory first in
** package.path (the source tree's when running from the build tree).
** Honours the registry flag LUA_NOENV, as luaL_openlibs does. */
void host_openlibs(lua_State *L);

#endif
