/*
** constrained.c: constrained minimisation, the framework. The registry of
** constrained methods; the problem built from traced Lua functions (or,
** for optim.qp, from matrices); the monitor every method calls once per
** outer iteration (Ctrl-C, maxtime, callback, trace); the KKT report;
** and the Lua entry points core.optim.constrained (what minimize calls
** when opts.eq or opts.ineq is given), lagrange and qp.
**
** All memory of a run is one Lua userdata allocated before the method
** starts; the method's loop calls Lua only for the callback and the
** trace, under lua_pcall.
*/
#include "config.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <lauxlib.h>
#include <lua.h>

#include "ad/ad.h"
#include "interrupt.h"
#include "optim/constrained.h"
#include "optim/progress.h"
#include "optim/thin.h"
#include "vec.h"

/* {======================================================
** The registry: a method is one line.
** ======================================================= */

static const slope_cmethod *const cmethods[] = {
  &slope_cmethod_auglag,
  &slope_cmethod_newtonkkt,
  &slope_cmethod_sqp,
  &slope_cmethod_barrier,
  NULL
};

/* Names that are part of the interface even while not built. */
static const char *const planned[] = {"auglag", "newton-kkt", "sqp",
                                      "barrier", NULL};

const slope_cmethod *slope_cmethod_find(const char *name) {
  size_t i;
  for (i = 0; cmethods[i] != NULL; i++)
    if (strcmp(cmethods[i]->name, name) == 0)
      return cmethods[i];
  return NULL;
}

/* 1 if name is a constrained method (built or not). */
static int isconstrained(const char *name) {
  size_t i;
  for (i = 0; planned[i] != NULL; i++)
    if (strcmp(planned[i], name) == 0)
      return 1;
  return slope_cmethod_find(name) != NULL;
}

/* }====================================================== */

/* {======================================================
** Shared helpers
** ======================================================= */

void slope_cproject(size_t n, double *x, const double *lo, const double *up) {
  size_t i;
  for (i = 0; i < n; i++) {
    if (x[i] < lo[i]) x[i] = lo[i];
    if (x[i] > up[i]) x[i] = up[i];
  }
}

double slope_cviolation(size_t meq, size_t mineq, const double *c) {
  double v = 0;
  size_t i;
  for (i = 0; i < meq; i++) v = fmax(v, fabs(c[i]));
  for (; i < meq + mineq; i++) v = fmax(v, -c[i]);
  return v;
}

int slope_cprobe_unbounded(slope_cproblem *P, double *x, const double *d,
                           double *f, double ctol, double *xt, double *ct) {
  size_t n = P->n, j;
  double t;
  for (t = 2; t < 1e30; t *= 2) {
    double ft, scale = 1;
    for (j = 0; j < n; j++) {
      xt[j] = x[j] + t * d[j];
      if (xt[j] < P->lower[j] || xt[j] > P->upper[j])
        return 0;
      scale = fmax(scale, fabs(xt[j]));
    }
    ft = P->fg(P->ctx, xt, NULL);
    if (P->meq + P->mineq > 0)
      P->cons(P->ctx, xt, ct, NULL);
    if (!isfinite(ft) ||
        slope_cviolation(P->meq, P->mineq, ct) > ctol * scale)
      return 0;
    if (ft < -SLOPE_C_FLOOR) {
      memcpy(x, xt, n * sizeof(double));
      *f = ft;
      return 1;
    }
  }
  return 0;
}

void slope_cbound_multipliers(size_t n, const double *x, const double *lo,
                              const double *up, const double *gl,
                              double tol, double *zl, double *zu) {
  size_t i;
  for (i = 0; i < n; i++) {
    zl[i] = zu[i] = 0;
    if (x[i] - lo[i] <= tol * fmax(1, fabs(lo[i])) && gl[i] > 0)
      zl[i] = gl[i];
    else if (up[i] - x[i] <= tol * fmax(1, fabs(up[i])) && gl[i] < 0)
      zu[i] = -gl[i];
  }
}

void slope_ckkt(slope_cproblem *P, const double *x, const double *y,
                const double *zl, const double *zu, slope_kkt *k,
                double *work) {
  size_t i, j, n = P->n, m = P->meq + P->mineq;
  double *g = work, *c = g + n, *J = c + m, r, gs = 0, cp = 0, pr;
  P->fg(P->ctx, x, g);
  if (m > 0)
    P->cons(P->ctx, x, c, J);
  for (j = 0; j < n; j++) gs = fmax(gs, fabs(g[j]));
  k->gscale = fmax(1, gs);
  pr = m > 0 ? slope_cviolation(P->meq, P->mineq, c) : 0;
  for (j = 0; j < n; j++) {
    pr = fmax(pr, fmax(P->lower[j] - x[j], x[j] - P->upper[j]));
    if (isfinite(P->lower[j]))
      cp = fmax(cp, fabs(zl[j] * (x[j] - P->lower[j])));
    else
      cp = fmax(cp, fabs(zl[j]));
    if (isfinite(P->upper[j]))
      cp = fmax(cp, fabs(zu[j] * (P->upper[j] - x[j])));
    else
      cp = fmax(cp, fabs(zu[j]));
    cp = fmax(cp, fmax(-zl[j], -zu[j]));  /* a wrong sign */
  }
  for (i = P->meq; i < m; i++)
    cp = fmax(cp, fmax(fabs(y[i] * c[i]), -y[i]));
  k->primal = pr;
  k->complementarity = cp;
  for (r = 0, j = 0; j < n; j++) {
    double s = g[j] - zl[j] + zu[j];
    for (i = 0; i < m; i++) s -= y[i] * J[i * n + j];
    r = fmax(r, fabs(s));
  }
  k->stationarity = r;
}

int slope_ckkt_ok(const slope_kkt *k, const slope_copts *o) {
  return k->primal <= o->ctol && k->stationarity <= o->gtol * k->gscale &&
         k->complementarity <= fmax(o->ctol, o->gtol);
}

/* }====================================================== */

/* {======================================================
** Bounds from Lua
** ======================================================= */

