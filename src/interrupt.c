/*
** interrupt.c: SIGINT handling shared by the program and every C loop.
** The handler only sets a flag and installs a hook (both async-signal
** safe); whoever notices first, the hook in Lua code or a C loop polling
** the flag, clears both, so one Ctrl-C stops exactly one thing.
*/
#include <signal.h>

#include <lauxlib.h>
#include <lua.h>

#include "interrupt.h"

/* The only process-wide state: a signal handler has nowhere else to look. */
static volatile sig_atomic_t interrupted = 0;
static lua_State *volatile interrupt_state = NULL;
static unsigned long taken = 0;  /* interrupts taken (not touched by the handler) */

/* Hook set by the handler: runs at the next Lua step, stops the chunk. */
static void interrupt_hook(lua_State *L, lua_Debug *ar) {
  (void)ar;
  lua_sethook(L, NULL, 0, 0);
  interrupted = 0;
  luaL_error(L, "interrupted!");
}

static void interrupt_handler(int sig) {
  int mask = LUA_MASKCALL | LUA_MASKRET | LUA_MASKLINE | LUA_MASKCOUNT;
  signal(sig, SIG_DFL);  /* if another SIGINT happens, terminate process */
  interrupted = 1;
  if (interrupt_state != NULL)
    lua_sethook(interrupt_state, interrupt_hook, mask, 1);
}

void slope_interrupt_install(lua_State *L) {
  interrupt_state = L;
  interrupted = 0;
  signal(SIGINT, interrupt_handler);
}

void slope_interrupt_remove(void) {
  signal(SIGINT, SIG_DFL);
  interrupt_state = NULL;
}

int slope_interrupt_pending(void) {
  return interrupted;
}

int slope_interrupt_take(lua_State *L) {
  if (!interrupted)
    return 0;
  lua_State *H = interrupt_state != NULL ? interrupt_state : L;
  interrupted = 0;
  taken++;
  if (lua_gethook(H) == interrupt_hook)
    lua_sethook(H, NULL, 0, 0);
  return 1;
}

unsigned long slope_interrupt_count(void) {
  return taken;
}

void slope_interrupt_check(lua_State *L) {
  if (slope_interrupt_take(L))
    luaL_error(L, "interrupted!");
}
