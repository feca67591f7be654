/*
** scalar.c: core.scalar.minimize_scalar, the minimum of a Lua function of
** one number on an interval [a, b] by GSL's one-dimensional minimizers
** (Brent, golden section, quad-golden), or from a start x0 once a
** bracket has been found downhill.
**
** GSL needs a point m inside [a, b] lower than both ends. It is sought
** among the two golden-section points, then a scan; failing that the
** minimum is at an end, approached geometrically in case it lies just
** inside. From a start, steps grow by the golden ratio downhill until f
** rises again.
**
** f is only ever called under lua_pcall, as in numdiff.c: an error is
** stashed in a stack slot, every later evaluation returns NaN without
** calling Lua (so GSL stops at once), and the error is raised again once
** the minimizer is freed. The minimizer lives in a to-be-closed userdata,
** so an error raised anywhere else (out of memory) frees it too. GSL's
** error handler is off (core.c): every status it returns is checked.
*/
#include "config.h"

#include <float.h>
#include <math.h>
#include <string.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_math.h>
#include <gsl/gsl_min.h>

#include <lauxlib.h>
#include <lua.h>

#include "interrupt.h"
#include "optim/progress.h"
#include "optim/scalar.h"
#include "vec.h"

#define FNAME "minimize_scalar"
#define SLOPE_SCALAR_MINIMIZER "slope.scalar.minimizer"

/* Arguments (opts moved to ARG_OPTS when it came third), then slots. */
enum {
  ARG_F = 1,
  ARG_A,
  ARG_B,
  ARG_OPTS,
  SLOT_BOX,   /* the minimizer (to-be-closed) */
  SLOT_ERR,   /* the error f or the callback raised, once one has */
  SLOT_CB,    /* opts.callback, or nil */
  SLOT_TRACE, /* the trace, or nil */
  SLOT_MSG    /* result.message */
};

#define GOLDEN 0.3819660112501051 /* (3 - sqrt 5) / 2 */
#define GROW 1.618033988749895    /* (1 + sqrt 5) / 2 */

/* Interior points scanned when the golden-section points are no lower
** than the ends; downhill expansions from a start before "unbounded". */
#define SCAN 16
#define MAXEXPAND 50

/* Methods by name; the first is the default. Default tolerances: the
** finest bracket each reaches. Brent never samples closer than
** sqrt(eps) |x| to its best point, quad-golden than 1e-6 |x| + 1e-10, so
** their brackets stop shrinking at about twice that. */
typedef struct Method {
  const char *name;
  const gsl_min_fminimizer_type *const *type;
  double xtol, rtol;
} Method;

static const Method methods[] = {
    {"brent", &gsl_min_fminimizer_brent, 1e-10, 4 * GSL_SQRT_DBL_EPSILON},
    {"golden", &gsl_min_fminimizer_goldensection, 1e-10, GSL_SQRT_DBL_EPSILON},
    {"quad_golden", &gsl_min_fminimizer_quad_golden, 1e-9, 4e-6},
    {NULL, NULL, 0, 0}};

typedef struct Options {
  const Method *method;
  double xtol, rtol;
  double step; /* first step from a start; 0: max(1, |x0|) / 10 */
  lua_Integer maxiter;
  int maximize, trace, callback, bracket;
  int arg; /* where opts came, for messages */
} Options;

/* Why f may not be called again. */
enum { RUNNING, HALT_ERROR, HALT_INTERRUPTED, HALT_NAN, HALT_UNBOUNDED };

/* Calls of f: sign * f(x) is what is minimised. */
typedef struct Eval {
  lua_State *L;
  double sign; /* -1 to maximise */
  double x;    /* the point of the call under way */
  lua_Integer nf;
  int halt;
  double lastx;        /* the latest point evaluated */
  double bestx, bestf; /* the lowest value seen (bestf NaN before any) */
} Eval;

