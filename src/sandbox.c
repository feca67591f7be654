/*
** sandbox.c: core.sandbox, the native half of the notebook sandbox.
**
**   sandbox.call(seconds, bytes, f, ...)
**       calls f(...) as pcall does, but stops it after seconds of wall-clock
**       time and refuses Lua allocations beyond bytes more than were in use
**       when it started (0 or a negative number: no cap). Returns true and
**       f's results, or false, the error message and why: "time",
**       "memory" or "error".
**   sandbox.realpath(path)
**       the absolute path with symbolic links, "." and ".." resolved; the
**       last component need not exist (a file about to be written). nil
**       and a message when the directory does not resolve.
**
** The time cap is an interval timer: its SIGALRM handler raises slope's
** interrupt flag (so a C solver polling it stops, as after Ctrl-C) and sets
** a hook that ends the Lua code at its next step. The memory cap wraps the
** state's allocator for the duration of the call.
*/
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

#include <lauxlib.h>
#include <lua.h>

#include "interrupt.h"
#include "sandbox.h"

/* What the signal handler needs: it has nowhere else to look (as in
** interrupt.c). Set only while a limited call runs. */
static lua_State *volatile limited_state = NULL;
static volatile sig_atomic_t timed_out = 0;

/* The wrapped allocator's state; lives in a userdata anchored on the stack
** of sandbox.call while the call runs. */
typedef struct {
  lua_Alloc alloc;   /* the state's own allocator */
  void *ud;          /* and its user data */
  double used;       /* bytes allocated less bytes freed since the start
                        (negative when older blocks were freed) */
  double cap;        /* refuse to grow beyond this */
  int refused;       /* an allocation was refused */
} memcap;

/*
** Grow requests beyond the cap fail (Lua then collects garbage and tries
** again before raising "not enough memory"); frees and shrinks always go
** through, as Lua requires.
*/
static void *capped_alloc(void *ud, void *ptr, size_t osize, size_t nsize) {
  memcap *m = (memcap *)ud;
  size_t old = ptr != NULL ? osize : 0;  /* osize is a type tag for new blocks */
  void *p;
  if (nsize > old && m->used + (double)(nsize - old) > m->cap) {
    m->refused = 1;
    return NULL;
  }
  p = m->alloc(m->ud, ptr, osize, nsize);
  if (p != NULL || nsize == 0)
    m->used += (double)nsize - (double)old;
  return p;
}

/* Set by the alarm: ends the running Lua code at its next step. */
static void timeout_hook(lua_State *L, lua_Debug *ar) {
  (void)ar;
  lua_sethook(L, NULL, 0, 0);
  slope_interrupt_take(L);  /* the flag raised for C loops */
  luaL_error(L, "time limit exceeded");
}

static void alarm_handler(int sig) {
  int mask = LUA_MASKCALL | LUA_MASKRET | LUA_MASKLINE | LUA_MASKCOUNT;
  (void)sig;
  if (limited_state == NULL)
    return;
  timed_out = 1;
  raise(SIGINT);  /* interrupt.c's handler raises the flag C loops poll */
  lua_sethook(limited_state, timeout_hook, mask, 1);  /* ours, not its hook */
}

static void set_timer(double seconds) {
  struct itimerval it;
  memset(&it, 0, sizeof it);
  if (seconds > 0) {
    double whole = seconds >= 1e6 ? 1e6 : seconds;
    it.it_value.tv_sec = (time_t)whole;
    it.it_value.tv_usec = (suseconds_t)((whole - (double)(time_t)whole) * 1e6);
    if (it.it_value.tv_sec == 0 && it.it_value.tv_usec == 0)
      it.it_value.tv_usec = 1;
  }
  setitimer(ITIMER_REAL, &it, NULL);
}

