/*
** handwritten.c: the hand-written C baseline of the differentiation
** benchmark: extended Rosenbrock and the logistic-regression loss with
** analytic gradients (fused with the value, as one would write them) and
** analytic Hessian-vector products.  Built by scripts/bench/ad with
** cc -O2 and driven through the line protocol described there:
**   setup rosen N | setup logreg N D  ->  ok k=v ... | skip WHY
**   time OP REPS   ->  t SECONDS-PER-CALL | na
**   free | quit
*/
#define _POSIX_C_SOURCE 200809L /* clock_gettime */

#include <math.h>

#include "problems.h"

typedef struct {
  int kind; /* 0 none, 1 rosen, 2 logreg */
  long n, N, d;
  double *x, *v, *g, *hv, *X, *y;
} problem;

static volatile double sink; /* keeps the optimiser from dropping work */

static void *xalloc(size_t n) {
  void *p = calloc(n, sizeof(double));
  if (p == NULL) {
    fputs("handwritten: out of memory\n", stderr);
    exit(1);
  }
  return p;
}

/* Extended Rosenbrock: the sum over pairs (a, b) of
   100 (b - a^2)^2 + (1 - a)^2. */
static double rosen_value(const problem *p) {
  const double *x = p->x;
  double f = 0;
  long i;
  for (i = 0; i < p->n; i += 2) {
    double a = x[i], b = x[i + 1], t = b - a * a, u = 1 - a;
    f = f + 100 * t * t + u * u; /* associated as the Lua source */
  }
  return f;
}

static double rosen_valgrad(const problem *p, double *g) {
  const double *x = p->x;
  double f = 0;
  long i;
  for (i = 0; i < p->n; i += 2) {
    double a = x[i], b = x[i + 1], t = b - a * a, u = 1 - a;
    f = f + 100 * t * t + u * u; /* associated as the Lua source */
    g[i] = -400 * t * a - 2 * u;
    g[i + 1] = 200 * t;
  }
  return f;
}

static void rosen_grad(const problem *p, double *g) {
  const double *x = p->x;
  long i;
  for (i = 0; i < p->n; i += 2) {
    double a = x[i], b = x[i + 1], t = b - a * a;
    g[i] = -400 * t * a - 2 * (1 - a);
    g[i + 1] = 200 * t;
  }
}

/* The Hessian is block diagonal: [1200a^2 - 400b + 2, -400a; -400a, 200]. */
static void rosen_hvp(const problem *p, double *hv) {
  const double *x = p->x, *v = p->v;
  long i;
  for (i = 0; i < p->n; i += 2) {
    double a = x[i], b = x[i + 1];
    double haa = 1200 * a * a - 400 * b + 2, hab = -400 * a;
    hv[i] = haa * v[i] + hab * v[i + 1];
    hv[i + 1] = hab * v[i] + 200 * v[i + 1];
  }
}

/* Logistic regression: (1/N) sum_i softplus(-y_i x_i.w), y_i = +-1. */
static double dot(const double *a, const double *b, long d) {
  double s = 0;
  long j;
  for (j = 0; j < d; j++)
    s += a[j] * b[j];
  return s;
}

static double softplus(double t) {
  return t > 0 ? t + log1p(exp(-t)) : log1p(exp(t));
}

static double logreg_value(const problem *p) {
  double f = 0;
  long i;
  for (i = 0; i < p->N; i++)
    f += softplus(-p->y[i] * dot(p->X + i * p->d, p->x, p->d));
  return f / (double)p->N;
}

/* One exp per sample gives both softplus(m) and its derivative sigma(m). */
static double logreg_valgrad(const problem *p, double *g) {
  long i, j, d = p->d;
  double f = 0, scale = 1 / (double)p->N;
  memset(g, 0, (size_t)d * sizeof *g);
  for (i = 0; i < p->N; i++) {
    const double *xi = p->X + i * d;
    double m = -p->y[i] * dot(xi, p->x, d);
    double e = exp(-fabs(m));
    double sig = m >= 0 ? 1 / (1 + e) : e / (1 + e);
    double c = -p->y[i] * sig;
    f += (m > 0 ? m : 0) + log1p(e);
    for (j = 0; j < d; j++)
      g[j] += c * xi[j];
  }
  for (j = 0; j < d; j++)
    g[j] *= scale;
  return f * scale;
}

static void logreg_grad(const problem *p, double *g) {
  long i, j, d = p->d;
  double scale = 1 / (double)p->N;
  memset(g, 0, (size_t)d * sizeof *g);
  for (i = 0; i < p->N; i++) {
    const double *xi = p->X + i * d;
    double m = -p->y[i] * dot(xi, p->x, d);
    double c = -p->y[i] / (1 + exp(-m));
    for (j = 0; j < d; j++)
      g[j] += c * xi[j];
  }
  for (j = 0; j < d; j++)
    g[j] *= scale;
}

