/*
** driver.c: the loop every method runs in, written once: options, the
** traced objective, stopping tests, learning rates, trace, callback,
** Ctrl-C, timing, evaluation counts and the best point so far; and
** core.optim.minimize, which builds the result table.
**
** All memory is one Lua userdata allocated before the loop; the loop calls
** Lua only for what the user asked to run in Lua (a callback, a schedule
** written as a Lua function, the trace table).
*/
#include "config.h"

#include <float.h>
#include <math.h>
#include <string.h>

#include <gsl/gsl_eigen.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_sort_vector.h>

#include <lauxlib.h>
#include <lua.h>

#include "ad/ad.h"
#include "interrupt.h"
#include "kernels.h"
#include "optim/constrained.h"
#include "optim/numeric.h"
#include "optim/optim.h"
#include "optim/progress.h"
#include "optim/schedule.h"
#include "optim/solver.h"
#include "optim/thin.h"
#include "vec.h"

/* Methods by name (lbfgs is the default). */
static const slope_solver_type *const methods[] = {
  &slope_solver_gd, &slope_solver_momentum, &slope_solver_nesterov,
  &slope_solver_adagrad, &slope_solver_rmsprop, &slope_solver_adam,
  &slope_solver_adamw, &slope_solver_bfgs, &slope_solver_lbfgs,
  &slope_solver_cg, &slope_solver_newton, &slope_solver_newtoncg,
  &slope_solver_neldermead, NULL
};

/* f growing past this many times (1 + |f0|) above its best is divergence */
#define BLOWUP 1e12

/* Stack slots above the arguments f, x0, opts. */
enum { ARG_F = 1, ARG_X0, ARG_OPTS, SLOT_F, SLOT_WORK, SLOT_LR, SLOT_CB,
       SLOT_TRACE, SLOT_BATCH, SLOT_WHY };

typedef struct Options {
  const slope_solver_type *method;
  slope_params p;
  int lrkind;  /* 0 a number, 1 a Lua function k -> lr, 2 a schedule */
  const slope_schedule *sched;  /* lrkind 2 (kept alive at SLOT_LR) */
  double gtol, ftol, xtol, maxtime;
  long maxiter;
  int maximize, trace, callback;
  long tracecap;  /* opts.trace = N: at most N records (0: no cap) */
  int nokind;  /* opts.kind = false: no Hessian inertia for result.kind */
  int progress;  /* opts.progress: SLOPE_PROGRESS_* */
  const char *fname;  /* the entry point and where opts is, for messages */
  int argno;
} Options;

/* The objective seen by solvers: the compiled tape, negated to maximise. */
/* The objective seen by solvers: the compiled tape (or, for a function
** that cannot be traced, the function itself with numerical derivatives),
** negated to maximise. */
typedef struct Target {
  slope_ad_fn *F;       /* NULL when num is used */
  slope_numeric *num;
  double sign;
} Target;

static double target_fg(void *ctx, const double *x, double *g) {
  Target *t = (Target *)ctx;
  double f;
  size_t i, n;
  if (t->num != NULL) {
    n = t->num->n;
    f = slope_numeric_f(t->num, x);
    if (g != NULL)
      slope_numeric_grad(t->num, x, g);
  }
  else {
    n = slope_ad_n(t->F);
    if (g == NULL)
      return t->sign * slope_ad_value(t->F, x);
    f = slope_ad_valgrad(t->F, x, g);
  }
  if (t->sign < 0 && g != NULL)
    for (i = 0; i < n; i++) g[i] = -g[i];
  return t->sign * f;
}

/* A counting wrapper: the objective's ctx is the slope_objective itself. */
typedef struct Counted {
  slope_objective obj;
  Target target;
  struct Batches *batches;  /* optim.sgd: minibatches; else NULL */
} Counted;

static void nextbatch(Counted *c);
static void addloss(Counted *c, double f);

/* With minibatches every gradient after the first is taken on the next
** batch: iterate's evaluation at the new point starts the next step. */
static double counted_fg(void *ctx, const double *x, double *g) {
  Counted *c = (Counted *)ctx;
  double f;
  c->obj.nf++;
  if (g != NULL) {
    c->obj.ng++;
    if (c->batches != NULL)
      nextbatch(c);
  }
  f = target_fg(&c->target, x, g);
  if (g != NULL && c->batches != NULL)
    addloss(c, f);
  return f;
}

/* The Hessian and Hessian-vector products of the tape (negated to
** maximise); the driver reserves the tape's workspace first. A Ctrl-C
** during a dense Hessian is taken by the loop at the next check. */
static void counted_hess(void *ctx, const double *x, double *h) {
  Counted *c = (Counted *)ctx;
  size_t i, n = c->obj.n;
  c->obj.nh++;
  if (c->target.num != NULL)
    slope_numeric_hessian(c->target.num, x, h);
  else if (slope_ad_hessian(c->target.F, x, h) != 0)
    for (i = 0; i < n * n; i++) h[i] = NAN;
  else if (c->target.sign < 0)
    for (i = 0; i < n * n; i++) h[i] = -h[i];
}

static void counted_hvp(void *ctx, const double *x, const double *v,
                        double *hv) {
  Counted *c = (Counted *)ctx;
  size_t i;
  c->obj.nh++;
  if (c->target.num != NULL)
    slope_numeric_hvp(c->target.num, x, v, hv);
  else
    slope_ad_hvp(c->target.F, x, v, hv);
  if (c->target.sign < 0)
    for (i = 0; i < c->obj.n; i++) hv[i] = -hv[i];
}

/* {======================================================
** Options
** ======================================================= */

/* Push opts[k] (opts is a table by now) and return its type. */
static int optfield(lua_State *L, const char *k) {
  return lua_getfield(L, ARG_OPTS, k);
}

static double optnumber(lua_State *L, const Options *o, const char *k,
                        double def, double lo, double hi, const char *what) {
  double v = def;
  int t = optfield(L, k);
  if (t == LUA_TNUMBER) {
    v = lua_tonumber(L, -1);
    if (!(v >= lo && v <= hi))
      luaL_error(L, "bad argument #%d to '%s' (field '%s' must be %s, "
                    "got %f)", o->argno, o->fname, k, what, v);
  }
  else if (t != LUA_TNIL)
    luaL_error(L, "bad argument #%d to '%s' (field '%s' must be a "
                  "number, got %s)", o->argno, o->fname, k, luaL_typename(L, -1));
  lua_pop(L, 1);
  return v;
}

static int optboolean(lua_State *L, const Options *o, const char *k) {
  int t = optfield(L, k), v = 0;
  if (t == LUA_TBOOLEAN)
    v = lua_toboolean(L, -1);
  else if (t != LUA_TNIL)
    luaL_error(L, "bad argument #%d to '%s' (field '%s' must be a "
                  "boolean, got %s)", o->argno, o->fname, k, luaL_typename(L, -1));
  lua_pop(L, 1);
  return v;
}

/* The options of bfgs, lbfgs and cg: Wolfe constants 0 < c1 < c2 < 1
** (c2 0.9, or 0.1 for cg), memory (lbfgs, 10 pairs) and variant (cg, "pr"
** or "fr"). */
static void checklinesearch(lua_State *L, Options *o) {
  double open1 = 1 - DBL_EPSILON / 2, m;
  int t;
  o->p.c1 = optnumber(L, o, "c1", 1e-4, DBL_MIN, open1, "in (0, 1)");
  o->p.c2 = optnumber(L, o, "c2", o->method == &slope_solver_cg ? 0.1 : 0.9,
                      DBL_MIN, open1, "in (c1, 1)");
  if (!(o->p.c2 > o->p.c1))
    luaL_error(L, "bad argument #%d to '%s' (field 'c2' must be in "
                  "(c1, 1), got %f)", o->argno, o->fname, o->p.c2);
  m = optnumber(L, o, "memory", 10, 1, 1e6, "an integer in [1, 1e6]");
  if (m != floor(m))
    luaL_error(L, "bad argument #%d to '%s' (field 'memory' must be "
                  "an integer in [1, 1e6], got %f)", o->argno, o->fname, m);
  o->p.memory = (int)m;
  t = optfield(L, "variant");
  if (t == LUA_TSTRING && strcmp(lua_tostring(L, -1), "fr") == 0)
    o->p.variant = 1;
  else if (t != LUA_TNIL &&
           !(t == LUA_TSTRING && strcmp(lua_tostring(L, -1), "pr") == 0))
    luaL_error(L, "bad argument #%d to '%s' (field 'variant' must be "
                  "\"pr\" or \"fr\", got %s)", o->argno, o->fname, t == LUA_TSTRING
               ? lua_tostring(L, -1) : luaL_typename(L, -1));
  lua_pop(L, 1);
}