/* Fill v (n) from opts[key]: nil (fill with def), a number, a vec or an
** array of n numbers (+-math.huge allowed). */
static void readbound(lua_State *L, int opts, const char *key, size_t n,
                      double *v, double def, const char *fname, int argno) {
  int t = lua_getfield(L, opts, key);
  size_t i;
  if (t == LUA_TNIL) {
    for (i = 0; i < n; i++) v[i] = def;
  }
  else if (t == LUA_TNUMBER) {
    double b = lua_tonumber(L, -1);
    if (b != b)
      luaL_error(L, "bad argument #%d to '%s' (field '%s' is NaN)", argno,
                 fname, key);
    for (i = 0; i < n; i++) v[i] = b;
  }
  else {
    slope_vec *b = slope_vec_test(L, -1);
    size_t len;
    if (b == NULL && t != LUA_TTABLE)
      luaL_error(L, "bad argument #%d to '%s' (field '%s' must be a number "
                    "or a vector, got %s)", argno, fname, key,
                 slope_kindname(L, -1));
    len = b != NULL ? b->n : (size_t)lua_rawlen(L, -1);
    if (len != n)
      luaL_error(L, "bad argument #%d to '%s' (field '%s' has %d entries, "
                    "x0 has %d)", argno, fname, key, (int)len, (int)n);
    for (i = 0; i < n; i++) {
      if (b != NULL)
        v[i] = b->data[i];
      else {
        int ok;
        lua_rawgeti(L, -1, (lua_Integer)i + 1);
        v[i] = lua_tonumberx(L, -1, &ok);
        if (!ok)
          luaL_error(L, "bad argument #%d to '%s' (field '%s': entry %d is "
                        "not a number)", argno, fname, key, (int)i + 1);
        lua_pop(L, 1);
      }
      if (v[i] != v[i])
        luaL_error(L, "bad argument #%d to '%s' (field '%s': entry %d is "
                      "NaN)", argno, fname, key, (int)i + 1);
    }
  }
  lua_pop(L, 1);
}

int slope_cbounds_check(lua_State *L, int opts, size_t n, double *lo,
                        double *up, const char *fname, int argno) {
  size_t i;
  int any = 0;
  opts = lua_absindex(L, opts);
  readbound(L, opts, "lower", n, lo, -HUGE_VAL, fname, argno);
  readbound(L, opts, "upper", n, up, HUGE_VAL, fname, argno);
  for (i = 0; i < n; i++) {
    if (lo[i] > up[i])
      luaL_error(L, "bad argument #%d to '%s' (lower > upper at entry %d: "
                    "%f > %f)", argno, fname, (int)i + 1, lo[i], up[i]);
    if (lo[i] == HUGE_VAL || up[i] == -HUGE_VAL)
      luaL_error(L, "bad argument #%d to '%s' (bound at entry %d leaves no "
                    "finite point)", argno, fname, (int)i + 1);
    any |= isfinite(lo[i]) || isfinite(up[i]);
  }
  return any;
}

static void pushvec(lua_State *L, const double *x, size_t n, double sign) {
  double *v = slope_vec_push(L, n)->data;
  size_t i;
  for (i = 0; i < n; i++) v[i] = sign * x[i] + 0.0;  /* no -0 */
}

void slope_cbounds_push(lua_State *L, size_t n, const double *x,
                        const double *g, const double *lo, const double *up,
                        double sign) {
  double *zl = slope_vec_push(L, n)->data, *zu = slope_vec_push(L, n)->data;
  double st = 0, cp = 0;
  size_t i;
  int t = lua_gettop(L) - 2;  /* the result table */
  slope_cbound_multipliers(n, x, lo, up, g, 0, zl, zu);
  for (i = 0; i < n; i++) {
    st = fmax(st, fabs(g[i] - zl[i] + zu[i]));
    zl[i] = sign * zl[i] + 0.0;
    zu[i] = sign * zu[i] + 0.0;
  }
  lua_createtable(L, 0, 4);
  lua_createtable(L, 0, 0); lua_setfield(L, -2, "eq");
  lua_createtable(L, 0, 0); lua_setfield(L, -2, "ineq");
  lua_pushvalue(L, t + 1); lua_setfield(L, -2, "lower");
  lua_pushvalue(L, t + 2); lua_setfield(L, -2, "upper");
  lua_setfield(L, t, "multipliers");
  lua_createtable(L, 0, 3);
  lua_pushnumber(L, 0); lua_setfield(L, -2, "primal");
  lua_pushnumber(L, st); lua_setfield(L, -2, "stationarity");
  lua_pushnumber(L, cp); lua_setfield(L, -2, "complementarity");
  lua_setfield(L, t, "kkt");
  lua_pop(L, 2);
}

/* }====================================================== */

/* {======================================================
** Problems: traced functions, or a QP's matrices
** ======================================================= */

typedef struct Tapes {
  slope_ad_fn *F;     /* the objective */
  slope_ad_fn **C;    /* m constraints, equalities first */
  size_t n, m;
  double sign;        /* -1 to maximise */
  double *h, *v;      /* n * n and n of scratch */
  slope_cproblem *P;  /* for the counters */
} Tapes;

static double tapes_fg(void *ctx, const double *x, double *g) {
  Tapes *t = (Tapes *)ctx;
  double f;
  size_t i;
  t->P->nf++;
  if (g == NULL)
    return t->sign * slope_ad_value(t->F, x);
  t->P->ng++;
  f = slope_ad_valgrad(t->F, x, g);
  if (t->sign < 0)
    for (i = 0; i < t->n; i++) g[i] = -g[i];
  return t->sign * f;
}

static void tapes_cons(void *ctx, const double *x, double *c, double *J) {
  Tapes *t = (Tapes *)ctx;
  size_t i;
  t->P->nc++;
  if (J != NULL)
    t->P->nj++;
  for (i = 0; i < t->m; i++)
    c[i] = J != NULL ? slope_ad_valgrad(t->C[i], x, J + i * t->n)
                     : slope_ad_value(t->C[i], x);
}

