/*
** schedule.h: learning-rate schedules for slope.optim, evaluated in C.
** A schedule is an immutable full userdata ("slope.schedule") made by the
** constructors of slope_open_schedule; solvers read the rate of iteration
** k through slope_schedule_lr, with no allocation and no Lua call.
**
** Iterations count from k = 0 (the first step) and every schedule but a
** warmup starts at its lr: s(0) == lr exactly.
**   constant(lr)                      lr
**   step(lr, drop, every)             lr * drop^floor(k / every)
**   exponential(lr, gamma)            lr * gamma^k
**   inverse_time(lr, decay [, power]) lr / (1 + decay * k)^power
**   cosine(lr, period [, lr_min [, restart [, mult]]])
**       lr_min + (lr - lr_min) * (1 + cos(pi * t / T)) / 2, with t = k and
**       T = period, then lr_min for every k >= period; with restart, SGDR
**       warm restarts: cycles of period, period * mult, period * mult^2,
**       ... iterations, t counting from 0 at the start of each cycle.
**   warmup(s, k_warm)                 s(0) * (k + 1) / (k_warm + 1) for
**       k < k_warm, then s(k - k_warm): a linear ramp that would reach
**       s(0) at k = k_warm, where s starts counting from 0.
**
** Solvers also accept a Lua function k -> lr in place of a schedule; they
** call it through Lua themselves (under lua_pcall), not through this API.
*/
#ifndef SLOPE_SCHEDULE_H
#define SLOPE_SCHEDULE_H

#include <lua.h>

#define SLOPE_SCHEDULE "slope.schedule"

typedef enum slope_schedule_kind {
  SLOPE_SCHEDULE_CONSTANT,
  SLOPE_SCHEDULE_STEP,
  SLOPE_SCHEDULE_EXPONENTIAL,
  SLOPE_SCHEDULE_INVERSE_TIME,
  SLOPE_SCHEDULE_COSINE,
  SLOPE_SCHEDULE_WARMUP
} slope_schedule_kind;

typedef struct slope_schedule slope_schedule;

struct slope_schedule {
  slope_schedule_kind kind;
  double lr; /* the rate at k = 0; a warmup's: where its ramp leads, s(0) */
  union {
    struct {
      double drop; /* in (0, 1] */
      long every;  /* >= 1 */
    } step;
    struct {
      double gamma; /* in (0, 1] */
    } exponential;
    struct {
      double decay, power; /* >= 0, > 0 */
    } inverse_time;
    struct {
      double lr_min; /* in [0, lr] */
      long period;   /* >= 1, the first cycle's */
      long mult;     /* >= 1, growth of the period at each restart */
      int restart;
    } cosine;
    struct {
      const slope_schedule *base; /* kept alive by the user value */
      long k_warm;                /* >= 1 */
    } warmup;
  } p;
};

/* The rate at iteration k (k < 0 counts as 0). Pure: no allocation, no
** Lua call; nested warmups are walked in a loop, not by recursion. */
double slope_schedule_lr(const slope_schedule *s, long k);

/* The schedule at idx, or NULL. */
slope_schedule *slope_schedule_test(lua_State *L, int idx);

/* Opener for core.c: pushes the table of constructors. */
int slope_open_schedule(lua_State *L);

#endif
