/*
** barrier.c: the primal-dual interior point method "barrier" (a log
** barrier in the manner of IPOPT: Wachter and Biegler, Math. Programming
** 106, 2006; Nocedal and Wright, chapter 19).
**
** The inequalities get slacks, c_I(x) - s = 0 with s >= 0, and the
** problem solved for a decreasing barrier parameter mu is
**
**   minimise  f(x) - mu (sum ln s_i + sum ln(x_j - l_j) + sum ln(u_j - x_j))
**   subject to  c_E(x) = 0,  c_I(x) - s = 0
**
** with the bounds kept strictly inside by their own barrier terms (never
** as general constraints; a variable with l_j = u_j is held fixed). Each
** iteration takes the Newton step of the primal-dual equations
**
**   grad f - J'y - zl + zu = 0,  y_I = v,  c_E = 0,  c_I = s,
**   (x - l) zl = mu,  (u - x) zu = mu,  s v = mu
**
** from the symmetric KKT system (the bound and slack duals eliminated)
**
**   [ W + Sx + dw I   0            J_E'  J_I' ]
**   [ 0               Ss + dw I    0     -I   ]
**   [ J_E             0            -dc I  0   ]
**   [ J_I             -I           0     -dc I]
**
** with W the exact Hessian of the Lagrangian from the tapes. Its inertia
** (a Bunch-Kaufman LDL' factorisation) must be (n + m_I, m, 0); else dw
** grows (from a third of the last one used: IPOPT's inertia correction)
** and dc > 0 answers a rank-deficient Jacobian. The fraction-to-the-
** boundary rule (tau = max(0.99, 1 - mu)) keeps x, s and the duals
** inside; the step is accepted by the Armijo test on the l1 merit
** function phi_mu + nu |c_E, c_I - s|_1 (nu raised to make the step a
** descent direction, Nocedal and Wright 19.3), after one second-order
** correction when the full step fails. mu falls (mu <- max(mu_min,
** min(mu / 5, mu^1.5)), the Fiacco-McCormick monotone rule) once the
** barrier problem's KKT error is below 10 mu.
**
** When no step decreases the merit function at an infeasible point, a
** restoration phase minimises the l1 violation |c_E|_1 + |c_I^-|_1 (with
** elastic variables p, n, t >= 0 and a small proximity term, by the same
** interior point iteration) until the violation is a tenth of what it
** was; a stationary point of the violation that is not feasible ends
** with "infeasible", x the least infeasible point. f below -1e20 at a
** feasible point ends with "unbounded". An iteration is one Newton step
** (restoration steps are counted as inner iterations).
*/
#include "config.h"

#include <float.h>
#include <math.h>
#include <string.h>

#include "optim/constrained.h"
#include "optim/qpsolve.h"

#define KAPPA1 1e-2      /* the push of x0 and s0 into the interior */
#define KAPPA_EPS 10.0   /* mu falls when the barrier error <= 10 mu */
#define KAPPA_MU 0.2
#define THETA_MU 1.5
#define KAPPA_SIGMA 1e10 /* the duals stay within this of mu / distance */
#define TAU_MIN 0.99
#define ETA 1e-4         /* Armijo */
#define ALPHA_MIN 1e-13
#define DW0 1e-4
#define DW_MIN 1e-20
#define DW_MAX 1e40
#define DC 1e-8
#define ZTOL 1e-20      /* a zero pivot, relative to the largest entry */
#define YMAX_INIT 1e3
#define MAX_RESTORATIONS 10

enum { RESTORED = 100 };  /* a restoration phase's early end */

/* An iterate: x (n), s and v (m_I), y (m), zl and zu (n). */
typedef struct ipvars {
  double *x, *s, *v, *y, *zl, *zu;
} ipvars;

/* The restoration problem: variables (x, p, q, t), objective
** sum p + sum q + sum t + zeta/2 sum D_j^2 (x_j - xr_j)^2, constraints
** c_E(x) - p + q = 0 and c_I(x) + t >= 0, bounds those of x and
** p, q, t >= 0. */
typedef struct resto {
  slope_cproblem *P;     /* the original */
  size_t n, me, mi, nr;  /* original sizes; nr = n + 2 me + mi */
  double zeta;
  double *xr, *D;        /* n each */
  double *c, *J, *H;     /* the original's c (m), J (m n), H (n n) */
} resto;

typedef struct bar_state {
  size_t n, me, mi, m, nr, N;  /* N = nr + mi + m: the largest system */
  /* scratch, sized for the restoration problem (the larger) */
  double *g, *c, *J, *H, *K, *rhs, *sol, *sol2, *xt, *st, *ct, *dz;
  size_t *swp;
  int *blk;
  double dwlast;
  double dwfloor;      /* the least shift, relative to |W|: raised after
                          short steps */
  long inner;          /* restoration iterations */
  int nresto;
  /* the main iterate's slacks and their duals (x, y, z are the result's) */
  double *s, *v;
  /* the restoration problem and its iterate */
  resto R;
  slope_cproblem RP;
  double *rlo, *rup;
  ipvars rv;
} bar_state;

