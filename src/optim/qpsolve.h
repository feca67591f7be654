/*
** qpsolve.h: dense linear algebra and a dense convex QP solver for the
** constrained methods (sqp.c, barrier.c). No allocation: every workspace
** is laid out by the caller in memory of the size the _bytes functions
** give.
*/
#ifndef SLOPE_QPSOLVE_H
#define SLOPE_QPSOLVE_H

#include <stddef.h>

/* Cholesky factor of the n x n symmetric A (row-major, lower triangle
** read) into L (may be A); 0 on success, -1 if A is not numerically
** positive definite (a pivot below 1e-13 times the largest diagonal
** entry). */
int slope_dense_chol(size_t n, const double *A, double *L);


/*
** The strictly convex QP
**   minimise 1/2 z'Qz + q'z  subject to  E z = e,  G z >= h
** (Q positive definite) by the dual active-set method of Goldfarb and
** Idnani (Math. Programming 27, 1983): from the unconstrained minimiser,
** the most violated constraint is added, constraints whose multipliers
** would turn negative are dropped on the way, and the factors J = L^-T Q
** and R of the active normals are updated by Givens rotations. Every
** iterate is optimal for the constraints in its active set, so the
** solution is exact to rounding, with exact complementarity, and an
** inconsistent set of constraints is detected. The multipliers follow
** the convention Qz + q = E'y + G'lambda, lambda >= 0.
*/
typedef struct slope_qp {
  size_t n, me, mi;         /* variables, equality rows, inequality rows */
  const double *Q, *q, *E, *e, *G, *h;  /* inputs (row-major, stride n) */
  double *z, *y, *lambda;   /* the solution */
  int iterations;           /* constraints added or dropped */
  /* work */
  double *Lc, *Jm, *R, *dv, *zd, *rv, *u;
  size_t *act;
  unsigned char *flag;
} slope_qp;

/* Bytes of memory for a QP of these sizes (the largest a caller will
** solve: n, me and mi may be lowered before each slope_qp_solve). */
size_t slope_qp_bytes(size_t n, size_t me, size_t mi);
/* Lay out qp in mem (slope_qp_bytes(n, me, mi) bytes, double-aligned). */
void slope_qp_init(slope_qp *qp, void *mem, size_t n, size_t me, size_t mi);
/* Solve: 0 when solved (a violation is at most tol times the size of
** its terms), 1 when the constraints are inconsistent, 2 when Q is not
** numerically positive definite, 3 when maxit constraints were added or
** dropped first. */
int slope_qp_solve(slope_qp *qp, double tol, int maxit);

/* Symmetric indefinite factorisation P A P' = L D L' of the n x n
** symmetric A (row-major, full; overwritten by the factors) by
** Bunch-Kaufman pivoting (1 x 1 and 2 x 2 blocks in D), with the inertia:
** the numbers of positive, negative and zero eigenvalues (a pivot below
** 1e-14 times the largest entry counts as zero). swp (n) and blk (n)
** record the pivoting for slope_dense_ldltsolve. -1 if A is not finite. */
int slope_dense_ldlt(size_t n, double *A, size_t *swp, int *blk, int *npos,
                     int *nneg, int *nzero);
/* The same with the threshold for a zero pivot: ztol times the largest
** entry. */
int slope_dense_ldlt_tol(size_t n, double *A, size_t *swp, int *blk,
                         double ztol, int *npos, int *nneg, int *nzero);
/* Solve A x = b with the factors of slope_dense_ldlt: b is overwritten by
** x (components along zero pivots are set to 0). */
void slope_dense_ldltsolve(size_t n, const double *F, const size_t *swp,
                           const int *blk, double *b);

#endif