static void checkoptions(lua_State *L, Options *o, const char *fname,
                         int argno) {
  int t;
  const char *name;
  size_t i;
  o->fname = fname;
  o->argno = argno;
  if (lua_isnoneornil(L, ARG_OPTS)) {
    lua_newtable(L);
    lua_replace(L, ARG_OPTS);
  }
  else if (!lua_istable(L, ARG_OPTS))
    luaL_error(L, "bad argument #%d to '%s' (table expected, got %s)", o->argno, o->fname,
               luaL_typename(L, ARG_OPTS));
  o->method = &slope_solver_lbfgs;  /* the default */
  t = optfield(L, "method");
  if (t != LUA_TNIL) {
    name = lua_tostring(L, -1);
    o->method = NULL;
    for (i = 0; t == LUA_TSTRING && methods[i] != NULL; i++)
      if (strcmp(name, methods[i]->name) == 0)
        o->method = methods[i];
    if (o->method == NULL) {
      luaL_Buffer b;
      luaL_buffinit(L, &b);
      for (i = 0; methods[i] != NULL; i++) {
        luaL_addstring(&b, i ? ", " : "");
        luaL_addstring(&b, methods[i]->name);
      }
      luaL_pushresult(&b);
      luaL_error(L, "bad argument #%d to '%s' (field 'method' must be "
                    "one of %s)", o->argno, o->fname, lua_tostring(L, -1));
    }
  }
  lua_pop(L, 1);
  memset(&o->p, 0, sizeof o->p);
  /* lr: a number, a function k -> lr, or absent (gd: line search) */
  o->lrkind = 0;
  o->sched = NULL;
  t = optfield(L, "lr");
  if (t == LUA_TNUMBER) {
    o->p.lr = lua_tonumber(L, -1);
    if (!(o->p.lr > 0 && isfinite(o->p.lr)))
      luaL_error(L, "bad argument #%d to '%s' (field 'lr' must be "
                    "positive, got %f)", o->argno, o->fname, o->p.lr);
  }
  else if ((o->sched = slope_schedule_test(L, -1)) != NULL) {
    o->lrkind = 2;  /* computed in C */
    o->p.lr = slope_schedule_lr(o->sched, 0);
    lua_pushvalue(L, -1);
    lua_replace(L, SLOT_LR);
  }
  else if (t == LUA_TFUNCTION || (t != LUA_TNIL && luaL_getmetafield(
                                      L, -1, "__call") != LUA_TNIL)) {
    if (t != LUA_TFUNCTION)
      lua_pop(L, 1);  /* the __call field */
    o->lrkind = 1;
    lua_pushvalue(L, -1);
    lua_replace(L, SLOT_LR);
  }
  else if (t != LUA_TNIL)
    luaL_error(L, "bad argument #%d to '%s' (field 'lr' must be a "
                  "number, a schedule or a function, got %s)", o->argno, o->fname,
               luaL_typename(L, -1));
  else if (o->method == &slope_solver_gd)
    o->p.linesearch = 1, o->p.lr = 1;
  else
    o->p.lr = (o->method == &slope_solver_adam ||
               o->method == &slope_solver_adamw ||
               o->method == &slope_solver_rmsprop) ? 1e-3 : 1e-2;
  lua_pop(L, 1);
  o->p.momentum = optnumber(L, o, "momentum", 0.9, 0, 1, "in [0, 1]");
  o->p.beta1 = optnumber(L, o, "beta1", 0.9, 0, 1, "in [0, 1)");
  o->p.beta2 = optnumber(L, o, "beta2", o->method == &slope_solver_rmsprop
                         ? 0.9 : 0.999, 0, 1, "in [0, 1)");
  o->p.eps = optnumber(L, o, "eps", 1e-8, 0, HUGE_VAL, "non-negative");
  o->p.weight_decay = optnumber(L, o, "weight_decay", 0.01, 0, HUGE_VAL,
                                "non-negative");
  checklinesearch(L, o);
  o->gtol = optnumber(L, o, "gtol", 1e-6, 0, HUGE_VAL, "non-negative");
  o->ftol = optnumber(L, o, "ftol", 0, 0, HUGE_VAL, "non-negative");
  o->xtol = optnumber(L, o, "xtol", 0, 0, HUGE_VAL, "non-negative");
  o->maxtime = optnumber(L, o, "maxtime", HUGE_VAL, 0, HUGE_VAL, "non-negative");
  o->maxiter = (long)optnumber(L, o, "maxiter", 10000, 0, 1e15,
                               "a non-negative integer");
  o->maximize = optboolean(L, o, "maximize");
  o->nokind = lua_getfield(L, ARG_OPTS, "kind") == LUA_TBOOLEAN &&
              !lua_toboolean(L, -1);
  lua_pop(L, 1);
  o->trace = slope_thin_option(L, ARG_OPTS, o->argno, o->fname, &o->tracecap);
  t = optfield(L, "progress");
  o->progress = t == LUA_TNIL ? SLOPE_PROGRESS_AUTO
                : lua_toboolean(L, -1) ? SLOPE_PROGRESS_ON : SLOPE_PROGRESS_OFF;
  if (t != LUA_TNIL && t != LUA_TBOOLEAN)
    luaL_error(L, "bad argument #%d to '%s' (field 'progress' must be a "
                  "boolean, got %s)", o->argno, o->fname, luaL_typename(L, -1));
  lua_pop(L, 1);
  t = optfield(L, "callback");
  o->callback = (t == LUA_TFUNCTION);
  if (t != LUA_TNIL && t != LUA_TFUNCTION)
    luaL_error(L, "bad argument #%d to '%s' (field 'callback' must be "
                  "a function, got %s)", o->argno, o->fname, luaL_typename(L, -1));
  if (o->callback)
    lua_replace(L, SLOT_CB);
  else
    lua_pop(L, 1);
}

/* }====================================================== */

/* {======================================================
** The loop
** ======================================================= */


static int allfinite(const double *v, size_t n) {
  size_t i;
  for (i = 0; i < n; i++)
    if (!isfinite(v[i])) return 0;
  return 1;
}

/* The learning rate of iteration k from a Lua function (at SLOT_LR). */
static double lualr(lua_State *L, long k) {
  double lr;
  int ok;
  lua_pushvalue(L, SLOT_LR);
  lua_pushinteger(L, (lua_Integer)k);
  lua_call(L, 1, 1);
  lr = lua_tonumberx(L, -1, &ok);
  if (!ok || !(lr >= 0) || !isfinite(lr))
    luaL_error(L, "minimize: the schedule returned %s at iteration %d, not "
                  "a non-negative number", ok ? lua_tostring(L, -1)
                                             : luaL_typename(L, -1), (int)k);
  lua_pop(L, 1);
  return lr;
}

static void pushvec(lua_State *L, const double *x, size_t n) {
  memcpy(slope_vec_push(L, n)->data, x, n * sizeof(double));
}

/* Trace records carry x up to this many variables (paths to plot). */
#define TRACE_X_MAX 100

/* Push the trace record {iter, f, gnorm, step, lr[, x]}. */
static void record(lua_State *L, long k, const double *x, size_t n, double f,
                   double gnorm, double step, double lr) {
  lua_createtable(L, 0, 6);
  lua_pushinteger(L, (lua_Integer)k); lua_setfield(L, -2, "iter");
  if (n <= TRACE_X_MAX) {
    pushvec(L, x, n);
    lua_setfield(L, -2, "x");
  }
  lua_pushnumber(L, f); lua_setfield(L, -2, "f");
  lua_pushnumber(L, gnorm); lua_setfield(L, -2, "gnorm");
  lua_pushnumber(L, step); lua_setfield(L, -2, "step");
  lua_pushnumber(L, lr); lua_setfield(L, -2, "lr");
}

/* Call the callback with a read-only state; 1 if it asks to stop. */
static int callback(lua_State *L, long k, const double *x, size_t n, double f,
                    double gnorm, double lr) {
  int stop;
  lua_pushvalue(L, SLOT_CB);
  lua_createtable(L, 0, 5);
  lua_pushinteger(L, (lua_Integer)k); lua_setfield(L, -2, "iter");
  pushvec(L, x, n); lua_setfield(L, -2, "x");
  lua_pushnumber(L, f); lua_setfield(L, -2, "f");
  lua_pushnumber(L, gnorm); lua_setfield(L, -2, "gnorm");
  lua_pushnumber(L, lr); lua_setfield(L, -2, "lr");
  lua_call(L, 1, 1);
  stop = lua_toboolean(L, -1);
  lua_pop(L, 1);
  return stop;
}

