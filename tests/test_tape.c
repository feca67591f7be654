/* test_tape.c: the tape and its sweeps, built by hand without Lua. */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ad/tape.h"
#include "tap.h"

static tape_node nd(int op, uint32_t a, uint32_t b) {
  tape_node x;
  x.op = (uint32_t)op; x.a = a; x.b = b;
  return x;
}

/* A tape over n inputs with the given nodes after them; one output, the
** last node. */
static void build(tape *t, size_t n, const tape_node *nodes, size_t k) {
  size_t i;
  memset(t, 0, sizeof *t);
  t->n = n;
  t->len = n + k;
  t->m = 1;
  t->node = malloc(t->len * sizeof *t->node);
  t->val = calloc(t->len, sizeof(double));
  t->adj = calloc(t->len, sizeof(double));
  t->out = malloc(sizeof(uint32_t));
  for (i = 0; i < n; i++) t->node[i] = nd(TAPE_INPUT, (uint32_t)i, 0);
  for (i = 0; i < k; i++) {
    t->node[n + i] = nodes[i];
    if (nodes[i].op == TAPE_CONST)
      t->val[n + i] = tape_const_value(&nodes[i]);
  }
  t->out[0] = (uint32_t)(t->len - 1);
}

/* Check value, gradient (against central differences of the forward
** sweep) and the Hessian column of a unary op at x. */
static void check_unary(int op, double x) {
  tape t;
  tape_node nodes[1];
  double g, h, fp, fm, gp, gm, v = 1, e = 1e-5, y;
  char name[64];
  nodes[0] = nd(op, 0, 0);
  build(&t, 1, nodes, 1);
  tape_reserve_tangents(&t, 1);
  tape_forward(&t, &x);
  y = t.val[1];
  tape_reverse(&t, 0, &g);
  tape_tangent(&t, &v);
  tape_reverse2(&t, &h);
  x += e; tape_forward(&t, &x); fp = t.val[1]; tape_reverse(&t, 0, &gp);
  x -= 2 * e; tape_forward(&t, &x); fm = t.val[1]; tape_reverse(&t, 0, &gm);
  x += e;
  snprintf(name, sizeof name, "%s value at %g", tape_opname(op), x);
  tap_close(y, tape_unary(op, x, 0), 1e-15, name);
  snprintf(name, sizeof name, "%s derivative at %g", tape_opname(op), x);
  tap_close(g, (fp - fm) / (2 * e), 1e-7, name);
  snprintf(name, sizeof name, "%s second derivative at %g", tape_opname(op), x);
  tap_close(h, (gp - gm) / (2 * e), 1e-5, name);
  tape_free(&t);
}

static void check_binary(int op, double a, double b) {
  tape t;
  tape_node nodes[1];
  double x[2], g[2], h[2], v[2] = {0.3, -0.7}, e = 1e-5, gp[2], gm[2], dd;
  char name[64];
  int i;
  nodes[0] = nd(op, 0, 1);
  build(&t, 2, nodes, 1);
  tape_reserve_tangents(&t, 1);
  x[0] = a; x[1] = b;
  tape_forward(&t, x);
  tape_reverse(&t, 0, g);
  tape_tangent(&t, v);
  tape_reverse2(&t, h);
  snprintf(name, sizeof name, "%s value", tape_opname(op));
  tap_close(t.val[2], tape_binary(op, a, b), 1e-15, name);
  snprintf(name, sizeof name, "%s tangent = g . v", tape_opname(op));
  tap_close(t.tval[2], g[0] * v[0] + g[1] * v[1], 1e-12, name);
  for (i = 0; i < 2; i++) {
    x[0] = a + (i == 0 ? e : 0); x[1] = b + (i == 1 ? e : 0);
    tape_forward(&t, x);
    dd = t.val[2];
    x[0] = a - (i == 0 ? e : 0); x[1] = b - (i == 1 ? e : 0);
    tape_forward(&t, x);
    snprintf(name, sizeof name, "%s partial %d", tape_opname(op), i + 1);
    tap_close(g[i], (dd - t.val[2]) / (2 * e), 1e-7, name);
  }
  /* H v by differences of gradients along v */
  x[0] = a + e * v[0]; x[1] = b + e * v[1];
  tape_forward(&t, x); tape_reverse(&t, 0, gp);
  x[0] = a - e * v[0]; x[1] = b - e * v[1];
  tape_forward(&t, x); tape_reverse(&t, 0, gm);
  for (i = 0; i < 2; i++) {
    snprintf(name, sizeof name, "%s Hv[%d]", tape_opname(op), i + 1);
    tap_close(h[i], (gp[i] - gm[i]) / (2 * e), 1e-5, name);
  }
  tape_free(&t);
}

