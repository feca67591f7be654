/*
** kernels.h: vector kernels shared by the tape's sweeps and the solvers.
*/
#ifndef SLOPE_KERNELS_H
#define SLOPE_KERNELS_H

#include <stddef.h>

/* u . v with four partial sums, so the adds need not wait on one another
** (a fixed order: the same inputs give the same bits). */
double slope_dot(const double *u, const double *v, size_t n);

/* y += a x, then z . y as slope_dot computes it (0 when z is NULL): the
** two in one pass over y. y must not overlap x or z. */
double slope_axpy_dot(double a, const double *x, double *y, const double *z,
                      size_t n);

/* The 2-norm of x: a plain sum of squares (the bits of the plain loop),
** redone scaled by the largest magnitude only when that sum overflows or
** underflows. */
double slope_norm2(const double *x, size_t n);

#endif
