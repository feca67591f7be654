/*
** vec.c: slope's native vectors and matrices.
** A vector or a matrix is one full userdata: the header of vec.h followed
** by its doubles, so Lua's collector sees the real size and nothing needs
** a __gc. A matrix row m[i] is a vector header whose data point into the
** matrix, which the row's user value keeps alive.
*/
#include "config.h"

#include <float.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <lauxlib.h>
#include <lua.h>

#include "interrupt.h"
#include "kernels.h"
#include "vec.h"

/* Offset of the doubles after a header, rounded up for their alignment. */
#define DATA_OFFSET(h) \
  ((sizeof(h) + sizeof(double) - 1) / sizeof(double) * sizeof(double))
#define VEC_OFFSET DATA_OFFSET(slope_vec)
#define MAT_OFFSET DATA_OFFSET(slope_mat)

/* Most elements of one object: byte sizes can never overflow, and any
** size up to this is left to the allocator ("not enough memory"). */
#define MAXN ((size_t)(PTRDIFF_MAX / 4) / sizeof(double))

/* Operand kinds of the arithmetic metamethods. */
enum { K_NUM, K_VEC, K_MAT, K_TABLE, K_OTHER };
enum { OP_ADD, OP_SUB, OP_MUL, OP_DIV };
static const char *const opnames[] = {"+", "-", "*", "/"};

static void pushvecmeta(lua_State *L);
static void pushmatmeta(lua_State *L);

/*
** {======================================================
** Errors
** =======================================================
*/

/* luaL_argerror, but naming fname rather than the call site's name, so a
** message reads the same however the function was reached (pcall, a
** local alias, __call). A NULL fname defers to luaL_argerror. */
static int argerror(lua_State *L, int arg, const char *fname,
                    const char *msg) {
  lua_Debug ar;
  if (fname == NULL)
    return luaL_argerror(L, arg, msg);
  if (lua_getstack(L, 0, &ar)) {
    lua_getinfo(L, "n", &ar);
    if (ar.namewhat != NULL && strcmp(ar.namewhat, "method") == 0) {
      arg--;  /* do not count self */
      if (arg == 0)
        return luaL_error(L, "calling '%s' on bad self (%s)", fname, msg);
    }
  }
  return luaL_error(L, "bad argument #%d to '%s' (%s)", arg, fname, msg);
}

const char *slope_kindname(lua_State *L, int idx) {
  if (slope_vec_test(L, idx) != NULL)
    return "vec";
  if (slope_mat_test(L, idx) != NULL)
    return "mat";
  return luaL_typename(L, idx);
}

const char *slope_unknownoption(lua_State *L, int idx,
                                const char *const names[]) {
  idx = lua_absindex(L, idx);
  lua_pushnil(L);
  while (lua_next(L, idx) != 0) {
    const char *q, *key;
    int k, known = 0;
    lua_pop(L, 1);  /* the value */
    for (k = 0; lua_type(L, -1) == LUA_TSTRING && names[k] != NULL; k++)
      known = known || strcmp(lua_tostring(L, -1), names[k]) == 0;
    if (!known) {
      luaL_Buffer b;
      q = lua_type(L, -1) == LUA_TSTRING ? "'" : "";
      key = luaL_tolstring(L, -1, NULL);
      luaL_buffinit(L, &b);
      lua_pushfstring(L, "unknown option %s%s%s (expected ", q, key, q);
      luaL_addvalue(&b);
      for (k = 0; names[k] != NULL; k++) {
        if (k > 0)
          luaL_addstring(&b, names[k + 1] != NULL ? ", " : " or ");
        lua_pushfstring(L, "'%s'", names[k]);
        luaL_addvalue(&b);
      }
      luaL_addchar(&b, ')');
      luaL_pushresult(&b);
      return lua_tostring(L, -1);
    }
  }
  return NULL;
}

static int typeerror(lua_State *L, int arg, const char *fname,
                     const char *expected) {
  return argerror(L, arg, fname,
                  lua_pushfstring(L, "%s expected, got %s", expected,
                                  slope_kindname(L, arg)));
}

/* Push "vec of length 3" or "mat 2x3" for the object at idx. */
static const char *describe(lua_State *L, int idx) {
  slope_vec *v = slope_vec_test(L, idx);
  slope_mat *m;
  if (v != NULL)
    return lua_pushfstring(L, "vec of length %I", (lua_Integer)v->n);
  m = slope_mat_test(L, idx);
  if (m != NULL)
    return lua_pushfstring(L, "mat %Ix%I", (lua_Integer)m->rows,
                           (lua_Integer)m->cols);
  return lua_pushstring(L, luaL_typename(L, idx));
}

/* Sizes of the objects at a and b do not fit operation op. */
static int mismatch(lua_State *L, const char *op, int a, int b) {
  const char *da = describe(L, a);
  const char *db = describe(L, b);
  return luaL_error(L, "size mismatch for '%s' (%s and %s)", op, da, db);
}

/* Push "index 5 out of range 1..3" (or "... (size 0)"). */
static const char *rangemsg(lua_State *L, const char *what, lua_Integer i,
                            size_t n) {
  if (n == 0)
    return lua_pushfstring(L, "%s %I out of range (size 0)", what, i);
  return lua_pushfstring(L, "%s %I out of range 1..%I", what, i,
                         (lua_Integer)n);
}

/* }====================================================== */

/*
** {======================================================
** Arguments
** =======================================================
*/

static double checknumber(lua_State *L, int arg, const char *fname) {
  if (lua_type(L, arg) != LUA_TNUMBER)
    typeerror(L, arg, fname, "number");
  return lua_tonumber(L, arg);
}

static double optnumber(lua_State *L, int arg, double def,
                        const char *fname) {
  return lua_isnoneornil(L, arg) ? def : checknumber(L, arg, fname);
}

