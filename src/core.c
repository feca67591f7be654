/*
** core.c: luaopen_slope_core, the only export of slope's C module.
** Each native module contributes one opener; the pure-Lua modules under
** lua/slope/ build the public API on top of this table.
*/
#include "config.h"

#include <gsl/gsl_errno.h>
#include <gsl/gsl_version.h>
#include <glpk.h>

#include <lauxlib.h>
#include <lua.h>

#include "interrupt.h"
#include "slope.h"
#include "ad/ad.h"
#include "analyze.h"
#include "data.h"
#include "numdiff.h"
#include "optim/schedule.h"
#include "optim/optim.h"
#include "optim/scalar.h"
#include "optim/linprog.h"
#include "proc.h"
#include "sandbox.h"
#include "vec.h"

/* core.interrupted(): take a pending Ctrl-C (for pure-Lua loops that poll). */
static int core_interrupted(lua_State *L) {
  lua_pushboolean(L, slope_interrupt_take(L));
  return 1;
}

static const struct {
  const char *name;
  lua_CFunction open;
} native_modules[] = {
  {"vec", slope_open_vec},
  {"ad", slope_open_ad},
  {"numdiff", slope_open_numdiff},
  {"data", slope_open_data},
  {"schedule", slope_open_schedule},
  {"optim", slope_open_optim},
  {"scalar", slope_open_scalar},
  {"linprog", slope_open_linprog},
  {"analyze", slope_open_analyze},
  {"sandbox", slope_open_sandbox},
  {"proc", slope_open_proc},
  {NULL, NULL}
};

int luaopen_slope_core(lua_State *L) {
  int i;
  gsl_set_error_handler_off();  /* every GSL status is checked by its caller */
  lua_newtable(L);
  lua_pushliteral(L, SLOPE_VERSION);
  lua_setfield(L, -2, "version");
  lua_pushliteral(L, LUA_RELEASE);
  lua_setfield(L, -2, "lua_version");
  lua_pushstring(L, gsl_version);
  lua_setfield(L, -2, "gsl_version");
  lua_pushstring(L, glp_version());
  lua_setfield(L, -2, "glpk_version");
  lua_pushcfunction(L, core_interrupted);
  lua_setfield(L, -2, "interrupted");
  for (i = 0; native_modules[i].name != NULL; i++) {
    lua_pushcfunction(L, native_modules[i].open);
    lua_call(L, 0, 1);
    lua_setfield(L, -2, native_modules[i].name);
  }
  return 1;
}
