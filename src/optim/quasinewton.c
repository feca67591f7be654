/*
** quasinewton.c: BFGS and L-BFGS (Nocedal and Wright, Numerical
** Optimization, 2nd ed., chapters 6 and 7), each a slope_solver_type
** stepping along its quasi-Newton direction with the strong Wolfe line
** search of linesearch.c.
**
** BFGS keeps a dense inverse-Hessian approximation H (n * n); L-BFGS keeps
** the last m pairs s = x+ - x, y = g+ - g and applies H by the two-loop
** recursion. Both scale H0 = gamma I by gamma = s'y / y'y (6.20): BFGS
** once, after its first step, L-BFGS with the newest pair each time. Both
** skip a pair whose curvature s'y is not clearly positive, and when a
** line search fails they forget the approximation and try once more
** along -gamma g before giving up.
*/
#include "config.h"

#include <math.h>
#include <string.h>

#include "optim/lbfgsmem.h"
#include "optim/linesearch.h"
#include "optim/solver.h"

/* Skip an update unless s'y > CURV_EPS |s| |y|. */
#define CURV_EPS 1e-10

/* The first step along -g: at most 1 long. */
static double firststep(const double *g, size_t n) {
  double gn = sqrt(slope_dot(g, g, n));
  return gn > 1 ? 1 / gn : 1;
}

/* {======================================================
** BFGS
** ======================================================= */

typedef struct bfgs_state {
  size_t n;
  int identity;  /* H is gamma I: a reset would change nothing */
  int scaled;    /* gamma comes from a pair (else 1, before any step) */
  double gamma;  /* s'y / y'y of the latest pair */
  double *H, *d, *s, *y, *hy, *ls;
} bfgs_state;

static size_t bfgs_size(size_t n, const slope_params *p) {
  (void)p;
  return sizeof(bfgs_state) +
         (n * n + 4 * n + SLOPE_LS_SCRATCH(n)) * sizeof(double);
}

static void bfgs_init(void *state, size_t n, const slope_params *p) {
  bfgs_state *s = (bfgs_state *)state;
  (void)p;
  s->n = n;
  s->H = (double *)(s + 1);
  s->d = s->H + n * n;
  s->s = s->d + n;
  s->y = s->s + n;
  s->hy = s->y + n;
  s->ls = s->hy + n;
}

/* H = gamma I. */
static void bfgs_reset(bfgs_state *s) {
  size_t i, n = s->n;
  memset(s->H, 0, n * n * sizeof(double));
  for (i = 0; i < n; i++) s->H[i * n + i] = s->gamma;
  s->identity = 1;
}

/* H += rho ((1 + rho y'Hy) s s' - Hy s' - s (Hy)'), rho = 1 / s'y: the
** BFGS update of the inverse (6.17), in O(n^2) with Hy kept in hy. */
static void bfgs_update(bfgs_state *s, double sy) {
  size_t i, j, n = s->n;
  double rho = 1 / sy, c, *H = s->H;
  for (i = 0; i < n; i++) s->hy[i] = slope_dot(H + i * n, s->y, n);
  c = rho * (1 + rho * slope_dot(s->y, s->hy, n));
  for (i = 0; i < n; i++)
    for (j = 0; j < n; j++)
      H[i * n + j] += c * s->s[i] * s->s[j] -
                      rho * (s->hy[i] * s->s[j] + s->s[i] * s->hy[j]);
  s->identity = 0;
}

static int bfgs_iterate(void *state, slope_objective *obj,
                        const slope_params *p, long k, double *x, double *f,
                        double *g) {
  bfgs_state *s = (bfgs_state *)state;
  size_t i, n = s->n;
  double a, sy, yy, ss;
  int rc;
  if (k == 0) {
    s->gamma = 1;
    s->scaled = 0;
    bfgs_reset(s);
  }
  for (;;) {
    for (i = 0; i < n; i++) s->d[i] = -slope_dot(s->H + i * n, g, n);
    a = s->scaled ? 1 : firststep(g, n);
    rc = slope_linesearch_pair(obj, s->d, slope_dot(g, s->d, n), x, f, g, &a,
                               p->c1, p->c2, s->ls, s->s, s->y);
    if (rc == SLOPE_LS_OK)
      break;
    if (s->identity)
      return SLOPE_STEP_FAILED;
    bfgs_reset(s);  /* along -gamma g once more */
    obj->notes |= SLOPE_NOTE_RESTARTED;
  }
  slope_dot3(s->s, s->y, n, &sy, &yy, &ss);
  if (sy > CURV_EPS * sqrt(ss * yy)) {
    s->gamma = sy / yy;
    if (!s->scaled) {  /* H0 = gamma I before the first update */
      s->scaled = 1;
      bfgs_reset(s);
    }
    bfgs_update(s, sy);
  }
  return SLOPE_STEP_OK;
}

/* }====================================================== */

/* {======================================================
** L-BFGS
** ======================================================= */


typedef struct lbfgs_state {
  size_t n;
  slope_lbfgs_memory M;
  double *d, *ls;
} lbfgs_state;

/* The state grows with p->memory (correction pairs) as well as n. */
static size_t lbfgs_size(size_t n, const slope_params *p) {
  size_t m = p->memory > 0 ? (size_t)p->memory : 1;
  return sizeof(lbfgs_state) +
         (slope_lbfgs_doubles(n, m) + n + SLOPE_LS_SCRATCH(n)) * sizeof(double);
}

static void lbfgs_init(void *state, size_t n, const slope_params *p) {
  lbfgs_state *s = (lbfgs_state *)state;
  size_t m = p->memory > 0 ? (size_t)p->memory : 1;
  double *mem = (double *)(s + 1);
  s->n = n;
  slope_lbfgs_init(&s->M, n, m, mem);
  s->d = mem + slope_lbfgs_doubles(n, m);
  s->ls = s->d + n;
}

static int lbfgs_iterate(void *state, slope_objective *obj,
                         const slope_params *p, long k, double *x, double *f,
                         double *g) {
  lbfgs_state *s = (lbfgs_state *)state;
  double a, gd;
  int rc;
  if (k == 0)
    slope_lbfgs_reset(&s->M);
  for (;;) {
    gd = slope_lbfgs_direction(&s->M, g, s->d);
    a = s->M.scaled ? 1 : firststep(g, s->n);
    /* the new pair forms in the free slot as x and g move */
    rc = slope_linesearch_pair(obj, s->d, gd, x, f, g, &a, p->c1, p->c2,
                               s->ls, slope_lbfgs_s(&s->M),
                               slope_lbfgs_y(&s->M));
    if (rc == SLOPE_LS_OK)
      break;
    if (s->M.count == 0)
      return SLOPE_STEP_FAILED;
    s->M.count = 0;  /* along -gamma g once more */
    obj->notes |= SLOPE_NOTE_RESTARTED;
  }
  slope_lbfgs_keep(&s->M);
  return SLOPE_STEP_OK;
}

/* }====================================================== */

const slope_solver_type slope_solver_bfgs = {"bfgs", bfgs_size, bfgs_init,
                                             bfgs_iterate, 0, NULL};
const slope_solver_type slope_solver_lbfgs = {"lbfgs", lbfgs_size,
                                              lbfgs_init, lbfgs_iterate, 0,
                                              NULL};
