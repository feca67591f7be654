/*
** newton.c: the Newton family, each a slope_solver_type. "newton" factors
** the dense Hessian (Cholesky, shifted by a multiple of the identity when
** it is not positive definite: Nocedal & Wright, Algorithm 3.3);
** "newton-cg" is the line-search Newton-CG of Nocedal & Wright, Algorithm
** 7.1, and sees the Hessian only through products H v. Both take an
** Armijo backtracking step from the full step 1, and both can step out of
** a saddle along negative curvature (escape). All memory is the state
** block: nothing is allocated per iteration, not even by GSL.
*/
#include "config.h"

#include <float.h>
#include <math.h>
#include <string.h>

#include <gsl/gsl_linalg.h>

#include "optim/solver.h"

#define ARMIJO_C1 1e-4   /* sufficient decrease, unless p->c1 is set */
#define BACKTRACKS 60    /* line search trials before giving up */
#define SHIFT_BETA 1e-3  /* first shift, relative to |H|_F */
#define SHIFT_TRIES 100  /* doublings of the shift before giving up */
#define INVERSE_ITERS 4  /* inverse iterations for the escape direction */

static double dot(const double *u, const double *v, size_t n) {
  double s = 0;
  size_t i;
  for (i = 0; i < n; i++) s += u[i] * v[i];
  return s;
}

/* A fixed, well-spread start vector (the same digits every run). */
static void startvec(double *v, size_t n) {
  unsigned long s = 88172645UL;
  size_t i;
  for (i = 0; i < n; i++) {
    s = (s * 1103515245UL + 12345UL) & 0x7fffffffUL;
    v[i] = 0.5 + (double)s / 0x7fffffff;
  }
}

static double c1of(const slope_params *p) {
  return p->c1 > 0 && p->c1 < 0.5 ? p->c1 : ARMIJO_C1;
}

/* Armijo backtracking along d from x (slope gd = g.d < 0): the full step
** first, evaluated with its gradient since it is usually taken; then
** safeguarded quadratic interpolation within [0.1 t, 0.5 t]. A step at
** the rounding level of f (|gd| below its last bits) is taken as it is.
** On success x, f, g are those of the new point. */
static int linesearch(slope_objective *obj, const slope_params *p, double *x,
                      double *f, double *g, const double *d, double gd,
                      double *xt, double *gt) {
  size_t i, n = obj->n;
  double t = 1, ft = NAN, c1 = c1of(p), tn;
  int k;
  for (k = 0; k < BACKTRACKS; k++) {
    for (i = 0; i < n; i++) xt[i] = x[i] + t * d[i];
    ft = obj->fg(obj->ctx, xt, k == 0 ? gt : NULL);
    if (ft <= *f + c1 * t * gd ||
        (k == 0 && -gd <= DBL_EPSILON * fabs(*f) &&
         ft <= *f + 4 * DBL_EPSILON * fabs(*f)))
      break;
    if (isfinite(ft)) {
      tn = -gd * t * t / (2 * (ft - *f - gd * t));
      t = tn < 0.1 * t ? 0.1 * t : tn > 0.5 * t ? 0.5 * t : tn;
    }
    else
      t *= 0.1;
  }
  if (k == BACKTRACKS)
    return SLOPE_STEP_FAILED;
  memcpy(x, xt, n * sizeof(double));
  if (k == 0) {
    memcpy(g, gt, n * sizeof(double));
    *f = ft;
  }
  else
    *f = obj->fg(obj->ctx, x, g);
  return SLOPE_STEP_OK;
}

/* The escape's step along the unit direction v of curvature curv < 0:
** whichever of +v, -v gives the lower f with sufficient decrease
** f(x + t v) <= f + c1 (t g.v + t^2 curv / 2), t halved from 1. */
static int curvestep(slope_objective *obj, const slope_params *p, double *x,
                     double *f, double *g, const double *v, double curv,
                     double *xt) {
  size_t i, n = obj->n;
  double gv = dot(g, v, n), t = 1, c1 = c1of(p), fp, fm, best;
  int k, sign = 0;
  for (k = 0; k < BACKTRACKS; k++, t /= 2) {
    for (i = 0; i < n; i++) xt[i] = x[i] + t * v[i];
    fp = obj->fg(obj->ctx, xt, NULL);
    for (i = 0; i < n; i++) xt[i] = x[i] - t * v[i];
    fm = obj->fg(obj->ctx, xt, NULL);
    best = *f;
    if (fp < best && fp <= *f + c1 * (t * gv + 0.5 * t * t * curv)) {
      sign = 1;
      best = fp;
    }
    if (fm < best && fm <= *f + c1 * (-t * gv + 0.5 * t * t * curv))
      sign = -1;
    if (sign != 0)
      break;
  }
  if (sign == 0)
    return SLOPE_STEP_FAILED;
  for (i = 0; i < n; i++) x[i] += sign * t * v[i];
  *f = obj->fg(obj->ctx, x, g);
  obj->notes |= SLOPE_NOTE_NEGATIVE_CURVATURE;
  return SLOPE_STEP_OK;
}

