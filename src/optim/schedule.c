/*
** schedule.c: learning-rate schedules (see schedule.h for the formulas).
** A schedule is one full userdata holding its kind and parameters, checked
** once by its constructor; a warmup also holds its base schedule in its
** user value, so the pointer it keeps for C stays valid.
*/
#include "config.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <lauxlib.h>
#include <lua.h>

#include "optim/schedule.h"
#include "vec.h"

#define PI 3.14159265358979323846

static const char *const kindnames[] = {
    "constant", "step", "exponential", "inverse_time", "cosine", "warmup"};

/*
** {======================================================
** Rates
** =======================================================
*/

/* The cosine rate at k: k's position t in its cycle, the cycle's length
** T, then the formula. Cycles grow by mult at each restart; a length past
** LONG_MAX can only be the last one, so T is a double. */
static double cosine_lr(const slope_schedule *s, long k) {
  long t = k, len = s->p.cosine.period, mult = s->p.cosine.mult;
  double T = (double)len, h, c, sn;
  if (!s->p.cosine.restart) {
    if (k >= len)
      return s->p.cosine.lr_min;
  } else if (mult == 1)
    t = k % len;
  else
    while (t >= len) {
      t -= len;
      if (len > LONG_MAX / mult) { /* t < LONG_MAX < len * mult */
        T = (double)len * (double)mult;
        break;
      }
      len *= mult;
      T = (double)len;
    }
  /* (1 + cos(2h)) / 2 = cos(h)^2 and its complement sin(h)^2: no
  ** cancellation near the end of a cycle, and exactly lr at t = 0. */
  h = PI * (double)t / (2 * T);
  c = cos(h);
  sn = sin(h);
  return s->lr * (c * c) + s->p.cosine.lr_min * (sn * sn);
}

double slope_schedule_lr(const slope_schedule *s, long k) {
  if (k < 0)
    k = 0;
  while (s->kind == SLOPE_SCHEDULE_WARMUP) {
    long kw = s->p.warmup.k_warm;
    if (k < kw)
      return (double)(k + 1) / ((double)kw + 1) * s->lr;
    k -= kw;
    s = s->p.warmup.base;
  }
  switch (s->kind) {
  case SLOPE_SCHEDULE_STEP:
    return s->lr * pow(s->p.step.drop, (double)(k / s->p.step.every));
  case SLOPE_SCHEDULE_EXPONENTIAL:
    return s->lr * pow(s->p.exponential.gamma, (double)k);
  case SLOPE_SCHEDULE_INVERSE_TIME:
    return s->lr / pow(1 + s->p.inverse_time.decay * (double)k,
                       s->p.inverse_time.power);
  case SLOPE_SCHEDULE_COSINE:
    return cosine_lr(s, k);
  default:
    return s->lr;
  }
}

/* }====================================================== */

/*
** {======================================================
** Arguments
** =======================================================
*/

/* luaL_argerror with a fixed function name, so a message reads the same
** however the function was reached (a local alias, pcall, __call). */
static int argerror(lua_State *L, int arg, const char *fname,
                    const char *msg) {
  return luaL_error(L, "bad argument #%d to '%s' (%s)", arg, fname, msg);
}

/* "<want> expected, got <type>": a value of the wrong type. */
static int typeerror(lua_State *L, int arg, const char *fname,
                     const char *want) {
  return argerror(
      L, arg, fname,
      lua_pushfstring(L, "%s expected, got %s", want, slope_kindname(L, arg)));
}

/* "<want> expected, got <the number at arg>": a number out of range. */
static int badnumber(lua_State *L, int arg, const char *fname,
                     const char *want) {
  const char *got = luaL_tolstring(L, arg, NULL);
  return argerror(L, arg, fname,
                  lua_pushfstring(L, "%s expected, got %s", want, got));
}

static double checknumber(lua_State *L, int arg, const char *fname) {
  if (lua_type(L, arg) != LUA_TNUMBER)
    typeerror(L, arg, fname, "number");
  return lua_tonumber(L, arg);
}

/* A finite number with lo < x (or lo <= x: closed) and x <= hi. */
static double checkrange(lua_State *L, int arg, const char *fname, double lo,
                         int closed, double hi, const char *want) {
  double x = checknumber(L, arg, fname);
  if (!(isfinite(x) && (closed ? x >= lo : x > lo) && x <= hi))
    badnumber(L, arg, fname, want);
  return x;
}