/* A bracket for GSL: lo < m < hi, fm below flo and fhi. */
typedef struct Bracket {
  double lo, m, hi;
  double flo, fm, fhi;
} Bracket;

typedef struct Run {
  lua_State *L;
  Options o;
  Eval e;
  lua_Integer iter;
  const char *status; /* NULL while running or halted */
  int answered;       /* x, f hold the answer (else the best seen) */
  double x, f;        /* sign * f */
  double lo, hi;      /* the bracket reported */
} Run;

/* The minimizer, freed by __close or __gc, whichever comes first. */
typedef struct Box {
  gsl_min_fminimizer *s;
} Box;

static void freebox(Box *b) {
  if (b->s != NULL) {
    gsl_min_fminimizer_free(b->s);
    b->s = NULL;
  }
}

static int box_free(lua_State *L) {
  freebox((Box *)luaL_checkudata(L, 1, SLOPE_SCALAR_MINIMIZER));
  return 0;
}


/*
** {======================================================
** Arguments
** =======================================================
*/

/* Messages name the function the same way however it was reached. */
static int argerror(lua_State *L, int arg, const char *msg) {
  return luaL_error(L, "bad argument #%d to '" FNAME "' (%s)", arg, msg);
}

static int typeerror(lua_State *L, int arg, const char *expected) {
  return argerror(L, arg,
                  lua_pushfstring(L, "%s expected, got %s", expected,
                                  slope_kindname(L, arg)));
}

/* "-2.385", "table": what the value on top of the stack is. */
static const char *gotten(lua_State *L) {
  if (lua_type(L, -1) == LUA_TNUMBER)
    return luaL_tolstring(L, -1, NULL);
  return slope_kindname(L, -1);
}

/* f at idx: a function or a value with a __call metamethod. */
static int iscallable(lua_State *L, int idx) {
  if (lua_type(L, idx) == LUA_TFUNCTION)
    return 1;
  if (luaL_getmetafield(L, idx, "__call") != LUA_TNIL) {
    lua_pop(L, 1);
    return 1;
  }
  return 0;
}

/* A finite number at arg. */
static double checkfinite(lua_State *L, int arg) {
  double v;
  if (lua_type(L, arg) != LUA_TNUMBER)
    typeerror(L, arg, "number");
  v = lua_tonumber(L, arg);
  if (!isfinite(v))
    argerror(L, arg, lua_pushfstring(L, "finite number expected, got %f", v));
  return v;
}

static void fielderror(lua_State *L, const Options *o, const char *k,
                       const char *what) {
  argerror(
      L, o->arg,
      lua_pushfstring(L, "field '%s' must be %s, got %s", k, what, gotten(L)));
}

/* opts[k]: a finite number >= 0 (> 0 if positive), or def when absent. */
static double numberfield(lua_State *L, const Options *o, const char *k,
                          double def, int positive) {
  double v = def;
  if (lua_getfield(L, ARG_OPTS, k) != LUA_TNIL) {
    v = lua_tonumber(L, -1);
    if (lua_type(L, -1) != LUA_TNUMBER || !isfinite(v) || v < 0 ||
        (positive && v == 0))
      fielderror(L, o, k,
                 positive ? "a positive number" : "a non-negative number");
  }
  lua_pop(L, 1);
  return v;
}

static int booleanfield(lua_State *L, const Options *o, const char *k) {
  int v = 0;
  if (lua_getfield(L, ARG_OPTS, k) != LUA_TNIL) {
    if (lua_type(L, -1) != LUA_TBOOLEAN)
      fielderror(L, o, k, "a boolean");
    v = lua_toboolean(L, -1);
  }
  lua_pop(L, 1);
  return v;
}

