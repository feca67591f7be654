/*
** tape.c: the sweeps over a recorded tape. Each sweep is one loop over
** contiguous arrays with a switch on the op; nothing is allocated and
** nothing is called but libm. NaN and Inf propagate as IEEE arithmetic
** makes them; at points where a derivative does not exist the documented
** conventions hold: abs'(0) = 0, max/min ties go to the first argument,
** floor, ceil and the rounded part of % have derivative 0, and d(a^b)/db
** is taken as 0 where a <= 0.
*/
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ad/tape.h"
#include "kernels.h"

static const char *const opnames[TAPE_NOPS] = {
  "input", "const", "param",
  "neg", "sqr", "powk", "exp", "log", "log2", "log10", "sin", "cos", "tan",
  "asin", "acos", "atan", "sqrt", "abs", "floor", "ceil", "tanh", "sinh",
  "cosh", "log1p", "expm1", "logistic", "softplus", "erf",
  "add", "sub", "mul", "div", "pow", "atan2", "max", "min", "mod",
  "addk", "mulk", "ksub", "divk", "kdiv",
  "ifelse", "dot", "dsum", "sum", "lse"
};

const char *tape_opname(int op) {
  return (op >= 0 && op < TAPE_NOPS) ? opnames[op] : "?";
}

double tape_const_value(const tape_node *nd) {
  uint64_t bits = (uint64_t)nd->a | ((uint64_t)nd->b << 32);
  double v;
  memcpy(&v, &bits, sizeof v);
  return v;
}

tape_node tape_const_node(double v) {
  tape_node nd;
  uint64_t bits;
  memcpy(&bits, &v, sizeof v);
  nd.op = TAPE_CONST;
  nd.a = (uint32_t)(bits & 0xffffffffu);
  nd.b = (uint32_t)(bits >> 32);
  return nd;
}

static double logistic(double x) {
  if (x >= 0)
    return 1 / (1 + exp(-x));
  else {
    double e = exp(x);
    return e / (1 + e);
  }
}

static double softplus(double x) {
  return x > 0 ? x + log1p(exp(-x)) : log1p(exp(x));
}

/* Lua's float modulo: the result has the sign of b. */
static double luamod(double a, double b) {
  double m = fmod(a, b);
  if ((m > 0) ? b < 0 : (m < 0 && b != m))
    m += b;
  return m;
}

double tape_unary(int op, double x, double k) {
  switch (op) {
    case TAPE_NEG: return -x;
    case TAPE_SQR: return x * x;
    case TAPE_POWK: return pow(x, k);
    case TAPE_EXP: return exp(x);
    case TAPE_LOG: return log(x);
    case TAPE_LOG2: return log2(x);
    case TAPE_LOG10: return log10(x);
    case TAPE_SIN: return sin(x);
    case TAPE_COS: return cos(x);
    case TAPE_TAN: return tan(x);
    case TAPE_ASIN: return asin(x);
    case TAPE_ACOS: return acos(x);
    case TAPE_ATAN: return atan(x);
    case TAPE_SQRT: return sqrt(x);
    case TAPE_ABS: return fabs(x);
    case TAPE_FLOOR: return floor(x);
    case TAPE_CEIL: return ceil(x);
    case TAPE_TANH: return tanh(x);
    case TAPE_SINH: return sinh(x);
    case TAPE_COSH: return cosh(x);
    case TAPE_LOG1P: return log1p(x);
    case TAPE_EXPM1: return expm1(x);
    case TAPE_LOGISTIC: return logistic(x);
    case TAPE_SOFTPLUS: return softplus(x);
    case TAPE_ERF: return erf(x);
    default: return NAN;
  }
}

double tape_binary(int op, double a, double b) {
  switch (op) {
    case TAPE_ADD: return a + b;
    case TAPE_SUB: return a - b;
    case TAPE_MUL: return a * b;
    case TAPE_DIV: return a / b;
    case TAPE_POW: return pow(a, b);
    case TAPE_ATAN2: return atan2(a, b);
    case TAPE_MAX: return (b > a) ? b : a;   /* as math.max: ties to a */
    case TAPE_MIN: return (b < a) ? b : a;
    case TAPE_MOD: return luamod(a, b);
    case TAPE_ADDK: return a + b;
    case TAPE_MULK: return a * b;
    case TAPE_KSUB: return b - a;
    case TAPE_DIVK: return a / b;
    case TAPE_KDIV: return b / a;
    default: return NAN;
  }
}

