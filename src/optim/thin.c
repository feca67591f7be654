/*
** thin.c: a run's trace kept to at most cap records (see thin.h).
*/
#include "config.h"

#include <limits.h>

#include <lauxlib.h>

#include "optim/thin.h"

int slope_thin_option(lua_State *L, int opts, int argno, const char *fname,
                      long *cap) {
  int t = lua_getfield(L, opts, "trace"), isint = 0, on = 0;
  lua_Integer k = lua_tointegerx(L, -1, &isint);
  *cap = 0;
  if (t == LUA_TBOOLEAN)
    on = lua_toboolean(L, -1);
  else if (t == LUA_TNUMBER && isint && k >= 2) {
    on = 1;
    *cap = k > LONG_MAX ? LONG_MAX : (long)k;
  }
  else if (t != LUA_TNIL)
    luaL_error(L, "bad argument #%d to '%s' (field 'trace' must be a boolean "
                  "or an integer >= 2 (the most records to keep), got %s)",
               argno, fname, t == LUA_TNUMBER ? lua_tostring(L, -1)
                                              : luaL_typename(L, -1));
  lua_pop(L, 1);
  return on;
}

void slope_thin_init(slope_thin *t, long cap, const char *key) {
  t->cap = cap;
  t->key = key;
  t->stride = 1;
  t->count = 0;
}

int slope_thin_keeps(const slope_thin *t, long k) {
  return k % t->stride == 0;
}

void slope_thin_add(lua_State *L, slope_thin *t, int idx) {
  long i, j;
  idx = lua_absindex(L, idx);
  lua_rawseti(L, idx, (lua_Integer)++t->count);
  if (t->cap == 0 || t->count < t->cap)
    return;
  t->stride *= 2;
  for (i = j = 1; i <= t->count; i++) {
    lua_Integer k;
    lua_rawgeti(L, idx, (lua_Integer)i);
    lua_getfield(L, -1, t->key);
    k = lua_tointeger(L, -1);
    lua_pop(L, 1);
    if (k % t->stride == 0 || i == t->count)  /* the newest stays */
      lua_rawseti(L, idx, (lua_Integer)j++);
    else
      lua_pop(L, 1);
  }
  for (i = j; i <= t->count; i++) {
    lua_pushnil(L);
    lua_rawseti(L, idx, (lua_Integer)i);
  }
  t->count = j - 1;
}