/* H v = (1/N) sum_i sigma'(m_i) (x_i.v) x_i. */
static void logreg_hvp(const problem *p, double *hv) {
  long i, j, d = p->d;
  double scale = 1 / (double)p->N;
  memset(hv, 0, (size_t)d * sizeof *hv);
  for (i = 0; i < p->N; i++) {
    const double *xi = p->X + i * d;
    double m = -p->y[i] * dot(xi, p->x, d);
    double sig = 1 / (1 + exp(-m));
    double c = sig * (1 - sig) * dot(xi, p->v, d);
    for (j = 0; j < d; j++)
      hv[j] += c * xi[j];
  }
  for (j = 0; j < d; j++)
    hv[j] *= scale;
}

static long nvars(const problem *p) {
  return p->kind == 1 ? p->n : p->d;
}

enum { OP_NONE, OP_VALUE, OP_VALGRAD, OP_GRAD, OP_HVP };

static int opcode(const problem *p, const char *op) {
  if (p->kind == 0)
    return OP_NONE;
  if (strcmp(op, "value") == 0)
    return OP_VALUE;
  if (strcmp(op, "valgrad") == 0)
    return OP_VALGRAD;
  if (strcmp(op, "grad") == 0)
    return OP_GRAD;
  if (strcmp(op, "hvp") == 0)
    return OP_HVP;
  return OP_NONE;
}

/* Runs one call of an operation. */
static void run(const problem *p, int op) {
  int rosen = p->kind == 1;
  switch (op) {
  case OP_VALUE:
    sink = rosen ? rosen_value(p) : logreg_value(p);
    break;
  case OP_VALGRAD:
    sink = rosen ? rosen_valgrad(p, p->g) : logreg_valgrad(p, p->g);
    break;
  case OP_GRAD:
    if (rosen)
      rosen_grad(p, p->g);
    else
      logreg_grad(p, p->g);
    sink = p->g[0];
    break;
  case OP_HVP:
    if (rosen)
      rosen_hvp(p, p->hv);
    else
      logreg_hvp(p, p->hv);
    sink = p->hv[0];
    break;
  }
}

static void release(problem *p) {
  free(p->x);
  free(p->v);
  free(p->g);
  free(p->hv);
  free(p->X);
  free(p->y);
  memset(p, 0, sizeof *p);
}

/* Reports the value, the folded gradient and the folded Hessian-vector
   product: the numbers the driver compares across implementations. */
static void report(problem *p) {
  double f, gf, hf;
  long n = nvars(p);
  run(p, OP_GRAD);
  gf = bench_fold(n, p->g);
  f = p->kind == 1 ? rosen_valgrad(p, p->g) : logreg_valgrad(p, p->g);
  if (fabs(bench_fold(n, p->g) - gf) > 1e-12 * (1 + fabs(gf))) {
    printf("error fused and plain gradients disagree\n");
    return;
  }
  run(p, OP_HVP);
  hf = bench_fold(n, p->hv);
  printf("ok f=%.17g g=%.17g hv=%.17g\n", f, gf, hf);
}

int main(void) {
  char line[256], op[64];
  problem p;
  memset(&p, 0, sizeof p);
  while (fgets(line, sizeof line, stdin) != NULL) {
    long a = 0, b = 0;
    if (sscanf(line, "setup rosen %ld", &a) == 1) {
      release(&p);
      p.kind = 1;
      p.n = a;
      p.x = xalloc((size_t)a);
      p.v = xalloc((size_t)a);
      p.g = xalloc((size_t)a);
      p.hv = xalloc((size_t)a);
      bench_rosen_point(a, p.x);
      bench_direction(a, p.v);
      report(&p);
    } else if (sscanf(line, "setup logreg %ld %ld", &a, &b) == 2) {
      release(&p);
      p.kind = 2;
      p.N = a;
      p.d = b;
      p.X = xalloc((size_t)(a * b));
      p.y = xalloc((size_t)a);
      p.x = xalloc((size_t)b);
      p.v = xalloc((size_t)b);
      p.g = xalloc((size_t)b);
      p.hv = xalloc((size_t)b);
      bench_logreg_data(a, b, p.X, p.y);
      bench_logreg_point(b, p.x);
      bench_direction(b, p.v);
      report(&p);
    } else if (strncmp(line, "setup", 5) == 0) {
      release(&p);
      printf("skip not a C problem\n");
    } else if (sscanf(line, "time %63s %ld", op, &a) == 2) {
      int code = opcode(&p, op);
      double t0, t1;
      long k;
      if (code == OP_NONE) {
        printf("na\n");
      } else {
        t0 = bench_clock();
        for (k = 0; k < a; k++)
          run(&p, code);
        t1 = bench_clock();
        printf("t %.9g\n", (t1 - t0) / (double)a);
      }
    } else if (strncmp(line, "free", 4) == 0) {
      release(&p);
      printf("ok\n");
    } else if (strncmp(line, "quit", 4) == 0)
      break;
    else
      printf("error unknown command\n");
    fflush(stdout);
  }
  release(&p);
  return 0;
}
