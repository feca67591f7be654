/*
** neldermead.c: the Nelder-Mead simplex method, derivative-free: it calls
** the objective with g NULL and never reads g. Parameters adapt to the
** dimension (Gao & Han 2012): reflection 1, expansion 1 + 2/n,
** contraction 0.75 - 1/(2n), shrink 1 - 1/n; for n = 1 the classic 1, 2,
** 1/2, 1/2 (the adaptive shrink would be 0). The first simplex is x and x
** with one coordinate scaled by 1.05 (0.00025 where it is 0), as scipy.
** One iteration is one reflection, expansion, contraction or shrink; x and
** f are the best vertex.
**
** Stopping (scipy's test, made relative): the simplex is done when every
** vertex is within 1e-8 (1 + |x_i|) of the best x in each coordinate i and
** the f values within 1e-8 (1 + |f|) of the best f.
*/
#include "config.h"

#include <math.h>
#include <string.h>

#include "optim/solver.h"

#define XATOL 1e-8
#define FATOL 1e-8
#define STEP_NONZERO 0.05
#define STEP_ZERO 0.00025

typedef struct nm_state {
  size_t n;
  int started;                  /* the simplex is built at the first step */
  double rho, chi, psi, sigma;  /* reflection, expansion, contraction,
                                   shrink */
  double *sx;   /* n + 1 vertices of n, row-major */
  double *sf;   /* their f values */
  double *xc, *xr, *xt;  /* centroid, reflected point, trial point */
  size_t *ord;  /* vertices by f, best first */
} nm_state;

static size_t nm_size(size_t n, const slope_params *p) {
  (void)p;
  return sizeof(nm_state) + ((n + 1) * (n + 1) + 3 * n) * sizeof(double) +
         (n + 1) * sizeof(size_t);
}

static void nm_init(void *state, size_t n, const slope_params *p) {
  nm_state *s = (nm_state *)state;
  double dn = (double)n;
  (void)p;
  s->n = n;
  s->started = 0;
  s->rho = 1;
  s->chi = n > 1 ? 1 + 2 / dn : 2;
  s->psi = n > 1 ? 0.75 - 1 / (2 * dn) : 0.5;
  s->sigma = n > 1 ? 1 - 1 / dn : 0.5;
  s->sx = (double *)(s + 1);
  s->sf = s->sx + (n + 1) * n;
  s->xc = s->sf + n + 1;
  s->xr = s->xc + n;
  s->xt = s->xr + n;
  s->ord = (size_t *)(s->xt + n);
}

/* f at x; NaN counts as +infinity, so that it sorts last. */
static double feval(slope_objective *obj, const double *x) {
  double f = obj->fg(obj->ctx, x, NULL);
  return f == f ? f : HUGE_VAL;
}

/* Sort ord by sf: insertion sort, stable, so that a new vertex (moved
** last beforehand) goes after the old ones it ties with. */
static void nm_sort(nm_state *s) {
  size_t i, j, o;
  for (i = 1; i <= s->n; i++) {
    o = s->ord[i];
    for (j = i; j > 0 && s->sf[s->ord[j - 1]] > s->sf[o]; j--)
      s->ord[j] = s->ord[j - 1];
    s->ord[j] = o;
  }
}

static void nm_start(nm_state *s, slope_objective *obj, const double *x,
                     double f) {
  size_t i, j, n = s->n;
  double *v;
  for (j = 0; j <= n; j++) {
    v = s->sx + j * n;
    memcpy(v, x, n * sizeof(double));
    if (j > 0) {
      i = j - 1;
      v[i] = v[i] != 0 ? (1 + STEP_NONZERO) * v[i] : STEP_ZERO;
      s->sf[j] = feval(obj, v);
    }
    else
      s->sf[0] = f == f ? f : HUGE_VAL;
    s->ord[j] = j;
  }
  nm_sort(s);
  s->started = 1;
}

/* xt = xc + c (from - xc): a point on the line through the centroid. */
static void nm_point(nm_state *s, const double *from, double c) {
  size_t i;
  for (i = 0; i < s->n; i++) s->xt[i] = s->xc[i] + c * (from[i] - s->xc[i]);
}