/* Any field of opts not in this list is an error (a misspelt tolerance
** would otherwise be silently ignored). */
static void checkfieldnames(lua_State *L, const Options *o) {
  static const char *const names[] = {
      "bracket", "callback", "maximize", "maxiter", "method",
      "rtol",    "step",     "trace",    "xtol",    NULL};
  int k;
  lua_pushnil(L);
  while (lua_next(L, ARG_OPTS) != 0) {
    lua_pop(L, 1); /* the value */
    for (k = 0; lua_type(L, -1) == LUA_TSTRING && names[k] != NULL; k++)
      if (strcmp(lua_tostring(L, -1), names[k]) == 0)
        break;
    if (lua_type(L, -1) != LUA_TSTRING || names[k] == NULL) {
      const char *q = lua_type(L, -1) == LUA_TSTRING ? "'" : "";
      const char *key = luaL_tolstring(L, -1, NULL);
      argerror(L, o->arg,
               lua_pushfstring(L, "unknown field %s%s%s", q, key, q));
    }
  }
}

/* The options at ARG_OPTS (nil or a table); fills SLOT_CB. */
static void checkoptions(lua_State *L, Options *o) {
  int k;
  o->method = &methods[0];
  if (lua_isnil(L, ARG_OPTS)) {
    o->xtol = o->method->xtol;
    o->rtol = o->method->rtol;
    o->step = 0;
    o->maxiter = 500;
    o->maximize = o->trace = o->callback = o->bracket = 0;
    return;
  }
  if (lua_type(L, ARG_OPTS) != LUA_TTABLE)
    typeerror(L, o->arg, "table or nil");
  checkfieldnames(L, o);
  if (lua_getfield(L, ARG_OPTS, "method") != LUA_TNIL) {
    const char *name =
        lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : "";
    for (k = 0; methods[k].name != NULL; k++)
      if (strcmp(name, methods[k].name) == 0)
        break;
    if (methods[k].name == NULL)
      argerror(L, o->arg,
               "field 'method' must be one of brent, golden, quad_golden");
    o->method = &methods[k];
  }
  lua_pop(L, 1);
  o->xtol = numberfield(L, o, "xtol", o->method->xtol, 0);
  o->rtol = numberfield(L, o, "rtol", o->method->rtol, 0);
  o->step = numberfield(L, o, "step", 0, 1);
  o->maxiter = 500;
  if (lua_getfield(L, ARG_OPTS, "maxiter") != LUA_TNIL) {
    int isint;
    o->maxiter = lua_tointegerx(L, -1, &isint);
    if (lua_type(L, -1) != LUA_TNUMBER || !isint || o->maxiter < 0)
      fielderror(L, o, "maxiter", "a non-negative integer");
  }
  lua_pop(L, 1);
  o->maximize = booleanfield(L, o, "maximize");
  o->trace = booleanfield(L, o, "trace");
  o->bracket = booleanfield(L, o, "bracket");
  o->callback = lua_getfield(L, ARG_OPTS, "callback") != LUA_TNIL;
  if (o->callback && !iscallable(L, -1))
    fielderror(L, o, "callback", "a function");
  lua_replace(L, SLOT_CB);
}

/* }====================================================== */

/*
** {======================================================
** Calling Lua
** =======================================================
*/

/* Under lua_pcall: f(e->x), which must be a number. Arguments: the Eval
** (light userdata) and f. */
static int protectedcall(lua_State *L) {
  Eval *e = (Eval *)lua_touserdata(L, 1);
  lua_settop(L, 2);
  lua_pushnumber(L, e->x);
  lua_call(L, 1, 1);
  if (lua_type(L, -1) != LUA_TNUMBER)
    return luaL_error(L, FNAME ": f returned a %s, not a number",
                      slope_kindname(L, -1));
  return 1;
}

/* Is the error on top the one Ctrl-C raises through its hook
** ("interrupted!", after the position of the Lua code it stopped)? A
** Ctrl-C mostly lands while Lua runs f, so most arrive this way. */
static int isinterrupt(lua_State *L) {
  static const char msg[] = "interrupted!";
  size_t len, n = sizeof msg - 1;
  const char *s;
  if (lua_type(L, -1) != LUA_TSTRING)
    return 0;
  s = lua_tolstring(L, -1, &len);
  return len >= n && memcmp(s + len - n, msg, n) == 0 &&
         (len == n ||
          (len >= n + 2 && s[len - n - 2] == ':' && s[len - n - 1] == ' '));
}

