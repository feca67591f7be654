/*
** analyze.c: core.analyze, the native part of slope.analyze. The kind of
** a point (minimum, maximum, saddle, degenerate) from the eigenvalues of
** the exact Hessian (GSL's symmetric eigensolver); every stationary point
** in a box by multi-start Newton on grad f = 0 (GSL's multiroot solvers,
** the gradient from the tape as the function, the Hessian from the tape
** as its Jacobian); and a sampled test of convexity.
**
** f is traced once (or comes compiled); the loops evaluate the tape only,
** never Lua, and poll Ctrl-C between iterations: a search that Ctrl-C
** stops returns what it found so far. GSL never sees a Lua error: nothing
** in its callbacks can raise. Every workspace lives in one to-be-closed
** userdata, freed on the way out and by an error raised anywhere (out of
** memory). Starts and samples are a randomly shifted quasi-random
** sequence (Sobol', Halton beyond 40 dimensions, pseudo-random beyond
** 1229), the shift drawn from a seeded generator: the same call gives the
** same digits.
*/
#include "config.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_eigen.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_math.h>
#include <gsl/gsl_multiroots.h>
#include <gsl/gsl_qrng.h>
#include <gsl/gsl_rng.h>

#include <lauxlib.h>
#include <lua.h>

#include "analyze.h"
#include "interrupt.h"
#include "kernels.h"
#include "ad/ad.h"
#include "vec.h"

#define SLOPE_ANALYZE_WORK "slope.analyze.work"

#define SOBOL_MAX 40    /* GSL's Sobol' generator: dimensions 1 .. 40 */
#define HALTON_MAX 1229 /* and Halton's: 1 .. 1229 */
#define XSTEP 1e-12     /* a Newton step below this of the box's width ends */
#define GTOL_REL 1e-8   /* a root: |grad| at most this of the typical |grad| */
#define GSCALE_STARTS 1024 /* the typical |grad|: the median over these */
#define XDUP_REL 1e-6   /* roots closer than this of the width are one */
#define SLACK_REL 1e-10 /* a root this far outside the box is still in it */
#define FKEY_REL 1e-9   /* values of f this close sort as equal */
#define XKEY_REL 1e-7   /* and coordinates */

/* Kinds, in the order stationary() sorts them. */
enum { K_MINIMUM, K_MAXIMUM, K_SADDLE, K_DEGENERATE, K_UNDEFINED };
static const char *const kindnames[] = {"minimum", "maximum", "saddle",
                                        "degenerate", "undefined"};

/* Everything a call allocates; freed by __close or __gc, whichever comes
** first. Roots are records of RSTRIDE(n) doubles (see the R_ macros). */
typedef struct Work {
  size_t n;
  gsl_eigen_symmv_workspace *eig;
  gsl_matrix *a, *evec;
  gsl_vector *eval;
  gsl_multiroot_fdfsolver *solver;
  gsl_qrng *q;
  gsl_rng *r;
  double *buf;   /* x, g, h (n * n), lo, hi, shift, u, t: BUF_* */
  double *roots; /* nroots records, room for cap */
  size_t nroots, cap;
} Work;

/* A root's record: n (for the comparison), the sort keys (kind's rank, f,
** x, quantised), f, |grad f|, x, the eigenvalues. */
#define RSTRIDE(n) (3 * (n) + 6)
#define R_N(r) ((r)[0])
#define R_RANK(r) ((r)[1])
#define R_FKEY(r) ((r)[2])
#define R_XKEY(r) ((r) + 3)
#define R_F(r, n) ((r)[3 + (n)])
#define R_GNORM(r, n) ((r)[4 + (n)])
#define R_X(r, n) ((r) + 5 + (n))
#define R_EVAL(r, n) ((r) + 5 + 2 * (n))

static void freework(Work *w) {
  if (w->eig != NULL) gsl_eigen_symmv_free(w->eig);
  if (w->a != NULL) gsl_matrix_free(w->a);
  if (w->evec != NULL) gsl_matrix_free(w->evec);
  if (w->eval != NULL) gsl_vector_free(w->eval);
  if (w->solver != NULL) gsl_multiroot_fdfsolver_free(w->solver);
  if (w->q != NULL) gsl_qrng_free(w->q);
  if (w->r != NULL) gsl_rng_free(w->r);
  free(w->buf);
  free(w->roots);
  memset(w, 0, sizeof *w);
}

static int work_free(lua_State *L) {
  freework((Work *)luaL_checkudata(L, 1, SLOPE_ANALYZE_WORK));
  return 0;
}

