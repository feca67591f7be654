/*
** test_vec.c: the C side of slope's vectors and matrices: pushing them,
** converting Lua arrays, GSL views over the same memory, Ctrl-C polling.
*/
#include "config.h"

#include <signal.h>
#include <stdint.h>
#include <string.h>

#include <gsl/gsl_blas.h>
#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>

#include "interrupt.h"
#include "tap.h"
#include "vec.h"

/* Run a chunk returning nres values; on error report it and push nils. */
static int run(lua_State *L, const char *code, int nres) {
  int i;
  if (luaL_loadstring(L, code) != LUA_OK ||
      lua_pcall(L, 0, nres, 0) != LUA_OK) {
    printf("# %s\n", lua_tostring(L, -1));
    lua_pop(L, 1);
    for (i = 0; i < nres; i++)
      lua_pushnil(L);
    return 0;
  }
  return 1;
}

/* The message of the error code raises, or "" (left on the stack). */
static const char *error_of(lua_State *L, const char *code) {
  if (luaL_loadstring(L, code) != LUA_OK || lua_pcall(L, 0, 0, 0) == LUA_OK) {
    lua_pushliteral(L, "");
    return "";
  }
  return lua_tostring(L, -1);
}

static int has(const char *s, const char *part) {
  int found = s != NULL && strstr(s, part) != NULL;
  if (!found)
    printf("#   got \"%s\", want \"%s\"\n", s ? s : "(null)", part);
  return found;
}

/* needvec(x), needmat(x): a caller of the C API, for its error messages. */
static int needvec(lua_State *L) {
  lua_pushinteger(L, (lua_Integer)slope_vec_checkarg(L, 1)->n);
  return 1;
}

static int needmat(lua_State *L) {
  lua_pushinteger(L, (lua_Integer)slope_mat_checkarg(L, 1)->rows);
  return 1;
}

static int push_huge_vec(lua_State *L) {
  slope_vec_push(L, SIZE_MAX / 2);
  return 1;
}

static int push_huge_mat(lua_State *L) {
  slope_mat_push(L, SIZE_MAX / 4, 8);
  return 1;
}

/* A * B through the metamethod, from C. */
static int product(lua_State *L) {
  lua_arith(L, LUA_OPMUL);
  return 1;
}

static void test_push_before_open(lua_State *L) {
  slope_vec *v = slope_vec_push(L, 3);
  const char *s;
  tap_ok(v != NULL && v->n == 3 && slope_vec_test(L, -1) == v,
         "slope_vec_push works before the module is opened");
  tap_ok(v->data[0] == 0 && v->data[1] == 0 && v->data[2] == 0,
         "slope_vec_push fills with zeros");
  s = luaL_tolstring(L, -1, NULL);
  tap_ok(has(s, "vec{0, 0, 0}"), "pushed vec has its metatable");
  lua_pop(L, 2);
  v = slope_vec_push(L, 0);
  tap_ok(v->n == 0, "slope_vec_push of length 0");
  lua_pop(L, 1);
}

static void test_vec_view(lua_State *L) {
  slope_vec *v;
  gsl_vector_view view;
  run(L, "x = V.vec{2.385, -1.75, 3.125}; return x", 1);
  v = slope_vec_test(L, -1);
  tap_ok(v != NULL && v->n == 3, "a vec made in Lua is seen from C");
  if (v == NULL)
    return;
  view = slope_vec_gsl(v);
  tap_ok(view.vector.data == v->data && view.vector.size == 3 &&
             view.vector.stride == 1,
         "slope_vec_gsl is a view over the same memory");
  tap_close(gsl_vector_get(&view.vector, 0), 2.385, 0, "gsl reads v[1]");
  gsl_vector_set(&view.vector, 1, 7.625);
  gsl_vector_scale(&view.vector, 2);
  run(L, "return x[1], x[2], x[3]", 3);
  tap_close(lua_tonumber(L, -3), 4.77, 1e-15, "Lua sees gsl_vector_scale (1)");
  tap_close(lua_tonumber(L, -2), 15.25, 0, "Lua sees gsl_vector_set (2)");
  tap_close(lua_tonumber(L, -1), 6.25, 0, "Lua sees gsl_vector_scale (3)");
  lua_pop(L, 3);
  run(L, "x[3] = -0.4375", 0);
  tap_close(gsl_vector_get(&view.vector, 2), -0.4375, 0,
            "gsl sees an assignment made in Lua");
  tap_close(gsl_blas_dnrm2(&view.vector), sqrt(4.77 * 4.77 + 15.25 * 15.25 +
                                               0.4375 * 0.4375),
            1e-15, "gsl_blas_dnrm2 on the view");
  lua_pop(L, 1);
}

