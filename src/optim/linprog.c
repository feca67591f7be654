/*
** linprog.c: core.linprog.linprog and core.linprog.linprog_file, linear
** and mixed-integer programs solved by GLPK.
**
** linprog{c =, A_ub =, b_ub =, A_eq =, b_eq =, lower =, upper =,
** integer =, maximize =, method =, maxtime =, mip_gap =} minimises (or
** maximises) c'x subject to A_ub x <= b_ub, A_eq x = b_eq and
** lower <= x <= upper. linprog_file(path [, opts]) reads the same kind of
** model from an MPS or CPLEX LP file.
**
** GLPK aborts the process on a call it takes for a programming error (an
** index out of range, a duplicate matrix entry), so every input is read
** and checked here first, into plain C arrays, before GLPK sees any of
** it; a caller's mistake is a Lua error raised while GLPK holds nothing.
** The problem and those arrays belong to a to-be-closed userdata (the
** box), so an error raised later (out of memory while the result is
** built) frees them as well. GLPK never calls Lua: its terminal output
** goes to a buffer in the box through glp_term_hook (and is otherwise
** off), and the branch-and-cut callback only polls the Ctrl-C flag.
**
** Solutions: the simplex method runs with GLPK's presolver; when the
** presolver cannot tell an infeasible problem from an unbounded one, or
** fails, the simplex method runs again on the whole problem. The
** interior-point method hands any failure to the simplex method, and the
** message says so. Integer programs: the LP relaxation first (its
** objective is reported), then glp_intopt's branch-and-cut; the duals of
** an integer program are those of the LP with its integer variables fixed
** at their values in the solution.
*/
#include "config.h"

#include <float.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glpk.h>

#include <lauxlib.h>
#include <lua.h>

#include "interrupt.h"
#include "optim/linprog.h"
#include "optim/progress.h"
#include "vec.h"

#define SLOPE_LINPROG_BOX "slope.linprog.box"

/* GLPK counts rows, columns and nonzeros in ints. */
#define MAXSIZE (INT_MAX / 2)

/* What GLPK printed last (the reason a file could not be read). */
#define TEXTMAX 1024

/*
** {======================================================
** The box: the GLPK problem and every C array of a call
** =======================================================
*/

/* One malloc'd array, chained to the box; the union aligns the data. */
typedef union Chunk {
  union Chunk *next;
  double d;
  void *p;
} Chunk;

typedef struct Box {
  glp_prob *P;
  Chunk *chunks;
  int hooked;  /* GLPK's terminal output goes to text */
  size_t len;
  char text[TEXTMAX];
} Box;

/* GLPK's terminal output, kept (the tail when it overflows). */
static int capture(void *info, const char *s) {
  Box *b = (Box *)info;
  size_t n = strlen(s);
  if (n >= TEXTMAX) {
    s += n - (TEXTMAX - 1);
    n = TEXTMAX - 1;
  }
  if (b->len + n >= TEXTMAX) {
    size_t drop = b->len + n - (TEXTMAX - 1);
    memmove(b->text, b->text + drop, b->len - drop);
    b->len -= drop;
  }
  memcpy(b->text + b->len, s, n);
  b->len += n;
  b->text[b->len] = '\0';
  return 1;  /* nothing to stdout */
}

static void hook(Box *b) {
  b->len = 0;
  b->text[0] = '\0';
  glp_term_hook(capture, b);
  glp_term_out(GLP_ON);
  b->hooked = 1;
}

static void unhook(Box *b) {
  if (b->hooked) {
    glp_term_out(GLP_OFF);
    glp_term_hook(NULL, NULL);
    b->hooked = 0;
  }
}

/* Safe to run twice (__close, then __gc). */
static void freebox(Box *b) {
  unhook(b);
  if (b->P != NULL) {
    glp_delete_prob(b->P);
    b->P = NULL;
  }
  while (b->chunks != NULL) {
    Chunk *c = b->chunks;
    b->chunks = c->next;
    free(c);
  }
}

static int box_free(lua_State *L) {
  freebox((Box *)luaL_checkudata(L, 1, SLOPE_LINPROG_BOX));
  return 0;
}

/* A new empty box at the top of the stack, to be closed with its slot. */
static Box *newbox(lua_State *L) {
  Box *b = (Box *)lua_newuserdatauv(L, sizeof(Box), 0);
  b->P = NULL;
  b->chunks = NULL;
  b->hooked = 0;
  b->len = 0;
  b->text[0] = '\0';
  luaL_setmetatable(L, SLOPE_LINPROG_BOX);
  lua_toclose(L, -1);
  return b;
}

/* count * size zeroed bytes owned by the box (count may be 0). */
static void *boxalloc(lua_State *L, Box *b, size_t count, size_t size) {
  Chunk *c;
  if (size != 0 && count > (((size_t)-1) - sizeof(Chunk)) / size)
    luaL_error(L, "not enough memory");
  c = (Chunk *)calloc(1, sizeof(Chunk) + count * size);
  if (c == NULL)
    luaL_error(L, "not enough memory");
  c->next = b->chunks;
  b->chunks = c;
  return (void *)(c + 1);
}

/* The last line GLPK printed, without its newline. */
static const char *lastline(lua_State *L, const Box *b) {
  size_t end = b->len, start;
  while (end > 0 && (b->text[end - 1] == '\n' || b->text[end - 1] == ' '))
    end--;
  start = end;
  while (start > 0 && b->text[start - 1] != '\n')
    start--;
  if (end == start)
    return lua_pushliteral(L, "GLPK gave no reason");
  return lua_pushlstring(L, b->text + start, end - start);
}

/* }====================================================== */

/*
** {======================================================
** Arguments
** =======================================================
*/

typedef struct Ctx {
  lua_State *L;
  const char *fname;  /* "linprog" or "linprog_file" */
  int arg;            /* the table of fields (and options) */
  Box *box;
} Ctx;

/* "bad argument #1 to 'linprog' (...)", formatted as lua_pushfstring. */
static int argerror(const Ctx *x, int arg, const char *fmt, ...) {
  const char *msg;
  va_list ap;
  va_start(ap, fmt);
  msg = lua_pushvfstring(x->L, fmt, ap);
  va_end(ap);
  return luaL_error(x->L, "bad argument #%d to '%s' (%s)", arg, x->fname,
                    msg);
}

/* A number for messages: "2.385", "3", "inf", "-inf", "nan". */
static const char *numstr(lua_State *L, double v) {
  if (isnan(v))
    return "nan";
  if (isinf(v))
    return v > 0 ? "inf" : "-inf";
  if (v == floor(v) && fabs(v) < 1e15)
    return lua_pushfstring(L, "%I", (LUAI_UACINT)v);
  return lua_pushfstring(L, "%f", v);
}

/* What the value at idx is, for messages: a number's value, a short
** string quoted, else its kind. */
static const char *gotstr(lua_State *L, int idx) {
  size_t len;
  if (lua_type(L, idx) == LUA_TNUMBER)
    return numstr(L, lua_tonumber(L, idx));
  if (lua_type(L, idx) == LUA_TSTRING && lua_tolstring(L, idx, &len) &&
      len <= 40)
    return lua_pushfstring(L, "'%s'", lua_tostring(L, idx));
  return slope_kindname(L, idx);
}

