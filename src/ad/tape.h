/*
** tape.h: the flat tape a traced loss is recorded into, and its sweeps.
** Pure C, no Lua. A node is 12 bytes {op, a, b}; its value and adjoint
** live in two parallel arrays of doubles, so a node costs 28 bytes. The
** operands of rare ops (dot products, ifelse, logsumexp) live in a side
** array of uint32_t (ext). Nodes 0 .. n-1 are the inputs, in order.
*/
#ifndef SLOPE_TAPE_H
#define SLOPE_TAPE_H

#include <stddef.h>
#include <stdint.h>

enum tape_op {
  /* leaves */
  TAPE_INPUT,    /* a: input index */
  TAPE_CONST,    /* a, b: the two halves of the double's bits */
  TAPE_PARAM,    /* data[a][b] */
  /* unary: y = f(node a); b unused except POWK (b: exponent node) */
  TAPE_NEG, TAPE_SQR, TAPE_POWK, TAPE_EXP, TAPE_LOG, TAPE_LOG2, TAPE_LOG10,
  TAPE_SIN, TAPE_COS, TAPE_TAN, TAPE_ASIN, TAPE_ACOS, TAPE_ATAN, TAPE_SQRT,
  TAPE_ABS, TAPE_FLOOR, TAPE_CEIL, TAPE_TANH, TAPE_SINH, TAPE_COSH,
  TAPE_LOG1P, TAPE_EXPM1, TAPE_LOGISTIC, TAPE_SOFTPLUS, TAPE_ERF,
  /* binary: y = f(node a, node b) */
  TAPE_ADD, TAPE_SUB, TAPE_MUL, TAPE_DIV, TAPE_POW, TAPE_ATAN2, TAPE_MAX,
  TAPE_MIN, TAPE_MOD,
  /* binary with a constant node b: the reverse sweeps skip its adjoint */
  TAPE_ADDK,     /* a + b (x - k is recorded as x + (-k), which is exact) */
  TAPE_MULK,     /* a * b */
  TAPE_KSUB,     /* b - a */
  TAPE_DIVK,     /* a / b */
  TAPE_KDIV,     /* b / a */
  /* rare: operands in ext */
  TAPE_IFELSE,   /* a: condition node; ext[b], ext[b+1]: then, else nodes */
  TAPE_DOT,      /* ext[a..a+3]: data k, offset, first node, length */
  TAPE_DSUM,     /* ext[a..a+2]: data k, offset, length (sum of data) */
  TAPE_SUM,      /* sum of the nodes a .. a+b-1 */
  TAPE_LSE,      /* logsumexp of the nodes ext[a .. a+b-1] */
  TAPE_NOPS
};

#define TAPE_UNARY_FIRST TAPE_NEG
#define TAPE_UNARY_LAST TAPE_ERF
#define TAPE_BINARY_FIRST TAPE_ADD
#define TAPE_BINARY_LAST TAPE_KDIV

/* op holds the op in its low byte; tape_plan adds the SET bits: the
** reverse sweeps store to that operand's adjoint instead of adding, as
** it is the first write to it in the sweep. */
#define TAPE_OPMASK 0xffu
#define TAPE_SETA (1u << 8)
#define TAPE_SETB (1u << 9)

typedef struct tape_node {
  uint32_t op, a, b;
} tape_node;

typedef struct tape {
  size_t n;          /* inputs: nodes 0 .. n-1 */
  size_t len;        /* nodes */
  size_t m;          /* outputs */
  size_t next;       /* side array length */
  size_t ndata;      /* data arguments */
  tape_node *node;
  double *val;       /* len values; constants are set once */
  double *adj;       /* len adjoints */
  double *tval;      /* len tangents (NULL until needed) */
  double *tadj;      /* len second-order adjoints (NULL until needed) */
  uint32_t *out;     /* m output nodes */
  uint32_t *ext;     /* side array */
  const double **data;  /* ndata pointers, refilled per call */
  int adjclear;      /* adj is all zeros (tape_forward_clear) */
  /* tape_plan: the adjoints a reverse sweep must zero before it starts
  ** (those first written by a vector op or ifelse, which add), as nzero
  ** ranges {first, count}; the outputs are zeroed too. planned is 0 until
  ** then, and the sweeps zero every adjoint. */
  uint32_t *zero;
  size_t nzero;
  int planned;
} tape;

/* Name of an op, for dumps and tests. */
const char *tape_opname(int op);

/* Values of the unary and binary ops, used by the sweeps and for folding
** constants while recording. */
double tape_unary(int op, double x, double k);
double tape_binary(int op, double a, double b);

/* The double a CONST node holds, and the node for a double. */
double tape_const_value(const tape_node *nd);
tape_node tape_const_node(double v);

/* Bytes of the tape proper: nodes, values, adjoints, outputs, ext. */
size_t tape_bytes(const tape *t);

/* Release every array (safe twice; t itself is not freed). */
void tape_free(tape *t);

/* Once the tape is complete: mark each operand's first write in the
** reverse sweeps (TAPE_SETA, TAPE_SETB) and list the adjoints still to
** zero, so that a gradient does not clear every adjoint first. Expects
** every node to be an output or an operand (a pruned tape) and adj (and
** tadj) zeroed when allocated. 0 on success, -1 out of memory (the tape
** stays as it was, unplanned). */
int tape_plan(tape *t);

/* Allocate tval (and tadj if second, zeroed) when missing: 0 on success. */
int tape_reserve_tangents(tape *t, int second);

/* Forward sweep: values of every node at x (n doubles). The _clear
** variant also zeroes the adjoints for the reverse sweep that follows. */
void tape_forward(tape *t, const double *x);
void tape_forward_clear(tape *t, const double *x);

/* Reverse sweep after tape_forward: adjoints for a unit seed on output k;
** g (n doubles, may be NULL) receives the gradient. */
void tape_reverse(tape *t, size_t k, double *g);

/* Tangent sweep after tape_forward: tval along direction v (n doubles). */
void tape_tangent(tape *t, const double *v);

/* Second-order reverse sweep after tape_forward, tape_reverse and
** tape_tangent: tadj; hv (n doubles) receives Hessian times v. */
void tape_reverse2(tape *t, double *hv);

#endif