/* A Lua call failed: stash its error, or take it as Ctrl-C. */
static void failed(Eval *e) {
  e->halt = isinterrupt(e->L) ? HALT_INTERRUPTED : HALT_ERROR;
  lua_replace(e->L, SLOT_ERR);
}

/* sign * f(x), counted; the lowest value is kept. NaN at once after a
** halt: an error, NaN or -inf from f, or Ctrl-C. */
static double value(Eval *e, double x) {
  lua_State *L = e->L;
  double y;
  if (e->halt != RUNNING)
    return GSL_NAN;
  e->x = x;
  e->nf++;
  lua_pushcfunction(L, protectedcall);
  lua_pushlightuserdata(L, e);
  lua_pushvalue(L, ARG_F);
  if (lua_pcall(L, 2, 1, 0) != LUA_OK) {
    failed(e);
    return GSL_NAN;
  }
  y = e->sign * lua_tonumber(L, -1);
  lua_pop(L, 1);
  e->lastx = x;
  if (isnan(y)) {
    e->halt = HALT_NAN;
    return y;
  }
  if (!(y >= e->bestf)) {
    e->bestx = x;
    e->bestf = y;
  }
  if (y == -HUGE_VAL)
    e->halt = HALT_UNBOUNDED;
  return y;
}

/* +inf (outside f's domain, say) is merely very high to GSL, which takes
** any value that is not finite for an error. */
static double forgsl(double y) {
  return y > DBL_MAX ? DBL_MAX : y;
}

/* GSL's view of f. */
static double gslvalue(double x, void *params) {
  return forgsl(value((Eval *)params, x));
}

/* Must the run end? Takes a pending Ctrl-C between evaluations. */
static int halted(Eval *e) {
  if (e->halt == RUNNING && slope_interrupt_take(e->L))
    e->halt = HALT_INTERRUPTED;
  return e->halt != RUNNING;
}

/* Push {iter =, x =, f =, a =, b =} (f as the user's f). */
static void pushstate(Run *r, double x, double f, double lo, double hi) {
  lua_State *L = r->L;
  lua_createtable(L, 0, 5);
  lua_pushinteger(L, r->iter);
  lua_setfield(L, -2, "iter");
  lua_pushnumber(L, x);
  lua_setfield(L, -2, "x");
  lua_pushnumber(L, r->e.sign * f);
  lua_setfield(L, -2, "f");
  lua_pushnumber(L, lo);
  lua_setfield(L, -2, "a");
  lua_pushnumber(L, hi);
  lua_setfield(L, -2, "b");
}

/* After an iteration: the trace record, then the callback (under
** lua_pcall: its error halts the run like one of f). 1 if it asks to
** stop. */
static int report(Run *r, double x, double f, double lo, double hi) {
  lua_State *L = r->L;
  int stop;
  if (r->o.trace) {
    pushstate(r, x, f, lo, hi);
    lua_rawseti(L, SLOT_TRACE, (lua_Integer)lua_rawlen(L, SLOT_TRACE) + 1);
  }
  if (!r->o.callback)
    return 0;
  lua_pushvalue(L, SLOT_CB);
  pushstate(r, x, f, lo, hi);
  if (lua_pcall(L, 1, 1, 0) != LUA_OK) {
    failed(&r->e);
    return 0;
  }
  stop = lua_toboolean(L, -1);
  lua_pop(L, 1);
  return stop;
}

/* }====================================================== */

/*
** {======================================================
** Bracketing
** =======================================================
*/

/* p becomes the interior point if it is lower than both ends. */
static int interior(Bracket *b, double p, double fp) {
  if (!(p > b->lo && p < b->hi && fp < b->flo && fp < b->fhi))
    return 0;
  b->m = p;
  b->fm = fp;
  return 1;
}

