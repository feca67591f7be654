/*
** numdiff.c: slope.numdiff's native part: derivatives, gradients and
** Hessians of Lua functions by finite differences, each with an estimate
** of its error.
**
** f is only ever called under lua_pcall, from GSL's callbacks as from our
** own loops: an error is stashed in a stack slot, every later evaluation
** returns NaN without calling Lua (so GSL runs out at once), and the error
** is raised again once GSL has returned. f gets a fresh vector on every
** call, so whatever it keeps of its argument stays valid.
*/
#include "config.h"

#include <float.h>
#include <math.h>
#include <string.h>

#include <gsl/gsl_deriv.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_machine.h>
#include <gsl/gsl_math.h>

#include <lauxlib.h>
#include <lua.h>

#include "numdiff.h"
#include "vec.h"

/* Arguments of every entry point, then the slots each lays out above them. */
#define ARG_F 1
#define ARG_X 2
#define ARG_OPTS 3
#define SLOT_ERR 4   /* the error f raised, once it has */
#define SLOT_BASE 5  /* the point, copied (a vector) */
#define SLOT_STEPS 6 /* opts.h as a vector, or nil */

#define NONE ((size_t)-1) /* no axis */

/* Relative error assumed in one value of f: a few ulps. */
#define NOISE (4 * DBL_EPSILON)

/* Richardson extrapolation of second differences: at most LEVELS step
** halvings; stop once the rounding error of a level alone is SAFE times
** the best error seen (it grows fourfold with every halving). */
#define LEVELS 14
#define SAFE 2.0

/* gsl_deriv_central from a step where f is not finite (out of its
** domain): retry with the step divided by 16, this many times. */
#define RETRIES 4

enum { M_FORWARD, M_CENTRAL, M_RICHARDSON };
static const char *const methodnames[] = {"forward", "central", "richardson",
                                          NULL};

/* Default steps, relative to max(1, |x_i|): per method, first and second
** derivatives. Each balances truncation against rounding for its rule; a
** Richardson step is the first of several (GSL adapts its own, the Hessian
** halves it LEVELS times). */
static const double step1[] = {GSL_SQRT_DBL_EPSILON, GSL_ROOT3_DBL_EPSILON,
                               GSL_ROOT5_DBL_EPSILON};
static const double step2[] = {GSL_ROOT3_DBL_EPSILON, GSL_ROOT4_DBL_EPSILON,
                               0.0625};

typedef struct Options {
  int method;
  int estimate;     /* return error estimates */
  double h;         /* one step for every axis, or 0 */
  const double *hv; /* a step per axis, or NULL */
} Options;

/* One differentiation: f at the base point moved along at most two axes. */
typedef struct Eval {
  lua_State *L;
  const char *fname; /* the entry point, for messages */
  int failed;        /* f raised: call it no more */
  int scalar;        /* f takes a number, not a vector */
  size_t n;
  const double *x; /* base point */
  size_t i, j;     /* moved axes, or NONE */
  double xi, xj;   /* their coordinates */
} Eval;

/*
** {======================================================
** Arguments
** =======================================================
*/

/* luaL_argerror with a fixed function name, so a message reads the same
** however the function was reached (a local alias, pcall). */
static int argerror(lua_State *L, int arg, const char *fname,
                    const char *msg) {
  return luaL_error(L, "bad argument #%d to '%s' (%s)", arg, fname, msg);
}

static int typeerror(lua_State *L, int arg, const char *fname,
                     const char *expected) {
  return argerror(
      L, arg, fname,
      lua_pushfstring(L, "%s expected, got %s", expected, slope_kindname(L, arg)));
}

/* f: a function or a value with a __call metamethod. */
static void checkfunction(lua_State *L, const char *fname) {
  if (lua_type(L, ARG_F) == LUA_TFUNCTION)
    return;
  if (luaL_getmetafield(L, ARG_F, "__call") != LUA_TNIL) {
    lua_pop(L, 1);
    return;
  }
  typeerror(L, ARG_F, fname, "function");
}