/* An integer count >= lo (as want says) that fits a long. */
static long checkcount(lua_State *L, int arg, const char *fname,
                       lua_Integer lo, const char *want) {
  int isint;
  lua_Integer i;
  checknumber(L, arg, fname);
  i = lua_tointegerx(L, arg, &isint);
  if (!isint || i < lo)
    badnumber(L, arg, fname, want);
#if LUA_MAXINTEGER > LONG_MAX
  if (i > LONG_MAX)
    argerror(L, arg, fname, lua_pushfstring(L, "%I too large", i));
#endif
  return (long)i;
}

/* The rate at arg 1: a positive finite number. */
static double checklr(lua_State *L, const char *fname) {
  return checkrange(L, 1, fname, 0, 0, HUGE_VAL, "positive number");
}

/* }====================================================== */

/*
** {======================================================
** Objects
** =======================================================
*/

static void pushmeta(lua_State *L);

slope_schedule *slope_schedule_test(lua_State *L, int idx) {
  return (slope_schedule *)luaL_testudata(L, idx, SLOPE_SCHEDULE);
}

/* Push a new schedule of the given kind and rate, parameters zeroed. */
static slope_schedule *newschedule(lua_State *L, slope_schedule_kind kind,
                                   double lr) {
  slope_schedule *s =
      (slope_schedule *)lua_newuserdatauv(L, sizeof(slope_schedule), 1);
  memset(s, 0, sizeof *s);
  s->kind = kind;
  s->lr = lr;
  pushmeta(L);
  lua_setmetatable(L, -2);
  return s;
}

/* constant(lr) */
static int schedule_constant(lua_State *L) {
  newschedule(L, SLOPE_SCHEDULE_CONSTANT, checklr(L, "constant"));
  return 1;
}

/* step(lr, drop, every) */
static int schedule_step(lua_State *L) {
  const char *fname = "step";
  double lr = checklr(L, fname);
  double drop = checkrange(L, 2, fname, 0, 0, 1, "number in (0, 1]");
  long every = checkcount(L, 3, fname, 1, "integer >= 1");
  slope_schedule *s = newschedule(L, SLOPE_SCHEDULE_STEP, lr);
  s->p.step.drop = drop;
  s->p.step.every = every;
  return 1;
}

/* exponential(lr, gamma) */
static int schedule_exponential(lua_State *L) {
  const char *fname = "exponential";
  double lr = checklr(L, fname);
  double gamma = checkrange(L, 2, fname, 0, 0, 1, "number in (0, 1]");
  newschedule(L, SLOPE_SCHEDULE_EXPONENTIAL, lr)->p.exponential.gamma = gamma;
  return 1;
}

/* inverse_time(lr, decay [, power = 1]) */
static int schedule_inverse_time(lua_State *L) {
  const char *fname = "inverse_time";
  double lr = checklr(L, fname);
  double decay =
      checkrange(L, 2, fname, 0, 1, HUGE_VAL, "non-negative number");
  double power =
      lua_isnoneornil(L, 3)
          ? 1
          : checkrange(L, 3, fname, 0, 0, HUGE_VAL, "positive number");
  slope_schedule *s = newschedule(L, SLOPE_SCHEDULE_INVERSE_TIME, lr);
  s->p.inverse_time.decay = decay;
  s->p.inverse_time.power = power;
  return 1;
}

/* Format x as Lua prints floats, less the ".0" ("0.1", "100"). */
static const char *fmtnum(char *buf, size_t size, double x) {
  snprintf(buf, size, "%.14g", x);
  return buf;
}