static int tapes_hesslag(void *ctx, const double *x, double sigma,
                         const double *y, double *H) {
  Tapes *t = (Tapes *)ctx;
  size_t i, k, nn = t->n * t->n;
  t->P->nh++;
  memset(H, 0, nn * sizeof(double));
  if (sigma != 0) {
    if (slope_ad_hessian(t->F, x, t->h) != 0)
      return -1;
    for (k = 0; k < nn; k++) H[k] = sigma * t->sign * t->h[k];
  }
  for (i = 0; i < t->m; i++) {
    if (y[i] == 0)
      continue;
    if (slope_ad_hessian(t->C[i], x, t->h) != 0)
      return -1;
    for (k = 0; k < nn; k++) H[k] -= y[i] * t->h[k];
  }
  return 0;
}

static void tapes_hvplag(void *ctx, const double *x, double sigma,
                         const double *y, const double *v, double *hv) {
  Tapes *t = (Tapes *)ctx;
  size_t i, k;
  t->P->nh++;
  memset(hv, 0, t->n * sizeof(double));
  if (sigma != 0) {
    slope_ad_hvp(t->F, x, v, t->v);
    for (k = 0; k < t->n; k++) hv[k] = sigma * t->sign * t->v[k];
  }
  for (i = 0; i < t->m; i++) {
    if (y[i] == 0)
      continue;
    slope_ad_hvp(t->C[i], x, v, t->v);
    for (k = 0; k < t->n; k++) hv[k] -= y[i] * t->v[k];
  }
}

/* A quadratic program: 1/2 x'Hx + c'x (negated to maximise), constraints
** A x - b (= 0 for the first meq rows, >= 0 for the others). */
typedef struct Quad {
  size_t n, m;
  const double *H, *c, *A, *b;  /* H n x n, A m x n */
  double sign;
  slope_cproblem *P;
} Quad;

static double quad_fg(void *ctx, const double *x, double *g) {
  Quad *q = (Quad *)ctx;
  size_t i, n = q->n;
  double f = 0;
  q->P->nf++;
  if (g != NULL)
    q->P->ng++;
  for (i = 0; i < n; i++) {
    double hx = slope_dot(q->H + i * n, x, n);
    f += x[i] * (0.5 * hx + q->c[i]);
    if (g != NULL)
      g[i] = q->sign * (hx + q->c[i]);
  }
  return q->sign * f;
}

static void quad_cons(void *ctx, const double *x, double *c, double *J) {
  Quad *q = (Quad *)ctx;
  size_t i;
  q->P->nc++;
  if (J != NULL) {
    q->P->nj++;
    memcpy(J, q->A, q->m * q->n * sizeof(double));
  }
  for (i = 0; i < q->m; i++)
    c[i] = slope_dot(q->A + i * q->n, x, q->n) - q->b[i];
}

static int quad_hesslag(void *ctx, const double *x, double sigma,
                        const double *y, double *H) {
  Quad *q = (Quad *)ctx;
  size_t k;
  (void)x;
  (void)y;
  q->P->nh++;
  for (k = 0; k < q->n * q->n; k++) H[k] = sigma * q->sign * q->H[k];
  return 0;
}

static void quad_hvplag(void *ctx, const double *x, double sigma,
                        const double *y, const double *v, double *hv) {
  Quad *q = (Quad *)ctx;
  size_t i;
  (void)x;
  (void)y;
  q->P->nh++;
  for (i = 0; i < q->n; i++)
    hv[i] = sigma * q->sign * slope_dot(q->H + i * q->n, v, q->n);
}

/* }====================================================== */

/* {======================================================
** A run: options, monitor, result
** ======================================================= */

/* Stack slots of a run, above the caller's arguments (base + k). */
enum { S_OPTS, S_WORK, S_TAPES, S_CB, S_TRACE, S_ERR, S_STATE, S_NSLOTS };

typedef struct Run {
  lua_State *L;
  int base;            /* the stack index of S_OPTS */
  const char *fname;
  int argno;           /* where opts is, for messages */
  const slope_cmethod *method;
  slope_cproblem P;
  slope_copts o;
  slope_cresult r;
  Tapes tapes;
  Quad quad;
  double sign, t0, maxtime;
  int trace, callback, failed;  /* failed: the callback raised */
  long tracecap;      /* opts.trace = N: at most N records (0: no cap) */
  slope_thin thin;
  slope_citer skipped;  /* the last iteration, when the thinning skipped it */
  int pending;          /* (its x is not kept: records have none) */
  const double *x0;  /* newton-kkt by default: auglag from x0 if it fails */
  double *kwork;
  void *state;
} Run;


/* Append the trace record of outer iteration it. */
static void record(lua_State *L, Run *R, const slope_citer *it) {
  lua_createtable(L, 0, 8);
  lua_pushinteger(L, (lua_Integer)it->iter); lua_setfield(L, -2, "iter");
  lua_pushnumber(L, R->sign * it->f); lua_setfield(L, -2, "f");
  lua_pushnumber(L, it->kkt); lua_setfield(L, -2, "gnorm");
  lua_pushnumber(L, it->step); lua_setfield(L, -2, "step");
  lua_pushnumber(L, 0); lua_setfield(L, -2, "lr");
  lua_pushnumber(L, it->infeas); lua_setfield(L, -2, "infeasibility");
  lua_pushnumber(L, it->penalty); lua_setfield(L, -2, "penalty");
  slope_thin_add(L, &R->thin, R->base + S_TRACE);
}

/* Record it, or keep it aside when the thinning skips it (see thin.h). */
static void trace(lua_State *L, Run *R, const slope_citer *it) {
  R->pending = !slope_thin_keeps(&R->thin, it->iter);
  if (R->pending)
    R->skipped = *it;
  else
    record(L, R, it);
}

/* The callback, under lua_pcall: (state) -> stop? */
static int callcb(lua_State *L) {
  lua_call(L, 1, 1);
  return 1;
}