/* Copy the point at ARG_X (a vector or a Lua array, whose entries are
** checked here) into a new vector in SLOT_BASE. */
static slope_vec *checkpoint(lua_State *L, const char *fname) {
  slope_vec *v = slope_vec_test(L, ARG_X), *base;
  size_t n, i;
  if (v != NULL) {
    base = slope_vec_push(L, v->n);
    if (v->n > 0)
      memcpy(base->data, v->data, v->n * sizeof(double));
  } else if (lua_type(L, ARG_X) == LUA_TTABLE) {
    n = (size_t)lua_rawlen(L, ARG_X);
    base = slope_vec_push(L, n);
    for (i = 0; i < n; i++) {
      if (lua_rawgeti(L, ARG_X, (lua_Integer)i + 1) != LUA_TNUMBER)
        argerror(L, ARG_X, fname,
                 lua_pushfstring(L, "number expected at [%I], got %s",
                                 (lua_Integer)i + 1, luaL_typename(L, -1)));
      base->data[i] = lua_tonumber(L, -1);
      lua_pop(L, 1);
    }
  } else
    return NULL; /* checked by the caller */
  lua_replace(L, SLOT_BASE);
  return base;
}

static int positive(double h) {
  return h > 0 && isfinite(h);
}

/* "-2.385", "table": what the value on top of the stack is. */
static const char *gotten(lua_State *L) {
  if (lua_type(L, -1) == LUA_TNUMBER)
    return luaL_tolstring(L, -1, NULL);
  return slope_kindname(L, -1);
}

/* opts.h, on top of the stack: a positive number, or (peraxis: a gradient
** or Hessian) a vector or array of n positive numbers, converted into
** SLOT_STEPS. */
static void checksteps(lua_State *L, const char *fname, int peraxis, size_t n,
                       Options *o) {
  slope_vec *v;
  size_t i;
  int top = lua_gettop(L);
  if (lua_type(L, -1) == LUA_TNUMBER) {
    o->h = lua_tonumber(L, -1);
    if (!positive(o->h))
      argerror(L, ARG_OPTS, fname,
               lua_pushfstring(L, "opts.h must be a positive number, got %s",
                               gotten(L)));
    return;
  }
  if (!peraxis ||
      (slope_vec_test(L, -1) == NULL && lua_type(L, -1) != LUA_TTABLE))
    argerror(L, ARG_OPTS, fname,
             lua_pushfstring(L, "opts.h must be a positive number%s, got %s",
                             peraxis ? " or a vec" : "", gotten(L)));
  if (lua_type(L, -1) == LUA_TTABLE) {
    size_t len = (size_t)lua_rawlen(L, top);
    v = slope_vec_push(L, len);
    for (i = 0; i < len; i++) {
      if (lua_rawgeti(L, top, (lua_Integer)i + 1) != LUA_TNUMBER)
        argerror(L, ARG_OPTS, fname,
                 lua_pushfstring(L,
                                 "opts.h[%I] must be a positive number, "
                                 "got %s",
                                 (lua_Integer)i + 1, luaL_typename(L, -1)));
      v->data[i] = lua_tonumber(L, -1);
      lua_pop(L, 1);
    }
  } else {
    lua_pushvalue(L, top);
    v = slope_vec_test(L, -1);
  }
  if (v->n != n)
    argerror(L, ARG_OPTS, fname,
             lua_pushfstring(L, "opts.h must have %I entries, got %I",
                             (lua_Integer)n, (lua_Integer)v->n));
  for (i = 0; i < n; i++)
    if (!positive(v->data[i])) {
      lua_pushnumber(L, v->data[i]);
      argerror(L, ARG_OPTS, fname,
               lua_pushfstring(L,
                               "opts.h[%I] must be a positive number, "
                               "got %s",
                               (lua_Integer)i + 1, gotten(L)));
    }
  o->hv = v->data;
  lua_replace(L, SLOT_STEPS); /* the vector stays reachable from there */
}

