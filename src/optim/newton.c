/*
** newton.c: the Newton family, each a slope_solver_type. "newton" takes
** the dense Hessian, scaled so that the units of x do not matter, and
** Newton's step where it is positive definite; where it is not, the step
** of the Hessian with its eigenvalues replaced by their absolute values,
** kept off 0 (n <= EIG_MAX), or shifted by a multiple of the identity
** (Nocedal & Wright, Algorithm 3.3; larger n), its length kept within a
** radius that follows how well the quadratic model predicted the last
** step. "newton-cg" is the line-search Newton-CG of Nocedal & Wright,
** Algorithm 7.1, and sees the Hessian only through products H v. Both
** can step out of a saddle along negative curvature (escape), and both
** end with SLOPE_STEP_FAILED when they stop making progress. All memory
** is the state block: nothing is allocated per iteration, not even by
** GSL.
*/
#include "config.h"

#include <float.h>
#include <math.h>
#include <string.h>

#include <gsl/gsl_eigen.h>
#include <gsl/gsl_linalg.h>

#include "kernels.h"
#include "optim/linesearch.h"
#include "optim/solver.h"

#define ARMIJO_C1 1e-4   /* sufficient decrease, unless p->c1 is set */
#define WOLFE_C2 0.9     /* curvature condition, unless p->c2 is set */
#define BACKTRACKS 60    /* line search trials before giving up */
#define EIG_MAX 500      /* newton: eigenvalue modification up to this n */
#define EIG_FLOOR 1e-8   /* eigenvalues raised to this of the largest */
#define EIG_PD 1e-12     /* unless the least is above this of the largest */
#define PD_TOL 1e-12     /* Cholesky pivots of the scaled H above this */
#define EQUIL_TOL 2      /* rows of the scaled H peak within this of 1 */
#define EQUIL_ITERS 50   /* Ruiz equilibration sweeps at most */
#define SHIFT_BETA 1e-3  /* n > EIG_MAX: first shift of the scaled H */
#define SHIFT_GROW 2     /* and its growth factor */
#define SHIFT_TRIES 100  /* growths of the shift before giving up */
#define FLAT_STEPS 3     /* steps in a row with f unchanged: a stall */
#define STALL_EPS (8 * DBL_EPSILON)  /* a drop in f no larger is none */
#define TIGHTEN 1e-3     /* newton-cg: the inner tolerance after a stall */
#define TIGHTEST 1e-13   /* and how far it goes before giving up */
#define INVERSE_ITERS 4  /* inverse iterations for the escape direction */

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

static double c2of(const slope_params *p) {
  return p->c2 > c1of(p) && p->c2 < 1 ? p->c2 : WOLFE_C2;
}