static int monitor(void *mctx, const slope_citer *it) {
  Run *R = (Run *)mctx;
  lua_State *L = R->L;
  size_t n = R->P.n;
  if (slope_interrupt_take(L))
    return SLOPE_C_INTERRUPTED;
  if (slope_now() - R->t0 > R->maxtime)
    return SLOPE_C_MAXTIME;
  if (R->trace)
    trace(L, R, it);
  if (R->callback) {
    int stop;
    lua_pushcfunction(L, callcb);
    lua_pushvalue(L, R->base + S_CB);
    lua_createtable(L, 0, 6);
    lua_pushinteger(L, (lua_Integer)it->iter); lua_setfield(L, -2, "iter");
    pushvec(L, it->x, n, 1); lua_setfield(L, -2, "x");
    lua_pushnumber(L, R->sign * it->f); lua_setfield(L, -2, "f");
    lua_pushnumber(L, it->kkt); lua_setfield(L, -2, "gnorm");
    lua_pushnumber(L, 0); lua_setfield(L, -2, "lr");
    lua_pushnumber(L, it->infeas); lua_setfield(L, -2, "infeasibility");
    if (lua_pcall(L, 2, 1, 0) != LUA_OK) {
      lua_replace(L, R->base + S_ERR);  /* raised again after the method */
      R->failed = 1;
      return SLOPE_C_STOPPED;
    }
    stop = lua_toboolean(L, -1);
    lua_pop(L, 1);
    if (stop)
      return SLOPE_C_STOPPED;
  }
  return 0;
}

static const char *const statusnames[] = {
  "running", "converged", "maxiter", "maxtime", "stopped", "interrupted",
  "infeasible", "unbounded", "line_search_failed", "nan"
};

static const char *defaultmessage(int status) {
  switch (status) {
    case SLOPE_C_CONVERGED:
      return "the KKT conditions hold to ctol and gtol";
    case SLOPE_C_MAXITER:
      return "maxiter iterations done before convergence";
    case SLOPE_C_MAXTIME:
      return "maxtime seconds spent before convergence";
    case SLOPE_C_STOPPED: return "the callback asked to stop";
    case SLOPE_C_INTERRUPTED:
      return "interrupted (Ctrl-C); the best point so far is returned";
    case SLOPE_C_INFEASIBLE:
      return "no feasible point found: the least infeasible point is "
             "returned";
    case SLOPE_C_UNBOUNDED:
      return "f decreases without bound at feasible points";
    case SLOPE_C_NAN:
      return "f, a constraint or a derivative is not finite";
    default:
      return "no further progress short of the KKT tolerances; the best "
             "point is returned";
  }
}

static double optnum(lua_State *L, Run *R, const char *k, double def,
                     double lo, double hi, const char *what) {
  int t = lua_getfield(L, R->base + S_OPTS, k);
  double v = def;
  if (t == LUA_TNUMBER) {
    v = lua_tonumber(L, -1);
    if (!(v >= lo && v <= hi))
      luaL_error(L, "bad argument #%d to '%s' (field '%s' must be %s, got "
                    "%f)", R->argno, R->fname, k, what, v);
  }
  else if (t != LUA_TNIL)
    luaL_error(L, "bad argument #%d to '%s' (field '%s' must be a number, "
                  "got %s)", R->argno, R->fname, k, luaL_typename(L, -1));
  lua_pop(L, 1);
  return v;
}

static int optbool(lua_State *L, Run *R, const char *k) {
  int t = lua_getfield(L, R->base + S_OPTS, k), v = lua_toboolean(L, -1);
  if (t != LUA_TNIL && t != LUA_TBOOLEAN)
    luaL_error(L, "bad argument #%d to '%s' (field '%s' must be a boolean, "
                  "got %s)", R->argno, R->fname, k, luaL_typename(L, -1));
  lua_pop(L, 1);
  return v;
}

/* Read the options common to every constrained run into R (opts at
** base + S_OPTS); the method is chosen by the caller. */
static void readoptions(lua_State *L, Run *R) {
  int t;
  R->o.gtol = optnum(L, R, "gtol", 1e-6, 0, HUGE_VAL, "non-negative");
  R->o.ctol = optnum(L, R, "ctol", 1e-8, 0, HUGE_VAL, "non-negative");
  R->o.maxiter = (long)optnum(L, R, "maxiter", -1, 0, 1e15,
                              "a non-negative integer");
  R->o.maxinner = (long)optnum(L, R, "maxinner", 2000, 1, 1e15,
                               "a positive integer");
  R->o.memory = (int)optnum(L, R, "memory", 10, 1, 1e6,
                            "an integer in [1, 1e6]");
  R->maxtime = optnum(L, R, "maxtime", HUGE_VAL, 0, HUGE_VAL,
                      "non-negative");
  R->o.mu0 = optnum(L, R, "mu0", 0.1, 1e-300, 1e300, "positive");
  R->sign = optbool(L, R, "maximize") ? -1 : 1;
  /* opts.hessian: "exact" (the default) or "bfgs" (sqp) */
  t = lua_getfield(L, R->base + S_OPTS, "hessian");
  if (t != LUA_TNIL && (t != LUA_TSTRING ||
      (strcmp(lua_tostring(L, -1), "exact") != 0 &&
       strcmp(lua_tostring(L, -1), "bfgs") != 0)))
    luaL_error(L, "bad argument #%d to '%s' (field 'hessian' must be "
                  "'exact' or 'bfgs')", R->argno, R->fname);
  R->o.hessian = t == LUA_TSTRING && strcmp(lua_tostring(L, -1), "bfgs") == 0;
  lua_pop(L, 1);
  R->trace = slope_thin_option(L, R->base + S_OPTS, R->argno, R->fname,
                               &R->tracecap);
  slope_thin_init(&R->thin, R->tracecap, "iter");
  t = lua_getfield(L, R->base + S_OPTS, "callback");
  if (t != LUA_TNIL && t != LUA_TFUNCTION)
    luaL_error(L, "bad argument #%d to '%s' (field 'callback' must be a "
                  "function, got %s)", R->argno, R->fname,
               luaL_typename(L, -1));
  R->callback = (t == LUA_TFUNCTION);
  lua_replace(L, R->base + S_CB);
  if (R->trace) {
    lua_newtable(L);
    lua_replace(L, R->base + S_TRACE);
  }
  R->o.monitor = monitor;
  R->o.mctx = R;
}