static void test_vec_checkarg(lua_State *L) {
  slope_vec *v;
  int top;
  lua_createtable(L, 3, 0);
  lua_pushnumber(L, 2.385);
  lua_rawseti(L, -2, 1);
  lua_pushinteger(L, -4);
  lua_rawseti(L, -2, 2);
  lua_pushnumber(L, 0.0625);
  lua_rawseti(L, -2, 3);
  lua_pushnil(L);  /* a slot above, to convert at a negative index */
  top = lua_gettop(L);
  v = slope_vec_checkarg(L, -2);
  tap_ok(lua_gettop(L) == top, "slope_vec_checkarg keeps the stack size");
  tap_ok(v != NULL && slope_vec_test(L, -2) == v,
         "slope_vec_checkarg replaces the table with a vec");
  tap_ok(v->n == 3 && v->data[0] == 2.385 && v->data[1] == -4 &&
             v->data[2] == 0.0625,
         "slope_vec_checkarg copies the numbers");
  tap_ok(lua_isnil(L, -1), "slope_vec_checkarg leaves other slots alone");
  tap_ok(slope_vec_checkarg(L, -2) == v, "slope_vec_checkarg of a vec is it");
  lua_pop(L, 2);
  lua_pushcfunction(L, needvec);
  lua_setglobal(L, "needvec");
  run(L, "return needvec{1.5, 2.5}, needvec(V.vec(4))", 2);
  tap_ok(lua_tointeger(L, -2) == 2 && lua_tointeger(L, -1) == 4,
         "slope_vec_checkarg from a Lua call");
  lua_pop(L, 2);
  tap_ok(has(error_of(L, "needvec{1.5, 'x'}"),
             "bad argument #1 to 'needvec' (number expected at [2], got "
             "string)"),
         "slope_vec_checkarg names the caller and the element");
  lua_pop(L, 1);
  tap_ok(has(error_of(L, "needvec(42)"),
             "bad argument #1 to 'needvec' (vec or table expected, got "
             "number)"),
         "slope_vec_checkarg names the caller and the type");
  lua_pop(L, 1);
}

static void test_mat_push(lua_State *L) {
  slope_mat *m = slope_mat_push(L, 2, 3);
  gsl_matrix_view view = slope_mat_gsl(m);
  size_t i;
  int zero = 1;
  for (i = 0; i < 6; i++)
    zero = zero && m->data[i] == 0;
  tap_ok(m->rows == 2 && m->cols == 3 && zero, "slope_mat_push: 2x3 zeros");
  tap_ok(view.matrix.size1 == 2 && view.matrix.size2 == 3 &&
             view.matrix.tda == 3 && view.matrix.data == m->data,
         "slope_mat_gsl is a row-major view over the same memory");
  gsl_matrix_set(&view.matrix, 1, 2, 4.125);
  gsl_matrix_set(&view.matrix, 0, 1, -2.875);
  tap_ok(m->data[5] == 4.125 && m->data[1] == -2.875, "row-major layout");
  lua_setglobal(L, "M");
  run(L, "return M[2][3], M:get(1, 2), M.rows, M.cols", 4);
  tap_ok(lua_tonumber(L, -4) == 4.125 && lua_tonumber(L, -3) == -2.875 &&
             lua_tointeger(L, -2) == 2 && lua_tointeger(L, -1) == 3,
         "Lua reads a matrix filled through GSL");
  lua_pop(L, 4);
  run(L, "M[1][1] = 9.375; M:set(2, 1, -1.0625); return M[2]", 1);
  tap_ok(gsl_matrix_get(&view.matrix, 0, 0) == 9.375 &&
             gsl_matrix_get(&view.matrix, 1, 0) == -1.0625,
         "GSL reads a matrix written in Lua");
  tap_ok(slope_vec_test(L, -1) != NULL &&
             slope_vec_test(L, -1)->data == m->data + 3,
         "a row m[i] shares the matrix's memory");
  lua_pop(L, 1);
}

