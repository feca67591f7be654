/*
** ad.h: slope.ad's native part (tracing a Lua function into a tape and
** differentiating the tape in C), and the C API the solvers use.
**
** A solver gets a compiled function once (slope_ad_compile or
** slope_ad_checkfn), sets its data (slope_ad_setdata), reserves the
** second-order workspace if it needs Hessians (slope_ad_reserve), and
** then calls the evaluation functions in its loop: they allocate nothing,
** call no Lua and never raise. x, g, v, hv are n doubles; h is n * n and
** j is m * n, row-major.
*/
#ifndef SLOPE_AD_H
#define SLOPE_AD_H

#include <stddef.h>

#include <lua.h>

#define SLOPE_AD_FN "slope.ad.fn"

typedef struct slope_ad_fn slope_ad_fn;

/* Opener for core.c: pushes the native ad table. */
int slope_open_ad(lua_State *L);

/* The compiled function at idx, or NULL / or raise a type error. */
slope_ad_fn *slope_ad_testfn(lua_State *L, int idx);
slope_ad_fn *slope_ad_checkfn(lua_State *L, int idx);

/* Trace the Lua function at f for n inputs with the ndata data values at
** data .. data + ndata - 1 (vecs, mats or arrays), through the cache, and
** push the compiled function. Raises if f cannot be traced; fname names
** the caller in messages. */
slope_ad_fn *slope_ad_compile(lua_State *L, int f, size_t n, int data,
                              int ndata, const char *fname);

size_t slope_ad_n(const slope_ad_fn *F);  /* inputs */
size_t slope_ad_m(const slope_ad_fn *F);  /* outputs */

/* Point the data parameters at the count values from stack index first
** (count 0: the data F was traced with). Raises on a shape mismatch. The
** values must stay alive while F is evaluated with them. */
void slope_ad_setdata(lua_State *L, slope_ad_fn *F, int first, int count,
                      const char *fname);

/* Allocate the tangent workspace (for hvp, hessian, jacobian); raises if
** out of memory. Idempotent. */
void slope_ad_reserve(lua_State *L, slope_ad_fn *F);

double slope_ad_value(slope_ad_fn *F, const double *x);
void slope_ad_values(slope_ad_fn *F, const double *x, double *y);  /* m */
double slope_ad_valgrad(slope_ad_fn *F, const double *x, double *g);
/* These need slope_ad_reserve first. The Hessian and the Jacobian, n or m
** sweeps, stop early and return -1 on a pending Ctrl-C (left pending for
** the caller to take: slope_interrupt_take or _check); else 0. Successive
** hvp calls at the same x, with nothing else evaluated on F and no
** slope_ad_setdata in between, share one forward and one reverse sweep
** (data changed in place in between must go through slope_ad_setdata). */
double slope_ad_dirderiv(slope_ad_fn *F, const double *x, const double *v);
void slope_ad_hvp(slope_ad_fn *F, const double *x, const double *v,
                  double *hv);
int slope_ad_hessian(slope_ad_fn *F, const double *x, double *h);
int slope_ad_jacobian(slope_ad_fn *F, const double *x, double *j);

#endif
