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

double slope_axpy_dot(double a, const double *x, const double *y, double c,
                      double *w, const double *z, size_t n) {
  const double *restrict u = x, *restrict v = z;
  double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  size_t i;
  if (v == NULL) {
    for (i = 0; i < n; i++)
      w[i] = c * (y[i] + a * u[i]);
    return 0;
  }
  for (i = 0; i + 4 <= n; i += 4) {
    double w0 = c * (y[i] + a * u[i]), w1 = c * (y[i + 1] + a * u[i + 1]);
    double w2 = c * (y[i + 2] + a * u[i + 2]);
    double w3 = c * (y[i + 3] + a * u[i + 3]);
    w[i] = w0; w[i + 1] = w1; w[i + 2] = w2; w[i + 3] = w3;
    s0 += v[i] * w0;
    s1 += v[i + 1] * w1;
    s2 += v[i + 2] * w2;
    s3 += v[i + 3] * w3;
  }
  for (; i < n; i++) {
    w[i] = c * (y[i] + a * u[i]);
    s0 += v[i] * w[i];
  }
  return (s0 + s1) + (s2 + s3);
}

void slope_dot3(const double *u, const double *v, size_t n, double *uv,
                double *vv, double *uu) {
  double a0 = 0, a1 = 0, a2 = 0, a3 = 0, b0 = 0, b1 = 0, b2 = 0, b3 = 0;
  double c0 = 0, c1 = 0, c2 = 0, c3 = 0;
  size_t i;
  for (i = 0; i + 4 <= n; i += 4) {
    a0 += u[i] * v[i]; b0 += v[i] * v[i]; c0 += u[i] * u[i];
    a1 += u[i + 1] * v[i + 1]; b1 += v[i + 1] * v[i + 1];
    c1 += u[i + 1] * u[i + 1];
    a2 += u[i + 2] * v[i + 2]; b2 += v[i + 2] * v[i + 2];
    c2 += u[i + 2] * u[i + 2];
    a3 += u[i + 3] * v[i + 3]; b3 += v[i + 3] * v[i + 3];
    c3 += u[i + 3] * u[i + 3];
  }
  for (; i < n; i++) {
    a0 += u[i] * v[i]; b0 += v[i] * v[i]; c0 += u[i] * u[i];
  }
  *uv = (a0 + a1) + (a2 + a3);
  *vv = (b0 + b1) + (b2 + b3);
  *uu = (c0 + c1) + (c2 + c3);
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