/* The options at ARG_OPTS (nil or a table); peraxis: opts.h may give a
** step for each of n axes (gradients and Hessians). Leaves SLOT_STEPS
** filled (nil without a vector of steps). */
static void checkoptions(lua_State *L, const char *fname, int peraxis,
                         size_t n, Options *o) {
  int k;
  o->method = M_RICHARDSON;
  o->estimate = 1;
  o->h = 0;
  o->hv = NULL;
  if (lua_isnil(L, ARG_OPTS))
    return;
  if (lua_type(L, ARG_OPTS) != LUA_TTABLE)
    typeerror(L, ARG_OPTS, fname, "table or nil");
  {
    static const char *const names[] = {"estimate", "h", "method", NULL};
    const char *unknown = slope_unknownoption(L, ARG_OPTS, names);
    if (unknown != NULL)
      argerror(L, ARG_OPTS, fname, unknown);
  }
  if (lua_getfield(L, ARG_OPTS, "method") != LUA_TNIL) {
    const char *name =
        lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
    for (k = 0; name != NULL && methodnames[k] != NULL; k++)
      if (strcmp(name, methodnames[k]) == 0)
        break;
    if (name == NULL || methodnames[k] == NULL)
      argerror(L, ARG_OPTS, fname,
               lua_pushfstring(L,
                               "opts.method must be 'forward', 'central' "
                               "or 'richardson', got %s%s%s",
                               name ? "'" : "", name ? name : slope_kindname(L, -1),
                               name ? "'" : ""));
    o->method = k;
  }
  lua_pop(L, 1);
  if (lua_getfield(L, ARG_OPTS, "estimate") != LUA_TNIL) {
    if (lua_type(L, -1) != LUA_TBOOLEAN)
      argerror(L, ARG_OPTS, fname,
               lua_pushfstring(L, "opts.estimate must be a boolean, got %s",
                               slope_kindname(L, -1)));
    o->estimate = lua_toboolean(L, -1);
  }
  lua_pop(L, 1);
  if (lua_getfield(L, ARG_OPTS, "h") != LUA_TNIL)
    checksteps(L, fname, peraxis, n, o);
  lua_settop(L, SLOT_STEPS);
}

/* Check f, x and opts of grad or hessian and lay out the stack slots. */
static slope_vec *checkargs(lua_State *L, const char *fname, Options *o) {
  slope_vec *base;
  luaL_checkstack(L, 16, NULL);
  checkfunction(L, fname);
  if (slope_vec_test(L, ARG_X) == NULL && lua_type(L, ARG_X) != LUA_TTABLE)
    typeerror(L, ARG_X, fname, "vec or table");
  lua_settop(L, ARG_OPTS); /* drop extra arguments */
  lua_settop(L, SLOT_STEPS);
  base = checkpoint(L, fname);
  checkoptions(L, fname, 1, base->n, o);
  return base;
}

/* }====================================================== */

/*
** {======================================================
** Calling f
** =======================================================
*/

/* Under lua_pcall: f(point), which must be a number. Arguments: the Eval
** (light userdata) and f. */
static int protectedcall(lua_State *L) {
  Eval *e = (Eval *)lua_touserdata(L, 1);
  lua_settop(L, 2);
  if (e->scalar)
    lua_pushnumber(L, e->xi);
  else {
    slope_vec *v = slope_vec_push(L, e->n);
    memcpy(v->data, e->x, e->n * sizeof(double));
    if (e->i != NONE)
      v->data[e->i] = e->xi;
    if (e->j != NONE)
      v->data[e->j] = e->xj;
  }
  lua_call(L, 1, 1); /* f(point) */
  if (lua_type(L, -1) != LUA_TNUMBER)
    return luaL_error(L,
                      "bad argument #%d to '%s' (f must return a number, "
                      "got %s)",
                      ARG_F, e->fname, slope_kindname(L, -1));
  return 1;
}

/* f at the base point with axis i at xi and axis j at xj (either may be
** NONE). After f raised, NaN at once: the error waits in SLOT_ERR. */
static double at(Eval *e, size_t i, double xi, size_t j, double xj) {
  lua_State *L = e->L;
  double y;
  if (e->failed)
    return GSL_NAN;
  e->i = i;
  e->xi = xi;
  e->j = j;
  e->xj = xj;
  lua_pushcfunction(L, protectedcall);
  lua_pushlightuserdata(L, e);
  lua_pushvalue(L, ARG_F);
  if (lua_pcall(L, 2, 1, 0) != LUA_OK) {
    lua_replace(L, SLOT_ERR);
    e->failed = 1;
    return GSL_NAN;
  }
  y = lua_tonumber(L, -1);
  lua_pop(L, 1);
  return y;
}

/* GSL's view: f along axis e->i. */
static double along(double t, void *params) {
  Eval *e = (Eval *)params;
  return at(e, e->i, t, NONE, 0);
}

/* Raise the error f raised, if it did. */
static void reraise(Eval *e) {
  if (e->failed) {
    lua_pushvalue(e->L, SLOT_ERR);
    lua_error(e->L);
  }
}

/* }====================================================== */

/*
** {======================================================
** Rules
** =======================================================
** Each takes the step actually taken, (x + h) - x, so that rounding of the
** abscissae does not count as error of the rule.
*/

