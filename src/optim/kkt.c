/*
** kkt.c: Newton's method on the KKT conditions of an equality-constrained
** problem (Nocedal and Wright, Numerical Optimization, 2nd ed., 18.1:
** Newton's method for the Lagrangian, with the line search of 18.3 on
** the l1 merit function), and the method "newton-kkt" built on it.
**
** At x with multipliers y the step d and the new multipliers y+ solve
**
**   [ W   -J' ] [ d  ]   [ -g ]
**   [ J    0  ] [ y+ ] = [ -c ]
**
** with W the Hessian of the Lagrangian f - y'c (exact, from the tapes),
** g = grad f and J the Jacobian of the active constraints. The system is
** solved by LU (GSL). When it is singular, or when W is not positive
** along d (the reduced Hessian is not positive definite: the step would
** head for a saddle or a maximum), W is shifted by delta I and the (2,2)
** block by -delta_c I, delta growing tenfold, until it is (the
** regularisation of IPOPT's inertia correction, tested here through the
** curvature along d instead of the inertia). The step is damped by
** backtracking on phi = f + nu |c|_1, nu above the largest |y+|.
**
** Near a solution the full step is taken and convergence is quadratic:
** the multipliers come out exact to rounding, which is why the augmented
** Lagrangian polishes its answer with this method on its active set.
*/
#include "config.h"

#include <float.h>
#include <math.h>
#include <string.h>

#include <gsl/gsl_linalg.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_permutation.h>
#include <gsl/gsl_vector.h>

#include "interrupt.h"
#include "optim/constrained.h"

#define MAX_BACKTRACK 40
#define MAX_REGULARISE 30

/* size_t slots in doubles, rounded up */
#define SIZES(k) (((k) * sizeof(size_t) + sizeof(double) - 1) / sizeof(double))

size_t slope_kkt_worksize(size_t n, size_t m) {
  size_t N = n + m;
  return 3 * n + 2 * m + m * n + n * n + N * N + 2 * N + SIZES(N) +
         SIZES(n + m) + 1;
}

/* The free variables (not held) into fr, the active constraints into ac;
** their counts. */
static void sets(const slope_cproblem *P, const unsigned char *act,
                 const unsigned char *fix, size_t *fr, size_t *nf,
                 size_t *ac, size_t *na) {
  size_t i, m = P->meq + P->mineq;
  *nf = *na = 0;
  for (i = 0; i < P->n; i++)
    if (fix == NULL || !fix[i]) fr[(*nf)++] = i;
  for (i = 0; i < m; i++)
    if (i < P->meq || (act != NULL && act[i])) ac[(*na)++] = i;
}

/* |c_A|_1 and |c_A|_inf */
static double cnorm1(const double *c, const size_t *ac, size_t na,
                     double *cinf) {
  double s = 0, t = 0;
  size_t k;
  for (k = 0; k < na; k++) {
    s += fabs(c[ac[k]]);
    t = fmax(t, fabs(c[ac[k]]));
  }
  *cinf = t;
  return s;
}

/* Factor and solve the regularised system; 0 on success. */
static int kktsolve(size_t nf, size_t na, const size_t *fr, const size_t *ac,
                    size_t n, const double *W, const double *J,
                    const double *g, const double *c, double delta,
                    double deltac, double *K, double *rhs, double *sol,
                    size_t *perm) {
  size_t N = nf + na, a, b;
  gsl_matrix_view Kv = gsl_matrix_view_array(K, N, N);
  gsl_vector_view rv = gsl_vector_view_array(rhs, N);
  gsl_vector_view sv = gsl_vector_view_array(sol, N);
  gsl_permutation p;
  double umax = 0, umin = HUGE_VAL;
  int signum;
  memset(K, 0, N * N * sizeof(double));
  for (a = 0; a < nf; a++) {
    for (b = 0; b < nf; b++) K[a * N + b] = W[fr[a] * n + fr[b]];
    K[a * N + a] += delta;
    for (b = 0; b < na; b++) {
      K[a * N + nf + b] = -J[ac[b] * n + fr[a]];
      K[(nf + b) * N + a] = J[ac[b] * n + fr[a]];
    }
    rhs[a] = -g[fr[a]];
  }
  for (b = 0; b < na; b++) {
    K[(nf + b) * N + nf + b] = -deltac;
    rhs[nf + b] = -c[ac[b]];
  }
  p.size = N;
  p.data = perm;
  if (gsl_linalg_LU_decomp(&Kv.matrix, &p, &signum) != 0)
    return -1;
  for (a = 0; a < N; a++) {
    umax = fmax(umax, fabs(K[a * N + a]));
    umin = fmin(umin, fabs(K[a * N + a]));
  }
  if (!(umin > 1e-13 * umax))
    return -1;
  if (gsl_linalg_LU_solve(&Kv.matrix, &p, &rv.vector, &sv.vector) != 0)
    return -1;
  for (a = 0; a < N; a++)
    if (!isfinite(sol[a])) return -1;
  return 0;
}