/* cosine(lr, period [, lr_min = 0 [, restart = false [, mult = 1]]]) */
static int schedule_cosine(lua_State *L) {
  const char *fname = "cosine";
  double lr = checklr(L, fname), lr_min = 0;
  long period = checkcount(L, 2, fname, 1, "integer >= 1"), mult = 1;
  int restart = 0;
  slope_schedule *s;
  if (!lua_isnoneornil(L, 3)) {
    char buf[32];
    lua_pushfstring(L, "number in [0, %s]", fmtnum(buf, sizeof buf, lr));
    lr_min = checkrange(L, 3, fname, 0, 1, lr, lua_tostring(L, -1));
    lua_pop(L, 1);
  }
  if (!lua_isnoneornil(L, 4)) {
    if (lua_type(L, 4) != LUA_TBOOLEAN)
      typeerror(L, 4, fname, "boolean");
    restart = lua_toboolean(L, 4);
  }
  if (!lua_isnoneornil(L, 5)) {
    mult = checkcount(L, 5, fname, 1, "integer >= 1");
    if (mult != 1 && !restart)
      argerror(L, 5, fname, "a period multiplier needs restart = true");
  }
  s = newschedule(L, SLOPE_SCHEDULE_COSINE, lr);
  s->p.cosine.lr_min = lr_min;
  s->p.cosine.period = period;
  s->p.cosine.mult = mult;
  s->p.cosine.restart = restart;
  return 1;
}

/* warmup(s, k_warm): the ramp ends at s(0), which the warmup records. */
static int schedule_warmup(lua_State *L) {
  const char *fname = "warmup";
  slope_schedule *base = slope_schedule_test(L, 1), *s;
  long k_warm;
  if (base == NULL)
    typeerror(L, 1, fname, "schedule");
  k_warm = checkcount(L, 2, fname, 1, "integer >= 1");
  s = newschedule(L, SLOPE_SCHEDULE_WARMUP, slope_schedule_lr(base, 0));
  s->p.warmup.base = base;
  s->p.warmup.k_warm = k_warm;
  lua_pushvalue(L, 1);
  lua_setiuservalue(L, -2, 1); /* keeps base alive */
  return 1;
}

/* s(k): the rate at iteration k, an integer >= 0. */
static int schedule_call(lua_State *L) {
  slope_schedule *s = (slope_schedule *)luaL_checkudata(L, 1, SLOPE_SCHEDULE);
  int isint;
  lua_Integer k = lua_tointegerx(L, 2, &isint);
  if (lua_type(L, 2) != LUA_TNUMBER || !isint || k < 0) {
    /* k is argument #1 of s(k) */
    const char *got = lua_type(L, 2) == LUA_TNUMBER
                          ? luaL_tolstring(L, 2, NULL)
                          : slope_kindname(L, 2);
    return argerror(
        L, 1, "schedule",
        lua_pushfstring(
            L, "%s expected, got %s",
            lua_type(L, 2) == LUA_TNUMBER ? "integer >= 0" : "number", got));
  }
#if LUA_MAXINTEGER > LONG_MAX
  if (k > LONG_MAX)
    k = LONG_MAX;
#endif
  lua_pushnumber(L, slope_schedule_lr(s, (long)k));
  return 1;
}

/* tostring(s): "schedule.cosine(lr=0.1, period=100, lr_min=0)". */
static int schedule_tostring(lua_State *L) {
  slope_schedule *s = (slope_schedule *)luaL_checkudata(L, 1, SLOPE_SCHEDULE);
  char lr[32], a[32], b[32];
  const char *name = kindnames[s->kind];
  fmtnum(lr, sizeof lr, s->lr);
  switch (s->kind) {
  case SLOPE_SCHEDULE_CONSTANT:
    lua_pushfstring(L, "schedule.%s(lr=%s)", name, lr);
    break;
  case SLOPE_SCHEDULE_STEP:
    lua_pushfstring(L, "schedule.%s(lr=%s, drop=%s, every=%I)", name, lr,
                    fmtnum(a, sizeof a, s->p.step.drop),
                    (lua_Integer)s->p.step.every);
    break;
  case SLOPE_SCHEDULE_EXPONENTIAL:
    lua_pushfstring(L, "schedule.%s(lr=%s, gamma=%s)", name, lr,
                    fmtnum(a, sizeof a, s->p.exponential.gamma));
    break;
  case SLOPE_SCHEDULE_INVERSE_TIME:
    lua_pushfstring(L, "schedule.%s(lr=%s, decay=%s, power=%s)", name, lr,
                    fmtnum(a, sizeof a, s->p.inverse_time.decay),
                    fmtnum(b, sizeof b, s->p.inverse_time.power));
    break;
  case SLOPE_SCHEDULE_COSINE:
    lua_pushfstring(L, "schedule.%s(lr=%s, period=%I, lr_min=%s", name, lr,
                    (lua_Integer)s->p.cosine.period,
                    fmtnum(a, sizeof a, s->p.cosine.lr_min));
    if (s->p.cosine.restart)
      lua_pushfstring(L, ", restart=true, mult=%I)",
                      (lua_Integer)s->p.cosine.mult);
    else
      lua_pushliteral(L, ")");
    lua_concat(L, 2);
    break;
  case SLOPE_SCHEDULE_WARMUP:
    lua_getiuservalue(L, 1, 1);
    lua_pushfstring(L, "schedule.%s(%s, k_warm=%I)", name,
                    luaL_tolstring(L, -1, NULL),
                    (lua_Integer)s->p.warmup.k_warm);
    break;
  }
  return 1;
}

