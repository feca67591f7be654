/* interface: ready */
/*
** constrained.h: constrained minimisation, the interface every
** constrained method plugs into (in the manner of solver.h).
**
** The problem, as C sees it:
**
**   minimise f(x)  subject to  c_i(x) = 0    (i < meq)
**                              c_i(x) >= 0   (meq <= i < meq + mineq)
**                              lower <= x <= upper
**
** Everything is evaluated on tapes traced once (or on C callbacks, as
** optim.qp builds them): no Lua in the loop. A maximisation reaches the
** methods already negated: they always minimise.
**
** Multipliers (the sign convention every method reports in):
**
**   grad f(x) = sum_i y_i grad c_i(x) + zl - zu
**
** with y_i free for equalities, y_i >= 0 for inequalities, zl >= 0 and
** zu >= 0 the multipliers of the lower and upper bounds (zero where the
** bound is not active or absent). So the Lagrangian is
** L(x, y) = f(x) - y'c(x), and y_i = d f* / d b_i for a constraint
** written c_i(x) = h_i(x) - b_i. The binding (constrained.c) flips the
** signs for a maximisation so that the user still reads d f* / d(rhs).
**
** A method is a slope_cmethod: a name, the bytes of state it needs, init
** and solve. The framework (constrained.c) allocates the state once (one
** Lua userdata; no allocation inside the method), builds the problem,
** calls solve, then computes the KKT residuals of what the method
** returns, sets the final status and builds the result table. solve runs
** the whole iteration; once per outer iteration it calls o->monitor,
** which polls Ctrl-C, maxtime and the user's callback and records the
** trace: a nonzero return means stop now with that status (the method
** then fills the result with its best point and returns).
**
** Adding a method is one file and one line in the registry of
** constrained.c.
*/
#ifndef SLOPE_CONSTRAINED_H
#define SLOPE_CONSTRAINED_H

#include <stddef.h>

#include <lua.h>

#include "optim/solver.h"

/* The problem. lower and upper always point at n doubles (-HUGE_VAL /
** HUGE_VAL where there is no bound). The counters are incremented by
** the callbacks themselves. */
typedef struct slope_cproblem {
  size_t n;       /* variables */
  size_t meq;     /* equality constraints c_i(x) = 0, first */
  size_t mineq;   /* inequality constraints c_i(x) >= 0, after them */
  const double *lower, *upper;  /* n each */
  /* f at x, and its gradient into g unless g is NULL. */
  double (*fg)(void *ctx, const double *x, double *g);
  /* The m = meq + mineq constraint values into c, and unless J is NULL
  ** the Jacobian (m x n, row-major: J[i * n + j] = d c_i / d x_j). */
  void (*cons)(void *ctx, const double *x, double *c, double *J);
  /* The Hessian of sigma f - sum_i y_i c_i at x (n x n, row-major, full
  ** and symmetric) into H; y has m entries. Entries with y_i = 0 cost
  ** nothing. Returns 0, or -1 when a pending Ctrl-C cut it short (H is
  ** then garbage; the method should call its monitor and stop). */
  int (*hesslag)(void *ctx, const double *x, double sigma, const double *y,
                 double *H);
  /* The same Hessian times v, into hv (n); NULL when not available. */
  void (*hvplag)(void *ctx, const double *x, double sigma, const double *y,
                 const double *v, double *hv);
  void *ctx;
  /* evaluations: f, grad f, constraint values, Jacobians, Hessians or H v */
  long nf, ng, nc, nj, nh;
} slope_cproblem;

/* The statuses a method ends with (the result's status strings). */
enum {
  SLOPE_C_RUNNING = 0,
  SLOPE_C_CONVERGED,     /* "converged": KKT conditions met */
  SLOPE_C_MAXITER,       /* "maxiter" */
  SLOPE_C_MAXTIME,       /* "maxtime" (from the monitor) */
  SLOPE_C_STOPPED,       /* "stopped": the callback asked (monitor) */
  SLOPE_C_INTERRUPTED,   /* "interrupted": Ctrl-C (monitor) */
  SLOPE_C_INFEASIBLE,    /* "infeasible": x is the least infeasible point */
  SLOPE_C_UNBOUNDED,     /* "unbounded": f below -SLOPE_C_FLOOR, feasible */
  SLOPE_C_FAILED,        /* "line_search_failed": no further progress */
  SLOPE_C_NAN            /* "nan": f, c or a derivative not finite */
};

/* f below -SLOPE_C_FLOOR at a feasible point: unbounded. */
#define SLOPE_C_FLOOR 1e20