/* {======================================================
** Curvature: what kind of point the run stopped at
** ======================================================= */

/* Up to this n the Hessian is formed and all its eigenvalues computed;
** above it, Lanczos on Hessian-vector products estimates the extremes. */
#define DENSE_MAX 200
#define LANCZOS_STEPS 40

/* Eigenvalues (ascending) of the symmetric k x k matrix a (destroyed)
** into ev; 0 on success. */
static int symeig(double *a, size_t k, double *ev) {
  gsl_matrix_view A = gsl_matrix_view_array(a, k, k);
  gsl_vector_view E = gsl_vector_view_array(ev, k);
  gsl_eigen_symm_workspace *w = gsl_eigen_symm_alloc(k);
  int rc;
  if (w == NULL)
    return -1;
  rc = gsl_eigen_symm(&A.matrix, &E.vector, w);
  gsl_eigen_symm_free(w);
  if (rc == 0)
    gsl_sort_vector(&E.vector);
  return rc;
}

/* The Hessian and H v of f itself (not negated, not counted). */
static int rawhess(Target *t, const double *x, double *h) {
  if (t->num != NULL) {
    slope_numeric_hessian(t->num, x, h);
    return 0;
  }
  return slope_ad_hessian(t->F, x, h);
}

static void rawhvp(Target *t, const double *x, const double *v, double *hv) {
  if (t->num != NULL)
    slope_numeric_hvp(t->num, x, v, hv);
  else
    slope_ad_hvp(t->F, x, v, hv);
}

/* The extreme eigenvalues of the Hessian of f (the user's, whatever the
** sign the run minimises) at x. Dense: all n eigenvalues are left on the
** stack as a vec (returns 1); Lanczos: nothing pushed (returns 0). */
static int curvature(lua_State *L, Target *T, const double *x, size_t n,
                     double *lmin, double *lmax) {
  *lmin = *lmax = NAN;
  if (T->F != NULL)
    slope_ad_reserve(L, T->F);
  if (n == 0)
    return 0;
  if (n <= DENSE_MAX) {
    double *h = (double *)lua_newuserdatauv(L, n * n * sizeof(double), 0);
    slope_vec *ev = slope_vec_push(L, n);
    if (rawhess(T, x, h) != 0 || symeig(h, n, ev->data) != 0) {
      lua_pop(L, 2);
      return 0;
    }
    lua_remove(L, -2);  /* the Hessian */
    *lmin = ev->data[0];
    *lmax = ev->data[n - 1];
    return 1;
  }
  else {  /* Lanczos without reorthogonalisation: fine for the extremes */
    size_t m = n < LANCZOS_STEPS ? n : LANCZOS_STEPS, j, i;
    double *q = (double *)lua_newuserdatauv(
        L, (3 * n + 2 * m + m * m + m) * sizeof(double), 0);
    double *qp = q + n, *w = qp + n, *alpha = w + n, *beta = alpha + m;
    double *t = beta + m, *ev = t + m * m, nrm = 0;
    for (i = 0; i < n; i++) {  /* a fixed, generic start */
      q[i] = 1 + 0.5 * sin((double)i);
      nrm += q[i] * q[i];
    }
    nrm = sqrt(nrm);
    for (i = 0; i < n; i++) { q[i] /= nrm; qp[i] = 0; }
    for (j = 0; j < m; j++) {
      double a = 0, b = 0;
      rawhvp(T, x, q, w);
      for (i = 0; i < n; i++) a += w[i] * q[i];
      for (i = 0; i < n; i++) {
        w[i] -= a * q[i] + (j ? beta[j - 1] : 0) * qp[i];
        b += w[i] * w[i];
      }
      alpha[j] = a;
      beta[j] = b = sqrt(b);
      if (!(b > 1e-12 * (fabs(a) + 1)) || j + 1 == m) {
        m = j + 1;
        break;
      }
      for (i = 0; i < n; i++) { qp[i] = q[i]; q[i] = w[i] / b; }
    }
    memset(t, 0, m * m * sizeof(double));
    for (j = 0; j < m; j++) {
      t[j * m + j] = alpha[j];
      if (j + 1 < m) t[j * m + j + 1] = t[(j + 1) * m + j] = beta[j];
    }
    if (symeig(t, m, ev) == 0) {
      *lmin = ev[0];
      *lmax = ev[m - 1];
    }
    lua_pop(L, 1);
    return 0;
  }
}

/* minimum, maximum, saddle or degenerate from the extreme eigenvalues. */
static const char *kindof(double lmin, double lmax) {
  double tol = 1e-8 * fmax(fmax(fabs(lmin), fabs(lmax)), 1e-300);
  if (lmin != lmin || lmax != lmax)
    return "unknown";
  tol = fmax(tol, 1e-12);
  if (lmin > tol) return "minimum";
  if (lmax < -tol) return "maximum";
  if (lmin < -tol && lmax > tol) return "saddle";
  return "degenerate";
}

/* }====================================================== */

/* {======================================================
** Runs: a solver object that keeps its loop's state between calls
** ======================================================= */

#define SOLVER "slope.optim.solver"

/* Uservalues of a run: the compiled function, the schedule function, the
** callback, the trace table and the minibatches, pushed to SLOT_F ..
** SLOT_BATCH by every method (SLOT_WORK holds the run itself), and why f
** could not be traced (SLOT_WHY: nil when it was). */
#define NUSER 6

/* Gradient norms kept for the convergence order. */
#define ORDER_KEEP 4

typedef struct Run {
  Options o;
  Counted c;
  size_t n;
  double *x, *g, *xb, *gb, *xp;  /* point, gradient, best, previous */
  double *lo, *up;  /* bounds (opts.lower, opts.upper), or NULL */
  void *state;
  double f, fb, gnorm, step, lr, t0, elapsed;
  double gn[ORDER_KEEP];  /* the last gradient norms, newest last */
  int ngn, escapes, stalls;
  long k;
  const char *status, *message;  /* NULL while running */
  slope_numeric num;  /* f untraced: through Lua, finite differences */
  slope_progress progress;  /* the line on the terminal of a long run */
  slope_thin thin;  /* the trace's records: every one, or thinned */
  struct {          /* the last iteration, when thinning skipped it */
    int pending;
    long k;
    double f, gnorm, step, lr, x[TRACE_X_MAX];
  } skipped;
} Run;

static Run *checkrun(lua_State *L, int idx) {
  return (Run *)luaL_checkudata(L, idx, SOLVER);
}

/* Lay out the stack of a method call on the run at index 1: arguments up
** to ARG_OPTS, then the run's uservalues in their slots. */
static Run *enter(lua_State *L) {
  Run *R = checkrun(L, 1);
  int i;
  lua_settop(L, ARG_OPTS);
  lua_getiuservalue(L, 1, 1);             /* SLOT_F */
  lua_pushvalue(L, 1);                    /* SLOT_WORK */
  for (i = 2; i <= NUSER; i++)
    lua_getiuservalue(L, 1, i);  /* SLOT_LR .. SLOT_WHY */
  if (R->c.target.num != NULL) {  /* f is at SLOT_F in this call */
    R->num.L = L;
    R->num.fidx = SLOT_F;
  }
  else if (R->c.batches == NULL)
    slope_ad_setdata(L, R->c.target.F, 0, 0, "solver");
  return R;
}

/* Record iteration R->k at the end of the trace (the start, k = 0, goes to
** trace[0], out of the way of # and ipairs), or keep it aside when the
** thinning skips it, to be added at the end if it is the last. */
static void trace(lua_State *L, Run *R) {
  double f = R->c.target.sign * R->f;
  if (R->k == 0 || slope_thin_keeps(&R->thin, R->k)) {
    record(L, R->k, R->x, R->n, f, R->gnorm, R->step, R->lr);
    if (R->k == 0)
      lua_rawseti(L, SLOT_TRACE, 0);
    else
      slope_thin_add(L, &R->thin, SLOT_TRACE);
    R->skipped.pending = 0;
    return;
  }
  R->skipped.pending = 1;
  R->skipped.k = R->k;
  R->skipped.f = f;
  R->skipped.gnorm = R->gnorm;
  R->skipped.step = R->step;
  R->skipped.lr = R->lr;
  if (R->n <= TRACE_X_MAX)
    memcpy(R->skipped.x, R->x, R->n * sizeof(double));
}