/* {======================================================
** newton: dense Hessian, modified Cholesky
** ======================================================= */

/* The Hessian h is n * n, row-major. Its upper triangle (with the
** diagonal kept in hd) is the matrix; factorisations write their lower
** triangle, so a retry or a second factorisation needs no copy. */
typedef struct nt_state {
  size_t n;
  double *h, *hd, *d, *xt, *gt, *v, *w, *td, *ts;
} nt_state;

static size_t nt_size(size_t n) {
  return sizeof(nt_state) + (n * n + 8 * n) * sizeof(double);
}

static void nt_init(void *state, size_t n, const slope_params *p) {
  nt_state *s = (nt_state *)state;
  (void)p;
  s->n = n;
  s->h = (double *)(s + 1);
  s->hd = s->h + n * n;
  s->d = s->hd + n;
  s->xt = s->d + n;
  s->gt = s->xt + n;
  s->v = s->gt + n;
  s->w = s->v + n;
  s->td = s->w + n;
  s->ts = s->td + n;
}

/* Cholesky of H + tau I into the lower triangle of h (row by row);
** 0, or -1 at a pivot not above tol. */
static int cholesky(double *h, const double *hd, size_t n, double tau,
                    double tol) {
  size_t i, j, k;
  double s;
  for (i = 0; i < n; i++)
    for (j = 0; j <= i; j++) {
      s = i == j ? hd[i] + tau : h[j * n + i];
      for (k = 0; k < j; k++) s -= h[i * n + k] * h[j * n + k];
      if (i == j) {
        if (!(s > tol))
          return -1;
        h[i * n + i] = sqrt(s);
      }
      else
        h[i * n + j] = s / h[j * n + j];
    }
  return 0;
}

/* Solve L L' d = b in place (L in the lower triangle of h). */
static void cholsolve(const double *h, size_t n, double *d) {
  size_t i, k;
  double s;
  for (i = 0; i < n; i++) {
    for (s = d[i], k = 0; k < i; k++) s -= h[i * n + k] * d[k];
    d[i] = s / h[i * n + i];
  }
  for (i = n; i-- > 0;) {
    for (s = d[i], k = i + 1; k < n; k++) s -= h[k * n + i] * d[k];
    d[i] = s / h[i * n + i];
  }
}

/* Take the Hessian at x into the state (upper triangle and hd); return
** its Frobenius norm (not finite if the Hessian is not). */
static double nt_hessian(nt_state *s, slope_objective *obj, const double *x) {
  size_t i, j, n = s->n;
  double a = 0;
  obj->hess(obj->ctx, x, s->h);
  for (i = 0; i < n; i++) {
    s->hd[i] = s->h[i * n + i];
    a += s->hd[i] * s->hd[i];
    for (j = i + 1; j < n; j++) a += 2 * s->h[i * n + j] * s->h[i * n + j];
  }
  return sqrt(a);
}

/* Solve (H + tau I) d = -g with the smallest tau in 0, beta, 2 beta, ...
** (from -min h_ii + beta if a diagonal entry is not positive) that makes
** the factorisation succeed; beta = 1e-3 |H|_F. -1 if none does. */
static int nt_direction(nt_state *s, slope_objective *obj, double anorm,
                        const double *g) {
  size_t i, n = s->n;
  double beta = SHIFT_BETA * (anorm > 0 ? anorm : 1), tau = 0, mind = HUGE_VAL;
  double tol = DBL_EPSILON * anorm;
  int k;
  for (i = 0; i < n; i++) mind = fmin(mind, s->hd[i]);
  if (!(mind > tol))
    tau = beta - mind;
  for (k = 0; cholesky(s->h, s->hd, n, tau, tol) != 0; k++) {
    if (k == SHIFT_TRIES)
      return -1;
    tau = fmax(2 * tau, beta);
  }
  if (tau > 0)
    obj->notes |= SLOPE_NOTE_HESSIAN_MODIFIED;
  for (i = 0; i < n; i++) s->d[i] = -g[i];
  cholsolve(s->h, n, s->d);
  return 0;
}