/* Which infinities a number may be. */
enum { FINITE = 0, NEGINF = 1, POSINF = 2 };

/* v as the entry what[k] of a field; raises unless allowed. */
static double checkentry(const Ctx *x, const char *what, size_t k, double v,
                         int allow) {
  if (isnan(v))
    argerror(x, x->arg, "%s[%d] must be a number, got nan", what, (int)k);
  if (isinf(v) && !(allow & (v > 0 ? POSINF : NEGINF))) {
    const char *must = allow == FINITE   ? "finite"
                       : allow == NEGINF ? "below math.huge"
                                         : "above -math.huge";
    argerror(x, x->arg, "%s[%d] must be %s, got %s", what, (int)k, must,
             numstr(x->L, v));
  }
  return v;
}

/* t[k] of the table at idx as a number (else an error naming what[k]). */
static double tableentry(const Ctx *x, int idx, const char *what, size_t k) {
  lua_State *L = x->L;
  double v;
  if (lua_rawgeti(L, idx, (lua_Integer)k) != LUA_TNUMBER)
    argerror(x, x->arg, "%s[%d] must be a number, got %s", what, (int)k,
             slope_kindname(L, -1));
  v = lua_tonumber(L, -1);
  lua_pop(L, 1);
  return v;
}

/* The length of a vector or array at idx; -1 if it is neither. */
static lua_Integer veclen(lua_State *L, int idx) {
  slope_vec *v = slope_vec_test(L, idx);
  if (v != NULL)
    return (lua_Integer)v->n;
  if (lua_type(L, idx) == LUA_TTABLE)
    return (lua_Integer)lua_rawlen(L, idx);
  return -1;
}

/* The vector or array at idx, checked entry by entry, copied into a new
** array of the box; *n its length. what names it in messages. */
static double *readvec(const Ctx *x, int idx, const char *what, int allow,
                       int *n) {
  lua_State *L = x->L;
  slope_vec *v = slope_vec_test(L, idx);
  lua_Integer len = veclen(L, idx);
  double *out;
  size_t k;
  if (len < 0)
    argerror(x, x->arg, "field '%s' must be a vector or an array of "
             "numbers, got %s", what, slope_kindname(L, idx));
  if (len > MAXSIZE)
    argerror(x, x->arg, "%s has too many entries", what);
  out = (double *)boxalloc(L, x->box, (size_t)len, sizeof(double));
  for (k = 1; k <= (size_t)len; k++)
    out[k - 1] = checkentry(x, what, k,
                            v ? v->data[k - 1] : tableentry(x, idx, what, k),
                            allow);
  *n = (int)len;
  return out;
}

/* lower or upper at idx: nil (def), a number for every variable, or a
** vector of n. */
static double *readbound(const Ctx *x, int idx, const char *what, int n,
                         double def, int allow) {
  lua_State *L = x->L;
  double *out;
  int k, len;
  if (lua_isnil(L, idx) || lua_type(L, idx) == LUA_TNUMBER) {
    double v = lua_isnil(L, idx) ? def : lua_tonumber(L, idx);
    if (isnan(v) || (isinf(v) && !(allow & (v > 0 ? POSINF : NEGINF))))
      argerror(x, x->arg, "field '%s' must be %s, got %s", what,
               allow == NEGINF ? "below math.huge" : "above -math.huge",
               numstr(L, v));
    out = (double *)boxalloc(L, x->box, (size_t)n, sizeof(double));
    for (k = 0; k < n; k++)
      out[k] = v;
    return out;
  }
  if (veclen(L, idx) < 0)
    argerror(x, x->arg, "field '%s' must be a number, a vector or an "
             "array of numbers, got %s", what, slope_kindname(L, idx));
  out = readvec(x, idx, what, allow, &len);
  if (len != n)
    argerror(x, x->arg, "%s has %d entries, c has %d", what, len, n);
  return out;
}

/* One entry of a constraint matrix: row i, column j (1-based). */
typedef struct Entry {
  int i, j;
  double v;
} Entry;

/* A block of constraints: A x <= b or A x = b. */
typedef struct Block {
  int rows;
  double *b;
  int nnz;
  Entry *a;  /* sorted by row, then column; no duplicates, no zeros */
} Block;

static int byrowcol(const void *p, const void *q) {
  const Entry *a = (const Entry *)p, *b = (const Entry *)q;
  if (a->i != b->i)
    return a->i < b->i ? -1 : 1;
  return a->j < b->j ? -1 : a->j > b->j;
}

/* Sort the entries, sum duplicates and drop zeros (a sparse matrix given
** by triplets means the sum of its entries, as in scipy.sparse). */
static int compact(Entry *a, int k) {
  int r, w = 0;
  qsort(a, (size_t)k, sizeof(Entry), byrowcol);
  for (r = 0; r < k; r++) {
    if (w > 0 && a[w - 1].i == a[r].i && a[w - 1].j == a[r].j)
      a[w - 1].v += a[r].v;
    else
      a[w++] = a[r];
  }
  k = w;
  for (r = w = 0; r < k; r++)
    if (a[r].v != 0)
      a[w++] = a[r];
  return w;
}

/* An index at what[k] (a number in 1..hi in a vector or table). */
static int readindex(const Ctx *x, int idx, slope_vec *v, const char *what,
                     size_t k, int hi, const char *kind) {
  double d = v ? v->data[k - 1] : tableentry(x, idx, what, k);
  if (!(d >= 1 && d <= hi && d == floor(d)))
    argerror(x, x->arg, "%s[%d] must be a %s index in 1..%d, got %s", what,
             (int)k, kind, hi, numstr(x->L, d));
  return (int)d;
}