/* Push a to-be-closed Work for n inputs with the eigensolver and the
** scratch buffer; the caller adds what else it needs. */
static Work *newwork(lua_State *L, size_t n) {
  Work *w = (Work *)lua_newuserdatauv(L, sizeof(Work), 0);
  memset(w, 0, sizeof *w);
  luaL_setmetatable(L, SLOPE_ANALYZE_WORK);
  lua_toclose(L, -1);
  w->n = n;
  if (n > 4096)
    luaL_error(L, "analyze: too many inputs (%d; at most 4096)", (int)n);
  w->eig = gsl_eigen_symmv_alloc(n);
  w->a = gsl_matrix_alloc(n, n);
  w->evec = gsl_matrix_alloc(n, n);
  w->eval = gsl_vector_alloc(n);
  w->buf = (double *)malloc((7 * n + n * n) * sizeof(double));
  if (w->eig == NULL || w->a == NULL || w->evec == NULL || w->eval == NULL ||
      w->buf == NULL)
    luaL_error(L, "not enough memory");
  return w;
}

#define BUF_X(w) ((w)->buf)
#define BUF_G(w) ((w)->buf + (w)->n)
#define BUF_H(w) ((w)->buf + 2 * (w)->n)
#define BUF_LO(w) ((w)->buf + 2 * (w)->n + (w)->n * (w)->n)
#define BUF_HI(w) (BUF_LO(w) + (w)->n)
#define BUF_SHIFT(w) (BUF_LO(w) + 2 * (w)->n)
#define BUF_U(w) (BUF_LO(w) + 3 * (w)->n)
#define BUF_T(w) (BUF_LO(w) + 4 * (w)->n)

/*
** {======================================================
** Eigenvalues and kinds
** =======================================================
*/

static int allfinite(const double *v, size_t n) {
  size_t i;
  for (i = 0; i < n; i++)
    if (!isfinite(v[i])) return 0;
  return 1;
}

/* The eigenvalues (ascending, into w->eval) and unit eigenvectors (the
** columns of w->evec) of the symmetric part of h (n * n, row-major); each
** eigenvector's largest entry is made positive, so the digits do not
** depend on the solver's choice of sign. 0 if h is not finite (NaN
** eigenvalues then). */
static int eigen(Work *w, const double *h) {
  size_t i, j, n = w->n;
  if (!allfinite(h, n * n)) {
    gsl_vector_set_all(w->eval, GSL_NAN);
    gsl_matrix_set_all(w->evec, GSL_NAN);
    return 0;
  }
  for (i = 0; i < n; i++)
    for (j = 0; j < n; j++)
      gsl_matrix_set(w->a, i, j, 0.5 * (h[i * n + j] + h[j * n + i]));
  if (gsl_eigen_symmv(w->a, w->eval, w->evec, w->eig) != GSL_SUCCESS) {
    gsl_vector_set_all(w->eval, GSL_NAN);
    gsl_matrix_set_all(w->evec, GSL_NAN);
    return 0;
  }
  gsl_eigen_symmv_sort(w->eval, w->evec, GSL_EIGEN_SORT_VAL_ASC);
  for (j = 0; j < n; j++) {
    double big = 0, e;
    for (i = 0; i < n; i++) {
      e = gsl_matrix_get(w->evec, i, j);
      if (fabs(e) > fabs(big)) big = e;
    }
    if (big < 0)
      for (i = 0; i < n; i++)
        gsl_matrix_set(w->evec, i, j, -gsl_matrix_get(w->evec, i, j));
  }
  return 1;
}

/* The default zero threshold: sqrt(eps) max(1, max |lambda|). */
static double deftol(const Work *w) {
  double big = 1;
  size_t i;
  for (i = 0; i < w->n; i++)
    big = fmax(big, fabs(gsl_vector_get(w->eval, i)));
  return GSL_SQRT_DBL_EPSILON * big;
}

/* Positive and negative eigenvalues beyond tol: a saddle; else one within
** tol of 0: degenerate (the second-derivative test says nothing); else
** definite. */
static int kindof(const Work *w, double tol) {
  int pos = 0, neg = 0, zero = 0;
  size_t i;
  for (i = 0; i < w->n; i++) {
    double e = gsl_vector_get(w->eval, i);
    if (isnan(e)) return K_UNDEFINED;
    if (e > tol) pos = 1;
    else if (e < -tol) neg = 1;
    else zero = 1;
  }
  if (pos && neg) return K_SADDLE;
  if (zero) return K_DEGENERATE;
  return pos ? K_MINIMUM : K_MAXIMUM;
}