static lua_Integer checkinteger(lua_State *L, int arg, const char *fname) {
  int isint;
  lua_Integer i;
  if (lua_type(L, arg) != LUA_TNUMBER)
    typeerror(L, arg, fname, "number");
  i = lua_tointegerx(L, arg, &isint);
  if (!isint)
    argerror(L, arg, fname, "number has no integer representation");
  return i;
}

/* A size: an integer from 0 to MAXN. */
static size_t checksize(lua_State *L, int arg, const char *fname) {
  lua_Integer n = checkinteger(L, arg, fname);
  if (n < 0)
    argerror(L, arg, fname,
             lua_pushfstring(L, "non-negative size expected, got %I", n));
  if ((lua_Unsigned)n > MAXN)
    argerror(L, arg, fname, lua_pushfstring(L, "size %I too large", n));
  return (size_t)n;
}

/* A 1-based index into n elements at arg; returns it 0-based. */
static size_t checkindex(lua_State *L, int arg, size_t n, const char *fname,
                         const char *what) {
  lua_Integer i = checkinteger(L, arg, fname);
  if (i < 1 || (lua_Unsigned)i > n)
    argerror(L, arg, fname, rangemsg(L, what, i, n));
  return (size_t)(i - 1);
}

/* }====================================================== */

/*
** {======================================================
** Objects
** =======================================================
*/

/* Raise fmt about sizes that no userdata can hold (whatever a C caller
** asked for: lua_pushfstring has no size_t format). */
static int toolarge(lua_State *L, const char *fmt, size_t a, size_t b) {
  char msg[80];
  snprintf(msg, sizeof msg, fmt, a, b);
  return luaL_error(L, "%s", msg);
}

/* Push a vector of n uninitialised doubles. */
static slope_vec *newvec(lua_State *L, size_t n) {
  slope_vec *v;
  if (n > MAXN)
    toolarge(L, "vec of length %zu too large", n, 0);
  v = (slope_vec *)lua_newuserdatauv(L, VEC_OFFSET + n * sizeof(double), 0);
  v->n = n;
  v->data = (double *)((char *)v + VEC_OFFSET);
  pushvecmeta(L);
  lua_setmetatable(L, -2);
  return v;
}

/* Push a rows x cols matrix of uninitialised doubles. */
static slope_mat *newmat(lua_State *L, size_t rows, size_t cols) {
  slope_mat *m;
  if (rows > MAXN || cols > MAXN || (cols != 0 && rows > MAXN / cols))
    toolarge(L, "mat %zux%zu too large", rows, cols);
  m = (slope_mat *)lua_newuserdatauv(
      L, MAT_OFFSET + rows * cols * sizeof(double), 0);
  m->rows = rows;
  m->cols = cols;
  m->data = (double *)((char *)m + MAT_OFFSET);
  pushmatmeta(L);
  lua_setmetatable(L, -2);
  return m;
}

/* Push row i (0-based) of the matrix m at matidx: a vector over the same
** memory that keeps the matrix alive through its user value. */
static void pushrow(lua_State *L, int matidx, slope_mat *m, size_t i) {
  slope_vec *r = (slope_vec *)lua_newuserdatauv(L, sizeof(slope_vec), 1);
  r->n = m->cols;
  r->data = m->data + i * m->cols;
  lua_pushvalue(L, matidx);
  lua_setiuservalue(L, -2, 1);
  pushvecmeta(L);
  lua_setmetatable(L, -2);
}

slope_vec *slope_vec_push(lua_State *L, size_t n) {
  slope_vec *v = newvec(L, n);
  if (n > 0)
    memset(v->data, 0, n * sizeof(double));
  return v;
}

slope_mat *slope_mat_push(lua_State *L, size_t rows, size_t cols) {
  slope_mat *m = newmat(L, rows, cols);
  if (rows * cols > 0)
    memset(m->data, 0, rows * cols * sizeof(double));
  return m;
}

slope_vec *slope_vec_test(lua_State *L, int arg) {
  return (slope_vec *)luaL_testudata(L, arg, SLOPE_VEC);
}

slope_mat *slope_mat_test(lua_State *L, int arg) {
  return (slope_mat *)luaL_testudata(L, arg, SLOPE_MAT);
}

/* Index of the first non-number among t[1..n] at idx, or 0. */
static size_t firstbad(lua_State *L, int idx, size_t n) {
  size_t i;
  for (i = 1; i <= n; i++) {
    int t = lua_rawgeti(L, idx, (lua_Integer)i);
    lua_pop(L, 1);
    if (t != LUA_TNUMBER)
      return i;
  }
  return 0;
}

/* Copy the numbers t[1..n] of the table at idx into dst. */
static void readarray(lua_State *L, int idx, double *dst, size_t n) {
  size_t i;
  for (i = 0; i < n; i++) {
    lua_rawgeti(L, idx, (lua_Integer)i + 1);
    dst[i] = lua_tonumber(L, -1);
    lua_pop(L, 1);
  }
}

/* The vector at arg, or a Lua array there converted into a new vector that
** replaces it on the stack. Errors name fname (NULL: the caller). */
static slope_vec *tovec(lua_State *L, int arg, const char *fname) {
  slope_vec *v = slope_vec_test(L, arg);
  size_t n, bad;
  if (v != NULL)
    return v;
  if (lua_type(L, arg) != LUA_TTABLE)
    typeerror(L, arg, fname, "vec or table");
  arg = lua_absindex(L, arg);
  n = (size_t)lua_rawlen(L, arg);
  bad = firstbad(L, arg, n);
  if (bad != 0) {
    lua_rawgeti(L, arg, (lua_Integer)bad);
    argerror(L, arg, fname,
             lua_pushfstring(L, "number expected at [%I], got %s",
                             (lua_Integer)bad, luaL_typename(L, -1)));
  }
  v = newvec(L, n);
  readarray(L, arg, v->data, n);
  lua_replace(L, arg);
  return v;
}