/* A sparse matrix {i =, j =, v = [, m =, n =]} at idx, of m rows (m < 0:
** as many as given) and n columns. */
static void readsparse(const Ctx *x, int idx, const char *name, int m,
                       int n, Block *blk) {
  static const char *const fields[] = {"i", "j", "v", "m", "n", NULL};
  lua_State *L = x->L;
  const char *unknown = slope_unknownoption(L, idx, fields);
  int top = lua_gettop(L), slot[3], k, len = 0, f;
  slope_vec *vecs[3];
  char what[3][32];
  Entry *a;
  if (unknown != NULL)
    argerror(x, x->arg, "%s: %s", name, unknown);
  for (f = 0; f < 2; f++) {
    int d = 0;
    lua_getfield(L, idx, fields[3 + f]);
    if (!lua_isnil(L, -1)) {
      int isint;
      lua_Integer q = lua_tointegerx(L, -1, &isint);
      if (!isint || q < 0 || q > MAXSIZE)
        argerror(x, x->arg, "%s.%s must be a non-negative integer, got %s",
                 name, fields[3 + f], gotstr(L, -1));
      d = (int)q;
      if (f == 0 && m >= 0 && d != m)
        argerror(x, x->arg, "b_%s has %d entries, %s has m = %d rows",
                 name + 2, m, name, d);
      if (f == 1 && d != n)
        argerror(x, x->arg, "%s has n = %d columns, c has %d", name, d, n);
      if (f == 0)
        m = d;
    }
    lua_pop(L, 1);
  }
  for (f = 0; f < 3; f++) {
    lua_Integer l;
    snprintf(what[f], sizeof what[f], "%s.%s", name, fields[f]);
    lua_getfield(L, idx, fields[f]);
    slot[f] = lua_gettop(L);
    vecs[f] = slope_vec_test(L, slot[f]);
    l = veclen(L, slot[f]);
    if (l < 0)
      argerror(x, x->arg, "%s must be a vector or an array of numbers, "
               "got %s", what[f], slope_kindname(L, slot[f]));
    if (l > MAXSIZE)
      argerror(x, x->arg, "%s has too many entries", what[f]);
    if (f == 0)
      len = (int)l;
    else if (l != len)
      argerror(x, x->arg, "%s has %d entries, %s has %d", what[f], (int)l,
               what[0], len);
  }
  a = (Entry *)boxalloc(L, x->box, (size_t)len, sizeof(Entry));
  for (k = 1; k <= len; k++) {
    Entry *e = &a[k - 1];
    e->i = readindex(x, slot[0], vecs[0], what[0], (size_t)k, m, "row");
    e->j = readindex(x, slot[1], vecs[1], what[1], (size_t)k, n, "column");
    e->v = checkentry(x, what[2], (size_t)k,
                      vecs[2] ? vecs[2]->data[k - 1]
                              : tableentry(x, slot[2], what[2], (size_t)k),
                      FINITE);
  }
  lua_settop(L, top);
  blk->rows = m;
  blk->a = a;
  blk->nnz = compact(a, len);
}

/* A dense matrix at idx: a slope.mat or a list of rows (vectors or
** arrays), each of n entries. */
static void readdense(const Ctx *x, int idx, const char *name, int n,
                      Block *blk) {
  lua_State *L = x->L;
  slope_mat *mat = slope_mat_test(L, idx);
  size_t rows, r, j, nnz = 0;
  char what[48];
  Entry *a;
  int pass;
  if (mat != NULL) {
    rows = mat->rows;
    if (rows > 0 && mat->cols != (size_t)n)
      argerror(x, x->arg, "%s has %d columns, c has %d", name,
               (int)mat->cols, n);
  } else {
    rows = lua_rawlen(L, idx);
  }
  if (rows > MAXSIZE)
    argerror(x, x->arg, "%s has too many rows", name);
  /* pass 0 checks and counts the nonzeros, pass 1 stores them */
  a = NULL;
  for (pass = 0; pass < 2; pass++) {
    size_t w = 0;
    for (r = 1; r <= rows; r++) {
      slope_vec *v = NULL;
      const double *data;
      int t = 0;
      if (mat != NULL) {
        data = mat->data + (r - 1) * mat->cols;
      } else {
        lua_Integer len;
        lua_rawgeti(L, idx, (lua_Integer)r);
        t = lua_gettop(L);
        v = slope_vec_test(L, t);
        len = veclen(L, t);
        if (len < 0)
          argerror(x, x->arg, "%s[%d] must be a row (a vector or an array "
                   "of numbers), got %s", name, (int)r, slope_kindname(L, t));
        if (len != n && r == 1)
          argerror(x, x->arg, "%s has %d columns, c has %d", name, (int)len,
                   n);
        if (len != n)
          argerror(x, x->arg, "%s row %d has %d entr%s, c has %d", name,
                   (int)r, (int)len, len == 1 ? "y" : "ies", n);
        data = v ? v->data : NULL;
      }
      snprintf(what, sizeof what, "%s[%d]", name, (int)r);
      for (j = 1; j <= (size_t)n; j++) {
        double d = data ? data[j - 1] : tableentry(x, t, what, j);
        if (pass == 0)
          nnz += checkentry(x, what, j, d, FINITE) != 0;
        else if (d != 0) {
          a[w].i = (int)r;
          a[w].j = (int)j;
          a[w++].v = d;
        }
      }
      if (t != 0)
        lua_pop(L, 1);
    }
    if (pass == 0) {
      if (nnz > MAXSIZE)
        argerror(x, x->arg, "%s has too many nonzero entries", name);
      a = (Entry *)boxalloc(L, x->box, nnz, sizeof(Entry));
    }
  }
  blk->rows = (int)rows;
  blk->a = a;
  blk->nnz = (int)nnz;
}

/* A sparse matrix is a table with any of the fields i, j, v, m, n. */
static int issparse(lua_State *L, int idx) {
  static const char *const fields[] = {"i", "j", "v", "m", "n"};
  int k, found = 0;
  if (lua_type(L, idx) != LUA_TTABLE)
    return 0;
  for (k = 0; k < 5 && !found; k++) {
    found = lua_getfield(L, idx, fields[k]) != LUA_TNIL;
    lua_pop(L, 1);
  }
  return found;
}

/* A_<kind> and b_<kind> (kind "ub" or "eq"): both absent, or both given
** with as many rows as entries. */
static void readblock(const Ctx *x, const char *kind, int n, int allow,
                      Block *blk) {
  lua_State *L = x->L;
  char aname[8], bname[8];
  int ia, ib, nb = 0;
  snprintf(aname, sizeof aname, "A_%s", kind);
  snprintf(bname, sizeof bname, "b_%s", kind);
  lua_getfield(L, x->arg, aname);
  ia = lua_gettop(L);
  lua_getfield(L, x->arg, bname);
  ib = lua_gettop(L);
  blk->rows = blk->nnz = 0;
  blk->a = NULL;
  blk->b = NULL;
  if (lua_isnil(L, ia) && lua_isnil(L, ib)) {
    lua_settop(L, ia - 1);
    return;
  }
  if (lua_isnil(L, ib))
    argerror(x, x->arg, "field '%s' given without '%s'", aname, bname);
  if (lua_isnil(L, ia))
    argerror(x, x->arg, "field '%s' given without '%s'", bname, aname);
  blk->b = readvec(x, ib, bname, allow, &nb);
  if (issparse(L, ia))
    readsparse(x, ia, aname, nb, n, blk);
  else if (slope_mat_test(L, ia) != NULL || lua_type(L, ia) == LUA_TTABLE)
    readdense(x, ia, aname, n, blk);
  else
    argerror(x, x->arg, "field '%s' must be a matrix, a list of rows or "
             "a table {i =, j =, v =}, got %s", aname, slope_kindname(L, ia));
  if (blk->rows != nb)
    argerror(x, x->arg, "%s has %d entries, %s has %d rows", bname, nb, aname,
             blk->rows);
  lua_settop(L, ia - 1);
}

