/*
** linesearch.c: a line search for the strong Wolfe conditions (Nocedal
** and Wright, Numerical Optimization, 2nd ed., algorithms 3.5 and 3.6).
** The first phase grows the step until it brackets an acceptable one; the
** second, zoom, shrinks the bracket by safeguarded cubic interpolation in
** the scaled form of Moré and Thuente, bisecting when the bracket shrinks
** too slowly. Along a quadratic the cubic is the quadratic itself, so one
** interpolation lands on the minimiser.
**
** Near a minimiser, f changes by less than its rounding error; there the
** search trusts slopes, not values (Hager and Zhang's approximate Wolfe
** conditions, and secant steps on phi'), so that it still ends as g goes
** to 0 instead of failing on noise.
**
** phi(a) = f(x + a d) and phi'(a) = g(x + a d)'d; every trial costs one
** evaluation of f and g. Trial points go to caller-provided scratch: x, f
** and g change only when a step is accepted.
*/
#include "config.h"

#include <float.h>
#include <math.h>
#include <string.h>

#include "optim/linesearch.h"

#define MAXEVAL 30       /* evaluations per search, refinement apart */
#define EXTRAP_MIN 1.1   /* extrapolation grows the last increment */
#define EXTRAP_MAX 4.0   /* by a factor in [EXTRAP_MIN, EXTRAP_MAX] */
#define SAFEGUARD 0.1    /* zoom trials stay this w off hi (w: width) */
#define SHRINK 0.66      /* bisect if two zoom steps shrink w less */
#define REFINE_TOL 1e-10 /* refine unless |phi'| <= this |phi'(0)| */
#define QUADRATIC 1e-2   /* ... and if phi is this close to a quadratic */
#define NOISE 1e-12      /* f within NOISE |f(x)| of f(x) is level */

/* A trial: the step a, phi(a) and phi'(a). */
typedef struct Trial {
  double a, f, d;
} Trial;

/* xt = x + a d. The loops here are unrolled by four over arrays that do
** not overlap, so that the compiler packs them into vector instructions. */
static void stepto(double *restrict xt, const double *restrict x,
                   const double *restrict d, double a, size_t n) {
  size_t i;
  for (i = 0; i + 4 <= n; i += 4) {
    xt[i] = x[i] + a * d[i];
    xt[i + 1] = x[i + 1] + a * d[i + 1];
    xt[i + 2] = x[i + 2] + a * d[i + 2];
    xt[i + 3] = x[i + 3] + a * d[i + 3];
  }
  for (; i < n; i++) xt[i] = x[i] + a * d[i];
}

/* s = xt - x, then x = xt. */
static void take(double *restrict s, double *restrict x,
                 const double *restrict xt, size_t n) {
  size_t i;
  for (i = 0; i + 4 <= n; i += 4) {
    double t0 = xt[i], t1 = xt[i + 1], t2 = xt[i + 2], t3 = xt[i + 3];
    s[i] = t0 - x[i];
    s[i + 1] = t1 - x[i + 1];
    s[i + 2] = t2 - x[i + 2];
    s[i + 3] = t3 - x[i + 3];
    x[i] = t0; x[i + 1] = t1; x[i + 2] = t2; x[i + 3] = t3;
  }
  for (; i < n; i++) {
    s[i] = xt[i] - x[i];
    x[i] = xt[i];
  }
}

/* Evaluate f and g at x + a d, into xt and gt. */
static Trial probe(slope_objective *obj, const double *x, const double *d,
                   double a, double *xt, double *gt) {
  Trial t;
  size_t n = obj->n;
  stepto(xt, x, d, a, n);
  t.a = a;
  t.f = obj->fg(obj->ctx, xt, gt);
  t.d = slope_dot(gt, d, n);
  return t;
}

/* The minimiser of the cubic through p and q (values and slopes), where p
** slopes down towards q; NaN if the cubic has no minimum. */
static double cubicmin(const Trial *p, const Trial *q) {
  double theta = 3 * (p->f - q->f) / (q->a - p->a) + p->d + q->d;
  double s = fmax(fabs(theta), fmax(fabs(p->d), fabs(q->d)));
  double disc, gamma;
  if (!(s > 0 && isfinite(s)))
    return NAN;
  disc = (theta / s) * (theta / s) - (p->d / s) * (q->d / s);
  if (!(disc >= 0))
    return NAN;
  gamma = s * sqrt(disc);
  if (q->a < p->a)
    gamma = -gamma;
  return p->a + (gamma - p->d + theta) / (2 * gamma - p->d + q->d)
                    * (q->a - p->a);
}

/* Where phi' vanishes on the line through p and q's slopes; NaN if phi'
** does not grow from p to q. */
static double secant(const Trial *p, const Trial *q) {
  if (!((q->d - p->d) / (q->a - p->a) > 0))
    return NAN;
  return p->a - p->d * (q->a - p->a) / (q->d - p->d);
}

/* The minimiser of an interpolant through p and q: the cubic, or where the
** values are level to rounding (and say nothing), the secant on phi'. */
static double interpolate(const Trial *p, const Trial *q, double noise) {
  return fabs(p->f - q->f) <= noise ? secant(p, q) : cubicmin(p, q);
}

/* The next trial inside the bracket lo, hi (lo the better end): the
** interpolant's minimiser, kept off hi; else the midpoint. */
static double zoomstep(const Trial *lo, const Trial *hi, int bisect,
                       double noise) {
  double w = hi->a - lo->a, t = bisect ? NAN : interpolate(lo, hi, noise);
  double b = hi->a - SAFEGUARD * w;
  if (!isfinite(t) || (t - lo->a) * w <= 0)
    return lo->a + 0.5 * w;
  return (t - b) * w > 0 ? b : t;
}