/* What the monitor is shown once per outer iteration. */
typedef struct slope_citer {
  long iter;
  const double *x;     /* n */
  double f;            /* the objective (as minimised) */
  double infeas;       /* max-norm constraint (and bound) violation */
  double kkt;          /* stationarity measure of the method, or NAN */
  double step;         /* ||x+ - x||, or NAN */
  double penalty;      /* penalty parameter / barrier mu, or NAN */
} slope_citer;

/* Options a method reads. Tolerances: a point is feasible when every
** violation is at most ctol * max(1, scale of that constraint) (see
** slope_ckkt), stationary when the max-norm of the Lagrangian's gradient
** is at most gtol * max(1, |grad f|_inf), complementary when every
** |y_i c_i| (inequalities) and bound product is at most
** max(ctol, gtol) * max(1, |y_i|). */
typedef struct slope_copts {
  double gtol;     /* stationarity (1e-6 by default, as minimize) */
  double ctol;     /* feasibility (1e-8) */
  long maxiter;    /* outer iterations (a method documents what they are) */
  long maxinner;   /* inner iterations per outer one, where there are any */
  int memory;      /* L-BFGS pairs for inner solves (10) */
  int verbose;     /* reserved: 0 */
  int hessian;     /* sqp: 0 the exact Hessian of the Lagrangian, 1 a
                     damped BFGS approximation (opts.hessian = "bfgs") */
  double mu0;      /* barrier: the first barrier parameter (opts.mu0, 0.1) */
  /* Called once per outer iteration: 0 to go on, else a SLOPE_C_* status
  ** to stop with. Never NULL. */
  int (*monitor)(void *mctx, const slope_citer *it);
  void *mctx;
} slope_copts;

/* What a method fills. The framework points x, y, zl, zu at storage of
** n, meq + mineq, n and n doubles before solve, and x holds x0 (already
** projected into the bounds). On return: x the point (the best found,
** never lost), f = f(x), y, zl, zu its multipliers in the convention
** above, status, iterations done (outer) and, optionally, inner ones. */
typedef struct slope_cresult {
  double *x, *y, *zl, *zu;
  double f;
  int status;              /* SLOPE_C_* */
  const char *message;     /* a static string, or NULL for the default */
  long iterations, inner;
} slope_cresult;

/* A method. */
typedef struct slope_cmethod {
  const char *name;
  /* Bytes of state for this problem's sizes and options. */
  size_t (*size)(const slope_cproblem *P, const slope_copts *o);
  /* Lay out the state (the memory is zeroed before). */
  void (*init)(void *state, const slope_cproblem *P, const slope_copts *o);
  /* Run to the end; returns r->status. */
  int (*solve)(void *state, slope_cproblem *P, const slope_copts *o,
               slope_cresult *r);
  unsigned needs;  /* SLOPE_C_* bits below */
} slope_cmethod;

enum {
  SLOPE_C_NEEDS_HESSIAN = 1u << 0,  /* calls P->hesslag */
  SLOPE_C_NEEDS_HVP = 1u << 1,      /* calls P->hvplag */
  SLOPE_C_NO_INEQ = 1u << 2,        /* cannot take inequalities */
  SLOPE_C_NO_BOUNDS = 1u << 3       /* cannot take bounds */
};

/* {======================================================
** Shared helpers (constrained.c, kkt.c, bounds.c)
** ======================================================= */

/* The KKT residuals (max-norms) at x with multipliers y, zl, zu:
** primal = the largest violation (equalities, inequalities, bounds),
** stationarity = |grad f - J'y - zl + zu|_inf, complementarity = the
** largest |y_i c_i| over inequalities, |zl_j (x_j - l_j)|,
** |zu_j (u_j - x_j)|, and any wrong-signed multiplier. work: n + m + m n
** doubles. Evaluates f, c and their derivatives once (counted). */
typedef struct slope_kkt {
  double primal, stationarity, complementarity;
  double gscale;  /* max(1, |grad f|_inf) */
} slope_kkt;
void slope_ckkt(slope_cproblem *P, const double *x, const double *y,
                const double *zl, const double *zu, slope_kkt *k,
                double *work);

/* 1 if k meets the tolerances of o (as in slope_copts). */
int slope_ckkt_ok(const slope_kkt *k, const slope_copts *o);

/* Bound multipliers from a gradient of the Lagrangian gl at x: where x_j
** is at (within tol of) its lower bound, zl_j = max(0, gl_j); at its
** upper bound, zu_j = max(0, -gl_j); else 0. */
void slope_cbound_multipliers(size_t n, const double *x, const double *lo,
                              const double *up, const double *gl,
                              double tol, double *zl, double *zu);

