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
  memcpy(s->s, x, n * sizeof(double));  /* the old x and g */
  memcpy(s->y, g, n * sizeof(double));
  for (;;) {
    for (i = 0; i < n; i++) s->d[i] = -slope_dot(s->H + i * n, g, n);
    a = s->scaled ? 1 : firststep(g, n);
    rc = slope_linesearch(obj, s->d, x, f, g, &a, p->c1, p->c2, 0, s->ls);
    if (rc == SLOPE_LS_OK)
      break;
    if (s->identity)
      return SLOPE_STEP_FAILED;
    bfgs_reset(s);  /* along -gamma g once more */
    obj->notes |= SLOPE_NOTE_RESTARTED;
  }
  for (i = 0; i < n; i++) {
    s->s[i] = x[i] - s->s[i];
    s->y[i] = g[i] - s->y[i];
  }
  sy = slope_dot(s->s, s->y, n);
  yy = slope_dot(s->y, s->y, n);
  ss = slope_dot(s->s, s->s, n);
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
  size_t n, m;        /* variables, pairs kept */
  size_t count, next; /* pairs stored; the slot the next pair goes to */
  int scaled;         /* gamma comes from a pair */
  double gamma;       /* s'y / y'y of the latest pair */
  double *S, *Y;      /* m pairs, one row of n each */
  double *rho, *alpha;  /* 1 / s'y per pair; the two-loop's coefficients */
  double *d, *xo, *go, *ls;
} lbfgs_state;

/* The state grows with p->memory (correction pairs) as well as n. */
static size_t lbfgs_size(size_t n, const slope_params *p) {
  size_t m = p->memory > 0 ? (size_t)p->memory : 1;
  return sizeof(lbfgs_state) +
         (2 * m * n + 2 * m + 3 * n + SLOPE_LS_SCRATCH(n)) * sizeof(double);
}

static void lbfgs_init(void *state, size_t n, const slope_params *p) {
  lbfgs_state *s = (lbfgs_state *)state;
  size_t m = p->memory > 0 ? (size_t)p->memory : 1;
  s->n = n;
  s->m = m;
  s->S = (double *)(s + 1);
  s->Y = s->S + m * n;
  s->rho = s->Y + m * n;
  s->alpha = s->rho + m;
  s->d = s->alpha + m;
  s->xo = s->d + n;
  s->go = s->xo + n;
  s->ls = s->go + n;
}

/* d = -H g by the two-loop recursion (algorithm 7.4). */
static void lbfgs_direction(lbfgs_state *s, const double *g) {
  size_t i, j, n = s->n, m = s->m;
  double *d = s->d, b;
  memcpy(d, g, n * sizeof(double));
  for (j = 0; j < s->count; j++) {  /* newest to oldest */
    size_t r = (s->next + m - 1 - j) % m;
    const double *sr = s->S + r * n, *yr = s->Y + r * n;
    double a = s->alpha[r] = s->rho[r] * slope_dot(sr, d, n);
    for (i = 0; i < n; i++) d[i] -= a * yr[i];
  }
  for (i = 0; i < n; i++) d[i] *= s->gamma;
  for (j = s->count; j-- > 0;) {  /* oldest to newest */
    size_t r = (s->next + m - 1 - j) % m;
    const double *sr = s->S + r * n, *yr = s->Y + r * n;
    b = s->rho[r] * slope_dot(yr, d, n);
    for (i = 0; i < n; i++) d[i] += (s->alpha[r] - b) * sr[i];
  }
  for (i = 0; i < n; i++) d[i] = -d[i];
}

static int lbfgs_iterate(void *state, slope_objective *obj,
                         const slope_params *p, long k, double *x, double *f,
                         double *g) {
  lbfgs_state *s = (lbfgs_state *)state;
  size_t i, n = s->n;
  double a, sy, yy, ss, *sn, *yn;
  int rc;
  if (k == 0) {
    s->count = s->next = 0;
    s->gamma = 1;
    s->scaled = 0;
  }
  memcpy(s->xo, x, n * sizeof(double));
  memcpy(s->go, g, n * sizeof(double));
  for (;;) {
    lbfgs_direction(s, g);
    a = s->scaled ? 1 : firststep(g, n);
    rc = slope_linesearch(obj, s->d, x, f, g, &a, p->c1, p->c2, 0, s->ls);
    if (rc == SLOPE_LS_OK)
      break;
    if (s->count == 0)
      return SLOPE_STEP_FAILED;
    s->count = 0;  /* along -gamma g once more */
    obj->notes |= SLOPE_NOTE_RESTARTED;
  }
  sn = s->xo;  /* the new pair, stored only if its curvature is good */
  yn = s->go;
  for (i = 0; i < n; i++) {
    sn[i] = x[i] - sn[i];
    yn[i] = g[i] - yn[i];
  }
  sy = slope_dot(sn, yn, n);
  yy = slope_dot(yn, yn, n);
  ss = slope_dot(sn, sn, n);
  if (sy > CURV_EPS * sqrt(ss * yy)) {
    memcpy(s->S + s->next * n, sn, n * sizeof(double));
    memcpy(s->Y + s->next * n, yn, n * sizeof(double));
    s->rho[s->next] = 1 / sy;
    s->gamma = sy / yy;
    s->scaled = 1;
    s->next = (s->next + 1) % s->m;
    if (s->count < s->m)
      s->count++;
  }
  return SLOPE_STEP_OK;
}

/* }====================================================== */

const slope_solver_type slope_solver_bfgs = {"bfgs", bfgs_size, bfgs_init,
                                             bfgs_iterate, 0, NULL};
const slope_solver_type slope_solver_lbfgs = {"lbfgs", lbfgs_size,
                                              lbfgs_init, lbfgs_iterate, 0,
                                              NULL};