/* Choose the method: opts.method, or the default for the problem. */
static const slope_cmethod *choosemethod(lua_State *L, Run *R, int bounded) {
  const slope_cmethod *M;
  const char *name = NULL;
  int t = lua_getfield(L, R->base + S_OPTS, "method");
  if (t == LUA_TSTRING)
    name = lua_tostring(L, -1);
  else if (t != LUA_TNIL)
    luaL_error(L, "bad argument #%d to '%s' (field 'method' must be a "
                  "string, got %s)", R->argno, R->fname,
               luaL_typename(L, -1));
  lua_pop(L, 1);
  if (name == NULL)
    return (R->P.mineq == 0 && !bounded && R->P.meq > 0)
               ? &slope_cmethod_newtonkkt : &slope_cmethod_auglag;
  M = slope_cmethod_find(name);
  if (M == NULL && isconstrained(name))
    luaL_error(L, "bad argument #%d to '%s' (method '%s' is not available "
                  "in this build; use 'auglag' or 'newton-kkt')", R->argno,
               R->fname, name);
  if (M == NULL)
    luaL_error(L, "bad argument #%d to '%s' (method '%s' cannot take "
                  "constraints; use 'auglag', 'newton-kkt', 'sqp' or "
                  "'barrier')", R->argno, R->fname, name);
  if ((M->needs & SLOPE_C_NO_INEQ) && R->P.mineq > 0)
    luaL_error(L, "bad argument #%d to '%s' (method '%s' takes equality "
                  "constraints only; use 'auglag')", R->argno, R->fname,
               name);
  if (M == &slope_cmethod_barrier && R->o.hessian == 1)
    luaL_error(L, "bad argument #%d to '%s' (method 'barrier' takes the "
                  "exact Hessian only: drop field 'hessian')", R->argno,
               R->fname);
  if ((M->needs & SLOPE_C_NO_BOUNDS) && bounded)
    luaL_error(L, "bad argument #%d to '%s' (method '%s' cannot take bounds; "
                  "use 'auglag')", R->argno, R->fname, name);
  return M;
}

/* Allocate the run's memory (at base + S_WORK): the Run, bounds, x, y,
** zl, zu, KKT work, tape scratch and the method's state. Constraint
** pointers (m) follow the Run. */
static Run *newrun(lua_State *L, int base, size_t n, size_t m,
                   const char *fname, int argno, int ntapes) {
  Run *R;
  size_t bytes = sizeof(Run) + m * sizeof(slope_ad_fn *) + sizeof(double) +
                 (6 * n + m + (n + m + m * n) + (ntapes ? n * n + n : 0)) *
                     sizeof(double);
  R = (Run *)lua_newuserdatauv(L, bytes, 0);
  memset(R, 0, bytes);
  lua_replace(L, base + S_WORK);
  R->L = L;
  R->base = base;
  R->fname = fname;
  R->argno = argno;
  R->tapes.C = (slope_ad_fn **)(R + 1);
  {
    char *p = (char *)(R->tapes.C + m);
    double *d;
    p += sizeof(double) - ((size_t)(p - (char *)R) % sizeof(double));
    d = (double *)p;
    R->P.lower = d; d += n;
    R->P.upper = d; d += n;
    R->r.x = d; d += n;
    R->r.y = d; d += m;
    R->r.zl = d; d += n;
    R->r.zu = d; d += n;
    R->kwork = d; d += n + m + m * n;
    R->tapes.h = d; d += ntapes ? n * n : 0;
    R->tapes.v = d;
  }
  R->P.n = n;
  return R;
}

/* Allocate the method's state (a second userdata, kept at S_STATE). */
static void newstate(lua_State *L, Run *R) {
  size_t bytes = R->method->size(&R->P, &R->o);
  R->state = lua_newuserdatauv(L, bytes > 0 ? bytes : 1, 0);
  memset(R->state, 0, bytes);
  lua_replace(L, R->base + S_STATE);
  R->method->init(R->state, &R->P, &R->o);
}

