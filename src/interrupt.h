/*
** interrupt.h: Ctrl-C for Lua code and for slope's C loops.
** A Lua chunk is stopped by a hook, as in the stock lua command; a C loop
** (a solver, a sweep, a large product) never runs Lua, so it polls
** slope_interrupt_pending() and gives up through slope_interrupt_take().
*/
#ifndef SLOPE_INTERRUPT_H
#define SLOPE_INTERRUPT_H

#include <lua.h>

/* Route SIGINT to L until slope_interrupt_remove(); a second Ctrl-C kills. */
void slope_interrupt_install(lua_State *L);
void slope_interrupt_remove(void);

/* Nonzero once Ctrl-C was pressed and nobody took it yet (cheap to poll). */
int slope_interrupt_pending(void);

/* Take a pending interrupt: clear the flag and the hook; 1 if there was one.
** A solver that takes it ends with status "interrupted". */
int slope_interrupt_take(lua_State *L);

/* Take a pending interrupt and raise "interrupted!" (does not return then). */
void slope_interrupt_check(lua_State *L);

/* How many interrupts were taken so far (the REPL ends the line of a ^C
** echo after a command that a Ctrl-C stopped without an error). */
unsigned long slope_interrupt_count(void);

#endif