/* The trace with its last iteration, which the thinning may have skipped. */
static void pushtrace(lua_State *L, Run *R) {
  if (R->skipped.pending) {
    record(L, R->skipped.k, R->skipped.x, R->n, R->skipped.f,
           R->skipped.gnorm, R->skipped.step, R->skipped.lr);
    slope_thin_add(L, &R->thin, SLOT_TRACE);
    R->skipped.pending = 0;
  }
  lua_pushvalue(L, SLOT_TRACE);
}

/* The gradient norm of the stopping test: within bounds, the projected
** gradient's. */
static double gradnorm(const Run *R, const double *x, const double *g) {
  return R->lo != NULL ? slope_projgrad_norm(R->n, x, g, R->lo, R->up, 0)
                       : slope_norm2(g, R->n);
}

static void keepgnorm(Run *R) {
  if (R->ngn == ORDER_KEEP) {
    memmove(R->gn, R->gn + 1, (ORDER_KEEP - 1) * sizeof(double));
    R->ngn--;
  }
  R->gn[R->ngn++] = R->gnorm;
}

static void finish(Run *R, const char *status, const char *message) {
  R->status = status;
  R->message = message;
}

/* At a stationary point: if the method can, and the point is a saddle of
** the function minimised, step out along negative curvature; 1 if moved. */
#define MAX_ESCAPES 20
static int saddle_escape(lua_State *L, Run *R) {
  double lmin, lmax, sign = R->c.target.sign;
  int top = lua_gettop(L);
  if (R->o.method->escape == NULL || R->escapes >= MAX_ESCAPES)
    return 0;
  curvature(L, &R->c.target, R->x, R->n, &lmin, &lmax);
  lua_settop(L, top);
  if (sign < 0) {  /* the run minimises -f */
    double t = lmin;
    lmin = -lmax;
    lmax = -t;
  }
  if (strcmp(kindof(lmin, lmax), "saddle") != 0 &&
      !(lmin < -1e-8 * fmax(fabs(lmax), 1e-300)))
    return 0;
  if (R->o.method->escape(R->state, &R->c.obj, &R->o.p, R->x, &R->f, R->g) !=
      SLOPE_STEP_OK)
    return 0;
  R->escapes++;
  R->c.obj.notes |= SLOPE_NOTE_NEGATIVE_CURVATURE;
  R->gnorm = gradnorm(R, R->x, R->g);
  if (R->f < R->fb) {
    R->fb = R->f;
    memcpy(R->xb, R->x, R->n * sizeof(double));
    memcpy(R->gb, R->g, R->n * sizeof(double));
  }
  return 1;
}

/* The progress line after an iteration (below, with the batches). */
static void tick(Run *R);

/* After a step from xp to x: its length and the gradient norm, in one
** pass where the two sums of squares run side by side, each in the order
** of its own plain loop (so the bits of a loop apiece, and of
** slope_norm2). Returns FINITE_X | FINITE_G for x and g wholly finite: a
** finite sum of squares has finite terms, so only a sum that is not calls
** for a scan (x - xp is finite only where both are). */
enum { FINITE_X = 1, FINITE_G = 2 };
static int measure(Run *R, const double *xp) {
  const double *x = R->x, *g = R->g;
  double ss = 0, gg = 0, d;
  size_t i, n = R->n;
  int bounded = R->lo != NULL;
  if (bounded)
    for (i = 0; i < n; i++) {
      d = x[i] - xp[i];
      ss += d * d;
    }
  else
    for (i = 0; i < n; i++) {
      d = x[i] - xp[i];
      ss += d * d;
      gg += g[i] * g[i];
    }
  R->step = sqrt(ss);
  if (bounded)
    R->gnorm = gradnorm(R, x, g);
  else if (isnan(gg) || (isfinite(gg) && gg >= DBL_MIN))
    R->gnorm = sqrt(gg);
  else
    R->gnorm = slope_norm2(g, n);  /* overflow or underflow: rescaled */
  return ((isfinite(ss) || allfinite(x, n)) ? FINITE_X : 0) |
         (((!bounded && isfinite(gg)) || allfinite(g, n)) ? FINITE_G : 0);
}

/* Iterations in a row without progress that end a run. */
#define STALLS 10

/* Up to steps iterations (or to the end when steps < 0). */
static void advance(lua_State *L, Run *R, long steps) {
  Options *o = &R->o;
  size_t i, n = R->n;
  double fp, sign = R->c.target.sign, t1 = slope_now(), *xp = R->xp;
  int rc, finite, bestx = 0;  /* bestx: the best point is x (xb is stale) */
  while (R->status == NULL && steps-- != 0) {
    if (R->gnorm <= o->gtol && !(o->method->needs & SLOPE_DERIVATIVE_FREE)) {
      if (bestx) {  /* an escape moves x */
        memcpy(R->xb, R->x, n * sizeof(double));
        memcpy(R->gb, R->g, n * sizeof(double));
        bestx = 0;
      }
      if (saddle_escape(L, R))
        continue;  /* stepped out of a saddle: go on from there */
      finish(R, "converged", "the gradient norm is below gtol");
      break;
    }
    if (R->k >= o->maxiter) {
      finish(R, "maxiter", "maxiter iterations done before convergence");
      break;
    }
    if (R->elapsed + (slope_now() - t1) > o->maxtime) {
      finish(R, "maxtime", "maxtime seconds spent before convergence");
      break;
    }
    if (slope_interrupt_take(L)) {
      finish(R, "interrupted",
             "interrupted (Ctrl-C); the best point so far is returned");
      break;
    }
    if (o->lrkind == 1)
      o->p.lr = lualr(L, R->k);
    else if (o->lrkind == 2)
      o->p.lr = slope_schedule_lr(o->sched, R->k);
    R->lr = o->p.lr;
    /* the point before the step: kept in xb when it is the best so far
    ** (one copy for both), else in xp */
    xp = bestx ? R->xb : R->xp;
    memcpy(xp, R->x, n * sizeof(double));
    if (bestx)
      memcpy(R->gb, R->g, n * sizeof(double));
    bestx = 0;
    fp = R->f;
    rc = o->method->iterate(R->state, &R->c.obj, &o->p, R->k, R->x, &R->f,
                            R->g);
    if (rc == SLOPE_STEP_FAILED) {
      memcpy(R->x, xp, n * sizeof(double));
      R->f = fp;
      finish(R, "line_search_failed",
             "the line search found no acceptable step");
      break;
    }
    if (R->lo != NULL && o->method != &slope_solver_lbfgsb) {
      /* a first-order step within bounds: project it */
      int moved = 0;
      for (i = 0; i < n; i++) {
        double v = fmin(fmax(R->x[i], R->lo[i]), R->up[i]);
        moved |= (v != R->x[i]);
        R->x[i] = v;
      }
      if (moved)
        R->f = R->c.obj.fg(R->c.obj.ctx, R->x, R->g);
    }
    R->k++;
    finite = measure(R, xp);
    if (!(finite & FINITE_X) || R->f == HUGE_VAL || R->f == -HUGE_VAL ||
        (isfinite(R->f) && R->f > R->fb + BLOWUP * (1 + fabs(R->fb)))) {
      finish(R, "diverged", "diverged: f grew without bound; the last finite "
                            "point is returned (try a smaller learning rate)");
      break;
    }
    if (R->f != R->f || !(finite & FINITE_G)) {
      finish(R, "nan", "f or its gradient became NaN; the last finite point "
                       "is returned (try a smaller learning rate)");
      break;
    }
    keepgnorm(R);
    /* no progress to rounding, again and again: stop rather than spin */
    if (!(o->method->needs & SLOPE_DERIVATIVE_FREE) && R->c.batches == NULL &&
        fabs(fp - R->f) <= 4 * DBL_EPSILON * fmax(1, fabs(R->f)) &&
        R->step <= 4 * DBL_EPSILON * (1 + slope_norm2(R->x, n)))  /* ||x||: rarely */
      R->stalls++;
    else
      R->stalls = 0;
    if (R->f < R->fb) {  /* copied before the next step moves x */
      R->fb = R->f;
      bestx = 1;
    }
    if (o->trace)
      trace(L, R);
    tick(R);
    if (o->callback && callback(L, R->k, R->x, n, sign * R->f, R->gnorm,
                                R->lr)) {
      finish(R, "stopped", "the callback asked to stop");
      break;
    }
    if (rc == SLOPE_STEP_CONVERGED) {
      finish(R, "converged", "the method's own test (simplex size) is met");
      break;
    }
    if (R->stalls >= STALLS) {
      finish(R, "line_search_failed",
             "no progress: x and f unchanged to rounding for several "
             "iterations short of gtol; the best point is returned");
      break;
    }
    if (o->ftol > 0 && fabs(fp - R->f) <=
        o->ftol * fmax(1, fmax(fabs(R->f), fabs(fp)))) {
      finish(R, "converged", "the change in f is below ftol");
      break;
    }
    if (o->xtol > 0 && R->step <= o->xtol * (1 + slope_norm2(R->x, n))) {
      finish(R, "converged", "the step is below xtol");
      break;
    }
  }
  R->elapsed += slope_now() - t1;
  slope_progress_end(&R->progress);
  if (bestx || (R->status != NULL && strcmp(R->status, "converged") == 0)) {
    R->fb = R->f;  /* the converged point, else the best seen */
    memcpy(R->xb, R->x, n * sizeof(double));
    memcpy(R->gb, R->g, n * sizeof(double));
  }
}

