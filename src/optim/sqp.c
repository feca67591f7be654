/*
** sqp.c: sequential quadratic programming, "sqp" (Nocedal and Wright,
** chapter 18; Fletcher's Sl1QP for the elastic subproblem).
**
** Each iteration solves the elastic QP
**
**   minimise  g'd + 1/2 d'Bd + rho (sum |c_E + J_E d| + sum (c_I + J_I d)^-)
**   subject to lower - x <= d <= upper - x
**
** (written with elastic variables v, w, t >= 0, so it is always
** feasible, even when the linearised constraints are inconsistent) by
** the dual active-set QP solver of qpsolve.c. B is the Hessian of the
** Lagrangian from the tapes (exact, the default), made positive definite
** where it must be: first by adding gamma J_W'J_W for the constraints W
** predicted active (which leaves the QP's solution unchanged when they
** are), else by a shift tau I that shrinks from one iteration to the next
** (as IPOPT's inertia correction); or, with opts.hessian = "bfgs", a
** damped BFGS approximation (Powell's damping). When the elastic
** variables stay nonzero, rho grows tenfold (up to a cap); at the cap, a
** step that no longer reduces the linearised violation marks a
** stationary point of the violation: "infeasible".
**
** The step is accepted by the Armijo test on the l1 merit function
** phi = f + rho (|c_E|_1 + |c_I^-|_1) against the QP's predicted
** reduction; rho rises to keep the step a descent direction of phi, and
** falls again while far above what the multipliers need (as Powell's
** rule); when the full step fails, a second-order correction (the
** QP again, with the constraint values at x + d) answers the Maratos
** effect before backtracking. Multipliers are the QP's. An iteration is
** one QP step; the run ends when the KKT conditions hold (slope_ckkt's
** measures, computed from the values already at hand).
*/
#include "config.h"

#include <float.h>
#include <math.h>
#include <string.h>

#include "optim/constrained.h"
#include "optim/qpsolve.h"

#define ARMIJO 1e-4
#define QP_TOL 1e-13
#define QP_MAXIT 2000
#define ELASTIC_REG 1e-6
#define MAX_POLISH 8
#define MAX_REBOUND 8

typedef struct sqp_state {
  size_t n, meq, mineq, m, nb, nq, mqi;
  int bfgs;
  double *g, *c, *J, *H, *B, *L, *xt, *gt, *ct, *Jt, *d, *d0, *gl, *gln;
  double *Q, *q, *E, *e, *G, *h, *K;
  size_t *swp;
  int *blk;
  unsigned char *work;  /* m + n: the working set (constraints, bounds) */
  double delta, gamma;  /* the last shift used, and the current gamma */
  double dmin;          /* the least shift: raised after short steps */
  slope_qp qp;
} sqp_state;

static size_t nbounds(const slope_cproblem *P) {
  size_t j, nb = 0;
  for (j = 0; j < P->n; j++)
    nb += isfinite(P->lower[j]) + isfinite(P->upper[j]);
  return nb;
}

static size_t sqp_doubles(const slope_cproblem *P, size_t *nq, size_t *mqi) {
  size_t n = P->n, m = P->meq + P->mineq;
  *nq = n + 2 * P->meq + P->mineq;
  *mqi = 2 * P->mineq + 2 * P->meq + nbounds(P);
  return 3 * n * n + 2 * m * n + 2 * m + 8 * n + *nq * *nq + *nq +
         P->meq * *nq + P->meq + *mqi * *nq + *mqi +
         (2 * n + m) * (2 * n + m);
}

static size_t sqp_size(const slope_cproblem *P, const slope_copts *o) {
  size_t nq, mqi, k = sqp_doubles(P, &nq, &mqi);
  (void)o;
  size_t nk = 2 * P->n + P->meq + P->mineq;
  return sizeof(sqp_state) + k * sizeof(double) +
         slope_qp_bytes(nq, P->meq, mqi) + sizeof(double) +
         nk * (sizeof(size_t) + sizeof(int)) + P->n + P->meq + P->mineq;
}