/* First and second derivatives of a unary op at x, where y = f(x). */
static void unary_d(int op, double x, double y, double k, double *d1,
                    double *d2) {
  double s, e;
  switch (op) {
    case TAPE_NEG: *d1 = -1; *d2 = 0; break;
    case TAPE_SQR: *d1 = 2 * x; *d2 = 2; break;
    case TAPE_POWK:
      *d1 = k * pow(x, k - 1);
      *d2 = k * (k - 1) * pow(x, k - 2);
      break;
    case TAPE_EXP: *d1 = y; *d2 = y; break;
    case TAPE_LOG: *d1 = 1 / x; *d2 = -1 / (x * x); break;
    case TAPE_LOG2: *d1 = 1 / (x * M_LN2); *d2 = -1 / (x * x * M_LN2); break;
    case TAPE_LOG10:
      *d1 = 1 / (x * M_LN10); *d2 = -1 / (x * x * M_LN10);
      break;
    case TAPE_SIN: *d1 = cos(x); *d2 = -y; break;
    case TAPE_COS: *d1 = -sin(x); *d2 = -y; break;
    case TAPE_TAN: *d1 = 1 + y * y; *d2 = 2 * y * (1 + y * y); break;
    case TAPE_ASIN: case TAPE_ACOS:
      s = 1 - x * x;
      *d1 = 1 / sqrt(s);
      *d2 = x / (s * sqrt(s));
      if (op == TAPE_ACOS) { *d1 = -*d1; *d2 = -*d2; }
      break;
    case TAPE_ATAN:
      s = 1 + x * x;
      *d1 = 1 / s; *d2 = -2 * x / (s * s);
      break;
    case TAPE_SQRT: *d1 = 0.5 / y; *d2 = -0.25 / (x * y); break;
    case TAPE_ABS:
      *d1 = x > 0 ? 1 : x < 0 ? -1 : x == 0 ? 0 : x;  /* NaN stays NaN */
      *d2 = 0;
      break;
    case TAPE_FLOOR: case TAPE_CEIL: *d1 = 0; *d2 = 0; break;
    case TAPE_TANH: *d1 = 1 - y * y; *d2 = -2 * y * (1 - y * y); break;
    case TAPE_SINH: *d1 = cosh(x); *d2 = y; break;
    case TAPE_COSH: *d1 = sinh(x); *d2 = y; break;
    case TAPE_LOG1P:
      s = 1 + x;
      *d1 = 1 / s; *d2 = -1 / (s * s);
      break;
    case TAPE_EXPM1: *d1 = y + 1; *d2 = y + 1; break;
    case TAPE_LOGISTIC:
      *d1 = y * (1 - y); *d2 = y * (1 - y) * (1 - 2 * y);
      break;
    case TAPE_SOFTPLUS:
      s = logistic(x);
      *d1 = s; *d2 = s * (1 - s);
      break;
    case TAPE_ERF:
      e = M_2_SQRTPI * exp(-x * x);
      *d1 = e; *d2 = -2 * x * e;
      break;
    default: *d1 = *d2 = NAN; break;
  }
}

/* Partial derivatives of a binary op at (a, b), y = f(a, b); the second
** ones (daa, dab, dbb) only when d2 is nonzero. */
static void binary_d(int op, double a, double b, double y, double *d,
                     int d2) {
  double r, l, p;
  d[2] = d[3] = d[4] = 0;
  switch (op) {
    case TAPE_ADD: d[0] = 1; d[1] = 1; break;
    case TAPE_SUB: d[0] = 1; d[1] = -1; break;
    case TAPE_MUL: d[0] = b; d[1] = a; d[3] = 1; break;
    case TAPE_DIV:
      d[0] = 1 / b; d[1] = -y / b;
      if (d2) { d[3] = -1 / (b * b); d[4] = 2 * y / (b * b); }
      break;
    case TAPE_POW:
      p = pow(a, b - 1);
      l = a > 0 ? log(a) : 0;
      d[0] = b * p;
      d[1] = a > 0 ? y * l : 0;
      if (d2) {
        d[2] = b * (b - 1) * pow(a, b - 2);
        d[3] = p * (1 + b * l);
        d[4] = d[1] * l;
      }
      break;
    case TAPE_ATAN2:
      r = a * a + b * b;
      d[0] = b / r; d[1] = -a / r;
      if (d2) {
        d[2] = -2 * a * b / (r * r);
        d[3] = (a * a - b * b) / (r * r);
        d[4] = 2 * a * b / (r * r);
      }
      break;
    case TAPE_MAX: d[0] = (b > a) ? 0 : 1; d[1] = 1 - d[0]; break;
    case TAPE_MIN: d[0] = (b < a) ? 0 : 1; d[1] = 1 - d[0]; break;
    case TAPE_MOD: d[0] = 1; d[1] = -(a - y) / b; break;
    /* the constant's partials are never used */
    case TAPE_ADDK: d[0] = 1; d[1] = 0; break;
    case TAPE_MULK: d[0] = b; d[1] = 0; break;
    case TAPE_KSUB: d[0] = -1; d[1] = 0; break;
    case TAPE_DIVK: d[0] = 1 / b; d[1] = 0; break;
    case TAPE_KDIV:
      d[0] = -y / a; d[1] = 0;
      if (d2) d[2] = 2 * y / (a * a);
      break;
    default: d[0] = d[1] = NAN; break;
  }
}

