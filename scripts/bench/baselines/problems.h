/*
** problems.h: the benchmark's problems and data for the C and C++ peers.
** Every implementation builds the same points and the same synthetic data
** with the same formulas, in the same order, from the same 64-bit LCG
** (problems.lua is the Lua twin of this file), so they all compute the same
** numbers and the driver can compare their results digit for digit.
*/
#ifndef BENCH_PROBLEMS_H
#define BENCH_PROBLEMS_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define LOGREG_SEED 20240607u

/* Knuth's MMIX LCG; the top 53 bits give a double in [0, 1). */
typedef struct {
  uint64_t s;
} bench_lcg;

static double bench_uniform(bench_lcg *g) {
  g->s = g->s * 6364136223846793005u + 1442695040888963407u;
  return (double)(g->s >> 11) * (1.0 / 9007199254740992.0);
}

/* The point where extended Rosenbrock is evaluated: the standard start
   (-1.2, 1, -1.2, 1, ...) shifted a little so no two pairs are equal. */
static void bench_rosen_point(long n, double *x) {
  long i;
  for (i = 1; i <= n; i++)
    x[i - 1] = (i % 2 == 1 ? -1.2 : 1.0) + 0.01 * (double)(i % 17) / 17;
}

/* The direction of every Hessian-vector product. */
static void bench_direction(long n, double *v) {
  long i;
  for (i = 1; i <= n; i++)
    v[i - 1] = 1 - (double)(i % 13) / 6.5;
}

/* The weights that fold a gradient into one number for the cross-check. */
static double bench_fold(long n, const double *g) {
  double s = 0;
  long i;
  for (i = 1; i <= n; i++)
    s += (1 + (double)(i % 7) / 7) * g[i - 1];
  return s;
}

/* The logistic-regression point w. */
static void bench_logreg_point(long d, double *w) {
  long j;
  for (j = 1; j <= d; j++)
    w[j - 1] = 0.05 * (double)(j % 7) - 0.15;
}

/* Synthetic data: X (N x d, row-major) uniform in [-1, 1), labels y = +-1
   from a hidden linear model plus uniform noise.  Draw order: the d hidden
   weights, then per sample its d features and one noise value. */
static void bench_logreg_data(long N, long d, double *X, double *y) {
  bench_lcg g = {LOGREG_SEED};
  double *wtrue = (double *)malloc((size_t)d * sizeof *wtrue);
  long i, j;
  if (wtrue == NULL) {
    fputs("out of memory\n", stderr);
    exit(1);
  }
  for (j = 0; j < d; j++)
    wtrue[j] = 2 * bench_uniform(&g) - 1;
  for (i = 0; i < N; i++) {
    double s = 0;
    for (j = 0; j < d; j++) {
      X[i * d + j] = 2 * bench_uniform(&g) - 1;
      s += X[i * d + j] * wtrue[j];
    }
    s += 0.5 * (2 * bench_uniform(&g) - 1);
    y[i] = s >= 0 ? 1 : -1;
  }
  free(wtrue);
}

/* Process CPU time in seconds: what os.clock measures on the Lua side. */
static double bench_clock(void) {
  struct timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

#endif