static size_t bar_doubles(const slope_cproblem *P, size_t *nr, size_t *N) {
  size_t n = P->n, me = P->meq, mi = P->mineq, m = me + mi;
  *nr = n + 2 * me + mi;
  *N = *nr + mi + m;
  return /* scratch */ *nr + m + m * *nr + *nr * *nr + *N * *N + 3 * *N +
         *nr + mi + m + 2 * *nr + mi +
         /* main s, v */ 2 * mi +
         /* restoration problem */ 2 * n + m + m * n + n * n + 2 * *nr +
         /* restoration iterate */ 3 * *nr + 2 * mi + m;
}

static size_t bar_size(const slope_cproblem *P, const slope_copts *o) {
  size_t nr, N, k = bar_doubles(P, &nr, &N);
  (void)o;
  return sizeof(bar_state) + k * sizeof(double) +
         N * (sizeof(size_t) + sizeof(int));
}

static void bar_init(void *state, const slope_cproblem *P,
                     const slope_copts *o) {
  bar_state *s = (bar_state *)state;
  size_t n = P->n, me = P->meq, mi = P->mineq, m = me + mi, nr, N;
  double *d = (double *)(s + 1);
  (void)o;
  bar_doubles(P, &nr, &N);
  s->n = n;
  s->me = me;
  s->mi = mi;
  s->m = m;
  s->nr = nr;
  s->N = N;
  s->g = d; d += nr;
  s->c = d; d += m;
  s->J = d; d += m * nr;
  s->H = d; d += nr * nr;
  s->K = d; d += N * N;
  s->rhs = d; d += N;
  s->sol = d; d += N;
  s->sol2 = d; d += N;
  s->xt = d; d += nr;
  s->st = d; d += mi;
  s->ct = d; d += m;
  s->dz = d; d += 2 * nr + mi;
  s->s = d; d += mi;
  s->v = d; d += mi;
  s->R.xr = d; d += n;
  s->R.D = d; d += n;
  s->R.c = d; d += m;
  s->R.J = d; d += m * n;
  s->R.H = d; d += n * n;
  s->rlo = d; d += nr;
  s->rup = d; d += nr;
  s->rv.x = d; d += nr;
  s->rv.zl = d; d += nr;
  s->rv.zu = d; d += nr;
  s->rv.s = d; d += mi;
  s->rv.v = d; d += mi;
  s->rv.y = d; d += m;
  s->swp = (size_t *)d;
  s->blk = (int *)(s->swp + N);
}

/* {======================================================
** The restoration problem's callbacks
** ======================================================= */

static double r_fg(void *ctx, const double *x, double *g) {
  resto *R = (resto *)ctx;
  size_t j;
  double f = 0;
  R->P->nf++;
  for (j = R->n; j < R->nr; j++) f += x[j];
  for (j = 0; j < R->n; j++) {
    double t = R->D[j] * (x[j] - R->xr[j]);
    f += 0.5 * R->zeta * t * t;
    if (g != NULL)
      g[j] = R->zeta * R->D[j] * t;
  }
  if (g != NULL)
    for (j = R->n; j < R->nr; j++) g[j] = 1;
  return f;
}

static void r_cons(void *ctx, const double *x, double *c, double *J) {
  resto *R = (resto *)ctx;
  size_t n = R->n, me = R->me, nr = R->nr, i, j;
  R->P->cons(R->P->ctx, x, R->c, J != NULL ? R->J : NULL);
  for (i = 0; i < me; i++)
    c[i] = R->c[i] - x[n + i] + x[n + me + i];
  for (i = me; i < me + R->mi; i++)
    c[i] = R->c[i] + x[n + me + i];
  if (J == NULL)
    return;
  memset(J, 0, (me + R->mi) * nr * sizeof(double));
  for (i = 0; i < me + R->mi; i++)
    for (j = 0; j < n; j++) J[i * nr + j] = R->J[i * n + j];
  for (i = 0; i < me; i++) {
    J[i * nr + n + i] = -1;
    J[i * nr + n + me + i] = 1;
  }
  for (i = me; i < me + R->mi; i++) J[i * nr + n + me + i] = 1;
}

static int r_hesslag(void *ctx, const double *x, double sigma,
                     const double *y, double *H) {
  resto *R = (resto *)ctx;
  size_t n = R->n, nr = R->nr, i, j;
  if (R->P->hesslag(R->P->ctx, x, 0, y, R->H) != 0)
    return -1;
  memset(H, 0, nr * nr * sizeof(double));
  for (i = 0; i < n; i++) {
    for (j = 0; j < n; j++) H[i * nr + j] = R->H[i * n + j];
    H[i * nr + i] += sigma * R->zeta * R->D[i] * R->D[i];
  }
  return 0;
}

/* }====================================================== */