/* Length of row r (1-based) of the table at arg, the row being on top of
** the stack: a table or a vector. */
static size_t rowlen(lua_State *L, int arg, lua_Integer r,
                     const char *fname) {
  slope_vec *v = slope_vec_test(L, -1);
  if (v != NULL)
    return v->n;
  if (lua_type(L, -1) != LUA_TTABLE)
    argerror(L, arg, fname,
             lua_pushfstring(L, "table or vec expected at [%I], got %s", r,
                             luaL_typename(L, -1)));
  return (size_t)lua_rawlen(L, -1);
}

/* The matrix at arg, or a Lua array of rows (tables or vectors of numbers)
** converted into a new matrix that replaces it on the stack. */
static slope_mat *tomat(lua_State *L, int arg, const char *fname) {
  slope_mat *m = slope_mat_test(L, arg);
  size_t rows, cols = 0, i;
  if (m != NULL)
    return m;
  if (lua_type(L, arg) != LUA_TTABLE)
    typeerror(L, arg, fname, "mat or table");
  arg = lua_absindex(L, arg);
  rows = (size_t)lua_rawlen(L, arg);
  for (i = 1; i <= rows; i++) {  /* check everything first */
    size_t n, bad;
    lua_rawgeti(L, arg, (lua_Integer)i);
    n = rowlen(L, arg, (lua_Integer)i, fname);
    if (i == 1)
      cols = n;
    else if (n != cols)
      argerror(L, arg, fname,
               lua_pushfstring(L,
                               "ragged rows: row 1 has length %I, row %I "
                               "has length %I",
                               (lua_Integer)cols, (lua_Integer)i,
                               (lua_Integer)n));
    if (lua_type(L, -1) == LUA_TTABLE && (bad = firstbad(L, -1, n)) != 0) {
      lua_rawgeti(L, -1, (lua_Integer)bad);
      argerror(L, arg, fname,
               lua_pushfstring(L, "number expected at [%I][%I], got %s",
                               (lua_Integer)i, (lua_Integer)bad,
                               luaL_typename(L, -1)));
    }
    lua_pop(L, 1);
  }
  m = newmat(L, rows, cols);
  for (i = 0; i < rows; i++) {
    slope_vec *v;
    lua_rawgeti(L, arg, (lua_Integer)i + 1);
    if ((v = slope_vec_test(L, -1)) != NULL)
      memcpy(m->data + i * cols, v->data, cols * sizeof(double));
    else
      readarray(L, -1, m->data + i * cols, cols);
    lua_pop(L, 1);
  }
  lua_replace(L, arg);
  return m;
}

slope_vec *slope_vec_checkarg(lua_State *L, int arg) {
  return tovec(L, arg, NULL);
}

slope_mat *slope_mat_checkarg(lua_State *L, int arg) {
  return tomat(L, arg, NULL);
}

gsl_vector_view slope_vec_gsl(slope_vec *v) {
  gsl_vector_view view;
  view.vector.size = v->n;
  view.vector.stride = 1;
  view.vector.data = v->data;
  view.vector.block = NULL;
  view.vector.owner = 0;
  return view;
}

gsl_matrix_view slope_mat_gsl(slope_mat *m) {
  gsl_matrix_view view;
  view.matrix.size1 = m->rows;
  view.matrix.size2 = m->cols;
  view.matrix.tda = m->cols;
  view.matrix.data = m->data;
  view.matrix.block = NULL;
  view.matrix.owner = 0;
  return view;
}

/* The vector (matrix) at arg, with no conversion: the self of a method
** ("calling 'f' on bad self" otherwise). */
static slope_vec *checkvec(lua_State *L, int arg, const char *fname) {
  slope_vec *v = slope_vec_test(L, arg);
  if (v == NULL)
    typeerror(L, arg, fname, "vec");
  return v;
}

static slope_mat *checkmat(lua_State *L, int arg, const char *fname) {
  slope_mat *m = slope_mat_test(L, arg);
  if (m == NULL)
    typeerror(L, arg, fname, "mat");
  return m;
}

/* }====================================================== */

/*
** {======================================================
** Arithmetic
** =======================================================
*/

/* r[i] = x[i * incx] op y[i * incy]; an increment of 0 broadcasts. */
static void elementwise(int op, const double *x, size_t incx,
                        const double *y, size_t incy, double *r, size_t n) {
  size_t i;
  switch (op) {
  case OP_ADD:
    for (i = 0; i < n; i++)
      r[i] = x[i * incx] + y[i * incy];
    break;
  case OP_SUB:
    for (i = 0; i < n; i++)
      r[i] = x[i * incx] - y[i * incy];
    break;
  case OP_MUL:
    for (i = 0; i < n; i++)
      r[i] = x[i * incx] * y[i * incy];
    break;
  default:
    for (i = 0; i < n; i++)
      r[i] = x[i * incx] / y[i * incy];
    break;
  }
}

static int kindof(lua_State *L, int idx) {
  switch (lua_type(L, idx)) {
  case LUA_TNUMBER:
    return K_NUM;
  case LUA_TTABLE:
    return K_TABLE;
  case LUA_TUSERDATA:
    if (slope_vec_test(L, idx) != NULL)
      return K_VEC;
    if (slope_mat_test(L, idx) != NULL)
      return K_MAT;
    return K_OTHER;
  default:
    return K_OTHER;
  }
}

/* Data, increment and count of operand idx of kind k (a number is
** broadcast from *scalar). */
static const double *operand(lua_State *L, int idx, int k, double *scalar,
                             size_t *inc) {
  *inc = 1;
  if (k == K_VEC)
    return ((slope_vec *)lua_touserdata(L, idx))->data;
  if (k == K_MAT)
    return ((slope_mat *)lua_touserdata(L, idx))->data;
  *scalar = lua_tonumber(L, idx);
  *inc = 0;
  return scalar;
}