static void sqp_init(void *state, const slope_cproblem *P,
                     const slope_copts *o) {
  sqp_state *s = (sqp_state *)state;
  size_t n = P->n, m = P->meq + P->mineq, nq, mqi;
  double *d = (double *)(s + 1);
  sqp_doubles(P, &nq, &mqi);
  s->n = n;
  s->meq = P->meq;
  s->mineq = P->mineq;
  s->m = m;
  s->nb = nbounds(P);
  s->nq = nq;
  s->mqi = mqi;
  s->bfgs = o->hessian == 1;
  s->g = d; d += n;
  s->c = d; d += m;
  s->J = d; d += m * n;
  s->H = d; d += n * n;
  s->B = d; d += n * n;
  s->L = d; d += n * n;
  s->xt = d; d += n;
  s->gt = d; d += n;
  s->ct = d; d += m;
  s->Jt = d; d += m * n;
  s->d = d; d += n;
  s->d0 = d; d += n;
  s->gl = d; d += n;
  s->gln = d; d += n;
  s->Q = d; d += nq * nq;
  s->q = d; d += nq;
  s->E = d; d += P->meq * nq;
  s->e = d; d += P->meq;
  s->G = d; d += mqi * nq;
  s->h = d; d += mqi;
  s->K = d; d += (2 * n + m) * (2 * n + m);
  slope_qp_init(&s->qp, d, nq, P->meq, mqi);
  s->swp = (size_t *)((char *)d + slope_qp_bytes(nq, P->meq, mqi));
  s->blk = (int *)(s->swp + 2 * n + m);
  s->work = (unsigned char *)(s->blk + 2 * n + m);
  s->qp.Q = s->Q;
  s->qp.q = s->q;
  s->qp.E = s->E;
  s->qp.e = s->e;
  s->qp.G = s->G;
  s->qp.h = s->h;
}

/* The l1 violation of the constraint values c. */
static double l1viol(const sqp_state *s, const double *c) {
  double v = 0;
  size_t i;
  for (i = 0; i < s->meq; i++) v += fabs(c[i]);
  for (; i < s->m; i++) v += fmax(0, -c[i]);
  return v;
}

/* The l1 violation of the linearisation c + J d. */
static double l1lin(const sqp_state *s, const double *c, const double *J,
                    const double *d) {
  double v = 0;
  size_t i, j;
  for (i = 0; i < s->m; i++) {
    double t = c[i];
    for (j = 0; j < s->n; j++) t += J[i * s->n + j] * d[j];
    v += i < s->meq ? fabs(t) : fmax(0, -t);
  }
  return v;
}

/* Fill the QP for B, g, the constraint values cv (the linearisation's
** constant: c, or the second-order correction's), J and the bounds
** relative to x: the plain QP in d (elastic 0), or the elastic one in
** (d, v, w, t) whose elastic variables cost rho each (and, to keep the
** QP strictly convex, rho ELASTIC_REG / 2 times their squares, which
** changes nothing where they are 0). */
static void buildqp(sqp_state *s, const slope_cproblem *P, const double *x,
                    const double *cv, double rho, int elastic) {
  size_t n = s->n, meq = s->meq, mineq = s->mineq, i, j, r = 0;
  size_t nq = elastic ? s->nq : n;
  s->qp.n = nq;
  s->qp.me = meq;
  s->qp.mi = elastic ? s->mqi : mineq + s->nb;
  memset(s->Q, 0, nq * nq * sizeof(double));
  for (i = 0; i < n; i++)
    for (j = 0; j < n; j++) s->Q[i * nq + j] = s->B[i * n + j];
  for (j = 0; j < n; j++) s->q[j] = s->g[j];
  for (j = n; j < nq; j++) {
    s->q[j] = rho;
    s->Q[j * nq + j] = ELASTIC_REG * rho;
  }
  memset(s->E, 0, meq * nq * sizeof(double));
  for (i = 0; i < meq; i++) {
    for (j = 0; j < n; j++) s->E[i * nq + j] = s->J[i * n + j];
    if (elastic) {
      s->E[i * nq + n + i] = -1;        /* v */
      s->E[i * nq + n + meq + i] = 1;   /* w */
    }
    s->e[i] = -cv[i];
  }
  memset(s->G, 0, s->qp.mi * nq * sizeof(double));
  for (i = 0; i < mineq; i++, r++) {  /* J_I d (+ t) >= -c_I */
    for (j = 0; j < n; j++) s->G[r * nq + j] = s->J[(meq + i) * n + j];
    if (elastic)
      s->G[r * nq + n + 2 * meq + i] = 1;
    s->h[r] = -cv[meq + i];
  }
  for (j = n; j < nq; j++, r++) {     /* elastic variables >= 0 */
    s->G[r * nq + j] = 1;
    s->h[r] = 0;
  }
  for (j = 0; j < n; j++) {           /* bounds, lower then upper */
    if (isfinite(P->lower[j])) {
      s->G[r * nq + j] = 1;
      s->h[r++] = P->lower[j] - x[j];
    }
    if (isfinite(P->upper[j])) {
      s->G[r * nq + j] = -1;
      s->h[r++] = x[j] - P->upper[j];
    }
  }
}