/* The observed order of convergence from the last gradient norms: q in
** |g_k+1| ~ C |g_k|^q, estimated as log ratios of successive ratios. */
static const char *order(const Run *R, double *q) {
  const double *e = R->gn;
  double a, b;
  *q = NAN;
  if (R->ngn < 3 || !(e[R->ngn - 1] > 0) || !(e[R->ngn - 2] > 0) ||
      !(e[R->ngn - 3] > 0))
    return "unknown";
  a = log(e[R->ngn - 1] / e[R->ngn - 2]);
  b = log(e[R->ngn - 2] / e[R->ngn - 3]);
  if (!(b < 0) || !(a < 0))
    return "unknown";  /* not decreasing: no order to speak of */
  *q = a / b;
  if (*q > 1.8) return "quadratic";
  if (*q > 1.2) return "superlinear";
  return "linear";
}

/* Push the result table of a run. */
static void pushresult(lua_State *L, Run *R) {
  size_t i, n = R->n;
  double sign = R->c.target.sign, q;
  double *gb = R->gb;
  const char *ord;
  double lmin = NAN, lmax = NAN;
  int dense = 0;
  if ((R->o.method->needs & SLOPE_DERIVATIVE_FREE) && R->status != NULL)
    R->fb = R->c.obj.fg(R->c.obj.ctx, R->xb, gb);  /* g was not kept up */
  if (!R->o.nokind)
    dense = curvature(L, &R->c.target, R->xb, n, &lmin, &lmax);
  lua_createtable(L, 0, 20);
  if (dense) {
    lua_rotate(L, -2, 1);  /* the eigenvalues above the table */
    lua_setfield(L, -2, "eigenvalues");
  }
  if (!R->o.nokind) {
    lua_pushstring(L, kindof(lmin, lmax));
    lua_setfield(L, -2, "kind");
    lua_createtable(L, 0, 2);
    lua_pushnumber(L, lmin); lua_setfield(L, -2, "min");
    lua_pushnumber(L, lmax); lua_setfield(L, -2, "max");
    lua_setfield(L, -2, "curvature");
  }
  pushvec(L, R->xb, n); lua_setfield(L, -2, "x");
  lua_pushnumber(L, sign * R->fb); lua_setfield(L, -2, "f");
  {
    double *g = slope_vec_push(L, n)->data;
    for (i = 0; i < n; i++) g[i] = sign * gb[i];
  }
  lua_setfield(L, -2, "grad");
  lua_pushnumber(L, gradnorm(R, R->xb, gb)); lua_setfield(L, -2, "gnorm");
  if (R->lo != NULL)  /* multipliers of the bounds, KKT residuals */
    slope_cbounds_push(L, n, R->xb, gb, R->lo, R->up, sign);
  lua_pushinteger(L, (lua_Integer)R->k); lua_setfield(L, -2, "iterations");
  lua_createtable(L, 0, 3);
  lua_pushinteger(L, (lua_Integer)R->c.obj.nf); lua_setfield(L, -2, "f");
  lua_pushinteger(L, (lua_Integer)R->c.obj.ng); lua_setfield(L, -2, "grad");
  lua_pushinteger(L, (lua_Integer)R->c.obj.nh); lua_setfield(L, -2, "hess");
  lua_setfield(L, -2, "evaluations");
  lua_pushstring(L, R->status ? R->status : "running");
  lua_setfield(L, -2, "status");
  lua_pushstring(L, R->message ? R->message : "still running: call run()");
  lua_setfield(L, -2, "message");
  lua_pushstring(L, R->o.method->name); lua_setfield(L, -2, "method");
  lua_pushstring(L, R->c.target.num != NULL ? "numeric" : "ad");
  lua_setfield(L, -2, "gradient");
  if (lua_isstring(L, SLOT_WHY)) {  /* a fallback: say so, and why */
    lua_getfield(L, -1, "message");
    lua_pushfstring(L, "%s (f could not be traced, so its derivatives were "
                       "taken numerically: %s)", lua_tostring(L, -1),
                    lua_tostring(L, SLOT_WHY));
    lua_setfield(L, -3, "message");
    lua_pop(L, 1);
  }
  lua_pushnumber(L, R->elapsed); lua_setfield(L, -2, "time");
  if ((R->o.method->needs & SLOPE_USES_LR) && !R->o.p.linesearch) {
    lua_pushnumber(L, R->lr);  /* the last rate used */
    lua_setfield(L, -2, "lr");
  }
  ord = order(R, &q);
  lua_pushstring(L, ord); lua_setfield(L, -2, "order");
  if (q == q) {
    lua_pushnumber(L, q);
    lua_setfield(L, -2, "order_estimate");
  }
  lua_createtable(L, 0, 3);
  if (R->c.obj.notes & SLOPE_NOTE_HESSIAN_MODIFIED) {
    lua_pushboolean(L, 1);
    lua_setfield(L, -2, "hessian_modified");
  }
  if (R->c.obj.notes & SLOPE_NOTE_NEGATIVE_CURVATURE) {
    lua_pushboolean(L, 1);
    lua_setfield(L, -2, "negative_curvature");
  }
  if (R->c.obj.notes & SLOPE_NOTE_RESTARTED) {
    lua_pushboolean(L, 1);
    lua_setfield(L, -2, "restarted");
  }
  lua_setfield(L, -2, "notes");
  if (R->o.trace) {
    pushtrace(L, R);
    lua_setfield(L, -2, "trace");
  }
}

/* Build a run from f, x0, opts (stack as in minimize) and push it. */
static struct Batches *compilebatches(lua_State *L, size_t n);

enum { GRAD_AUTO, GRAD_AD, GRAD_NUMERIC };

/* opts.gradient: "auto" (trace, else numerical), "ad" or "numeric". */
static int checkgradient(lua_State *L, const Options *o) {
  static const char *const names[] = {"auto", "ad", "numeric", NULL};
  int i, t = lua_getfield(L, ARG_OPTS, "gradient");
  if (t == LUA_TNIL) {
    lua_pop(L, 1);
    return GRAD_AUTO;
  }
  for (i = 0; t == LUA_TSTRING && names[i] != NULL; i++)
    if (strcmp(lua_tostring(L, -1), names[i]) == 0) {
      lua_pop(L, 1);
      return i;
    }
  return luaL_error(L, "bad argument #%d to '%s' (field 'gradient' "
                       "must be \"auto\", \"ad\" or \"numeric\")", o->argno, o->fname);
}

/* Trace f (1) for n (2) inputs, under lua_pcall. */
static int tracef(lua_State *L) {
  slope_ad_compile(L, 1, (size_t)lua_tointeger(L, 2), 0, 0, "minimize");
  return 1;
}

