/*
** firstorder.c: gradient descent and its adaptive relatives, each a
** slope_solver_type. State is a few vectors of n doubles laid out after a
** small header; nothing is allocated per iteration.
*/
#include "config.h"

#include <math.h>
#include <string.h>

#include "optim/solver.h"

/* Armijo backtracking for gd: halve until f drops by c1 * t * |g|^2. */
#define ARMIJO_C1 1e-4
#define ARMIJO_HALVINGS 60

typedef struct fo_state {
  size_t n;
  double *u, *v, *w;  /* per method: velocity, moments, trial point */
  double lr0;         /* gd with line search: the last accepted step */
} fo_state;

static size_t size3(size_t n, const slope_params *p) {
  (void)p;
  return sizeof(fo_state) + 3 * n * sizeof(double);
}

static void init3(void *state, size_t n, const slope_params *p) {
  fo_state *s = (fo_state *)state;
  s->n = n;
  s->u = (double *)(s + 1);
  s->v = s->u + n;
  s->w = s->v + n;
  memset(s->u, 0, 3 * n * sizeof(double));
  s->lr0 = p->lr;
}

/* x -= lr g, or with Armijo backtracking from twice the last step. */
static int gd_iterate(void *state, slope_objective *obj, const slope_params *p,
                      long k, double *x, double *f, double *g) {
  fo_state *s = (fo_state *)state;
  size_t i, n = s->n;
  (void)k;
  if (p->linesearch) {
    double g2 = 0, t = 2 * s->lr0, ft;
    int h;
    for (i = 0; i < n; i++) g2 += g[i] * g[i];
    for (h = 0; h < ARMIJO_HALVINGS; h++, t /= 2) {
      for (i = 0; i < n; i++) s->w[i] = x[i] - t * g[i];
      ft = obj->fg(obj->ctx, s->w, NULL);
      if (ft <= *f - ARMIJO_C1 * t * g2)
        break;
    }
    if (h == ARMIJO_HALVINGS)
      return SLOPE_STEP_FAILED;
    s->lr0 = t;
    memcpy(x, s->w, n * sizeof(double));
  }
  else
    for (i = 0; i < n; i++) x[i] -= p->lr * g[i];
  *f = obj->fg(obj->ctx, x, g);
  return SLOPE_STEP_OK;
}

/* Heavy ball: u = beta u - lr g; x += u. */
static int momentum_iterate(void *state, slope_objective *obj,
                            const slope_params *p, long k, double *x,
                            double *f, double *g) {
  fo_state *s = (fo_state *)state;
  size_t i;
  (void)k;
  for (i = 0; i < s->n; i++) {
    s->u[i] = p->momentum * s->u[i] - p->lr * g[i];
    x[i] += s->u[i];
  }
  *f = obj->fg(obj->ctx, x, g);
  return SLOPE_STEP_OK;
}

/* Nesterov in the form that keeps x at the look-ahead point (as the deep
** learning libraries do): u = beta u - lr g; x += beta u - lr g. */
static int nesterov_iterate(void *state, slope_objective *obj,
                            const slope_params *p, long k, double *x,
                            double *f, double *g) {
  fo_state *s = (fo_state *)state;
  size_t i;
  (void)k;
  for (i = 0; i < s->n; i++) {
    s->u[i] = p->momentum * s->u[i] - p->lr * g[i];
    x[i] += p->momentum * s->u[i] - p->lr * g[i];
  }
  *f = obj->fg(obj->ctx, x, g);
  return SLOPE_STEP_OK;
}

/* v += g^2; x -= lr g / (sqrt(v) + eps). */
static int adagrad_iterate(void *state, slope_objective *obj,
                           const slope_params *p, long k, double *x,
                           double *f, double *g) {
  fo_state *s = (fo_state *)state;
  size_t i;
  (void)k;
  for (i = 0; i < s->n; i++) {
    s->v[i] += g[i] * g[i];
    x[i] -= p->lr * g[i] / (sqrt(s->v[i]) + p->eps);
  }
  *f = obj->fg(obj->ctx, x, g);
  return SLOPE_STEP_OK;
}

/* v = rho v + (1 - rho) g^2; x -= lr g / (sqrt(v) + eps); rho = beta2. */
static int rmsprop_iterate(void *state, slope_objective *obj,
                           const slope_params *p, long k, double *x,
                           double *f, double *g) {
  fo_state *s = (fo_state *)state;
  double rho = p->beta2;
  size_t i;
  (void)k;
  for (i = 0; i < s->n; i++) {
    s->v[i] = rho * s->v[i] + (1 - rho) * g[i] * g[i];
    x[i] -= p->lr * g[i] / (sqrt(s->v[i]) + p->eps);
  }
  *f = obj->fg(obj->ctx, x, g);
  return SLOPE_STEP_OK;
}

/* Adam with bias correction; decay > 0 makes it AdamW (decoupled weight
** decay: x -= lr decay x, not added to the gradient). */
static int adam_step(fo_state *s, slope_objective *obj, const slope_params *p,
                     long k, double decay, double *x, double *f, double *g) {
  double b1 = p->beta1, b2 = p->beta2;
  double c1 = 1 - pow(b1, (double)(k + 1)), c2 = 1 - pow(b2, (double)(k + 1));
  size_t i;
  for (i = 0; i < s->n; i++) {
    s->u[i] = b1 * s->u[i] + (1 - b1) * g[i];
    s->v[i] = b2 * s->v[i] + (1 - b2) * g[i] * g[i];
    x[i] -= p->lr * ((s->u[i] / c1) / (sqrt(s->v[i] / c2) + p->eps) +
                     decay * x[i]);
  }
  *f = obj->fg(obj->ctx, x, g);
  return SLOPE_STEP_OK;
}

static int adam_iterate(void *state, slope_objective *obj,
                        const slope_params *p, long k, double *x, double *f,
                        double *g) {
  return adam_step((fo_state *)state, obj, p, k, 0, x, f, g);
}

static int adamw_iterate(void *state, slope_objective *obj,
                         const slope_params *p, long k, double *x, double *f,
                         double *g) {
  return adam_step((fo_state *)state, obj, p, k, p->weight_decay, x, f, g);
}

const slope_solver_type slope_solver_gd = {
  "gd", size3, init3, gd_iterate, SLOPE_USES_LR, NULL};
const slope_solver_type slope_solver_momentum = {
  "momentum", size3, init3, momentum_iterate, SLOPE_USES_LR, NULL};
const slope_solver_type slope_solver_nesterov = {
  "nesterov", size3, init3, nesterov_iterate, SLOPE_USES_LR, NULL};
const slope_solver_type slope_solver_adagrad = {
  "adagrad", size3, init3, adagrad_iterate, SLOPE_USES_LR, NULL};
const slope_solver_type slope_solver_rmsprop = {
  "rmsprop", size3, init3, rmsprop_iterate, SLOPE_USES_LR, NULL};
const slope_solver_type slope_solver_adam = {
  "adam", size3, init3, adam_iterate, SLOPE_USES_LR, NULL};
const slope_solver_type slope_solver_adamw = {
  "adamw", size3, init3, adamw_iterate, SLOPE_USES_LR, NULL};
