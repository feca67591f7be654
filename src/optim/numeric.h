/*
** numeric.h: the objective of a function that cannot be traced: f through
** Lua, derivatives by central differences.
*/
#ifndef SLOPE_NUMERIC_H
#define SLOPE_NUMERIC_H

#include <stddef.h>

#include <lua.h>

typedef struct slope_numeric {
  lua_State *L;
  int fidx;           /* absolute stack index of f while the run goes */
  size_t n;
  const char *fname;  /* for messages */
  double *scratch;    /* 5 n doubles */
} slope_numeric;

double slope_numeric_f(slope_numeric *o, const double *x);
void slope_numeric_grad(slope_numeric *o, const double *x, double *g);
void slope_numeric_hvp(slope_numeric *o, const double *x, const double *v,
                       double *hv);
void slope_numeric_hessian(slope_numeric *o, const double *x, double *h);

#endif