/* Push a * x for the rows x cols matrix a and the vector x. */
static void matvec(lua_State *L, const slope_mat *a, const double *x) {
  slope_vec *r = newvec(L, a->rows);
  size_t i, j;
  for (i = 0; i < a->rows; i++) {
    const double *row = a->data + i * a->cols;
    double s = 0;
    for (j = 0; j < a->cols; j++)
      s += row[j] * x[j];
    r->data[i] = s;
  }
}

/* Push a * b. Polls Ctrl-C once per row of the result, so that a huge
** product can be stopped. */
static void matmul(lua_State *L, const slope_mat *a, const slope_mat *b) {
  slope_mat *r = newmat(L, a->rows, b->cols);
  size_t i, j, k, n = b->cols;
  for (i = 0; i < a->rows; i++) {
    double *ri = r->data + i * n;
    slope_interrupt_check(L);
    for (j = 0; j < n; j++)
      ri[j] = 0;
    for (k = 0; k < a->cols; k++) {  /* row i of r += a[i][k] * row k of b */
      double aik = a->data[i * a->cols + k];
      const double *bk = b->data + k * n;
      for (j = 0; j < n; j++)
        ri[j] += aik * bk[j];
    }
  }
}

/* Is the first element of the table at idx a table or a vector (so the
** table reads as a matrix)? */
static int rowsfirst(lua_State *L, int idx) {
  int t = lua_rawgeti(L, idx, 1);
  int rows = t == LUA_TTABLE || slope_vec_test(L, -1) != NULL;
  lua_pop(L, 1);
  return rows;
}

/* The arithmetic metamethods of both types. The first vector or matrix
** operand leads; the other one must be a number or match it (a table is
** converted), except that a matrix times a vector or a matrix is a
** product. */
static int arith(lua_State *L, int op) {
  const char *fname = opnames[op];
  int k1 = kindof(L, 1);
  int lead = (k1 == K_VEC || k1 == K_MAT) ? 1 : 2;
  int other = 3 - lead;
  int kl = kindof(L, lead), ko = kindof(L, other);
  int product = kl == K_MAT && lead == 1 && op == OP_MUL;
  const double *x, *y;
  double sx, sy;
  size_t incx, incy, n;
  lua_settop(L, 2);
  if (ko == K_TABLE) {
    if (kl == K_VEC || (product && !rowsfirst(L, other))) {
      tovec(L, other, fname);
      ko = K_VEC;
    } else {
      tomat(L, other, fname);
      ko = K_MAT;
    }
  }
  if (ko == K_OTHER || (kl == K_VEC && ko == K_MAT) ||
      (kl == K_MAT && ko == K_VEC && !product))
    return typeerror(L, other, fname,
                     kl == K_VEC  ? "number, vec or table"
                     : product    ? "number, vec, mat or table"
                                  : "number, mat or table");
  if (product && ko == K_VEC) {
    slope_mat *a = (slope_mat *)lua_touserdata(L, 1);
    slope_vec *v = (slope_vec *)lua_touserdata(L, 2);
    if (a->cols != v->n)
      return mismatch(L, fname, 1, 2);
    matvec(L, a, v->data);
    return 1;
  }
  if (product && ko == K_MAT) {
    slope_mat *a = (slope_mat *)lua_touserdata(L, 1);
    slope_mat *b = (slope_mat *)lua_touserdata(L, 2);
    if (a->cols != b->rows)
      return mismatch(L, fname, 1, 2);
    matmul(L, a, b);
    return 1;
  }
  if (kl == K_VEC) {
    slope_vec *v = (slope_vec *)lua_touserdata(L, lead);
    if (ko == K_VEC && ((slope_vec *)lua_touserdata(L, other))->n != v->n)
      return mismatch(L, fname, 1, 2);
    n = v->n;
    newvec(L, n);
  } else {
    slope_mat *m = (slope_mat *)lua_touserdata(L, lead);
    if (ko == K_MAT) {
      slope_mat *o = (slope_mat *)lua_touserdata(L, other);
      if (o->rows != m->rows || o->cols != m->cols)
        return mismatch(L, fname, 1, 2);
    }
    n = m->rows * m->cols;
    newmat(L, m->rows, m->cols);
  }
  x = operand(L, 1, lead == 1 ? kl : ko, &sx, &incx);
  y = operand(L, 2, lead == 2 ? kl : ko, &sy, &incy);
  elementwise(op, x, incx, y, incy,
              kl == K_VEC ? ((slope_vec *)lua_touserdata(L, 3))->data
                          : ((slope_mat *)lua_touserdata(L, 3))->data,
              n);
  return 1;
}

static int m_add(lua_State *L) {
  return arith(L, OP_ADD);
}

static int m_sub(lua_State *L) {
  return arith(L, OP_SUB);
}

static int m_mul(lua_State *L) {
  return arith(L, OP_MUL);
}

static int m_div(lua_State *L) {
  return arith(L, OP_DIV);
}

/* Unary minus of either type. */
static int m_unm(lua_State *L) {
  slope_vec *v = slope_vec_test(L, 1);
  const double *x;
  double *r;
  size_t i, n;
  if (v != NULL) {
    x = v->data;
    n = v->n;
    r = newvec(L, n)->data;
  } else {
    slope_mat *m = checkmat(L, 1, "-");
    x = m->data;
    n = m->rows * m->cols;
    r = newmat(L, m->rows, m->cols)->data;
  }
  for (i = 0; i < n; i++)
    r[i] = -x[i];
  return 1;
}

static int equal_data(const double *x, const double *y, size_t n) {
  size_t i;
  for (i = 0; i < n; i++)
    if (x[i] != y[i])
      return 0;
  return 1;
}