size_t tape_bytes(const tape *t) {
  return t->len * (sizeof(tape_node) + 2 * sizeof(double)) +
         t->m * sizeof(uint32_t) + t->next * sizeof(uint32_t) +
         t->ndata * sizeof(double *) + 2 * t->nzero * sizeof(uint32_t);
}

void tape_free(tape *t) {
  free(t->node); free(t->val); free(t->adj); free(t->tval); free(t->tadj);
  free(t->out); free(t->ext); free((void *)t->data); free(t->zero);
  t->node = NULL; t->val = t->adj = t->tval = t->tadj = NULL;
  t->out = t->ext = t->zero = NULL; t->data = NULL;
  t->len = t->m = t->next = t->ndata = t->nzero = 0;
  t->planned = 0;
}

int tape_reserve_tangents(tape *t, int second) {
  size_t len = t->len ? t->len : 1;
  if (t->tval == NULL && (t->tval = malloc(len * sizeof(double))) == NULL)
    return -1;
  if (second && t->tadj == NULL &&
      (t->tadj = calloc(len, sizeof(double))) == NULL)
    return -1;
  return 0;
}

/* The first write to operand k's adjoint in reverse order: set the bit
** in the node's op; an operand first written by an op that adds (zero
** 2) is listed for zeroing. */
#define TOUCH(k, bit) \
  do { \
    if (!seen[k]) { seen[k] = 1; nd->op |= (bit); } \
  } while (0)
#define TOUCHZ(k) \
  do { \
    if (!seen[k]) seen[k] = 2; \
  } while (0)

int tape_plan(tape *t) {
  unsigned char *seen;
  uint32_t *zero;
  size_t i, j, nz = 0;
  if (t->planned)
    return 0;
  if ((seen = calloc(t->len ? t->len : 1, 1)) == NULL)
    return -1;
  for (i = 0; i < t->m; i++)
    seen[t->out[i]] = 3;  /* zeroed or seeded at the start of a sweep */
  for (i = t->len; i-- > t->n;) {
    tape_node *nd = t->node + i;
    uint32_t op = nd->op, a = nd->a, b = nd->b;
    if (op >= TAPE_UNARY_FIRST && op <= TAPE_UNARY_LAST)
      TOUCH(a, TAPE_SETA);
    else if (op == TAPE_ADDK || op == TAPE_MULK || op == TAPE_KSUB)
      TOUCH(a, TAPE_SETA);
    else if (op >= TAPE_BINARY_FIRST && op <= TAPE_BINARY_LAST) {
      TOUCH(a, TAPE_SETA);  /* a before b, as the sweeps do (a may be b) */
      TOUCH(b, TAPE_SETB);
    }
    else if (op == TAPE_IFELSE) {
      TOUCHZ(t->ext[b]);
      TOUCHZ(t->ext[b + 1]);
    }
    else if (op == TAPE_DOT)
      for (j = 0; j < t->ext[a + 3]; j++) TOUCHZ(t->ext[a + 2] + j);
    else if (op == TAPE_SUM)
      for (j = 0; j < b; j++) TOUCHZ(a + j);
    else if (op == TAPE_LSE)
      for (j = 0; j < b; j++) TOUCHZ(t->ext[a + j]);
  }
  /* the ranges of adjoints to zero */
  for (i = 0; i < t->len; i++)
    if (seen[i] == 2 && (i == 0 || seen[i - 1] != 2))
      nz++;
  zero = malloc((nz ? nz : 1) * 2 * sizeof(uint32_t));
  if (zero == NULL) {
    free(seen);
    for (i = 0; i < t->len; i++) t->node[i].op &= TAPE_OPMASK;
    return -1;
  }
  for (i = 0, nz = 0; i < t->len; i++)
    if (seen[i] == 2) {
      if (i == 0 || seen[i - 1] != 2) {
        zero[2 * nz] = (uint32_t)i;
        zero[2 * nz + 1] = 0;
        nz++;
      }
      zero[2 * nz - 1]++;
    }
  free(seen);
  t->zero = zero;
  t->nzero = nz;
  t->planned = 1;
  return 0;
}
#undef TOUCH
#undef TOUCHZ

