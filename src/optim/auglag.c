/*
** auglag.c: the augmented Lagrangian method "auglag" (Powell-Hestenes-
** Rockafellar; Nocedal and Wright, Numerical Optimization, 2nd ed.,
** 17.3-17.4, with the safeguards of Birgin and Martinez, Practical
** Augmented Lagrangian Methods, 2014, as in ALGENCAN).
**
** Each outer iteration minimises, within the bounds, the function
**
**   L(x) = f - sum_eq (y_i c_i - rho/2 c_i^2)
**            + 1/(2 rho) sum_ineq (max(0, y_i - rho c_i)^2 - y_i^2)
**
** (the slack-free form of the inequalities) by the projected L-BFGS of
** bounds.c to a tolerance that falls with k to gtol, then updates the
** multipliers, y_i <- y_i - rho c_i (equalities) and
** y_i <- max(0, y_i - rho c_i) (inequalities), and multiplies rho by 10
** only when the infeasibility measure
**   V = max(|c_eq|, |min(c_ineq, y_ineq / rho)|)
** did not fall below half of its previous value.
**
** Once the point is nearly feasible and nearly stationary, Newton's
** method on the KKT conditions of the active set (kkt.c) polishes it, so
** that the answer and its multipliers are accurate to rounding; the
** polish is kept only if the whole KKT test then holds.
**
** Infeasibility: when rho has grown past RHO_MAX and V still does not
** fall, the run minimises the infeasibility 1/2 |c_eq|^2 + 1/2
** |min(0, c_ineq)|^2 within the bounds and returns that point as
** "infeasible". Unboundedness: f below -SLOPE_C_FLOOR at a feasible point,
** or the inner problem falling without bound.
*/
#include "config.h"

#include <float.h>
#include <math.h>
#include <string.h>

#include "interrupt.h"
#include "optim/constrained.h"

#define RHO0 10.0
#define RHO_MAX 1e12
#define Y_MAX 1e20
#define MAX_POLISH 8

typedef struct auglag_state {
  slope_cproblem *P;
  size_t n, m;
  double rho;
  double *y, *c, *J, *gf;  /* multipliers (m), c (m), J (m n), grad f */
  double *xb, *yb;         /* the best point and its multipliers */
  double *xp, *yp;         /* polish: a trial point and multipliers */
  double *gl;              /* a gradient of the Lagrangian (n) */
  double *kwork;           /* slope_kkt_worksize doubles */
  unsigned char *act, *fix;
  double fraw;             /* f at the latest inner evaluation */
  int phase;               /* 1: minimising the infeasibility */
  void *inner;             /* the L-BFGS state */
} auglag_state;

static size_t al_size(const slope_cproblem *P, const slope_copts *o) {
  size_t n = P->n, m = P->meq + P->mineq;
  return sizeof(auglag_state) +
         (2 * m + m * n + 2 * n + 2 * n + 2 * m + n +
          slope_kkt_worksize(n, m) + n + m + 8) * sizeof(double) +
         slope_lbfgsb_size(n, o->memory) + 2 * sizeof(double);
}

static void al_init(void *state, const slope_cproblem *P,
                    const slope_copts *o) {
  auglag_state *s = (auglag_state *)state;
  size_t n = P->n, m = P->meq + P->mineq;
  double *d = (double *)(s + 1);
  s->n = n;
  s->m = m;
  s->y = d; d += m;
  s->c = d; d += m;
  s->J = d; d += m * n;
  s->gf = d; d += n;
  s->xb = d; d += n;
  s->yb = d; d += m;
  s->xp = d; d += n;
  s->yp = d; d += m;
  s->gl = d; d += n;
  s->kwork = d; d += slope_kkt_worksize(n, m);
  s->act = (unsigned char *)d; d += m / sizeof(double) + 1;
  s->fix = (unsigned char *)d; d += n / sizeof(double) + 1;
  s->inner = (void *)(d + 1);
  slope_lbfgsb_init(s->inner, n, o->memory);
}