/* A planned tape (first writes store, the rest of the adjoints zeroed
** by ranges) gives exactly the gradients and Hessian-vector products of
** the same tape unplanned, sweep after sweep: an operand used twice by one
** node, inputs first reached through a SUM, an output that is an operand
** of the other output, a node that is only an ifelse condition. */
static void check_plan(void) {
  tape t, p;
  tape_node nodes[7];
  uint32_t ext[2] = {3, 2};
  double x[2], gt[2], gp[2], v[2] = {0.75, -1.5}, ht[2], hp[2];
  int k, rep, same = 1;
  nodes[0] = nd(TAPE_MUL, 0, 0);     /* 2: x0 x0 */
  nodes[1] = nd(TAPE_SUM, 0, 2);     /* 3: x0 + x1 */
  nodes[2] = nd(TAPE_MUL, 2, 3);     /* 4 */
  nodes[3] = nd(TAPE_ADD, 4, 2);     /* 5: output 1 */
  nodes[4] = nd(TAPE_LOG, 1, 0);     /* 6: only a condition */
  nodes[5] = nd(TAPE_IFELSE, 6, 0);  /* 7: x1 > 1 ? node 3 : node 2 */
  nodes[6] = nd(TAPE_MUL, 5, 7);     /* 8: output 2 */
  build(&t, 2, nodes, 7);
  build(&p, 2, nodes, 7);
  t.ext = malloc(sizeof ext); memcpy(t.ext, ext, sizeof ext); t.next = 2;
  p.ext = malloc(sizeof ext); memcpy(p.ext, ext, sizeof ext); p.next = 2;
  free(t.out); free(p.out);
  t.out = malloc(2 * sizeof(uint32_t)); p.out = malloc(2 * sizeof(uint32_t));
  t.out[0] = p.out[0] = 5; t.out[1] = p.out[1] = 8;
  t.m = p.m = 2;
  tap_ok(tape_plan(&p) == 0 && p.planned && p.nzero == 2 &&
         p.zero[0] == 0 && p.zero[1] == 1 && p.zero[2] == 2 &&
         p.zero[3] == 2,
         "plan: input 1 and nodes 2, 3 are zeroed (first reached by sum or "
         "ifelse)");
  tape_reserve_tangents(&t, 1);
  tape_reserve_tangents(&p, 1);
  for (rep = 0; rep < 3; rep++)
    for (k = 0; k < 2; k++) {
      x[0] = 1.25 + rep; x[1] = rep == 1 ? 0.5 : 2.385;
      tape_forward_clear(&t, x);
      tape_forward_clear(&p, x);
      tape_reverse(&t, (size_t)k, gt);
      tape_reverse(&p, (size_t)k, gp);
      tape_tangent(&t, v);
      tape_tangent(&p, v);
      tape_reverse2(&t, ht);
      tape_reverse2(&p, hp);
      same = same && gt[0] == gp[0] && gt[1] == gp[1] && ht[0] == hp[0] &&
             ht[1] == hp[1];
    }
  tap_ok(same, "planned and unplanned sweeps agree exactly");
  x[0] = 1.25; x[1] = 2.385;
  tape_forward(&p, x);
  tape_reverse(&p, 0, gp);
  tap_close(gp[0], 3 * x[0] * x[0] + 2 * x[0] * x[1] + 2 * x[0], 1e-15,
            "planned gradient: d/dx0");
  tap_close(gp[1], x[0] * x[0], 1e-15, "planned gradient: d/dx1");
  tape_free(&t);
  tape_free(&p);
}