/* Armijo backtracking along d from x (slope gd = g.d < 0): the step *t
** first (the full step 1, or less), evaluated with its gradient since it
** is usually taken; then safeguarded quadratic interpolation within
** [0.1 t, 0.5 t]. A step at the rounding level of f (|gd| below its last
** bits) is taken as it is. On success x, f, g are those of the new point
** and *t the step taken. */
static int linesearch(slope_objective *obj, const slope_params *p, double *x,
                      double *f, double *g, const double *d, double gd,
                      double *step, double *xt, double *gt) {
  size_t i, n = obj->n;
  double t = *step, ft = NAN, c1 = c1of(p), tn;
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
  *step = t;
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
  double gv = slope_dot(g, v, n), t = 1, c1 = c1of(p), fp, fm, best;
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
** newton: dense Hessian, modified where it is not positive definite
** ======================================================= */

/* The Hessian h is n * n, row-major. Its upper triangle (with the
** diagonal kept in hd) is the matrix, replaced by its scaled form S H S
** (S = diag(sc), the diagonal of S H S in td) when a step is computed;
** factorisations write the lower triangle, so a retry needs no copy.
** dmax: the largest |h_ii| of the run. For n up to EIG_MAX the state
** also holds the eigenvectors q (n * n), the eigenvalues lam and GSL's
** eigen workspace, whose four vectors are in the state block so that
** gsl_eigen_symmv allocates nothing. ls: the Wolfe search's scratch. */
typedef struct nt_state {
  size_t n;
  double *h, *q, *hd, *sc, *dmax, *lam, *d, *xt, *gt, *v, *w, *td, *ts, *ls;
  gsl_eigen_symmv_workspace eig;
  double radius;  /* the longest modified step (2-norm); HUGE_VAL: none */
  int flat;       /* iterations in a row that left f where it was */
} nt_state;

static size_t nt_size(size_t n, const slope_params *p) {
  (void)p;
  return sizeof(nt_state) +
         ((n <= EIG_MAX ? 2 * n * n : n * n) + 18 * n) * sizeof(double);
}

static void nt_init(void *state, size_t n, const slope_params *p) {
  nt_state *s = (nt_state *)state;
  (void)p;
  s->n = n;
  s->h = (double *)(s + 1);
  s->q = s->h + n * n;
  s->hd = s->q + (n <= EIG_MAX ? n * n : 0);
  s->sc = s->hd + n;
  s->dmax = s->sc + n;
  s->lam = s->dmax + n;
  s->d = s->lam + n;
  s->xt = s->d + n;
  s->gt = s->xt + n;
  s->v = s->gt + n;
  s->w = s->v + n;
  s->td = s->w + n;
  s->ts = s->td + n;
  s->ls = s->ts + n;  /* SLOPE_LS_SCRATCH(n) = 3 n */
  s->eig.size = n;    /* what gsl_eigen_symmv_alloc(n) would allocate */
  s->eig.d = s->ls + 3 * n;
  s->eig.sd = s->eig.d + n;
  s->eig.gc = s->eig.sd + n;
  s->eig.gs = s->eig.gc + n;
  memset(s->dmax, 0, n * sizeof(double));
  s->radius = HUGE_VAL;
  s->flat = 0;
}

/* Cholesky of H + tau I into the lower triangle of h (row by row), H in
** the upper triangle and its diagonal in hd; 0, or -1 at a pivot not
** above tol. */
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

/* The largest |entry| in row i of S H S (H: upper triangle of h, hd). */
static double rowmax(const nt_state *s, size_t i) {
  size_t j, n = s->n;
  double r = fabs(s->hd[i]) * s->sc[i] * s->sc[i];
  for (j = 0; j < n; j++)
    if (j != i)
      r = fmax(r, fabs(j < i ? s->h[j * n + i] : s->h[i * n + j]) *
                      s->sc[i] * s->sc[j]);
  return r;
}

/* A symmetric diagonal scaling S H S, S = diag(sc), under which the
** modifications below do not depend on the units of the variables, so
** that a badly scaled but positive definite Hessian is not taken for a
** singular one. It starts from the unit diagonal (Jacobi), which is all
** it takes when |h_ij| <= sqrt(h_ii h_jj), as in a positive definite H;
** where an off-diagonal entry is larger (a diagonal near 0), Ruiz's
** equilibration brings the largest entry of every row to 1 within a
** factor EQUIL_TOL, so that nothing is blown up. The scaled matrix
** replaces the upper triangle of h and is copied to the lower (where GSL
** reads it), its diagonal to td. -1 if it is not finite. */
static int nt_scale(nt_state *s) {
  size_t i, j, n = s->n;
  double worst;
  int it;
  for (i = 0; i < n; i++) s->sc[i] = 1;
  for (i = 0; i < n; i++) s->w[i] = rowmax(s, i);
  for (i = 0; i < n; i++)
    s->sc[i] = s->hd[i] != 0  ? 1 / sqrt(fabs(s->hd[i]))
               : s->w[i] > 0 ? 1 / sqrt(s->w[i])
                             : 1;
  for (it = 0; it < EQUIL_ITERS; it++) {
    for (worst = 1, i = 0; i < n; i++) {
      s->w[i] = rowmax(s, i);
      if (s->w[i] > 0)
        worst = fmax(worst, fmax(s->w[i], 1 / s->w[i]));
    }
    if (worst <= EQUIL_TOL)
      break;
    for (i = 0; i < n; i++)
      if (s->w[i] > 0)
        s->sc[i] /= sqrt(s->w[i]);
  }
  for (i = 0; i < n; i++) {
    s->td[i] = s->h[i * n + i] = s->sc[i] * s->hd[i] * s->sc[i];
    if (!isfinite(s->td[i]) || !(s->sc[i] > 0 && isfinite(s->sc[i])))
      return -1;
    for (j = i + 1; j < n; j++)
      if (!isfinite(s->h[j * n + i] = s->h[i * n + j] *= s->sc[i] * s->sc[j]))
        return -1;
  }
  return 0;
}

/* Change the scaling of the matrix in h and td (scaled by sc) to the one
** a modification uses: 1 / sqrt of the largest |h_ii| seen in the run
** (dmax), so that a curvature that falls to 0 at an inflection, relative
** to what it was, shows as small and is not blown up to 1 as in the
** Jacobi scaling; then the rows whose largest entry exceeds EQUIL_TOL
** are scaled down (Ruiz's equilibration, one-sided) until none does. -1
** if the result is not finite. */
static int nt_rescale(nt_state *s) {
  size_t i, j, n = s->n;
  double worst, r;
  int it;
  for (i = 0; i < n; i++) {  /* w: new scale over old */
    s->w[i] = s->dmax[i] > 0 ? 1 / (sqrt(s->dmax[i]) * s->sc[i]) : 1;
    s->sc[i] *= s->w[i];
  }
  for (it = 0;; it++) {
    for (i = 0; i < n; i++) {  /* h, td times w_i w_j */
      s->td[i] *= s->w[i] * s->w[i];
      for (j = i + 1; j < n; j++) s->h[i * n + j] *= s->w[i] * s->w[j];
    }
    for (worst = 0, i = 0; i < n; i++) {  /* w: the rows' largest entries */
      for (r = fabs(s->td[i]), j = 0; j < n; j++)
        if (j != i)
          r = fmax(r, fabs(j < i ? s->h[j * n + i] : s->h[i * n + j]));
      worst = fmax(worst, s->w[i] = r);
    }
    if (!(worst > EQUIL_TOL) || it == EQUIL_ITERS)
      break;
    for (i = 0; i < n; i++) {
      s->w[i] = s->w[i] > EQUIL_TOL ? 1 / sqrt(s->w[i]) : 1;
      s->sc[i] *= s->w[i];
    }
  }
  for (i = 0; i < n; i++) {
    s->h[i * n + i] = s->td[i];
    if (!isfinite(s->td[i]) || !(s->sc[i] > 0 && isfinite(s->sc[i])))
      return -1;
    for (j = i + 1; j < n; j++)
      if (!isfinite(s->h[j * n + i] = s->h[i * n + j]))
        return -1;
  }
  return 0;
}

/* n <= EIG_MAX. The scaled Hessian is Q diag(lambda) Q'; solve with each
** lambda_i replaced by max(|lambda_i|, delta): a negative eigenvalue
** turns the step away from its saddle, and delta keeps the flat
** directions from taking over the step. delta is EIG_FLOOR max|lambda|
** (1: steepest descent, if the Hessian is 0), raised to |lambda_min|
** where lambda_min < 0, so that no direction counts as flatter than the
** most negative one. A Hessian positive definite to working accuracy
** (least eigenvalue above EIG_PD of the largest) is taken as it is:
** Newton's step. d'Hd goes to *dhd. Returns 1 if some lambda_i was
** replaced, 0 if none, -1 if GSL fails. */
static int nt_eigsolve(nt_state *s, const double *g, double *dhd) {
  size_t i, j, n = s->n;
  double big = 0, least, delta, a;
  int modified = 0;
  gsl_matrix_view A = gsl_matrix_view_array(s->h, n, n);
  gsl_matrix_view Q = gsl_matrix_view_array(s->q, n, n);
  gsl_vector_view L = gsl_vector_view_array(s->lam, n);
  if (gsl_eigen_symmv(&A.matrix, &L.vector, &Q.matrix, &s->eig) != 0)
    return -1;
  for (i = 0, least = HUGE_VAL; i < n; i++) {
    big = fmax(big, fabs(s->lam[i]));
    least = fmin(least, s->lam[i]);
  }
  delta = big > 0 ? EIG_FLOOR * big : 1;
  if (least > EIG_PD * big)
    delta = least;  /* positive definite to working accuracy: as it is */
  else if (least < 0)
    delta = fmax(delta, -least);  /* nothing flatter than the worst */
  for (i = 0; i < n; i++) s->v[i] = s->sc[i] * g[i];
  for (*dhd = 0, j = 0; j < n; j++) {  /* w = diag(1 / lambda~) Q' S g */
    for (a = 0, i = 0; i < n; i++) a += s->q[i * n + j] * s->v[i];
    if (!(s->lam[j] >= delta))
      modified = 1;
    s->w[j] = a / fmax(fabs(s->lam[j]), delta);
    *dhd += s->lam[j] * s->w[j] * s->w[j];
  }
  for (i = 0; i < n; i++) {  /* d = -S Q w */
    for (a = 0, j = 0; j < n; j++) a += s->q[i * n + j] * s->w[j];
    s->d[i] = -s->sc[i] * a;
  }
  return modified;
}

/* Cholesky of the scaled Hessian plus tau I. Without shift, tau = 0
** only: -1 unless the Hessian is positive definite to working accuracy
** (pivots above PD_TOL). With shift (n > EIG_MAX), Nocedal & Wright's
** Algorithm 3.3: tau = 0 if the diagonal is positive, else SHIFT_BETA
** minus the least diagonal entry; then SHIFT_GROW times larger until the
** factorisation succeeds, -1 if none does. Returns 1 if shifted, 0 if
** not; d'Hd goes to *dhd. */
static int nt_cholsolve(nt_state *s, const double *g, double *dhd,
                        int shift) {
  size_t i, j, n = s->n;
  double tau = 0, mind = HUGE_VAL, r;
  int k;
  for (i = 0; i < n; i++) mind = fmin(mind, s->td[i]);
  if (shift && !(mind > 0))
    tau = SHIFT_BETA - mind;
  for (k = 0; cholesky(s->h, s->td, n, tau, PD_TOL) != 0; k++) {
    if (!shift || k == SHIFT_TRIES)
      return -1;
    tau = fmax(SHIFT_GROW * tau, SHIFT_BETA);
  }
  for (i = 0; i < n; i++) s->w[i] = -s->sc[i] * g[i];
  cholsolve(s->h, n, s->w);
  for (*dhd = 0, i = 0; i < n; i++) {  /* y'(S H S)y from the upper part */
    for (r = 0, j = i + 1; j < n; j++) r += s->h[i * n + j] * s->w[j];
    *dhd += s->w[i] * (s->td[i] * s->w[i] + 2 * r);
    s->d[i] = s->sc[i] * s->w[i];
  }
  return tau > 0;
}

/* The direction into d: Newton's if the Jacobi-scaled Hessian passes
** Cholesky (positive definite to working accuracy), else a modified
** one, on the Hessian rescaled for it: from its eigenvalues up to
** EIG_MAX, shifted above. Returns 1 if modified, 0 if not, -1 if no
** direction came out. */
static int nt_direction(nt_state *s, const double *g, double *dhd) {
  int rc = nt_cholsolve(s, g, dhd, 0);
  if (rc >= 0)
    return rc;
  if (nt_rescale(s) != 0)
    return -1;
  return s->n <= EIG_MAX ? nt_eigsolve(s, g, dhd) : nt_cholsolve(s, g, dhd, 1);
}

/* One damped Newton step. Where the Hessian is positive definite,
** Newton's step goes to the strong Wolfe search of linesearch.c from
** the full step (taken near a minimum; lengthened where f falls faster
** than the model says). A modified direction minimises no model of f
** and its length can be anything, so the step along it starts at the
** minimum of the quadratic model along the line (if it has one) within
** the radius, as in a trust region, and backtracks from there (Armijo).
** The radius follows how well the model predicted the last step: at
** least twice its length if well (actual decrease > 3/4 of predicted),
** a quarter of it if poorly (< 1/4, or none), at least its length
** otherwise. A Hessian that is not finite, or a direction that is not
** downhill (rounding), gives way to steepest descent. SLOPE_STEP_FAILED
** when no step is found, x cannot move, or f has stayed where it was (to
** STALL_EPS) for FLAT_STEPS iterations in a row. */
static int nt_iterate(void *state, slope_objective *obj,
                      const slope_params *p, long k, double *x, double *f,
                      double *g) {
  nt_state *s = (nt_state *)state;
  size_t i, n = s->n;
  double f0 = *f, gd = 0, dhd = NAN, a = 1, dn = NAN, pred, len;
  int rc = -1;
  if (k == 0) {
    memset(s->dmax, 0, n * sizeof(double));
    s->radius = HUGE_VAL;
    s->flat = 0;
  }
  if (isfinite(nt_hessian(s, obj, x)) && nt_scale(s) == 0) {
    for (i = 0; i < n; i++) s->dmax[i] = fmax(s->dmax[i], fabs(s->hd[i]));
    rc = nt_direction(s, g, &dhd);
  }
  if (rc >= 0) {
    gd = slope_dot(g, s->d, n);  /* may overflow to -inf: still downhill */
    dn = slope_norm2(s->d, n);
  }
  if (!(gd < 0 && isfinite(dn)) || isnan(dhd)) {
    for (i = 0; i < n; i++) s->d[i] = -g[i];
    gd = -slope_dot(g, g, n);
    dn = slope_norm2(g, n);
    dhd = NAN;
    rc = 1;
  }
  if (rc > 0)
    obj->notes |= SLOPE_NOTE_HESSIAN_MODIFIED;
  memcpy(s->v, x, n * sizeof(double));
  if (rc > 0) {
    a = isfinite(s->radius) ? s->radius / dn : 1;
    if (dhd > 0)
      a = fmin(a, -gd / dhd);
    if (linesearch(obj, p, x, f, g, s->d, gd, &a, s->xt, s->gt) !=
        SLOPE_STEP_OK)
      return SLOPE_STEP_FAILED;
  }
  else if (-gd <= DBL_EPSILON * fabs(f0) ||  /* f is level to rounding */
           slope_linesearch(obj, s->d, x, f, g, &a, c1of(p), c2of(p), 0,
                            s->ls) != SLOPE_LS_OK) {
    a = 1;
    if (linesearch(obj, p, x, f, g, s->d, gd, &a, s->xt, s->gt) !=
        SLOPE_STEP_OK)
      return SLOPE_STEP_FAILED;
  }
  for (i = 0; i < n && x[i] == s->v[i]; i++)
    ;
  if (i == n)
    return SLOPE_STEP_FAILED;  /* the step is below the rounding of x */
  s->flat = f0 - *f > STALL_EPS * fabs(f0) ? 0 : s->flat + 1;
  pred = -a * gd - 0.5 * a * a * dhd;  /* the decrease the model predicts */
  len = a * dn;
  if (!(f0 - *f > 0) || (pred > 0 && f0 - *f < 0.25 * pred))
    s->radius = 0.25 * len;
  else
    s->radius = fmax(isfinite(s->radius) ? s->radius : 0,
                     f0 - *f > 0.75 * pred ? 2 * len : len);
  return s->flat >= FLAT_STEPS ? SLOPE_STEP_FAILED : SLOPE_STEP_OK;
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
    nv = sqrt(slope_dot(s->v, s->v, n));
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
  double tighten;  /* the inner tolerance's factor, cut after a stall */
} ncg_state;

static size_t ncg_size(size_t n, const slope_params *p) {
  (void)p;
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
  s->tighten = 1;
}

/* The inner CG on H z = -g, from z = 0, until |r| <= eta |g| with eta =
** min(0.5, sqrt|g|), or negative curvature (then the last z; if it comes
** first, -g scaled as scipy does), or 2n + 10 steps. Then Armijo along z.
** On a badly conditioned Hessian that z can be all stiff directions and
** too short to change f: after such a stall eta is cut by TIGHTEN (and
** grows back tenfold per step that lowers f), so that CG goes on to the
** rest; SLOPE_STEP_FAILED once it is below TIGHTEST. */
static int ncg_iterate(void *state, slope_objective *obj,
                       const slope_params *p, long k, double *x, double *f,
                       double *g) {
  ncg_state *s = (ncg_state *)state;
  size_t i, j, n = s->n, maxcg = 2 * n + 10;
  double gn = sqrt(slope_dot(g, g, n)), tol, f0 = *f;
  double rr = gn * gn, rrn, dhd, alpha, beta, gd, one = 1;
  if (k == 0)
    s->tighten = 1;
  tol = s->tighten * fmin(0.5, sqrt(gn)) * gn;
  memset(s->z, 0, n * sizeof(double));
  for (i = 0; i < n; i++) {
    s->r[i] = g[i];
    s->d[i] = -g[i];
  }
  for (j = 0; j < maxcg; j++) {
    obj->hvp(obj->ctx, x, s->d, s->hd);
    dhd = slope_dot(s->d, s->hd, n);
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
    rrn = slope_dot(s->r, s->r, n);
    if (sqrt(rrn) <= tol)
      break;
    beta = rrn / rr;
    rr = rrn;
    for (i = 0; i < n; i++) s->d[i] = -s->r[i] + beta * s->d[i];
  }
  gd = slope_dot(g, s->z, n);
  if (!(gd < 0)) {
    for (i = 0; i < n; i++) s->z[i] = -g[i];
    gd = -gn * gn;
  }
  if (linesearch(obj, p, x, f, g, s->z, gd, &one, s->xt, s->gt) !=
      SLOPE_STEP_OK)
    return SLOPE_STEP_FAILED;
  if (f0 - *f > STALL_EPS * fabs(f0))
    s->tighten = fmin(1, 10 * s->tighten);
  else if ((s->tighten *= TIGHTEN) < TIGHTEST)
    return SLOPE_STEP_FAILED;
  return SLOPE_STEP_OK;
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
  rr = slope_dot(s->r, s->r, n);
  for (j = 0; j < maxcg; j++) {
    obj->hvp(obj->ctx, x, s->d, s->hd);
    dhd = slope_dot(s->d, s->hd, n);
    if (!isfinite(dhd))
      return SLOPE_STEP_FAILED;
    if (dhd < 0) {
      dd = sqrt(slope_dot(s->d, s->d, n));
      for (i = 0; i < n; i++) s->d[i] /= dd;
      return curvestep(obj, p, x, f, g, s->d, dhd / (dd * dd), s->xt);
    }
    if (dhd == 0)
      break;
    alpha = rr / dhd;
    for (i = 0; i < n; i++) s->r[i] -= alpha * s->hd[i];
    rrn = slope_dot(s->r, s->r, n);
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
