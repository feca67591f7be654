/*
** cg.c: nonlinear conjugate gradients (Nocedal and Wright, Numerical
** Optimization, 2nd ed., section 5.2), a slope_solver_type. The direction
** d = -g + beta d_prev with beta of Polak-Ribiere+ (p->variant 0)
** or Fletcher-Reeves (1); steepest descent every n iterations and
** whenever d is not a descent direction. The strong Wolfe line search
** runs with c2 = 0.1 (the driver's default for cg) and, where f looks
** quadratic along d, refines its step by a secant step on the slope: on
** a quadratic every step is then exact and CG ends in at most n
** iterations, as linear CG does (to rounding: n steps reduce g by about
** 1e-11 at condition number 200, by only 1e-7 at 2000).
*/
#include "config.h"

#include <math.h>
#include <string.h>

#include "optim/linesearch.h"
#include "optim/solver.h"

typedef struct cg_state {
  size_t n;
  size_t since;     /* iterations since d was -g */
  double step, dg;  /* the last accepted step and its g'd */
  double *d, *gp, *ls;  /* direction, previous gradient, line search */
} cg_state;

static size_t cg_size(size_t n, const slope_params *p) {
  (void)p;
  return sizeof(cg_state) + (2 * n + SLOPE_LS_SCRATCH(n)) * sizeof(double);
}

static void cg_init(void *state, size_t n, const slope_params *p) {
  cg_state *s = (cg_state *)state;
  (void)p;
  s->n = n;
  s->d = (double *)(s + 1);
  s->gp = s->d + n;
  s->ls = s->gp + n;
}

static void steepest(cg_state *s, const double *g) {
  size_t i;
  for (i = 0; i < s->n; i++) s->d[i] = -g[i];
  s->since = 0;
}

/* beta for the new gradient g after gp (Polak-Ribiere+ or Fletcher-Reeves). */
static double cg_beta(const cg_state *s, const slope_params *p,
                      const double *g) {
  double gg = slope_dot(s->gp, s->gp, s->n), num = 0;
  size_t i;
  if (p->variant == 1)
    num = slope_dot(g, g, s->n);
  else
    for (i = 0; i < s->n; i++) num += g[i] * (g[i] - s->gp[i]);
  return gg > 0 ? fmax(num / gg, 0) : 0;
}

static int cg_iterate(void *state, slope_objective *obj,
                      const slope_params *p, long k, double *x, double *f,
                      double *g) {
  cg_state *s = (cg_state *)state;
  size_t i, n = s->n;
  double a, dg, beta;
  if (k == 0) {
    steepest(s, g);
    dg = slope_dot(g, s->d, n);
    a = sqrt(-dg) > 1 ? 1 / sqrt(-dg) : 1;  /* at most 1 long */
  }
  else {
    beta = s->since >= n ? 0 : cg_beta(s, p, g);  /* a periodic restart */
    for (i = 0; i < n; i++) s->d[i] = -g[i] + beta * s->d[i];
    if (beta == 0)
      s->since = 0;
    dg = slope_dot(g, s->d, n);
    if (!(dg < 0)) {
      steepest(s, g);
      dg = slope_dot(g, s->d, n);
      obj->notes |= SLOPE_NOTE_RESTARTED;
    }
    a = s->step * s->dg / dg;  /* the last step's decrease again (3.60) */
  }
  memcpy(s->gp, g, n * sizeof(double));
  while (slope_linesearch(obj, s->d, x, f, g, &a, p->c1, p->c2, 1, s->ls) !=
         SLOPE_LS_OK) {
    if (s->since == 0)
      return SLOPE_STEP_FAILED;
    steepest(s, g);  /* along -g once more */
    dg = slope_dot(g, s->d, n);
    a = s->step * s->dg / dg;
    obj->notes |= SLOPE_NOTE_RESTARTED;
  }
  s->step = a;
  s->dg = dg;
  s->since++;
  return SLOPE_STEP_OK;
}

const slope_solver_type slope_solver_cg = {"cg", cg_size, cg_init,
                                           cg_iterate, 0, NULL};
