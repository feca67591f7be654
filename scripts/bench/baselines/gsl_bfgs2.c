/*
** gsl_bfgs2.c: the GSL baseline of scripts/bench/solvers: extended
** Rosenbrock from the standard start (-1.2, 1, -1.2, 1, ...) minimised by
** gsl_multimin_fdfminimizer_vector_bfgs2 with an analytic gradient, until
** gsl_multimin_test_gradient says |g|_2 < GTOL.  Built with
** cc -O2 gsl_bfgs2.c -lgsl -lgslcblas -lm and driven through a line
** protocol:
**   setup rosen N             ->  ok n=N
**   run bfgs2 STEP TOL GTOL   ->  ok k=v ... | error MESSAGE
**   quit
** A run allocates the minimiser, sets it at x0 (first step STEP, line
** search tolerance TOL) and iterates; it reports iterations, the calls of
** the loss (f alone, gradient alone, both), the time spent inside those
** calls and the whole run's time (both CLOCK_MONOTONIC), f and |g|.
*/
#define _POSIX_C_SOURCE 200809L /* clock_gettime */

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <gsl/gsl_blas.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_multimin.h>

#define MAXITER 1000000

typedef struct {
  size_t n;
  long nf, ndf, nfdf;
  double tloss;
} problem;

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* Extended Rosenbrock: the sum over pairs (a, b) of
   100 (b - a^2)^2 + (1 - a)^2, and its gradient. */
static double rosen_f(const gsl_vector *v, void *params) {
  problem *p = (problem *)params;
  const double *x = v->data;
  double f = 0, t0 = now();
  size_t i;
  for (i = 0; i < p->n; i += 2) {
    double a = x[i], b = x[i + 1], t = b - a * a, u = 1 - a;
    f += 100 * t * t + u * u;
  }
  p->nf++;
  p->tloss += now() - t0;
  return f;
}

static void rosen_df(const gsl_vector *v, void *params, gsl_vector *gv) {
  problem *p = (problem *)params;
  const double *x = v->data;
  double *g = gv->data, t0 = now();
  size_t i;
  for (i = 0; i < p->n; i += 2) {
    double a = x[i], b = x[i + 1], t = b - a * a;
    g[i] = -400 * t * a - 2 * (1 - a);
    g[i + 1] = 200 * t;
  }
  p->ndf++;
  p->tloss += now() - t0;
}

static void rosen_fdf(const gsl_vector *v, void *params, double *f,
                      gsl_vector *gv) {
  problem *p = (problem *)params;
  const double *x = v->data;
  double *g = gv->data, s = 0, t0 = now();
  size_t i;
  for (i = 0; i < p->n; i += 2) {
    double a = x[i], b = x[i + 1], t = b - a * a, u = 1 - a;
    s += 100 * t * t + u * u;
    g[i] = -400 * t * a - 2 * u;
    g[i + 1] = 200 * t;
  }
  *f = s;
  p->nfdf++;
  p->tloss += now() - t0;
}

/* One minimisation from the standard start; prints the reply line. */
static void run(problem *p, double step, double tol, double gtol) {
  const gsl_multimin_fdfminimizer_type *T =
      gsl_multimin_fdfminimizer_vector_bfgs2;
  gsl_multimin_fdfminimizer *s;
  gsl_multimin_function_fdf fdf;
  gsl_vector *x;
  double t0 = now(), gnorm;
  long iter = 0;
  int status = GSL_CONTINUE;
  size_t i;
  p->nf = p->ndf = p->nfdf = 0;
  p->tloss = 0;
  fdf.n = p->n;
  fdf.f = rosen_f;
  fdf.df = rosen_df;
  fdf.fdf = rosen_fdf;
  fdf.params = p;
  x = gsl_vector_alloc(p->n);
  s = gsl_multimin_fdfminimizer_alloc(T, p->n);
  if (x == NULL || s == NULL) {
    puts("error out of memory");
    return;
  }
  for (i = 0; i < p->n; i++)
    gsl_vector_set(x, i, i % 2 == 0 ? -1.2 : 1.0);
  gsl_multimin_fdfminimizer_set(s, &fdf, x, step, tol);
  while (iter < MAXITER) {
    if (gsl_multimin_test_gradient(s->gradient, gtol) == GSL_SUCCESS) {
      status = GSL_SUCCESS;
      break;
    }
    iter++;
    status = gsl_multimin_fdfminimizer_iterate(s);
    if (status != GSL_SUCCESS)
      break;
    status = GSL_CONTINUE;
  }
  gnorm = gsl_blas_dnrm2(s->gradient);
  printf("ok iterations=%ld nf=%ld ndf=%ld nfdf=%ld calls=%ld loss=%.9g "
         "wall=%.9g f=%.17g gnorm=%.17g status=%s\n",
         iter, p->nf, p->ndf, p->nfdf, p->nf + p->ndf + p->nfdf, p->tloss,
         now() - t0, s->f, gnorm,
         status == GSL_SUCCESS ? "converged"
         : status == GSL_CONTINUE ? "maxiter" : gsl_strerror(status));
  gsl_multimin_fdfminimizer_free(s);
  gsl_vector_free(x);
}

int main(void) {
  char line[256], what[64];
  problem p = {0, 0, 0, 0, 0};
  double step, tol, gtol;
  long n;
  gsl_set_error_handler_off();
  setvbuf(stdout, NULL, _IOLBF, 0);
  while (fgets(line, sizeof line, stdin) != NULL) {
    if (sscanf(line, "setup rosen %ld", &n) == 1 && n > 0 && n % 2 == 0) {
      p.n = (size_t)n;
      printf("ok n=%ld\n", n);
    }
    else if (sscanf(line, "run %63s %lf %lf %lf", what, &step, &tol,
                    &gtol) == 4 && strcmp(what, "bfgs2") == 0) {
      if (p.n == 0)
        puts("error no problem set up");
      else
        run(&p, step, tol, gtol);
    }
    else if (strncmp(line, "quit", 4) == 0)
      break;
    else
      puts("error unknown command");
  }
  return 0;
}