/* Before a reverse sweep into w (adjoints or second-order adjoints):
** zero what the sweep adds to before it stores, or everything when the
** tape is not planned. */
static void reverse_clear(const tape *t, double *w) {
  size_t j;
  if (!t->planned) {
    memset(w, 0, t->len * sizeof(double));
    return;
  }
  for (j = 0; j < t->nzero; j++)
    memset(w + t->zero[2 * j], 0, t->zero[2 * j + 1] * sizeof(double));
  for (j = 0; j < t->m; j++)
    w[t->out[j]] = 0;
}

/* The branch an ifelse node takes. */
#define IFSEL(t, i) \
  ((t)->val[(t)->node[i].a] > 0 ? (t)->ext[(t)->node[i].b] \
                                : (t)->ext[(t)->node[i].b + 1])

/* The vector kernels of SUM and of the adjoints of DOT and SUM (DOT
** itself is slope_dot), with four partial sums where the adds would
** otherwise wait on one another. */
static double sumk(const double *a, size_t n) {
  double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  size_t j;
  for (j = 0; j + 4 <= n; j += 4) {
    s0 += a[j];
    s1 += a[j + 1];
    s2 += a[j + 2];
    s3 += a[j + 3];
  }
  for (; j < n; j++)
    s0 += a[j];
  return (s0 + s1) + (s2 + s3);
}

/* w += g * d */
static void axpyk(double g, const double *d, double *w, size_t n) {
  size_t j;
  for (j = 0; j + 4 <= n; j += 4) {
    double w0 = w[j] + g * d[j], w1 = w[j + 1] + g * d[j + 1];
    double w2 = w[j + 2] + g * d[j + 2], w3 = w[j + 3] + g * d[j + 3];
    w[j] = w0; w[j + 1] = w1; w[j + 2] = w2; w[j + 3] = w3;
  }
  for (; j < n; j++)
    w[j] += g * d[j];
}

/* Ahead of a reverse sweep's axpyk over a row of data: the rows of a
** matrix come in descending order there, which hardware prefetchers follow
** poorly, so ask for the row before this one (AHEAD rows up; one measured
** best). */
#define AHEAD 1
static void prefetch_before(const double *d, size_t n) {
#if defined(__GNUC__)
  const char *p = (const char *)(d - AHEAD * n);
  const char *end = (const char *)(d - (AHEAD - 1) * n);
  for (; p < end; p += 64)
    __builtin_prefetch(p);
#else
  (void)d; (void)n;
#endif
}

/* w += g */
static void addk(double g, double *w, size_t n) {
  size_t j;
  for (j = 0; j < n; j++)
    w[j] += g;
}

static double lse(const tape *t, const uint32_t *idx, size_t cnt) {
  const double *v = t->val;
  double m = -INFINITY, s = 0;
  size_t j;
  for (j = 0; j < cnt; j++)
    if (v[idx[j]] > m || v[idx[j]] != v[idx[j]])
      m = v[idx[j]];
  if (m != m || m == INFINITY || m == -INFINITY)
    return m;
  for (j = 0; j < cnt; j++)
    s += exp(v[idx[j]] - m);
  return m + log(s);
}
/*
** {======================================================
** The sweeps
** =======================================================
** Each is one loop over the nodes with a dispatch on the op. With GCC and
** Clang every handler jumps straight to the next node's handler (as Lua's
** own VM does), which keeps the branch predictor stable across tapes; other
** compilers get a switch. vmcase(X) opens the handler of op X, vmbreak ends
** it, and every op needs a handler in every sweep (the jump table below).
*/