/* The augmented Lagrangian (or, in phase 1, the infeasibility) and its
** gradient: the inner objective. */
static double al_fg(void *ctx, const double *x, double *g) {
  auglag_state *s = (auglag_state *)ctx;
  slope_cproblem *P = s->P;
  size_t i, j, n = s->n, meq = P->meq;
  double L, rho = s->rho;
  if (s->phase)
    L = 0;
  else
    L = s->fraw = P->fg(P->ctx, x, g);
  if (s->phase && g != NULL)
    memset(g, 0, n * sizeof(double));
  if (s->m == 0)
    return L;
  P->cons(P->ctx, x, s->c, g != NULL ? s->J : NULL);
  for (i = 0; i < s->m; i++) {
    double ci = s->c[i], w;  /* w: the weight of grad c_i in -grad L */
    if (s->phase) {
      w = (i < meq || ci < 0) ? -ci : 0;
      L += 0.5 * w * w;
    }
    else if (i < meq) {
      w = s->y[i] - rho * ci;
      L += -s->y[i] * ci + 0.5 * rho * ci * ci;
    }
    else {
      double t = s->y[i] - rho * ci;
      w = t > 0 ? t : 0;
      L += (w * w - s->y[i] * s->y[i]) / (2 * rho);
    }
    if (g != NULL && w != 0)
      for (j = 0; j < n; j++) g[j] -= w * s->J[i * n + j];
  }
  return L;
}

/* The infeasibility measure V of the point whose c is in s->c. */
static double measure(const auglag_state *s) {
  size_t i;
  double v = 0;
  for (i = 0; i < s->m; i++) {
    if (i < s->P->meq)
      v = fmax(v, fabs(s->c[i]));
    else
      v = fmax(v, fabs(fmin(s->c[i], s->y[i] / s->rho)));
  }
  return v;
}

/* Minimise the inner objective from x to a projected-gradient max-norm
** of tol; returns the inner iterations done. *stop: 1 on Ctrl-C, 2 when
** f fell past -SLOPE_C_FLOOR. */
static long inner(auglag_state *s, const slope_copts *o, double tol,
                  double *x, double *g, int *stop) {
  slope_objective obj;
  slope_cproblem *P = s->P;
  double f;
  long k;
  memset(&obj, 0, sizeof obj);
  obj.n = s->n;
  obj.fg = al_fg;
  obj.ctx = s;
  obj.lower = P->lower;
  obj.upper = P->upper;
  *stop = 0;
  slope_lbfgsb_restart(s->inner);
  f = al_fg(s, x, g);
  for (k = 0; k < o->maxinner; k++) {
    int rc;
    if (slope_projgrad_norm(s->n, x, g, P->lower, P->upper, 1) <= tol ||
        !isfinite(f))
      break;
    if (slope_interrupt_pending()) {
      *stop = 1;
      break;
    }
    if (!s->phase && s->fraw < -SLOPE_C_FLOOR) {
      *stop = 2;
      break;
    }
    rc = slope_lbfgsb_iterate(s->inner, &obj, P->lower, P->upper, 1e-4, x,
                              &f, g);
    if (rc != SLOPE_STEP_OK)
      break;
  }
  return k;
}

/* Bound multipliers and the KKT report at x with multipliers y. */
static int kktcheck(auglag_state *s, const slope_copts *o, const double *x,
                    const double *y, double *zl, double *zu, slope_kkt *k) {
  slope_cproblem *P = s->P;
  size_t i, j, n = s->n;
  P->fg(P->ctx, x, s->gl);
  if (s->m > 0)
    P->cons(P->ctx, x, s->c, s->J);
  for (i = 0; i < s->m; i++)
    for (j = 0; j < n; j++) s->gl[j] -= y[i] * s->J[i * n + j];
  slope_cbound_multipliers(n, x, P->lower, P->upper, s->gl, 0, zl, zu);
  slope_ckkt(P, x, y, zl, zu, k, s->kwork);
  return slope_ckkt_ok(k, o);
}