static void pushvec(lua_State *L, const double *v, size_t n) {
  slope_vec *u = slope_vec_push(L, n);
  if (n > 0) memcpy(u->data, v, n * sizeof(double));
}

static void pusheval(lua_State *L, const Work *w) {
  slope_vec *u = slope_vec_push(L, w->n);
  size_t i;
  for (i = 0; i < w->n; i++) u->data[i] = gsl_vector_get(w->eval, i);
}

/* The eigenvector column j of w->evec into v. */
static void column(const Work *w, size_t j, double *v) {
  size_t i;
  for (i = 0; i < w->n; i++) v[i] = gsl_matrix_get(w->evec, i, j);
}

/* Optional number argument: nil gives -1 (the default). */
static double optnonneg(lua_State *L, int arg) {
  double v;
  if (lua_isnoneornil(L, arg)) return -1;
  v = luaL_checknumber(L, arg);
  luaL_argcheck(L, v >= 0 && isfinite(v), arg, "non-negative number expected");
  return v;
}

/* Push the classification of x: f, g (n), h (n * n) given; tol, gtol < 0
** for the defaults. */
static void pushclassified(lua_State *L, Work *w, const double *x, double f,
                           const double *g, const double *h, double tol,
                           double gtol) {
  size_t n = w->n, i, j;
  double gnorm = slope_norm2(g, n);
  int kind, stationary;
  slope_mat *m;
  eigen(w, h);
  if (tol < 0) tol = deftol(w);
  if (gtol < 0) gtol = GSL_SQRT_DBL_EPSILON * fmax(1, fabs(f));
  kind = kindof(w, tol);
  stationary = gnorm <= gtol;
  lua_createtable(L, 0, 13);
  lua_pushstring(L, kindnames[kind]);
  lua_setfield(L, -2, "kind");
  pusheval(L, w);
  lua_setfield(L, -2, "eigenvalues");
  m = slope_mat_push(L, n, n);
  for (i = 0; i < n; i++)
    for (j = 0; j < n; j++) m->data[i * n + j] = gsl_matrix_get(w->evec, i, j);
  lua_setfield(L, -2, "eigenvectors");
  pushvec(L, x, n);
  lua_setfield(L, -2, "x");
  lua_pushnumber(L, f);
  lua_setfield(L, -2, "f");
  pushvec(L, g, n);
  lua_setfield(L, -2, "grad");
  m = slope_mat_push(L, n, n);
  if (n > 0) memcpy(m->data, h, n * n * sizeof(double));
  lua_setfield(L, -2, "hessian");
  lua_pushnumber(L, gnorm);
  lua_setfield(L, -2, "gnorm");
  lua_pushnumber(L, tol);
  lua_setfield(L, -2, "tol");
  lua_pushnumber(L, gtol);
  lua_setfield(L, -2, "gtol");
  lua_pushboolean(L, stationary);
  lua_setfield(L, -2, "stationary");
  if (kind == K_UNDEFINED)
    lua_pushliteral(L, "the Hessian is not finite at x: no kind");
  else if (!stationary)
    lua_pushfstring(L,
                    "x is not a stationary point (|grad f| = %f > gtol = %f): "
                    "the kind describes the curvature of f at x only",
                    gnorm, gtol);
  else if (kind == K_DEGENERATE)
    lua_pushliteral(L, "an eigenvalue is zero (within tol) and none has the "
                       "other sign: the second-derivative test is "
                       "inconclusive");
  else
    lua_pushnil(L);
  lua_setfield(L, -2, "note");
}

/* }====================================================== */

/*
** {======================================================
** Entry points
** =======================================================
*/

/* compile(f, n, fname) -> F: f traced for n inputs (through the cache),
** or f itself when it is compiled already with n inputs and one output. */
static int analyze_compile(lua_State *L) {
  lua_Integer n = luaL_checkinteger(L, 2);
  const char *fname = luaL_checkstring(L, 3);
  slope_ad_fn *F = slope_ad_testfn(L, 1);
  luaL_argcheck(L, n >= 1, 2, "positive size expected");
  if (F != NULL) {
    if (slope_ad_n(F) != (size_t)n || slope_ad_m(F) != 1)
      luaL_error(L, "%s: the compiled function takes %d inputs and returns "
                    "%d values; expected %d inputs and a number",
                 fname, (int)slope_ad_n(F), (int)slope_ad_m(F), (int)n);
    lua_settop(L, 1);
  }
  else {
    F = slope_ad_compile(L, 1, (size_t)n, 0, 0, fname);
    if (slope_ad_m(F) != 1)
      luaL_error(L, "%s: the function returns a list of %d values, not a "
                    "number", fname, (int)slope_ad_m(F));
  }
  return 1;
}

