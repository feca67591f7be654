/*
** lbfgsmem.c: L-BFGS's pairs and its two-loop recursion (algorithm 7.4
** of Nocedal and Wright), each update of d fused with the dot product the
** next pair needs, so that d is read once per pair and loop; the copy of g
** that starts it, the scaling by gamma between the loops, the final
** negation and g'd ride on the first and last updates.
*/
#include "config.h"

#include <math.h>
#include <string.h>

#include "kernels.h"
#include "optim/lbfgsmem.h"

/* Keep a pair only if s'y > CURV_EPS |s| |y|. */
#define CURV_EPS 1e-10

size_t slope_lbfgs_doubles(size_t n, size_t m) {
  return 2 * (m + 1) * (n + 1);
}

void slope_lbfgs_init(slope_lbfgs_memory *M, size_t n, size_t m,
                      double *storage) {
  M->n = n;
  M->m = m;
  M->S = storage;
  M->Y = M->S + (m + 1) * n;
  M->rho = M->Y + (m + 1) * n;
  M->alpha = M->rho + m + 1;
  slope_lbfgs_reset(M);
}

void slope_lbfgs_reset(slope_lbfgs_memory *M) {
  M->count = M->next = 0;
  M->gamma = 1;
  M->scaled = 0;
}

double *slope_lbfgs_s(slope_lbfgs_memory *M) {
  return M->S + M->next * M->n;
}

double *slope_lbfgs_y(slope_lbfgs_memory *M) {
  return M->Y + M->next * M->n;
}

int slope_lbfgs_keep(slope_lbfgs_memory *M) {
  double sy, yy, ss;
  slope_dot3(slope_lbfgs_s(M), slope_lbfgs_y(M), M->n, &sy, &yy, &ss);
  if (!(sy > CURV_EPS * sqrt(ss * yy)))
    return 0;
  M->rho[M->next] = 1 / sy;
  M->gamma = sy / yy;
  M->scaled = 1;
  M->next = (M->next + 1) % (M->m + 1);
  if (M->count < M->m)
    M->count++;
  return 1;
}

double slope_lbfgs_direction(slope_lbfgs_memory *M, const double *g,
                             double *d) {
  size_t i, n = M->n, slots = M->m + 1, c = M->count, j;
  const double *from = g;  /* d = g, folded into the first update */
  double dot;
#define SLOT(j) ((M->next + slots - 1 - (j)) % slots)  /* j-th newest */
  if (c == 0) {  /* d = -gamma g */
    for (i = 0; i < n; i++) d[i] = -(M->gamma * g[i]);
    return slope_dot(g, d, n);
  }
  dot = slope_dot(M->S + SLOT(0) * n, g, n);
  for (j = 0; j < c; j++) {  /* newest to oldest; the last scales by gamma */
    size_t r = SLOT(j);
    double a = M->alpha[r] = M->rho[r] * dot;
    const double *next = j + 1 < c ? M->S + SLOT(j + 1) * n
                                   : M->Y + SLOT(c - 1) * n;
    dot = slope_axpy_dot(-a, M->Y + r * n, from, j + 1 < c ? 1 : M->gamma,
                         d, next, n);
    from = d;
  }
  for (j = c; j-- > 0;) {  /* oldest to newest; the last negates */
    size_t r = SLOT(j);
    double b = M->rho[r] * dot;
    dot = slope_axpy_dot(M->alpha[r] - b, M->S + r * n, d, j > 0 ? 1 : -1, d,
                         j > 0 ? M->Y + SLOT(j - 1) * n : g, n);
  }
#undef SLOT
  return dot;
}