/* The step for axis i: opts.h, or def scaled by max(1, |x_i|). */
static double stepfor(const Options *o, const Eval *e, size_t i, double def) {
  if (o->hv != NULL)
    return o->hv[i];
  if (o->h > 0)
    return o->h;
  return def * GSL_MAX(1.0, fabs(e->x[i]));
}

/* Forward difference along axis i, given f0 = f(x). The error estimate
** compares with the step 2h (the difference is the leading truncation
** term h f''/2) and adds the rounding of f. */
static double forward1(Eval *e, size_t i, double h, double f0, int estimate,
                       double *err) {
  double x = e->x[i], t1 = x + h, f1 = at(e, i, t1, NONE, 0);
  double d = (f1 - f0) / (t1 - x);
  if (estimate) {
    double t2 = x + 2 * h, f2 = at(e, i, t2, NONE, 0);
    double d2 = (f2 - f0) / (t2 - x);
    *err = fabs(d - d2) + NOISE * (fabs(f0) + fabs(f1)) / (t1 - x);
  }
  return d;
}

/* Central difference along axis i; the error estimate compares with the
** step 2h, whose truncation error is four times larger. */
static double central1(Eval *e, size_t i, double h, int estimate,
                       double *err) {
  double x = e->x[i], tp = x + h, tm = x - h;
  double fp = at(e, i, tp, NONE, 0), fm = at(e, i, tm, NONE, 0);
  double d = (fp - fm) / (tp - tm);
  if (estimate) {
    double tp2 = x + 2 * h, tm2 = x - 2 * h;
    double fp2 = at(e, i, tp2, NONE, 0), fm2 = at(e, i, tm2, NONE, 0);
    double d2 = (fp2 - fm2) / (tp2 - tm2);
    *err = fabs(d - d2) / 3 + NOISE * (fabs(fp) + fabs(fm)) / (tp - tm);
  }
  return d;
}

/* GSL's adaptive central rule along axis i (a five-point rule checked
** against the three-point one, the step then re-chosen to balance
** truncation and rounding). A step reaching outside f's domain (f not
** finite) is shrunk and tried again. */
static double richardson1(Eval *e, size_t i, double h, double *err) {
  gsl_function F;
  double d = GSL_NAN, a = GSL_NAN;
  int k, status;
  F.function = along;
  F.params = e;
  for (k = 0; k <= RETRIES; k++, h /= 16) {
    e->i = i;
    status = gsl_deriv_central(&F, e->x[i], h, &d, &a);
    if (e->failed || (status == GSL_SUCCESS && isfinite(d) && isfinite(a)))
      break;
  }
  *err = a;
  return d;
}

/* The derivative along axis i by method o->method. */
static double first(Eval *e, const Options *o, size_t i, double f0,
                    double *err) {
  double h = stepfor(o, e, i, step1[o->method]);
  *err = GSL_NAN;
  switch (o->method) {
  case M_FORWARD:
    return forward1(e, i, h, f0, o->estimate, err);
  case M_CENTRAL:
    return central1(e, i, h, o->estimate, err);
  default:
    return richardson1(e, i, h, err);
  }
}

/* Central second difference for d2f/dxi dxj, given f0 = f(x); *noise: its
** rounding error. Exact for quadratics, also with unequal steps. */
static double second(Eval *e, size_t i, size_t j, double hi, double hj,
                     double f0, double *noise) {
  double xi = e->x[i], tpi = xi + hi, tmi = xi - hi;
  if (i == j) {
    double fp = at(e, i, tpi, NONE, 0), fm = at(e, i, tmi, NONE, 0);
    double hp = tpi - xi, hm = xi - tmi;
    *noise = NOISE * (fabs(fp) + 2 * fabs(f0) + fabs(fm)) / (hp * hm);
    return 2 * ((fp - f0) / hp - (f0 - fm) / hm) / (hp + hm);
  } else {
    double xj = e->x[j], tpj = xj + hj, tmj = xj - hj;
    double fpp = at(e, i, tpi, j, tpj), fpm = at(e, i, tpi, j, tmj);
    double fmp = at(e, i, tmi, j, tpj), fmm = at(e, i, tmi, j, tmj);
    double area = (tpi - tmi) * (tpj - tmj);
    *noise = NOISE * (fabs(fpp) + fabs(fpm) + fabs(fmp) + fabs(fmm)) / area;
    return (fpp - fpm - fmp + fmm) / area;
  }
}