/* integer at idx: nil or false (none), true (all), a list of variable
** indices, or one boolean per variable. Marks isint; returns the count. */
static int readinteger(const Ctx *x, int idx, int n, char *isint) {
  lua_State *L = x->L;
  int k, count = 0;
  size_t len;
  if (lua_isnil(L, idx) || lua_type(L, idx) == LUA_TBOOLEAN) {
    int all = lua_toboolean(L, idx);
    for (k = 0; k < n; k++)
      isint[k] = (char)all;
    return all ? n : 0;
  }
  if (lua_type(L, idx) != LUA_TTABLE)
    argerror(x, x->arg, "field 'integer' must be a list of variable indices "
             "or of booleans, got %s", slope_kindname(L, idx));
  len = lua_rawlen(L, idx);
  if (len == 0)
    return 0;
  lua_rawgeti(L, idx, 1);
  if (lua_type(L, -1) == LUA_TBOOLEAN) {  /* one boolean per variable */
    lua_pop(L, 1);
    if (len != (size_t)n)
      argerror(x, x->arg, "integer has %d booleans, c has %d", (int)len, n);
    for (k = 1; k <= n; k++) {
      if (lua_rawgeti(L, idx, k) != LUA_TBOOLEAN)
        argerror(x, x->arg, "integer[%d] must be a boolean like integer[1], "
                 "got %s", k, gotstr(L, -1));
      isint[k - 1] = (char)lua_toboolean(L, -1);
      count += isint[k - 1];
      lua_pop(L, 1);
    }
    return count;
  }
  lua_pop(L, 1);
  for (k = 1; (size_t)k <= len; k++) {
    int isnum, j;
    lua_Integer q;
    lua_rawgeti(L, idx, k);
    q = lua_tointegerx(L, -1, &isnum);
    if (!isnum || lua_type(L, -1) != LUA_TNUMBER || q < 1 || q > n)
      argerror(x, x->arg, "integer[%d] must be a variable index in 1..%d, "
               "got %s", k, n, gotstr(L, -1));
    lua_pop(L, 1);
    j = (int)q - 1;
    count += !isint[j];
    isint[j] = 1;
  }
  return count;
}

enum { SIMPLEX, INTERIOR };

typedef struct Options {
  int method;
  int maximize;   /* -1: as the file says */
  double maxtime; /* seconds */
  double mipgap;
} Options;

/* The solver options among the fields of the table at x->arg. */
static void readoptions(const Ctx *x, Options *o) {
  lua_State *L = x->L;
  int t = lua_getfield(L, x->arg, "method");
  o->method = SIMPLEX;
  if (t != LUA_TNIL) {
    const char *s = t == LUA_TSTRING ? lua_tostring(L, -1) : "";
    if (strcmp(s, "simplex") == 0)
      o->method = SIMPLEX;
    else if (strcmp(s, "interior") == 0)
      o->method = INTERIOR;
    else
      argerror(x, x->arg, "field 'method' must be 'simplex' or 'interior', "
               "got %s", gotstr(L, -1));
  }
  lua_pop(L, 1);
  o->maximize = -1;
  if (lua_getfield(L, x->arg, "maximize") != LUA_TNIL) {
    if (lua_type(L, -1) != LUA_TBOOLEAN)
      argerror(x, x->arg, "field 'maximize' must be a boolean, got %s",
               gotstr(L, -1));
    o->maximize = lua_toboolean(L, -1);
  }
  lua_pop(L, 1);
  o->maxtime = HUGE_VAL;
  if (lua_getfield(L, x->arg, "maxtime") != LUA_TNIL) {
    o->maxtime = lua_tonumber(L, -1);
    if (lua_type(L, -1) != LUA_TNUMBER || !(o->maxtime > 0))
      argerror(x, x->arg, "field 'maxtime' must be a positive number, got %s",
               gotstr(L, -1));
  }
  lua_pop(L, 1);
  o->mipgap = 0;
  if (lua_getfield(L, x->arg, "mip_gap") != LUA_TNIL) {
    o->mipgap = lua_tonumber(L, -1);
    if (lua_type(L, -1) != LUA_TNUMBER || !(o->mipgap >= 0) ||
        isinf(o->mipgap))
      argerror(x, x->arg, "field 'mip_gap' must be a non-negative number, "
               "got %s", gotstr(L, -1));
  }
  lua_pop(L, 1);
}

/* }====================================================== */

/*
** {======================================================
** Solving
** =======================================================
*/

/* What a solve found. x, rowdual, coldual are arrays of the box (n, m, n). */
typedef struct Solution {
  const char *status;
  const char *method;
  char message[320];
  int point;   /* x holds a point (optimal, or the best one found) */
  int duals;   /* rowdual, coldual hold the duals */
  double f;
  double *x, *rowdual, *coldual;
  double *spare;   /* n more, for the LP with fixed integers */
  int iterations;  /* simplex iterations, or -1 */
  int milp;
  int relaxed;     /* relaxation holds the LP relaxation's objective */
  double relaxation;
  int bounded;     /* bound holds a bound on the best objective */
  double bound;
  int nodes;
  double t0, maxtime;
} Solution;

static void say(Solution *s, const char *status, const char *fmt, ...) {
  va_list ap;
  s->status = status;
  va_start(ap, fmt);
  vsnprintf(s->message, sizeof s->message, fmt, ap);
  va_end(ap);
}

/* The time left in GLPK's milliseconds; 0 once maxtime has passed. */
static int msleft(const Solution *s) {
  double left = s->maxtime - (slope_now() - s->t0);
  if (left <= 0)
    return 0;
  return left * 1000 >= INT_MAX ? INT_MAX : (int)(left * 1000) + 1;
}

static const char *sense(glp_prob *P) {
  return glp_get_obj_dir(P) == GLP_MAX ? "above" : "below";
}

/* Copy the basic solution (simplex) into s. */
static void basicpoint(glp_prob *P, Solution *s, int duals) {
  int j, i, n = glp_get_num_cols(P), m = glp_get_num_rows(P);
  s->point = 1;
  s->f = glp_get_obj_val(P);
  for (j = 1; j <= n; j++)
    s->x[j - 1] = glp_get_col_prim(P, j);
  s->duals = duals;
  if (!duals)
    return;
  for (i = 1; i <= m; i++)
    s->rowdual[i - 1] = glp_get_row_dual(P, i);
  for (j = 1; j <= n; j++)
    s->coldual[j - 1] = glp_get_col_dual(P, j);
}