/* The l1 violation of the original constraint values c. */
static double l1viol(size_t me, size_t m, const double *c) {
  double v = 0;
  size_t i;
  for (i = 0; i < me; i++) v += fabs(c[i]);
  for (; i < m; i++) v += fmax(0, -c[i]);
  return v;
}

/* The l1 norm of the barrier problem's constraints (c_E, c_I - s). */
static double theta(size_t me, size_t m, const double *c, const double *s) {
  double v = 0;
  size_t i;
  for (i = 0; i < me; i++) v += fabs(c[i]);
  for (; i < m; i++) v += fabs(c[i] - s[i - me]);
  return v;
}

static int isfixed(const slope_cproblem *P, size_t j) {
  return P->lower[j] == P->upper[j];
}

/* The barrier function phi_mu at (x, s) with f; HUGE_VAL outside. */
static double barrierfn(const slope_cproblem *P, double f, const double *x,
                        const double *s, double mu) {
  size_t j, mi = P->mineq;
  double b = 0;
  for (j = 0; j < P->n; j++) {
    if (isfixed(P, j))
      continue;
    if (isfinite(P->lower[j])) {
      if (!(x[j] > P->lower[j])) return HUGE_VAL;
      b += log(x[j] - P->lower[j]);
    }
    if (isfinite(P->upper[j])) {
      if (!(x[j] < P->upper[j])) return HUGE_VAL;
      b += log(P->upper[j] - x[j]);
    }
  }
  for (j = 0; j < mi; j++) {
    if (!(s[j] > 0)) return HUGE_VAL;
    b += log(s[j]);
  }
  return f - mu * b;
}

/* The largest step in (0, 1] keeping x + a dx, s + a ds at least a
** fraction 1 - tau of their distance to the bounds (the primal), or the
** duals zl, zu, v nonnegative likewise (dual: x, s then are zl, v and
** dz holds dzl, dzu, dv). */
static double ftb_primal(const slope_cproblem *P, const double *x,
                         const double *dx, const double *s, const double *ds,
                         double tau) {
  size_t j;
  double a = 1;
  for (j = 0; j < P->n; j++) {
    if (isfixed(P, j))
      continue;
    if (isfinite(P->lower[j]) && dx[j] < 0)
      a = fmin(a, -tau * (x[j] - P->lower[j]) / dx[j]);
    if (isfinite(P->upper[j]) && dx[j] > 0)
      a = fmin(a, tau * (P->upper[j] - x[j]) / dx[j]);
  }
  for (j = 0; j < P->mineq; j++)
    if (ds[j] < 0)
      a = fmin(a, -tau * s[j] / ds[j]);
  return a;
}

static double ftb_dual(size_t k, const double *z, const double *dz,
                       double tau) {
  size_t j;
  double a = 1;
  for (j = 0; j < k; j++)
    if (dz[j] < 0)
      a = fmin(a, -tau * z[j] / dz[j]);
  return a;
}

/* Evaluate f and g (NULL: f only), c and J (NULL: c only) at x; 0 if
** everything is finite. */
static int evaluate(const bar_state *S, slope_cproblem *P, const double *x,
                    double *f, double *g, double *c, double *J) {
  size_t n = P->n, m = P->meq + P->mineq, k;
  (void)S;
  *f = P->fg(P->ctx, x, g);
  if (m > 0)
    P->cons(P->ctx, x, c, J);
  if (!isfinite(*f))
    return -1;
  if (g != NULL)
    for (k = 0; k < n; k++)
      if (!isfinite(g[k])) return -1;
  for (k = 0; k < m; k++)
    if (!isfinite(c[k])) return -1;
  if (J != NULL)
    for (k = 0; k < m * n; k++)
      if (!isfinite(J[k])) return -1;
  return 0;
}

/* Least-squares multipliers: min |g - J'y - zl + zu|^2 + |y_I - v|^2
** (in K's room); y = 0 when they come out larger than YMAX_INIT. */
static void lsmult(bar_state *S, const slope_cproblem *P, const ipvars *V,
                   const double *g, const double *J) {
  size_t n = P->n, me = P->meq, m = me + P->mineq, i, j, k;
  double *A = S->K, *L = S->K + m * m, *b = S->rhs, ymax = 0;
  if (m == 0)
    return;
  for (i = 0; i < m; i++) {
    for (j = 0; j < m; j++) {
      double t = 0;
      for (k = 0; k < n; k++) t += J[i * n + k] * J[j * n + k];
      A[i * m + j] = t + (i == j ? (i >= me ? 1 : 0) + 1e-10 : 0);
    }
    b[i] = i >= me ? V->v[i - me] : 0;
    for (k = 0; k < n; k++)
      b[i] += J[i * n + k] * (g[k] - V->zl[k] + V->zu[k]);
  }
  memset(V->y, 0, m * sizeof(double));
  if (slope_dense_chol(m, A, L) != 0)
    return;
  for (i = 0; i < m; i++) {
    for (k = 0; k < i; k++) b[i] -= L[i * m + k] * b[k];
    b[i] /= L[i * m + i];
  }
  for (i = m; i-- > 0;) {
    for (k = i + 1; k < m; k++) b[i] -= L[k * m + i] * b[k];
    b[i] /= L[i * m + i];
  }
  for (i = 0; i < m; i++) ymax = fmax(ymax, fabs(b[i]));
  if (ymax <= YMAX_INIT)
    memcpy(V->y, b, m * sizeof(double));
}