/* One damped Newton step. A Hessian that is not finite, or a direction
** that is not downhill (rounding), gives way to steepest descent. */
static int nt_iterate(void *state, slope_objective *obj,
                      const slope_params *p, long k, double *x, double *f,
                      double *g) {
  nt_state *s = (nt_state *)state;
  size_t i, n = s->n;
  double anorm = nt_hessian(s, obj, x), gd = 0;
  (void)k;
  if (isfinite(anorm) && nt_direction(s, obj, anorm, g) == 0)
    gd = dot(g, s->d, n);
  if (!(gd < 0)) {
    for (i = 0; i < n; i++) s->d[i] = -g[i];
    gd = -dot(g, g, n);
  }
  return linesearch(obj, p, x, f, g, s->d, gd, s->xt, s->gt);
}

/* The number of eigenvalues of the tridiagonal (td, ts) below sigma: the
** negative pivots of its LDL' factorisation minus sigma (Sturm). */
static size_t sturm(const double *td, const double *ts, size_t n,
                    double sigma) {
  size_t i, c = 0;
  double q = 1;
  for (i = 0; i < n; i++) {
    q = td[i] - sigma - (i > 0 ? ts[i - 1] * ts[i - 1] / q : 0);
    if (q == 0)
      q = -DBL_EPSILON * (fabs(td[i]) + fabs(sigma) + DBL_MIN);
    if (q < 0)
      c++;
  }
  return c;
}

/* The least eigenvalue of the Hessian in the state, by Householder
** tridiagonalisation (GSL, in the lower triangle; td, ts and w as its
** workspace) and bisection on Sturm counts. */
static double nt_mineig(nt_state *s, double anorm) {
  size_t i, j, n = s->n;
  double lo = -anorm, hi = anorm, mid;
  gsl_matrix_view A = gsl_matrix_view_array(s->h, n, n);
  gsl_vector_view tau, d = gsl_vector_view_array(s->td, n), sd;
  int it;
  if (n == 1)
    return s->hd[0];
  for (i = 0; i < n; i++) {  /* the matrix, into the lower triangle */
    s->h[i * n + i] = s->hd[i];
    for (j = 0; j < i; j++) s->h[i * n + j] = s->h[j * n + i];
  }
  tau = gsl_vector_view_array(s->w, n - 1);
  sd = gsl_vector_view_array(s->ts, n - 1);
  if (gsl_linalg_symmtd_decomp(&A.matrix, &tau.vector) != 0 ||
      gsl_linalg_symmtd_unpack_T(&A.matrix, &d.vector, &sd.vector) != 0)
    return NAN;
  for (it = 0; it < 200 && hi - lo > 2 * DBL_EPSILON * anorm; it++) {
    mid = 0.5 * (lo + hi);
    if (sturm(s->td, s->ts, n, mid) > 0)
      hi = mid;
    else
      lo = mid;
  }
  return lo;
}

/* At a saddle: the Hessian's least eigenvalue lambda < 0 and its
** eigenvector by inverse iteration on H - (lambda - delta) I, positive
** definite for a small delta; then a step along it (curvestep). */
static int nt_escape(void *state, slope_objective *obj, const slope_params *p,
                     double *x, double *f, double *g) {
  nt_state *s = (nt_state *)state;
  size_t i, n = s->n;
  double anorm = nt_hessian(s, obj, x), lambda, delta, nv;
  int k;
  if (!isfinite(anorm) || anorm == 0)
    return SLOPE_STEP_FAILED;
  lambda = nt_mineig(s, anorm);
  if (!(lambda < -DBL_EPSILON * anorm * (double)n))
    return SLOPE_STEP_FAILED;
  for (delta = 1e-6 * fabs(lambda);
       cholesky(s->h, s->hd, n, delta - lambda, 0) != 0; delta *= 10)
    if (delta > anorm)
      return SLOPE_STEP_FAILED;
  startvec(s->v, n);
  for (k = 0; k < INVERSE_ITERS; k++) {
    cholsolve(s->h, n, s->v);
    nv = sqrt(dot(s->v, s->v, n));
    for (i = 0; i < n; i++) s->v[i] /= nv;
  }
  return curvestep(obj, p, x, f, g, s->v, lambda, s->xt);
}

const slope_solver_type slope_solver_newton = {
  "newton", nt_size, nt_init, nt_iterate, SLOPE_NEEDS_HESSIAN, nt_escape
};

/* }====================================================== */

/* {======================================================
** newton-cg: truncated Newton, Hessian-vector products only
** ======================================================= */

typedef struct ncg_state {
  size_t n;
  double *z, *r, *d, *hd, *xt, *gt;
} ncg_state;