/* Run the method and push the result table. */
static int solve(lua_State *L, Run *R) {
  slope_kkt k;
  size_t n = R->P.n, m = R->P.meq + R->P.mineq, i;
  double sign = R->sign, t;
  int st;
  if (R->o.maxiter < 0)
    R->o.maxiter = R->method == &slope_cmethod_auglag ? 100 : 200;
  slope_cproject(n, R->r.x, R->P.lower, R->P.upper);
  newstate(L, R);
  R->t0 = slope_now();
  R->r.status = SLOPE_C_RUNNING;
  R->r.message = NULL;
  st = R->method->solve(R->state, &R->P, &R->o, &R->r);
  if (R->failed) {
    lua_pushvalue(L, R->base + S_ERR);  /* the callback's error */
    lua_error(L);
  }
  if (R->x0 != NULL && (st == SLOPE_C_FAILED || st == SLOPE_C_NAN ||
                        st == SLOPE_C_MAXITER)) {
    /* newton-kkt by default and it failed: the robust method from x0 */
    long its = R->r.iterations;
    R->method = &slope_cmethod_auglag;
    memcpy(R->r.x, R->x0, n * sizeof(double));
    slope_cproject(n, R->r.x, R->P.lower, R->P.upper);
    newstate(L, R);
    st = R->method->solve(R->state, &R->P, &R->o, &R->r);
    R->r.iterations += its;
    if (R->failed) {
      lua_pushvalue(L, R->base + S_ERR);
      lua_error(L);
    }
  }
  t = slope_now() - R->t0;
  slope_ckkt(&R->P, R->r.x, R->r.y, R->r.zl, R->r.zu, &k, R->kwork);
  R->r.f = R->P.fg(R->P.ctx, R->r.x, NULL);
  if (!isfinite(R->r.f) && st != SLOPE_C_UNBOUNDED)
    st = SLOPE_C_NAN;
  if (st == SLOPE_C_CONVERGED && !slope_ckkt_ok(&k, &R->o)) {
    st = SLOPE_C_FAILED;  /* converged means the KKT conditions hold */
    R->r.message = NULL;
  }
  lua_createtable(L, 0, 16);
  pushvec(L, R->r.x, n, 1); lua_setfield(L, -2, "x");
  lua_pushnumber(L, sign * R->r.f); lua_setfield(L, -2, "f");
  /* the gradient of the user's f (first n of kwork after slope_ckkt) */
  pushvec(L, R->kwork, n, sign); lua_setfield(L, -2, "grad");
  lua_pushnumber(L, k.stationarity); lua_setfield(L, -2, "gnorm");
  lua_pushinteger(L, (lua_Integer)R->r.iterations);
  lua_setfield(L, -2, "iterations");
  if (R->r.inner > 0) {
    lua_pushinteger(L, (lua_Integer)R->r.inner);
    lua_setfield(L, -2, "inner_iterations");
  }
  lua_createtable(L, 0, 5);
  lua_pushinteger(L, (lua_Integer)R->P.nf); lua_setfield(L, -2, "f");
  lua_pushinteger(L, (lua_Integer)R->P.ng); lua_setfield(L, -2, "grad");
  lua_pushinteger(L, (lua_Integer)R->P.nh); lua_setfield(L, -2, "hess");
  lua_pushinteger(L, (lua_Integer)R->P.nc); lua_setfield(L, -2, "cons");
  lua_pushinteger(L, (lua_Integer)R->P.nj); lua_setfield(L, -2, "jac");
  lua_setfield(L, -2, "evaluations");
  lua_pushstring(L, statusnames[st]); lua_setfield(L, -2, "status");
  lua_pushstring(L, R->r.message != NULL ? R->r.message : defaultmessage(st));
  lua_setfield(L, -2, "message");
  lua_pushstring(L, R->method->name); lua_setfield(L, -2, "method");
  lua_pushnumber(L, t); lua_setfield(L, -2, "time");
  /* multipliers: d f* / d rhs in the user's sense (sign flips them back
  ** for a maximisation) */
  lua_createtable(L, 0, 4);
  pushvec(L, R->r.y, R->P.meq, sign); lua_setfield(L, -2, "eq");
  pushvec(L, R->r.y + R->P.meq, R->P.mineq, sign);
  lua_setfield(L, -2, "ineq");
  pushvec(L, R->r.zl, n, sign); lua_setfield(L, -2, "lower");
  pushvec(L, R->r.zu, n, sign); lua_setfield(L, -2, "upper");
  lua_setfield(L, -2, "multipliers");
  lua_createtable(L, 0, 3);
  lua_pushnumber(L, k.primal); lua_setfield(L, -2, "primal");
  lua_pushnumber(L, k.stationarity); lua_setfield(L, -2, "stationarity");
  lua_pushnumber(L, k.complementarity);
  lua_setfield(L, -2, "complementarity");
  lua_setfield(L, -2, "kkt");
  if (R->trace) {
    if (R->pending) {
      record(L, R, &R->skipped);
      R->pending = 0;
    }
    lua_pushvalue(L, R->base + S_TRACE);
    lua_setfield(L, -2, "trace");
  }
  (void)i;
  (void)m;
  return 1;
}

/* Trace the function at idx for n inputs (a compiled function is taken as
** it is) and push it; what names it in messages. */
static slope_ad_fn *tracefn(lua_State *L, Run *R, int idx, size_t n,
                            const char *what) {
  slope_ad_fn *F;
  if (slope_ad_testfn(L, idx) != NULL)
    lua_pushvalue(L, idx);
  else
    slope_ad_compile(L, idx, n, 0, 0, R->fname);
  F = slope_ad_testfn(L, -1);
  if (slope_ad_n(F) != n || slope_ad_m(F) != 1)
    luaL_error(L, "%s: %s takes %d inputs and returns %d values; expected "
                  "%d inputs and a number", R->fname, what,
               (int)slope_ad_n(F), (int)slope_ad_m(F), (int)n);
  slope_ad_setdata(L, F, 0, 0, R->fname);
  slope_ad_reserve(L, F);
  return F;
}

/* The list of constraint functions at idx (or nil): its length, after
** checking every entry; where names it in messages ("field 'eq'"). */
static size_t checklist(lua_State *L, int idx, int argno, const char *fname,
                        const char *where) {
  size_t k, len;
  if (lua_isnil(L, idx))
    return 0;
  if (lua_type(L, idx) == LUA_TFUNCTION || slope_ad_testfn(L, idx) != NULL)
    luaL_error(L, "bad argument #%d to '%s' (%s must be a list of "
                  "functions, got a single function: wrap it in {})",
               argno, fname, where);
  if (!lua_istable(L, idx))
    luaL_error(L, "bad argument #%d to '%s' (%s must be a list of "
                  "functions, got %s)", argno, fname, where,
               luaL_typename(L, idx));
  len = (size_t)lua_rawlen(L, idx);
  for (k = 1; k <= len; k++) {
    lua_rawgeti(L, idx, (lua_Integer)k);
    if (lua_type(L, -1) != LUA_TFUNCTION && slope_ad_testfn(L, -1) == NULL)
      luaL_error(L, "bad argument #%d to '%s' (%s: constraint %d is not a "
                    "function, got %s)", argno, fname, where, (int)k,
                 luaL_typename(L, -1));
    lua_pop(L, 1);
  }
  return len;
}

