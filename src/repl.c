/* repl.c: placeholder until the REPL lands (being replaced). */
#include "config.h"
#include <stdio.h>
#include <lauxlib.h>
#include "host.h"
#include "repl.h"

void repl_run(lua_State *L) {
  char line[4096];
  while (fputs("> ", stdout), fflush(stdout), fgets(line, sizeof line, stdin))
    if (host_report(L, luaL_loadstring(L, line)) == LUA_OK)
      host_report(L, host_docall(L, 0, 0));
}