static size_t ncg_size(size_t n) {
  return sizeof(ncg_state) + 6 * n * sizeof(double);
}

static void ncg_init(void *state, size_t n, const slope_params *p) {
  ncg_state *s = (ncg_state *)state;
  (void)p;
  s->n = n;
  s->z = (double *)(s + 1);
  s->r = s->z + n;
  s->d = s->r + n;
  s->hd = s->d + n;
  s->xt = s->hd + n;
  s->gt = s->xt + n;
}

/* The inner CG on H z = -g, from z = 0, until |r| <= eta |g| with eta =
** min(0.5, sqrt|g|), or negative curvature (then the last z; if it comes
** first, -g scaled as scipy does), or 2n + 10 steps. Then Armijo along z. */
static int ncg_iterate(void *state, slope_objective *obj,
                       const slope_params *p, long k, double *x, double *f,
                       double *g) {
  ncg_state *s = (ncg_state *)state;
  size_t i, j, n = s->n, maxcg = 2 * n + 10;
  double gn = sqrt(dot(g, g, n)), tol = fmin(0.5, sqrt(gn)) * gn;
  double rr = gn * gn, rrn, dhd, alpha, beta, gd;
  (void)k;
  memset(s->z, 0, n * sizeof(double));
  for (i = 0; i < n; i++) {
    s->r[i] = g[i];
    s->d[i] = -g[i];
  }
  for (j = 0; j < maxcg; j++) {
    obj->hvp(obj->ctx, x, s->d, s->hd);
    dhd = dot(s->d, s->hd, n);
    if (!(dhd > 0)) {  /* negative curvature, or not finite */
      obj->notes |= SLOPE_NOTE_HESSIAN_MODIFIED;
      if (j == 0)  /* steepest descent, scaled by |g|^2 / |g'Hg| */
        for (i = 0; i < n; i++)
          s->z[i] = dhd < 0 ? rr / -dhd * -g[i] : -g[i];
      break;
    }
    alpha = rr / dhd;
    for (i = 0; i < n; i++) {
      s->z[i] += alpha * s->d[i];
      s->r[i] += alpha * s->hd[i];
    }
    rrn = dot(s->r, s->r, n);
    if (sqrt(rrn) <= tol)
      break;
    beta = rrn / rr;
    rr = rrn;
    for (i = 0; i < n; i++) s->d[i] = -s->r[i] + beta * s->d[i];
  }
  gd = dot(g, s->z, n);
  if (!(gd < 0)) {
    for (i = 0; i < n; i++) s->z[i] = -g[i];
    gd = -gn * gn;
  }
  return linesearch(obj, p, x, f, g, s->z, gd, s->xt, s->gt);
}

/* At a saddle, where CG on H z = -g has nothing to do: CG on H z = b for
** a fixed spread-out b meets negative curvature once its Krylov space
** reaches a negative eigenvalue; step along that search direction. */
static int ncg_escape(void *state, slope_objective *obj,
                      const slope_params *p, double *x, double *f, double *g) {
  ncg_state *s = (ncg_state *)state;
  size_t i, j, n = s->n, maxcg = 2 * n + 10;
  double rr, rrn, dhd, dd, alpha, beta;
  startvec(s->r, n);
  for (i = 0; i < n; i++) s->d[i] = s->r[i];
  rr = dot(s->r, s->r, n);
  for (j = 0; j < maxcg; j++) {
    obj->hvp(obj->ctx, x, s->d, s->hd);
    dhd = dot(s->d, s->hd, n);
    if (!isfinite(dhd))
      return SLOPE_STEP_FAILED;
    if (dhd < 0) {
      dd = sqrt(dot(s->d, s->d, n));
      for (i = 0; i < n; i++) s->d[i] /= dd;
      return curvestep(obj, p, x, f, g, s->d, dhd / (dd * dd), s->xt);
    }
    if (dhd == 0)
      break;
    alpha = rr / dhd;
    for (i = 0; i < n; i++) s->r[i] -= alpha * s->hd[i];
    rrn = dot(s->r, s->r, n);
    if (rrn <= DBL_EPSILON * DBL_EPSILON * rr)
      break;
    beta = rrn / rr;
    rr = rrn;
    for (i = 0; i < n; i++) s->d[i] = s->r[i] + beta * s->d[i];
  }
  return SLOPE_STEP_FAILED;
}

const slope_solver_type slope_solver_newtoncg = {
  "newton-cg", ncg_size, ncg_init, ncg_iterate, SLOPE_NEEDS_HVP, ncg_escape
};

/* }====================================================== */