/* W is positive along the part of d in the null space of the active
** Jacobian: d_t solves [I J'; J 0] [d_t; w] = [d; 0] (K is reused). */
static int tangent_ok(size_t nf, size_t na, const size_t *fr,
                      const size_t *ac, size_t n, const double *W,
                      double delta,
                      const double *J, const double *d, double *K,
                      double *rhs, double *dt, size_t *perm) {
  size_t N = nf + na, a, b;
  gsl_matrix_view Kv = gsl_matrix_view_array(K, N, N);
  gsl_vector_view rv = gsl_vector_view_array(rhs, N);
  gsl_vector_view sv = gsl_vector_view_array(dt, N);
  gsl_permutation p;
  double dWd = 0, dd = 0;
  int signum;
  if (na == 0) {
    memcpy(dt, d, nf * sizeof(double));
  }
  else {
    memset(K, 0, N * N * sizeof(double));
    for (a = 0; a < nf; a++) {
      K[a * N + a] = 1;
      for (b = 0; b < na; b++)
        K[a * N + nf + b] = K[(nf + b) * N + a] = J[ac[b] * n + fr[a]];
      rhs[a] = d[a];
    }
    for (b = 0; b < na; b++) rhs[nf + b] = 0;
    p.size = N;
    p.data = perm;
    if (gsl_linalg_LU_decomp(&Kv.matrix, &p, &signum) != 0 ||
        gsl_linalg_LU_solve(&Kv.matrix, &p, &rv.vector, &sv.vector) != 0)
      return 1;  /* J rank-deficient: judge by d itself */
  }
  for (a = 0; a < nf; a++) {
    double wd = 0;
    for (b = 0; b < nf; b++) wd += W[fr[a] * n + fr[b]] * dt[b];
    dWd += dt[a] * wd;
    dd += dt[a] * dt[a];
  }
  dWd += delta * dd;  /* the regularised W */
  return !(dd > 0 && isfinite(dd)) || dWd > 1e-8 * dd;
}

