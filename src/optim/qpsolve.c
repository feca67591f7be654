/*
** qpsolve.c: dense Cholesky, the dual active-set QP solver of Goldfarb
** and Idnani for the subproblems of sqp.c, and a Bunch-Kaufman LDL'
** factorisation with inertia for the KKT systems of sqp.c and barrier.c.
*/
#include "config.h"

#include <math.h>
#include <string.h>

#include "optim/qpsolve.h"

int slope_dense_chol(size_t n, const double *A, double *L) {
  size_t i, j, k;
  double big = 0;
  for (j = 0; j < n; j++) big = fmax(big, fabs(A[j * n + j]));
  for (j = 0; j < n; j++) {
    double d = A[j * n + j];
    for (k = 0; k < j; k++) d -= L[j * n + k] * L[j * n + k];
    if (!(d > 1e-13 * big) || !isfinite(d))
      return -1;
    d = sqrt(d);
    L[j * n + j] = d;
    for (i = j + 1; i < n; i++) {
      double s = A[i * n + j];
      for (k = 0; k < j; k++) s -= L[i * n + k] * L[j * n + k];
      L[i * n + j] = s / d;
    }
  }
  return 0;
}

/* {======================================================
** The dual active-set method of Goldfarb and Idnani
** ======================================================= */

size_t slope_qp_bytes(size_t n, size_t me, size_t mi) {
  size_t m = me + mi;
  return (3 * n * n + 5 * n + m) * sizeof(double) +
         n * sizeof(size_t) + m + sizeof(double);
}

void slope_qp_init(slope_qp *qp, void *mem, size_t n, size_t me, size_t mi) {
  double *d = (double *)mem;
  qp->n = n;
  qp->me = me;
  qp->mi = mi;
  qp->z = d; d += n;
  qp->y = d; d += me;
  qp->lambda = d; d += mi;
  qp->Lc = d; d += n * n;
  qp->Jm = d; d += n * n;
  qp->R = d; d += n * n;
  qp->dv = d; d += n;
  qp->zd = d; d += n;
  qp->rv = d; d += n;
  qp->u = d; d += n;
  qp->act = (size_t *)d;
  qp->flag = (unsigned char *)(qp->act + n);
}

/* Row k of the constraints (equalities, then inequalities) and its
** right-hand side. */
static const double *crow(const slope_qp *qp, size_t k, double *b) {
  if (k < qp->me) {
    *b = qp->e[k];
    return qp->E + k * qp->n;
  }
  *b = qp->h[k - qp->me];
  return qp->G + (k - qp->me) * qp->n;
}

/* a Givens rotation taking (a, b) to (r, 0) */
static void givens(double a, double b, double *c, double *s, double *r) {
  double h = hypot(a, b);
  if (b == 0) {
    *c = 1;
    *s = 0;
    *r = a;
    return;
  }
  *c = a / h;
  *s = b / h;
  *r = h;
}

/* Columns p and q of the n x n J rotated: (J_p, J_q) <- (c J_p + s J_q,
** -s J_p + c J_q). */
static void rotcols(size_t n, double *J, size_t p, size_t q, double c,
                    double s) {
  size_t i;
  for (i = 0; i < n; i++) {
    double a = J[i * n + p], b = J[i * n + q];
    J[i * n + p] = c * a + s * b;
    J[i * n + q] = -s * a + c * b;
  }
}