/* Forward second difference for d2f/dxi dxj from x, x + hi, x + hj (fi,
** fj: f there) and the corner x + hi + hj (x + 2 hi on the diagonal). */
static double forward2(Eval *e, size_t i, size_t j, double hi, double hj,
                       double f0, double fi, double fj, double *noise) {
  double xi = e->x[i], t1 = xi + hi, h1 = t1 - xi;
  if (i == j) {
    double t2 = xi + 2 * hi, f2 = at(e, i, t2, NONE, 0);
    *noise = NOISE * (fabs(f0) + 2 * fabs(fi) + fabs(f2)) / (h1 * (t2 - t1));
    return 2 * ((f2 - fi) / (t2 - t1) - (fi - f0) / h1) / (t2 - xi);
  } else {
    double xj = e->x[j], tj = xj + hj, h2 = tj - xj;
    double fij = at(e, i, t1, j, tj);
    *noise = NOISE * (fabs(fij) + fabs(fi) + fabs(fj) + fabs(f0)) / (h1 * h2);
    return (fij - fi - fj + f0) / (h1 * h2);
  }
}

/* Richardson extrapolation of second() over steps halved up to LEVELS
** times (a Neville table in h^2); the result with the smallest change
** between neighbouring extrapolants plus rounding wins, that sum being its
** error. Early levels may agree by accident while the step is still
** coarse, so only rounding ends the table. Levels where f is not finite
** restart it. */
static double richardson2(Eval *e, size_t i, size_t j, double hi, double hj,
                          double f0, double *err) {
  double rows[2][LEVELS], *prev = rows[0], *cur = rows[1], *swap;
  double best = GSL_NAN, besterr = GSL_POSINF, noise;
  int k, m, used = 0; /* rows in the table */
  for (k = 0; k < LEVELS; k++, hi /= 2, hj /= 2) {
    double four = 1;
    cur[0] = second(e, i, j, hi, hj, f0, &noise);
    if (e->failed)
      break;
    if (!isfinite(cur[0])) { /* the step leaves f's domain: start again */
      used = 0;
      continue;
    }
    if (used == 0 && !isfinite(best))
      best = cur[0];
    for (m = 1; m <= used; m++) {
      double change;
      four *= 4;
      cur[m] = cur[m - 1] + (cur[m - 1] - prev[m - 1]) / (four - 1);
      /* extrapolation weights add up to less than 2 in absolute value */
      change = GSL_MAX(fabs(cur[m] - cur[m - 1]), fabs(cur[m] - prev[m - 1])) +
               2 * noise;
      if (change <= besterr) {
        besterr = change;
        best = cur[m];
      }
    }
    if (noise >= SAFE * besterr)
      break; /* rounding has taken over */
    swap = prev;
    prev = cur;
    cur = swap;
    used++;
  }
  *err = isfinite(best) ? besterr : GSL_NAN; /* inf: nothing to compare */
  return best;
}

/* }====================================================== */

/*
** {======================================================
** Entry points
** =======================================================
*/

static void starteval(Eval *e, lua_State *L, const char *fname,
                      slope_vec *base) {
  e->L = L;
  e->fname = fname;
  e->failed = 0;
  e->scalar = 0;
  e->n = base->n;
  e->x = base->data;
  e->i = e->j = NONE;
  e->xi = e->xj = 0;
}

/* derivative(f, x [, opts]) -> number, error estimate */
static int numdiff_derivative(lua_State *L) {
  const char *fname = "derivative";
  Options o;
  Eval e;
  slope_vec *base;
  double d, err, f0 = 0;
  luaL_checkstack(L, 16, NULL);
  checkfunction(L, fname);
  if (lua_type(L, ARG_X) != LUA_TNUMBER)
    typeerror(L, ARG_X, fname, "number");
  lua_settop(L, ARG_OPTS); /* drop extra arguments */
  lua_settop(L, SLOT_STEPS);
  base = slope_vec_push(L, 1);
  base->data[0] = lua_tonumber(L, ARG_X);
  lua_replace(L, SLOT_BASE);
  checkoptions(L, fname, 0, 1, &o);
  starteval(&e, L, fname, base);
  e.scalar = 1;
  if (o.method == M_FORWARD)
    f0 = at(&e, 0, base->data[0], NONE, 0);
  d = first(&e, &o, 0, f0, &err);
  reraise(&e);
  lua_pushnumber(L, d);
  if (o.method == M_RICHARDSON || o.estimate) {
    lua_pushnumber(L, err);
    return 2;
  }
  return 1;
}

