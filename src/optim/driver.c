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
#include <time.h>

#include <gsl/gsl_eigen.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_sort_vector.h>

#include <lauxlib.h>
#include <lua.h>

#include "ad/ad.h"
#include "interrupt.h"
#include "optim/optim.h"
#include "optim/schedule.h"
#include "optim/solver.h"
#include "vec.h"

/* Methods by name; the first is the default. */
static const slope_solver_type *const methods[] = {
  &slope_solver_gd, &slope_solver_momentum, &slope_solver_nesterov,
  &slope_solver_adagrad, &slope_solver_rmsprop, &slope_solver_adam,
  &slope_solver_adamw, NULL
};

/* f growing past this many times (1 + |f0|) above its best is divergence */
#define BLOWUP 1e12

/* Stack slots above the arguments f, x0, opts. */
enum { ARG_F = 1, ARG_X0, ARG_OPTS, SLOT_F, SLOT_WORK, SLOT_LR, SLOT_CB,
       SLOT_TRACE };

typedef struct Options {
  const slope_solver_type *method;
  slope_params p;
  int lrkind;  /* 0 a number, 1 a Lua function k -> lr, 2 a schedule */
  const slope_schedule *sched;  /* lrkind 2 (kept alive at SLOT_LR) */
  double gtol, ftol, xtol, maxtime;
  long maxiter;
  int maximize, trace, callback;
  int nokind;  /* opts.kind = false: no Hessian inertia for result.kind */
} Options;

/* The objective seen by solvers: the compiled tape, negated to maximise. */
typedef struct Target {
  slope_ad_fn *F;
  double sign;
} Target;

static double target_fg(void *ctx, const double *x, double *g) {
  Target *t = (Target *)ctx;
  double f;
  size_t i, n = slope_ad_n(t->F);
  if (g == NULL)
    return t->sign * slope_ad_value(t->F, x);
  f = slope_ad_valgrad(t->F, x, g);
  if (t->sign < 0)
    for (i = 0; i < n; i++) g[i] = -g[i];
  return t->sign * f;
}

/* A counting wrapper: the objective's ctx is the slope_objective itself. */
typedef struct Counted {
  slope_objective obj;
  Target target;
} Counted;

static double counted_fg(void *ctx, const double *x, double *g) {
  Counted *c = (Counted *)ctx;
  c->obj.nf++;
  if (g != NULL)
    c->obj.ng++;
  return target_fg(&c->target, x, g);
}

/* The Hessian and Hessian-vector products of the tape (negated to
** maximise); the driver reserves the tape's workspace first. A Ctrl-C
** during a dense Hessian is taken by the loop at the next check. */
static void counted_hess(void *ctx, const double *x, double *h) {
  Counted *c = (Counted *)ctx;
  size_t i, n = c->obj.n;
  c->obj.nh++;
  if (slope_ad_hessian(c->target.F, x, h) != 0)
    for (i = 0; i < n * n; i++) h[i] = NAN;
  else if (c->target.sign < 0)
    for (i = 0; i < n * n; i++) h[i] = -h[i];
}

