/*
** linesearch.h: a line search for the strong Wolfe conditions, shared by
** the quasi-Newton and conjugate-gradient methods (linesearch.c).
*/
#ifndef SLOPE_LINESEARCH_H
#define SLOPE_LINESEARCH_H

#include "optim/solver.h"

/* What slope_linesearch returns. */
enum {
  SLOPE_LS_OK = 0,
  SLOPE_LS_FAILED,     /* no acceptable step within the evaluations allowed */
  SLOPE_LS_NOT_DESCENT /* g'd >= 0: nothing to search for along d */
};

/* Doubles of scratch the search needs for n variables. */
#define SLOPE_LS_SCRATCH(n) (3 * (n))

/* Search along d from x, where f and g are known, for a step a with
**   f(x + a d) <= f + c1 a g'd  and  |g(x + a d)'d| <= c2 |g'd|
** (0 < c1 < c2 < 1), starting from the trial *step. On SLOPE_LS_OK, x, f
** and g are those of the new point and *step is a; otherwise nothing is
** changed. refine: where f looks quadratic along d, spend one more
** evaluation on a secant step towards g'd = 0 (exact on a quadratic) and
** keep it if its slope is smaller, as conjugate gradients want. work:
** SLOPE_LS_SCRATCH(n) doubles. */
int slope_linesearch(slope_objective *obj, const double *d, double *x,
                     double *f, double *g, double *step, double c1,
                     double c2, int refine, double *work);

/* The same search (without refine) where g'd = gd is known already, which
** on SLOPE_LS_OK also leaves the step's pair s = x+ - x and y = g+ - g in s
** and y (n each, apart from the other arrays), formed as x and g are
** replaced, so a quasi-Newton method need not keep copies of them. */
int slope_linesearch_pair(slope_objective *obj, const double *d, double gd,
                          double *x, double *f, double *g, double *step,
                          double c1, double c2, double *work, double *s,
                          double *y);

#endif
