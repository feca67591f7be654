/*
** numeric.c: an objective for a Lua function that cannot be traced: f is
** called through Lua, its gradient is taken by central differences (2n
** calls), its Hessian-vector products by central differences of
** gradients. Slow by nature; the driver says in the result that it was
** used. Errors raised by f propagate as they are.
*/
#include "config.h"

#include <float.h>
#include <math.h>
#include <string.h>

#include <lauxlib.h>
#include <lua.h>

#include "optim/numeric.h"
#include "vec.h"

/* Relative steps balancing truncation against rounding: cbrt(eps) for a
** central first difference, and for the differences of differences. */
#define STEP1 6.0554544523933395e-06
#define STEP2 1.0e-4

double slope_numeric_f(slope_numeric *o, const double *x) {
  lua_State *L = o->L;
  double f;
  int isnum;
  lua_pushvalue(L, o->fidx);
  memcpy(slope_vec_push(L, o->n)->data, x, o->n * sizeof(double));
  lua_call(L, 1, 1);
  f = lua_tonumberx(L, -1, &isnum);
  if (!isnum)
    luaL_error(L, "%s: f returned %s, not a number", o->fname,
               luaL_typename(L, -1));
  lua_pop(L, 1);
  return f;
}

void slope_numeric_grad(slope_numeric *o, const double *x, double *g) {
  size_t i, n = o->n;
  double *xs = o->scratch;
  memcpy(xs, x, n * sizeof(double));
  for (i = 0; i < n; i++) {
    double h = STEP1 * fmax(1, fabs(x[i])), hp, hm, fp, fm;
    xs[i] = x[i] + h;
    hp = xs[i] - x[i];
    fp = slope_numeric_f(o, xs);
    xs[i] = x[i] - h;
    hm = x[i] - xs[i];
    fm = slope_numeric_f(o, xs);
    xs[i] = x[i];
    g[i] = (fp - fm) / (hp + hm);
  }
}

void slope_numeric_hvp(slope_numeric *o, const double *x, const double *v,
                       double *hv) {
  size_t i, n = o->n;
  double *xs = o->scratch + n, *gm = o->scratch + 2 * n, nv = 0, nx = 0, t;
  for (i = 0; i < n; i++) {
    nv += v[i] * v[i];
    nx += x[i] * x[i];
  }
  if (nv == 0) {
    memset(hv, 0, n * sizeof(double));
    return;
  }
  t = STEP2 * fmax(1, sqrt(nx)) / sqrt(nv);
  for (i = 0; i < n; i++) xs[i] = x[i] + t * v[i];
  slope_numeric_grad(o, xs, hv);
  for (i = 0; i < n; i++) xs[i] = x[i] - t * v[i];
  slope_numeric_grad(o, xs, gm);
  for (i = 0; i < n; i++) hv[i] = (hv[i] - gm[i]) / (2 * t);
}

void slope_numeric_hessian(slope_numeric *o, const double *x, double *h) {
  size_t i, j, n = o->n;
  double *e = o->scratch + 3 * n, *col = o->scratch + 4 * n;
  memset(e, 0, n * sizeof(double));
  for (j = 0; j < n; j++) {
    e[j] = 1;
    slope_numeric_hvp(o, x, e, col);
    e[j] = 0;
    for (i = 0; i < n; i++) h[i * n + j] = col[i];
  }
  for (i = 0; i < n; i++)  /* symmetric, as a Hessian is */
    for (j = i + 1; j < n; j++)
      h[i * n + j] = h[j * n + i] = 0.5 * (h[i * n + j] + h[j * n + i]);
}