/* End the run with x, f as the answer. */
static void answer(Run *r, const char *status, double x, double f, double lo,
                   double hi) {
  r->status = status;
  r->answered = 1;
  r->x = x;
  r->f = f;
  r->lo = GSL_MIN(lo, hi);
  r->hi = GSL_MAX(lo, hi);
}

/* The interior point of [b->lo, b->hi] (f known at both): a
** golden-section point, else the lowest of those and SCAN evenly spaced
** points. Failing that, the minimum is at the lower end e, unless it lies
** just inside: probes at distances shrinking by GOLDEN from the scan's
** spacing, until e is located within the tolerance. 1: b is a bracket
** for GSL; 0: the run has ended (an answer at e, or a halt). */
static int findinterior(Run *r, Bracket *b) {
  Eval *e = &r->e;
  double w = b->hi - b->lo, p, fp, best = HUGE_VAL, bestp = b->lo;
  double first = HUGE_VAL, last = HUGE_VAL; /* f at the outer scan points */
  double end, fend, dir, h, prev, fprev;
  int k;
  for (k = 0; k < 2; k++) {
    p = k == 0 ? b->lo + GOLDEN * w : b->hi - GOLDEN * w;
    fp = value(e, p);
    if (halted(e))
      return 0;
    if (interior(b, p, fp))
      return 1;
    if (fp < best)
      best = fp, bestp = p;
  }
  for (k = 1; k <= SCAN; k++) {
    p = b->lo + w * k / (SCAN + 1);
    fp = value(e, p);
    if (halted(e))
      return 0;
    if (fp < best)
      best = fp, bestp = p;
    if (k == 1)
      first = fp;
    if (k == SCAN)
      last = fp;
  }
  if (interior(b, bestp, best))
    return 1;
  /* every point probed is at least min(flo, fhi) */
  if (b->flo <= b->fhi)
    end = b->lo, fend = b->flo, dir = 1, fprev = first;
  else
    end = b->hi, fend = b->fhi, dir = -1, fprev = last;
  h = w / (SCAN + 1);
  prev = end + dir * h;
  while (gsl_min_test_interval(GSL_MIN(end, prev), GSL_MAX(end, prev),
                               r->o.xtol, r->o.rtol) != GSL_SUCCESS) {
    h *= GOLDEN;
    p = end + dir * h;
    if (p == end)
      break;
    fp = value(e, p);
    if (halted(e))
      return 0;
    if (fp < fend) { /* fprev >= fend > fp */
      b->m = p;
      b->fm = fp;
      if (dir > 0)
        b->hi = prev, b->fhi = fprev;
      else
        b->lo = prev, b->flo = fprev;
      return 1;
    }
    prev = p;
    fprev = fp;
  }
  answer(r, "converged", end, fend, end, prev);
  lua_pushfstring(r->L,
                  "the %s is at the boundary x = %f: f is no %s at any "
                  "point probed inside",
                  e->sign > 0 ? "minimum" : "maximum", end,
                  e->sign > 0 ? "lower" : "higher");
  lua_replace(r->L, SLOT_MSG);
  return 0;
}