/* The simplex method: with the presolver, then, if it cannot tell
** infeasible from unbounded or fails, on the whole problem from an
** advanced basis. what: "the LP" or "the LP relaxation". 1 if optimal. */
static int simplex(glp_prob *P, Solution *s, const char *what) {
  glp_smcp parm;
  int ret, stat;
  glp_init_smcp(&parm);
  parm.msg_lev = GLP_MSG_OFF;
  parm.presolve = GLP_ON;
  parm.tm_lim = msleft(s);
  ret = parm.tm_lim > 0 ? glp_simplex(P, &parm) : GLP_ETMLIM;
  if (ret == GLP_ENODFS || ret == GLP_EFAIL || ret == GLP_ESING ||
      ret == GLP_ECOND || ret == GLP_EBADB) {
    parm.presolve = GLP_OFF;
    parm.tm_lim = msleft(s);
    glp_adv_basis(P, 0);
    ret = parm.tm_lim > 0 ? glp_simplex(P, &parm) : GLP_ETMLIM;
  }
  s->iterations = glp_get_it_cnt(P);
  stat = ret == 0 ? glp_get_status(P) : GLP_UNDEF;
  if (ret == 0 && stat == GLP_OPT) {
    basicpoint(P, s, 1);
    say(s, "converged", "optimal: %s is solved by the simplex method", what);
    return 1;
  }
  if (ret == GLP_ENOPFS || (ret == 0 && stat == GLP_NOFEAS)) {
    say(s, "infeasible", "infeasible: no point satisfies the constraints "
        "of %s", what);
  } else if (ret == 0 && stat == GLP_UNBND) {
    int k = glp_get_unbnd_ray(P), m = glp_get_num_rows(P);
    if (glp_get_prim_stat(P) == GLP_FEAS)
      basicpoint(P, s, 0);
    if (k > m)
      say(s, "unbounded", "unbounded: the objective of %s goes %s any "
          "bound as x[%d] moves from this feasible point", what, sense(P),
          k - m);
    else
      say(s, "unbounded", "unbounded: the objective of %s goes %s any "
          "bound", what, sense(P));
  } else if (ret == GLP_ETMLIM) {
    say(s, "maxtime", "maxtime seconds spent in the simplex method on %s",
        what);
  } else {
    say(s, "diverged", "the simplex method failed on %s (%s)", what,
        ret == GLP_ESING   ? "singular basis"
        : ret == GLP_ECOND ? "ill-conditioned basis"
                           : "numerical trouble");
  }
  return 0;
}

/* The interior-point method; its failures go to the simplex method. */
static void interior(glp_prob *P, Solution *s) {
  glp_iptcp parm;
  int ret, j, i, n = glp_get_num_cols(P), m = glp_get_num_rows(P);
  const char *why;
  glp_init_iptcp(&parm);
  parm.msg_lev = GLP_MSG_OFF;
  ret = glp_interior(P, &parm);
  if (ret == 0 && glp_ipt_status(P) == GLP_OPT) {
    s->point = s->duals = 1;
    s->f = glp_ipt_obj_val(P);
    for (j = 1; j <= n; j++) {
      s->x[j - 1] = glp_ipt_col_prim(P, j);
      s->coldual[j - 1] = glp_ipt_col_dual(P, j);
    }
    for (i = 1; i <= m; i++)
      s->rowdual[i - 1] = glp_ipt_row_dual(P, i);
    say(s, "converged", "optimal: the LP is solved by the interior-point "
        "method");
    return;
  }
  why = ret == GLP_ENOFEAS || ret == 0 ? "found no feasible primal-dual pair"
        : ret == GLP_EITLIM            ? "ran out of iterations"
        : ret == GLP_EINSTAB           ? "became numerically unstable"
        : ret == GLP_ENOCVG            ? "did not converge"
                                       : "failed";
  s->method = "simplex";
  simplex(P, s, "the LP");
  {
    char msg[sizeof s->message];
    memcpy(msg, s->message, sizeof msg);
    snprintf(s->message, sizeof s->message, "the interior-point method %s; "
             "the simplex method answers: %.200s", why, msg);
  }
}

/* State of the branch-and-cut search, updated by its callback. */
typedef struct Search {
  int stopped;    /* glp_ios_terminate was called */
  int bounded;
  double bound;   /* the best node's bound, in the original sense */
  int dir;        /* the problem's sense (the search's may differ) */
  int nodes;
} Search;

/* GLPK's callback: polls Ctrl-C (no Lua here) and records the bound. */
static void searchcb(glp_tree *T, void *info) {
  Search *sr = (Search *)info;
  int p, a, n, t;
  if (!sr->stopped && slope_interrupt_pending()) {
    sr->stopped = 1;
    glp_ios_terminate(T);
  }
  p = glp_ios_best_node(T);
  if (p != 0) {
    double b = glp_ios_node_bound(T, p);
    if (isfinite(b)) {
      int flip = glp_get_obj_dir(glp_ios_get_prob(T)) != sr->dir;
      sr->bound = flip ? -b : b;
      sr->bounded = 1;
    }
  }
  glp_ios_tree_size(T, &a, &n, &t);
  sr->nodes = t;
}

/* x of the integer solution, integers exactly on their values. */
static void mippoint(glp_prob *P, Solution *s) {
  int j, n = glp_get_num_cols(P);
  s->point = 1;
  s->f = glp_mip_obj_val(P);
  for (j = 1; j <= n; j++) {
    double v = glp_mip_col_val(P, j);
    s->x[j - 1] = glp_get_col_kind(P, j) == GLP_CV ? v : nearbyint(v);
  }
}

/* The duals of the LP with the integer variables fixed at x: solved with
** the same problem, which is not needed again. The LP's x replaces the
** integer solution's if it is optimal (the same objective; continuous
** variables may differ between optima, and its x fits its duals). */
static void fixedduals(glp_prob *P, Solution *s) {
  Solution lp = *s;
  int j, n = glp_get_num_cols(P);
  lp.x = s->spare;
  for (j = 1; j <= n; j++)
    if (glp_get_col_kind(P, j) != GLP_CV) {
      glp_set_col_kind(P, j, GLP_CV);
      glp_set_col_bnds(P, j, GLP_FX, s->x[j - 1], s->x[j - 1]);
    }
  lp.maxtime = HUGE_VAL;
  if (simplex(P, &lp, "the fixed LP")) {
    s->duals = 1;
    s->f = lp.f;
    memcpy(s->x, lp.x, (size_t)n * sizeof(double));
    for (j = 1; j <= n; j++)  /* integers exactly */
      if (glp_get_col_type(P, j) == GLP_FX)
        s->x[j - 1] = glp_get_col_lb(P, j);
  }
}

/* Branch and cut after the LP relaxation. */
static void branchandcut(lua_State *L, glp_prob *P, const Options *o,
                         Solution *s) {
  glp_iocp parm;
  Search sr;
  int ret, mst;
  s->milp = 1;
  s->method = "branch-and-cut";
  if (!simplex(P, s, "the LP relaxation")) {
    s->point = s->duals = 0;  /* a point of the relaxation is not one */
    return;
  }
  s->relaxed = 1;
  s->relaxation = s->f;
  s->point = s->duals = 0;
  sr.stopped = sr.bounded = sr.nodes = 0;
  sr.bound = 0;
  sr.dir = glp_get_obj_dir(P);
  glp_init_iocp(&parm);
  parm.msg_lev = GLP_MSG_OFF;
  parm.presolve = GLP_ON;
  parm.mir_cuts = parm.cov_cuts = parm.clq_cuts = parm.gmi_cuts = GLP_ON;
  parm.mip_gap = o->mipgap;
  parm.cb_func = searchcb;
  parm.cb_info = &sr;
  parm.tm_lim = msleft(s);
  ret = parm.tm_lim > 0 ? glp_intopt(P, &parm) : GLP_ETMLIM;
  mst = glp_mip_status(P);
  s->nodes = sr.nodes;
  s->iterations = glp_get_it_cnt(P);
  if (mst == GLP_OPT || mst == GLP_FEAS)
    mippoint(P, s);
  if (ret == 0 && mst == GLP_OPT) {
    say(s, "converged", "optimal: the integer program is solved by branch "
        "and cut");
    sr.bounded = 1;
    sr.bound = s->f;
  } else if (ret == GLP_EMIPGAP && s->point) {
    say(s, "converged", "optimal within mip_gap: the integer point is "
        "within the relative gap %g of the bound", o->mipgap);
  } else if (ret == GLP_ENOPFS || (ret == 0 && mst == GLP_NOFEAS)) {
    say(s, "infeasible", "infeasible: no integer point satisfies the "
        "constraints (the LP relaxation has optimum %.17g)", s->relaxation);
  } else if (ret == GLP_ENODFS) {
    say(s, "unbounded", "unbounded: the objective goes %s any bound over "
        "integer points", sense(P));
  } else if (ret == GLP_ETMLIM) {
    say(s, "maxtime", s->point ? "maxtime seconds spent; the best integer "
        "point found is returned" : "maxtime seconds spent before any "
        "integer point was found");
  } else if (ret == GLP_ESTOP) {
    slope_interrupt_take(L);
    say(s, "interrupted", s->point ? "interrupted (Ctrl-C); the best "
        "integer point found is returned" : "interrupted (Ctrl-C) before "
        "any integer point was found");
  } else {
    say(s, "diverged", "branch and cut failed (numerical trouble)%s",
        s->point ? "; the best integer point found is returned" : "");
  }
  s->bounded = sr.bounded && s->point;
  s->bound = sr.bound;
  if (s->point)
    fixedduals(P, s);
}