int slope_qp_solve(slope_qp *qp, double tol, int maxit) {
  size_t n = qp->n, me = qp->me, mi = qp->mi, m = me + mi, i, j, k, nact = 0;
  double *J = qp->Jm, *R = qp->R, *Lc = qp->Lc, *z = qp->z, *d = qp->dv;
  double *zd = qp->zd, *r = qp->rv, *u = qp->u;
  int it;
  qp->iterations = 0;
  memset(qp->y, 0, me * sizeof(double));
  memset(qp->lambda, 0, mi * sizeof(double));
  memset(qp->flag, 0, m);
  if (slope_dense_chol(n, qp->Q, Lc) != 0)
    return 2;
  /* J = L^-T: column k solves L' J_k = e_k (J upper triangular) */
  memset(J, 0, n * n * sizeof(double));
  for (k = 0; k < n; k++) {
    for (i = k + 1; i-- > 0;) {
      double t = i == k ? 1 : 0;
      for (j = i + 1; j <= k; j++) t -= Lc[j * n + i] * J[j * n + k];
      J[i * n + k] = t / Lc[i * n + i];
    }
  }
  /* the unconstrained minimiser z = -J J' q */
  for (k = 0; k < n; k++) {
    double t = 0;
    for (i = 0; i < n; i++) t += J[i * n + k] * qp->q[i];
    d[k] = t;
  }
  for (i = 0; i < n; i++) {
    double t = 0;
    for (k = 0; k < n; k++) t += J[i * n + k] * d[k];
    z[i] = -t;
  }
  for (it = 0; it < maxit; it++) {
    size_t p = m;
    double b, sp = 0, worst = 0, sign = 1, uplus = 0;
    const double *a;
    /* the next constraint: an equality not yet in, else the most violated
    ** inequality (relative to the size of its terms) */
    for (k = 0; k < me && p == m; k++)
      if (!qp->flag[k]) p = k;
    if (p == m)
      for (k = me; k < m; k++) {
        double sk, sc;
        if (qp->flag[k])
          continue;
        a = crow(qp, k, &b);
        for (sk = -b, sc = fabs(b), j = 0; j < n; j++) {
          sk += a[j] * z[j];
          sc += fabs(a[j] * z[j]);
        }
        if (sk < -tol * (1 + sc) && sk / (1 + sc) < worst) {
          worst = sk / (1 + sc);
          p = k;
        }
      }
    if (p == m)
      break;  /* optimal */
    qp->iterations = it + 1;
    a = crow(qp, p, &b);
    for (sp = -b, j = 0; j < n; j++) sp += a[j] * z[j];
    if (p < me && sp > 0)
      sign = -1;  /* an equality from above: add -a'z >= -b */
    sp *= sign;
    for (;;) {
      double dd = 0, zz = 0, t1 = HUGE_VAL, t2 = HUGE_VAL, t;
      size_t l = nact;
      /* d = J' n+, the primal direction zd = J2 d2, the dual r = R^-1 d1 */
      for (k = 0; k < n; k++) {
        double s = 0;
        for (i = 0; i < n; i++) s += J[i * n + k] * a[i];
        d[k] = sign * s;
        dd += d[k] * d[k];
        if (k >= nact) zz += d[k] * d[k];
      }
      for (i = 0; i < n; i++) {
        double s = 0;
        for (k = nact; k < n; k++) s += J[i * n + k] * d[k];
        zd[i] = s;
      }
      for (k = nact; k-- > 0;) {
        double s = d[k];
        for (j = k + 1; j < nact; j++) s -= R[k * n + j] * r[j];
        r[k] = s / R[k * n + k];
      }
      for (k = 0; k < nact; k++)
        if (qp->act[k] >= me && r[k] > 0 && u[k] / r[k] < t1) {
          t1 = u[k] / r[k];
          l = k;
        }
      if (zz > 1e-22 * dd)
        t2 = -sp / zz;
      if (t2 == HUGE_VAL && p < me && fabs(sp) <= tol * (1 + fabs(b))) {
        qp->flag[p] = 2;  /* a redundant equality: multiplier 0 */
        break;
      }
      t = fmin(t1, t2);
      if (t == HUGE_VAL)
        return 1;  /* infeasible */
      for (k = 0; k < nact; k++) u[k] -= t * r[k];
      uplus += t;
      if (t2 < HUGE_VAL) {
        for (i = 0; i < n; i++) z[i] += t * zd[i];
        sp += t * zz;
      }
      if (t == t2) {
        /* add p: rotate d[nact+1..] into d[nact], R's new column */
        for (k = n - 1; k > nact; k--) {
          double c, s, h;
          givens(d[k - 1], d[k], &c, &s, &h);
          d[k - 1] = h;
          d[k] = 0;
          if (s != 0) rotcols(n, J, k - 1, k, c, s);
        }
        for (k = 0; k <= nact; k++) R[k * n + nact] = d[k];
        qp->act[nact] = p;
        u[nact] = uplus;
        qp->flag[p] = sign > 0 ? 1 : 3;
        nact++;
        break;
      }
      /* drop the constraint at l; R back to upper triangular */
      qp->flag[qp->act[l]] = 0;
      for (k = l; k + 1 < nact; k++) {
        qp->act[k] = qp->act[k + 1];
        u[k] = u[k + 1];
        for (i = 0; i <= k + 1; i++) R[i * n + k] = R[i * n + k + 1];
      }
      nact--;
      for (k = l; k < nact; k++) {
        double c, s, h;
        givens(R[k * n + k], R[(k + 1) * n + k], &c, &s, &h);
        R[k * n + k] = h;
        R[(k + 1) * n + k] = 0;
        for (j = k + 1; j < nact; j++) {
          double x1 = R[k * n + j], x2 = R[(k + 1) * n + j];
          R[k * n + j] = c * x1 + s * x2;
          R[(k + 1) * n + j] = -s * x1 + c * x2;
        }
        if (s != 0) rotcols(n, J, k, k + 1, c, s);
      }
    }
  }
  if (it >= maxit)
    return 3;
  for (k = 0; k < nact; k++) {
    size_t q = qp->act[k];
    if (q < me)
      qp->y[q] = qp->flag[q] == 3 ? -u[k] : u[k];
    else
      qp->lambda[q - me] = u[k];
  }
  return 0;
}