/* F at arg, ready for Hessians. */
static slope_ad_fn *checkF(lua_State *L, int arg) {
  slope_ad_fn *F = slope_ad_checkfn(L, arg);
  lua_pushvalue(L, arg);
  slope_ad_setdata(L, F, 0, 0, "analyze");
  slope_ad_reserve(L, F);
  lua_pop(L, 1);
  return F;
}

static slope_vec *checklen(lua_State *L, int arg, size_t n) {
  slope_vec *v = slope_vec_checkarg(L, arg);
  luaL_argcheck(L, v->n == n, arg, "wrong length");
  return v;
}

/* classify(F, x, tol, gtol) -> table */
static int analyze_classify(lua_State *L) {
  slope_ad_fn *F = checkF(L, 1);
  size_t n = slope_ad_n(F);
  slope_vec *x = checklen(L, 2, n);
  double tol = optnonneg(L, 3), gtol = optnonneg(L, 4), f;
  Work *w;
  lua_settop(L, 4);
  w = newwork(L, n);
  memcpy(BUF_X(w), x->data, n * sizeof(double));
  f = slope_ad_valgrad(F, BUF_X(w), BUF_G(w));
  if (slope_ad_hessian(F, BUF_X(w), BUF_H(w)) != 0)
    slope_interrupt_check(L);
  pushclassified(L, w, BUF_X(w), f, BUF_G(w), BUF_H(w), tol, gtol);
  return 1;
}

/* classify_matrix(x, f, g, H, tol, gtol) -> table: as classify, with the
** derivatives given (taken numerically). */
static int analyze_classify_matrix(lua_State *L) {
  slope_vec *x = slope_vec_checkarg(L, 1);
  size_t n = x->n;
  double f = luaL_checknumber(L, 2);
  slope_vec *g = checklen(L, 3, n);
  slope_mat *h = slope_mat_checkarg(L, 4);
  double tol = optnonneg(L, 5), gtol = optnonneg(L, 6);
  Work *w;
  luaL_argcheck(L, h->rows == n && h->cols == n, 4, "wrong shape");
  lua_settop(L, 6);
  w = newwork(L, n);
  pushclassified(L, w, x->data, f, g->data, h->data, tol, gtol);
  return 1;
}

/* The box: lo and hi at args lo, lo + 1, of n numbers each, lo < hi. */
static void checkbox(lua_State *L, Work *w, int arg) {
  size_t n = w->n, j;
  slope_vec *lo = checklen(L, arg, n), *hi = checklen(L, arg + 1, n);
  for (j = 0; j < n; j++)
    luaL_argcheck(L, lo->data[j] < hi->data[j] && isfinite(lo->data[j]) &&
                     isfinite(hi->data[j]),
                  arg, "empty box");
  memcpy(BUF_LO(w), lo->data, n * sizeof(double));
  memcpy(BUF_HI(w), hi->data, n * sizeof(double));
}

/* The quasi-random generator for n dimensions and the seeded shift. */
static void newpoints(lua_State *L, Work *w, unsigned long seed) {
  size_t j, n = w->n;
  if (n <= SOBOL_MAX)
    w->q = gsl_qrng_alloc(gsl_qrng_sobol, (unsigned)n);
  else if (n <= HALTON_MAX)
    w->q = gsl_qrng_alloc(gsl_qrng_halton, (unsigned)n);
  w->r = gsl_rng_alloc(gsl_rng_mt19937);
  if ((n <= HALTON_MAX && w->q == NULL) || w->r == NULL)
    luaL_error(L, "not enough memory");
  gsl_rng_set(w->r, seed);
  for (j = 0; j < n; j++) BUF_SHIFT(w)[j] = gsl_rng_uniform(w->r);
}

/* The next point of the shifted sequence in the box, into x. */
static void nextpoint(Work *w, double *x) {
  size_t j, n = w->n;
  double *u = BUF_U(w), *lo = BUF_LO(w), *hi = BUF_HI(w);
  if (w->q != NULL)
    gsl_qrng_get(w->q, u);
  else
    for (j = 0; j < n; j++) u[j] = gsl_rng_uniform(w->r);
  for (j = 0; j < n; j++) {
    double t = u[j] + BUF_SHIFT(w)[j];
    t -= floor(t);
    x[j] = lo[j] + t * (hi[j] - lo[j]);
    if (x[j] > hi[j]) x[j] = hi[j];
  }
}