int slope_kkt_newton(slope_cproblem *P, const slope_copts *o,
                     const unsigned char *act, const unsigned char *fix,
                     long maxiter, int monitor, double *x, double *y,
                     long *iters, double *work) {
  size_t n = P->n, m = P->meq + P->mineq, N = n + m, nf, na, i, k;
  double *g = work, *c = g + n, *J = c + m, *W = J + m * n, *K = W + n * n;
  double *rhs = K + N * N, *sol = rhs + N, *xt = sol + N, *gt = xt + n;
  double *ct = gt + n;
  size_t *perm = (size_t *)(ct + m), *fr = (size_t *)(ct + m + SIZES(N));
  size_t *ac = fr + n;
  double f, nu = 0, cinf, c1, delta = 0;
  long it;
  *iters = 0;
  sets(P, act, fix, fr, &nf, ac, &na);
  for (i = 0; i < m; i++)
    if (i >= P->meq && (act == NULL || !act[i])) y[i] = 0;
  f = P->fg(P->ctx, x, g);
  if (m > 0)
    P->cons(P->ctx, x, c, J);
  for (it = 0;; it++) {
    double st = 0, gs = 0, D, phi0, a, ynorm = 0;
    int ok = 0, tries;
    if (!isfinite(f))
      return SLOPE_C_NAN;
    /* the test: stationarity on the free variables, feasibility */
    for (k = 0; k < nf; k++) {
      double s = g[fr[k]];
      for (i = 0; i < na; i++) s -= y[ac[i]] * J[ac[i] * n + fr[k]];
      st = fmax(st, fabs(s));
      gs = fmax(gs, fabs(g[fr[k]]));
    }
    c1 = cnorm1(c, ac, na, &cinf);
    if (cinf <= o->ctol && st <= o->gtol * fmax(1, gs))
      return SLOPE_C_CONVERGED;
    if (f < -SLOPE_C_FLOOR && cinf <= o->ctol)
      return SLOPE_C_UNBOUNDED;
    if (it >= maxiter)
      return SLOPE_C_MAXITER;
    if (monitor) {
      slope_citer ci;
      int rc;
      ci.iter = it;
      ci.x = x;
      ci.f = f;
      ci.infeas = cinf;
      ci.kkt = st;
      ci.step = NAN;
      ci.penalty = nu;
      if ((rc = o->monitor(o->mctx, &ci)) != 0)
        return rc;
    }
    else if (slope_interrupt_pending())
      return SLOPE_C_INTERRUPTED;
    if (P->hesslag(P->ctx, x, 1, y, W) != 0)
      return SLOPE_C_INTERRUPTED;
    for (k = 0; k < n * n; k++)
      if (!isfinite(W[k])) return SLOPE_C_NAN;
    /* the step, regularised until the system is regular and W is
    ** positive along d */
    delta = delta > 0 ? delta / 10 : 0;
    if (delta < 1e-20) delta = 0;
    for (tries = 0; tries < MAX_REGULARISE; tries++) {
      double deltac = delta > 0 ? 1e-8 * fmin(1, delta) : 0;
      if (kktsolve(nf, na, fr, ac, n, W, J, g, c, delta, deltac, K, rhs, sol,
                   perm) == 0) {
        memcpy(xt, sol, nf * sizeof(double));  /* d, kept */
        if (tangent_ok(nf, na, fr, ac, n, W, delta, J, xt, K, rhs, gt,
                       perm)) {
          /* the solution again (K was reused) */
          kktsolve(nf, na, fr, ac, n, W, J, g, c, delta, deltac, K, rhs,
                   sol, perm);
          ok = 1;
          break;
        }
      }
      else if (tries == 0 && delta == 0) {  /* singular: a small shift */
        delta = 1e-8;
        continue;
      }
      delta = delta > 0 ? 10 * delta : 1e-4;
    }
    if (!ok)
      return SLOPE_C_FAILED;
    /* the new multipliers; the merit's weight above them */
    for (i = 0; i < na; i++) {
      y[ac[i]] = sol[nf + i];
      ynorm = fmax(ynorm, fabs(sol[nf + i]));
    }
    if (nu < 1.5 * ynorm + 1e-6 || nu > 1e3 * (ynorm + 1))
      nu = 2 * ynorm + 1e-6;
    for (D = 0, i = 0; i < nf; i++) D += g[fr[i]] * sol[i];
    D -= nu * c1;
    phi0 = f + nu * c1;
    /* backtrack on phi */
    ok = 0;
    for (a = 1, tries = 0; tries < MAX_BACKTRACK; tries++, a *= 0.5) {
      double ft, phit, cti;
      memcpy(xt, x, n * sizeof(double));
      for (i = 0; i < nf; i++) xt[fr[i]] += a * sol[i];
      ft = P->fg(P->ctx, xt, gt);
      if (m > 0)
        P->cons(P->ctx, xt, ct, NULL);
      phit = ft + nu * cnorm1(ct, ac, na, &cti);
      if (isfinite(phit) &&
          phit <= phi0 + 1e-4 * a * fmin(D, 0) + 8 * DBL_EPSILON * fabs(phi0)) {
        ok = 1;
        memcpy(x, xt, n * sizeof(double));
        memcpy(g, gt, n * sizeof(double));
        f = ft;
        break;
      }
    }
    *iters = it + 1;
    if (!ok)
      return SLOPE_C_FAILED;
    if (m > 0)
      P->cons(P->ctx, x, c, J);
  }
}

/* {======================================================
** The method "newton-kkt": equality constraints, no bounds
** ======================================================= */

static size_t nk_size(const slope_cproblem *P, const slope_copts *o) {
  (void)o;
  return slope_kkt_worksize(P->n, P->meq + P->mineq) * sizeof(double);
}

static void nk_init(void *state, const slope_cproblem *P,
                    const slope_copts *o) {
  (void)state;
  (void)P;
  (void)o;
}

static int nk_solve(void *state, slope_cproblem *P, const slope_copts *o,
                    slope_cresult *r) {
  size_t i, m = P->meq + P->mineq;
  int st;
  for (i = 0; i < m; i++) r->y[i] = 0;
  for (i = 0; i < P->n; i++) r->zl[i] = r->zu[i] = 0;
  st = slope_kkt_newton(P, o, NULL, NULL, o->maxiter, 1, r->x, r->y,
                        &r->iterations, (double *)state);
  r->f = P->fg(P->ctx, r->x, NULL);
  r->status = st;
  if (st == SLOPE_C_FAILED)
    r->message = "newton-kkt: no step decreased the merit function; the "
                 "last point is returned (try auglag)";
  return st;
}

const slope_cmethod slope_cmethod_newtonkkt = {
  "newton-kkt", nk_size, nk_init, nk_solve,
  SLOPE_C_NEEDS_HESSIAN | SLOPE_C_NO_INEQ | SLOPE_C_NO_BOUNDS
};

/* }====================================================== */
