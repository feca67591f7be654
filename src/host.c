/*
** host.c: the protected call, error reporting and library set-up that
** main.c and repl.c share; shaped after the stock lua command.
*/
#include "config.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>

#include "host.h"
#include "interrupt.h"
#include "slope.h"

static const char *progname = PACKAGE;

void host_setprogname(const char *name) {
  progname = name;
}

const char *host_progname(void) {
  return progname;
}

void host_message(const char *pname, const char *msg) {
  if (pname)
    fprintf(stderr, "%s: ", pname);
  fprintf(stderr, "%s\n", msg);
  fflush(stderr);
}

int host_report(lua_State *L, int status) {
  if (status != LUA_OK) {
    const char *msg = lua_tostring(L, -1);
    if (msg == NULL)
      msg = "(error object is not a string)";
    host_message(progname, msg);
    lua_pop(L, 1);
  }
  return status;
}

int host_msghandler(lua_State *L) {
  const char *msg = lua_tostring(L, 1);
  if (msg == NULL) {
    if (luaL_callmeta(L, 1, "__tostring") && lua_type(L, -1) == LUA_TSTRING)
      return 1;
    msg = lua_pushfstring(L, "(error object is a %s value)",
                          luaL_typename(L, 1));
  }
  luaL_traceback(L, L, msg, 1);
  return 1;
}

int host_docall(lua_State *L, int narg, int nres) {
  int status;
  int base = lua_gettop(L) - narg;  /* function index */
  lua_pushcfunction(L, host_msghandler);
  lua_insert(L, base);
  slope_interrupt_install(L);
  status = lua_pcall(L, narg, nres, base);
  slope_interrupt_remove();
  slope_interrupt_take(L);  /* a Ctrl-C that came too late to matter */
  lua_remove(L, base);
  return status;
}

/* The directory that holds slope/init.lua: the source tree's when this
** executable is the one in the build tree, else the installed one. */
static const char *slope_luadir(void) {
  char exe[PATH_MAX], build[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
  if (n > 0) {
    char *slash;
    exe[n] = '\0';
    slash = strrchr(exe, '/');
    if (slash != NULL)
      *slash = '\0';
    if (realpath(SLOPE_BUILDDIR, build) != NULL && strcmp(exe, build) == 0)
      return SLOPE_SRC_LUADIR;
  }
  return SLOPE_LUADIR;
}

void host_openlibs(lua_State *L) {
  const char *dir = slope_luadir();
  luaL_openlibs(L);
  luaL_getsubtable(L, LUA_REGISTRYINDEX, LUA_PRELOAD_TABLE);
  lua_pushcfunction(L, luaopen_slope_core);
  lua_setfield(L, -2, "slope.core");
  lua_pop(L, 1);
  lua_getglobal(L, "package");
  lua_pushfstring(L, "%s/?.lua;%s/?/init.lua;", dir, dir);
  lua_getfield(L, -2, "path");
  lua_concat(L, 2);
  lua_setfield(L, -2, "path");
  lua_pop(L, 1);
}