/* Exact elementwise equality of two vectors or two matrices. */
static int m_eq(lua_State *L) {
  slope_vec *v = slope_vec_test(L, 1), *w = slope_vec_test(L, 2);
  slope_mat *a, *b;
  if (v != NULL || w != NULL) {
    lua_pushboolean(L, v != NULL && w != NULL && v->n == w->n &&
                           equal_data(v->data, w->data, v->n));
    return 1;
  }
  a = slope_mat_test(L, 1);
  b = slope_mat_test(L, 2);
  lua_pushboolean(L, a != NULL && b != NULL && a->rows == b->rows &&
                         a->cols == b->cols &&
                         equal_data(a->data, b->data,
                                         a->rows * a->cols));
  return 1;
}

/* }====================================================== */

/*
** {======================================================
** Shared helpers of the methods
** =======================================================
*/

/* Append x as "%.14g" (as Lua prints floats, without a forced ".0"). */
static void addnumber(luaL_Buffer *b, double x) {
  char buf[40];
  if (isnan(x))
    luaL_addstring(b, "nan");
  else {
    snprintf(buf, sizeof buf, "%.14g", x);
    luaL_addstring(b, buf);
  }
}

static void addlist(luaL_Buffer *b, const double *x, size_t n) {
  size_t i;
  luaL_addchar(b, '{');
  for (i = 0; i < n; i++) {
    if (i > 0)
      luaL_addstring(b, ", ");
    addnumber(b, x[i]);
  }
  luaL_addchar(b, '}');
}

static void pushlist(lua_State *L, const double *x, size_t n) {
  size_t i;
  lua_createtable(L, n > INT_MAX ? INT_MAX : (int)n, 0);
  for (i = 0; i < n; i++) {
    lua_pushnumber(L, x[i]);
    lua_rawseti(L, -2, (lua_Integer)i + 1);
  }
}

/* The p-norm of x for p >= 1 (p = HUGE_VAL: the largest magnitude). */
static double pnorm(const double *x, size_t n, double p) {
  double s = 0, big = 0;
  size_t i;
  if (p == 2)
    return slope_norm2(x, n);
  if (p == 1) {
    for (i = 0; i < n; i++)
      s += fabs(x[i]);
    return s;
  }
  for (i = 0; i < n; i++) {
    if (isnan(x[i]))
      return x[i];
    if (fabs(x[i]) > big)
      big = fabs(x[i]);
  }
  if (isinf(p) || big == 0 || isinf(big))
    return big;
  for (i = 0; i < n; i++)
    s += pow(fabs(x[i]) / big, p);
  return big * pow(s, 1 / p);
}

/* }====================================================== */

/*
** {======================================================
** Vectors
** =======================================================
*/

/* vec{x1, x2, ...} or vec(n [, fill]). */
static int vec_new(lua_State *L) {
  if (lua_type(L, 1) == LUA_TTABLE) {
    lua_settop(L, 1);
    tovec(L, 1, "vec");
  } else if (lua_type(L, 1) == LUA_TNUMBER) {
    size_t n = checksize(L, 1, "vec"), i;
    double fill = optnumber(L, 2, 0, "vec");
    slope_vec *v = newvec(L, n);
    for (i = 0; i < n; i++)
      v->data[i] = fill;
  } else
    typeerror(L, 1, "vec", "table or number");
  return 1;
}

/* __call of the vec table: drop the table itself. */
static int vec_call(lua_State *L) {
  lua_remove(L, 1);
  return vec_new(L);
}

/* vec.linspace(a, b, n): n points evenly spaced from a to b inclusive. */
static int vec_linspace(lua_State *L) {
  double a = checknumber(L, 1, "linspace");
  double b = checknumber(L, 2, "linspace");
  size_t n = checksize(L, 3, "linspace"), i;
  slope_vec *v = newvec(L, n);
  for (i = 0; i + 1 < n; i++)
    v->data[i] = a + (b - a) * ((double)i / (double)(n - 1));
  if (n > 0)  /* the ends exactly */
    v->data[n - 1] = n == 1 ? a : b;
  return 1;
}

/* v[i]: an element; v.name: a method. */
static int vec_index(lua_State *L) {
  slope_vec *v = checkvec(L, 1, "index");
  int isint;
  lua_Integer i = lua_tointegerx(L, 2, &isint);
  if (lua_type(L, 2) == LUA_TNUMBER && isint) {
    if (i < 1 || (lua_Unsigned)i > v->n)
      return luaL_error(L, "%s", rangemsg(L, "vec index", i, v->n));
    lua_pushnumber(L, v->data[i - 1]);
    return 1;
  }
  if (lua_type(L, 2) == LUA_TSTRING) {
    lua_pushvalue(L, 2);
    lua_rawget(L, lua_upvalueindex(1));
    return 1;
  }
  if (lua_type(L, 2) == LUA_TNUMBER)
    return luaL_error(L, "vec index must be an integer, got %f",
                      lua_tonumber(L, 2));
  return luaL_error(L, "vec index must be an integer, got %s",
                    luaL_typename(L, 2));
}

/* v[i] = x */
static int vec_newindex(lua_State *L) {
  slope_vec *v = checkvec(L, 1, "newindex");
  int isint;
  lua_Integer i = lua_tointegerx(L, 2, &isint);
  if (lua_type(L, 2) != LUA_TNUMBER || !isint) {
    if (lua_type(L, 2) == LUA_TNUMBER)
      return luaL_error(L, "vec index must be an integer, got %f",
                        lua_tonumber(L, 2));
    return luaL_error(L, "vec index must be an integer, got %s",
                      luaL_typename(L, 2));
  }
  if (i < 1 || (lua_Unsigned)i > v->n)
    return luaL_error(L, "%s", rangemsg(L, "vec index", i, v->n));
  if (lua_type(L, 3) != LUA_TNUMBER)
    return luaL_error(L, "vec element must be a number, got %s",
                      slope_kindname(L, 3));
  v->data[i - 1] = lua_tonumber(L, 3);
  return 0;
}