/* Whether phi looks quadratic between p and q: the trapezoid rule on the
** slopes gives the change in f (to QUADRATIC of it, or rounding). */
static int quadratic(const Trial *p, const Trial *q, double noise) {
  double df = q->f - p->f, tz = 0.5 * (q->a - p->a) * (p->d + q->d);
  return fabs(df - tz) <= QUADRATIC * fabs(df) + 2 * noise;
}

/* Sufficient decrease, f <= f0 + c1 a phi'(0); where f is level with f0
** to rounding, the slope decides instead: phi'(a) <= (2 c1 - 1) phi'(0),
** the same test on a quadratic (Hager and Zhang's approximate Wolfe
** conditions), so that a search can still end as g tends to 0. */
static int sufficient(const Trial *t, double f0, double d0, double c1,
                      double noise) {
  if (!isfinite(t->d))
    return 0;
  return t->f <= f0 + c1 * t->a * d0 ||
         (t->f <= f0 + noise && t->d <= (2 * c1 - 1) * d0);
}

/* The search, with d0 = g'd known; on success the new point replaces x
** and g, and with s and y (not NULL) s = x+ - x and y = g+ - g as well,
** in the same pass. */
static int search(slope_objective *obj, const double *d, double d0,
                  double *x, double *f, double *g, double *step, double c1,
                  double c2, int refine, double *work, double *s,
                  double *y) {
  size_t n = obj->n;
  double *xt = work, *gt = xt + n, *gsave = gt + n;
  double f0 = *f, a = *step, t, w;
  double noise = NOISE * fabs(f0);
  double w1 = HUGE_VAL, w2 = HUGE_VAL;  /* bracket widths, last two steps */
  Trial prev, cur, lo, hi;
  int evals = 0, bisect = 0;
  if (!(d0 < 0))
    return SLOPE_LS_NOT_DESCENT;
  if (!(a > 0 && isfinite(a)))
    a = 1;
  prev.a = 0, prev.f = f0, prev.d = d0;
  /* bracket: grow the step until it is acceptable or passes one */
  for (;;) {
    cur = probe(obj, x, d, a, xt, gt);
    evals++;
    if (cur.f == -HUGE_VAL)
      goto accept;  /* unbounded below: the driver reports it */
    if (!sufficient(&cur, f0, d0, c1, noise) ||
        (evals > 1 && cur.f >= prev.f + noise)) {
      lo = prev, hi = cur;
      break;
    }
    if (fabs(cur.d) <= -c2 * d0)
      goto accept;
    if (cur.d >= 0) {
      lo = cur, hi = prev;
      break;
    }
    if (evals == MAXEVAL)
      goto accept;  /* f still falling fast: take the furthest point */
    w = cur.a - prev.a;
    t = interpolate(&prev, &cur, noise);
    a = isfinite(t) ? fmin(fmax(t, cur.a + EXTRAP_MIN * w),
                           cur.a + EXTRAP_MAX * w)
                    : cur.a + EXTRAP_MAX * w;
    prev = cur;
  }
  /* zoom: lo satisfies sufficient decrease and slopes down towards hi */
  for (;;) {
    w = fabs(hi.a - lo.a);
    if (evals >= MAXEVAL || w <= DBL_EPSILON * fmax(lo.a, hi.a))
      return SLOPE_LS_FAILED;
    prev = cur;
    cur = probe(obj, x, d, zoomstep(&lo, &hi, bisect, noise), xt, gt);
    evals++;
    if (!sufficient(&cur, f0, d0, c1, noise) || cur.f >= lo.f + noise)
      hi = cur;
    else {
      if (fabs(cur.d) <= -c2 * d0)
        goto accept;
      if (cur.d * (hi.a - lo.a) >= 0)
        hi = lo;
      lo = cur;
    }
    w = fabs(hi.a - lo.a);
    bisect = w > SHRINK * w2;
    w2 = w1, w1 = w;
  }
accept:
  /* refine: a secant step on phi' from the last two trials */
  if (refine && fabs(cur.d) > -REFINE_TOL * d0 && isfinite(cur.f) &&
      quadratic(&prev, &cur, noise)) {
    Trial best = cur;
    t = secant(&prev, &cur);
    if (t > 0 && isfinite(t) && t != cur.a) {
      memcpy(gsave, gt, n * sizeof(double));
      cur = probe(obj, x, d, t, xt, gt);
      if (!sufficient(&cur, f0, d0, c1, noise) ||
          !(fabs(cur.d) < fabs(best.d))) {
        cur = best;  /* keep the first point */
        stepto(xt, x, d, cur.a, n);
        memcpy(gt, gsave, n * sizeof(double));
      }
    }
  }
  if (s != NULL) {
    take(s, x, xt, n);
    take(y, g, gt, n);
  }
  else {
    memcpy(x, xt, n * sizeof(double));
    memcpy(g, gt, n * sizeof(double));
  }
  *f = cur.f;
  *step = cur.a;
  return SLOPE_LS_OK;
}

int slope_linesearch(slope_objective *obj, const double *d, double *x,
                     double *f, double *g, double *step, double c1,
                     double c2, int refine, double *work) {
  return search(obj, d, slope_dot(g, d, obj->n), x, f, g, step, c1, c2,
                refine, work, NULL, NULL);
}

int slope_linesearch_pair(slope_objective *obj, const double *d, double gd,
                          double *x, double *f, double *g, double *step,
                          double c1, double c2, double *work, double *s,
                          double *y) {
  return search(obj, d, gd, x, f, g, step, c1, c2, 0, work, s, y);
}