/* An empty solution for the problem in the box (arrays allocated here). */
static void start(const Ctx *x, const Options *o, int nint, Solution *s) {
  lua_State *L = x->L;
  glp_prob *P = x->box->P;
  int n = glp_get_num_cols(P), m = glp_get_num_rows(P);
  s->x = (double *)boxalloc(L, x->box, (size_t)n, sizeof(double));
  s->spare = (double *)boxalloc(L, x->box, (size_t)n, sizeof(double));
  s->coldual = (double *)boxalloc(L, x->box, (size_t)n, sizeof(double));
  s->rowdual = (double *)boxalloc(L, x->box, (size_t)m, sizeof(double));
  s->point = s->duals = s->relaxed = s->bounded = 0;
  s->milp = nint > 0;
  s->iterations = -1;
  s->nodes = 0;
  s->f = s->relaxation = s->bound = 0;
  s->method = nint > 0 ? "branch-and-cut"
              : o->method == INTERIOR ? "interior" : "simplex";
  s->maxtime = o->maxtime;
  s->t0 = slope_now();
  s->status = NULL;
  s->message[0] = '\0';
}

/* Solve the problem in the box; fills s. */
static void solve(const Ctx *x, const Options *o, int nint, Solution *s) {
  lua_State *L = x->L;
  glp_prob *P = x->box->P;
  start(x, o, nint, s);
  if (slope_interrupt_take(L)) {
    say(s, "interrupted", "interrupted (Ctrl-C) before the solve");
    return;
  }
  glp_scale_prob(P, GLP_SF_AUTO);
  if (nint > 0)
    branchandcut(L, P, o, s);
  else if (o->method == INTERIOR)
    interior(P, s);
  else
    simplex(P, s, "the LP");
  if (strcmp(s->status, "interrupted") != 0 && slope_interrupt_take(L)) {
    char msg[sizeof s->message];
    memcpy(msg, s->message, sizeof msg);
    say(s, "interrupted", "interrupted (Ctrl-C) as the solver ended; it had "
        "found: %.200s", msg);
  }
}

/* }====================================================== */

/*
** {======================================================
** Results
** =======================================================
*/

static void pushvec(lua_State *L, const double *x, int n) {
  if (n > 0)
    memcpy(slope_vec_push(L, (size_t)n)->data, x, (size_t)n * sizeof(double));
  else
    slope_vec_push(L, 0);
}

static void setnumber(lua_State *L, const char *k, double v) {
  lua_pushnumber(L, v);
  lua_setfield(L, -2, k);
}

/* The fields every result has; the table is on top. */
static void pushcommon(lua_State *L, const Solution *s) {
  lua_pushstring(L, s->status);
  lua_setfield(L, -2, "status");
  lua_pushstring(L, s->message);
  lua_setfield(L, -2, "message");
  lua_pushstring(L, s->method);
  lua_setfield(L, -2, "method");
  setnumber(L, "time", slope_now() - s->t0);
  if (s->iterations >= 0) {
    lua_pushinteger(L, s->iterations);
    lua_setfield(L, -2, "iterations");
  }
  if (s->point) {
    setnumber(L, "f", s->f);
    setnumber(L, "objective", s->f);
  }
  if (s->milp) {
    if (s->relaxed)
      setnumber(L, "relaxation", s->relaxation);
    if (s->bounded) {
      setnumber(L, "bound", s->bound);
      setnumber(L, "gap", fabs(s->f - s->bound) / (DBL_EPSILON + fabs(s->f)));
    }
    lua_pushinteger(L, s->nodes);
    lua_setfield(L, -2, "nodes");
  }
}

/* }====================================================== */

/*
** {======================================================
** linprog
** =======================================================
*/

/* Load the checked model into a new GLPK problem in the box. */
static void build(const Ctx *x, int n, const double *c, const double *lo,
                  const double *up, const char *isint, const Block *ub,
                  const Block *eq, int maximize) {
  glp_prob *P;
  int i, j, k, ne = ub->nnz + eq->nnz, m = ub->rows + eq->rows;
  int *ia, *ja;
  double *ar;
  if (ne > MAXSIZE || m > MAXSIZE)
    argerror(x, x->arg, "too many constraints");
  ia = (int *)boxalloc(x->L, x->box, (size_t)ne + 1, sizeof(int));
  ja = (int *)boxalloc(x->L, x->box, (size_t)ne + 1, sizeof(int));
  ar = (double *)boxalloc(x->L, x->box, (size_t)ne + 1, sizeof(double));
  for (k = 0; k < ub->nnz; k++) {
    ia[k + 1] = ub->a[k].i;
    ja[k + 1] = ub->a[k].j;
    ar[k + 1] = ub->a[k].v;
  }
  for (k = 0; k < eq->nnz; k++) {
    ia[ub->nnz + k + 1] = ub->rows + eq->a[k].i;
    ja[ub->nnz + k + 1] = eq->a[k].j;
    ar[ub->nnz + k + 1] = eq->a[k].v;
  }
  P = x->box->P = glp_create_prob();
  glp_set_obj_dir(P, maximize ? GLP_MAX : GLP_MIN);
  if (m > 0)
    glp_add_rows(P, m);
  glp_add_cols(P, n);
  for (i = 0; i < ub->rows; i++)
    glp_set_row_bnds(P, i + 1, isinf(ub->b[i]) ? GLP_FR : GLP_UP, 0,
                     isinf(ub->b[i]) ? 0 : ub->b[i]);
  for (i = 0; i < eq->rows; i++)
    glp_set_row_bnds(P, ub->rows + i + 1, GLP_FX, eq->b[i], eq->b[i]);
  for (j = 0; j < n; j++) {
    int type = isinf(lo[j]) ? (isinf(up[j]) ? GLP_FR : GLP_UP)
               : isinf(up[j]) ? GLP_LO
               : lo[j] == up[j] ? GLP_FX : GLP_DB;
    glp_set_col_bnds(P, j + 1, type, isinf(lo[j]) ? 0 : lo[j],
                     isinf(up[j]) ? 0 : up[j]);
    glp_set_obj_coef(P, j + 1, c[j]);
    if (isint[j])
      glp_set_col_kind(P, j + 1, GLP_IV);
  }
  if (ne > 0)
    glp_load_matrix(P, ne, ia, ja, ar);
}