/* The run of f (1), x0 (2) with the options at base + S_OPTS and the
** equality list at eqidx (or 0: opts.eq). */
static int runtraced(lua_State *L, int base, const char *fname, int argno,
                     int eqidx, int eqargno) {
  slope_vec *x0;
  size_t n, meq, mineq, m, i;
  int eq, ineq, bounded;
  Run *R;
  char what[48];
  if (lua_type(L, 1) != LUA_TFUNCTION && slope_ad_testfn(L, 1) == NULL)
    luaL_typeerror(L, 1, "function");
  x0 = slope_vec_checkarg(L, 2);
  n = x0->n;
  if (eqidx == 0) {
    lua_getfield(L, base + S_OPTS, "eq");
    eq = lua_gettop(L);
    meq = checklist(L, eq, argno, fname, "field 'eq'");
  }
  else {
    eq = eqidx;
    meq = checklist(L, eq, eqargno, fname, "the constraint list");
  }
  lua_getfield(L, base + S_OPTS, "ineq");
  ineq = lua_gettop(L);
  mineq = checklist(L, ineq, argno, fname, "field 'ineq'");
  m = meq + mineq;
  R = newrun(L, base, n, m, fname, argno, 1);
  R->P.meq = meq;
  R->P.mineq = mineq;
  bounded = slope_cbounds_check(L, base + S_OPTS, n, (double *)R->P.lower,
                                (double *)R->P.upper, fname, argno);
  readoptions(L, R);
  R->method = choosemethod(L, R, bounded);
  /* trace everything once; the tapes stay alive in a table */
  lua_createtable(L, (int)m + 1, 0);
  lua_replace(L, base + S_TAPES);
  R->tapes.F = tracefn(L, R, 1, n, "the objective");
  lua_rawseti(L, base + S_TAPES, 1);
  for (i = 0; i < m; i++) {
    int list = i < meq ? eq : ineq;
    size_t k = i < meq ? i + 1 : i - meq + 1;
    snprintf(what, sizeof what, "%s constraint %d", i < meq ? "equality"
             : "inequality", (int)k);
    lua_rawgeti(L, list, (lua_Integer)k);
    R->tapes.C[i] = tracefn(L, R, lua_gettop(L), n, what);
    lua_rawseti(L, base + S_TAPES, (lua_Integer)i + 2);
    lua_pop(L, 1);
  }
  R->tapes.n = n;
  R->tapes.m = m;
  R->tapes.sign = R->sign;
  R->tapes.P = &R->P;
  R->P.fg = tapes_fg;
  R->P.cons = tapes_cons;
  R->P.hesslag = tapes_hesslag;
  R->P.hvplag = tapes_hvplag;
  R->P.ctx = &R->tapes;
  memcpy(R->r.x, x0->data, n * sizeof(double));
  if (R->method == &slope_cmethod_newtonkkt &&
      lua_getfield(L, base + S_OPTS, "method") == LUA_TNIL &&
      eqidx == 0)
    R->x0 = x0->data;  /* x0 stays at stack index 2 */
  lua_settop(L, base + S_NSLOTS - 1);
  return solve(L, R);
}

/* Make room for the slots after the top argument argc. */
static int slots(lua_State *L, int argc) {
  lua_settop(L, argc + S_NSLOTS - 1);  /* S_OPTS is argument argc */
  return argc;
}

/* core.optim.constrained(f, x0, opts): what minimize calls when opts has
** eq or ineq or names a constrained method. */
static int optim_constrained(lua_State *L) {
  int base;
  luaL_checktype(L, 3, LUA_TTABLE);
  base = slots(L, 3);
  return runtraced(L, base, "minimize", 3, 0, 0);
}

/* core.optim.lagrange(f, {c1, ...}, x0 [, opts]) */
static int optim_lagrange(lua_State *L) {
  int base;
  lua_settop(L, 4);
  if (lua_isnil(L, 4)) {
    lua_newtable(L);
    lua_replace(L, 4);
  }
  else
    luaL_checktype(L, 4, LUA_TTABLE);
  if (lua_isnil(L, 2) || !lua_istable(L, 2))
    luaL_error(L, "bad argument #2 to 'lagrange' (list of constraint "
                  "functions expected, got %s)", luaL_typename(L, 2));
  /* f, x0 at 1, 2 as runtraced wants them; the list moves up */
  lua_pushvalue(L, 2);
  lua_pushvalue(L, 3);
  lua_replace(L, 2);
  lua_replace(L, 3);
  if (lua_rawlen(L, 3) == 0)
    luaL_error(L, "bad argument #2 to 'lagrange' (at least one constraint "
                  "expected)");
  base = slots(L, 4);
  return runtraced(L, base, "lagrange", 4, 3, 2);
}

/* {======================================================
** optim.qp
** ======================================================= */

/* The matrix at spec[key] (a mat, or a table of rows) with cols columns,
** pushed as a mat; rows returned (0 and nil pushed when absent). */
static size_t qpmatrix(lua_State *L, int spec, const char *key, size_t cols,
                       int square) {
  slope_mat *M;
  int t = lua_getfield(L, spec, key);
  if (t == LUA_TNIL)
    return 0;
  if (slope_mat_test(L, -1) == NULL) {
    size_t r, c, rows;
    if (t != LUA_TTABLE)
      luaL_error(L, "bad argument #1 to 'qp' (field '%s' must be a matrix, "
                    "got %s)", key, slope_kindname(L, -1));
    rows = (size_t)lua_rawlen(L, -1);
    M = slope_mat_push(L, rows, cols);
    for (r = 0; r < rows; r++) {
      if (lua_rawgeti(L, -2, (lua_Integer)r + 1) != LUA_TTABLE &&
          slope_vec_test(L, -1) == NULL)
        luaL_error(L, "bad argument #1 to 'qp' (field '%s': row %d is not a "
                      "list of numbers)", key, (int)r + 1);
      for (c = 0; c < cols; c++) {
        int ok;
        lua_geti(L, -1, (lua_Integer)c + 1);
        M->data[r * cols + c] = lua_tonumberx(L, -1, &ok);
        if (!ok)
          luaL_error(L, "bad argument #1 to 'qp' (field '%s': row %d needs "
                        "%d numbers)", key, (int)r + 1, (int)cols);
        lua_pop(L, 1);
      }
      if (luaL_len(L, -1) != (lua_Integer)cols)
        luaL_error(L, "bad argument #1 to 'qp' (field '%s': row %d has %d "
                      "entries, expected %d)", key, (int)r + 1,
                   (int)luaL_len(L, -1), (int)cols);
      lua_pop(L, 1);
    }
    lua_replace(L, -2);
  }
  M = slope_mat_test(L, -1);
  if (M->cols != cols || (square && M->rows != cols))
    luaL_error(L, "bad argument #1 to 'qp' (field '%s' is %dx%d, expected "
                  "%s%d columns)", key, (int)M->rows, (int)M->cols,
               square ? "a square matrix of " : "", (int)cols);
  return M->rows;
}