static int vec_len(lua_State *L) {
  lua_pushinteger(L, (lua_Integer)checkvec(L, 1, "len")->n);
  return 1;
}

/* tostring(v): vec{1, 2.5, 3} */
static int vec_tostring(lua_State *L) {
  slope_vec *v = checkvec(L, 1, "tostring");
  luaL_Buffer b;
  luaL_buffinit(L, &b);
  luaL_addstring(&b, "vec");
  addlist(&b, v->data, v->n);
  luaL_pushresult(&b);
  return 1;
}

static int vec_next(lua_State *L) {
  slope_vec *v = checkvec(L, 1, "next");
  lua_Integer i = luaL_checkinteger(L, 2);
  if (i < 0 || (lua_Unsigned)i >= v->n)
    return 0;
  lua_pushinteger(L, i + 1);
  lua_pushnumber(L, v->data[i]);
  return 2;
}

/* pairs(v): i, v[i] for i = 1, #v. */
static int vec_pairs(lua_State *L) {
  checkvec(L, 1, "pairs");
  lua_pushcfunction(L, vec_next);
  lua_pushvalue(L, 1);
  lua_pushinteger(L, 0);
  return 3;
}

static int vec_copy(lua_State *L) {
  slope_vec *v = checkvec(L, 1, "copy");
  slope_vec *r = newvec(L, v->n);
  if (v->n > 0)
    memcpy(r->data, v->data, v->n * sizeof(double));
  return 1;
}

static int vec_dot(lua_State *L) {
  slope_vec *v = checkvec(L, 1, "dot");
  slope_vec *w = tovec(L, 2, "dot");
  double s = 0;
  size_t i;
  if (v->n != w->n)
    return mismatch(L, "dot", 1, 2);
  for (i = 0; i < v->n; i++)
    s += v->data[i] * w->data[i];
  lua_pushnumber(L, s);
  return 1;
}

/* v:min() / v:max(): the value and its index (NaN skipped unless all). */
static int extremum(lua_State *L, const char *fname, int sign) {
  slope_vec *v = checkvec(L, 1, fname);
  size_t i, best = 0;
  if (v->n == 0)
    return argerror(L, 1, fname, "vec is empty");
  for (i = 1; i < v->n; i++)
    if (sign * v->data[i] < sign * v->data[best] || isnan(v->data[best]))
      best = i;
  lua_pushnumber(L, v->data[best]);
  lua_pushinteger(L, (lua_Integer)best + 1);
  return 2;
}

static int vec_max(lua_State *L) {
  return extremum(L, "max", -1);
}

static int vec_min(lua_State *L) {
  return extremum(L, "min", 1);
}

/* v:norm([p]): p = 2 by default, any p >= 1, math.huge. */
static int vec_norm(lua_State *L) {
  slope_vec *v = checkvec(L, 1, "norm");
  double p = optnumber(L, 2, 2, "norm");
  if (!(p >= 1))
    return argerror(L, 2, "norm",
                    lua_pushfstring(L, "p >= 1 expected, got %f", p));
  lua_pushnumber(L, pnorm(v->data, v->n, p));
  return 1;
}

static int vec_sum(lua_State *L) {
  slope_vec *v = checkvec(L, 1, "sum");
  double s = 0;
  size_t i;
  for (i = 0; i < v->n; i++)
    s += v->data[i];
  lua_pushnumber(L, s);
  return 1;
}

static int vec_totable(lua_State *L) {
  slope_vec *v = checkvec(L, 1, "totable");
  pushlist(L, v->data, v->n);
  return 1;
}

static const luaL_Reg vec_methods[] = {
  {"copy", vec_copy},
  {"dot", vec_dot},
  {"max", vec_max},
  {"min", vec_min},
  {"norm", vec_norm},
  {"sum", vec_sum},
  {"totable", vec_totable},
  {NULL, NULL}
};

static const luaL_Reg vec_metamethods[] = {
  {"__add", m_add},
  {"__div", m_div},
  {"__eq", m_eq},
  {"__index", vec_index},
  {"__len", vec_len},
  {"__mul", m_mul},
  {"__newindex", vec_newindex},
  {"__pairs", vec_pairs},
  {"__sub", m_sub},
  {"__tostring", vec_tostring},
  {"__unm", m_unm},
  {NULL, NULL}
};

/* Push the metatable named tname, building it on first use (so that the
** C API works before slope_open_vec): metamethods that share the method
** table as their upvalue. */
static void pushmeta(lua_State *L, const char *tname, const luaL_Reg *meta,
                     const luaL_Reg *methods) {
  if (luaL_newmetatable(L, tname)) {
    lua_newtable(L);
    luaL_setfuncs(L, methods, 0);
    lua_pushvalue(L, -1);
    lua_setfield(L, -3, "__methods");  /* for completion and help */
    luaL_setfuncs(L, meta, 1);  /* pops the method table */
  }
}

static void pushvecmeta(lua_State *L) {
  pushmeta(L, SLOPE_VEC, vec_metamethods, vec_methods);
}

/* }====================================================== */

/*
** {======================================================
** Matrices
** =======================================================
*/