#if defined(__GNUC__) && !defined(SLOPE_NO_JUMPTABLE)
/* GCC's -Wpedantic objects to labels as values, the point of the exercise */
#pragma GCC diagnostic ignored "-Wpedantic"
#define JUMPTABLE \
  static const void *const jump[TAPE_NOPS] = { \
    &&L_TAPE_INPUT, &&L_TAPE_CONST, &&L_TAPE_PARAM, \
    &&L_TAPE_NEG, &&L_TAPE_SQR, &&L_TAPE_POWK, &&L_TAPE_EXP, &&L_TAPE_LOG, \
    &&L_TAPE_LOG2, &&L_TAPE_LOG10, &&L_TAPE_SIN, &&L_TAPE_COS, \
    &&L_TAPE_TAN, &&L_TAPE_ASIN, &&L_TAPE_ACOS, &&L_TAPE_ATAN, \
    &&L_TAPE_SQRT, &&L_TAPE_ABS, &&L_TAPE_FLOOR, &&L_TAPE_CEIL, \
    &&L_TAPE_TANH, &&L_TAPE_SINH, &&L_TAPE_COSH, &&L_TAPE_LOG1P, \
    &&L_TAPE_EXPM1, &&L_TAPE_LOGISTIC, &&L_TAPE_SOFTPLUS, &&L_TAPE_ERF, \
    &&L_TAPE_ADD, &&L_TAPE_SUB, &&L_TAPE_MUL, &&L_TAPE_DIV, &&L_TAPE_POW, \
    &&L_TAPE_ATAN2, &&L_TAPE_MAX, &&L_TAPE_MIN, &&L_TAPE_MOD, \
    &&L_TAPE_ADDK, &&L_TAPE_MULK, &&L_TAPE_KSUB, &&L_TAPE_DIVK, \
    &&L_TAPE_KDIV, \
    &&L_TAPE_IFELSE, &&L_TAPE_DOT, &&L_TAPE_DSUM, &&L_TAPE_SUM, \
    &&L_TAPE_LSE}
/* The empty asm, different on every line, keeps GCC from merging the
** handlers' tails back into one shared dispatch. */
#define VMSTR(x) #x
#define VMLINE(x) VMSTR(x)
#define vmfetch() \
  do { \
    nd = t->node + i; \
    a = nd->a; \
    b = nd->b; \
    FETCH; \
    __asm__("# vm " VMLINE(__LINE__)); \
    goto *jump[nd->op & TAPE_OPMASK]; \
  } while (0)
#define vmloop(first) \
  i = (first); \
  if (i != stop) { \
    vmfetch();
#define vmdispatch(o)
#define vmcase(l) L_##l:
#define vmbreak \
  do { \
    i STEP; \
    if (i == stop) goto done; \
    vmfetch(); \
  } while (0)
#define vmend \
  done:; \
  }