/* The KKT measures of the original problem at V (mu = 0): as slope_ckkt,
** from g, c, J at hand; and the barrier problem's error for mu. */
static void errors(const slope_cproblem *P, const ipvars *V, const double *g,
                   const double *c, const double *J, double mu,
                   slope_kkt *k, double *emu) {
  size_t n = P->n, me = P->meq, m = me + P->mineq, i, j;
  double gs = 1, st = 0, cp = 0, pr = slope_cviolation(me, P->mineq, c);
  double eb = 0;
  for (j = 0; j < n; j++) {
    double t = g[j] - V->zl[j] + V->zu[j];
    gs = fmax(gs, fabs(g[j]));
    for (i = 0; i < m; i++) t -= V->y[i] * J[i * n + j];
    st = fmax(st, fabs(t));
    if (isfinite(P->lower[j])) {
      double dl = V->x[j] - P->lower[j];
      cp = fmax(cp, fabs(V->zl[j] * dl));
      eb = fmax(eb, fabs(V->zl[j] * dl - (isfixed(P, j) ? 0 : mu)));
    }
    if (isfinite(P->upper[j])) {
      double du = P->upper[j] - V->x[j];
      cp = fmax(cp, fabs(V->zu[j] * du));
      eb = fmax(eb, fabs(V->zu[j] * du - (isfixed(P, j) ? 0 : mu)));
    }
  }
  for (i = me; i < m; i++) {
    cp = fmax(cp, fmax(fabs(V->y[i] * c[i]), -V->y[i]));
    eb = fmax(eb, fabs(V->s[i - me] * V->v[i - me] - mu));
    st = fmax(st, fabs(V->y[i] - V->v[i - me]));
    pr = fmax(pr, 0);
  }
  k->primal = pr;
  k->stationarity = st;
  k->complementarity = cp;
  k->gscale = gs;
  /* the barrier problem: its constraints c_I - s, complementarity
  ** against mu, stationarity relative to the gradient's scale */
  {
    double pb = 0;
    for (i = 0; i < me; i++) pb = fmax(pb, fabs(c[i]));
    for (; i < m; i++) pb = fmax(pb, fabs(c[i] - V->s[i - me]));
    *emu = fmax(fmax(pb, st / gs), eb);
  }
}

/* For fixed variables, the bound multipliers from the gradient of the
** Lagrangian g - J'y. */
static void fixedz(const slope_cproblem *P, const ipvars *V, const double *g,
                   const double *J) {
  size_t n = P->n, m = P->meq + P->mineq, i, j;
  for (j = 0; j < n; j++) {
    double t = g[j];
    if (!isfixed(P, j))
      continue;
    for (i = 0; i < m; i++) t -= V->y[i] * J[i * n + j];
    V->zl[j] = fmax(t, 0);
    V->zu[j] = fmax(-t, 0);
  }
}

/* The starting point: x projected and pushed into the interior of its
** bounds, f, g, c, J there, slacks max(c_I, push), bound and slack duals
** 1 (or mu / distance, on the central path, when central), y by least
** squares. 0, or SLOPE_C_NAN. */
static int ipstart(bar_state *S, slope_cproblem *P, ipvars *V, double mu,
                   int central, double *f) {
  size_t n = P->n, me = P->meq, mi = P->mineq, j;
  for (j = 0; j < n; j++) {
    double lo = P->lower[j], up = P->upper[j], x = V->x[j];
    V->zl[j] = V->zu[j] = 0;
    if (lo == up) {
      V->x[j] = lo;
      continue;
    }
    if (isfinite(lo) && isfinite(up)) {
      double pl = fmin(KAPPA1 * fmax(1, fabs(lo)), KAPPA1 * (up - lo));
      double pu = fmin(KAPPA1 * fmax(1, fabs(up)), KAPPA1 * (up - lo));
      x = fmin(fmax(x, lo + pl), up - pu);
    }
    else if (isfinite(lo))
      x = fmax(x, lo + KAPPA1 * fmax(1, fabs(lo)));
    else if (isfinite(up))
      x = fmin(x, up - KAPPA1 * fmax(1, fabs(up)));
    V->x[j] = x;
    if (isfinite(lo))
      V->zl[j] = central ? mu / (x - lo) : 1;
    if (isfinite(up))
      V->zu[j] = central ? mu / (up - x) : 1;
  }
  if (evaluate(S, P, V->x, f, S->g, S->c, S->J) != 0)
    return SLOPE_C_NAN;
  for (j = 0; j < mi; j++) {
    V->s[j] = fmax(S->c[me + j], central ? mu : KAPPA1);
    V->v[j] = central ? mu / V->s[j] : 1;
  }
  lsmult(S, P, V, S->g, S->J);
  return 0;
}

