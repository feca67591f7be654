/* main.c: placeholder until the command line lands (being replaced). */
#include "config.h"
#include <stdlib.h>
#include <lauxlib.h>
#include <lualib.h>
#include "host.h"
#include "repl.h"

int main(int argc, char **argv) {
  lua_State *L = luaL_newstate();
  int status = LUA_OK;
  host_setprogname(argv[0]);
  host_openlibs(L);
  if (argc > 1) {
    int i;
    lua_createtable(L, argc, 1);
    for (i = 0; i < argc; i++) {
      lua_pushstring(L, argv[i]);
      lua_rawseti(L, -2, i - 1);
    }
    lua_setglobal(L, "arg");
    status = luaL_loadfile(L, argv[1]);
    if (status == LUA_OK)
      status = host_docall(L, 0, 0);
    host_report(L, status);
  } else
    repl_run(L);
  lua_close(L);
  return status == LUA_OK ? EXIT_SUCCESS : EXIT_FAILURE;
}