/* The step and the multipliers from the QP's solution. The QP's Hessian
** is the model's plus gamma A'A over the working set A, so its multipliers
** are those of the model less gamma a_i'd on the rows of A (gamma is 0
** for BFGS). */
static void readqp(sqp_state *s, const slope_cproblem *P, double *d,
                   slope_cresult *r) {
  size_t n = s->n, m = s->m, i, j, k = s->qp.mi - s->nb;
  const slope_qp *qp = &s->qp;
  memcpy(d, qp->z, n * sizeof(double));
  if (r == NULL)
    return;
  memcpy(r->y, qp->y, s->meq * sizeof(double));
  memcpy(r->y + s->meq, qp->lambda, s->mineq * sizeof(double));
  for (j = 0; j < n; j++) {
    r->zl[j] = r->zu[j] = 0;
    if (isfinite(P->lower[j])) r->zl[j] = qp->lambda[k++];
    if (isfinite(P->upper[j])) r->zu[j] = qp->lambda[k++];
  }
  if (s->gamma == 0)
    return;
  for (i = 0; i < m; i++)
    if (s->work[i]) {
      double ad = 0;
      for (j = 0; j < n; j++) ad += s->J[i * n + j] * d[j];
      r->y[i] -= s->gamma * ad;
      if (i >= s->meq && r->y[i] < 0)
        r->y[i] = 0;
    }
  for (j = 0; j < n; j++)
    if (s->work[m + j]) {
      double v = r->zl[j] - r->zu[j] - s->gamma * d[j];
      r->zl[j] = fmax(v, 0);
      r->zu[j] = fmax(-v, 0);
    }
}

/* B from the exact Hessian H. The working set A: the equalities, the
** inequalities with a positive multiplier, the bounds in use with a
** positive multiplier. First the smallest shift delta (0, else from the
** last one, as IPOPT's inertia correction) such that H + delta I is
** positive definite on the null space of A, tested by the inertia of
** [H + delta I, A'; A, -eps I], which must be (n, |A|, 0); then
** B = H + delta I + gamma A'A with the smallest gamma (0, or a power of
** ten times the scale) that makes B positive definite. The gamma term
** leaves the QP's step unchanged where the rows of A stay active (readqp
** corrects the multipliers); delta is the regularisation proper. */
static void convexify(sqp_state *s, const slope_cproblem *P, const double *x,
                      const slope_cresult *r) {
  size_t n = s->n, m = s->m, i, j, k, na = 0, N;
  double scale = 1, amax = 0, delta, eps;
  int tries, np, nn, nz;
  for (k = 0; k < n * n; k++) scale = fmax(scale, fabs(s->H[k]));
  for (i = 0; i < m; i++) {
    s->work[i] = i < s->meq || r->y[i] > 0;
    na += s->work[i];
  }
  for (j = 0; j < n; j++) {
    s->work[m + j] = (r->zl[j] > 0 && x[j] - P->lower[j] <= 1e-10) ||
                     (r->zu[j] > 0 && P->upper[j] - x[j] <= 1e-10);
    na += s->work[m + j];
  }
  N = n + na;
  eps = 1e-12 * scale;
  delta = s->dmin * scale;
  for (tries = 0; tries < 60; tries++) {
    size_t row = n;
    memset(s->K, 0, N * N * sizeof(double));
    for (i = 0; i < n; i++) {
      for (j = 0; j < n; j++) s->K[i * N + j] = s->H[i * n + j];
      s->K[i * N + i] += delta;
    }
    for (k = 0; k < m + n; k++) {
      if (!s->work[k])
        continue;
      for (j = 0; j < n; j++) {
        double a = k < m ? s->J[k * n + j] : (k - m == j);
        s->K[row * N + j] = s->K[j * N + row] = a;
        amax = fmax(amax, fabs(a));
      }
      s->K[row * N + row] = -eps;
      row++;
    }
    if (slope_dense_ldlt(N, s->K, s->swp, s->blk, &np, &nn, &nz) == 0 &&
        (size_t)np == n && (size_t)nn == na && nz == 0)
      break;
    if (delta == 0)
      delta = s->delta > 0 ? fmax(1e-20 * scale, s->delta / 3)
                           : 1e-4 * scale;
    else
      delta *= s->delta > 0 ? 8 : 100;
  }
  if (delta > 0)
    s->delta = delta;
  for (s->gamma = 0, tries = 0; tries < 40; tries++) {
    memcpy(s->B, s->H, n * n * sizeof(double));
    for (j = 0; j < n; j++) s->B[j * n + j] += delta;
    if (s->gamma > 0)
      for (k = 0; k < m + n; k++) {
        if (!s->work[k])
          continue;
        if (k >= m) {
          s->B[(k - m) * n + (k - m)] += s->gamma;
          continue;
        }
        for (i = 0; i < n; i++)
          for (j = 0; j < n; j++)
            s->B[i * n + j] += s->gamma * s->J[k * n + i] * s->J[k * n + j];
      }
    if (slope_dense_chol(n, s->B, s->L) == 0)
      return;
    if (na > 0 && tries < 14)
      s->gamma = s->gamma == 0 ? scale / fmax(1e-8, amax * amax)
                               : 10 * s->gamma;
    else {
      /* the inertia test was fooled by rounding: shift further */
      s->gamma = 0;
      delta = delta > 0 ? 10 * delta : 1e-4 * scale;
      s->delta = delta;
    }
  }
}