static int restoration(bar_state *S, slope_cproblem *P, const slope_copts *o,
                       ipvars *V, double mu);

/* The interior point iteration on P from V->x with barrier parameter mu.
** inresto: P is the restoration problem; it ends early (RESTORED) once the
** original violation is at most target. iters counts iterations (up to
** maxiter); *fout is f at the end. */
static int ipm(bar_state *S, slope_cproblem *P, const slope_copts *o,
               ipvars *V, double mu, int inresto, double target, long maxiter,
               long *iters, double *fout) {
  size_t n = P->n, me = P->meq, mi = P->mineq, m = me + mi, N = n + mi + m;
  size_t i, j;
  double f = 0, nu = 0, tau, mumin = fmax(fmin(o->ctol, o->gtol) / 10, 1e-16);
  double *dzl = S->dz, *dzu = S->dz + n, *dv = S->dz + 2 * n;
  int central = 0, st, ndrop = 0;
  if (mu < mumin)
    mu = mumin;
  for (;;) {  /* (re)start: at x0, or after a restoration phase */
    if ((st = ipstart(S, P, V, mu, central, &f)) != 0) {
      *fout = f;
      return st;
    }
    for (;;) {
      slope_kkt kk;
      slope_citer it;
      double emu, dw = 0, dc = 0, phi0, th0, D = 0, dWd = 0, amax, az;
      double alpha, ft = 0, slack, step = 0;
      int np, nn, nz, tries, accepted = 0, soc = 0;
      *fout = f;
      fixedz(P, V, S->g, S->J);
      errors(P, V, S->g, S->c, S->J, mu, &kk, &emu);
      if (slope_ckkt_ok(&kk, o) &&
          kk.complementarity <= fmax(10 * mumin, 1e-15))
        return SLOPE_C_CONVERGED;
      if (*iters >= maxiter)
        return SLOPE_C_MAXITER;
      while (mu > mumin && emu <= KAPPA_EPS * mu) {
        mu = fmax(mumin, fmin(KAPPA_MU * mu, pow(mu, THETA_MU)));
        errors(P, V, S->g, S->c, S->J, mu, &kk, &emu);
      }
      tau = fmax(TAU_MIN, 1 - mu);
      /* the KKT matrix, with the inertia correction */
      if (P->hesslag(P->ctx, V->x, 1, V->y, S->H) != 0) {
        it = (slope_citer){*iters, V->x, f, NAN, NAN, NAN, mu};
        st = o->monitor(o->mctx, &it);
        return st ? st : SLOPE_C_INTERRUPTED;
      }
      {
        double hs = 1;
        for (j = 0; j < n * n; j++) hs = fmax(hs, fabs(S->H[j]));
        dw = S->dwfloor * hs;
      }
      for (tries = 0;; tries++) {
        double *K = S->K;
        memset(K, 0, N * N * sizeof(double));
        for (j = 0; j < n; j++) {
          if (isfixed(P, j)) {
            K[j * N + j] = 1;
            continue;
          }
          for (i = 0; i < n; i++)
            if (!isfixed(P, i)) K[j * N + i] = S->H[j * n + i];
          K[j * N + j] += dw;
          if (isfinite(P->lower[j]))
            K[j * N + j] += V->zl[j] / (V->x[j] - P->lower[j]);
          if (isfinite(P->upper[j]))
            K[j * N + j] += V->zu[j] / (P->upper[j] - V->x[j]);
          for (i = 0; i < m; i++)
            K[j * N + n + mi + i] = K[(n + mi + i) * N + j] =
                S->J[i * n + j];
        }
        for (i = 0; i < mi; i++) {
          size_t r = n + i, c = n + mi + me + i;
          K[r * N + r] = V->v[i] / V->s[i] + dw;
          K[r * N + c] = K[c * N + r] = -1;
        }
        for (i = 0; i < m; i++)
          K[(n + mi + i) * N + n + mi + i] = -dc;
        if (slope_dense_ldlt_tol(N, K, S->swp, S->blk, ZTOL, &np, &nn,
                                 &nz) != 0) {
          *fout = f;
          return SLOPE_C_NAN;
        }
        if ((size_t)np == n + mi && (size_t)nn == m && nz == 0)
          break;
        if (m > 0 && (nz > 0 || (size_t)nn < m))
          /* a rank-deficient Jacobian: regularise the constraints */
          dc = dc == 0 ? DC * pow(mu, 0.25) : 10 * dc;
        if ((size_t)np < n + mi || dc == 0) {
          if (dw == 0)
            dw = S->dwlast == 0 ? DW0 : fmax(DW_MIN, S->dwlast / 3);
          else
            dw *= S->dwlast == 0 ? 100 : 8;
        }
        if (dw > DW_MAX || dc > 1 || tries > 200) {
          *fout = f;
          return SLOPE_C_FAILED;
        }
      }
      if (dw > 0)
        S->dwlast = dw;
      /* the right-hand side and the step */
      for (j = 0; j < n; j++) {
        double t = S->g[j];
        if (isfixed(P, j)) {
          S->rhs[j] = 0;
          continue;
        }
        for (i = 0; i < m; i++) t -= V->y[i] * S->J[i * n + j];
        if (isfinite(P->lower[j])) t -= mu / (V->x[j] - P->lower[j]);
        if (isfinite(P->upper[j])) t += mu / (P->upper[j] - V->x[j]);
        S->rhs[j] = -t;
      }
      for (i = 0; i < mi; i++) S->rhs[n + i] = mu / V->s[i] - V->y[me + i];
      for (i = 0; i < m; i++)
        S->rhs[n + mi + i] = -(i < me ? S->c[i] : S->c[i] - V->s[i - me]);
      memcpy(S->sol, S->rhs, N * sizeof(double));
      slope_dense_ldltsolve(N, S->K, S->swp, S->blk, S->sol);
      /* the merit function: its value, directional derivative, penalty */
      phi0 = barrierfn(P, f, V->x, V->s, mu);
      th0 = theta(me, m, S->c, V->s);
      for (j = 0; j < n; j++) {
        double dx = S->sol[j], gp = S->g[j], sg = dw;
        if (isfixed(P, j))
          continue;
        if (isfinite(P->lower[j])) {
          gp -= mu / (V->x[j] - P->lower[j]);
          sg += V->zl[j] / (V->x[j] - P->lower[j]);
        }
        if (isfinite(P->upper[j])) {
          gp += mu / (P->upper[j] - V->x[j]);
          sg += V->zu[j] / (P->upper[j] - V->x[j]);
        }
        D += gp * dx;
        dWd += sg * dx * dx;
        for (i = 0; i < n; i++)
          if (!isfixed(P, i)) dWd += dx * S->H[j * n + i] * S->sol[i];
      }
      for (i = 0; i < mi; i++) {
        double ds = S->sol[n + i];
        D -= mu / V->s[i] * ds;
        dWd += (V->v[i] / V->s[i] + dw) * ds * ds;
      }
      if (th0 > 0) {
        /* nu: above the step's multipliers (the l1 penalty is then
        ** exact), and large enough for a descent direction */
        double need = (D + 0.5 * fmax(dWd, 0)) / (0.9 * th0), ymax = 0;
        for (i = 0; i < m && dc == 0; i++)  /* (unreliable with dc) */
          ymax = fmax(ymax, fabs(V->y[i] - S->sol[n + mi + i]));
        need = fmax(need, 1.1 * ymax);
        if (nu < need)
          nu = fmin(fmax(1.5 * need, 2 * nu), 1e300);
      }
      D -= nu * th0;
      amax = ftb_primal(P, V->x, S->sol, V->s, S->sol + n, tau);
      slack = 16 * DBL_EPSILON * (fabs(phi0) + nu * th0);
      for (alpha = amax; alpha >= ALPHA_MIN; alpha *= 0.5) {
        double pt;
        for (j = 0; j < n; j++) S->xt[j] = V->x[j] + alpha * S->sol[j];
        for (i = 0; i < mi; i++) S->st[i] = V->s[i] + alpha * S->sol[n + i];
        if (evaluate(S, P, S->xt, &ft, NULL, S->ct, NULL) != 0)
          continue;
        pt = barrierfn(P, ft, S->xt, S->st, mu);
        if (pt + nu * theta(me, m, S->ct, S->st) <=
            phi0 + nu * th0 + ETA * alpha * D + slack) {
          accepted = 1;
          break;
        }
        if (!soc && alpha == amax && m > 0 &&
            theta(me, m, S->ct, S->st) >= th0) {
          /* second-order correction: the same matrix, the constraints'
          ** right-hand side amax c(x) + c(x + amax d) */
          double as;
          soc = 1;
          memcpy(S->sol2, S->rhs, (n + mi) * sizeof(double));
          for (i = 0; i < m; i++) {
            double c0 = i < me ? S->c[i] : S->c[i] - V->s[i - me];
            double c1 = i < me ? S->ct[i] : S->ct[i] - S->st[i - me];
            S->sol2[n + mi + i] = -(amax * c0 + c1);
          }
          slope_dense_ldltsolve(N, S->K, S->swp, S->blk, S->sol2);
          as = ftb_primal(P, V->x, S->sol2, V->s, S->sol2 + n, tau);
          for (j = 0; j < n; j++) S->xt[j] = V->x[j] + as * S->sol2[j];
          for (i = 0; i < mi; i++)
            S->st[i] = V->s[i] + as * S->sol2[n + i];
          if (evaluate(S, P, S->xt, &ft, NULL, S->ct, NULL) == 0 &&
              barrierfn(P, ft, S->xt, S->st, mu) +
                      nu * theta(me, m, S->ct, S->st) <=
                  phi0 + nu * th0 + ETA * amax * D + slack) {
            memcpy(S->sol, S->sol2, N * sizeof(double));
            alpha = as;
            accepted = 1;
            break;
          }
        }
      }
      if (!accepted) {
        int ost;
        if (inresto || l1viol(me, m, S->c) <= o->ctol) {
          *fout = f;
          return SLOPE_C_FAILED;
        }
        ost = restoration(S, P, o, V, mu);
        if (ost != 0) {
          *fout = P->fg(P->ctx, V->x, NULL);
          return ost;
        }
        central = 1;
        break;  /* restart at the restored point */
      }
      /* a step cut short means the model overreaches: the least shift
      ** grows (a Levenberg-Marquardt safeguard), and fades while full
      ** steps are taken */
      if (alpha < 0.25 * amax)
        S->dwfloor = S->dwfloor > 0 ? fmin(10 * S->dwfloor, 1e6) : 1e-4;
      else if (alpha == amax)
        S->dwfloor = S->dwfloor > 1e-8 ? S->dwfloor / 3 : 0;
      /* the duals' steps (with the fraction to the boundary) */
      for (j = 0; j < n; j++) {
        double dx = S->sol[j];
        dzl[j] = dzu[j] = 0;
        if (isfixed(P, j))
          continue;
        if (isfinite(P->lower[j])) {
          double d = V->x[j] - P->lower[j];
          dzl[j] = mu / d - V->zl[j] - V->zl[j] / d * dx;
        }
        if (isfinite(P->upper[j])) {
          double d = P->upper[j] - V->x[j];
          dzu[j] = mu / d - V->zu[j] + V->zu[j] / d * dx;
        }
      }
      for (i = 0; i < mi; i++)
        dv[i] = mu / V->s[i] - V->v[i] - V->v[i] / V->s[i] * S->sol[n + i];
      az = fmin(fmin(ftb_dual(n, V->zl, dzl, tau),
                     ftb_dual(n, V->zu, dzu, tau)),
                ftb_dual(mi, V->v, dv, tau));
      for (j = 0; j < n; j++) {
        S->sol2[j] = S->xt[j] - V->x[j];  /* the step, for the probe */
        step = fmax(step, fabs(S->sol2[j]));
      }
      ndrop = ft < f - fmax(1, fabs(f)) ? ndrop + 1 : 0;
      memcpy(V->x, S->xt, n * sizeof(double));
      memcpy(V->s, S->st, mi * sizeof(double));
      for (i = 0; i < m; i++) V->y[i] -= alpha * S->sol[n + mi + i];
      for (j = 0; j < n; j++) {
        if (isfixed(P, j))
          continue;
        if (isfinite(P->lower[j])) {
          double d = V->x[j] - P->lower[j], z = V->zl[j] + az * dzl[j];
          V->zl[j] = fmin(fmax(z, mu / (KAPPA_SIGMA * d)),
                          KAPPA_SIGMA * mu / d);
        }
        if (isfinite(P->upper[j])) {
          double d = P->upper[j] - V->x[j], z = V->zu[j] + az * dzu[j];
          V->zu[j] = fmin(fmax(z, mu / (KAPPA_SIGMA * d)),
                          KAPPA_SIGMA * mu / d);
        }
      }
      for (i = 0; i < mi; i++) {
        double z = V->v[i] + az * dv[i];
        V->v[i] = fmin(fmax(z, mu / (KAPPA_SIGMA * V->s[i])),
                       KAPPA_SIGMA * mu / V->s[i]);
      }
      if (evaluate(S, P, V->x, &f, S->g, S->c, S->J) != 0) {
        *fout = f;
        return SLOPE_C_NAN;
      }
      if (dc > 0)  /* the step's multipliers mean little: least squares */
        lsmult(S, P, V, S->g, S->J);
      (*iters)++;
      *fout = f;
      fixedz(P, V, S->g, S->J);
      errors(P, V, S->g, S->c, S->J, 0, &kk, &emu);
      it.iter = *iters;
      it.x = V->x;
      it.f = inresto ? S->R.P->fg(S->R.P->ctx, V->x, NULL) : f;
      it.infeas =
          inresto ? slope_cviolation(S->me, S->mi, S->R.c) : kk.primal;
      it.kkt = kk.stationarity;
      it.step = step;
      it.penalty = mu;
      if ((st = o->monitor(o->mctx, &it)) != 0)
        return st;
      if (inresto && l1viol(S->me, S->m, S->R.c) <= target)
        return RESTORED;
      if (!inresto && f < -SLOPE_C_FLOOR && kk.primal <= o->ctol)
        return SLOPE_C_UNBOUNDED;
      if (!inresto && ndrop >= 3 &&
          kk.primal <= o->ctol * fmax(1, fabs(f))) {
        /* f falls faster and faster at feasible points: along the step */
        ndrop = 0;
        if (slope_cprobe_unbounded(P, V->x, S->sol2, &f, o->ctol, S->xt,
                                   S->ct)) {
          *fout = f;
          return SLOPE_C_UNBOUNDED;
        }
      }
    }
  }
}