/* Newton-KKT on the active set from x, y; 1 if the polished point passes
** the KKT test (then x, y, zl, zu are replaced). */
static int polish(auglag_state *s, const slope_copts *o, double *x,
                  double *y, double *zl, double *zu) {
  slope_cproblem *P = s->P;
  size_t i, n = s->n, m = s->m;
  slope_kkt k;
  long its;
  int st;
  if (P->hesslag == NULL)
    return 0;
  /* the active set: inequalities with a positive multiplier or violated;
  ** variables at a bound that the gradient of the Lagrangian presses */
  for (i = 0; i < m; i++)
    s->act[i] = i < P->meq || y[i] > 0 || s->c[i] <= 0;
  P->fg(P->ctx, x, s->gl);
  if (m > 0)
    P->cons(P->ctx, x, s->c, s->J);
  for (i = 0; i < n; i++) {
    size_t r;
    double gl = s->gl[i];
    for (r = 0; r < m; r++) gl -= y[r] * s->J[r * n + i];
    s->fix[i] = (x[i] <= P->lower[i] && gl > 0) ||
                (x[i] >= P->upper[i] && gl < 0);
  }
  memcpy(s->xp, x, n * sizeof(double));
  memcpy(s->yp, y, m * sizeof(double));
  st = slope_kkt_newton(P, o, s->act, s->fix, 30, 0, s->xp, s->yp, &its,
                        s->kwork);
  if (st != SLOPE_C_CONVERGED)
    return 0;
  for (i = 0; i < n; i++)  /* free variables must stay inside the box */
    if (s->xp[i] < P->lower[i] - o->ctol || s->xp[i] > P->upper[i] + o->ctol)
      return 0;
  slope_cproject(n, s->xp, P->lower, P->upper);
  for (i = P->meq; i < m; i++)  /* a multiplier zero to rounding is 0 */
    if (s->yp[i] < 0 && s->yp[i] > -1e-3 * o->gtol) s->yp[i] = 0;
  if (!kktcheck(s, o, s->xp, s->yp, zl, zu, &k))
    return 0;
  memcpy(x, s->xp, n * sizeof(double));
  memcpy(y, s->yp, m * sizeof(double));
  return 1;
}