/* The worst vertex becomes xnew (f value fnew). */
static void nm_replace(nm_state *s, const double *xnew, double fnew) {
  size_t w = s->ord[s->n];
  memcpy(s->sx + w * s->n, xnew, s->n * sizeof(double));
  s->sf[w] = fnew;
  nm_sort(s);
}

/* Every vertex but the best moves towards it by sigma. */
static void nm_shrink(nm_state *s, slope_objective *obj) {
  size_t i, j, n = s->n;
  const double *xb = s->sx + s->ord[0] * n;
  double *v;
  for (j = 1; j <= n; j++) {
    v = s->sx + s->ord[j] * n;
    for (i = 0; i < n; i++) v[i] = xb[i] + s->sigma * (v[i] - xb[i]);
    s->sf[s->ord[j]] = feval(obj, v);
  }
  nm_sort(s);
}

/* 1 if the simplex and its f values are within the tolerances. */
static int nm_done(const nm_state *s) {
  size_t i, j, n = s->n;
  const double *xb = s->sx + s->ord[0] * n, *v;
  double fb = s->sf[s->ord[0]];
  if (!(s->sf[s->ord[n]] - fb <= FATOL * (1 + fabs(fb))))
    return 0;
  for (j = 1; j <= n; j++) {
    v = s->sx + s->ord[j] * n;
    for (i = 0; i < n; i++)
      if (!(fabs(v[i] - xb[i]) <= XATOL * (1 + fabs(xb[i]))))
        return 0;
  }
  return 1;
}

static int nm_iterate(void *state, slope_objective *obj,
                      const slope_params *p, long k, double *x, double *f,
                      double *g) {
  nm_state *s = (nm_state *)state;
  size_t i, j, n = s->n;
  const double *xw;
  double fr, ft, fb, fsw, fw;
  (void)p, (void)k, (void)g;
  if (n == 0)
    return SLOPE_STEP_CONVERGED;
  if (!s->started)
    nm_start(s, obj, x, *f);
  xw = s->sx + s->ord[n] * n;
  fb = s->sf[s->ord[0]];
  fsw = s->sf[s->ord[n - 1]];
  fw = s->sf[s->ord[n]];
  /* the centroid of all but the worst, and the reflection through it */
  memset(s->xc, 0, n * sizeof(double));
  for (j = 0; j < n; j++)
    for (i = 0; i < n; i++) s->xc[i] += s->sx[s->ord[j] * n + i];
  for (i = 0; i < n; i++) {
    s->xc[i] /= (double)n;
    s->xr[i] = s->xc[i] + s->rho * (s->xc[i] - xw[i]);
  }
  fr = feval(obj, s->xr);
  if (fr < fb) {  /* better than the best: try expanding */
    nm_point(s, s->xr, s->chi);
    ft = feval(obj, s->xt);
    if (ft < fr)
      nm_replace(s, s->xt, ft);
    else
      nm_replace(s, s->xr, fr);
  }
  else if (fr < fsw)
    nm_replace(s, s->xr, fr);
  else if (fr < fw) {  /* outside contraction */
    nm_point(s, s->xr, s->psi);
    ft = feval(obj, s->xt);
    if (ft <= fr)
      nm_replace(s, s->xt, ft);
    else
      nm_shrink(s, obj);
  }
  else {  /* inside contraction */
    nm_point(s, xw, s->psi);
    ft = feval(obj, s->xt);
    if (ft < fw)
      nm_replace(s, s->xt, ft);
    else
      nm_shrink(s, obj);
  }
  memcpy(x, s->sx + s->ord[0] * n, n * sizeof(double));
  *f = s->sf[s->ord[0]];
  return nm_done(s) ? SLOPE_STEP_CONVERGED : SLOPE_STEP_OK;
}

const slope_solver_type slope_solver_neldermead = {
  "nelder-mead", nm_size, nm_init, nm_iterate, SLOPE_DERIVATIVE_FREE, NULL
};