static void test_mat_checkarg(lua_State *L) {
  slope_mat *a;
  slope_vec *x;
  gsl_matrix_view av;
  gsl_vector_view xv, yv;
  gsl_vector *y = gsl_vector_alloc(3);
  run(L, "return {{1.5, -2.25}, {3.75, 0.125}, {-0.5, 2.0625}}, "
         "{2.4, -1.3}", 2);
  a = slope_mat_checkarg(L, -2);
  x = slope_vec_checkarg(L, -1);
  tap_ok(a->rows == 3 && a->cols == 2 && a->data[3] == 0.125 &&
             slope_mat_test(L, -2) == a,
         "slope_mat_checkarg converts a table of rows");
  av = slope_mat_gsl(a);
  xv = slope_vec_gsl(x);
  gsl_blas_dgemv(CblasNoTrans, 1, &av.matrix, &xv.vector, 0, y);
  lua_setglobal(L, "x");
  lua_setglobal(L, "A");
  run(L, "return A * x", 1);
  yv = slope_vec_gsl(slope_vec_test(L, -1));
  tap_close(gsl_vector_get(&yv.vector, 0), gsl_vector_get(y, 0), 1e-15,
            "A * x agrees with gsl_blas_dgemv (1)");
  tap_close(gsl_vector_get(&yv.vector, 2), gsl_vector_get(y, 2), 1e-15,
            "A * x agrees with gsl_blas_dgemv (3)");
  tap_close(gsl_vector_get(y, 1), 3.75 * 2.4 - 0.125 * 1.3, 1e-15,
            "gsl_blas_dgemv on the view");
  lua_pop(L, 1);
  gsl_vector_free(y);
  lua_pushcfunction(L, needmat);
  lua_setglobal(L, "needmat");
  tap_ok(has(error_of(L, "needmat{{1, 2}, {3}}"),
             "bad argument #1 to 'needmat' (ragged rows: row 1 has length "
             "2, row 2 has length 1)"),
         "slope_mat_checkarg names the caller (ragged)");
  lua_pop(L, 1);
  tap_ok(has(error_of(L, "needmat(V.vec{1})"),
             "bad argument #1 to 'needmat' (mat or table expected, got vec)"),
         "slope_mat_checkarg names the caller (type)");
  lua_pop(L, 1);
}

static void test_tests(lua_State *L) {
  run(L, "return V.mat{{1}}, V.vec{1}, 2.5", 3);
  tap_ok(slope_vec_test(L, -3) == NULL && slope_mat_test(L, -3) != NULL,
         "slope_vec_test / slope_mat_test on a mat");
  tap_ok(slope_vec_test(L, -2) != NULL && slope_mat_test(L, -2) == NULL,
         "slope_vec_test / slope_mat_test on a vec");
  tap_ok(slope_vec_test(L, -1) == NULL && slope_mat_test(L, -1) == NULL,
         "slope_vec_test / slope_mat_test on a number");
  lua_pop(L, 3);
}

static void test_sizes(lua_State *L) {
  lua_pushcfunction(L, push_huge_vec);
  tap_ok(lua_pcall(L, 0, 1, 0) != LUA_OK &&
             has(lua_tostring(L, -1), "too large"),
         "slope_vec_push of an absurd size raises");
  lua_pop(L, 1);
  lua_pushcfunction(L, push_huge_mat);
  tap_ok(lua_pcall(L, 0, 1, 0) != LUA_OK &&
             has(lua_tostring(L, -1), "too large"),
         "slope_mat_push whose size overflows raises");
  lua_pop(L, 1);
}

/* The hook of a pending Ctrl-C goes to another state, so that only the
** polling inside the product can notice it. */
static void test_interrupt(lua_State *L) {
  lua_State *other = luaL_newstate();
  run(L, "A = V.mat(40, 30, 1.25); B = V.mat(30, 20, -0.5)", 0);
  lua_pushcfunction(L, product);
  lua_getglobal(L, "A");
  lua_getglobal(L, "B");
  tap_ok(lua_pcall(L, 2, 1, 0) == LUA_OK && slope_mat_test(L, -1) != NULL &&
             slope_mat_test(L, -1)->data[799] == 30 * 1.25 * -0.5,
         "the product runs when no Ctrl-C is pending");
  lua_pop(L, 1);
  slope_interrupt_install(other);
  raise(SIGINT);
  tap_ok(slope_interrupt_pending(), "Ctrl-C is pending");
  lua_pushcfunction(L, product);
  lua_getglobal(L, "A");
  lua_getglobal(L, "B");
  tap_ok(lua_pcall(L, 2, 1, 0) != LUA_OK &&
             has(lua_tostring(L, -1), "interrupted!"),
         "a pending Ctrl-C stops the product");
  tap_ok(!slope_interrupt_pending(), "and is taken");
  lua_pop(L, 1);
  slope_interrupt_remove();
  lua_close(other);
}

int main(void) {
  lua_State *L = luaL_newstate();
  luaL_openlibs(L);
  test_push_before_open(L);
  lua_pushcfunction(L, slope_open_vec);
  lua_call(L, 0, 1);
  lua_setglobal(L, "V");
  test_vec_view(L);
  test_vec_checkarg(L);
  test_mat_push(L);
  test_mat_checkarg(L);
  test_tests(L);
  test_sizes(L);
  test_interrupt(L);
  tap_ok(lua_gettop(L) == 0, "the stack is balanced");
  lua_close(L);
  return tap_done();
}