/* grad(f, x [, opts]) -> vec, vec of error estimates */
static int numdiff_grad(lua_State *L) {
  const char *fname = "grad";
  Options o;
  Eval e;
  slope_vec *base = checkargs(L, fname, &o), *g, *gerr;
  double f0 = 0;
  size_t i;
  int estimate = o.method == M_RICHARDSON || o.estimate;
  starteval(&e, L, fname, base);
  g = slope_vec_push(L, base->n);
  gerr = slope_vec_push(L, estimate ? base->n : 0);
  if (o.method == M_FORWARD && base->n > 0)
    f0 = at(&e, NONE, 0, NONE, 0);
  for (i = 0; i < base->n && !e.failed; i++) {
    double err;
    g->data[i] = first(&e, &o, i, f0, &err);
    if (estimate)
      gerr->data[i] = err;
  }
  reraise(&e);
  if (!estimate)
    lua_pop(L, 1);
  return estimate ? 2 : 1;
}

/* hessian(f, x [, opts]) -> mat, mat of error estimates (both symmetric) */
static int numdiff_hessian(lua_State *L) {
  const char *fname = "hessian";
  Options o;
  Eval e;
  slope_vec *base = checkargs(L, fname, &o), *fi = NULL, *fi2 = NULL;
  slope_mat *hm, *herr;
  size_t n = base->n, i, j;
  double f0;
  int estimate = o.method == M_RICHARDSON || o.estimate;
  starteval(&e, L, fname, base);
  hm = slope_mat_push(L, n, n);
  herr = slope_mat_push(L, estimate ? n : 0, estimate ? n : 0);
  if (n == 0)
    return estimate ? 2 : 1;
  f0 = at(&e, NONE, 0, NONE, 0);
  if (o.method == M_FORWARD) { /* f one step along each axis */
    fi = slope_vec_push(L, n);
    fi2 = slope_vec_push(L, estimate ? n : 0);
    for (i = 0; i < n && !e.failed; i++) {
      double h = stepfor(&o, &e, i, step2[M_FORWARD]);
      fi->data[i] = at(&e, i, e.x[i] + h, NONE, 0);
      if (estimate)
        fi2->data[i] = at(&e, i, e.x[i] + 2 * h, NONE, 0);
    }
  }
  for (i = 0; i < n && !e.failed; i++) {
    for (j = i; j < n && !e.failed; j++) {
      double hi = stepfor(&o, &e, i, step2[o.method]);
      double hj = stepfor(&o, &e, j, step2[o.method]);
      double v, err = GSL_NAN, noise, v2, noise2;
      switch (o.method) {
      case M_FORWARD:
        v = forward2(&e, i, j, hi, hj, f0, fi->data[i], fi->data[j], &noise);
        if (estimate) { /* the difference is the truncation, O(h) */
          v2 = forward2(&e, i, j, 2 * hi, 2 * hj, f0, fi2->data[i],
                        fi2->data[j], &noise2);
          err = fabs(v - v2) + noise;
        }
        break;
      case M_CENTRAL:
        v = second(&e, i, j, hi, hj, f0, &noise);
        if (estimate) { /* four times the truncation at 2h, O(h^2) */
          v2 = second(&e, i, j, 2 * hi, 2 * hj, f0, &noise2);
          err = fabs(v - v2) / 3 + noise;
        }
        break;
      default:
        v = richardson2(&e, i, j, hi, hj, f0, &err);
        break;
      }
      hm->data[i * n + j] = hm->data[j * n + i] = v;
      if (estimate)
        herr->data[i * n + j] = herr->data[j * n + i] = err;
    }
  }
  reraise(&e);
  if (o.method == M_FORWARD)
    lua_pop(L, 2); /* fi, fi2 */
  if (!estimate)
    lua_pop(L, 1);
  return estimate ? 2 : 1;
}

/* }====================================================== */

static const luaL_Reg numdiff_funcs[] = {{"derivative", numdiff_derivative},
                                         {"grad", numdiff_grad},
                                         {"hessian", numdiff_hessian},
                                         {NULL, NULL}};

int slope_open_numdiff(lua_State *L) {
  luaL_newlib(L, numdiff_funcs);
  return 1;
}
