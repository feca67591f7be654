/* vec.c: placeholder until native vectors land (being replaced). */
#include "config.h"
#include <lauxlib.h>
#include "vec.h"

int slope_open_vec(lua_State *L) {
  lua_newtable(L);
  return 1;
}