/* spec[key] as a vector of len numbers, pushed (nil and 0 when absent). */
static size_t qpvector(lua_State *L, int spec, const char *key, size_t len,
                       int need) {
  slope_vec *v;
  if (lua_getfield(L, spec, key) == LUA_TNIL) {
    if (need)
      luaL_error(L, "bad argument #1 to 'qp' (field '%s' expected)", key);
    return 0;
  }
  if (lua_istable(L, -1) || slope_vec_test(L, -1) != NULL) {
    v = slope_vec_checkarg(L, lua_gettop(L));
    if (len != (size_t)-1 && v->n != len)
      luaL_error(L, "bad argument #1 to 'qp' (field '%s' has %d entries, "
                    "expected %d)", key, (int)v->n, (int)len);
    return v->n;
  }
  return (size_t)luaL_error(L, "bad argument #1 to 'qp' (field '%s' must be "
                               "a vector, got %s)", key,
                            slope_kindname(L, -1));
}

/* core.optim.qp{H=, c=, A_eq=, b_eq=, A_ineq=, b_ineq=, A_ub=, b_ub=,
** lower=, upper=, x0=, maximize=, method=, ...}:
**   minimise 1/2 x'Hx + c'x  s.t.  A_eq x = b_eq, A_ineq x >= b_ineq,
**   A_ub x <= b_ub, lower <= x <= upper. */
static int optim_qp(lua_State *L) {
  size_t n, meq, mge, mle, m, i, j;
  int base, spec = 1, bounded;
  const double *H, *c, *Aeq = NULL, *beq = NULL, *Age = NULL, *bge = NULL,
               *Ale = NULL, *ble = NULL;
  double *A, *b;
  Run *R;
  luaL_checktype(L, 1, LUA_TTABLE);
  lua_settop(L, 1);
  n = qpvector(L, spec, "c", (size_t)-1, 1);
  c = slope_vec_test(L, -1)->data;
  qpmatrix(L, spec, "H", n, 1);
  if (lua_isnil(L, -1)) {
    lua_pop(L, 1);
    slope_mat_push(L, n, n);  /* a linear program */
  }
  H = slope_mat_test(L, -1)->data;
  meq = qpmatrix(L, spec, "A_eq", n, 0);
  if (meq) Aeq = slope_mat_test(L, -1)->data;
  if (qpvector(L, spec, "b_eq", meq, meq > 0)) beq = slope_vec_test(L, -1)->data;
  mge = qpmatrix(L, spec, "A_ineq", n, 0);
  if (mge) Age = slope_mat_test(L, -1)->data;
  if (qpvector(L, spec, "b_ineq", mge, mge > 0))
    bge = slope_vec_test(L, -1)->data;
  mle = qpmatrix(L, spec, "A_ub", n, 0);
  if (mle) Ale = slope_mat_test(L, -1)->data;
  if (qpvector(L, spec, "b_ub", mle, mle > 0)) ble = slope_vec_test(L, -1)->data;
  m = meq + mge + mle;
  /* A and b, all rows as c_i = a_i'x - b_i (= 0 or >= 0) */
  A = slope_mat_push(L, m, n)->data;
  b = slope_vec_push(L, m)->data;
  for (i = 0; i < meq; i++) {
    memcpy(A + i * n, Aeq + i * n, n * sizeof(double));
    b[i] = beq[i];
  }
  for (i = 0; i < mge; i++) {
    memcpy(A + (meq + i) * n, Age + i * n, n * sizeof(double));
    b[meq + i] = bge[i];
  }
  for (i = 0; i < mle; i++) {  /* a'x <= b as -a'x >= -b */
    for (j = 0; j < n; j++) A[(meq + mge + i) * n + j] = -Ale[i * n + j];
    b[meq + mge + i] = -ble[i];
  }
  /* the slots: S_OPTS is the spec itself; everything above stays alive */
  lua_pushvalue(L, spec);
  base = lua_gettop(L);
  lua_settop(L, base + S_NSLOTS - 1);
  R = newrun(L, base, n, m, "qp", 1, 0);
  R->P.meq = meq;
  R->P.mineq = mge + mle;
  bounded = slope_cbounds_check(L, base + S_OPTS, n, (double *)R->P.lower,
                                (double *)R->P.upper, "qp", 1);
  readoptions(L, R);
  R->method = choosemethod(L, R, bounded);
  R->quad.n = n;
  R->quad.m = m;
  R->quad.H = H;
  R->quad.c = c;
  R->quad.A = A;
  R->quad.b = b;
  R->quad.sign = R->sign;
  R->quad.P = &R->P;
  R->P.fg = quad_fg;
  R->P.cons = quad_cons;
  R->P.hesslag = quad_hesslag;
  R->P.hvplag = quad_hvplag;
  R->P.ctx = &R->quad;
  /* x0: given, or 0 (projected into the box) */
  if (lua_getfield(L, spec, "x0") != LUA_TNIL) {
    slope_vec *x0 = slope_vec_checkarg(L, lua_gettop(L));
    if (x0->n != n)
      luaL_error(L, "bad argument #1 to 'qp' (field 'x0' has %d entries, "
                    "expected %d)", (int)x0->n, (int)n);
    memcpy(R->r.x, x0->data, n * sizeof(double));
  }
  lua_settop(L, base + S_NSLOTS - 1);
  /* a convex QP: tighter default tolerances cost little */
  return solve(L, R);
}

/* }====================================================== */

void slope_constrained_register(lua_State *L) {
  static const luaL_Reg funcs[] = {
    {"constrained", optim_constrained},
    {"lagrange", optim_lagrange},
    {"qp", optim_qp},
    {NULL, NULL}
  };
  luaL_setfuncs(L, funcs, 0);
}
