/*
** lbfgsmem.h: the limited memory of L-BFGS (Nocedal and Wright, chapter
** 7): the last m pairs s = x+ - x, y = g+ - g in a ring, and the product
** of the inverse-Hessian approximation they define with a vector (the
** two-loop recursion). lbfgs (quasinewton.c) and the bounded lbfgs
** (bounds.c) share it.
**
** The ring has m + 1 slots: the pairs kept are the count slots before
** next, and slot next, always free, is where the caller forms a new pair
** (slope_lbfgs_s and _y) before offering it with slope_lbfgs_keep, so a
** pair is never copied.
*/
#ifndef SLOPE_LBFGSMEM_H
#define SLOPE_LBFGSMEM_H

#include <stddef.h>

typedef struct slope_lbfgs_memory {
  size_t n, m;          /* variables, pairs kept */
  size_t count, next;   /* pairs stored; the free slot */
  int scaled;           /* gamma comes from a pair (else 1) */
  double gamma;         /* s'y / y'y of the newest pair: H0 = gamma I */
  double *S, *Y;        /* m + 1 slots of n */
  double *rho, *alpha;  /* 1 / s'y per slot; the recursion's coefficients */
} slope_lbfgs_memory;

/* Doubles of storage for n variables and m pairs (m >= 1). */
size_t slope_lbfgs_doubles(size_t n, size_t m);

/* Lay M out over storage (slope_lbfgs_doubles of them), empty. */
void slope_lbfgs_init(slope_lbfgs_memory *M, size_t n, size_t m,
                      double *storage);

/* Forget every pair (H back to the identity). */
void slope_lbfgs_reset(slope_lbfgs_memory *M);

/* The free slot's s and y, where the next pair is formed. */
double *slope_lbfgs_s(slope_lbfgs_memory *M);
double *slope_lbfgs_y(slope_lbfgs_memory *M);

/* Keep the pair in the free slot if its curvature s'y is clearly positive
** (then gamma follows it); 1 if kept. */
int slope_lbfgs_keep(slope_lbfgs_memory *M);

/* d = -H g (d and g distinct); returns g'd. */
double slope_lbfgs_direction(slope_lbfgs_memory *M, const double *g,
                             double *d);

#endif