/* Project x into [lo, up]. */
void slope_cproject(size_t n, double *x, const double *lo, const double *up);

/* The largest violation of c (meq equalities, then inequalities). */
double slope_cviolation(size_t meq, size_t mineq, const double *c);

/* Unboundedness along d from the feasible x: the points x + t d for t = 2,
** 4, 8, ... (inside the bounds) while they stay feasible to ctol relative
** to max(1, |x|_inf) (not to |f|, which a point far below -SLOPE_C_FLOOR
** would make huge); 1 with x and *f moved to the first such point where f
** falls below -SLOPE_C_FLOOR, which certifies "unbounded". xt (n) and ct
** (the constraints' count) are scratch. */
int slope_cprobe_unbounded(slope_cproblem *P, double *x, const double *d,
                           double *f, double ctol, double *xt, double *ct);

/* The registry (constrained.c): a method by name, or NULL. */
const slope_cmethod *slope_cmethod_find(const char *name);

/* Read opts.lower / opts.upper (numbers, vecs or arrays of n; nil: no
** bound) from the table at opts into lo and up (n each), checking
** lengths and lower <= upper; raises "bad argument #argno to 'fname'
** (...)". Returns 1 if any bound is finite. */
int slope_cbounds_check(lua_State *L, int opts, size_t n, double *lo,
                        double *up, const char *fname, int argno);

/* For the driver's bound-constrained runs: set result.multipliers (eq and
** ineq empty, lower and upper vecs) and result.kkt on the result table at
** the top of the stack, from the gradient g of the function minimised at
** x (sign: -1 when maximising, to report in the user's sense). */
void slope_cbounds_push(lua_State *L, size_t n, const double *x,
                        const double *g, const double *lo, const double *up,
                        double sign);

/* Bound-constrained minimisation by projected L-BFGS (bounds.c), for
** the inner problems of a method: minimise obj within [lo, up]. The
** state takes slope_lbfgsb_size bytes; iterate moves x (inside the box)
** and leaves f and g those of the new x; it returns SLOPE_STEP_OK,
** SLOPE_STEP_FAILED (no decrease along the projected path, even along
** -g) or SLOPE_STEP_CONVERGED (the projected gradient is exactly 0).
** restart forgets the curvature pairs (call it when the function
** changes, e.g. new multipliers). */
size_t slope_lbfgsb_size(size_t n, int memory);
void slope_lbfgsb_init(void *state, size_t n, int memory);
void slope_lbfgsb_restart(void *state);
int slope_lbfgsb_iterate(void *state, slope_objective *obj, const double *lo,
                         const double *up, double c1, double *x, double *f,
                         double *g);

/* The projected gradient x - P(x - g): its max-norm (inf nonzero) or
** 2-norm; lo and up may be NULL (no bounds). */
double slope_projgrad_norm(size_t n, const double *x, const double *g,
                           const double *lo, const double *up, int inf);

/* Newton's method on the KKT conditions of the equality-constrained
** problem  min f  s.t.  c_i(x) = 0 for every equality and every
** inequality with act[i] nonzero (act may be NULL: equalities only),
** with x_j held where fix[j] is nonzero (fix may be NULL) (kkt.c). Each
** iteration solves the (n + m) KKT system with the exact Hessian of the
** Lagrangian (LU, regularised when singular or when the reduced Hessian
** is not positive along the step) and searches along it on the l1 merit
** function f + nu |c|_1. x and y (all m entries; inactive ones are set to
** 0) are updated in place. Calls o->monitor each iteration when monitor
** is nonzero. Returns a SLOPE_C_* status (CONVERGED when stationarity
** and feasibility hold to o's tolerances); *iters counts iterations.
** work: slope_kkt_worksize(n, m) doubles. */
size_t slope_kkt_worksize(size_t n, size_t m);
int slope_kkt_newton(slope_cproblem *P, const slope_copts *o,
                     const unsigned char *act, const unsigned char *fix,
                     long maxiter, int monitor, double *x, double *y,
                     long *iters, double *work);

/* The methods (each enabled by its line in the registry of
** constrained.c). */
extern const slope_cmethod slope_cmethod_auglag;    /* auglag.c */
extern const slope_cmethod slope_cmethod_newtonkkt; /* kkt.c */
extern const slope_cmethod slope_cmethod_sqp;       /* sqp.c */
extern const slope_cmethod slope_cmethod_barrier;   /* barrier.c */

/* Opener part for driver.c's optim table: adds constrained, lagrange and
** qp to the table on top of the stack. */
void slope_constrained_register(lua_State *L);

#endif