/* sandbox.call(seconds, bytes, f, ...) */
static int sandbox_call(lua_State *L) {
  double seconds = luaL_checknumber(L, 1);
  lua_Number bytes = luaL_checknumber(L, 2);
  struct sigaction sa, oldsa;
  memcap *m;
  int status, base, nargs;
  luaL_checktype(L, 3, LUA_TFUNCTION);
  luaL_argcheck(L, seconds == seconds, 1, "number expected, got nan");
  luaL_argcheck(L, bytes == bytes, 2, "number expected, got nan");
  if (limited_state != NULL)
    return luaL_error(L, "sandbox.call: a limited call is already running");
  nargs = lua_gettop(L) - 3;
  m = (memcap *)lua_newuserdatauv(L, sizeof *m, 0);
  lua_insert(L, 1);  /* anchored below everything else */
  base = 4;  /* f */
  m->alloc = lua_getallocf(L, &m->ud);
  m->used = 0;
  m->refused = 0;
  m->cap = bytes > 0 ? (double)bytes : 0;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = alarm_handler;
  sigemptyset(&sa.sa_mask);
  timed_out = 0;
  limited_state = L;
  slope_interrupt_install(L);
  sigaction(SIGALRM, &sa, &oldsa);
  if (bytes > 0)
    lua_setallocf(L, capped_alloc, m);
  set_timer(seconds);
  status = lua_pcall(L, nargs, LUA_MULTRET, 0);
  set_timer(0);
  if (bytes > 0)
    lua_setallocf(L, m->alloc, m->ud);
  sigaction(SIGALRM, &oldsa, NULL);
  slope_interrupt_remove();
  slope_interrupt_take(L);  /* an alarm that came as the call ended */
  if (lua_gethook(L) == timeout_hook)
    lua_sethook(L, NULL, 0, 0);
  limited_state = NULL;
  if (status == LUA_OK) {
    lua_pushboolean(L, 1);
    lua_insert(L, base);
    timed_out = 0;
    return lua_gettop(L) - base + 1;
  }
  lua_pushboolean(L, 0);
  lua_insert(L, -2);
  if (timed_out)
    lua_pushliteral(L, "time");
  else if (status == LUA_ERRMEM
           || (m->refused && lua_type(L, -2) == LUA_TSTRING
               && strstr(lua_tostring(L, -2), "not enough memory") != NULL))
    lua_pushliteral(L, "memory");
  else
    lua_pushliteral(L, "error");
  timed_out = 0;
  lua_gc(L, LUA_GCCOLLECT);  /* what a memory bomb left behind */
  return 3;
}

/* sandbox.realpath(path) */
static int sandbox_realpath(lua_State *L) {
  const char *path = luaL_checkstring(L, 1);
  char resolved[PATH_MAX];
  const char *slash = strrchr(path, '/');
  const char *last;
  luaL_Buffer b;
  if (realpath(path, resolved) != NULL) {
    lua_pushstring(L, resolved);
    return 1;
  }
  /* the directory must resolve; the last component is taken as it is */
  if (slash == NULL) {
    lua_pushliteral(L, ".");
    last = path;
  } else {
    if (slash == path)
      lua_pushliteral(L, "/");
    else
      lua_pushlstring(L, path, (size_t)(slash - path));
    last = slash + 1;
  }
  if (strcmp(last, "..") == 0 || strcmp(last, ".") == 0 || *last == '\0'
      || realpath(lua_tostring(L, -1), resolved) == NULL) {
    luaL_pushfail(L);
    lua_pushfstring(L, "%s: %s", path,
                    *last == '\0' || last[0] == '.' ? "cannot resolve"
                                                    : strerror(errno));
    return 2;
  }
  luaL_buffinit(L, &b);
  luaL_addstring(&b, resolved);
  if (strcmp(resolved, "/") != 0)
    luaL_addchar(&b, '/');
  luaL_addstring(&b, last);
  luaL_pushresult(&b);
  return 1;
}

static const luaL_Reg sandbox_funcs[] = {
  {"call", sandbox_call},
  {"realpath", sandbox_realpath},
  {NULL, NULL}
};

int slope_open_sandbox(lua_State *L) {
  luaL_newlib(L, sandbox_funcs);
  return 1;
}