/* {------------------------------------------------------
** Stationary points
** ------------------------------------------------------- */

/* grad f = 0 for GSL: the gradient and the Hessian from the tape, through
** contiguous copies (GSL's vectors may have strides). Nothing here calls
** Lua or raises; a pending Ctrl-C or a value that is not finite ends the
** solver's iteration with GSL_EBADFUNC. */
typedef struct System {
  slope_ad_fn *F;
  Work *w;
} System;

static int sys_grad(const gsl_vector *x, void *p, gsl_vector *g) {
  System *s = (System *)p;
  Work *w = s->w;
  size_t j, n = w->n;
  double f;
  for (j = 0; j < n; j++) BUF_T(w)[j] = gsl_vector_get(x, j);
  f = slope_ad_valgrad(s->F, BUF_T(w), BUF_G(w));
  for (j = 0; j < n; j++) gsl_vector_set(g, j, BUF_G(w)[j]);
  return isfinite(f) && allfinite(BUF_G(w), n) ? GSL_SUCCESS : GSL_EBADFUNC;
}

static int sys_hess(const gsl_vector *x, void *p, gsl_matrix *J) {
  System *s = (System *)p;
  Work *w = s->w;
  size_t i, j, n = w->n;
  double *h = BUF_H(w);
  for (j = 0; j < n; j++) BUF_T(w)[j] = gsl_vector_get(x, j);
  if (slope_ad_hessian(s->F, BUF_T(w), h) != 0)
    return GSL_EBADFUNC;
  for (i = 0; i < n; i++)
    for (j = 0; j < n; j++) gsl_matrix_set(J, i, j, h[i * n + j]);
  return allfinite(h, n * n) ? GSL_SUCCESS : GSL_EBADFUNC;
}

static int sys_both(const gsl_vector *x, void *p, gsl_vector *g,
                    gsl_matrix *J) {
  int status = sys_grad(x, p, g);
  return status != GSL_SUCCESS ? status : sys_hess(x, p, J);
}

/* Within the box widened by its width on each side (a Newton path may
** leave the box and come back; one that goes further is given up)? */
static int nearbox(const Work *w, const double *x, double widen) {
  size_t j;
  for (j = 0; j < w->n; j++) {
    double lo = BUF_LO(w)[j], hi = BUF_HI(w)[j], d = widen * (hi - lo);
    if (!(x[j] >= lo - d && x[j] <= hi + d)) return 0;
  }
  return 1;
}

/* Keep the root x (|grad| gnorm), or the better of it and the root it
** duplicates (every coordinate within dup times the box's width). */
static void addroot(lua_State *L, Work *w, const double *x, double gnorm,
                    double dup) {
  size_t k, j, n = w->n, stride = RSTRIDE(n);
  double *r;
  for (k = 0; k < w->nroots; k++) {
    r = w->roots + k * stride;
    for (j = 0; j < n; j++)
      if (fabs(R_X(r, n)[j] - x[j]) > dup * (BUF_HI(w)[j] - BUF_LO(w)[j]))
        break;
    if (j == n) {
      if (gnorm < R_GNORM(r, n)) {
        memcpy(R_X(r, n), x, n * sizeof(double));
        R_GNORM(r, n) = gnorm;
      }
      return;
    }
  }
  if (w->nroots == w->cap) {
    size_t cap = w->cap ? 2 * w->cap : 16;
    double *p = (double *)realloc(w->roots, cap * stride * sizeof(double));
    if (p == NULL)
      luaL_error(L, "not enough memory");
    w->roots = p;
    w->cap = cap;
  }
  r = w->roots + w->nroots++ * stride;
  memcpy(R_X(r, n), x, n * sizeof(double));
  R_GNORM(r, n) = gnorm;
}

/* By kind, then f, then x (coordinates in turn), on the quantised keys. */
static int compareroots(const void *pa, const void *pb) {
  const double *a = (const double *)pa, *b = (const double *)pb;
  size_t j, n = (size_t)R_N(a);
  if (R_RANK(a) != R_RANK(b)) return R_RANK(a) < R_RANK(b) ? -1 : 1;
  if (R_FKEY(a) != R_FKEY(b)) return R_FKEY(a) < R_FKEY(b) ? -1 : 1;
  for (j = 0; j < n; j++)
    if (R_XKEY(a)[j] != R_XKEY(b)[j])
      return R_XKEY(a)[j] < R_XKEY(b)[j] ? -1 : 1;
  return 0;
}