#else
#define JUMPTABLE
#define vmloop(first) \
  for (i = (first); i != stop; i STEP) { \
    nd = t->node + i; \
    a = nd->a; \
    b = nd->b; \
    FETCH;
#define vmdispatch(o) switch (o)
#define vmcase(l) case l:
#define vmbreak break
#define vmend }
#endif

/* The generic handlers' op lists (each sweep adds DIV where it has no
** handler of its own). */
#define UNARY_OPS \
  vmcase(TAPE_POWK) vmcase(TAPE_EXP) vmcase(TAPE_LOG) vmcase(TAPE_LOG2) \
  vmcase(TAPE_LOG10) vmcase(TAPE_SIN) vmcase(TAPE_COS) vmcase(TAPE_TAN) \
  vmcase(TAPE_ASIN) vmcase(TAPE_ACOS) vmcase(TAPE_ATAN) vmcase(TAPE_SQRT) \
  vmcase(TAPE_ABS) vmcase(TAPE_FLOOR) vmcase(TAPE_CEIL) vmcase(TAPE_TANH) \
  vmcase(TAPE_SINH) vmcase(TAPE_COSH) vmcase(TAPE_LOG1P) vmcase(TAPE_EXPM1) \
  vmcase(TAPE_LOGISTIC) vmcase(TAPE_SOFTPLUS) vmcase(TAPE_ERF)
#define BINARY_OPS \
  vmcase(TAPE_POW) vmcase(TAPE_ATAN2) vmcase(TAPE_MAX) vmcase(TAPE_MIN) \
  vmcase(TAPE_MOD) vmcase(TAPE_DIVK) vmcase(TAPE_KDIV)

/* Nodes per block of the forward sweep: the adjoints of a block are zeroed
** just before its values are computed, while both are in cache. */
#define BLOCK 4096

/* Values of the nodes lo .. hi - 1. */
#define STEP ++
#define FETCH (void)0
static void forward_block(tape *t, size_t lo, size_t hi) {
  const tape_node *nd;
  double *v = t->val;
  size_t i, stop = hi;
  uint32_t a, b;
  JUMPTABLE;
  vmloop(lo)
    vmdispatch(nd->op & TAPE_OPMASK) {
      vmcase(TAPE_INPUT) vmcase(TAPE_CONST) vmbreak;
      vmcase(TAPE_PARAM) v[i] = t->data[a][b]; vmbreak;
      vmcase(TAPE_ADD) vmcase(TAPE_ADDK) v[i] = v[a] + v[b]; vmbreak;
      vmcase(TAPE_SUB) v[i] = v[a] - v[b]; vmbreak;
      vmcase(TAPE_KSUB) v[i] = v[b] - v[a]; vmbreak;
      vmcase(TAPE_MUL) vmcase(TAPE_MULK) v[i] = v[a] * v[b]; vmbreak;
      vmcase(TAPE_DIV) v[i] = v[a] / v[b]; vmbreak;
      vmcase(TAPE_NEG) v[i] = -v[a]; vmbreak;
      vmcase(TAPE_SQR) v[i] = v[a] * v[a]; vmbreak;
      vmcase(TAPE_IFELSE) v[i] = v[IFSEL(t, i)]; vmbreak;
      vmcase(TAPE_DOT) {
        const uint32_t *e = t->ext + a;
        v[i] = slope_dot(t->data[e[0]] + e[1], v + e[2], e[3]);
        vmbreak;
      }
      vmcase(TAPE_DSUM) {
        const uint32_t *e = t->ext + a;
        v[i] = sumk(t->data[e[0]] + e[1], e[2]);
        vmbreak;
      }
      vmcase(TAPE_SUM) v[i] = sumk(v + a, b); vmbreak;
      vmcase(TAPE_LSE) v[i] = lse(t, t->ext + a, b); vmbreak;
      UNARY_OPS
        v[i] = tape_unary((int)(nd->op & TAPE_OPMASK), v[a], v[b]);
        vmbreak;
      BINARY_OPS
        v[i] = tape_binary((int)(nd->op & TAPE_OPMASK), v[a], v[b]);
        vmbreak;
    }
  vmend
}

/* Values of every node; with clear, the adjoints are zeroed on the way
** (one pass over memory instead of two before a reverse sweep). */
static void forward(tape *t, const double *x, int clear) {
  size_t lo, hi;
  clear = clear && !t->planned;  /* a planned reverse sweep needs no zeros */
  memcpy(t->val, x, t->n * sizeof(double));
  for (lo = 0; lo < t->len; lo = hi) {
    hi = t->len - lo > BLOCK ? lo + BLOCK : t->len;
    if (clear)
      memset(t->adj + lo, 0, (hi - lo) * sizeof(double));
    if (hi > t->n)
      forward_block(t, lo > t->n ? lo : t->n, hi);
  }
  t->adjclear = clear;
}

void tape_forward(tape *t, const double *x) {
  forward(t, x, 0);
}

void tape_forward_clear(tape *t, const double *x) {
  forward(t, x, 1);
}

/* The reverse sweep is bound by latency: a node's adjoint is stored, then
** loaded by the node just before it (its operand, as a rule). So what a node
** owes node i - 1 is carried in a register instead (the store to w[i - 1]
** adds zero, which does not wait on the chain); FETCH takes it up and
** stores the complete adjoint for the second-order sweep. */
#define ACC(k, x) \
  do { \
    double x_ = (x); \
    int c_ = (k) == i - 1; \
    carry += c_ ? x_ : 0.0; \
    w[k] += c_ ? 0.0 : x_; \
  } while (0)
/* The same for operand a (bit TAPE_SETA) or b, storing on the first write. */
#define ACCSET(k, x, bit) \
  do { \
    double x_ = (x); \
    int c_ = (k) == i - 1; \
    carry += c_ ? x_ : 0.0; \
    w[k] = ((nd->op & (bit)) ? 0.0 : w[k]) + (c_ ? 0.0 : x_); \
  } while (0)
#define ACCA(x) ACCSET(a, x, TAPE_SETA)
#define ACCB(x) ACCSET(b, x, TAPE_SETB)
#undef STEP
#define STEP --
#undef FETCH
#define FETCH (gi = w[i] + carry, w[i] = gi, carry = 0)
void tape_reverse(tape *t, size_t k, double *g) {
  const tape_node *nd;
  const double *v = t->val;
  double *w = t->adj, d[5], d2, gi, carry = 0;
  size_t i, stop = t->n - 1;
  uint32_t a, b;
  JUMPTABLE;
  if (!t->adjclear)
    reverse_clear(t, w);
  t->adjclear = 0;
  w[t->out[k]] = 1;
  /* i runs from len - 1 down to n; stop is one below (both wrap when n is
  ** 0, as unsigned arithmetic does) */
  vmloop(t->len - 1)
    vmdispatch(nd->op & TAPE_OPMASK) {
      vmcase(TAPE_INPUT) vmcase(TAPE_CONST) vmcase(TAPE_PARAM)
      vmcase(TAPE_DSUM) vmbreak;
      vmcase(TAPE_ADD) ACCA(gi); ACCB(gi); vmbreak;
      vmcase(TAPE_SUB) ACCA(gi); ACCB(-gi); vmbreak;
      vmcase(TAPE_MUL) ACCA(gi * v[b]); ACCB(gi * v[a]); vmbreak;
      vmcase(TAPE_DIV)
        ACCA(gi / v[b]);
        ACCB(-gi * v[i] / v[b]);
        vmbreak;
      vmcase(TAPE_NEG) ACCA(-gi); vmbreak;
      vmcase(TAPE_SQR) ACCA(2 * gi * v[a]); vmbreak;
      vmcase(TAPE_ADDK) ACCA(gi); vmbreak;
      vmcase(TAPE_MULK) ACCA(gi * v[b]); vmbreak;
      vmcase(TAPE_KSUB) ACCA(-gi); vmbreak;
      vmcase(TAPE_IFELSE) ACC(IFSEL(t, i), gi); vmbreak;
      vmcase(TAPE_DOT) {
        const uint32_t *e = t->ext + a;
        const double *row = t->data[e[0]] + e[1];
        if (e[1] >= AHEAD * e[3])
          prefetch_before(row, e[3]);
        axpyk(gi, row, w + e[2], e[3]);
        vmbreak;
      }
      vmcase(TAPE_SUM) addk(gi, w + a, b); vmbreak;
      vmcase(TAPE_LSE) {
        const uint32_t *e = t->ext + a;
        size_t j;
        for (j = 0; j < b; j++) w[e[j]] += gi * exp(v[e[j]] - v[i]);
        vmbreak;
      }
      UNARY_OPS
        unary_d((int)(nd->op & TAPE_OPMASK), v[a], v[i], v[b], d, &d2);
        ACCA(gi * d[0]);
        vmbreak;
      BINARY_OPS
        binary_d((int)(nd->op & TAPE_OPMASK), v[a], v[b], v[i], d, 0);
        ACCA(gi * d[0]);
        ACCB(gi * d[1]);
        vmbreak;
    }
  vmend
  if (t->n > 0)
    w[t->n - 1] += carry;  /* owed to the last input */
  if (g != NULL)
    memcpy(g, w, t->n * sizeof(double));
}
#undef ACC
#undef ACCSET
#undef ACCA
#undef ACCB

#undef STEP
#define STEP ++
#undef FETCH
#define FETCH (void)0
void tape_tangent(tape *t, const double *dir) {
  const tape_node *nd;
  const double *v = t->val;
  double *tv = t->tval, d[5], d2;
  size_t i, stop = t->len;
  uint32_t a, b;
  JUMPTABLE;
  memcpy(tv, dir, t->n * sizeof(double));
  vmloop(t->n)
    vmdispatch(nd->op & TAPE_OPMASK) {
      vmcase(TAPE_INPUT) vmbreak;
      vmcase(TAPE_CONST) vmcase(TAPE_PARAM) vmcase(TAPE_DSUM)
        tv[i] = 0;
        vmbreak;
      vmcase(TAPE_ADD) tv[i] = tv[a] + tv[b]; vmbreak;
      vmcase(TAPE_SUB) tv[i] = tv[a] - tv[b]; vmbreak;
      vmcase(TAPE_MUL) tv[i] = tv[a] * v[b] + v[a] * tv[b]; vmbreak;
      vmcase(TAPE_NEG) tv[i] = -tv[a]; vmbreak;
      vmcase(TAPE_SQR) tv[i] = 2 * v[a] * tv[a]; vmbreak;
      vmcase(TAPE_ADDK) tv[i] = tv[a]; vmbreak;
      vmcase(TAPE_MULK) tv[i] = tv[a] * v[b]; vmbreak;
      vmcase(TAPE_KSUB) tv[i] = -tv[a]; vmbreak;
      vmcase(TAPE_IFELSE) tv[i] = tv[IFSEL(t, i)]; vmbreak;
      vmcase(TAPE_DOT) {
        const uint32_t *e = t->ext + a;
        tv[i] = slope_dot(t->data[e[0]] + e[1], tv + e[2], e[3]);
        vmbreak;
      }
      vmcase(TAPE_SUM) tv[i] = sumk(tv + a, b); vmbreak;
      vmcase(TAPE_LSE) {
        const uint32_t *e = t->ext + a;
        double s = 0;
        size_t j;
        for (j = 0; j < b; j++) s += exp(v[e[j]] - v[i]) * tv[e[j]];
        tv[i] = s;
        vmbreak;
      }
      UNARY_OPS
        unary_d((int)(nd->op & TAPE_OPMASK), v[a], v[i], v[b], d, &d2);
        tv[i] = d[0] * tv[a];
        vmbreak;
      BINARY_OPS vmcase(TAPE_DIV)
        binary_d((int)(nd->op & TAPE_OPMASK), v[a], v[b], v[i], d, 0);
        tv[i] = d[0] * tv[a] + d[1] * tv[b];
        vmbreak;
    }
  vmend
}

#undef STEP
#define STEP --
#undef FETCH
#define FETCH (gi = w[i], ui = u[i])
/* Store or add to operand a's (b's) second-order adjoint, as in
** tape_reverse. */
#define UA(x) (u[a] = ((nd->op & TAPE_SETA) ? 0.0 : u[a]) + (x))
#define UB(x) (u[b] = ((nd->op & TAPE_SETB) ? 0.0 : u[b]) + (x))
void tape_reverse2(tape *t, double *hv) {
  const tape_node *nd;
  const double *v = t->val, *w = t->adj, *tv = t->tval;
  double *u = t->tadj, d[5], d2, gi, ui;
  size_t i, stop = t->n - 1;
  uint32_t a, b;
  JUMPTABLE;
  reverse_clear(t, u);
  vmloop(t->len - 1)
    vmdispatch(nd->op & TAPE_OPMASK) {
      vmcase(TAPE_INPUT) vmcase(TAPE_CONST) vmcase(TAPE_PARAM)
      vmcase(TAPE_DSUM) vmbreak;
      vmcase(TAPE_ADD) UA(ui); UB(ui); vmbreak;
      vmcase(TAPE_SUB) UA(ui); UB(-ui); vmbreak;
      vmcase(TAPE_MUL)
        UA(ui * v[b] + gi * tv[b]);
        UB(ui * v[a] + gi * tv[a]);
        vmbreak;
      vmcase(TAPE_NEG) UA(-ui); vmbreak;
      vmcase(TAPE_SQR) UA(2 * (ui * v[a] + gi * tv[a])); vmbreak;
      vmcase(TAPE_ADDK) UA(ui); vmbreak;
      vmcase(TAPE_MULK) UA(ui * v[b]); vmbreak;
      vmcase(TAPE_KSUB) UA(-ui); vmbreak;
      vmcase(TAPE_IFELSE) u[IFSEL(t, i)] += ui; vmbreak;
      vmcase(TAPE_DOT) {
        const uint32_t *e = t->ext + a;
        axpyk(ui, t->data[e[0]] + e[1], u + e[2], e[3]);
        vmbreak;
      }
      vmcase(TAPE_SUM) addk(ui, u + a, b); vmbreak;
      vmcase(TAPE_LSE) {
        const uint32_t *e = t->ext + a;
        size_t j;
        for (j = 0; j < b; j++) {
          double p = exp(v[e[j]] - v[i]);
          u[e[j]] += ui * p + gi * p * (tv[e[j]] - tv[i]);
        }
        vmbreak;
      }
      UNARY_OPS
        unary_d((int)(nd->op & TAPE_OPMASK), v[a], v[i], v[b], d, &d2);
        UA(ui * d[0] + gi * d2 * tv[a]);
        vmbreak;
      BINARY_OPS vmcase(TAPE_DIV)
        binary_d((int)(nd->op & TAPE_OPMASK), v[a], v[b], v[i], d, 1);
        UA(ui * d[0] + gi * (d[2] * tv[a] + d[3] * tv[b]));
        UB(ui * d[1] + gi * (d[3] * tv[a] + d[4] * tv[b]));
        vmbreak;
    }
  vmend
  if (hv != NULL)
    memcpy(hv, u, t->n * sizeof(double));
}

#undef UA
#undef UB

#undef STEP
#undef FETCH

/* }====================================================== */