/* From x0 with a first step h, downhill by steps growing by the golden
** ratio until f rises again (Numerical Recipes' mnbrak without its
** parabolic steps). Returns as findinterior. */
static int expand(Run *r, Bracket *b, double x0, double h) {
  Eval *e = &r->e;
  double xa = x0, xb = x0 + h, xc, fa, fb, fc, t;
  int k;
  fa = value(e, xa);
  fb = value(e, xb);
  if (halted(e))
    return 0;
  if (fb > fa) { /* downhill is the other way */
    t = xa, xa = xb, xb = t;
    t = fa, fa = fb, fb = t;
  }
  xc = xb + GROW * (xb - xa);
  r->lo = GSL_MIN(xa, xc), r->hi = GSL_MAX(xa, xc);
  fc = value(e, xc);
  for (k = 0; !halted(e) && fc < fb; k++) {
    double next = xc + GROW * (xc - xb);
    if (k == MAXEXPAND || !isfinite(next)) {
      r->status = "unbounded";
      lua_pushfstring(r->L,
                      "f kept %s over %d expansions of the bracket, to "
                      "%f at x = %f",
                      e->sign > 0 ? "decreasing" : "increasing", k,
                      e->sign * e->bestf, e->bestx);
      lua_replace(r->L, SLOT_MSG);
      return 0;
    }
    xa = xb, fa = fb;
    xb = xc, fb = fc;
    xc = next;
    r->lo = GSL_MIN(xa, xc), r->hi = GSL_MAX(xa, xc);
    fc = value(e, xc);
  }
  if (e->halt != RUNNING)
    return 0;
  /* fa >= fb <= fc: strictly, a bracket; with a tie, search it */
  b->lo = GSL_MIN(xa, xc), b->hi = GSL_MAX(xa, xc);
  b->flo = xa < xc ? fa : fc, b->fhi = xa < xc ? fc : fa;
  b->m = xb, b->fm = fb;
  r->lo = b->lo, r->hi = b->hi;
  if (fb < fa && fb < fc)
    return 1;
  return findinterior(r, b);
}

/* }====================================================== */

/*
** {======================================================
** Minimizing
** =======================================================
*/

/* GSL's golden section gives up when a new point ties with the best
** (GSL_FAILURE). For a unimodal f the minimum lies between the two:
** restart on that interval from its midpoint if it is lower. 1 to go on;
** 0 if f is flat there (an answer) or the run halted. */
static int untie(Run *r, gsl_min_fminimizer *s, gsl_function *F) {
  double z = gsl_min_fminimizer_x_minimum(s);
  double fz = gsl_min_fminimizer_f_minimum(s), t = r->e.lastx;
  double lo = GSL_MIN(z, t), hi = GSL_MAX(z, t), m = lo + (hi - lo) / 2;
  double fm = m > lo && m < hi ? value(&r->e, m) : fz;
  if (r->e.halt != RUNNING)
    return 0;
  if (fm < fz && gsl_min_fminimizer_set_with_values(s, F, m, fm, lo, fz, hi,
                                                    fz) == GSL_SUCCESS)
    return 1;
  answer(r, "converged", z, fz, lo, hi);
  lua_pushfstring(r->L,
                  "f is flat to rounding: equal at x = %f and %f and no "
                  "lower midway",
                  lo, hi);
  lua_replace(r->L, SLOT_MSG);
  return 0;
}