static int comparedoubles(const void *pa, const void *pb) {
  double a = *(const double *)pa, b = *(const double *)pb;
  return a < b ? -1 : a > b;
}

/* The median of |grad f| over the first count starts (NaN counted as
** inf): the scale of the default acceptance threshold. Restarts the
** sequence afterwards. */
static double typicalgrad(Work *w, slope_ad_fn *F, size_t count,
                          double *scratch) {
  size_t k;
  double m;
  for (k = 0; k < count; k++) {
    nextpoint(w, BUF_X(w));
    slope_ad_valgrad(F, BUF_X(w), BUF_G(w));
    scratch[k] = slope_norm2(BUF_G(w), w->n);
    if (isnan(scratch[k])) scratch[k] = HUGE_VAL;
  }
  qsort(scratch, count, sizeof(double), comparedoubles);
  m = scratch[count / 2];
  if (w->q != NULL) gsl_qrng_init(w->q);
  return isfinite(m) ? m : 1;
}

/* stationary(F, lo, hi, starts, seed, maxiter, gtol, xtol, tol, method)
** -> {point, ..., count =, starts =, converged =, status =, message =} */
static int analyze_stationary(lua_State *L) {
  slope_ad_fn *F = checkF(L, 1);
  size_t n = slope_ad_n(F), j, k, stride = RSTRIDE(n);
  lua_Integer starts = luaL_checkinteger(L, 4);
  lua_Integer seed = luaL_checkinteger(L, 5);
  lua_Integer maxiter = luaL_checkinteger(L, 6), s, it;
  double gtol = optnonneg(L, 7), dup = optnonneg(L, 8), tol = optnonneg(L, 9);
  int newton = strcmp(luaL_checkstring(L, 10), "newton") == 0;
  int interrupted = 0;
  lua_Integer converged = 0, tried = 0;
  double fmaxabs = 1, *scratch;
  gsl_multiroot_function_fdf fdf;
  System sys;
  Work *w;
  luaL_argcheck(L, starts >= 1 && starts <= 100000000, 4, "bad count");
  luaL_argcheck(L, maxiter >= 1, 6, "bad count");
  lua_settop(L, 10);
  w = newwork(L, n);
  checkbox(L, w, 2);
  newpoints(L, w, (unsigned long)seed);
  w->solver = gsl_multiroot_fdfsolver_alloc(
      newton ? gsl_multiroot_fdfsolver_newton
             : gsl_multiroot_fdfsolver_hybridsj,
      n);
  if (w->solver == NULL)
    luaL_error(L, "not enough memory");
  if (dup < 0) dup = XDUP_REL;
  if (gtol < 0) {
    size_t count = starts < GSCALE_STARTS ? (size_t)starts : GSCALE_STARTS;
    scratch = (double *)lua_newuserdatauv(L, count * sizeof(double), 0);
    gtol = GTOL_REL * fmax(1, typicalgrad(w, F, count, scratch));
    lua_pop(L, 1);
  }
  sys.F = F;
  sys.w = w;
  fdf.f = sys_grad;
  fdf.df = sys_hess;
  fdf.fdf = sys_both;
  fdf.n = n;
  fdf.params = &sys;
  for (s = 0; s < starts && !interrupted; s++) {
    gsl_multiroot_fdfsolver *sv = w->solver;
    gsl_vector_view xv = gsl_vector_view_array(BUF_X(w), n);
    double gnorm;
    int status, far = 0;
    nextpoint(w, BUF_X(w));
    tried++;
    status = gsl_multiroot_fdfsolver_set(sv, &fdf, &xv.vector);
    if (slope_interrupt_pending()) {
      interrupted = 1;
      break;
    }
    if (status != GSL_SUCCESS) continue;
    for (it = 0; it < maxiter; it++) {
      double big = 0;
      status = gsl_multiroot_fdfsolver_iterate(sv);
      if (status != GSL_SUCCESS || slope_interrupt_pending()) break;
      for (j = 0; j < n; j++) BUF_X(w)[j] = gsl_vector_get(sv->x, j);
      if (!nearbox(w, BUF_X(w), 1)) {
        far = 1;
        break;
      }
      for (j = 0; j < n; j++)
        big = fmax(big, fabs(gsl_vector_get(sv->dx, j)) /
                            fmax(BUF_HI(w)[j] - BUF_LO(w)[j],
                                 fabs(BUF_X(w)[j])));
      for (j = 0; j < n; j++) BUF_G(w)[j] = gsl_vector_get(sv->f, j);
      if (!(big > XSTEP) || slope_norm2(BUF_G(w), n) == 0) break;
    }
    if (slope_interrupt_pending()) {
      interrupted = 1;
      break;
    }
    if (far) continue;
    for (j = 0; j < n; j++) {
      BUF_X(w)[j] = gsl_vector_get(sv->x, j);
      BUF_G(w)[j] = gsl_vector_get(sv->f, j);
    }
    gnorm = slope_norm2(BUF_G(w), n);
    if (!(gnorm <= gtol) || !nearbox(w, BUF_X(w), SLACK_REL)) continue;
    converged++;
    addroot(L, w, BUF_X(w), gnorm, dup);
  }
  if (interrupted) slope_interrupt_take(L);
  /* classify each root; a second Ctrl-C drops the ones not yet done */
  for (k = 0; k < w->nroots; k++) {
    double *r = w->roots + k * stride;
    R_N(r) = (double)n;
    R_F(r, n) = slope_ad_valgrad(F, R_X(r, n), BUF_G(w));
    if (slope_ad_hessian(F, R_X(r, n), BUF_H(w)) != 0) {
      slope_interrupt_take(L);
      interrupted = 1;
      w->nroots = k;
      break;
    }
    eigen(w, BUF_H(w));
    R_RANK(r) = kindof(w, tol < 0 ? deftol(w) : tol);
    for (j = 0; j < n; j++) R_EVAL(r, n)[j] = gsl_vector_get(w->eval, j);
    if (isfinite(R_F(r, n))) fmaxabs = fmax(fmaxabs, fabs(R_F(r, n)));
  }
  for (k = 0; k < w->nroots; k++) {
    double *r = w->roots + k * stride;
    R_FKEY(r) = nearbyint(R_F(r, n) / (FKEY_REL * fmaxabs));
    if (isnan(R_FKEY(r))) R_FKEY(r) = HUGE_VAL;
    for (j = 0; j < n; j++)
      R_XKEY(r)[j] = nearbyint(R_X(r, n)[j] /
                               (XKEY_REL * (BUF_HI(w)[j] - BUF_LO(w)[j])));
  }
  if (w->nroots > 1)
    qsort(w->roots, w->nroots, stride * sizeof(double), compareroots);
  lua_createtable(L, (int)w->nroots, 6);
  for (k = 0; k < w->nroots; k++) {
    double *r = w->roots + k * stride;
    lua_createtable(L, 0, 5);
    pushvec(L, R_X(r, n), n);
    lua_setfield(L, -2, "x");
    lua_pushnumber(L, R_F(r, n));
    lua_setfield(L, -2, "f");
    lua_pushstring(L, kindnames[(int)R_RANK(r)]);
    lua_setfield(L, -2, "kind");
    pushvec(L, R_EVAL(r, n), n);
    lua_setfield(L, -2, "eigenvalues");
    lua_pushnumber(L, R_GNORM(r, n));
    lua_setfield(L, -2, "gnorm");
    lua_rawseti(L, -2, (lua_Integer)k + 1);
  }
  lua_pushinteger(L, (lua_Integer)w->nroots);
  lua_setfield(L, -2, "count");
  lua_pushinteger(L, tried);
  lua_setfield(L, -2, "starts");
  lua_pushinteger(L, converged);
  lua_setfield(L, -2, "converged");
  lua_pushnumber(L, gtol);
  lua_setfield(L, -2, "gtol");
  lua_pushstring(L, interrupted ? "interrupted" : "done");
  lua_setfield(L, -2, "status");
  if (interrupted)
    lua_pushfstring(L, "interrupted (Ctrl-C) after %I of %I starts: the "
                       "%d stationary points found so far",
                    tried, starts, (int)w->nroots);
  else
    lua_pushfstring(L, "%d stationary point%s in the box from %I starts "
                       "(%I converged to one)",
                    (int)w->nroots, w->nroots == 1 ? "" : "s", starts,
                    converged);
  lua_setfield(L, -2, "message");
  return 1;
}

