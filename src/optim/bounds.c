/*
** bounds.c: L-BFGS within bounds lo <= x <= up, by projection (in the
** spirit of L-BFGS-B: Byrd, Lu, Nocedal and Zhu 1995, and of the
** projected quasi-Newton methods of Bertsekas 1982 and Kim, Sra and
** Dhillon 2010).
**
** Each iteration splits the variables in two: those held by a bound (at
** the bound, with the gradient pushing outwards) stay where they are; the
** others, the free set, move along the L-BFGS direction of the gradient
** restricted to them (two-loop recursion, algorithm 7.4 of Nocedal and
** Wright). The step follows the projected path x(a) = P(x + a d) and is
** accepted by the Armijo test along that path,
**   f(x(a)) <= f(x) + c1 g'(x(a) - x),
** backtracking by safeguarded quadratic interpolation. A pair s, y is kept
** only when its curvature s'y is clearly positive. If the search fails,
** the pairs are dropped and the projected steepest descent direction is
** tried once before giving up.
**
** The measure of stationarity is the projected gradient x - P(x - g),
** zero exactly at the points satisfying the first-order conditions of the
** bound-constrained problem.
*/
#include "config.h"

#include <math.h>
#include <string.h>

#include "optim/constrained.h"
#include "optim/lbfgsmem.h"
#include "optim/solver.h"

/* Backtracking steps before a search gives up. */
#define MAX_BACKTRACK 60

typedef struct lbfgsb_state {
  size_t n;
  slope_lbfgs_memory M;
  double *d, *q, *xt, *gt;
} lbfgsb_state;

size_t slope_lbfgsb_size(size_t n, int memory) {
  size_t m = memory > 0 ? (size_t)memory : 1;
  return sizeof(lbfgsb_state) +
         (slope_lbfgs_doubles(n, m) + 4 * n) * sizeof(double);
}

void slope_lbfgsb_init(void *state, size_t n, int memory) {
  lbfgsb_state *s = (lbfgsb_state *)state;
  size_t m = memory > 0 ? (size_t)memory : 1;
  double *mem = (double *)(s + 1);
  s->n = n;
  slope_lbfgs_init(&s->M, n, m, mem);
  s->d = mem + slope_lbfgs_doubles(n, m);
  s->q = s->d + n;
  s->xt = s->q + n;
  s->gt = s->xt + n;
}

void slope_lbfgsb_restart(void *state) {
  slope_lbfgs_reset(&((lbfgsb_state *)state)->M);
}

static double lowof(const double *lo, size_t i) {
  return lo != NULL ? lo[i] : -HUGE_VAL;
}

static double upof(const double *up, size_t i) {
  return up != NULL ? up[i] : HUGE_VAL;
}

double slope_projgrad_norm(size_t n, const double *x, const double *g,
                           const double *lo, const double *up, int inf) {
  double r = 0, p;
  size_t i;
  for (i = 0; i < n; i++) {
    p = x[i] - g[i];
    if (p < lowof(lo, i)) p = lowof(lo, i);
    if (p > upof(up, i)) p = upof(up, i);
    p = x[i] - p;
    if (inf)
      r = fmax(r, fabs(p));
    else
      r += p * p;
  }
  return inf ? r : sqrt(r);
}

/* Zero the components of d that cannot move (held by a bound, or at a
** bound and pointing out of the box); returns g'd. */
static double restrict_direction(lbfgsb_state *s, const double *x,
                                 const double *g, const double *lo,
                                 const double *up) {
  size_t i;
  double gd = 0;
  for (i = 0; i < s->n; i++) {
    if (s->q[i] == 0 || (x[i] <= lowof(lo, i) && s->d[i] < 0) ||
        (x[i] >= upof(up, i) && s->d[i] > 0))
      s->d[i] = 0;
    gd += g[i] * s->d[i];
  }
  return gd;
}

/* The first trial step fell almost as fast as the slope promised (f
** looks linear along d): try steps 4, 16, ... times longer while f keeps
** falling, keeping the best in xt, *ft, gt (the slot d doubles as the
** saved point is not needed: q is free by now). */
static void expand(lbfgsb_state *s, slope_objective *obj, const double *lo,
                   const double *up, const double *x, double f, double a,
                   double *ft) {
  size_t i, n = s->n;
  int k;
  (void)f;
  for (k = 0; k < 40; k++) {
    double fn, v;
    a *= 4;
    for (i = 0; i < n; i++) {
      v = x[i] + a * s->d[i];
      if (v < lowof(lo, i)) v = lowof(lo, i);
      if (v > upof(up, i)) v = upof(up, i);
      s->q[i] = v;
    }
    fn = obj->fg(obj->ctx, s->q, NULL);
    if (!(fn < *ft))
      return;
    *ft = fn;
    memcpy(s->xt, s->q, n * sizeof(double));
    obj->fg(obj->ctx, s->xt, s->gt);
    if (fn < -1e30)
      return;
  }
}