/* The restoration phase from the main iterate V (infeasible, where the
** merit function cannot be decreased): minimise the l1 violation from x
** until it is a tenth of what it was. 0 with V->x restored (the caller
** restarts there), SLOPE_C_INFEASIBLE with V->x the least infeasible
** point, or the restoration's failure. */
static int restoration(bar_state *S, slope_cproblem *P, const slope_copts *o,
                       ipvars *V, double mu) {
  size_t n = S->n, me = S->me, mi = S->mi, m = S->m, nr = S->nr, i, j;
  double viol = l1viol(me, m, S->c), vmax = slope_cviolation(me, mi, S->c);
  double mur = fmax(mu, vmax), fr, v1;
  int st;
  if (++S->nresto > MAX_RESTORATIONS)
    return SLOPE_C_FAILED;
  S->R.P = P;
  S->R.n = n;
  S->R.me = me;
  S->R.mi = mi;
  S->R.nr = nr;
  S->R.zeta = sqrt(mu);
  memset(&S->RP, 0, sizeof S->RP);
  S->RP.n = nr;
  S->RP.meq = me;
  S->RP.mineq = mi;
  S->RP.lower = S->rlo;
  S->RP.upper = S->rup;
  S->RP.fg = r_fg;
  S->RP.cons = r_cons;
  S->RP.hesslag = r_hesslag;
  S->RP.ctx = &S->R;
  for (j = 0; j < n; j++) {
    S->R.xr[j] = V->x[j];
    S->R.D[j] = fmin(1, 1 / fabs(V->x[j]));
    S->rlo[j] = P->lower[j];
    S->rup[j] = P->upper[j];
    S->rv.x[j] = V->x[j];
  }
  for (j = n; j < nr; j++) {
    S->rlo[j] = 0;
    S->rup[j] = HUGE_VAL;
  }
  for (i = 0; i < me; i++) {  /* p - q = c, on the central path of mur */
    double c = S->c[i], a = (mur - c) / 2;
    double q = a + sqrt(a * a + mur * c / 2);
    S->rv.x[n + i] = c + q;
    S->rv.x[n + me + i] = q;
  }
  for (i = 0; i < mi; i++)
    S->rv.x[n + 2 * me + i] = fmax(0, -S->c[me + i]) + mur;
  st = ipm(S, &S->RP, o, &S->rv, mur, 1, 0.1 * viol, o->maxiter, &S->inner,
           &fr);
  memcpy(V->x, S->rv.x, n * sizeof(double));
  if (st == RESTORED)
    return 0;
  if (st != SLOPE_C_CONVERGED)
    return st == SLOPE_C_MAXITER ? SLOPE_C_FAILED : st;
  v1 = slope_cviolation(me, mi, S->R.c);
  if (v1 <= o->ctol)
    return 0;
  /* a stationary point of the violation: polished without the
  ** proximity term, the least infeasible point */
  memcpy(S->R.xr, V->x, n * sizeof(double));
  S->R.zeta = 0;
  v1 = l1viol(me, m, S->R.c);
  st = ipm(S, &S->RP, o, &S->rv, fmin(mur, 1e-4), 1, 0, o->maxiter,
           &S->inner, &fr);
  if (st == SLOPE_C_CONVERGED && l1viol(me, m, S->R.c) <= v1)
    memcpy(V->x, S->rv.x, n * sizeof(double));
  else
    memcpy(V->x, S->R.xr, n * sizeof(double));
  if (st != SLOPE_C_CONVERGED && st != SLOPE_C_MAXITER &&
      st != SLOPE_C_FAILED && st != RESTORED)
    return st;
  return SLOPE_C_INFEASIBLE;
}

