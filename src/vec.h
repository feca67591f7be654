/*
** vec.h: slope's native vectors and matrices, shared by every module.
** Contiguous doubles (matrices row-major) that GSL views wrap without
** copying. A Lua array of numbers is accepted wherever a vector is.
*/
#ifndef SLOPE_VEC_H
#define SLOPE_VEC_H

#include <stddef.h>

#include <gsl/gsl_matrix.h>
#include <gsl/gsl_vector.h>
#include <lua.h>

#define SLOPE_VEC "slope.vec"
#define SLOPE_MAT "slope.mat"

typedef struct slope_vec {
  size_t n;
  double *data;
} slope_vec;

typedef struct slope_mat {
  size_t rows, cols;
  double *data;  /* rows * cols, row-major */
} slope_mat;

/* The doubles never move: data stays valid while the object is reachable
** (keep it on the stack). A vector may be a row m[i] of a matrix, its data
** then inside the matrix's. */

/* Push a new zero-filled vector / matrix and return it; works before
** slope_open_vec. A size whose byte count would overflow raises. */
slope_vec *slope_vec_push(lua_State *L, size_t n);
slope_mat *slope_mat_push(lua_State *L, size_t rows, size_t cols);

/* The vector or matrix userdata at arg, or NULL. */
slope_vec *slope_vec_test(lua_State *L, int arg);
slope_mat *slope_mat_test(lua_State *L, int arg);

/* A vector at arg, or a Lua array of numbers converted in place into a new
** vector (the stack slot is replaced); raises a luaL_argerror naming the
** function and the argument otherwise. */
slope_vec *slope_vec_checkarg(lua_State *L, int arg);
slope_mat *slope_mat_checkarg(lua_State *L, int arg);

/* "vec", "mat", or the Lua type name of the value at idx, for messages. */
const char *slope_kindname(lua_State *L, int idx);

/* NULL if every key of the options table at idx is in names (NULL-ended);
** else pushes and returns "unknown option 'k' (expected 'a', 'b' or 'c')"
** for the caller's argument error. */
const char *slope_unknownoption(lua_State *L, int idx,
                                const char *const names[]);

/* GSL views over the same memory: no copy. */
gsl_vector_view slope_vec_gsl(slope_vec *v);
gsl_matrix_view slope_mat_gsl(slope_mat *m);

/* Opener for core.c: pushes the module table (constructors and helpers). */
int slope_open_vec(lua_State *L);

#endif