int main(void) {
  static const int unary[] = {
    TAPE_NEG, TAPE_SQR, TAPE_EXP, TAPE_LOG, TAPE_LOG2, TAPE_LOG10, TAPE_SIN,
    TAPE_COS, TAPE_TAN, TAPE_ASIN, TAPE_ACOS, TAPE_ATAN, TAPE_SQRT, TAPE_ABS,
    TAPE_TANH, TAPE_SINH, TAPE_COSH, TAPE_LOG1P, TAPE_EXPM1, TAPE_LOGISTIC,
    TAPE_SOFTPLUS, TAPE_ERF
  };
  static const int binary[] = {
    TAPE_ADD, TAPE_SUB, TAPE_MUL, TAPE_DIV, TAPE_POW, TAPE_ATAN2, TAPE_MOD
  };
  size_t i;
  tape t;
  tape_node nodes[8];
  double x[2], g[2], y;

  tap_ok(sizeof(tape_node) + 2 * sizeof(double) <= 32,
         "a node with its value and adjoint fits 32 bytes");
  for (i = 0; i < sizeof unary / sizeof unary[0]; i++)
    check_unary(unary[i], 0.385);
  check_unary(TAPE_ABS, -2.385);
  check_unary(TAPE_LOGISTIC, -40.5);
  check_unary(TAPE_SOFTPLUS, 40.5);
  for (i = 0; i < sizeof binary / sizeof binary[0]; i++)
    check_binary(binary[i], 2.385, 1.25);
  check_binary(TAPE_MOD, -2.385, 1.25);

  /* constants round-trip through a node */
  nodes[0] = tape_const_node(-2.385e-300);
  tap_ok(tape_const_value(&nodes[0]) == -2.385e-300, "const node bits");

  /* f(x) = 100 (x2 - x1^2)^2 + (1 - x1)^2 */
  nodes[0] = nd(TAPE_SQR, 0, 0);
  nodes[1] = nd(TAPE_SUB, 1, 2);
  nodes[2] = nd(TAPE_SQR, 3, 0);
  nodes[3] = tape_const_node(100);
  nodes[4] = nd(TAPE_MUL, 5, 4);
  nodes[5] = tape_const_node(1);
  nodes[6] = nd(TAPE_SUB, 7, 0);
  nodes[7] = nd(TAPE_SQR, 8, 0);
  build(&t, 2, nodes, 8);
  /* the output is the sum of nodes 6 and 9: add it as a SUM of a copy */
  t.node = realloc(t.node, 11 * sizeof *t.node);
  t.val = realloc(t.val, 11 * sizeof(double));
  t.adj = realloc(t.adj, 11 * sizeof(double));
  t.node[10] = nd(TAPE_ADD, 6, 9);
  t.len = 11;
  t.out[0] = 10;
  x[0] = -1.2; x[1] = 1;
  tape_forward(&t, x);
  y = t.val[10];
  tap_close(y, 24.2, 1e-14, "rosenbrock value");
  tape_reverse(&t, 0, g);
  tap_close(g[0], -215.6, 1e-14, "rosenbrock gradient 1");
  tap_close(g[1], -88, 1e-14, "rosenbrock gradient 2");
  {
    double e1[2] = {1, 0}, h[2];
    tap_ok(tape_reserve_tangents(&t, 1) == 0, "tangents reserved");
    tape_tangent(&t, e1);
    tape_reverse2(&t, h);
    tap_close(h[0], 1330, 1e-13, "rosenbrock hessian 1,1");
    tap_close(h[1], 480, 1e-13, "rosenbrock hessian 2,1");
  }
  /* NaN and Inf propagate */
  x[0] = NAN;
  tape_forward(&t, x);
  tap_ok(isnan(t.val[10]), "NaN input gives a NaN value");
  tape_reverse(&t, 0, g);
  tap_ok(isnan(g[0]), "NaN input gives a NaN gradient");
  x[0] = INFINITY; x[1] = 1;
  tape_forward(&t, x);
  tap_ok(isinf(t.val[10]), "Inf input gives Inf");
  tap_ok(tape_bytes(&t) >= 11 * 28, "bytes count nodes, values, adjoints");
  tape_free(&t);
  tape_free(&t);
  tap_ok(t.node == NULL, "tape_free is safe twice");

  /* conventions at kinks: abs'(0) = 0, max ties to the first argument */
  nodes[0] = nd(TAPE_ABS, 0, 0);
  build(&t, 1, nodes, 1);
  x[0] = 0;
  tape_forward(&t, x);
  tape_reverse(&t, 0, g);
  tap_ok(g[0] == 0, "abs'(0) = 0");
  tape_free(&t);
  nodes[0] = nd(TAPE_MAX, 0, 1);
  build(&t, 2, nodes, 1);
  x[0] = x[1] = 2.385;
  tape_forward(&t, x);
  tape_reverse(&t, 0, g);
  tap_ok(g[0] == 1 && g[1] == 0, "max tie: derivative to the first");
  tape_free(&t);
  nodes[0] = nd(TAPE_FLOOR, 0, 0);
  build(&t, 1, nodes, 1);
  x[0] = 2.385;
  tape_forward(&t, x);
  tape_reverse(&t, 0, g);
  tap_ok(t.val[1] == 2 && g[0] == 0, "floor: value, derivative 0");
  tape_free(&t);

  /* sum and logsumexp over operands */
  nodes[0] = nd(TAPE_SUM, 0, 2);
  build(&t, 2, nodes, 1);
  x[0] = 1.5; x[1] = 2.25;
  tape_forward(&t, x);
  tape_reverse(&t, 0, g);
  tap_ok(t.val[2] == 3.75 && g[0] == 1 && g[1] == 1, "sum node");
  tape_free(&t);
  {
    uint32_t ext[2] = {0, 1};
    nodes[0] = nd(TAPE_LSE, 0, 2);
    build(&t, 2, nodes, 1);
    t.ext = malloc(sizeof ext);
    memcpy(t.ext, ext, sizeof ext);
    t.next = 2;
    x[0] = 1000; x[1] = 1000;
    tape_forward(&t, x);
    tap_close(t.val[2], 1000 + log(2), 1e-15, "logsumexp without overflow");
    tape_reverse(&t, 0, g);
    tap_close(g[0], 0.5, 1e-12, "logsumexp gradient");
    tape_free(&t);
  }
  /* dot with data */
  {
    double d[3] = {9, 2, -3};
    const double *dp[1];
    uint32_t ext[4] = {0, 1, 0, 2};
    nodes[0] = nd(TAPE_DOT, 0, 0);
    build(&t, 2, nodes, 1);
    t.ext = malloc(sizeof ext);
    memcpy(t.ext, ext, sizeof ext);
    t.next = 4;
    dp[0] = d;
    t.data = malloc(sizeof dp);
    memcpy((void *)t.data, dp, sizeof dp);
    t.ndata = 1;
    x[0] = 1.5; x[1] = 2;
    tape_forward(&t, x);
    tap_ok(t.val[2] == -3, "dot with a data row");
    tape_reverse(&t, 0, g);
    tap_ok(g[0] == 2 && g[1] == -3, "dot gradient is the data row");
    tape_free(&t);
  }
  check_plan();
  return tap_done();
}