static void counted_hvp(void *ctx, const double *x, const double *v,
                        double *hv) {
  Counted *c = (Counted *)ctx;
  size_t i;
  c->obj.nh++;
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

static double optnumber(lua_State *L, const char *k, double def, double lo,
                        double hi, const char *what) {
  double v = def;
  int t = optfield(L, k);
  if (t == LUA_TNUMBER) {
    v = lua_tonumber(L, -1);
    if (!(v >= lo && v <= hi))
      luaL_error(L, "bad argument #3 to 'minimize' (field '%s' must be %s, "
                    "got %f)", k, what, v);
  }
  else if (t != LUA_TNIL)
    luaL_error(L, "bad argument #3 to 'minimize' (field '%s' must be a "
                  "number, got %s)", k, luaL_typename(L, -1));
  lua_pop(L, 1);
  return v;
}

static int optboolean(lua_State *L, const char *k) {
  int t = optfield(L, k), v = 0;
  if (t == LUA_TBOOLEAN)
    v = lua_toboolean(L, -1);
  else if (t != LUA_TNIL)
    luaL_error(L, "bad argument #3 to 'minimize' (field '%s' must be a "
                  "boolean, got %s)", k, luaL_typename(L, -1));
  lua_pop(L, 1);
  return v;
}

static void checkoptions(lua_State *L, Options *o) {
  int t;
  const char *name;
  size_t i;
  if (lua_isnoneornil(L, ARG_OPTS)) {
    lua_newtable(L);
    lua_replace(L, ARG_OPTS);
  }
  else if (!lua_istable(L, ARG_OPTS))
    luaL_error(L, "bad argument #3 to 'minimize' (table expected, got %s)",
               luaL_typename(L, ARG_OPTS));
  o->method = methods[0];
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
      luaL_error(L, "bad argument #3 to 'minimize' (field 'method' must be "
                    "one of %s)", lua_tostring(L, -1));
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
      luaL_error(L, "bad argument #3 to 'minimize' (field 'lr' must be "
                    "positive, got %f)", o->p.lr);
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
    luaL_error(L, "bad argument #3 to 'minimize' (field 'lr' must be a "
                  "number, a schedule or a function, got %s)",
               luaL_typename(L, -1));
  else if (o->method == &slope_solver_gd)
    o->p.linesearch = 1, o->p.lr = 1;
  else
    o->p.lr = (o->method == &slope_solver_adam ||
               o->method == &slope_solver_adamw ||
               o->method == &slope_solver_rmsprop) ? 1e-3 : 1e-2;
  lua_pop(L, 1);
  o->p.momentum = optnumber(L, "momentum", 0.9, 0, 1, "in [0, 1]");
  o->p.beta1 = optnumber(L, "beta1", 0.9, 0, 1, "in [0, 1)");
  o->p.beta2 = optnumber(L, "beta2", o->method == &slope_solver_rmsprop
                         ? 0.9 : 0.999, 0, 1, "in [0, 1)");
  o->p.eps = optnumber(L, "eps", 1e-8, 0, HUGE_VAL, "non-negative");
  o->p.weight_decay = optnumber(L, "weight_decay", 0.01, 0, HUGE_VAL,
                                "non-negative");
  o->gtol = optnumber(L, "gtol", 1e-6, 0, HUGE_VAL, "non-negative");
  o->ftol = optnumber(L, "ftol", 0, 0, HUGE_VAL, "non-negative");
  o->xtol = optnumber(L, "xtol", 0, 0, HUGE_VAL, "non-negative");
  o->maxtime = optnumber(L, "maxtime", HUGE_VAL, 0, HUGE_VAL, "non-negative");
  o->maxiter = (long)optnumber(L, "maxiter", 10000, 0, 1e15,
                               "a non-negative integer");
  o->maximize = optboolean(L, "maximize");
  o->nokind = lua_getfield(L, ARG_OPTS, "kind") == LUA_TBOOLEAN &&
              !lua_toboolean(L, -1);
  lua_pop(L, 1);
  o->trace = optboolean(L, "trace");
  t = optfield(L, "callback");
  o->callback = (t == LUA_TFUNCTION);
  if (t != LUA_TNIL && t != LUA_TFUNCTION)
    luaL_error(L, "bad argument #3 to 'minimize' (field 'callback' must be "
                  "a function, got %s)", luaL_typename(L, -1));
  if (o->callback)
    lua_replace(L, SLOT_CB);
  else
    lua_pop(L, 1);
}

/* }====================================================== */

/* {======================================================
** The loop
** ======================================================= */

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static double norm2(const double *v, size_t n) {
  double s = 0;
  size_t i;
  for (i = 0; i < n; i++) s += v[i] * v[i];
  return sqrt(s);
}

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

/* Append {iter, f, gnorm, step, lr} to the trace at SLOT_TRACE. */
static void record(lua_State *L, long k, double f, double gnorm, double step,
                   double lr) {
  lua_createtable(L, 0, 5);
  lua_pushinteger(L, (lua_Integer)k); lua_setfield(L, -2, "iter");
  lua_pushnumber(L, f); lua_setfield(L, -2, "f");
  lua_pushnumber(L, gnorm); lua_setfield(L, -2, "gnorm");
  lua_pushnumber(L, step); lua_setfield(L, -2, "step");
  lua_pushnumber(L, lr); lua_setfield(L, -2, "lr");
  lua_rawseti(L, SLOT_TRACE, (lua_Integer)lua_rawlen(L, SLOT_TRACE) + 1);
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

/* The extreme eigenvalues of the Hessian of f (the user's, whatever the
** sign the run minimises) at x. Dense: all n eigenvalues are left on the
** stack as a vec (returns 1); Lanczos: nothing pushed (returns 0). */
static int curvature(lua_State *L, slope_ad_fn *F, const double *x,
                     size_t n, double *lmin, double *lmax) {
  *lmin = *lmax = NAN;
  slope_ad_reserve(L, F);
  if (n == 0)
    return 0;
  if (n <= DENSE_MAX) {
    double *h = (double *)lua_newuserdatauv(L, n * n * sizeof(double), 0);
    slope_vec *ev = slope_vec_push(L, n);
    if (slope_ad_hessian(F, x, h) != 0 || symeig(h, n, ev->data) != 0) {
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
      slope_ad_hvp(F, x, q, w);
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
** callback and the trace table, pushed to SLOT_F .. SLOT_TRACE by every
** method (SLOT_WORK holds the run itself). */
#define NUSER 4

/* Gradient norms kept for the convergence order. */
#define ORDER_KEEP 4

typedef struct Run {
  Options o;
  Counted c;
  size_t n;
  double *x, *g, *xb, *gb, *xp;  /* point, gradient, best, previous */
  void *state;
  double f, fb, gnorm, step, lr, t0, elapsed;
  double gn[ORDER_KEEP];  /* the last gradient norms, newest last */
  int ngn, escapes;
  long k;
  const char *status, *message;  /* NULL while running */
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
    lua_getiuservalue(L, 1, i);           /* SLOT_LR, SLOT_CB, SLOT_TRACE */
  slope_ad_setdata(L, R->c.target.F, 0, 0, "solver");
  return R;
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
  curvature(L, R->c.target.F, R->x, R->n, &lmin, &lmax);
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
  R->gnorm = norm2(R->g, R->n);
  if (R->f < R->fb) {
    R->fb = R->f;
    memcpy(R->xb, R->x, R->n * sizeof(double));
    memcpy(R->gb, R->g, R->n * sizeof(double));
  }
  return 1;
}

/* Up to steps iterations (or to the end when steps < 0). */
static void advance(lua_State *L, Run *R, long steps) {
  Options *o = &R->o;
  size_t i, n = R->n;
  double fp, sign = R->c.target.sign, t1 = now();
  int rc;
  while (R->status == NULL && steps-- != 0) {
    if (R->gnorm <= o->gtol && !(o->method->needs & SLOPE_DERIVATIVE_FREE)) {
      if (saddle_escape(L, R))
        continue;  /* stepped out of a saddle: go on from there */
      finish(R, "converged", "the gradient norm is below gtol");
      break;
    }
    if (R->k >= o->maxiter) {
      finish(R, "maxiter", "maxiter iterations done before convergence");
      break;
    }
    if (R->elapsed + (now() - t1) > o->maxtime) {
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
    memcpy(R->xp, R->x, n * sizeof(double));
    fp = R->f;
    rc = o->method->iterate(R->state, &R->c.obj, &o->p, R->k, R->x, &R->f,
                            R->g);
    if (rc == SLOPE_STEP_FAILED) {
      memcpy(R->x, R->xp, n * sizeof(double));
      R->f = fp;
      finish(R, "line_search_failed",
             "the line search found no acceptable step");
      break;
    }
    R->k++;
    for (R->step = 0, i = 0; i < n; i++)
      R->step += (R->x[i] - R->xp[i]) * (R->x[i] - R->xp[i]);
    R->step = sqrt(R->step);
    R->gnorm = norm2(R->g, n);
    if (!allfinite(R->x, n) || R->f == HUGE_VAL || R->f == -HUGE_VAL ||
        (isfinite(R->f) && R->f > R->fb + BLOWUP * (1 + fabs(R->fb)))) {
      finish(R, "diverged", "diverged: f grew without bound; the last finite "
                            "point is returned (try a smaller learning rate)");
      break;
    }
    if (R->f != R->f || !allfinite(R->g, n)) {
      finish(R, "nan", "f or its gradient became NaN; the last finite point "
                       "is returned (try a smaller learning rate)");
      break;
    }
    keepgnorm(R);
    if (R->f < R->fb) {
      R->fb = R->f;
      memcpy(R->xb, R->x, n * sizeof(double));
      memcpy(R->gb, R->g, n * sizeof(double));
    }
    if (o->trace)
      record(L, R->k, sign * R->f, R->gnorm, R->step, R->lr);
    if (o->callback && callback(L, R->k, R->x, n, sign * R->f, R->gnorm,
                                R->lr)) {
      finish(R, "stopped", "the callback asked to stop");
      break;
    }
    if (rc == SLOPE_STEP_CONVERGED) {
      finish(R, "converged", "the method's own test (simplex size) is met");
      break;
    }
    if (o->ftol > 0 && fabs(fp - R->f) <=
        o->ftol * fmax(1, fmax(fabs(R->f), fabs(fp)))) {
      finish(R, "converged", "the change in f is below ftol");
      break;
    }
    if (o->xtol > 0 && R->step <= o->xtol * (1 + norm2(R->x, n))) {
      finish(R, "converged", "the step is below xtol");
      break;
    }
  }
  R->elapsed += now() - t1;
  if (R->status != NULL && strcmp(R->status, "converged") == 0) {
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
    dense = curvature(L, R->c.target.F, R->xb, n, &lmin, &lmax);
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
  lua_pushnumber(L, norm2(gb, n)); lua_setfield(L, -2, "gnorm");
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
  lua_pushnumber(L, R->elapsed); lua_setfield(L, -2, "time");
  lua_pushnumber(L, R->lr); lua_setfield(L, -2, "lr");
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
    lua_pushvalue(L, SLOT_TRACE);
    lua_setfield(L, -2, "trace");
  }
}

/* Build a run from f, x0, opts (stack as in minimize) and push it. */
static Run *newrun(lua_State *L) {
  Options o;
  slope_vec *x0;
  slope_ad_fn *F;
  size_t n, bytes;
  Run *R;
  int i;
  lua_settop(L, SLOT_TRACE);
  if (lua_type(L, ARG_F) != LUA_TFUNCTION && slope_ad_testfn(L, ARG_F) == NULL)
    luaL_typeerror(L, ARG_F, "function");
  x0 = slope_vec_checkarg(L, ARG_X0);
  n = x0->n;
  checkoptions(L, &o);
  if (o.trace) {
    lua_newtable(L);
    lua_replace(L, SLOT_TRACE);
  }
  /* the objective: traced once (or a compiled function as it is) */
  if (slope_ad_testfn(L, ARG_F) != NULL)
    lua_pushvalue(L, ARG_F);
  else
    slope_ad_compile(L, ARG_F, n, 0, 0, "minimize");
  lua_replace(L, SLOT_F);
  F = slope_ad_testfn(L, SLOT_F);
  if (slope_ad_n(F) != n || slope_ad_m(F) != 1)
    luaL_error(L, "minimize: the compiled function takes %d inputs and "
                  "returns %d values; expected %d inputs and a number",
               (int)slope_ad_n(F), (int)slope_ad_m(F), (int)n);
  slope_ad_setdata(L, F, 0, 0, "minimize");
  if (o.method->needs & (SLOPE_NEEDS_HESSIAN | SLOPE_NEEDS_HVP))
    slope_ad_reserve(L, F);
  /* all the memory, once: the run, x, g, best x, best g, previous x and
  ** the method's state */
  bytes = sizeof(Run) + 5 * n * sizeof(double) + o.method->size(n);
  R = (Run *)lua_newuserdatauv(L, bytes, NUSER);
  memset(R, 0, sizeof *R);
  luaL_setmetatable(L, SOLVER);
  lua_pushvalue(L, SLOT_F); lua_setiuservalue(L, -2, 1);
  for (i = 2; i <= NUSER; i++) {
    lua_pushvalue(L, SLOT_F + i);  /* SLOT_LR, SLOT_CB, SLOT_TRACE */
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
  R->x = (double *)(R + 1);
  R->g = R->x + n; R->xb = R->g + n; R->gb = R->xb + n; R->xp = R->gb + n;
  R->state = (void *)(R->xp + n);
  memcpy(R->x, x0->data, n * sizeof(double));
  R->o.method->init(R->state, n, &R->o.p);
  R->t0 = now();
  R->f = R->c.obj.fg(R->c.obj.ctx, R->x, R->g);
  R->gnorm = norm2(R->g, n);
  R->fb = R->f;
  R->lr = o.p.lr;
  memcpy(R->xb, R->x, n * sizeof(double));
  memcpy(R->gb, R->g, n * sizeof(double));
  keepgnorm(R);
  R->elapsed = now() - R->t0;
  if (!isfinite(R->f) || !allfinite(R->g, n))
    finish(R, "nan", "f or its gradient is not finite at the starting point");
  return R;
}

/* core.optim.minimize(f, x0 [, opts]) -> result table */
static int optim_minimize(lua_State *L) {
  Run *R = newrun(L);
  advance(L, R, -1);
  pushresult(L, R);
  return 1;
}

/* core.optim.solver(f, x0 [, opts]) -> a run to step through */
static int optim_solver(lua_State *L) {
  newrun(L);
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

int slope_open_optim(lua_State *L) {
  static const luaL_Reg funcs[] = {
    {"minimize", optim_minimize},
    {"solver", optim_solver},
    {NULL, NULL}
  };
  static const luaL_Reg methods_[] = {
    {"result", solver_result}, {"run", solver_run}, {"set", solver_set},
    {"state", solver_state}, {"step", solver_step},
    {NULL, NULL}
  };
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
  return 1;
}
