/*
** adolc.cpp: the ADOL-C peer of the differentiation benchmark.  The same
** functions as handwritten.c are taped once with adoubles (trace_on /
** trace_off, buffers sized so the tape stays in memory), then timed through
** ADOL-C's drivers: function() for the value, gradient() (a zero-order
** forward and a first-order reverse sweep, so value and gradient) and
** hess_vec() for the Hessian-vector product.  "trace" re-tapes.  Built by
** scripts/bench/ad with g++ -O2 ... -ladolc; same line protocol as
** handwritten.c.
*/
#include <adolc/adolc.h>

#include <cmath>
#include <vector>

#include "problems.h"

namespace {

const short TAG = 1;

struct problem {
  int kind = 0; /* 0 none, 1 rosen, 2 logreg */
  long n = 0, N = 0, d = 0;
  std::vector<double> x, v, g, hv, X, y;
};

volatile double sink;

/* Tapes f at p.x; returns the number of taped operations. */
size_t tape(const problem &p) {
  long n = p.kind == 1 ? p.n : p.d;
  /* Generous buffers (elements): the tape must not spill to files. */
  size_t ops = p.kind == 1 ? (size_t)p.n * 8 : (size_t)(p.N * (2 * p.d + 8));
  unsigned big = (unsigned)(ops + 65536);
  trace_on(TAG, 0, big, 4 * big, big, 2 * big);
  {
    std::vector<adouble> x((size_t)n);
    adouble f = 0;
    double fv;
    for (long i = 0; i < n; i++)
      x[i] <<= p.x[i];
    if (p.kind == 1) {
      for (long i = 0; i < n; i += 2) {
        adouble t = x[i + 1] - x[i] * x[i];
        adouble u = 1 - x[i];
        f = f + 100 * t * t + u * u;
      }
    } else {
      for (long i = 0; i < p.N; i++) {
        const double *xi = &p.X[i * p.d];
        adouble z = 0;
        for (long j = 0; j < p.d; j++)
          z += xi[j] * x[j];
        adouble m = -p.y[i] * z;
        f += log(1 + exp(m));
      }
      f = f / (double)p.N;
    }
    f >>= fv;
  }
  trace_off();
  size_t stats[STAT_SIZE];
  tapestats(TAG, stats);
  if (stats[OP_FILE_ACCESS] || stats[LOC_FILE_ACCESS] ||
      stats[VAL_FILE_ACCESS])
    fputs("adolc: warning: the tape spilled to files\n", stderr);
  return stats[NUM_OPERATIONS];
}

enum { OP_NONE, OP_VALUE, OP_VALGRAD, OP_HVP, OP_TRACE };

int opcode(const problem &p, const char *op) {
  if (p.kind == 0)
    return OP_NONE;
  if (strcmp(op, "value") == 0)
    return OP_VALUE;
  /* gradient() returns the value too: it is ADOL-C's value+gradient and its
     gradient alike. */
  if (strcmp(op, "valgrad") == 0 || strcmp(op, "grad") == 0)
    return OP_VALGRAD;
  if (strcmp(op, "hvp") == 0)
    return OP_HVP;
  if (strcmp(op, "trace") == 0)
    return OP_TRACE;
  return OP_NONE;
}

void run(problem &p, int op) {
  int n = (int)(p.kind == 1 ? p.n : p.d);
  double f;
  switch (op) {
  case OP_VALUE:
    function(TAG, 1, n, p.x.data(), &f);
    sink = f;
    break;
  case OP_VALGRAD:
    gradient(TAG, n, p.x.data(), p.g.data());
    sink = p.g[0];
    break;
  case OP_HVP:
    hess_vec(TAG, n, p.x.data(), p.v.data(), p.hv.data());
    sink = p.hv[0];
    break;
  case OP_TRACE:
    sink = (double)tape(p);
    break;
  }
}

void setup(problem &p) {
  long n = p.kind == 1 ? p.n : p.d;
  double t0 = bench_clock();
  size_t ops = tape(p);
  double t1 = bench_clock(), f;
  run(p, OP_VALGRAD);
  double gf = bench_fold(n, p.g.data());
  run(p, OP_HVP);
  double hf = bench_fold(n, p.hv.data());
  function(TAG, 1, (int)n, p.x.data(), &f);
  printf("ok f=%.17g g=%.17g hv=%.17g nodes=%zu trace=%.9g\n", f, gf, hf, ops,
         t1 - t0);
}

} // namespace

int main() {
  char line[256], op[64];
  problem p;
  while (fgets(line, sizeof line, stdin) != NULL) {
    long a = 0, b = 0;
    if (sscanf(line, "setup rosen %ld", &a) == 1) {
      p = problem();
      p.kind = 1;
      p.n = a;
      p.x.resize(a);
      p.v.resize(a);
      p.g.resize(a);
      p.hv.resize(a);
      bench_rosen_point(a, p.x.data());
      bench_direction(a, p.v.data());
      setup(p);
    } else if (sscanf(line, "setup logreg %ld %ld", &a, &b) == 2) {
      p = problem();
      p.kind = 2;
      p.N = a;
      p.d = b;
      p.X.resize(a * b);
      p.y.resize(a);
      p.x.resize(b);
      p.v.resize(b);
      p.g.resize(b);
      p.hv.resize(b);
      bench_logreg_data(a, b, p.X.data(), p.y.data());
      bench_logreg_point(b, p.x.data());
      bench_direction(b, p.v.data());
      setup(p);
    } else if (strncmp(line, "setup", 5) == 0) {
      p = problem();
      printf("skip not an ADOL-C problem\n");
    } else if (sscanf(line, "time %63s %ld", op, &a) == 2) {
      int code = opcode(p, op);
      if (code == OP_NONE) {
        printf("na\n");
      } else {
        double t0 = bench_clock();
        for (long k = 0; k < a; k++)
          run(p, code);
        printf("t %.9g\n", (bench_clock() - t0) / (double)a);
      }
    } else if (strncmp(line, "free", 4) == 0) {
      if (p.kind != 0)
        removeTape(TAG, ADOLC_REMOVE_FROM_CORE);
      p = problem();
      printf("ok\n");
    } else if (strncmp(line, "quit", 4) == 0)
      break;
    else
      printf("error unknown command\n");
    fflush(stdout);
  }
  return 0;
}