/* Powell-damped BFGS update of B with the step sk = xt - x and the change
** of the Lagrangian's gradient yk = gln - gl. */
static void bfgsupdate(sqp_state *s, const double *x) {
  size_t n = s->n, i, j;
  double *sk = s->d0, *bs = s->L, *yk = s->gln, sbs = 0, sy = 0, sr = 0, th;
  for (i = 0; i < n; i++) {
    sk[i] = s->xt[i] - x[i];
    yk[i] -= s->gl[i];
  }
  for (i = 0; i < n; i++) {
    double t = 0;
    for (j = 0; j < n; j++) t += s->B[i * n + j] * sk[j];
    bs[i] = t;
    sbs += sk[i] * t;
    sy += sk[i] * yk[i];
  }
  if (!(sbs > 0))
    return;
  th = sy >= 0.2 * sbs ? 1 : 0.8 * sbs / (sbs - sy);
  for (i = 0; i < n; i++) {
    yk[i] = th * yk[i] + (1 - th) * bs[i];
    sr += sk[i] * yk[i];
  }
  if (!(sr > 0))
    return;
  for (i = 0; i < n; i++)
    for (j = 0; j < n; j++)
      s->B[i * n + j] += yk[i] * yk[j] / sr - bs[i] * bs[j] / sbs;
}

/* The gradient of the Lagrangian f - y'c (bound terms left out) into gl. */
static void lagrad(const sqp_state *s, const double *g, const double *J,
                   const double *y, double *gl) {
  size_t i, j;
  for (j = 0; j < s->n; j++) {
    double t = g[j];
    for (i = 0; i < s->m; i++) t -= y[i] * J[i * s->n + j];
    gl[j] = t;
  }
}