static int al_solve(void *state, slope_cproblem *P, const slope_copts *o,
                    slope_cresult *r) {
  auglag_state *s = (auglag_state *)state;
  size_t i, n = s->n, m = s->m;
  double *x = r->x, *g = s->gf, vprev = HUGE_VAL, fb = HUGE_VAL,
         vb = HUGE_VAL, tol, gscale, step = 0;
  long k, polishes = 0;
  int status = SLOPE_C_MAXITER, stop;
  s->P = P;
  s->rho = RHO0;
  s->phase = 0;
  for (i = 0; i < m; i++) s->y[i] = 0;
  for (i = 0; i < n; i++) r->zl[i] = r->zu[i] = 0;
  r->inner = 0;
  memcpy(s->xb, x, n * sizeof(double));
  memset(s->yb, 0, m * sizeof(double));
  {  /* the scale of the gradient, for the inner tolerances */
    double gs = 0;
    P->fg(P->ctx, x, g);
    for (i = 0; i < n; i++) gs = fmax(gs, fabs(g[i]));
    gscale = fmax(1, gs);
  }
  for (k = 0; k < o->maxiter; k++) {
    double v, viol, f;
    slope_kkt kk;
    slope_citer it;
    int rc;
    tol = fmax(0.5 * o->gtol * gscale, gscale * pow(10, -1 - (double)k));
    memcpy(s->xp, x, n * sizeof(double));
    r->inner += inner(s, o, tol, x, g, &stop);
    for (step = 0, i = 0; i < n; i++)
      step += (x[i] - s->xp[i]) * (x[i] - s->xp[i]);
    step = sqrt(step);
    f = P->fg(P->ctx, x, NULL);
    if (m > 0)
      P->cons(P->ctx, x, s->c, NULL);
    viol = m > 0 ? slope_cviolation(P->meq, P->mineq, s->c) : 0;
    if (!isfinite(f) || (m > 0 && !isfinite(viol))) {
      status = SLOPE_C_NAN;
      break;
    }
    /* the best point: feasible with the least f, else the least
    ** infeasible */
    if ((viol <= o->ctol && (vb > o->ctol || f < fb)) ||
        (vb > o->ctol && viol < vb)) {
      fb = f;
      vb = viol;
      memcpy(s->xb, x, n * sizeof(double));
    }
    if (stop == 2 || (f < -SLOPE_C_FLOOR && viol <= o->ctol)) {
      if (viol <= o->ctol || stop == 2) {
        memcpy(s->xb, x, n * sizeof(double));
        status = SLOPE_C_UNBOUNDED;
        k++;
        break;
      }
    }
    /* the first-order multiplier update */
    v = measure(s);
    for (i = 0; i < m; i++) {
      double t = s->y[i] - s->rho * s->c[i];
      if (i >= P->meq && t < 0) t = 0;
      s->y[i] = fmax(-Y_MAX, fmin(Y_MAX, t));
    }
    if (vb == viol && (viol > o->ctol || f <= fb))
      memcpy(s->yb, s->y, m * sizeof(double));
    /* the test */
    if (kktcheck(s, o, x, s->y, r->zl, r->zu, &kk)) {
      memcpy(s->xb, x, n * sizeof(double));
      memcpy(s->yb, s->y, m * sizeof(double));
      status = SLOPE_C_CONVERGED;
      k++;
      break;
    }
    if (polishes < MAX_POLISH && kk.primal <= 1e-3 &&
        kk.stationarity <= 1e-3 * kk.gscale) {
      polishes++;
      if (polish(s, o, x, s->y, r->zl, r->zu)) {
        memcpy(s->xb, x, n * sizeof(double));
        memcpy(s->yb, s->y, m * sizeof(double));
        status = SLOPE_C_CONVERGED;
        k++;
        break;
      }
    }
    it.iter = k;
    it.x = x;
    it.f = f;
    it.infeas = viol;
    it.kkt = kk.stationarity;
    it.step = step;
    it.penalty = s->rho;
    if (stop == 1 || (rc = o->monitor(o->mctx, &it)) != 0) {
      status = stop == 1 ? o->monitor(o->mctx, &it) : rc;
      if (status == 0) status = SLOPE_C_INTERRUPTED;
      k++;
      break;
    }
    /* the penalty: up only when V did not fall enough */
    if (v > 0.5 * vprev) {
      if (s->rho >= RHO_MAX && viol > o->ctol) {
        /* stalled while infeasible: minimise the infeasibility */
        s->phase = 1;
        memcpy(x, s->xb, n * sizeof(double));
        r->inner += inner(s, o, 1e-3 * o->ctol, x, g, &stop);
        s->phase = 0;
        if (m > 0)
          P->cons(P->ctx, x, s->c, NULL);
        viol = m > 0 ? slope_cviolation(P->meq, P->mineq, s->c) : 0;
        if (viol > o->ctol) {
          memcpy(s->xb, x, n * sizeof(double));
          memset(s->yb, 0, m * sizeof(double));
          status = SLOPE_C_INFEASIBLE;
          k++;
          break;
        }
        s->rho = RHO0;  /* a feasible point after all: go on from it */
      }
      else
        s->rho = fmin(10 * s->rho, RHO_MAX);
    }
    vprev = v;
  }
  r->iterations = k;
  memcpy(x, s->xb, n * sizeof(double));
  memcpy(r->y, s->yb, m * sizeof(double));
  if (status != SLOPE_C_CONVERGED) {
    slope_kkt kk;
    kktcheck(s, o, x, r->y, r->zl, r->zu, &kk);
  }
  r->f = P->fg(P->ctx, x, NULL);
  r->status = status;
  return status;
}

const slope_cmethod slope_cmethod_auglag = {"auglag", al_size, al_init,
                                            al_solve, 0};
