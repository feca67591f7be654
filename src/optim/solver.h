/*
** solver.h: the one interface every minimisation method plugs into, in
** the manner of GSL's minimizer types. A method is a slope_solver_type:
** its name, the bytes of state it needs for n variables, init and iterate.
** The driver (driver.c) owns everything else, once: the loop, stopping
** tests, schedules, trace, callbacks, Ctrl-C, timing, evaluation counts
** and the best point so far. Adding a method is one file and one entry in
** the table of driver.c.
**
** Solvers see the objective only through slope_objective: no Lua, and no
** allocation after init (the driver allocates the state once).
*/
#ifndef SLOPE_SOLVER_H
#define SLOPE_SOLVER_H

#include <stddef.h>

#include "kernels.h"

/* The objective: f at x, and its gradient into g unless g is NULL; the
** Hessian (n * n, row-major) and Hessian-vector products where the
** driver can provide them (NULL otherwise: a method that needs them is
** refused before it starts). Each call is counted. */
typedef struct slope_objective {
  size_t n;
  double (*fg)(void *ctx, const double *x, double *g);
  void (*hess)(void *ctx, const double *x, double *h);
  void (*hvp)(void *ctx, const double *x, const double *v, double *hv);
  void *ctx;
  /* Bounds lower <= x <= upper (n each, +-HUGE_VAL where absent), or NULL
  ** for none: the bound-constrained L-BFGS (bounds.c) reads them. */
  const double *lower, *upper;
  long nf, ng, nh;  /* evaluations: f, gradient, Hessian or H*v */
  unsigned notes;   /* SLOPE_NOTE_* bits a method sets along the way */
} slope_objective;

/* Things a method reports about its run (result.notes). */
enum {
  SLOPE_NOTE_HESSIAN_MODIFIED = 1u << 0,  /* an indefinite Hessian shifted */
  SLOPE_NOTE_NEGATIVE_CURVATURE = 1u << 1,  /* stepped out of a saddle */
  SLOPE_NOTE_RESTARTED = 1u << 2  /* cg/bfgs reset to steepest descent */
};

/* Hyper-parameters the methods read (each documents its defaults). */
typedef struct slope_params {
  double lr;            /* the learning rate of this iteration */
  double momentum;      /* momentum, nesterov: beta (0.9) */
  double beta1, beta2;  /* adam, adamw: 0.9, 0.999; rmsprop: beta2 = rho */
  double eps;           /* adagrad, rmsprop, adam: 1e-8 */
  double weight_decay;  /* adamw: 0.01 */
  int linesearch;       /* gd: Armijo backtracking instead of a fixed rate */
  double c1, c2;        /* Wolfe constants: 1e-4 and 0.9 (cg: 0.1) */
  int memory;           /* lbfgs: correction pairs kept (10) */
  int variant;          /* cg: 0 Polak-Ribiere+, 1 Fletcher-Reeves */
} slope_params;

/* What iterate returns. */
enum {
  SLOPE_STEP_OK = 0,
  SLOPE_STEP_FAILED,   /* the line search found no acceptable step */
  SLOPE_STEP_CONVERGED /* the method knows it is done (nelder-mead: the
                          simplex is smaller than xtol) */
};

typedef struct slope_solver_type {
  const char *name;
  /* Bytes of state for n variables with these parameters. */
  size_t (*size)(size_t n, const slope_params *p);
  /* Set up the state at x, where f and g are known. */
  void (*init)(void *state, size_t n, const slope_params *p);
  /* Iteration k (from 0): move x, leaving f and g those of the new x. */
  int (*iterate)(void *state, slope_objective *obj, const slope_params *p,
                 long k, double *x, double *f, double *g);
  /* Second-order information the method needs: SLOPE_NEEDS_* bits. */
  unsigned needs;
  /* Optional (NULL): at a stationary point the driver found to be a saddle,
  ** step out along negative curvature; SLOPE_STEP_OK if x moved (then f
  ** and g are those of the new x). Newton-type methods provide it. */
  int (*escape)(void *state, slope_objective *obj, const slope_params *p,
                double *x, double *f, double *g);
} slope_solver_type;

enum {
  SLOPE_NEEDS_HESSIAN = 1u << 0,  /* obj->hess */
  SLOPE_NEEDS_HVP = 1u << 1,      /* obj->hvp */
  SLOPE_DERIVATIVE_FREE = 1u << 2, /* never looks at g: iterate calls fg
                                      with g NULL and the driver skips gtol */
  SLOPE_USES_LR = 1u << 3          /* steps by a learning rate (lr) */
};


/* The first-order family (firstorder.c). */
extern const slope_solver_type slope_solver_gd, slope_solver_momentum,
    slope_solver_nesterov, slope_solver_adagrad, slope_solver_rmsprop,
    slope_solver_adam, slope_solver_adamw;

/* Newton and Newton-CG (newton.c); Nelder-Mead (neldermead.c). */
extern const slope_solver_type slope_solver_newton, slope_solver_newtoncg,
    slope_solver_neldermead;

/* BFGS, L-BFGS (quasinewton.c) and nonlinear CG (cg.c). */
extern const slope_solver_type slope_solver_bfgs, slope_solver_lbfgs,
    slope_solver_cg;

/* L-BFGS within bounds, projected (bounds.c): what "lbfgs" runs when the
** objective has bounds. */
extern const slope_solver_type slope_solver_lbfgsb;

#endif