/* The KKT measures of slope_ckkt at x from g, c, J at hand. */
static void kktof(const sqp_state *s, const slope_cproblem *P,
                  const double *x, const slope_cresult *r, slope_kkt *k) {
  size_t n = s->n, i, j;
  double gs = 0, pr = slope_cviolation(s->meq, s->mineq, s->c), cp = 0,
         st = 0;
  for (j = 0; j < n; j++) {
    gs = fmax(gs, fabs(s->g[j]));
    pr = fmax(pr, fmax(P->lower[j] - x[j], x[j] - P->upper[j]));
    cp = fmax(cp, isfinite(P->lower[j])
                      ? fabs(r->zl[j] * (x[j] - P->lower[j])) : fabs(r->zl[j]));
    cp = fmax(cp, isfinite(P->upper[j])
                      ? fabs(r->zu[j] * (P->upper[j] - x[j])) : fabs(r->zu[j]));
    cp = fmax(cp, fmax(-r->zl[j], -r->zu[j]));
  }
  for (i = s->meq; i < s->m; i++)
    cp = fmax(cp, fmax(fabs(r->y[i] * s->c[i]), -r->y[i]));
  for (j = 0; j < n; j++) {
    double t = s->g[j] - r->zl[j] + r->zu[j];
    for (i = 0; i < s->m; i++) t -= r->y[i] * s->J[i * n + j];
    st = fmax(st, fabs(t));
  }
  k->primal = pr;
  k->stationarity = st;
  k->complementarity = cp;
  k->gscale = fmax(1, gs);
}

/* Evaluate f, g, c, J at x into the given arrays; 0 if all finite. */
static int evaluate(sqp_state *s, slope_cproblem *P, const double *x,
                    double *f, double *g, double *c, double *J) {
  size_t k;
  *f = P->fg(P->ctx, x, g);
  if (s->m > 0)
    P->cons(P->ctx, x, c, J);
  if (!isfinite(*f))
    return -1;
  for (k = 0; k < s->n; k++)
    if (!isfinite(g[k])) return -1;
  for (k = 0; k < s->m; k++)
    if (!isfinite(c[k])) return -1;
  if (J != NULL)
    for (k = 0; k < s->m * s->n; k++)
      if (!isfinite(J[k])) return -1;
  return 0;
}

/* First multipliers of the equalities: least squares, min |g - J_E'y|
** (through the Cholesky factor of J_E J_E' + 1e-10 I in B's room). */
static void lsmultipliers(sqp_state *s, double *y) {
  size_t n = s->n, me = s->meq, i, j, k;
  double *A = s->B, *Lf = s->L, *b = s->d;
  if (me == 0 || me > n)
    return;
  for (i = 0; i < me; i++) {
    for (j = 0; j < me; j++) {
      double t = 0;
      for (k = 0; k < n; k++) t += s->J[i * n + k] * s->J[j * n + k];
      A[i * me + j] = t + (i == j ? 1e-10 : 0);
    }
    for (b[i] = 0, k = 0; k < n; k++) b[i] += s->J[i * n + k] * s->g[k];
  }
  if (slope_dense_chol(me, A, Lf) != 0)
    return;
  for (i = 0; i < me; i++) {  /* L L' y = b */
    for (k = 0; k < i; k++) b[i] -= Lf[i * me + k] * b[k];
    b[i] /= Lf[i * me + i];
  }
  for (i = me; i-- > 0;) {
    for (k = i + 1; k < me; k++) b[i] -= Lf[k * me + i] * b[k];
    b[i] /= Lf[i * me + i];
  }
  memcpy(y, b, me * sizeof(double));
}

/* 1 when x is a stationary point of the l1 violation that is not
** feasible: the feasibility QP, min |c + J d|_1 (elastic) + 1/2 |d|^2
** within the bounds, whose step is 0 exactly there, reduces the
** linearised violation viol by almost nothing. */
static int infeasible_here(sqp_state *s, const slope_cproblem *P,
                           const double *x, double viol, double ctol,
                           double *linmin) {
  size_t n = s->n, nq = s->nq, i, j;
  *linmin = viol;
  if (viol <= ctol)
    return 0;
  buildqp(s, P, x, s->c, 1, 1);
  for (i = 0; i < n; i++) {
    for (j = 0; j < nq; j++) s->Q[i * nq + j] = s->Q[j * nq + i] = 0;
    s->Q[i * nq + i] = 1;
    s->q[i] = 0;
  }
  if (slope_qp_solve(&s->qp, QP_TOL, QP_MAXIT) != 0)
    return 0;
  *linmin = l1lin(s, s->c, s->J, s->qp.z);
  return viol - *linmin <= 1e-13 * fmax(1, viol);
}