static int bar_solve(void *state, slope_cproblem *P, const slope_copts *o,
                     slope_cresult *r) {
  bar_state *S = (bar_state *)state;
  size_t me = S->me, m = S->m, i;
  ipvars V;
  double f = 0;
  int st;
  V.x = r->x;
  V.y = r->y;
  V.zl = r->zl;
  V.zu = r->zu;
  V.s = S->s;
  V.v = S->v;
  S->dwlast = S->dwfloor = 0;
  S->inner = 0;
  S->nresto = 0;
  r->iterations = 0;
  st = ipm(S, P, o, &V, o->mu0 > 0 ? o->mu0 : 0.1, 0, 0, o->maxiter,
           &r->iterations, &f);
  for (i = me; i < m; i++) r->y[i] = fmax(r->y[i], 0);
  if (st == SLOPE_C_INFEASIBLE) {
    /* x moved: the multipliers of the main iterate mean nothing there */
    memset(r->y, 0, m * sizeof(double));
    memset(r->zl, 0, S->n * sizeof(double));
    memset(r->zu, 0, S->n * sizeof(double));
    f = P->fg(P->ctx, r->x, NULL);
  }
  r->f = f;
  r->inner = S->inner;
  return r->status = st;
}

const slope_cmethod slope_cmethod_barrier = {
  "barrier", bar_size, bar_init, bar_solve, SLOPE_C_NEEDS_HESSIAN
};