static Run *newrun(lua_State *L, const char *fname, int argno) {
  Options o;
  slope_vec *x0;
  slope_ad_fn *F;
  struct Batches *batches = NULL;
  size_t n, bytes;
  Run *R;
  int i, gradient, bounded;
  lua_settop(L, SLOT_WHY);  /* optim.sgd has put its batches at SLOT_BATCH */
  if (lua_type(L, ARG_F) != LUA_TFUNCTION && slope_ad_testfn(L, ARG_F) == NULL)
    luaL_typeerror(L, ARG_F, "function");
  x0 = slope_vec_checkarg(L, ARG_X0);
  n = x0->n;
  checkoptions(L, &o, fname, argno);
  bounded = lua_getfield(L, ARG_OPTS, "lower") != LUA_TNIL;
  bounded |= lua_getfield(L, ARG_OPTS, "upper") != LUA_TNIL;
  lua_pop(L, 2);
  if (bounded && o.method == &slope_solver_lbfgs)
    o.method = &slope_solver_lbfgsb;  /* L-BFGS within the bounds */
  else if (bounded && (o.method->needs & (SLOPE_NEEDS_HESSIAN |
           SLOPE_NEEDS_HVP | SLOPE_DERIVATIVE_FREE) ||
           o.method == &slope_solver_bfgs || o.method == &slope_solver_cg))
    luaL_error(L, "bad argument #%d to '%s' (method '%s' cannot take "
                  "bounds; use 'lbfgs' or 'auglag')", o.argno, o.fname,
               o.method->name);
  if (o.trace) {
    lua_newtable(L);
    lua_replace(L, SLOT_TRACE);
  }
  /* the objective: traced once (or a compiled function as it is); a
  ** function that cannot be traced runs through Lua with numerical
  ** derivatives, when asked or (by default) as a fallback */
  gradient = checkgradient(L, &o);
  if (!lua_isnil(L, SLOT_BATCH))
    batches = compilebatches(L, n);  /* traced on the batch buffers */
  else if (slope_ad_testfn(L, ARG_F) != NULL)
    lua_pushvalue(L, ARG_F);
  else if (gradient == GRAD_NUMERIC)
    lua_pushvalue(L, ARG_F);
  else {
    lua_pushcfunction(L, tracef);
    lua_pushvalue(L, ARG_F);
    lua_pushinteger(L, (lua_Integer)n);
    if (lua_pcall(L, 2, 1, 0) != LUA_OK) {
      if (gradient == GRAD_AD || !lua_isstring(L, -1))
        lua_error(L);
      lua_replace(L, SLOT_WHY);  /* the reason, for the result */
      lua_pushvalue(L, ARG_F);
    }
  }
  lua_replace(L, SLOT_F);
  F = slope_ad_testfn(L, SLOT_F);
  if (F != NULL && (slope_ad_n(F) != n || slope_ad_m(F) != 1))
    luaL_error(L, "minimize: the compiled function takes %d inputs and "
                  "returns %d values; expected %d inputs and a number",
               (int)slope_ad_n(F), (int)slope_ad_m(F), (int)n);
  if (F != NULL && batches == NULL)
    slope_ad_setdata(L, F, 0, 0, "minimize");
  if (F != NULL && (o.method->needs & (SLOPE_NEEDS_HESSIAN | SLOPE_NEEDS_HVP)))
    slope_ad_reserve(L, F);
  /* all the memory, once: the run, x, g, best x, best g, previous x and
  ** the method's state */
  bytes = sizeof(Run) + (7 + (F == NULL ? 5 : 0)) * n * sizeof(double) +
          o.method->size(n, &o.p);
  R = (Run *)lua_newuserdatauv(L, bytes, NUSER);
  memset(R, 0, sizeof *R);
  luaL_setmetatable(L, SOLVER);
  lua_pushvalue(L, SLOT_F); lua_setiuservalue(L, -2, 1);
  for (i = 2; i <= NUSER; i++) {
    lua_pushvalue(L, SLOT_F + i);  /* SLOT_LR .. SLOT_WHY */
    lua_setiuservalue(L, -2, i);
  }
  lua_replace(L, SLOT_WORK);
  R->o = o;
  R->n = n;
  R->c.target.F = F;
  R->c.target.sign = o.maximize ? -1 : 1;
  R->c.obj.n = n;
  R->c.obj.fg = counted_fg;
  R->c.obj.hess = counted_hess;
  R->c.obj.hvp = counted_hvp;
  R->c.obj.ctx = &R->c;
  R->c.batches = batches;
  R->x = (double *)(R + 1);
  R->g = R->x + n; R->xb = R->g + n; R->gb = R->xb + n; R->xp = R->gb + n;
  R->lo = R->xp + n;
  R->up = R->lo + n;
  R->state = (void *)(R->up + n);
  if (F == NULL) {  /* the numerical objective's scratch after the state */
    R->num.L = L;
    R->num.fidx = SLOT_F;
    R->num.n = n;
    R->num.fname = o.fname;
    R->num.scratch = (double *)((char *)(R + 1) + bytes - sizeof(Run) -
                                5 * n * sizeof(double));
    R->c.target.num = &R->num;
  }
  memcpy(R->x, x0->data, n * sizeof(double));
  if (bounded) {
    slope_cbounds_check(L, ARG_OPTS, n, R->lo, R->up, o.fname, o.argno);
    R->c.obj.lower = R->lo;
    R->c.obj.upper = R->up;
    for (i = 0; i < (int)n; i++)  /* x0 into the box */
      R->x[i] = fmin(fmax(R->x[i], R->lo[i]), R->up[i]);
  }
  else
    R->lo = R->up = NULL;
  R->o.method->init(R->state, n, &R->o.p);
  R->t0 = slope_now();
  slope_progress_start(&R->progress, o.progress, o.method->name);
  R->f = R->c.obj.fg(R->c.obj.ctx, R->x, R->g);
  R->gnorm = gradnorm(R, R->x, R->g);
  R->fb = R->f;
  R->lr = o.p.lr;
  memcpy(R->xb, R->x, n * sizeof(double));
  memcpy(R->gb, R->g, n * sizeof(double));
  keepgnorm(R);
  R->elapsed = slope_now() - R->t0;
  slope_thin_init(&R->thin, o.tracecap, "iter");
  if (o.trace)
    trace(L, R);
  if (!isfinite(R->f) || !allfinite(R->g, n))
    finish(R, "nan", "f or its gradient is not finite at the starting point");
  return R;
}

/* core.optim.minimize(f, x0 [, opts]) -> result table */
static int optim_minimize(lua_State *L) {
  Run *R = newrun(L, "minimize", 3);
  advance(L, R, -1);
  pushresult(L, R);
  return 1;
}

/* core.optim.solver(f, x0 [, opts]) -> a run to step through */
static int optim_solver(lua_State *L) {
  newrun(L, "solver", 3);
  lua_pushvalue(L, SLOT_WORK);
  return 1;
}

/* Push {iter, x, f, gnorm, lr, status} of a run. */
static void pushstate(lua_State *L, Run *R) {
  double sign = R->c.target.sign;
  lua_createtable(L, 0, 6);
  lua_pushinteger(L, (lua_Integer)R->k); lua_setfield(L, -2, "iter");
  pushvec(L, R->x, R->n); lua_setfield(L, -2, "x");
  lua_pushnumber(L, sign * R->f); lua_setfield(L, -2, "f");
  lua_pushnumber(L, R->gnorm); lua_setfield(L, -2, "gnorm");
  lua_pushnumber(L, R->o.p.lr); lua_setfield(L, -2, "lr");
  lua_pushstring(L, R->status ? R->status : "running");
  lua_setfield(L, -2, "status");
}

/* solver:step([k]) -> state after up to k (1) more iterations */
static int solver_step(lua_State *L) {
  lua_Integer k = luaL_optinteger(L, 2, 1);
  Run *R;
  luaL_argcheck(L, k >= 0, 2, "non-negative integer expected");
  R = enter(L);
  advance(L, R, (long)k);
  pushstate(L, R);
  return 1;
}

static int solver_state(lua_State *L) {
  pushstate(L, checkrun(L, 1));
  return 1;
}

/* solver:run() -> result, after iterating to the end */
static int solver_run(lua_State *L) {
  Run *R = enter(L);
  advance(L, R, -1);
  pushresult(L, R);
  return 1;
}

static int solver_result(lua_State *L) {
  Run *R = enter(L);
  pushresult(L, R);
  return 1;
}