/* }====================================================== */

/* Bunch-Kaufman: alpha = (1 + sqrt 17) / 8 balances the growth of 1 x 1
** and 2 x 2 pivots. A pivot below 1e-14 times the largest entry counts
** as zero. */
#define BK_ALPHA 0.6403882032022076

static void symswap(size_t n, double *A, size_t p, size_t q) {
  size_t j;
  if (p == q)
    return;
  for (j = 0; j < n; j++) {
    double t = A[p * n + j];
    A[p * n + j] = A[q * n + j];
    A[q * n + j] = t;
  }
  for (j = 0; j < n; j++) {
    double t = A[j * n + p];
    A[j * n + p] = A[j * n + q];
    A[j * n + q] = t;
  }
}

int slope_dense_ldlt(size_t n, double *A, size_t *swp, int *blk, int *npos,
                     int *nneg, int *nzero) {
  return slope_dense_ldlt_tol(n, A, swp, blk, 1e-14, npos, nneg, nzero);
}

int slope_dense_ldlt_tol(size_t n, double *A, size_t *swp, int *blk,
                         double ztol, int *npos, int *nneg, int *nzero) {
  size_t i, j, k;
  double big = 0;
  *npos = *nneg = *nzero = 0;
  for (k = 0; k < n * n; k++) {
    if (!isfinite(A[k]))
      return -1;
    big = fmax(big, fabs(A[k]));
  }
  for (k = 0; k < n;) {
    double akk = fabs(A[k * n + k]), colmax = 0, rowmax = 0;
    size_t r = k;
    int two = 0;
    for (i = k + 1; i < n; i++)
      if (fabs(A[i * n + k]) > colmax) {
        colmax = fabs(A[i * n + k]);
        r = i;
      }
    swp[k] = k;
    if (fmax(akk, colmax) <= ztol * big) {
      /* a zero column: a zero eigenvalue */
      for (i = k; i < n; i++) A[i * n + k] = A[k * n + i] = 0;
      blk[k] = 1;
      (*nzero)++;
      k++;
      continue;
    }
    if (akk < BK_ALPHA * colmax) {
      for (j = k; j < n; j++)
        if (j != r) rowmax = fmax(rowmax, fabs(A[r * n + j]));
      if (akk * rowmax >= BK_ALPHA * colmax * colmax) {
        /* 1 x 1 at k */
      }
      else if (fabs(A[r * n + r]) >= BK_ALPHA * rowmax) {
        swp[k] = r;
        symswap(n, A, k, r);
      }
      else {
        two = 1;
        swp[k + 1] = r;
        symswap(n, A, k + 1, r);
      }
    }
    if (!two) {
      double d = A[k * n + k];
      if (fabs(d) <= ztol * big)
        (*nzero)++;
      else if (d > 0)
        (*npos)++;
      else
        (*nneg)++;
      blk[k] = 1;
      if (fabs(d) <= ztol * big) {
        for (i = k + 1; i < n; i++) A[i * n + k] = 0;
      }
      else {
        for (i = k + 1; i < n; i++) {
          double l = A[i * n + k] / d;
          for (j = k + 1; j < n; j++) A[i * n + j] -= l * A[k * n + j];
          A[i * n + k] = l;
        }
      }
      k++;
    }
    else {
      double a = A[k * n + k], b = A[(k + 1) * n + k],
             c = A[(k + 1) * n + k + 1], det = a * c - b * b;
      blk[k] = 2;
      blk[k + 1] = 0;
      if (det < 0) {
        (*npos)++;
        (*nneg)++;
      }
      else if (a + c > 0)
        *npos += 2;
      else
        *nneg += 2;
      for (i = k + 2; i < n; i++) {
        double u = A[i * n + k], v = A[i * n + k + 1];
        double l1 = (u * c - v * b) / det, l2 = (v * a - u * b) / det;
        for (j = k + 2; j < n; j++)
          A[i * n + j] -= l1 * A[k * n + j] + l2 * A[(k + 1) * n + j];
        A[i * n + k] = l1;  /* L below; rows k, k + 1 keep the originals */
        A[i * n + k + 1] = l2;
      }
      k += 2;
    }
  }
  return 0;
}