/* Push parameter key of s (a string), or return 0 if s has none such. */
static int pushparam(lua_State *L, const slope_schedule *s, const char *key) {
#define NUM(name, v)                                                          \
  if (strcmp(key, name) == 0) {                                               \
    lua_pushnumber(L, v);                                                     \
    return 1;                                                                 \
  }
#define INT(name, v)                                                          \
  if (strcmp(key, name) == 0) {                                               \
    lua_pushinteger(L, (lua_Integer)(v));                                     \
    return 1;                                                                 \
  }
  if (s->kind != SLOPE_SCHEDULE_WARMUP) {
    NUM("lr", s->lr)
  }
  switch (s->kind) {
  case SLOPE_SCHEDULE_STEP:
    NUM("drop", s->p.step.drop)
    INT("every", s->p.step.every)
    break;
  case SLOPE_SCHEDULE_EXPONENTIAL:
    NUM("gamma", s->p.exponential.gamma)
    break;
  case SLOPE_SCHEDULE_INVERSE_TIME:
    NUM("decay", s->p.inverse_time.decay)
    NUM("power", s->p.inverse_time.power)
    break;
  case SLOPE_SCHEDULE_COSINE:
    INT("period", s->p.cosine.period)
    NUM("lr_min", s->p.cosine.lr_min)
    INT("mult", s->p.cosine.mult)
    if (strcmp(key, "restart") == 0) {
      lua_pushboolean(L, s->p.cosine.restart);
      return 1;
    }
    break;
  case SLOPE_SCHEDULE_WARMUP:
    INT("k_warm", s->p.warmup.k_warm)
    if (strcmp(key, "base") == 0) {
      lua_getiuservalue(L, 1, 1);
      return 1;
    }
    break;
  default:
    break;
  }
  return 0;
#undef NUM
#undef INT
}

/* s.kind ("cosine"), and the constructor's parameters by name (s.lr,
** s.period, ...; a warmup's base schedule as s.base); nil otherwise. */
static int schedule_index(lua_State *L) {
  slope_schedule *s = (slope_schedule *)luaL_checkudata(L, 1, SLOPE_SCHEDULE);
  const char *key = lua_type(L, 2) == LUA_TSTRING ? lua_tostring(L, 2) : "";
  if (strcmp(key, "kind") == 0)
    lua_pushstring(L, kindnames[s->kind]);
  else if (!pushparam(L, s, key))
    lua_pushnil(L);
  return 1;
}

static const luaL_Reg schedule_metamethods[] = {
    {"__call", schedule_call},
    {"__index", schedule_index},
    {"__tostring", schedule_tostring},
    {NULL, NULL}};

/* Push the metatable, building it on first use (so that C callers can
** make schedules before slope_open_schedule). */
static void pushmeta(lua_State *L) {
  if (luaL_newmetatable(L, SLOPE_SCHEDULE))
    luaL_setfuncs(L, schedule_metamethods, 0);
}

/* }====================================================== */

static const luaL_Reg schedule_funcs[] = {
    {"constant", schedule_constant},
    {"cosine", schedule_cosine},
    {"exponential", schedule_exponential},
    {"inverse_time", schedule_inverse_time},
    {"step", schedule_step},
    {"warmup", schedule_warmup},
    {NULL, NULL}};

int slope_open_schedule(lua_State *L) {
  pushmeta(L);
  lua_pop(L, 1);
  luaL_newlib(L, schedule_funcs);
  return 1;
}