/* The projected search along d: 1 and xt, ft, gt on success. */
static int search(lbfgsb_state *s, slope_objective *obj, const double *lo,
                  const double *up, double c1, const double *x, double f,
                  const double *g, double a, double *ft) {
  size_t i, n = s->n;
  int k, moved;
  for (k = 0; k < MAX_BACKTRACK; k++) {
    double dec = 0, v, an;
    moved = 0;
    for (i = 0; i < n; i++) {
      v = x[i] + a * s->d[i];
      if (v < lowof(lo, i)) v = lowof(lo, i);
      if (v > upof(up, i)) v = upof(up, i);
      s->xt[i] = v;
      moved |= (v != x[i]);
      dec += g[i] * (v - x[i]);
    }
    if (!moved)
      return 0;  /* the step has shrunk to nothing */
    *ft = obj->fg(obj->ctx, s->xt, s->gt);
    if (dec < 0 && *ft <= f + c1 * dec && isfinite(*ft)) {
      if (k == 0 && *ft <= f + 0.9 * dec)
        expand(s, obj, lo, up, x, f, a, ft);
      return 1;
    }
    /* the minimiser of the quadratic through f, its slope dec / a and ft,
    ** kept within [a / 10, a / 2] */
    an = 0.5 * a;
    if (isfinite(*ft) && dec < 0 && *ft - f - dec > 0)
      an = fmin(0.5 * a, fmax(0.1 * a, -0.5 * dec * a / (*ft - f - dec)));
    a = an;
  }
  return 0;
}

int slope_lbfgsb_iterate(void *state, slope_objective *obj, const double *lo,
                         const double *up, double c1, double *x, double *f,
                         double *g) {
  lbfgsb_state *s = (lbfgsb_state *)state;
  size_t i, n = s->n;
  double gd, ft = 0, qn, a, *sn, *yn;
  /* the free gradient: zero where a bound holds the variable */
  for (i = 0; i < n; i++) {
    int hold = (x[i] <= lowof(lo, i) && g[i] > 0) ||
               (x[i] >= upof(up, i) && g[i] < 0);
    s->q[i] = hold ? 0 : g[i];
  }
  qn = sqrt(slope_dot(s->q, s->q, n));
  if (qn == 0)
    return SLOPE_STEP_CONVERGED;
  for (;;) {
    slope_lbfgs_direction(&s->M, s->q, s->d);
    gd = restrict_direction(s, x, g, lo, up);
    if (!(gd < 0) && s->M.count > 0) {  /* not downhill: steepest descent */
      slope_lbfgsb_restart(s);
      obj->notes |= SLOPE_NOTE_RESTARTED;
      continue;
    }
    if (!(gd < 0))
      return SLOPE_STEP_FAILED;
    a = s->M.scaled ? 1 : (qn > 1 ? 1 / qn : 1);
    if (search(s, obj, lo, up, c1, x, *f, g, a, &ft))
      break;
    if (s->M.count == 0)
      return SLOPE_STEP_FAILED;
    slope_lbfgsb_restart(s);  /* along the projected -g once more */
    obj->notes |= SLOPE_NOTE_RESTARTED;
  }
  /* the pair s = xt - x, y = gt - g, kept if its curvature is good */
  sn = slope_lbfgs_s(&s->M);
  yn = slope_lbfgs_y(&s->M);
  for (i = 0; i < n; i++) {
    sn[i] = s->xt[i] - x[i];
    yn[i] = s->gt[i] - g[i];
  }
  slope_lbfgs_keep(&s->M);
  memcpy(x, s->xt, n * sizeof(double));
  memcpy(g, s->gt, n * sizeof(double));
  *f = ft;
  return SLOPE_STEP_OK;
}

/* {======================================================
** As a driver method: what "lbfgs" runs when there are bounds
** ======================================================= */

static size_t lbfgsb_size(size_t n, const slope_params *p) {
  return slope_lbfgsb_size(n, p->memory);
}

static void lbfgsb_init(void *state, size_t n, const slope_params *p) {
  slope_lbfgsb_init(state, n, p->memory);
}

static int lbfgsb_iterate(void *state, slope_objective *obj,
                          const slope_params *p, long k, double *x,
                          double *f, double *g) {
  if (k == 0)
    slope_lbfgsb_restart(state);
  return slope_lbfgsb_iterate(state, obj, obj->lower, obj->upper, p->c1, x,
                              f, g);
}

const slope_solver_type slope_solver_lbfgsb = {"lbfgs", lbfgsb_size,
                                               lbfgsb_init, lbfgsb_iterate,
                                               0, NULL};

/* }====================================================== */