/* The restoration phase: from an infeasible x where the merit function
** cannot be decreased, steps of the feasibility QP (infeasible_here's)
** with a backtracking search on the l1 violation, until the violation is
** a tenth of what it was (or within ctol): 0, with f, g, c and J those of
** the new x. SLOPE_C_INFEASIBLE at a stationary point of the violation;
** SLOPE_C_FAILED or SLOPE_C_NAN when no step helps. inner counts steps. */
static int restoration(sqp_state *s, slope_cproblem *P, double *x,
                       double *f, double ctol, long *inner) {
  size_t n = s->n, m = s->m, j;
  double viol0 = l1viol(s, s->c), viol = viol0;
  int k;
  for (k = 0; k < 1000; k++) {
    double linmin, alpha, ft = 0;
    int ok = 0;
    if (viol <= fmax(ctol, 0.1 * viol0) && k > 0)
      return 0;
    if (infeasible_here(s, P, x, viol, ctol, &linmin))
      return SLOPE_C_INFEASIBLE;
    if (viol <= ctol)
      return 0;
    memcpy(s->d0, s->qp.z, n * sizeof(double));
    (*inner)++;
    for (alpha = 1; alpha > 1e-12; alpha *= 0.5) {
      for (j = 0; j < n; j++) s->xt[j] = x[j] + alpha * s->d0[j];
      slope_cproject(n, s->xt, P->lower, P->upper);
      if (evaluate(s, P, s->xt, &ft, s->gt, s->ct, s->Jt) == 0 &&
          l1viol(s, s->ct) <= viol - ARMIJO * alpha * (viol - linmin)) {
        ok = 1;
        break;
      }
    }
    if (!ok)
      return SLOPE_C_FAILED;
    memcpy(x, s->xt, n * sizeof(double));
    memcpy(s->g, s->gt, n * sizeof(double));
    memcpy(s->c, s->ct, m * sizeof(double));
    memcpy(s->J, s->Jt, m * n * sizeof(double));
    *f = ft;
    viol = l1viol(s, s->c);
  }
  return SLOPE_C_FAILED;
}

/* max(1, |x|_inf): the scale of the constraints' rounding at x, to which
** the feasibility of a point certifying "unbounded" is relative (not |f|,
** which the point's f, far below -SLOPE_C_FLOOR, would make huge). */
static double xscale(size_t n, const double *x) {
  double v = 1;
  size_t j;
  for (j = 0; j < n; j++) v = fmax(v, fabs(x[j]));
  return v;
}

