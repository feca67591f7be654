/*
** kernels.c: vector kernels shared by the tape's sweeps and the solvers.
*/
#include "config.h"

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
