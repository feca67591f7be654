/*
** kernels.h: vector kernels shared by the tape's sweeps and the solvers.
*/
#ifndef SLOPE_KERNELS_H
#define SLOPE_KERNELS_H

#include <stddef.h>

/* u . v with four partial sums, so the adds need not wait on one another
** (a fixed order: the same inputs give the same bits). */
double slope_dot(const double *u, const double *v, size_t n);

/* w = c (y + a x), then z . w as slope_dot computes it (0 when z is
** NULL): the two in one pass. y may be w (an update in place) and z may
** be x; w must not overlap x or z. The product with c rounds as a separate
** pass scaling y + a x would (with c = 1 or -1 it is exact). */
double slope_axpy_dot(double a, const double *x, const double *y, double c,
                      double *w, const double *z, size_t n);

/* u . v, v . v and u . u, each as slope_dot computes it, in one pass. */
void slope_dot3(const double *u, const double *v, size_t n, double *uv,
                double *vv, double *uu);

/* The 2-norm of x: a plain sum of squares (the bits of the plain loop),
** redone scaled by the largest magnitude only when that sum overflows or
** underflows. */
double slope_norm2(const double *x, size_t n);

#endif