/* mat{{a, b}, {c, d}} or mat(rows, cols [, fill]). */
static int mat_new(lua_State *L) {
  if (lua_type(L, 1) == LUA_TTABLE) {
    lua_settop(L, 1);
    tomat(L, 1, "mat");
  } else if (lua_type(L, 1) == LUA_TNUMBER) {
    size_t rows = checksize(L, 1, "mat");
    size_t cols = checksize(L, 2, "mat"), i;
    double fill = optnumber(L, 3, 0, "mat");
    slope_mat *m;
    if (cols != 0 && rows > MAXN / cols)
      return argerror(L, 2, "mat",
                      lua_pushfstring(L, "size %Ix%I too large",
                                      (lua_Integer)rows, (lua_Integer)cols));
    m = newmat(L, rows, cols);
    for (i = 0; i < rows * cols; i++)
      m->data[i] = fill;
  } else
    typeerror(L, 1, "mat", "table or number");
  return 1;
}

static int mat_call(lua_State *L) {
  lua_remove(L, 1);
  return mat_new(L);
}

/* mat.eye(n): the n x n identity. */
static int mat_eye(lua_State *L) {
  size_t n = checksize(L, 1, "eye"), i;
  slope_mat *m;
  if (n != 0 && n > MAXN / n)
    return argerror(L, 1, "eye",
                    lua_pushfstring(L, "size %I too large", (lua_Integer)n));
  m = slope_mat_push(L, n, n);
  for (i = 0; i < n; i++)
    m->data[i * n + i] = 1;
  return 1;
}

/* mat.diag(v): the square matrix with v on its diagonal. */
static int mat_diag(lua_State *L) {
  slope_vec *v = tovec(L, 1, "diag");
  size_t n = v->n, i;
  slope_mat *m;
  if (n != 0 && n > MAXN / n)
    return argerror(L, 1, "diag",
                    lua_pushfstring(L, "size %I too large", (lua_Integer)n));
  m = slope_mat_push(L, n, n);
  for (i = 0; i < n; i++)
    m->data[i * n + i] = v->data[i];
  return 1;
}

/* m[i]: row i as a vector over the same memory; m.rows, m.cols; methods. */
static int mat_index(lua_State *L) {
  slope_mat *m = checkmat(L, 1, "index");
  int isint;
  lua_Integer i = lua_tointegerx(L, 2, &isint);
  if (lua_type(L, 2) == LUA_TNUMBER && isint) {
    if (i < 1 || (lua_Unsigned)i > m->rows)
      return luaL_error(L, "%s", rangemsg(L, "mat row index", i, m->rows));
    pushrow(L, 1, m, (size_t)(i - 1));
    return 1;
  }
  if (lua_type(L, 2) == LUA_TSTRING) {
    const char *k = lua_tostring(L, 2);
    if (strcmp(k, "rows") == 0)
      lua_pushinteger(L, (lua_Integer)m->rows);
    else if (strcmp(k, "cols") == 0)
      lua_pushinteger(L, (lua_Integer)m->cols);
    else {
      lua_pushvalue(L, 2);
      lua_rawget(L, lua_upvalueindex(1));
    }
    return 1;
  }
  if (lua_type(L, 2) == LUA_TNUMBER)
    return luaL_error(L, "mat row index must be an integer, got %f",
                      lua_tonumber(L, 2));
  return luaL_error(L, "mat row index must be an integer, got %s",
                    luaL_typename(L, 2));
}

/* m[i] = row: copy a vector or a Lua array of cols numbers into row i. */
static int mat_newindex(lua_State *L) {
  slope_mat *m = checkmat(L, 1, "newindex");
  slope_vec *v;
  int isint;
  lua_Integer i = lua_tointegerx(L, 2, &isint);
  size_t n, bad;
  double *row;
  if (lua_type(L, 2) != LUA_TNUMBER || !isint) {
    if (lua_type(L, 2) == LUA_TNUMBER)
      return luaL_error(L, "mat row index must be an integer, got %f",
                        lua_tonumber(L, 2));
    return luaL_error(L, "mat row index must be an integer, got %s",
                      luaL_typename(L, 2));
  }
  if (i < 1 || (lua_Unsigned)i > m->rows)
    return luaL_error(L, "%s", rangemsg(L, "mat row index", i, m->rows));
  row = m->data + (size_t)(i - 1) * m->cols;
  v = slope_vec_test(L, 3);
  if (v == NULL && lua_type(L, 3) != LUA_TTABLE)
    return luaL_error(L, "bad value for mat row %I (vec or table expected, "
                      "got %s)", i, slope_kindname(L, 3));
  n = v != NULL ? v->n : (size_t)lua_rawlen(L, 3);
  if (n != m->cols)
    return luaL_error(L, "size mismatch for row assignment (row of length %I "
                      "and %s of length %I)", (lua_Integer)m->cols,
                      v != NULL ? "vec" : "table", (lua_Integer)n);
  if (v != NULL) {
    if (n > 0)
      memmove(row, v->data, n * sizeof(double));
  } else if ((bad = firstbad(L, 3, n)) != 0) {
    lua_rawgeti(L, 3, (lua_Integer)bad);
    return luaL_error(L, "bad value for mat row %I (number expected at [%I], "
                      "got %s)", i, (lua_Integer)bad, luaL_typename(L, -1));
  } else
    readarray(L, 3, row, n);
  return 0;
}

static int mat_len(lua_State *L) {
  lua_pushinteger(L, (lua_Integer)checkmat(L, 1, "len")->rows);
  return 1;
}

/* tostring(m): mat{{1, 2}, {3, 4}} */
static int mat_tostring(lua_State *L) {
  slope_mat *m = checkmat(L, 1, "tostring");
  luaL_Buffer b;
  size_t i;
  luaL_buffinit(L, &b);
  luaL_addstring(&b, "mat{");
  for (i = 0; i < m->rows; i++) {
    if (i > 0)
      luaL_addstring(&b, ", ");
    addlist(&b, m->data + i * m->cols, m->cols);
  }
  luaL_addchar(&b, '}');
  luaL_pushresult(&b);
  return 1;
}