static int sqp_solve(void *state, slope_cproblem *P, const slope_copts *o,
                     slope_cresult *r) {
  sqp_state *s = (sqp_state *)state;
  size_t n = s->n, m = s->m, j;
  double *x = r->x, f, rho, rhomax, gmax = 1;
  long k;
  int ndrop = 0;  /* accepted steps in a row that more than doubled -f */
  int polish = 0; /* steps taken since the KKT conditions first held */
  int fell = 0;   /* the penalty fell since it last rose */
  int rebounds = 0; /* times it rose after a fall */
  slope_kkt kk;
  memset(r->y, 0, m * sizeof(double));
  memset(r->zl, 0, n * sizeof(double));
  memset(r->zu, 0, n * sizeof(double));
  r->iterations = 0;
  s->delta = s->gamma = s->dmin = 0;
  if (evaluate(s, P, x, &f, s->g, s->c, s->J) != 0)
    return r->status = SLOPE_C_NAN;
  for (j = 0; j < n; j++) gmax = fmax(gmax, fabs(s->g[j]));
  lsmultipliers(s, r->y);
  rho = 10 * gmax;
  for (j = 0; j < s->meq; j++) rho = fmax(rho, 2 * fabs(r->y[j]));
  rhomax = 1e10 * rho;
  if (s->bfgs) {
    memset(s->B, 0, n * n * sizeof(double));
    for (j = 0; j < n; j++) s->B[j * n + j] = 1;
  }
  for (k = 0; k < o->maxiter; k++) {
    double phi, pred, viol, lin, alpha, slack, ft = 0, dBd = 0, gd = 0, step = 0;
    int st, qst, accepted = 0, soc = 0, elastic;
    slope_citer it;
    /* the model's Hessian */
    if (!s->bfgs) {
      if (P->hesslag(P->ctx, x, 1, r->y, s->H) != 0) {
        st = o->monitor(o->mctx, &(slope_citer){k, x, f, NAN, NAN, NAN,
                                                 rho});
        r->iterations = k;
        r->f = f;
        return r->status = st ? st : SLOPE_C_INTERRUPTED;
      }
      convexify(s, P, x, r);
    }
    /* the QP; when the linearised constraints are inconsistent, the
    ** elastic QP, rho raised while the linearisation, consistent, is not
    ** met */
    viol = l1viol(s, s->c);
    lin = 0;
    buildqp(s, P, x, s->c, rho, 0);
    qst = slope_qp_solve(&s->qp, QP_TOL, QP_MAXIT);
    if (qst != 0) {
      /* the least violation the linearisation allows (the feasibility
      ** QP); rho is raised until the step achieves a tenth of it */
      double linmin;
      if (infeasible_here(s, P, x, viol, o->ctol, &linmin)) {
        r->iterations = k;
        r->f = f;
        return r->status = SLOPE_C_INFEASIBLE;
      }
      for (;;) {
        buildqp(s, P, x, s->c, rho, 1);
        if ((qst = slope_qp_solve(&s->qp, QP_TOL, QP_MAXIT)) != 0)
          break;
        readqp(s, P, s->d, NULL);
        lin = l1lin(s, s->c, s->J, s->d);
        if (viol - lin >= 0.1 * (viol - linmin) || rho >= rhomax)
          break;
        rho = fmin(rhomax, 10 * rho);
      }
      if (qst != 0) {
        r->iterations = k;
        r->f = f;
        r->message = "sqp: the quadratic subproblem could not be solved; "
                     "the last point is returned";
        return r->status = SLOPE_C_FAILED;
      }
    }
    elastic = s->qp.n > n;
    readqp(s, P, s->d, r);
    if (s->bfgs)
      lagrad(s, s->g, s->J, r->y, s->gl);
    for (j = 0; j < n; j++) {
      double t = 0;
      size_t i;
      for (i = 0; i < n; i++) t += s->B[j * n + i] * s->d[i];
      dBd += s->d[j] * t;
      gd += s->g[j] * s->d[j];
    }
    /* the merit's penalty: above the multipliers, and large enough that
    ** the step is a descent direction of the merit (Nocedal and Wright
    ** 18.36); and, as in Powell's rule, it falls again (tenfold per
    ** iteration) while ten times what it must be: a penalty raised by
    ** the large multipliers of a nearly rank-deficient Jacobian would
    ** otherwise pin the iterates to the constraints' curvature and force
    ** tiny steps. Once it has risen again after a fall MAX_REBOUND times
    ** it only rises, so that the merit ends monotone. */
    if (!elastic) {
      double ymax = 0, need, want;
      for (j = 0; j < m; j++) ymax = fmax(ymax, fabs(r->y[j]));
      need = 1.1 * ymax;
      if (viol > 0)
        need = fmax(need, (gd + 0.5 * fmax(dBd, 0)) / (0.7 * (viol - lin)));
      want = fmax(2 * ymax, need) + 1e-8;
      if (rho < need) {
        rho = fmin(want, rhomax);
        rebounds += fell;
        fell = 0;
      }
      else if (rho > 10 * want && rebounds < MAX_REBOUND) {
        rho = fmax(rho / 10, want);
        fell = 1;
      }
    }
    phi = f + rho * viol;
    pred = -(gd + 0.5 * dBd) + rho * (viol - lin);
    /* the line search, with a second-order correction first (rounding in
    ** phi forgiven) */
    slack = 16 * DBL_EPSILON * (fabs(f) + rho * viol);
    memcpy(s->d0, s->d, n * sizeof(double));
    for (alpha = 1; alpha > 1e-12 && pred > 0; alpha *= 0.5) {
      for (j = 0; j < n; j++) s->xt[j] = x[j] + alpha * s->d0[j];
      slope_cproject(n, s->xt, P->lower, P->upper);
      if (evaluate(s, P, s->xt, &ft, s->gt, s->ct, s->Jt) == 0 &&
          ft + rho * l1viol(s, s->ct) <=
              phi - ARMIJO * alpha * pred + slack) {
        accepted = 1;
        break;
      }
      if (alpha == 1 && !soc && m > 0 && isfinite(ft)) {
        /* second-order correction: constraint values at x + d, less the
        ** linear change J d already in the step */
        size_t i;
        soc = 1;
        for (i = 0; i < m; i++) {
          double t = s->ct[i];
          for (j = 0; j < n; j++) t -= s->J[i * n + j] * s->d0[j];
          s->ct[i] = t;
        }
        buildqp(s, P, x, s->ct, rho, elastic);
        if (slope_qp_solve(&s->qp, QP_TOL, QP_MAXIT) != 0)
          continue;
        readqp(s, P, s->d, NULL);
        memcpy(s->xt, x, n * sizeof(double));
        for (j = 0; j < n; j++) s->xt[j] += s->d[j];
        slope_cproject(n, s->xt, P->lower, P->upper);
        if (evaluate(s, P, s->xt, &ft, s->gt, s->ct, s->Jt) == 0 &&
            ft + rho * l1viol(s, s->ct) <= phi - ARMIJO * pred + slack) {
          accepted = 1;
          break;
        }
      }
    }
    r->iterations = k + 1;
    if (!accepted) {
      /* no step: KKT at x with the new multipliers decides; else, when x
      ** is infeasible, the restoration phase */
      kktof(s, P, x, r, &kk);
      r->f = f;
      if (slope_ckkt_ok(&kk, o))
        return r->status = SLOPE_C_CONVERGED;
      if (viol <= o->ctol)
        return r->status = SLOPE_C_FAILED;
      st = restoration(s, P, x, &f, o->ctol, &r->inner);
      r->f = f;
      if (st != 0)
        return r->status = st;
      continue;
    }
    /* a step cut short means the model overreaches: the least shift of
    ** the exact Hessian grows (a Levenberg-Marquardt safeguard), and
    ** fades while full steps are taken */
    if (alpha < 0.25)
      s->dmin = s->dmin > 0 ? fmin(10 * s->dmin, 1e6) : 1e-4;
    else if (alpha == 1)
      s->dmin = s->dmin > 1e-8 ? s->dmin / 10 : 0;
    for (j = 0; j < n; j++) {
      s->d0[j] = s->xt[j] - x[j];
      step = fmax(step, fabs(s->d0[j]));
    }
    ndrop = ft < f - fmax(1, fabs(f)) ? ndrop + 1 : 0;
    if (s->bfgs) {
      lagrad(s, s->gt, s->Jt, r->y, s->gln);
      bfgsupdate(s, x);
    }
    memcpy(x, s->xt, n * sizeof(double));
    memcpy(s->g, s->gt, n * sizeof(double));
    memcpy(s->c, s->ct, m * sizeof(double));
    memcpy(s->J, s->Jt, m * n * sizeof(double));
    f = ft;
    kktof(s, P, x, r, &kk);
    it.iter = k + 1;
    it.x = x;
    it.f = f;
    it.infeas = kk.primal;
    it.kkt = kk.stationarity;
    it.step = step;
    it.penalty = rho;
    r->f = f;
    if ((st = o->monitor(o->mctx, &it)) != 0)
      return r->status = st;
    if (f < -SLOPE_C_FLOOR && kk.primal <= o->ctol * xscale(n, x))
      return r->status = SLOPE_C_UNBOUNDED;
    if (ndrop >= 3 && kk.primal <= o->ctol * xscale(n, x)) {
      /* f falls faster and faster at feasible points: try along the
      ** step (its bytes in d0 are not needed before the next QP) */
      ndrop = 0;
      if (slope_cprobe_unbounded(P, x, s->d0, &f, o->ctol, s->xt, s->ct)) {
        r->f = f;
        return r->status = SLOPE_C_UNBOUNDED;
      }
    }
    if (slope_ckkt_ok(&kk, o)) {
      /* a few more steps while they still move x: the tolerances bound
      ** the gradient, and a few more Newton steps make the point and its
      ** multipliers accurate (a degenerate minimum converges slowly) */
      double xs = 1;
      for (j = 0; j < n; j++) xs = fmax(xs, fabs(x[j]));
      if (++polish > MAX_POLISH || step <= 1e-14 * xs)
        return r->status = SLOPE_C_CONVERGED;
    }
    else
      polish = 0;
  }
  r->f = f;
  if (polish > 0)
    return r->status = SLOPE_C_CONVERGED;
  return r->status = SLOPE_C_MAXITER;
}

const slope_cmethod slope_cmethod_sqp = {
  "sqp", sqp_size, sqp_init, sqp_solve, SLOPE_C_NEEDS_HESSIAN
};