/* solver:set{lr = ..., momentum = ..., ...}: hyper-parameters mid-run. */
static int solver_set(lua_State *L) {
  Run *R = checkrun(L, 1);
  Options o;
  luaL_checktype(L, 2, LUA_TTABLE);
  /* read the new values as options over the current ones */
  lua_settop(L, 2);
  lua_pushnil(L);                        /* ARG_OPTS is 3: the table */
  lua_copy(L, 2, ARG_OPTS);
  lua_settop(L, SLOT_TRACE);
  o = R->o;
  if (lua_getfield(L, ARG_OPTS, "lr") == LUA_TNUMBER) {
    double lr = lua_tonumber(L, -1);
    luaL_argcheck(L, lr > 0 && isfinite(lr), 2, "field 'lr' must be positive");
    o.p.lr = lr;
    o.lrkind = 0;
    o.p.linesearch = 0;
  }
  else if ((o.sched = slope_schedule_test(L, -1)) != NULL ||
           lua_type(L, -1) == LUA_TFUNCTION) {
    o.lrkind = o.sched != NULL ? 2 : 1;
    o.p.linesearch = 0;
    lua_pushvalue(L, -1);
    lua_setiuservalue(L, 1, 2);
  }
  else if (!lua_isnil(L, -1))
    luaL_argerror(L, 2, "field 'lr' must be a number, a schedule or a "
                        "function");
  lua_pop(L, 1);
#define SETNUM(field, lo, hi) \
  if (lua_getfield(L, ARG_OPTS, #field) != LUA_TNIL) { \
    double v_ = lua_tonumber(L, -1); \
    luaL_argcheck(L, lua_type(L, -1) == LUA_TNUMBER && v_ >= (lo) && \
                  v_ <= (hi), 2, "field '" #field "' out of range"); \
    o.p.field = v_; \
  } \
  lua_pop(L, 1);
  SETNUM(momentum, 0, 1)
  SETNUM(beta1, 0, 1)
  SETNUM(beta2, 0, 1)
  SETNUM(eps, 0, HUGE_VAL)
  SETNUM(weight_decay, 0, HUGE_VAL)
#undef SETNUM
  if (lua_getfield(L, ARG_OPTS, "maxiter") == LUA_TNUMBER)
    o.maxiter = (long)lua_tointeger(L, -1);
  lua_pop(L, 1);
  if (lua_getfield(L, ARG_OPTS, "gtol") == LUA_TNUMBER)
    o.gtol = lua_tonumber(L, -1);
  lua_pop(L, 1);
  R->o = o;
  if (R->status != NULL && strcmp(R->status, "maxiter") == 0 &&
      R->k < o.maxiter)
    R->status = R->message = NULL;  /* more iterations allowed: go on */
  lua_settop(L, 1);
  return 1;
}

static int solver_tostring(lua_State *L) {
  Run *R = checkrun(L, 1);
  lua_pushfstring(L, "optim.solver(%s, n=%d, iter=%d, f=%f, %s)",
                  R->o.method->name, (int)R->n, (int)R->k,
                  R->c.target.sign * R->f, R->status ? R->status : "running");
  return 1;
}

/* }====================================================== */

/* {======================================================
** Minibatches: optim.sgd
** ======================================================= */

#define BATCHES "slope.optim.batches"
#define MAXDATA 8  /* data items: X, y, weights, ... */

/* The rows of the data items (mats, or vecs as columns) in a shuffled
** order, copied batch by batch into buffers the tapes were traced on: one
** tape for full batches and one for the last, shorter one. */
typedef struct Batches {
  size_t N, B, k;                /* rows, batch size, data items */
  const double *src[MAXDATA];    /* the data */
  size_t cols[MAXDATA];          /* 0 for a vec */
  double *full[MAXDATA], *part[MAXDATA];  /* the batch buffers */
  slope_ad_fn *F, *F2;           /* tapes on full and short batches */
  size_t *perm, pos;             /* row order; next position in it */
  gsl_rng *rng;
  long epoch, epochs;
  double sum;                    /* this epoch's batch losses */
  long count;
  double *losses;                /* mean batch loss of each epoch */
  int started;
} Batches;

/* An SGD run reports epochs and this epoch's mean batch loss so far. */
static void tick(Run *R) {
  const struct Batches *b = R->c.batches;
  if (b == NULL)
    slope_progress_tick(&R->progress, R->k, 0, R->c.target.sign * R->f,
                        R->gnorm);
  else
    slope_progress_tick(&R->progress, b->epoch, b->epochs,
                        b->count ? b->sum / (double)b->count : R->f, 0);
}

static int batches_gc(lua_State *L) {
  Batches *b = (Batches *)luaL_checkudata(L, 1, BATCHES);
  if (b->rng != NULL) {
    gsl_rng_free(b->rng);
    b->rng = NULL;
  }
  return 0;
}

static void fillbatch(Counted *c) {
  Batches *b = c->batches;
  size_t nb = b->N - b->pos < b->B ? b->N - b->pos : b->B, i, j;
  int full = (nb == b->B);
  for (j = 0; j < b->k; j++) {
    double *dst = full ? b->full[j] : b->part[j];
    size_t w = b->cols[j] ? b->cols[j] : 1;
    for (i = 0; i < nb; i++)
      memcpy(dst + i * w, b->src[j] + b->perm[b->pos + i] * w,
             w * sizeof(double));
  }
  c->target.F = full ? b->F : b->F2;
  b->pos += nb;
}

static void nextbatch(Counted *c) {
  Batches *b = c->batches;
  if (!b->started || b->pos >= b->N) {
    if (b->started) {  /* an epoch ends */
      if (b->epoch < b->epochs)
        b->losses[b->epoch] = b->count ? b->sum / (double)b->count : NAN;
      b->epoch++;
      b->sum = 0;
      b->count = 0;
    }
    b->started = 1;
    gsl_ran_shuffle(b->rng, b->perm, b->N, sizeof *b->perm);
    b->pos = 0;
  }
  fillbatch(c);
}

static void addloss(Counted *c, double f) {
  c->batches->sum += c->target.sign * f;
  c->batches->count++;
}

/* Trace f on the batch buffers (for newrun): push F, keep the short
** batches' tape in the batches' table. */
static Batches *compilebatches(lua_State *L, size_t n) {
  Batches *b = (Batches *)luaL_checkudata(L, SLOT_BATCH, BATCHES);
  size_t j;
  int base;
  lua_getiuservalue(L, SLOT_BATCH, 1);  /* {full buffers..., short...} */
  base = lua_gettop(L);
  for (j = 0; j < b->k; j++)
    lua_rawgeti(L, base, (lua_Integer)j + 1);
  /* a cached tape may have been traced on other buffers: point it at
  ** these (the run is the only user of the tape while it lasts) */
  b->F = slope_ad_compile(L, ARG_F, n, base + 1, (int)b->k, "sgd");
  slope_ad_setdata(L, b->F, base + 1, (int)b->k, "sgd");
  b->F2 = NULL;
  if (b->N % b->B != 0) {
    int first = lua_gettop(L) + 1;
    for (j = 0; j < b->k; j++)
      lua_rawgeti(L, base, (lua_Integer)(b->k + j) + 1);
    b->F2 = slope_ad_compile(L, ARG_F, n, first, (int)b->k, "sgd");
    slope_ad_setdata(L, b->F2, first, (int)b->k, "sgd");
    lua_setfield(L, base, "short");  /* keeps the tape alive */
    lua_pop(L, (int)b->k);
  }
  lua_replace(L, base);  /* F in place of the table */
  lua_settop(L, base);
  return b;
}

/* core.optim.sgd(loss, x0, data, opts) -> result: minibatch training;
** loss(x, d1, ...) gets each data item's rows of the batch. */
static int optim_sgd(lua_State *L) {
  Batches *b;
  Run *R;
  size_t N = 0, j, k, B, nsteps;
  lua_Integer batch, epochs, seed;
  int tbl, bi, trace, usergtol;
  long cap;
  lua_settop(L, 4);
  /* data: a mat, a vec, or a list of them with as many rows each */
  if (lua_type(L, 3) == LUA_TTABLE && slope_mat_test(L, 3) == NULL &&
      lua_rawlen(L, 3) > 0 && lua_rawgeti(L, 3, 1) != LUA_TNUMBER) {
    lua_pop(L, 1);
    lua_pushvalue(L, 3);       /* the list itself */
  }
  else {
    if (lua_type(L, 3) == LUA_TTABLE && slope_mat_test(L, 3) == NULL)
      lua_pop(L, 1);
    lua_createtable(L, 1, 0);  /* one item */
    lua_pushvalue(L, 3);
    lua_rawseti(L, -2, 1);
  }
  tbl = lua_gettop(L);
  k = (size_t)lua_rawlen(L, tbl);
  if (k == 0 || k > MAXDATA)
    luaL_error(L, "bad argument #3 to 'sgd' (1 to %d data items expected, "
                  "got %d)", MAXDATA, (int)k);
  if (!lua_isnoneornil(L, 4) && !lua_istable(L, 4))
    luaL_error(L, "bad argument #4 to 'sgd' (table expected, got %s)",
               luaL_typename(L, 4));
  lua_newtable(L);  /* a copy of opts, completed below */
  if (!lua_isnoneornil(L, 4)) {
    lua_pushnil(L);
    while (lua_next(L, 4)) {
      lua_pushvalue(L, -2);
      lua_insert(L, -2);
      lua_rawset(L, -4);
    }
  }
  lua_replace(L, 4);
  lua_getfield(L, 4, "batch");
  batch = lua_isnil(L, -1) ? 32 : lua_tointeger(L, -1);
  lua_getfield(L, 4, "epochs");
  epochs = lua_isnil(L, -1) ? 10 : lua_tointeger(L, -1);
  lua_getfield(L, 4, "seed");
  seed = lua_isnil(L, -1) ? 0 : lua_tointeger(L, -1);
  lua_pop(L, 3);
  if (batch < 1)
    luaL_error(L, "bad argument #4 to 'sgd' (field 'batch' must be an "
                  "integer >= 1)");
  if (epochs < 1)
    luaL_error(L, "bad argument #4 to 'sgd' (field 'epochs' must be an "
                  "integer >= 1)");
  /* the batches, their buffers (full then short) and the row order */
  b = (Batches *)lua_newuserdatauv(L, sizeof(Batches), 1);
  memset(b, 0, sizeof *b);
  luaL_setmetatable(L, BATCHES);
  b->k = k;
  b->epochs = (long)epochs;
  lua_createtable(L, (int)(2 * k), 1);
  for (j = 0; j < k; j++) {
    size_t rows, cols;
    slope_mat *m;
    lua_rawgeti(L, tbl, (lua_Integer)j + 1);
    if ((m = slope_mat_test(L, -1)) != NULL) {
      rows = m->rows; cols = m->cols; b->src[j] = m->data;
    }
    else {
      slope_vec *v = slope_vec_test(L, -1);
      if (v == NULL)
        luaL_error(L, "bad argument #3 to 'sgd' (data item %d: vec or mat "
                      "expected, got %s)", (int)j + 1, luaL_typename(L, -1));
      rows = v->n; cols = 0; b->src[j] = v->data;
    }
    lua_setfield(L, -2, j == 0 ? "src1" : j == 1 ? "src2" : "srcn");
    if (j > 0 && rows != N)
      luaL_error(L, "bad argument #3 to 'sgd' (data item %d has %d rows, "
                    "item 1 has %d)", (int)j + 1, (int)rows, (int)N);
    N = rows;
    b->cols[j] = cols;
  }
  if (N == 0)
    luaL_error(L, "bad argument #3 to 'sgd' (no rows of data)");
  /* keep every data item alive with the batches */
  lua_pushvalue(L, tbl);
  lua_setfield(L, -2, "data");
  B = (size_t)batch < N ? (size_t)batch : N;
  b->N = N;
  b->B = B;
  for (j = 0; j < k; j++) {
    b->full[j] = b->cols[j] ? slope_mat_push(L, B, b->cols[j])->data
                            : slope_vec_push(L, B)->data;
    lua_rawseti(L, -2, (lua_Integer)j + 1);
  }
  for (j = 0; j < k && N % B; j++) {
    b->part[j] = b->cols[j] ? slope_mat_push(L, N % B, b->cols[j])->data
                            : slope_vec_push(L, N % B)->data;
    lua_rawseti(L, -2, (lua_Integer)(k + j) + 1);
  }
  b->perm = (size_t *)lua_newuserdatauv(
      L, N * sizeof(size_t) + (size_t)epochs * sizeof(double), 0);
  lua_setfield(L, -2, "perm");
  b->losses = (double *)(b->perm + N);
  for (j = 0; j < N; j++) b->perm[j] = j;
  for (j = 0; j < (size_t)epochs; j++) b->losses[j] = NAN;
  lua_setiuservalue(L, -2, 1);
  b->rng = gsl_rng_alloc(gsl_rng_mt19937);
  if (b->rng == NULL)
    luaL_error(L, "not enough memory");
  gsl_rng_set(b->rng, (unsigned long)seed);
  /* the run: loss, x0, opts, then the batches at SLOT_BATCH (they keep
  ** the data alive) */
  bi = lua_gettop(L);
  lua_copy(L, 4, ARG_OPTS);
  if (bi < SLOT_BATCH)
    lua_settop(L, SLOT_BATCH);
  lua_copy(L, bi, SLOT_BATCH);
  for (j = ARG_OPTS + 1; j < SLOT_BATCH; j++) {
    lua_pushnil(L);
    lua_replace(L, (int)j);
  }
  lua_settop(L, SLOT_BATCH);
  nsteps = (N + B - 1) / B;
  /* plain SGD with a fixed rate unless told otherwise */
  if (lua_getfield(L, ARG_OPTS, "method") == LUA_TNIL) {
    lua_pushliteral(L, "gd");
    lua_setfield(L, ARG_OPTS, "method");
  }
  if (lua_getfield(L, ARG_OPTS, "lr") == LUA_TNIL &&
      lua_getfield(L, ARG_OPTS, "method") == LUA_TSTRING &&
      strcmp(lua_tostring(L, -1), "gd") == 0) {
    lua_pushnumber(L, 0.01);
    lua_setfield(L, ARG_OPTS, "lr");
  }
  lua_settop(L, SLOT_BATCH);
  /* stop on the epochs only, unless the user asks for gtol */
  usergtol = lua_getfield(L, ARG_OPTS, "gtol") != LUA_TNIL;
  lua_getfield(L, ARG_OPTS, "kind");
  if (lua_isnil(L, -1)) {  /* the curvature of one batch says little */
    lua_pushboolean(L, 0);
    lua_setfield(L, ARG_OPTS, "kind");
  }
  lua_getfield(L, ARG_OPTS, "maxiter");
  if (lua_isnil(L, -1)) {
    lua_pushinteger(L, (lua_Integer)(nsteps * (size_t)epochs));
    lua_setfield(L, ARG_OPTS, "maxiter");
  }
  lua_pop(L, 3);
  trace = slope_thin_option(L, ARG_OPTS, 4, "sgd", &cap);
  lua_pushboolean(L, 0);  /* per epoch, below, rather than per step */
  lua_setfield(L, ARG_OPTS, "trace");
  R = newrun(L, "sgd", 4);
  if (!usergtol)
    R->o.gtol = -1;  /* a batch gradient of 0 is no reason to stop */
  advance(L, R, -1);
  /* the last point, not the best of noisy batch losses */
  if (R->status != NULL && strcmp(R->status, "maxiter") == 0) {
    R->status = "converged";
    R->message = "all epochs done";
  }
  R->fb = R->f;
  memcpy(R->xb, R->x, R->n * sizeof(double));
  memcpy(R->gb, R->g, R->n * sizeof(double));
  pushresult(L, R);
  lua_pushinteger(L, (lua_Integer)b->epoch);
  lua_setfield(L, -2, "epochs");
  lua_createtable(L, (int)b->epochs, 0);
  for (j = 0; j < (size_t)b->epochs && j < (size_t)b->epoch; j++) {
    lua_pushnumber(L, b->losses[j]);
    lua_rawseti(L, -2, (lua_Integer)j + 1);
  }
  lua_setfield(L, -2, "loss");
  if (trace) {  /* per epoch: {epoch, loss}, and the last one */
    size_t last = (size_t)(b->epoch < b->epochs ? b->epoch : b->epochs);
    slope_thin th;
    slope_thin_init(&th, cap, "epoch");
    lua_newtable(L);
    for (j = 1; j <= last; j++)
      if (slope_thin_keeps(&th, (long)j) || j == last) {
        lua_createtable(L, 0, 2);
        lua_pushinteger(L, (lua_Integer)j);
        lua_setfield(L, -2, "epoch");
        lua_pushnumber(L, b->losses[j - 1]);
        lua_setfield(L, -2, "loss");
        slope_thin_add(L, &th, -2);
      }
    lua_setfield(L, -2, "trace");
  }
  return 1;
}

/* }====================================================== */

int slope_open_optim(lua_State *L) {
  static const luaL_Reg funcs[] = {
    {"minimize", optim_minimize},
    {"sgd", optim_sgd},
    {"solver", optim_solver},
    {NULL, NULL}
  };
  static const luaL_Reg methods_[] = {
    {"result", solver_result}, {"run", solver_run}, {"set", solver_set},
    {"state", solver_state}, {"step", solver_step},
    {NULL, NULL}
  };
  if (luaL_newmetatable(L, BATCHES)) {
    lua_pushcfunction(L, batches_gc);
    lua_setfield(L, -2, "__gc");
  }
  lua_pop(L, 1);
  if (luaL_newmetatable(L, SOLVER)) {
    luaL_newlib(L, methods_);
    lua_pushvalue(L, -1);
    lua_setfield(L, -3, "__methods");
    lua_setfield(L, -2, "__index");
    lua_pushcfunction(L, solver_tostring);
    lua_setfield(L, -2, "__tostring");
  }
  lua_pop(L, 1);
  luaL_newlib(L, funcs);
  slope_constrained_register(L);
  return 1;
}