void slope_dense_ldltsolve(size_t n, const double *F, const size_t *swp,
                           const int *blk, double *b) {
  size_t i, k;
  /* forward: apply the swaps in order, then the unit lower L */
  for (k = 0; k < n; k++)
    if (swp[k] != k) {
      double t = b[k];
      b[k] = b[swp[k]];
      b[swp[k]] = t;
    }
  for (k = 0; k < n; k++) {
    if (blk[k] == 1) {
      for (i = k + 1; i < n; i++) b[i] -= F[i * n + k] * b[k];
    }
    else if (blk[k] == 2) {
      for (i = k + 2; i < n; i++)
        b[i] -= F[i * n + k] * b[k] + F[i * n + k + 1] * b[k + 1];
    }
  }
  /* D */
  for (k = 0; k < n; k++) {
    if (blk[k] == 1) {
      double d = F[k * n + k];
      b[k] = d != 0 ? b[k] / d : 0;
    }
    else if (blk[k] == 2) {
      double a = F[k * n + k], bb = F[(k + 1) * n + k],
             c = F[(k + 1) * n + k + 1], det = a * c - bb * bb;
      double u = b[k], v = b[k + 1];
      b[k] = (c * u - bb * v) / det;
      b[k + 1] = (a * v - bb * u) / det;
    }
  }
  /* backward: L' then the swaps in reverse */
  for (k = n; k-- > 0;) {
    if (blk[k] == 1) {
      for (i = k + 1; i < n; i++) b[k] -= F[i * n + k] * b[i];
    }
    else if (blk[k] == 2) {
      for (i = k + 2; i < n; i++) {
        b[k] -= F[i * n + k] * b[i];
        b[k + 1] -= F[i * n + k + 1] * b[i];
      }
    }
  }
  for (k = n; k-- > 0;)
    if (swp[k] != k) {
      double t = b[k];
      b[k] = b[swp[k]];
      b[swp[k]] = t;
    }
}