static int mat_next(lua_State *L) {
  slope_mat *m = checkmat(L, 1, "next");
  lua_Integer i = luaL_checkinteger(L, 2);
  if (i < 0 || (lua_Unsigned)i >= m->rows)
    return 0;
  lua_pushinteger(L, i + 1);
  pushrow(L, 1, m, (size_t)i);
  return 2;
}

/* pairs(m): i, m[i] for i = 1, #m. */
static int mat_pairs(lua_State *L) {
  checkmat(L, 1, "pairs");
  lua_pushcfunction(L, mat_next);
  lua_pushvalue(L, 1);
  lua_pushinteger(L, 0);
  return 3;
}

/* m:col(j): a copy of column j. */
static int mat_col(lua_State *L) {
  slope_mat *m = checkmat(L, 1, "col");
  size_t j = checkindex(L, 2, m->cols, "col", "column"), i;
  slope_vec *v = newvec(L, m->rows);
  for (i = 0; i < m->rows; i++)
    v->data[i] = m->data[i * m->cols + j];
  return 1;
}

static int mat_copy(lua_State *L) {
  slope_mat *m = checkmat(L, 1, "copy");
  slope_mat *r = newmat(L, m->rows, m->cols);
  if (m->rows * m->cols > 0)
    memcpy(r->data, m->data, m->rows * m->cols * sizeof(double));
  return 1;
}

static int mat_get(lua_State *L) {
  slope_mat *m = checkmat(L, 1, "get");
  size_t i = checkindex(L, 2, m->rows, "get", "row");
  size_t j = checkindex(L, 3, m->cols, "get", "column");
  lua_pushnumber(L, m->data[i * m->cols + j]);
  return 1;
}

/* m:norm(): the Frobenius norm. */
static int mat_norm(lua_State *L) {
  slope_mat *m = checkmat(L, 1, "norm");
  lua_pushnumber(L, slope_norm2(m->data, m->rows * m->cols));
  return 1;
}

static int mat_set(lua_State *L) {
  slope_mat *m = checkmat(L, 1, "set");
  size_t i = checkindex(L, 2, m->rows, "set", "row");
  size_t j = checkindex(L, 3, m->cols, "set", "column");
  m->data[i * m->cols + j] = checknumber(L, 4, "set");
  return 0;
}

/* m:shape(): rows, cols. */
static int mat_shape(lua_State *L) {
  slope_mat *m = checkmat(L, 1, "shape");
  lua_pushinteger(L, (lua_Integer)m->rows);
  lua_pushinteger(L, (lua_Integer)m->cols);
  return 2;
}

static int mat_totable(lua_State *L) {
  slope_mat *m = checkmat(L, 1, "totable");
  size_t i;
  lua_createtable(L, m->rows > INT_MAX ? INT_MAX : (int)m->rows, 0);
  for (i = 0; i < m->rows; i++) {
    pushlist(L, m->data + i * m->cols, m->cols);
    lua_rawseti(L, -2, (lua_Integer)i + 1);
  }
  return 1;
}

/* m:transpose() (alias m:T()): a new cols x rows matrix. */
static int mat_transpose(lua_State *L) {
  slope_mat *m = checkmat(L, 1, "transpose");
  slope_mat *r = newmat(L, m->cols, m->rows);
  size_t i, j;
  for (i = 0; i < m->rows; i++)
    for (j = 0; j < m->cols; j++)
      r->data[j * m->rows + i] = m->data[i * m->cols + j];
  return 1;
}

static const luaL_Reg mat_methods[] = {
  {"T", mat_transpose},
  {"col", mat_col},
  {"copy", mat_copy},
  {"get", mat_get},
  {"norm", mat_norm},
  {"set", mat_set},
  {"shape", mat_shape},
  {"totable", mat_totable},
  {"transpose", mat_transpose},
  {NULL, NULL}
};

static const luaL_Reg mat_metamethods[] = {
  {"__add", m_add},
  {"__div", m_div},
  {"__eq", m_eq},
  {"__index", mat_index},
  {"__len", mat_len},
  {"__mul", m_mul},
  {"__newindex", mat_newindex},
  {"__pairs", mat_pairs},
  {"__sub", m_sub},
  {"__tostring", mat_tostring},
  {"__unm", m_unm},
  {NULL, NULL}
};

static void pushmatmeta(lua_State *L) {
  pushmeta(L, SLOPE_MAT, mat_metamethods, mat_methods);
}

/* }====================================================== */

static int isvec(lua_State *L) {
  lua_pushboolean(L, slope_vec_test(L, 1) != NULL);
  return 1;
}

static int ismat(lua_State *L) {
  lua_pushboolean(L, slope_mat_test(L, 1) != NULL);
  return 1;
}

static const luaL_Reg vec_extras[] = {
  {"linspace", vec_linspace},
  {NULL, NULL}
};

static const luaL_Reg mat_extras[] = {
  {"diag", mat_diag},
  {"eye", mat_eye},
  {NULL, NULL}
};

static const luaL_Reg module_funcs[] = {
  {"ismat", ismat},
  {"isvec", isvec},
  {NULL, NULL}
};

/* Push a table of the functions in extras that calls call when called. */
static void newconstructor(lua_State *L, lua_CFunction call,
                           const luaL_Reg *extras) {
  lua_newtable(L);
  luaL_setfuncs(L, extras, 0);
  lua_createtable(L, 0, 1);
  lua_pushcfunction(L, call);
  lua_setfield(L, -2, "__call");
  lua_setmetatable(L, -2);
}

int slope_open_vec(lua_State *L) {
  pushvecmeta(L);
  pushmatmeta(L);
  lua_pop(L, 2);
  lua_newtable(L);
  luaL_setfuncs(L, module_funcs, 0);
  newconstructor(L, vec_call, vec_extras);
  lua_setfield(L, -2, "vec");
  newconstructor(L, mat_call, mat_extras);
  lua_setfield(L, -2, "mat");
  return 1;
}