/* Integer variables keep the integers within their bounds; a variable
** with none makes the problem infeasible: its index, or 0. */
static int roundbounds(int n, double *lo, double *up, const char *isint) {
  int j;
  for (j = 0; j < n; j++)
    if (isint[j]) {
      lo[j] = ceil(lo[j]);
      up[j] = floor(up[j]);
      if (lo[j] > up[j])
        return j + 1;
    }
  return 0;
}

/* b - A x for the rows of blk. */
static void pushslack(lua_State *L, const Block *blk, const double *x) {
  slope_vec *v = slope_vec_push(L, (size_t)blk->rows);
  int i, k;
  for (i = 0; i < blk->rows; i++)
    v->data[i] = blk->b[i];
  for (k = 0; k < blk->nnz; k++)
    v->data[blk->a[k].i - 1] -= blk->a[k].v * x[blk->a[k].j - 1];
}

/* linprog{c =, A_ub =, b_ub =, A_eq =, b_eq =, lower =, upper =,
** integer =, maximize =, method =, maxtime =, mip_gap =} -> result */
static int lp_linprog(lua_State *L) {
  static const char *const fields[] = {
      "c",       "A_ub",     "b_ub",   "A_eq",    "b_eq",
      "lower",   "upper",    "integer", "maximize", "method",
      "maxtime", "mip_gap",  NULL};
  Ctx x;
  Options o;
  Solution s;
  Block ub, eq;
  double *c, *lo, *up;
  char *isint;
  int n, nint, empty;
  const char *unknown;
  luaL_checkstack(L, 30, NULL);
  x.L = L;
  x.fname = "linprog";
  x.arg = 1;
  if (lua_type(L, 1) != LUA_TTABLE)
    argerror(&x, 1, "table expected, got %s", slope_kindname(L, 1));
  lua_settop(L, 1);
  x.box = newbox(L);  /* slot 2 */
  unknown = slope_unknownoption(L, 1, fields);
  if (unknown != NULL)
    argerror(&x, 1, "%s", unknown);
  readoptions(&x, &o);
  if (lua_getfield(L, 1, "c") == LUA_TNIL)
    argerror(&x, 1, "field 'c' (the objective's coefficients) missing");
  c = readvec(&x, 3, "c", FINITE, &n);
  if (n == 0)
    argerror(&x, 1, "c is empty: no variables");
  lua_getfield(L, 1, "lower");
  lo = readbound(&x, 4, "lower", n, 0, NEGINF);
  lua_getfield(L, 1, "upper");
  up = readbound(&x, 5, "upper", n, HUGE_VAL, POSINF);
  for (int j = 0; j < n; j++)
    if (lo[j] > up[j])
      argerror(&x, 1, "lower[%d] = %s is above upper[%d] = %s", j + 1,
               numstr(L, lo[j]), j + 1, numstr(L, up[j]));
  lua_settop(L, 2);
  readblock(&x, "ub", n, POSINF, &ub);
  readblock(&x, "eq", n, FINITE, &eq);
  isint = (char *)boxalloc(L, x.box, (size_t)n, 1);
  lua_getfield(L, 1, "integer");
  nint = readinteger(&x, 3, n, isint);
  lua_settop(L, 2);
  if (nint > 0 && o.method == INTERIOR)
    argerror(&x, 1, "method 'interior' cannot solve integer programs (leave "
             "method unset for branch and cut)");
  empty = roundbounds(n, lo, up, isint);
  build(&x, n, c, lo, up, isint, &ub, &eq, o.maximize == 1);
  if (empty) {
    start(&x, &o, nint, &s);
    say(&s, "infeasible", "infeasible: the integer variable x[%d] has no "
        "integer value within its bounds", empty);
  } else {
    solve(&x, &o, nint, &s);
  }
  lua_createtable(L, 0, 16);
  pushcommon(L, &s);
  if (s.point) {
    pushvec(L, s.x, n);
    lua_setfield(L, -2, "x");
    pushslack(L, &ub, s.x);
    lua_setfield(L, -2, "slack");
  }
  if (s.duals) {
    lua_createtable(L, 0, 2);
    pushvec(L, s.rowdual, ub.rows);
    lua_setfield(L, -2, "ub");
    pushvec(L, s.rowdual + ub.rows, eq.rows);
    lua_setfield(L, -2, "eq");
    lua_setfield(L, -2, "duals");
    pushvec(L, s.coldual, n);
    lua_setfield(L, -2, "reduced_costs");
  }
  lua_replace(L, 1);
  lua_settop(L, 2);
  freebox(x.box);
  lua_settop(L, 1);
  return 1;
}

/* }====================================================== */

/*
** {======================================================
** linprog_file
** =======================================================
*/

enum { FORMAT_MPS, FORMAT_FREE_MPS, FORMAT_FIXED_MPS, FORMAT_LP };

static const char *const formats[] = {"mps", "free_mps", "fixed_mps", "lp",
                                      NULL};

/* The format of path from its extension (a final ".gz" aside), or -1. */
static int formatof(const char *path) {
  size_t len = strlen(path);
  const char *dot;
  char ext[8];
  size_t k, e;
  if (len > 3 && strcmp(path + len - 3, ".gz") == 0)
    len -= 3;
  for (dot = NULL, k = 0; k < len; k++)
    if (path[k] == '.')
      dot = path + k;
    else if (path[k] == '/')
      dot = NULL;
  if (dot == NULL || (size_t)(path + len - dot) >= sizeof ext)
    return -1;
  for (e = 0, dot++; dot < path + len; dot++)
    ext[e++] = (char)(*dot >= 'A' && *dot <= 'Z' ? *dot - 'A' + 'a' : *dot);
  ext[e] = '\0';
  if (strcmp(ext, "mps") == 0)
    return FORMAT_MPS;
  if (strcmp(ext, "lp") == 0)
    return FORMAT_LP;
  return -1;
}

/* Names of rows (rows = 1) or columns; a missing name is "R3" or "C3". */
static void pushnames(lua_State *L, glp_prob *P, int rows, int count) {
  int k;
  lua_createtable(L, count, 0);
  for (k = 1; k <= count; k++) {
    const char *name = rows ? glp_get_row_name(P, k) : glp_get_col_name(P, k);
    if (name != NULL)
      lua_pushstring(L, name);
    else
      lua_pushfstring(L, "%c%d", rows ? 'R' : 'C', k);
    lua_rawseti(L, -2, k);
  }
}

/* {name = value} from the names table at idx and the values. */
static void pushbyname(lua_State *L, int idx, const double *v, int count) {
  int k;
  idx = lua_absindex(L, idx);
  lua_createtable(L, 0, count);
  for (k = 1; k <= count; k++) {
    lua_rawgeti(L, idx, k);
    lua_pushnumber(L, v[k - 1]);
    lua_rawset(L, -3);
  }
}

