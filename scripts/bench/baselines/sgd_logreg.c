/*
** sgd_logreg.c: the hand-written C baseline of scripts/bench/solvers'
** minibatch case: one epoch of logistic regression, the loss
** (1/B) sum_i softplus(-y_i X_i.w) over each batch, on the synthetic data
** of problems.h (the same N x d matrix and labels as problems.lua draws for
** slope), with plain SGD or Adam (beta1 0.9, beta2 0.999, eps 1e-8, bias
** corrected, as slope's adam).  The epoch visits the rows in a
** Fisher-Yates shuffle drawn from the LCG of problems.h seeded with SEED
** (not slope's generator: the shuffling scheme is not meant to match), in
** batches of B rows (the last one smaller when B does not divide N); each
** step computes the batch's analytic gradient over its row indices and
** updates w.  Built with cc -O2 sgd_logreg.c -lm and driven through a line
** protocol:
**   setup logreg N D              ->  ok n=N d=D
**   run gd|adam LR BATCH SEED     ->  ok steps=.. wall=.. | error ...
**   loss                          ->  ok loss=..
**   quit
** wall is the epoch's time (CLOCK_MONOTONIC, shuffle included); "loss"
** gives the full-data loss at the final w (asked separately, so that the
** driver's wall time of "run" is the epoch's), to check that both sides
** learn alike.
*/
#define _POSIX_C_SOURCE 200809L /* clock_gettime */

#include <math.h>

#include "problems.h"

typedef struct {
  long N, d;
  double *X, *y;
  double *w, *g, *m, *v;
  long *perm;
} data;

static void *xalloc(size_t n, size_t size) {
  void *p = calloc(n, size);
  if (p == NULL) {
    fputs("sgd_logreg: out of memory\n", stderr);
    exit(1);
  }
  return p;
}

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* softplus(t) = log(1 + e^t), without overflow */
static double softplus(double t) {
  return (t > 0 ? t : 0) + log1p(exp(-fabs(t)));
}

static double full_loss(const data *D) {
  double s = 0;
  long i, j;
  for (i = 0; i < D->N; i++) {
    const double *row = D->X + i * D->d;
    double z = 0;
    for (j = 0; j < D->d; j++) z += row[j] * D->w[j];
    s += softplus(-D->y[i] * z);
  }
  return s / (double)D->N;
}

/* The gradient of the batch's mean loss, rows perm[first .. first+B-1]. */
static void batch_grad(const data *D, long first, long B) {
  long k, j, d = D->d;
  for (j = 0; j < d; j++) D->g[j] = 0;
  for (k = first; k < first + B; k++) {
    long i = D->perm[k];
    const double *row = D->X + i * d;
    double z = 0, s;
    for (j = 0; j < d; j++) z += row[j] * D->w[j];
    /* d/dz softplus(-y z) = -y / (1 + e^{y z}) */
    s = -D->y[i] / (1 + exp(D->y[i] * z));
    for (j = 0; j < d; j++) D->g[j] += s * row[j];
  }
  for (j = 0; j < d; j++) D->g[j] /= (double)B;
}

static void epoch(data *D, int adam, double lr, long B, unsigned seed) {
  bench_lcg u = {seed};
  const double b1 = 0.9, b2 = 0.999, eps = 1e-8;
  double t0 = now(), wall;
  long i, j, first, steps = 0, d = D->d;
  for (j = 0; j < d; j++) D->w[j] = D->m[j] = D->v[j] = 0;
  for (i = 0; i < D->N; i++) D->perm[i] = i;
  for (i = D->N - 1; i > 0; i--) {
    long k = (long)(bench_uniform(&u) * (double)(i + 1)), t = D->perm[i];
    D->perm[i] = D->perm[k];
    D->perm[k] = t;
  }
  for (first = 0; first < D->N; first += B) {
    long b = first + B <= D->N ? B : D->N - first;
    batch_grad(D, first, b);
    steps++;
    if (adam) {
      double c1 = 1 - pow(b1, (double)steps), c2 = 1 - pow(b2, (double)steps);
      for (j = 0; j < d; j++) {
        D->m[j] = b1 * D->m[j] + (1 - b1) * D->g[j];
        D->v[j] = b2 * D->v[j] + (1 - b2) * D->g[j] * D->g[j];
        D->w[j] -= lr * (D->m[j] / c1) / (sqrt(D->v[j] / c2) + eps);
      }
    }
    else
      for (j = 0; j < d; j++) D->w[j] -= lr * D->g[j];
  }
  wall = now() - t0;
  printf("ok steps=%ld wall=%.9g\n", steps, wall);
}

int main(void) {
  char line[256], method[32];
  data D = {0, 0, NULL, NULL, NULL, NULL, NULL, NULL, NULL};
  double lr;
  long N, d, B;
  unsigned seed;
  setvbuf(stdout, NULL, _IOLBF, 0);
  while (fgets(line, sizeof line, stdin) != NULL) {
    if (sscanf(line, "setup logreg %ld %ld", &N, &d) == 2 && N > 0 && d > 0) {
      free(D.X); free(D.y); free(D.w); free(D.g); free(D.m); free(D.v);
      free(D.perm);
      D.N = N;
      D.d = d;
      D.X = xalloc((size_t)(N * d), sizeof(double));
      D.y = xalloc((size_t)N, sizeof(double));
      D.w = xalloc((size_t)d, sizeof(double));
      D.g = xalloc((size_t)d, sizeof(double));
      D.m = xalloc((size_t)d, sizeof(double));
      D.v = xalloc((size_t)d, sizeof(double));
      D.perm = xalloc((size_t)N, sizeof(long));
      bench_logreg_data(N, d, D.X, D.y);
      printf("ok n=%ld d=%ld\n", N, d);
    }
    else if (sscanf(line, "run %31s %lf %ld %u", method, &lr, &B, &seed) ==
             4) {
      if (D.X == NULL || B <= 0)
        puts("error no data set up");
      else if (strcmp(method, "gd") == 0 || strcmp(method, "adam") == 0)
        epoch(&D, method[0] == 'a', lr, B, seed);
      else
        puts("error unknown method");
    }
    else if (strncmp(line, "loss", 4) == 0 && D.X != NULL)
      printf("ok loss=%.17g\n", full_loss(&D));
    else if (strncmp(line, "quit", 4) == 0)
      break;
    else
      puts("error unknown command");
  }
  return 0;
}