/* GSL's minimizer from the bracket b until the bracket is within the
** tolerance, maxiter, the callback, Ctrl-C or a halt; GSL's best point is
** the answer. */
static void minimize(Run *r, const Bracket *b) {
  lua_State *L = r->L;
  Box *box = (Box *)lua_touserdata(L, SLOT_BOX);
  gsl_min_fminimizer *s;
  gsl_function F;
  double x, f, lo, hi;
  int status, stop = 0;
  F.function = gslvalue;
  F.params = &r->e;
  s = box->s = gsl_min_fminimizer_alloc(*r->o.method->type);
  if (s == NULL)
    luaL_error(L, "not enough memory");
  status = gsl_min_fminimizer_set_with_values(s, &F, b->m, forgsl(b->fm),
                                              b->lo, forgsl(b->flo), b->hi,
                                              forgsl(b->fhi));
  if (r->e.halt != RUNNING) { /* brent's set evaluates f once */
    answer(r, NULL, b->m, b->fm, b->lo, b->hi);
    return;
  }
  if (status != GSL_SUCCESS)
    luaL_error(L, FNAME ": %s", gsl_strerror(status));
  for (;;) {
    const char *why = NULL;
    x = gsl_min_fminimizer_x_minimum(s);
    f = gsl_min_fminimizer_f_minimum(s);
    lo = gsl_min_fminimizer_x_lower(s);
    hi = gsl_min_fminimizer_x_upper(s);
    if (r->e.halt != RUNNING)
      break;
    if (gsl_min_test_interval(lo, hi, r->o.xtol, r->o.rtol) == GSL_SUCCESS) {
      why = "converged";
      lua_pushfstring(L, "the bracket [%f, %f] is within xtol + rtol*|x|", lo,
                      hi);
    } else if (stop) {
      why = "stopped";
      lua_pushliteral(L, "the callback asked to stop");
    } else if (r->iter >= r->o.maxiter) {
      why = "maxiter";
      lua_pushfstring(L,
                      "maxiter iterations done; the bracket [%f, %f] is "
                      "still wider than xtol + rtol*|x|",
                      lo, hi);
    }
    if (why != NULL) {
      lua_replace(L, SLOT_MSG);
      answer(r, why, x, f, lo, hi);
      return;
    }
    status = gsl_min_fminimizer_iterate(s);
    if (r->e.halt != RUNNING)
      continue; /* GSL's state is as before the failed call */
    if (status == GSL_FAILURE && !untie(r, s, &F)) {
      if (r->status != NULL)
        return; /* flat: answered */
      continue;
    }
    if (status != GSL_SUCCESS && status != GSL_FAILURE)
      luaL_error(L, FNAME ": %s", gsl_strerror(status));
    r->iter++;
    stop = report(
        r, gsl_min_fminimizer_x_minimum(s), gsl_min_fminimizer_f_minimum(s),
        gsl_min_fminimizer_x_lower(s), gsl_min_fminimizer_x_upper(s));
    halted(&r->e);
  }
  answer(r, NULL, x, f, lo, hi);
}

/* }====================================================== */

static void pushbracket(lua_State *L, double lo, double hi) {
  lua_createtable(L, 2, 0);
  lua_pushnumber(L, lo);
  lua_rawseti(L, -2, 1);
  lua_pushnumber(L, hi);
  lua_rawseti(L, -2, 2);
}