/* linprog_file(path [, opts]) -> result */
static int lp_linprog_file(lua_State *L) {
  static const char *const fields[] = {"format", "method", "maxtime",
                                       "mip_gap", "maximize", NULL};
  Ctx x;
  Options o;
  Solution s;
  const char *path;
  glp_prob *P;
  int format, ret, n, m, j, nint = 0, empty = 0;
  luaL_checkstack(L, 30, NULL);
  x.L = L;
  x.fname = "linprog_file";
  x.arg = 2;
  if (lua_type(L, 1) != LUA_TSTRING)
    argerror(&x, 1, "file name expected, got %s", slope_kindname(L, 1));
  path = lua_tostring(L, 1);
  lua_settop(L, 2);
  if (lua_isnil(L, 2)) {
    lua_newtable(L);
    lua_replace(L, 2);
  } else if (lua_type(L, 2) != LUA_TTABLE) {
    argerror(&x, 2, "table or nil expected, got %s", slope_kindname(L, 2));
  } else {
    const char *unknown = slope_unknownoption(L, 2, fields);
    if (unknown != NULL)
      argerror(&x, 2, "%s", unknown);
  }
  x.box = newbox(L);  /* slot 3 */
  readoptions(&x, &o);
  format = formatof(path);
  if (lua_getfield(L, 2, "format") != LUA_TNIL) {
    const char *f = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : "";
    for (format = 0; formats[format] != NULL; format++)
      if (strcmp(f, formats[format]) == 0)
        break;
    if (formats[format] == NULL)
      argerror(&x, 2, "field 'format' must be 'mps', 'free_mps', "
               "'fixed_mps' or 'lp', got %s", gotstr(L, -1));
  } else if (format < 0) {
    argerror(&x, 1, "cannot tell the format of '%s' from its extension "
             "(.mps or .lp): give opts.format", path);
  }
  lua_settop(L, 3);
  P = x.box->P = glp_create_prob();
  hook(x.box);
  if (format == FORMAT_LP) {
    ret = glp_read_lp(P, NULL, path);
  } else {
    ret = glp_read_mps(P, format == FORMAT_FIXED_MPS ? GLP_MPS_DECK
                                                     : GLP_MPS_FILE,
                       NULL, path);
    if (ret != 0 && format == FORMAT_MPS) {  /* free failed: try fixed */
      Box keep = *x.box;
      glp_erase_prob(P);
      x.box->len = 0;
      if (glp_read_mps(P, GLP_MPS_DECK, NULL, path) != 0) {
        memcpy(x.box->text, keep.text, sizeof keep.text);  /* free's reason */
        x.box->len = keep.len;
      } else {
        ret = 0;
      }
    }
  }
  unhook(x.box);
  if (ret != 0) {
    const char *why = lastline(L, x.box);
    return luaL_error(L, "linprog_file: cannot read '%s': %s", path, why);
  }
  n = glp_get_num_cols(P);
  m = glp_get_num_rows(P);
  if (n == 0)
    return luaL_error(L, "linprog_file: '%s' has no variables", path);
  if (o.maximize >= 0)
    glp_set_obj_dir(P, o.maximize ? GLP_MAX : GLP_MIN);
  for (j = 1; j <= n; j++)
    if (glp_get_col_kind(P, j) != GLP_CV) {
      int type = glp_get_col_type(P, j);
      double lo = ceil(glp_get_col_lb(P, j)), up = floor(glp_get_col_ub(P, j));
      nint++;
      if (type == GLP_DB || type == GLP_FX) {
        if (lo > up) {
          empty = empty ? empty : j;
          continue;
        }
        glp_set_col_bnds(P, j, lo == up ? GLP_FX : GLP_DB, lo, up);
      } else if (type == GLP_LO) {
        glp_set_col_bnds(P, j, GLP_LO, lo, 0);
      } else if (type == GLP_UP) {
        glp_set_col_bnds(P, j, GLP_UP, 0, up);
      }
    }
  if (nint > 0 && o.method == INTERIOR)
    argerror(&x, 2, "method 'interior' cannot solve integer programs (leave "
             "method unset for branch and cut)");
  if (empty) {
    start(&x, &o, nint, &s);
    const char *name = glp_get_col_name(P, empty);
    if (name != NULL)
      say(&s, "infeasible", "infeasible: the integer variable %s has no "
          "integer value within its bounds", name);
    else
      say(&s, "infeasible", "infeasible: the integer variable x[%d] has no "
          "integer value within its bounds", empty);
  } else {
    solve(&x, &o, nint, &s);
  }
  lua_createtable(L, 0, 20);  /* 4: the result */
  pushcommon(L, &s);
  pushnames(L, P, 0, n);
  lua_pushvalue(L, -1);
  lua_setfield(L, 4, "x_names");  /* 5: the column names */
  pushnames(L, P, 1, m);
  lua_pushvalue(L, -1);
  lua_setfield(L, 4, "row_names");  /* 6: the row names */
  if (s.point) {
    double *act = (double *)boxalloc(L, x.box, (size_t)m, sizeof(double));
    int *ind = (int *)boxalloc(L, x.box, (size_t)n + 1, sizeof(int));
    double *val = (double *)boxalloc(L, x.box, (size_t)n + 1, sizeof(double));
    int i;
    for (i = 1; i <= m; i++) {
      int len = glp_get_mat_row(P, i, ind, val), k;
      for (k = 1; k <= len; k++)
        act[i - 1] += val[k] * s.x[ind[k] - 1];
    }
    pushvec(L, s.x, n);
    lua_setfield(L, 4, "x");
    pushbyname(L, 5, s.x, n);
    lua_setfield(L, 4, "x_by_name");
    pushvec(L, act, m);
    lua_setfield(L, 4, "activity");
  }
  if (s.duals) {
    lua_createtable(L, 0, 1);
    pushvec(L, s.rowdual, m);
    lua_setfield(L, -2, "rows");
    lua_setfield(L, 4, "duals");
    pushbyname(L, 6, s.rowdual, m);
    lua_setfield(L, 4, "duals_by_name");
    pushvec(L, s.coldual, n);
    lua_setfield(L, 4, "reduced_costs");
  }
  lua_settop(L, 4);
  lua_replace(L, 1);
  lua_settop(L, 3);
  freebox(x.box);
  lua_settop(L, 1);
  return 1;
}

/* }====================================================== */

static const luaL_Reg linprog_funcs[] = {{"linprog", lp_linprog},
                                         {"linprog_file", lp_linprog_file},
                                         {NULL, NULL}};

static const luaL_Reg box_meta[] = {
    {"__gc", box_free}, {"__close", box_free}, {NULL, NULL}};

int slope_open_linprog(lua_State *L) {
  glp_term_out(GLP_OFF);
  luaL_newmetatable(L, SLOPE_LINPROG_BOX);
  luaL_setfuncs(L, box_meta, 0);
  lua_pop(L, 1);
  luaL_newlib(L, linprog_funcs);
  return 1;
}
