/*
** kernels.c: vector kernels shared by the tape's sweeps and the solvers.
*/
#include "config.h"

#include <float.h>
#include <math.h>
#include <stddef.h>

#include "kernels.h"

double slope_dot(const double *u, const double *v, size_t n) {
  double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  size_t i;
  for (i = 0; i + 4 <= n; i += 4) {
    s0 += u[i] * v[i];
    s1 += u[i + 1] * v[i + 1];
    s2 += u[i + 2] * v[i + 2];
    s3 += u[i + 3] * v[i + 3];
  }
  for (; i < n; i++)
    s0 += u[i] * v[i];
  return (s0 + s1) + (s2 + s3);
}

double slope_axpy_dot(double a, const double *x, double *y, const double *z,
                      size_t n) {
  double *restrict w = y;
  const double *restrict u = x, *restrict v = z;
  double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  size_t i;
  if (v == NULL) {
    for (i = 0; i < n; i++)
      w[i] += a * u[i];
    return 0;
  }
  for (i = 0; i + 4 <= n; i += 4) {
    double w0 = w[i] + a * u[i], w1 = w[i + 1] + a * u[i + 1];
    double w2 = w[i + 2] + a * u[i + 2], w3 = w[i + 3] + a * u[i + 3];
    w[i] = w0; w[i + 1] = w1; w[i + 2] = w2; w[i + 3] = w3;
    s0 += v[i] * w0;
    s1 += v[i + 1] * w1;
    s2 += v[i + 2] * w2;
    s3 += v[i + 3] * w3;
  }
  for (; i < n; i++) {
    w[i] += a * u[i];
    s0 += v[i] * w[i];
  }
  return (s0 + s1) + (s2 + s3);
}

double slope_norm2(const double *x, size_t n) {
  double s = 0, big = 0;
  size_t i;
  for (i = 0; i < n; i++)
    s += x[i] * x[i];
  if (isnan(s) || (isfinite(s) && s >= DBL_MIN))
    return sqrt(s);
  for (i = 0; i < n; i++) {
    if (isinf(x[i]))
      return HUGE_VAL;
    if (fabs(x[i]) > big)
      big = fabs(x[i]);
  }
  if (big == 0)
    return 0;
  for (s = 0, i = 0; i < n; i++)
    s += (x[i] / big) * (x[i] / big);
  return big * sqrt(s);
}