/* minimize_scalar(f, a, b [, opts]) or (f, x0 [, opts]) -> result */
static int scalar_minimize(lua_State *L) {
  Run r;
  Bracket b;
  Box *box;
  double t0, a, bv = 0, x0, h;
  int found;
  luaL_checkstack(L, 20, NULL);
  if (!iscallable(L, ARG_F))
    typeerror(L, ARG_F, "function");
  a = checkfinite(L, ARG_A);
  r.o.arg = ARG_OPTS;
  lua_settop(L, ARG_OPTS);
  if (lua_type(L, ARG_B) == LUA_TTABLE && lua_isnil(L, ARG_OPTS)) {
    lua_pushnil(L); /* (f, x0, opts) */
    lua_insert(L, ARG_B);
    r.o.arg = ARG_B;
  }
  lua_settop(L, SLOT_MSG);
  if (!lua_isnil(L, ARG_B))
    bv = checkfinite(L, ARG_B);
  checkoptions(L, &r.o);
  if (!lua_isnil(L, ARG_B) && !r.o.bracket && !(a < bv))
    argerror(L, ARG_B, "b must be greater than a");
  if (!lua_isnil(L, ARG_B) && r.o.bracket && a == bv)
    argerror(L, ARG_B, "b must differ from a");
  box = (Box *)lua_newuserdatauv(L, sizeof(Box), 0);
  box->s = NULL;
  luaL_setmetatable(L, SLOPE_SCALAR_MINIMIZER);
  lua_replace(L, SLOT_BOX);
  lua_toclose(L, SLOT_BOX);
  if (r.o.trace) {
    lua_newtable(L);
    lua_replace(L, SLOT_TRACE);
  }
  r.L = L;
  r.iter = 0;
  r.status = NULL;
  r.answered = 0;
  r.x = r.f = GSL_NAN;
  r.e.L = L;
  r.e.sign = r.o.maximize ? -1 : 1;
  r.e.nf = 0;
  r.e.halt = RUNNING;
  r.e.x = r.e.lastx = r.e.bestx = a;
  r.e.bestf = GSL_NAN;
  t0 = slope_now();
  if (lua_isnil(L, ARG_B) || r.o.bracket) { /* from a start */
    x0 = a;
    h = lua_isnil(L, ARG_B) ? r.o.step : bv - a;
    if (h == 0)
      h = GSL_MAX(1, fabs(x0)) / 10;
    r.lo = GSL_MIN(x0, x0 + h), r.hi = GSL_MAX(x0, x0 + h);
    found = expand(&r, &b, x0, h);
  } else {
    b.lo = r.lo = a, b.hi = r.hi = bv;
    b.flo = value(&r.e, a);
    b.fhi = value(&r.e, bv);
    found = !halted(&r.e) && findinterior(&r, &b);
  }
  if (found)
    minimize(&r, &b);
  freebox(box); /* before raising: GSL is done */
  if (r.e.halt == HALT_ERROR) {
    lua_pushvalue(L, SLOT_ERR);
    return lua_error(L);
  }
  if (r.e.halt == HALT_UNBOUNDED || !r.answered) {
    r.x = r.e.bestx;
    r.f = r.e.bestf;
  }
  switch (r.e.halt) {
  case HALT_INTERRUPTED:
    r.status = "interrupted";
    lua_pushliteral(L, "interrupted (Ctrl-C); the best point so far is "
                       "returned");
    lua_replace(L, SLOT_MSG);
    break;
  case HALT_NAN:
    r.status = "nan";
    lua_pushfstring(L,
                    "f returned NaN at x = %f; the best point so far is "
                    "returned",
                    r.e.lastx);
    lua_replace(L, SLOT_MSG);
    break;
  case HALT_UNBOUNDED:
    r.status = "unbounded";
    lua_pushfstring(L, "f is %s at x = %f", r.e.sign > 0 ? "-inf" : "inf",
                    r.e.bestx);
    lua_replace(L, SLOT_MSG);
    break;
  }
  lua_createtable(L, 0, 11);
  lua_pushnumber(L, r.x);
  lua_setfield(L, -2, "x");
  lua_pushnumber(L, r.e.sign * r.f);
  lua_setfield(L, -2, "f");
  lua_pushinteger(L, r.iter);
  lua_setfield(L, -2, "iterations");
  lua_createtable(L, 0, 1);
  lua_pushinteger(L, r.e.nf);
  lua_setfield(L, -2, "f");
  lua_setfield(L, -2, "evaluations");
  lua_pushstring(L, r.status);
  lua_setfield(L, -2, "status");
  lua_pushvalue(L, SLOT_MSG);
  lua_setfield(L, -2, "message");
  lua_pushstring(L, r.o.method->name);
  lua_setfield(L, -2, "method");
  pushbracket(L, r.lo, r.hi);
  lua_setfield(L, -2, "bracket");
  lua_pushnumber(L, slope_now() - t0);
  lua_setfield(L, -2, "time");
  if (r.o.trace) {
    lua_pushvalue(L, SLOT_TRACE);
    lua_setfield(L, -2, "trace");
  }
  return 1;
}

static const luaL_Reg scalar_funcs[] = {{"minimize_scalar", scalar_minimize},
                                        {NULL, NULL}};

static const luaL_Reg box_meta[] = {
    {"__gc", box_free}, {"__close", box_free}, {NULL, NULL}};

int slope_open_scalar(lua_State *L) {
  luaL_newmetatable(L, SLOPE_SCALAR_MINIMIZER);
  luaL_setfuncs(L, box_meta, 0);
  lua_pop(L, 1);
  luaL_newlib(L, scalar_funcs);
  return 1;
}