/* }------------------------------------------------------ */

/* convex(F, lo, hi, samples, seed, tol) -> {convex =, samples =,
** min_eigenvalue =, witness =, witness_eigenvalue =, direction =, ...} */
static int analyze_convex(lua_State *L) {
  slope_ad_fn *F = checkF(L, 1);
  size_t n = slope_ad_n(F);
  lua_Integer samples = luaL_checkinteger(L, 4), s, done = 0, against = 0;
  lua_Integer seed = luaL_checkinteger(L, 5);
  double tol = optnonneg(L, 6), minev = HUGE_VAL, worst = HUGE_VAL;
  double maxev = -HUGE_VAL;
  int interrupted = 0, undefined = 0, base;
  double *wit, *dir, *minx, *mindir;
  Work *w;
  luaL_argcheck(L, samples >= 1, 4, "bad count");
  lua_settop(L, 6);
  w = newwork(L, n);
  checkbox(L, w, 2);
  newpoints(L, w, (unsigned long)seed);
  base = lua_gettop(L);
  wit = slope_vec_push(L, n)->data;    /* base + 1: the witness */
  dir = slope_vec_push(L, n)->data;    /* + 2: its direction */
  minx = slope_vec_push(L, n)->data;   /* + 3: where min_eigenvalue is */
  mindir = slope_vec_push(L, n)->data; /* + 4: its direction */
  for (s = 0; s < samples; s++) {
    double lam, t;
    if (slope_interrupt_pending()) {
      interrupted = 1;
      break;
    }
    nextpoint(w, BUF_X(w));
    if (slope_ad_hessian(F, BUF_X(w), BUF_H(w)) != 0) {
      interrupted = 1;
      break;
    }
    done++;
    if (!eigen(w, BUF_H(w))) {
      undefined++;
      continue;
    }
    lam = gsl_vector_get(w->eval, 0);
    maxev = fmax(maxev, gsl_vector_get(w->eval, n - 1));
    t = tol < 0 ? deftol(w) : tol;
    if (lam < minev) {
      minev = lam;
      memcpy(minx, BUF_X(w), n * sizeof(double));
      column(w, 0, mindir);
    }
    if (lam < -t) {
      against++;
      if (lam < worst) {
        worst = lam;
        memcpy(wit, BUF_X(w), n * sizeof(double));
        column(w, 0, dir);
      }
    }
  }
  if (interrupted) slope_interrupt_take(L);
  lua_createtable(L, 0, 12);
  lua_pushboolean(L, against == 0 && done > undefined);
  lua_setfield(L, -2, "convex");
  lua_pushinteger(L, done);
  lua_setfield(L, -2, "samples");
  lua_pushinteger(L, against);
  lua_setfield(L, -2, "negative");
  if (done > undefined) {
    lua_pushnumber(L, minev);
    lua_setfield(L, -2, "min_eigenvalue");
    lua_pushnumber(L, maxev);
    lua_setfield(L, -2, "max_eigenvalue");
    lua_pushvalue(L, base + (against ? 1 : 3));
    lua_setfield(L, -2, "witness");
    lua_pushnumber(L, against ? worst : minev);
    lua_setfield(L, -2, "witness_eigenvalue");
    lua_pushvalue(L, base + (against ? 2 : 4));
    lua_setfield(L, -2, "direction");
  }
  lua_pushstring(L, interrupted ? "interrupted" : "done");
  lua_setfield(L, -2, "status");
  if (done == undefined)
    lua_pushfstring(L, "the Hessian was not finite at any of the %I samples: "
                       "no verdict", done);
  else if (against > 0)
    lua_pushfstring(L, "not convex: the Hessian at the witness has the "
                       "eigenvalue %f < 0 (along direction); %I of %I "
                       "samples have one below -tol",
                    worst, against, done);
  else
    lua_pushfstring(L, "no negative Hessian eigenvalue (below -tol) at any "
                       "of %I samples: evidence of convexity on the box, "
                       "not a proof (sampling cannot prove convexity)%s",
                    done, interrupted ? "; interrupted (Ctrl-C)" : "");
  lua_setfield(L, -2, "message");
  if (undefined > 0) {
    lua_pushinteger(L, undefined);
    lua_setfield(L, -2, "undefined");
  }
  return 1;
}

/* }====================================================== */

static const luaL_Reg analyze_funcs[] = {
    {"classify", analyze_classify},
    {"classify_matrix", analyze_classify_matrix},
    {"compile", analyze_compile},
    {"convex", analyze_convex},
    {"stationary", analyze_stationary},
    {NULL, NULL}};

static const luaL_Reg work_meta[] = {
    {"__close", work_free}, {"__gc", work_free}, {NULL, NULL}};

int slope_open_analyze(lua_State *L) {
  luaL_newmetatable(L, SLOPE_ANALYZE_WORK);
  luaL_setfuncs(L, work_meta, 0);
  lua_pop(L, 1);
  luaL_newlib(L, analyze_funcs);
  return 1;
}
