/*
** trace.c: slope.ad's Lua binding. A loss is called once with symbolic
** arguments (a traced input vector, data proxies); their metamethods and
** the overloaded math functions record every operation into a recorder,
** which becomes the tape of a compiled function "slope.ad.fn". Compiled
** functions are cached per Lua function, input size, data shapes and
** upvalues.
*/
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>
#include <lua.h>

#include "ad/ad.h"
#include "ad/tape.h"
#include "interrupt.h"
#include "vec.h"

#define AD_VAR "slope.ad.var"     /* a traced scalar */

/* The traced scalar's metatable is also kept in the registry under this
** address: looking it up so is much cheaper than by name, and tracing
** does it for every operand. */
static const char varkey = 0;
#define AD_TVEC "slope.ad.vec"    /* a traced vector: the input, or m * x */
#define AD_DATA "slope.ad.data"   /* a data vector or matrix while tracing */
#define AD_REC "slope.ad.recorder"

static const char currentkey = 0;  /* registry key: the recorder tracing */

/* The recorder tracing, also kept where the arithmetic metamethods find it
** as an upvalue (with the traced scalar's metatable): the hot path of
** tracing then needs no registry lookup. Registry key: its address. */
typedef struct adctx {
  struct recorder *current;
} adctx;
static const char ctxkey = 0;
static const char *const CACHE = "slope.ad.cache";

#define UNTRACEABLE \
  "use ad.ifelse(c, a, b), math.max/math.min, or numerical derivatives " \
  "(gradient = \"numeric\" in the solvers)"

struct slope_ad_fn {
  tape t;
  int scalar;       /* the input is a number (ad.derivative) */
  int vecout;       /* the loss returned an array */
  size_t *shape;    /* ndata pairs rows, cols (cols 0: a vector) */
  double *work;     /* 2n doubles, with the tangents: scratch, and the x
                       of the last hvp */
  int hvp_at;       /* the values and adjoints are those at work + n */
};

/* A slot of the recorder's table of nodes: the node's index + 1 (0: an
** empty slot) and its hash, so that a probe reads the node only when the
** hashes agree. */
typedef struct hashslot {
  uint32_t id, h;
} hashslot;

/* Common subexpressions are found through two structures. A node that is
** the first consumer of one of its operands is found from that operand:
** use[x] is x's first consumer + 1 (0: none yet). Every other node goes
** into the hash table, and reg[x] says that some consumer of x is there.
** A lookup probes the table only when every operand has reg set, so the
** common case (a fresh operand) reads recent, cached memory only. */
typedef struct recorder {
  tape t;           /* node, ext, out grow here */
  size_t cap, extcap;
  uint32_t *use;    /* cap: first consumer + 1 of each node */
  unsigned char *reg;  /* cap: a consumer of the node is in the table */
  hashslot *hash;   /* open addressing on the node's hash */
  size_t hcap, hcount;
  unsigned serial;
} recorder;

typedef struct var {
  unsigned serial;
  uint32_t id;
} var;

typedef struct tvec {
  unsigned serial;
  uint32_t first, len;
} tvec;

typedef struct dproxy {
  unsigned serial;
  uint32_t k;             /* data argument */
  size_t off, len;        /* a vector: len doubles from off */
  size_t rows, cols;      /* a matrix when cols > 0 */
} dproxy;


/* {==================================================================
** Recording
** =================================================================== */

static void rec_free(recorder *r) {
  tape_free(&r->t);
  free(r->use);
  free(r->reg);
  free(r->hash);
  r->use = NULL;
  r->reg = NULL;
  r->hash = NULL;
  r->cap = r->extcap = r->hcap = r->hcount = 0;
}

static int rec_gc(lua_State *L) {
  rec_free((recorder *)luaL_checkudata(L, 1, AD_REC));
  return 0;
}

/* The traced scalar at idx, or NULL (luaL_testudata by address). */
static void *testvar(lua_State *L, int idx) {
  void *p = lua_touserdata(L, idx);
  int same;
  if (p == NULL || !lua_getmetatable(L, idx))
    return NULL;
  lua_rawgetp(L, LUA_REGISTRYINDEX, &varkey);
  same = lua_rawequal(L, -1, -2);
  lua_pop(L, 2);
  return same ? p : NULL;
}

/* The recorder now tracing, checked against the serial of a value. */
static recorder *current(lua_State *L, unsigned serial) {
  recorder *r;
  lua_rawgetp(L, LUA_REGISTRYINDEX, &currentkey);  /* a recorder or nil */
  r = (recorder *)lua_touserdata(L, -1);
  lua_pop(L, 1);
  if (r == NULL || r->serial != serial)
    luaL_error(L, "ad: a traced value was used after its trace ended "
                  "(keep traced values inside the loss)");
  return r;
}

static uint32_t hashnode(const tape_node *nd) {
  uint32_t h = nd->op * 0x9e3779b1u;
  h ^= nd->a + 0x7f4a7c15u + (h << 6) + (h >> 2);
  h ^= nd->b + 0x165667b1u + (h << 6) + (h >> 2);
  h ^= h >> 16;  /* murmur3's finaliser: the low bits index the table */
  h *= 0x85ebca6bu;
  h ^= h >> 13;
  h *= 0xc2b2ae35u;
  h ^= h >> 16;
  return h;
}

static void rehash(lua_State *L, recorder *r) {
  size_t ncap = r->hcap ? 2 * r->hcap : 1024, i;
  hashslot *h = (hashslot *)calloc(ncap, sizeof *h);
  if (h == NULL)
    luaL_error(L, "not enough memory");
  for (i = 0; i < r->hcap; i++)
    if (r->hash[i].id) {
      size_t j = r->hash[i].h & (ncap - 1);
      while (h[j].id) j = (j + 1) & (ncap - 1);
      h[j] = r->hash[i];
    }
  free(r->hash);
  r->hash = h;
  r->hcap = ncap;
}

static uint32_t append(lua_State *L, recorder *r, tape_node nd) {
  if (r->t.len == r->cap) {
    size_t ncap = r->cap ? 2 * r->cap : 256;
    tape_node *p;
    uint32_t *u;
    unsigned char *g;
    if (ncap > (size_t)UINT32_MAX - 1)
      luaL_error(L, "ad: the tape is too large (more than %u nodes)",
                 (unsigned)UINT32_MAX - 1);
    p = (tape_node *)realloc(r->t.node, ncap * sizeof *p);
    if (p != NULL)
      r->t.node = p;
    u = (uint32_t *)realloc(r->use, ncap * sizeof *u);
    if (u != NULL)
      r->use = u;
    g = (unsigned char *)realloc(r->reg, ncap);
    if (g != NULL)
      r->reg = g;
    if (p == NULL || u == NULL || g == NULL)
      luaL_error(L, "not enough memory");
    r->cap = ncap;
  }
  r->t.node[r->t.len] = nd;
  r->use[r->t.len] = 0;
  r->reg[r->t.len] = 0;
  return (uint32_t)r->t.len++;
}

/* Is node c {op, a, b}? */
static int same(const recorder *r, uint32_t c, uint32_t op, uint32_t a,
                uint32_t b) {
  const tape_node *o = &r->t.node[c];
  return o->op == op && o->a == a && o->b == b;
}

/* The node nd in the hash table (its id), or -1 with *slot the empty slot
** where it goes. */
static int64_t lookup(lua_State *L, recorder *r, const tape_node *nd,
                      uint32_t h, size_t *slot) {
  size_t j;
  if (2 * (r->hcount + 1) > r->hcap)
    rehash(L, r);
  j = h & (r->hcap - 1);
  while (r->hash[j].id) {  /* the node itself is read only on equal hashes */
    if (r->hash[j].h == h && same(r, r->hash[j].id - 1, nd->op, nd->a, nd->b))
      return (int64_t)r->hash[j].id - 1;
    j = (j + 1) & (r->hcap - 1);
  }
  *slot = j;
  return -1;
}

static void insert(recorder *r, uint32_t id, uint32_t h, size_t slot) {
  r->hash[slot].id = id + 1;
  r->hash[slot].h = h;
  r->hcount++;
}

/* The node {op, a, b}, shared with an equal one recorded before. */
static uint32_t emit(lua_State *L, recorder *r, uint32_t op, uint32_t a,
                     uint32_t b) {
  tape_node nd;
  size_t slot = 0;
  int64_t found;
  uint32_t id, h, ua, ub = 0;
  int hasb, probe, first = 0;
  nd.op = op; nd.a = a; nd.b = b;
  h = hashnode(&nd);
  if (op == TAPE_CONST || op == TAPE_PARAM) {  /* leaves: the table only */
    if ((found = lookup(L, r, &nd, h, &slot)) >= 0)
      return (uint32_t)found;
    id = append(L, r, nd);
    insert(r, id, h, slot);
    return id;
  }
  hasb = (op >= TAPE_BINARY_FIRST && op <= TAPE_BINARY_LAST) ||
         op == TAPE_POWK;  /* b is a node */
  ua = r->use[a];
  if (hasb) ub = r->use[b];
  if (ua && same(r, ua - 1, op, a, b)) return ua - 1;
  if (ub && same(r, ub - 1, op, a, b)) return ub - 1;
  probe = r->reg[a] && (!hasb || r->reg[b]);
  if (probe && (found = lookup(L, r, &nd, h, &slot)) >= 0)
    return (uint32_t)found;
  id = append(L, r, nd);
  if (!ua) { r->use[a] = id + 1; first = 1; }
  if (hasb && !r->use[b]) { r->use[b] = id + 1; first = 1; }
  if (!first) {  /* the first consumer of neither operand: the table */
    if (!probe)
      lookup(L, r, &nd, h, &slot);  /* a miss: where it goes */
    insert(r, id, h, slot);
    r->reg[a] = 1;
    if (hasb) r->reg[b] = 1;
  }
  return id;
}

static uint32_t emitconst(lua_State *L, recorder *r, double v) {
  tape_node nd = tape_const_node(v);
  return emit(L, r, nd.op, nd.a, nd.b);
}

static uint32_t pushext(lua_State *L, recorder *r, uint32_t v) {
  if (r->t.next == r->extcap) {
    size_t ncap = r->extcap ? 2 * r->extcap : 64;
    uint32_t *p = (uint32_t *)realloc(r->t.ext, ncap * sizeof *p);
    if (p == NULL)
      luaL_error(L, "not enough memory");
    r->t.ext = p;
    r->extcap = ncap;
  }
  r->t.ext[r->t.next] = v;
  return (uint32_t)r->t.next++;
}

static int isconst(const recorder *r, uint32_t id, double *v) {
  if (r->t.node[id].op != TAPE_CONST)
    return 0;
  *v = tape_const_value(&r->t.node[id]);
  return 1;
}

static uint32_t rec_unary(lua_State *L, recorder *r, int op, uint32_t a) {
  double x;
  if (isconst(r, a, &x))
    return emitconst(L, r, tape_unary(op, x, 0));
  if (op == TAPE_NEG && r->t.node[a].op == TAPE_NEG)
    return r->t.node[a].a;
  return emit(L, r, (uint32_t)op, a, 0);
}

static uint32_t rec_binary(lua_State *L, recorder *r, int op, uint32_t a,
                           uint32_t b) {
  double x = 0, y = 0;
  int ca = isconst(r, a, &x), cb = isconst(r, b, &y);
  if (ca && cb)
    return emitconst(L, r, tape_binary(op, x, y));
  switch (op) {
    case TAPE_ADD:
      if (ca && x == 0) return b;
      if (cb && y == 0) return a;
      break;
    case TAPE_SUB:
      if (cb && y == 0) return a;
      break;
    case TAPE_MUL:
      if (ca && x == 1) return b;
      if (cb && y == 1) return a;
      break;
    case TAPE_DIV:
      if (cb && y == 1) return a;
      break;
    case TAPE_POW:
      if (cb) {
        if (y == 1) return a;
        if (y == 0) return emitconst(L, r, 1);
        if (y == 2) return emit(L, r, TAPE_SQR, a, 0);
        return emit(L, r, TAPE_POWK, a, b);
      }
      break;
  }
  if (ca || cb) {  /* one constant operand: an op whose b is the constant */
    uint32_t k = ca ? a : b, u = ca ? b : a;
    switch (op) {
      case TAPE_ADD: return emit(L, r, TAPE_ADDK, u, k);
      case TAPE_MUL: return emit(L, r, TAPE_MULK, u, k);
      case TAPE_SUB:
        return ca ? emit(L, r, TAPE_KSUB, u, k)
                  : emit(L, r, TAPE_ADDK, u, emitconst(L, r, -y));
      case TAPE_DIV: return emit(L, r, ca ? TAPE_KDIV : TAPE_DIVK, u, k);
    }
  }
  if (op == TAPE_MUL && a == b)
    return emit(L, r, TAPE_SQR, a, 0);
  if ((op == TAPE_ADD || op == TAPE_MUL) && a > b) {
    uint32_t s = a; a = b; b = s;
  }
  return emit(L, r, (uint32_t)op, a, b);
}

/* Push the value of node id: a number if it is a constant. */
/* up: the var metatable is upvalue 1 of the running function (the
** recording functions), else it is looked up in the registry. */
static void pushid(lua_State *L, recorder *r, uint32_t id, int up) {
  double v;
  if (isconst(r, id, &v))
    lua_pushnumber(L, v);
  else {
    var *x = (var *)lua_newuserdatauv(L, sizeof(var), 0);
    x->serial = r->serial;
    x->id = id;
    if (up)
      lua_pushvalue(L, lua_upvalueindex(1));
    else
      lua_rawgetp(L, LUA_REGISTRYINDEX, &varkey);
    lua_setmetatable(L, -2);
  }
}

static void pushnode(lua_State *L, recorder *r, uint32_t id) {
  pushid(L, r, id, 0);
}

/* The node of operand idx: a traced value, or a number made constant. */
static uint32_t operand(lua_State *L, recorder *r, int idx, const char *op) {
  var *x;
  if (lua_type(L, idx) == LUA_TNUMBER)
    return emitconst(L, r, lua_tonumber(L, idx));
  x = (var *)testvar(L, idx);
  if (x != NULL && x->serial == r->serial)
    return x->id;
  if (x != NULL)
    current(L, x->serial);  /* raises */
  if (luaL_testudata(L, idx, AD_TVEC) || luaL_testudata(L, idx, AD_DATA))
    luaL_error(L, "ad: %s on a whole traced vector; index it (x[i]) or use "
                  "x:dot(d), x:sum(), m * x", op);
  luaL_error(L, "ad: %s of a traced value and a %s value", op,
             luaL_typename(L, idx));
  return 0;
}

/* The recorder of the traced value among the first n arguments, or NULL. */
static recorder *tracing(lua_State *L, int n) {
  int i;
  for (i = 1; i <= n; i++) {
    var *x = (var *)testvar(L, i);
    if (x != NULL)
      return current(L, x->serial);
  }
  return NULL;
}

/* }================================================================== */


/* {==================================================================
** Traced scalars
** =================================================================== */

/* The traced scalar at idx, by the metatable in upvalue 1 (the var
** metamethods only). */
static var *upvar(lua_State *L, int idx) {
  void *p = lua_touserdata(L, idx);
  int same;
  if (p == NULL || !lua_getmetatable(L, idx))
    return NULL;
  same = lua_rawequal(L, -1, lua_upvalueindex(1));
  lua_pop(L, 1);
  return same ? (var *)p : NULL;
}

/* The operand at idx of the current trace r, or -1 when only the general
** path can tell (another trace, a vector, a string...). */
static int64_t fastoperand(lua_State *L, recorder *r, int idx) {
  var *x;
  if (lua_type(L, idx) == LUA_TNUMBER)
    return emitconst(L, r, lua_tonumber(L, idx));
  x = upvar(L, idx);
  return (x != NULL && x->serial == r->serial) ? (int64_t)x->id : -1;
}

/* The trace in progress, for functions registered with the upvalues. */
static recorder *uprecorder(lua_State *L) {
  return ((adctx *)lua_touserdata(L, lua_upvalueindex(2)))->current;
}


static int arith(lua_State *L, int op, const char *name) {
  recorder *r = uprecorder(L);
  int64_t fa, fb;
  uint32_t a, b;
  if (r != NULL && (fa = fastoperand(L, r, 1)) >= 0 &&
      (fb = fastoperand(L, r, 2)) >= 0) {
    pushid(L, r, rec_binary(L, r, op, (uint32_t)fa, (uint32_t)fb), 1);
    return 1;
  }
  r = tracing(L, 2);  /* the general path, with its errors */
  a = operand(L, r, 1, name);
  b = operand(L, r, 2, name);
  pushnode(L, r, rec_binary(L, r, op, a, b));
  return 1;
}

static int var_add(lua_State *L) { return arith(L, TAPE_ADD, "arithmetic"); }
static int var_sub(lua_State *L) { return arith(L, TAPE_SUB, "arithmetic"); }
static int var_mul(lua_State *L) { return arith(L, TAPE_MUL, "arithmetic"); }
static int var_div(lua_State *L) { return arith(L, TAPE_DIV, "arithmetic"); }
static int var_pow(lua_State *L) { return arith(L, TAPE_POW, "arithmetic"); }
static int var_mod(lua_State *L) { return arith(L, TAPE_MOD, "arithmetic"); }

/* a // b is floor(a / b): derivative 0. */
static int var_idiv(lua_State *L) {
  recorder *r = tracing(L, 2);
  uint32_t a = operand(L, r, 1, "arithmetic"), b = operand(L, r, 2, "arithmetic");
  pushnode(L, r, rec_unary(L, r, TAPE_FLOOR, rec_binary(L, r, TAPE_DIV, a, b)));
  return 1;
}

static int var_unm(lua_State *L) {
  recorder *r = tracing(L, 1);
  pushnode(L, r, rec_unary(L, r, TAPE_NEG, operand(L, r, 1, "arithmetic")));
  return 1;
}

static int var_compare(lua_State *L) {
  return luaL_error(L, "ad: comparison of a traced value (the loss branches "
                       "on its input); " UNTRACEABLE);
}

static int var_concat(lua_State *L) {
  return luaL_error(L, "ad: a traced value used as a string (..); a traced "
                       "value is not a number until the tape runs");
}

static int var_tostring(lua_State *L) {
  var *x = (var *)luaL_checkudata(L, 1, AD_VAR);
  lua_pushfstring(L, "ad.var(node %d)", (int)x->id);
  return 1;
}

static const luaL_Reg var_meta[] = {
  {"__add", var_add}, {"__sub", var_sub}, {"__mul", var_mul},
  {"__div", var_div}, {"__pow", var_pow}, {"__mod", var_mod},
  {"__idiv", var_idiv}, {"__unm", var_unm}, {"__lt", var_compare},
  {"__le", var_compare}, {"__eq", var_compare}, {"__concat", var_concat},
  {"__tostring", var_tostring},
  {NULL, NULL}
};

/* }================================================================== */


/* {==================================================================
** Traced vectors and data proxies
** =================================================================== */

static void pushtvec(lua_State *L, recorder *r, uint32_t first, uint32_t len) {
  tvec *v = (tvec *)lua_newuserdatauv(L, sizeof(tvec), 0);
  v->serial = r->serial;
  v->first = first;
  v->len = len;
  luaL_setmetatable(L, AD_TVEC);
}

static void pushproxy(lua_State *L, recorder *r, uint32_t k, size_t off,
                      size_t len, size_t rows, size_t cols) {
  dproxy *d = (dproxy *)lua_newuserdatauv(L, sizeof(dproxy), 0);
  d->serial = r->serial;
  d->k = k;
  d->off = off;
  d->len = len;
  d->rows = rows;
  d->cols = cols;
  luaL_setmetatable(L, AD_DATA);
}

/* An integer index in 1 .. n, or an error naming what is indexed. */
static size_t checkpos(lua_State *L, int idx, size_t n, const char *what) {
  int isint;
  lua_Integer i = lua_tointegerx(L, idx, &isint);
  if (!isint || lua_type(L, idx) != LUA_TNUMBER)
    luaL_error(L, "ad: %s index must be an integer, got %s", what,
               luaL_typename(L, idx));
  if (i < 1 || (lua_Unsigned)i > n)
    luaL_error(L, "ad: %s index %I out of range (1 to %d)", what, i, (int)n);
  return (size_t)(i - 1);
}

/* x:dot(y): y a data vector (one dot node) or a traced vector. */
static int tvec_dot(lua_State *L) {
  tvec *x = (tvec *)luaL_checkudata(L, 1, AD_TVEC);
  recorder *r = current(L, x->serial);
  dproxy *d = (dproxy *)luaL_testudata(L, 2, AD_DATA);
  tvec *y = (tvec *)luaL_testudata(L, 2, AD_TVEC);
  uint32_t e, j, first = (uint32_t)r->t.len;
  if (d != NULL && d->cols == 0) {
    if (d->len != x->len)
      return luaL_error(L, "ad: dot of vectors of lengths %d and %d",
                        (int)x->len, (int)d->len);
    e = pushext(L, r, d->k);
    pushext(L, r, (uint32_t)d->off);
    pushext(L, r, x->first);
    pushext(L, r, x->len);
    pushnode(L, r, append(L, r, (tape_node){TAPE_DOT, e, 0}));
    return 1;
  }
  if (y == NULL || y->serial != x->serial)
    return luaL_error(L, "ad: dot of a traced vector needs a data vector "
                         "(an argument of the loss) or a traced vector, got %s",
                      luaL_typename(L, 2));
  if (y->len != x->len)
    return luaL_error(L, "ad: dot of vectors of lengths %d and %d",
                      (int)x->len, (int)y->len);
  for (j = 0; j < x->len; j++)  /* contiguous products, then one sum */
    append(L, r, (tape_node){TAPE_MUL, x->first + j, y->first + j});
  pushnode(L, r, append(L, r, (tape_node){TAPE_SUM, first, x->len}));
  return 1;
}

static int tvec_sum(lua_State *L) {
  tvec *x = (tvec *)luaL_checkudata(L, 1, AD_TVEC);
  recorder *r = current(L, x->serial);
  pushnode(L, r, append(L, r, (tape_node){TAPE_SUM, x->first, x->len}));
  return 1;
}

/* x[i] and x:method, with newmeta's upvalues: the common case needs no
** registry lookup. */
static int tvec_index(lua_State *L) {
  tvec *x = (tvec *)lua_touserdata(L, 1);
  recorder *r = ((adctx *)lua_touserdata(L, lua_upvalueindex(3)))->current;
  int same = x != NULL && lua_getmetatable(L, 1) &&
             lua_rawequal(L, -1, lua_upvalueindex(2));
  if (!same)
    x = (tvec *)luaL_checkudata(L, 1, AD_TVEC);  /* raises */
  lua_settop(L, 2);
  if (r == NULL || r->serial != x->serial)
    r = current(L, x->serial);
  if (lua_type(L, 2) == LUA_TSTRING) {
    lua_pushvalue(L, 2);
    lua_rawget(L, lua_upvalueindex(1));
    return 1;
  }
  pushnode(L, r, x->first + (uint32_t)checkpos(L, 2, x->len, "traced vector"));
  return 1;
}

static int tvec_newindex(lua_State *L) {
  return luaL_error(L, "ad: a traced vector is read-only; build a new value "
                       "(local y = x[i] * 2) instead");
}

static int tvec_arith(lua_State *L) {
  return luaL_error(L, "ad: arithmetic on a whole traced vector; index it "
                       "(x[i]) or use x:dot(d), x:sum(), m * x");
}

static int tvec_len(lua_State *L) {
  tvec *x = (tvec *)luaL_checkudata(L, 1, AD_TVEC);
  lua_pushinteger(L, (lua_Integer)x->len);
  return 1;
}

static const luaL_Reg tvec_methods[] = {
  {"dot", tvec_dot}, {"sum", tvec_sum},
  {NULL, NULL}
};

static int data_dot(lua_State *L) {
  dproxy *d = (dproxy *)luaL_checkudata(L, 1, AD_DATA);
  if (luaL_testudata(L, 2, AD_TVEC) == NULL || d->cols > 0)
    return luaL_error(L, "ad: d:dot(x) needs a data vector d and a traced "
                         "vector x, got %s", luaL_typename(L, 2));
  lua_settop(L, 2);
  lua_insert(L, 1);  /* x:dot(d) */
  return tvec_dot(L);
}

static int data_sum(lua_State *L) {
  dproxy *d = (dproxy *)luaL_checkudata(L, 1, AD_DATA);
  recorder *r = current(L, d->serial);
  uint32_t e = pushext(L, r, d->k);
  pushext(L, r, (uint32_t)d->off);
  pushext(L, r, (uint32_t)(d->cols ? d->rows * d->cols : d->len));
  pushnode(L, r, append(L, r, (tape_node){TAPE_DSUM, e, 0}));
  return 1;
}

/* m * x: one dot node per row, contiguous, as a traced vector. */
static int data_mul(lua_State *L) {
  dproxy *d = (dproxy *)luaL_testudata(L, 1, AD_DATA);
  tvec *x = (tvec *)luaL_testudata(L, 2, AD_TVEC);
  recorder *r;
  uint32_t first, i;
  if (d == NULL || x == NULL || d->cols == 0)
    return luaL_error(L, "ad: arithmetic on data: use d[i], m[i][j], "
                         "d:dot(x), m * x or d:sum()");
  r = current(L, d->serial);
  if (d->cols != x->len)
    return luaL_error(L, "ad: m * x with %d columns and a vector of length %d",
                      (int)d->cols, (int)x->len);
  first = (uint32_t)r->t.len;
  for (i = 0; i < d->rows; i++) {
    uint32_t e = pushext(L, r, d->k);
    pushext(L, r, (uint32_t)(d->off + i * d->cols));
    pushext(L, r, x->first);
    pushext(L, r, x->len);
    append(L, r, (tape_node){TAPE_DOT, e, 0});
  }
  pushtvec(L, r, first, (uint32_t)d->rows);
  return 1;
}

static int data_index(lua_State *L) {
  dproxy *d = (dproxy *)luaL_checkudata(L, 1, AD_DATA);
  recorder *r = current(L, d->serial);
  if (lua_type(L, 2) == LUA_TSTRING) {
    const char *k = lua_tostring(L, 2);
    if (d->cols > 0 && strcmp(k, "rows") == 0)
      lua_pushinteger(L, (lua_Integer)d->rows);
    else if (d->cols > 0 && strcmp(k, "cols") == 0)
      lua_pushinteger(L, (lua_Integer)d->cols);
    else {
      lua_pushvalue(L, 2);
      lua_rawget(L, lua_upvalueindex(1));
    }
    return 1;
  }
  if (d->cols > 0) {
    size_t i = checkpos(L, 2, d->rows, "data row");
    pushproxy(L, r, d->k, d->off + i * d->cols, d->cols, 0, 0);
  }
  else {
    size_t i = checkpos(L, 2, d->len, "data");
    pushnode(L, r, emit(L, r, TAPE_PARAM, d->k, (uint32_t)(d->off + i)));
  }
  return 1;
}

static int data_newindex(lua_State *L) {
  return luaL_error(L, "ad: data are read-only while tracing");
}

static int data_len(lua_State *L) {
  dproxy *d = (dproxy *)luaL_checkudata(L, 1, AD_DATA);
  lua_pushinteger(L, (lua_Integer)(d->cols ? d->rows : d->len));
  return 1;
}

static const luaL_Reg data_methods[] = {
  {"dot", data_dot}, {"sum", data_sum},
  {NULL, NULL}
};

/* }================================================================== */


/* {==================================================================
** Math: stock behaviour for numbers, recording for traced values
** =================================================================== */

/* Registered with the upvalues of the var metamethods (math.* and ad's
** functions): the common case records with no registry lookup. */
static int unary(lua_State *L, int op) {
  recorder *r0 = uprecorder(L);
  var *x = upvar(L, 1);
  if (x != NULL && r0 != NULL && x->serial == r0->serial) {
    pushid(L, r0, rec_unary(L, r0, op, x->id), 1);
    return 1;
  }
  x = (var *)testvar(L, 1);
  if (x != NULL) {
    recorder *r = current(L, x->serial);
    pushnode(L, r, rec_unary(L, r, op, x->id));
  }
  else
    lua_pushnumber(L, tape_unary(op, luaL_checknumber(L, 1), 0));
  return 1;
}

#define UNARY(name, op, cfun) \
  static int name(lua_State *L) { \
    if (lua_type(L, 1) == LUA_TNUMBER) { \
      lua_pushnumber(L, cfun(lua_tonumber(L, 1))); \
      return 1; \
    } \
    return unary(L, op); \
  }

static double logistic_(double x) { return tape_unary(TAPE_LOGISTIC, x, 0); }
static double softplus_(double x) { return tape_unary(TAPE_SOFTPLUS, x, 0); }

UNARY(m_exp, TAPE_EXP, exp)
UNARY(m_sin, TAPE_SIN, sin)
UNARY(m_cos, TAPE_COS, cos)
UNARY(m_tan, TAPE_TAN, tan)
UNARY(m_asin, TAPE_ASIN, asin)
UNARY(m_acos, TAPE_ACOS, acos)
UNARY(m_sqrt, TAPE_SQRT, sqrt)
UNARY(ad_tanh, TAPE_TANH, tanh)
UNARY(ad_sinh, TAPE_SINH, sinh)
UNARY(ad_cosh, TAPE_COSH, cosh)
UNARY(ad_log1p, TAPE_LOG1P, log1p)
UNARY(ad_expm1, TAPE_EXPM1, expm1)
UNARY(ad_logistic, TAPE_LOGISTIC, logistic_)
UNARY(ad_softplus, TAPE_SOFTPLUS, softplus_)
UNARY(ad_erf, TAPE_ERF, erf)

/* A float that fits an integer is pushed as one, as math.floor does. */
static void pushnumint(lua_State *L, lua_Number d) {
  lua_Integer n;
  if (lua_numbertointeger(d, &n))
    lua_pushinteger(L, n);
  else
    lua_pushnumber(L, d);
}

/* Numbers first, as stock Lua's own checks (strings convert too). */
static int rounding(lua_State *L, int op) {
  int isnum;
  lua_Number d;
  if (lua_isinteger(L, 1)) {
    lua_settop(L, 1);  /* an integer is its own floor and ceiling */
    return 1;
  }
  d = lua_tonumberx(L, 1, &isnum);
  if (!isnum) {
    if (testvar(L, 1))
      return unary(L, op);
    d = luaL_checknumber(L, 1);  /* raises */
  }
  pushnumint(L, op == TAPE_FLOOR ? floor(d) : ceil(d));
  return 1;
}

static int m_floor(lua_State *L) { return rounding(L, TAPE_FLOOR); }
static int m_ceil(lua_State *L) { return rounding(L, TAPE_CEIL); }

static int m_abs(lua_State *L) {
  if (lua_type(L, 1) == LUA_TNUMBER && lua_isinteger(L, 1)) {
    lua_Integer n = lua_tointeger(L, 1);
    if (n < 0) n = (lua_Integer)(0u - (lua_Unsigned)n);
    lua_pushinteger(L, n);
    return 1;
  }
  if (lua_type(L, 1) == LUA_TNUMBER) {
    lua_pushnumber(L, fabs(lua_tonumber(L, 1)));
    return 1;
  }
  return unary(L, TAPE_ABS);
}

/* math.log(x [, base]): log2 and log10 for those bases, as stock Lua. */
static int m_log(lua_State *L) {
  recorder *r = tracing(L, 2);
  if (r == NULL) {
    lua_Number x = luaL_checknumber(L, 1), res;
    if (lua_isnoneornil(L, 2))
      res = log(x);
    else {
      lua_Number base = luaL_checknumber(L, 2);
      if (base == 2.0) res = log2(x);
      else if (base == 10.0) res = log10(x);
      else res = log(x) / log(base);
    }
    lua_pushnumber(L, res);
  }
  else {
    uint32_t a = operand(L, r, 1, "log"), id;
    if (lua_isnoneornil(L, 2))
      id = rec_unary(L, r, TAPE_LOG, a);
    else if (lua_type(L, 2) == LUA_TNUMBER && lua_tonumber(L, 2) == 2.0)
      id = rec_unary(L, r, TAPE_LOG2, a);
    else if (lua_type(L, 2) == LUA_TNUMBER && lua_tonumber(L, 2) == 10.0)
      id = rec_unary(L, r, TAPE_LOG10, a);
    else
      id = rec_binary(L, r, TAPE_DIV, rec_unary(L, r, TAPE_LOG, a),
                      rec_unary(L, r, TAPE_LOG, operand(L, r, 2, "log")));
    pushnode(L, r, id);
  }
  return 1;
}

/* math.atan(y [, x]) */
static int m_atan(lua_State *L) {
  recorder *r;
  if (lua_type(L, 1) == LUA_TNUMBER && lua_type(L, 2) != LUA_TUSERDATA) {
    lua_Number y = lua_tonumber(L, 1), x = luaL_optnumber(L, 2, 1);
    lua_pushnumber(L, atan2(y, x));
    return 1;
  }
  r = tracing(L, 2);
  if (r == NULL) {
    lua_Number y = luaL_checknumber(L, 1), x = luaL_optnumber(L, 2, 1);
    lua_pushnumber(L, atan2(y, x));
    return 1;
  }
  if (lua_isnoneornil(L, 2)) {
    lua_settop(L, 1);
    lua_pushinteger(L, 1);
  }
  pushnode(L, r, rec_binary(L, r, TAPE_ATAN2, operand(L, r, 1, "atan"),
                            operand(L, r, 2, "atan")));
  return 1;
}

/* math.max / math.min: stock Lua's loop; pairwise nodes when traced. */
static int extremum(lua_State *L, int op) {
  int n = lua_gettop(L), best = 1, i;
  recorder *r;
  if (n == 2 && lua_type(L, 1) == LUA_TNUMBER &&
      lua_type(L, 2) == LUA_TNUMBER) {  /* the common case, quickly */
    if (op == TAPE_MAX ? lua_compare(L, 1, 2, LUA_OPLT)
                       : lua_compare(L, 2, 1, LUA_OPLT))
      return 1;  /* the second */
    lua_settop(L, 1);
    return 1;
  }
  luaL_argcheck(L, n >= 1, 1, "value expected");
  for (i = 1; i <= n && lua_type(L, i) == LUA_TNUMBER; i++)
    ;
  r = i > n ? NULL : tracing(L, n);  /* plain numbers need no lookup */
  if (r == NULL) {
    if (op == TAPE_MAX) {
      for (i = 2; i <= n; i++)
        if (lua_compare(L, best, i, LUA_OPLT)) best = i;
    }
    else {
      for (i = 2; i <= n; i++)
        if (lua_compare(L, i, best, LUA_OPLT)) best = i;
    }
    lua_pushvalue(L, best);
  }
  else {
    uint32_t id = operand(L, r, 1, op == TAPE_MAX ? "max" : "min");
    for (i = 2; i <= n; i++)
      id = rec_binary(L, r, op, id,
                      operand(L, r, i, op == TAPE_MAX ? "max" : "min"));
    pushnode(L, r, id);
  }
  return 1;
}

static int m_max(lua_State *L) { return extremum(L, TAPE_MAX); }
static int m_min(lua_State *L) { return extremum(L, TAPE_MIN); }

/* ad.ifelse(c, a, b): a where c > 0 (or c is true), else b. */
static int ad_ifelse(lua_State *L) {
  var *c = (var *)testvar(L, 1);
  recorder *r;
  uint32_t cond, a, b, e;
  lua_settop(L, 3);
  if (c == NULL) {
    int yes;
    if (lua_type(L, 1) == LUA_TBOOLEAN)
      yes = lua_toboolean(L, 1);
    else
      yes = luaL_checknumber(L, 1) > 0;
    lua_pushvalue(L, yes ? 2 : 3);
    return 1;
  }
  r = current(L, c->serial);
  cond = c->id;
  a = operand(L, r, 2, "ifelse");
  b = operand(L, r, 3, "ifelse");
  if (a == b) {
    pushnode(L, r, a);
    return 1;
  }
  e = pushext(L, r, a);
  pushext(L, r, b);
  pushnode(L, r, append(L, r, (tape_node){TAPE_IFELSE, cond, e}));
  return 1;
}

/* ad.logsumexp(t): log(sum(exp(t[i]))), without overflow. */
static int ad_logsumexp(lua_State *L) {
  tvec *tv = (tvec *)luaL_testudata(L, 1, AD_TVEC);
  slope_vec *v;
  recorder *r = NULL;
  size_t n, i;
  if (tv != NULL) {
    uint32_t e = 0;
    r = current(L, tv->serial);
    for (i = 0; i < tv->len; i++) {
      uint32_t k = pushext(L, r, tv->first + (uint32_t)i);
      if (i == 0) e = k;
    }
    pushnode(L, r, append(L, r, (tape_node){TAPE_LSE, e, tv->len}));
    return 1;
  }
  if (lua_type(L, 1) == LUA_TTABLE) {
    n = (size_t)lua_rawlen(L, 1);
    for (i = 1; i <= n && r == NULL; i++) {
      var *x;
      lua_rawgeti(L, 1, (lua_Integer)i);
      x = (var *)testvar(L, -1);
      if (x != NULL) r = current(L, x->serial);
      lua_pop(L, 1);
    }
    if (r != NULL) {
      uint32_t *ids, e;
      if (n > (size_t)UINT32_MAX)
        return luaL_error(L, "ad: logsumexp of too many values");
      ids = (uint32_t *)lua_newuserdatauv(L, n * sizeof *ids, 0);
      for (i = 1; i <= n; i++) {
        lua_rawgeti(L, 1, (lua_Integer)i);
        ids[i - 1] = operand(L, r, lua_gettop(L), "logsumexp");
        lua_pop(L, 1);
      }
      e = (uint32_t)r->t.next;
      for (i = 0; i < n; i++) pushext(L, r, ids[i]);
      pushnode(L, r, append(L, r, (tape_node){TAPE_LSE, e, (uint32_t)n}));
      return 1;
    }
  }
  v = slope_vec_checkarg(L, 1);
  {
    double m = -INFINITY, s = 0;
    for (i = 0; i < v->n; i++)
      if (v->data[i] > m || v->data[i] != v->data[i]) m = v->data[i];
    if (m != m || isinf(m)) {
      lua_pushnumber(L, m);
      return 1;
    }
    for (i = 0; i < v->n; i++) s += exp(v->data[i] - m);
    lua_pushnumber(L, m + log(s));
  }
  return 1;
}

static const luaL_Reg math_funcs[] = {
  {"abs", m_abs}, {"acos", m_acos}, {"asin", m_asin}, {"atan", m_atan},
  {"ceil", m_ceil}, {"cos", m_cos}, {"exp", m_exp}, {"floor", m_floor},
  {"log", m_log}, {"max", m_max}, {"min", m_min}, {"sin", m_sin},
  {"sqrt", m_sqrt}, {"tan", m_tan},
  {NULL, NULL}
};

/* The two upvalues of the functions that record: the traced scalar's
** metatable and the tracing context. */
static void pushupvalues(lua_State *L) {
  lua_rawgetp(L, LUA_REGISTRYINDEX, &varkey);
  lua_rawgetp(L, LUA_REGISTRYINDEX, &ctxkey);
}

/* core.ad.install_math(): put the overloads into the global math table. */
static int ad_install_math(lua_State *L) {
  lua_getglobal(L, "math");
  if (lua_type(L, -1) != LUA_TTABLE)
    return 0;
  pushupvalues(L);
  luaL_setfuncs(L, math_funcs, 2);
  return 0;
}

/* }================================================================== */


/* {==================================================================
** Tracing and the cache
** =================================================================== */

static slope_ad_fn *checkfn(lua_State *L, int idx) {
  return (slope_ad_fn *)luaL_checkudata(L, idx, SLOPE_AD_FN);
}

slope_ad_fn *slope_ad_testfn(lua_State *L, int idx) {
  return (slope_ad_fn *)luaL_testudata(L, idx, SLOPE_AD_FN);
}

slope_ad_fn *slope_ad_checkfn(lua_State *L, int idx) {
  return checkfn(L, idx);
}

size_t slope_ad_n(const slope_ad_fn *F) { return F->t.n; }
size_t slope_ad_m(const slope_ad_fn *F) { return F->t.m; }

/* The shape of data value idx (converting an array): rows, cols; cols is
** 0 for a vector. Sets *p to its doubles. */
static void datashape(lua_State *L, int idx, size_t *rows, size_t *cols,
                      const double **p) {
  slope_mat *m = slope_mat_test(L, idx);
  if (m != NULL) {
    *rows = m->rows; *cols = m->cols; *p = m->data;
  }
  else {
    slope_vec *v = slope_vec_checkarg(L, idx);
    *rows = v->n; *cols = 0; *p = v->data;
  }
}

/* Message handler while tracing: an error about a traced value gets the
** line of the loss where it happened and what to do instead. */
static int tracemsgh(lua_State *L) {
  const char *msg = lua_tostring(L, 1);
  lua_Debug ar;
  int level;
  if (msg == NULL ||
      (strstr(msg, "slope.ad.") == NULL && strstr(msg, "userdata") == NULL))
    return 1;
  for (level = 1; lua_getstack(L, level, &ar); level++) {
    lua_getinfo(L, "Sl", &ar);
    if (ar.currentline > 0) {
      lua_pushfstring(L, "%s:%d:", ar.short_src, ar.currentline);
      if (strncmp(msg, lua_tostring(L, -1), strlen(lua_tostring(L, -1))) != 0) {
        lua_pushfstring(L, "%s %s", lua_tostring(L, -1), msg);
        msg = lua_tostring(L, -1);
      }
      break;
    }
  }
  lua_pushfstring(L, "%s (ad: a traced value reached code that needs a plain "
                     "number; a loss may use arithmetic, math.* and ad's "
                     "functions, but not a math function saved before "
                     "slope was loaded; " UNTRACEABLE ")", msg);
  return 1;
}

/* Where function f was defined, for messages. */
static const char *definedat(lua_State *L, int f) {
  lua_Debug ar;
  lua_pushvalue(L, f);
  lua_getinfo(L, ">S", &ar);
  return lua_pushfstring(L, "%s:%d", ar.short_src, ar.linedefined);
}

static uint32_t resultnode(lua_State *L, recorder *r, int idx, int f,
                           const char *fname, int elem) {
  var *x;
  if (lua_type(L, idx) == LUA_TNUMBER)
    return emitconst(L, r, lua_tonumber(L, idx));
  x = (var *)testvar(L, idx);
  if (x != NULL && x->serial == r->serial)
    return x->id;
  if (elem)
    luaL_error(L, "%s: element %d of the result of the function (%s) is a %s "
                  "value, not a number", fname, elem, definedat(L, f),
               luaL_typename(L, idx));
  luaL_error(L, "%s: the loss (%s) returned a %s value, not a number", fname,
             definedat(L, f), luaL_typename(L, idx));
  return 0;
}

/* Drop the nodes no output depends on (constants folded away, unused
** results), keeping the order, so contiguous operand ranges stay so. */
static void prune(tape *t, unsigned char *live, uint32_t *map) {
  size_t i, j, len = t->len;
  tape_node *nd = t->node;
  for (i = 0; i < t->m; i++) live[t->out[i]] = 1;
  for (i = 0; i < t->n; i++) live[i] = 1;
  for (i = len; i-- > t->n;) {
    uint32_t a = nd[i].a, b = nd[i].b, op = nd[i].op;
    if (!live[i]) continue;
    if (op >= TAPE_UNARY_FIRST && op <= TAPE_UNARY_LAST) {
      live[a] = 1;
      if (op == TAPE_POWK) live[b] = 1;
    }
    else if (op >= TAPE_BINARY_FIRST && op <= TAPE_BINARY_LAST)
      live[a] = live[b] = 1;
    else if (op == TAPE_IFELSE)
      live[a] = live[t->ext[b]] = live[t->ext[b + 1]] = 1;
    else if (op == TAPE_DOT)
      for (j = 0; j < t->ext[a + 3]; j++) live[t->ext[a + 2] + j] = 1;
    else if (op == TAPE_SUM)
      for (j = 0; j < b; j++) live[a + j] = 1;
    else if (op == TAPE_LSE)
      for (j = 0; j < b; j++) live[t->ext[a + j]] = 1;
  }
  for (i = j = 0; i < len; i++) {
    uint32_t a, b, op;
    if (!live[i]) continue;
    map[i] = (uint32_t)j;
    nd[j] = nd[i];
    a = nd[j].a; b = nd[j].b; op = nd[j].op;
    if (op >= TAPE_UNARY_FIRST && op <= TAPE_UNARY_LAST) {
      nd[j].a = map[a];
      if (op == TAPE_POWK) nd[j].b = map[b];
    }
    else if (op >= TAPE_BINARY_FIRST && op <= TAPE_BINARY_LAST) {
      nd[j].a = map[a]; nd[j].b = map[b];
    }
    else if (op == TAPE_IFELSE) {
      nd[j].a = map[a];
      t->ext[b] = map[t->ext[b]]; t->ext[b + 1] = map[t->ext[b + 1]];
    }
    else if (op == TAPE_DOT)
      t->ext[a + 2] = map[t->ext[a + 2]];
    else if (op == TAPE_SUM)
      nd[j].a = map[a];
    else if (op == TAPE_LSE)
      for (b = 0; b < nd[j].b; b++) t->ext[a + b] = map[t->ext[a + b]];
    j++;
  }
  for (i = 0; i < t->m; i++) t->out[i] = map[t->out[i]];
  t->len = j;
}

/* Trace f (at index f) and push the compiled function. */
static slope_ad_fn *trace(lua_State *L, int f, size_t n, int scalar, int data,
                          int ndata, const char *fname) {
  static unsigned serials = 0;  /* distinguishes traces; only compared */
  slope_ad_fn *F;
  recorder *r, *outer;
  adctx *ctx;
  int rec, i, status, base;
  size_t j;
  if (n > (size_t)UINT32_MAX / 2)
    luaL_error(L, "%s: too many inputs", fname);
  F = (slope_ad_fn *)lua_newuserdatauv(L, sizeof *F, 1);
  memset(F, 0, sizeof *F);
  luaL_setmetatable(L, SLOPE_AD_FN);
  F->scalar = scalar;
  lua_createtable(L, ndata, 0);  /* the data traced with */
  for (i = 0; i < ndata; i++) {
    lua_pushvalue(L, data + i);
    lua_rawseti(L, -2, i + 1);
  }
  lua_setiuservalue(L, -2, 1);
  r = (recorder *)lua_newuserdatauv(L, sizeof *r, 0);
  memset(r, 0, sizeof *r);
  luaL_setmetatable(L, AD_REC);
  rec = lua_gettop(L);
  r->serial = ++serials;
  r->t.n = n;
  for (j = 0; j < n; j++)
    append(L, r, (tape_node){TAPE_INPUT, (uint32_t)j, 0});
  lua_rawgetp(L, LUA_REGISTRYINDEX, &currentkey);  /* the trace we nest in */
  lua_pushvalue(L, rec);
  lua_rawsetp(L, LUA_REGISTRYINDEX, &currentkey);
  lua_rawgetp(L, LUA_REGISTRYINDEX, &ctxkey);
  ctx = (adctx *)lua_touserdata(L, -1);
  lua_pop(L, 1);
  outer = ctx->current;
  lua_pushcfunction(L, tracemsgh);
  base = lua_gettop(L);
  lua_pushvalue(L, f);
  if (scalar)
    pushnode(L, r, 0);
  else
    pushtvec(L, r, 0, (uint32_t)n);
  F->shape = (size_t *)malloc((ndata ? ndata : 1) * 2 * sizeof(size_t));
  F->t.data = (const double **)calloc(ndata ? ndata : 1, sizeof(double *));
  if (F->shape == NULL || F->t.data == NULL)
    luaL_error(L, "not enough memory");
  F->t.ndata = (size_t)ndata;
  for (i = 0; i < ndata; i++) {
    size_t rows, cols;
    const double *p;
    datashape(L, data + i, &rows, &cols, &p);
    F->shape[2 * i] = rows;
    F->shape[2 * i + 1] = cols;
    pushproxy(L, r, (uint32_t)i, 0, cols ? rows * cols : rows, rows, cols);
  }
  ctx->current = r;  /* for exactly the protected call */
  status = lua_pcall(L, 1 + ndata, 1, base);
  ctx->current = outer;
  lua_pushvalue(L, rec + 1);  /* restore the outer trace */
  lua_rawsetp(L, LUA_REGISTRYINDEX, &currentkey);
  if (status != LUA_OK)
    lua_error(L);
  /* outputs */
  if (lua_type(L, -1) == LUA_TTABLE || luaL_testudata(L, -1, AD_TVEC)) {
    tvec *tv = (tvec *)luaL_testudata(L, -1, AD_TVEC);
    size_t m = tv ? tv->len : (size_t)lua_rawlen(L, -1);
    if (tv != NULL && tv->serial != r->serial)
      luaL_error(L, "%s: the function returned a traced vector of another trace",
                 fname);
    F->vecout = 1;
    r->t.out = (uint32_t *)malloc((m ? m : 1) * sizeof(uint32_t));
    if (r->t.out == NULL)
      luaL_error(L, "not enough memory");
    for (j = 0; j < m; j++) {
      if (tv != NULL)
        r->t.out[j] = tv->first + (uint32_t)j;
      else {
        lua_rawgeti(L, -1, (lua_Integer)j + 1);
        r->t.out[j] = resultnode(L, r, lua_gettop(L), f, fname, (int)j + 1);
        lua_pop(L, 1);
      }
      r->t.m = j + 1;
    }
  }
  else {
    uint32_t id = resultnode(L, r, lua_gettop(L), f, fname, 0);
    r->t.out = (uint32_t *)malloc(sizeof(uint32_t));
    if (r->t.out == NULL)
      luaL_error(L, "not enough memory");
    r->t.out[0] = id;
    r->t.m = 1;
  }
  {
    unsigned char *live = (unsigned char *)calloc(r->t.len ? r->t.len : 1, 1);
    uint32_t *map = (uint32_t *)malloc((r->t.len ? r->t.len : 1) * sizeof *map);
    if (live == NULL || map == NULL) {
      free(live); free(map);
      luaL_error(L, "not enough memory");
    }
    prune(&r->t, live, map);
    free(live); free(map);
  }
  /* move the arrays into F */
  F->t.n = r->t.n;
  F->t.len = r->t.len;
  F->t.m = r->t.m;
  F->t.next = r->t.next;
  F->t.node = r->t.node; r->t.node = NULL;
  F->t.out = r->t.out; r->t.out = NULL;
  F->t.ext = r->t.ext; r->t.ext = NULL;
  F->t.val = (double *)calloc(F->t.len ? F->t.len : 1, sizeof(double));
  F->t.adj = (double *)calloc(F->t.len ? F->t.len : 1, sizeof(double));
  if (F->t.val == NULL || F->t.adj == NULL)
    luaL_error(L, "not enough memory");
  for (j = 0; j < F->t.len; j++)
    if (F->t.node[j].op == TAPE_CONST)
      F->t.val[j] = tape_const_value(&F->t.node[j]);
  if (tape_plan(&F->t) != 0)
    luaL_error(L, "not enough memory");
  rec_free(r);  /* now, not at the next collection */
  lua_settop(L, rec - 1);  /* leaves F */
  return F;
}

/* The cache key of f for this call: input size and kind, data shapes, and
** each upvalue's identity and (for numbers, booleans, strings, tables,
** functions) value. */
static void pushkey(lua_State *L, int f, size_t n, int scalar, int data,
                    int ndata) {
  luaL_Buffer b;
  int i;
  luaL_buffinit(L, &b);
  luaL_addlstring(&b, (const char *)&n, sizeof n);
  luaL_addchar(&b, scalar ? 's' : 'v');
  for (i = 0; i < ndata; i++) {
    size_t sh[2];
    slope_mat *m = slope_mat_test(L, data + i);
    slope_vec *v = slope_vec_test(L, data + i);
    if (m != NULL) { sh[0] = m->rows; sh[1] = m->cols; }
    else if (v != NULL) { sh[0] = v->n; sh[1] = 0; }
    else { sh[0] = (size_t)lua_rawlen(L, data + i); sh[1] = (size_t)-1; }
    luaL_addlstring(&b, (const char *)sh, sizeof sh);
  }
  for (i = 1; lua_getupvalue(L, f, i) != NULL; i++) {
    void *id = lua_upvalueid(L, f, i);
    int t = lua_type(L, -1);
    const void *p = NULL;
    lua_Number x = 0;
    lua_Integer k = 0;
    char tag = (char)('a' + t);
    if (t == LUA_TNUMBER && lua_isinteger(L, -1)) { k = lua_tointeger(L, -1); tag = 'I'; }
    else if (t == LUA_TNUMBER) x = lua_tonumber(L, -1);
    else if (t == LUA_TBOOLEAN) k = lua_toboolean(L, -1);
    else p = lua_topointer(L, -1);
    lua_pop(L, 1);
    luaL_addlstring(&b, (const char *)&id, sizeof id);
    luaL_addchar(&b, tag);
    luaL_addlstring(&b, (const char *)&x, sizeof x);
    luaL_addlstring(&b, (const char *)&k, sizeof k);
    luaL_addlstring(&b, (const char *)&p, sizeof p);
  }
  luaL_pushresult(&b);
}

static slope_ad_fn *compile(lua_State *L, int f, size_t n, int scalar,
                            int data, int ndata, const char *fname) {
  int key;
  slope_ad_fn *F;
  if (lua_type(L, f) != LUA_TFUNCTION)
    luaL_typeerror(L, f, "function");
  for (key = 0; key < ndata; key++)
    if (slope_mat_test(L, data + key) == NULL)
      slope_vec_checkarg(L, data + key);  /* arrays become vectors */
  pushkey(L, f, n, scalar, data, ndata);
  key = lua_gettop(L);
  lua_getfield(L, LUA_REGISTRYINDEX, CACHE);
  lua_pushvalue(L, f);
  if (lua_rawget(L, -2) != LUA_TTABLE) {
    lua_pop(L, 1);
    lua_newtable(L);
    lua_pushvalue(L, f);
    lua_pushvalue(L, -2);
    lua_rawset(L, -4);
  }
  lua_pushvalue(L, key);
  if (lua_rawget(L, -2) == LUA_TUSERDATA) {
    F = checkfn(L, -1);
    lua_replace(L, key);
    lua_settop(L, key);
    return F;
  }
  lua_pop(L, 1);
  F = trace(L, f, n, scalar, data, ndata, fname);
  lua_pushvalue(L, key);
  lua_pushvalue(L, -2);
  lua_rawset(L, -4);  /* entries[key] = F */
  lua_replace(L, key);
  lua_settop(L, key);
  return F;
}

slope_ad_fn *slope_ad_compile(lua_State *L, int f, size_t n, int data,
                              int ndata, const char *fname) {
  f = lua_absindex(L, f);
  data = lua_absindex(L, data);
  return compile(L, f, n, 0, data, ndata, fname);
}

void slope_ad_setdata(lua_State *L, slope_ad_fn *F, int first, int count,
                      const char *fname) {
  size_t k;
  int fromf = (count == 0 && F->t.ndata > 0);
  F->hvp_at = 0;
  if (!fromf && (size_t)count != F->t.ndata)
    luaL_error(L, "%s: %d data argument%s expected, got %d", fname,
               (int)F->t.ndata, F->t.ndata == 1 ? "" : "s", count);
  if (fromf) {
    int fi;
    lua_getiuservalue(L, -1, 1);  /* F must be on top */
    if (lua_type(L, -1) != LUA_TTABLE) luaL_error(L, "%s: no data", fname);
    fi = lua_gettop(L);
    for (k = 0; k < F->t.ndata; k++) {
      size_t rows, cols;
      lua_rawgeti(L, fi, (lua_Integer)k + 1);
      datashape(L, -1, &rows, &cols, &F->t.data[k]);
      lua_pop(L, 1);
    }
    lua_pop(L, 1);
    return;
  }
  first = lua_absindex(L, first);
  for (k = 0; k < F->t.ndata; k++) {
    size_t rows, cols;
    const double *p;
    int idx = first + (int)k;
    datashape(L, idx, &rows, &cols, &p);
    if (rows != F->shape[2 * k] || cols != F->shape[2 * k + 1]) {
      if (F->shape[2 * k + 1] == 0)
        lua_pushfstring(L, "vector of length %d expected as data",
                        (int)F->shape[2 * k]);
      else
        lua_pushfstring(L, "%dx%d matrix expected as data",
                        (int)F->shape[2 * k], (int)F->shape[2 * k + 1]);
      luaL_argerror(L, idx, lua_tostring(L, -1));
    }
    F->t.data[k] = p;
  }
}

void slope_ad_reserve(lua_State *L, slope_ad_fn *F) {
  if (tape_reserve_tangents(&F->t, 1) != 0)
    luaL_error(L, "not enough memory");
  if (F->work == NULL &&
      (F->work = (double *)calloc(F->t.n ? 2 * F->t.n : 1, sizeof(double))) ==
          NULL)
    luaL_error(L, "not enough memory");
}

/* The tape, about to be swept anew: what hvp kept is gone. */
static tape *sweeping(slope_ad_fn *F) {
  F->hvp_at = 0;
  return &F->t;
}

double slope_ad_value(slope_ad_fn *F, const double *x) {
  tape_forward(sweeping(F), x);
  return F->t.val[F->t.out[0]];
}

void slope_ad_values(slope_ad_fn *F, const double *x, double *y) {
  size_t k;
  tape_forward(sweeping(F), x);
  for (k = 0; k < F->t.m; k++)
    y[k] = F->t.val[F->t.out[k]];
}

double slope_ad_valgrad(slope_ad_fn *F, const double *x, double *g) {
  tape_forward_clear(sweeping(F), x);
  tape_reverse(&F->t, 0, g);
  return F->t.val[F->t.out[0]];
}

double slope_ad_dirderiv(slope_ad_fn *F, const double *x, const double *v) {
  tape_forward(sweeping(F), x);
  tape_tangent(&F->t, v);
  return F->t.tval[F->t.out[0]];
}

/* Successive products at one x (a Lanczos or CG loop) share the forward
** and reverse sweeps. */
void slope_ad_hvp(slope_ad_fn *F, const double *x, const double *v,
                  double *hv) {
  size_t n = F->t.n;
  if (!F->hvp_at || memcmp(x, F->work + n, n * sizeof(double)) != 0) {
    tape_forward_clear(sweeping(F), x);
    tape_reverse(&F->t, 0, NULL);
    memcpy(F->work + n, x, n * sizeof(double));
    F->hvp_at = 1;
  }
  tape_tangent(&F->t, v);
  tape_reverse2(&F->t, hv);
}

/* n tangent + second-order sweeps sharing one forward and one reverse
** sweep; the result is made exactly symmetric. */
int slope_ad_hessian(slope_ad_fn *F, const double *x, double *h) {
  size_t n = F->t.n, i, j;
  double *e = F->work;
  tape_forward_clear(sweeping(F), x);
  tape_reverse(&F->t, 0, NULL);
  memset(e, 0, n * sizeof(double));
  for (j = 0; j < n; j++) {
    if (slope_interrupt_pending())
      return -1;
    e[j] = 1;
    tape_tangent(&F->t, e);
    tape_reverse2(&F->t, NULL);
    for (i = 0; i < n; i++)
      h[i * n + j] = F->t.tadj[i];
    e[j] = 0;
  }
  for (i = 0; i < n; i++)
    for (j = i + 1; j < n; j++)
      h[i * n + j] = h[j * n + i] = 0.5 * (h[i * n + j] + h[j * n + i]);
  return 0;
}

/* m reverse sweeps when m < n, else n tangent sweeps. */
int slope_ad_jacobian(slope_ad_fn *F, const double *x, double *jac) {
  size_t n = F->t.n, m = F->t.m, i, k;
  if (m < n) {
    tape_forward_clear(sweeping(F), x);
    for (k = 0; k < m; k++) {
      if (slope_interrupt_pending())
        return -1;
      tape_reverse(&F->t, k, jac + k * n);
    }
  }
  else {
    double *e = F->work;
    tape_forward(sweeping(F), x);
    memset(e, 0, n * sizeof(double));
    for (i = 0; i < n; i++) {
      if (slope_interrupt_pending())
        return -1;
      e[i] = 1;
      tape_tangent(&F->t, e);
      for (k = 0; k < m; k++)
        jac[k * n + i] = F->t.tval[F->t.out[k]];
      e[i] = 0;
    }
  }
  return 0;
}

/* }================================================================== */


/* {==================================================================
** Compiled functions and the module functions
** =================================================================== */

static int fn_gc(lua_State *L) {
  slope_ad_fn *F = checkfn(L, 1);
  tape_free(&F->t);
  free(F->shape);
  free(F->work);
  F->shape = NULL;
  F->work = NULL;
  return 0;
}

/* The input at idx as doubles: a number for a scalar function, else a
** vector (or an array) of length n. */
static const double *checkx(lua_State *L, slope_ad_fn *F, int idx,
                            double *scalar) {
  slope_vec *v;
  if (F->scalar) {
    *scalar = luaL_checknumber(L, idx);
    return scalar;
  }
  v = slope_vec_checkarg(L, idx);
  if (v->n != F->t.n) {
    lua_pushfstring(L, "vector of length %d expected, got length %d",
                    (int)F->t.n, (int)v->n);
    luaL_argerror(L, idx, lua_tostring(L, -1));
  }
  return v->data;
}

static void needscalar(lua_State *L, slope_ad_fn *F, const char *fname) {
  if (F->vecout)
    luaL_error(L, "%s: the function returns a list of %d value%s, not a "
                  "number (for a vector-valued function use jacobian)",
               fname, (int)F->t.m, F->t.m == 1 ? "" : "s");
}

/* Set the data from the values from first to the top, F at index fidx. */
static void setdatan(lua_State *L, slope_ad_fn *F, int fidx, int first,
                     int count, const char *fname) {
  if (count == 0 && F->t.ndata > 0) {
    lua_pushvalue(L, fidx);
    slope_ad_setdata(L, F, 0, 0, fname);
    lua_pop(L, 1);
  }
  else
    slope_ad_setdata(L, F, first, count, fname);
}

static void setdata(lua_State *L, slope_ad_fn *F, int fidx, int first,
                    const char *fname) {
  int count = lua_gettop(L) - first + 1;
  setdatan(L, F, fidx, first, count < 0 ? 0 : count, fname);
}

static void pushresult(lua_State *L, slope_ad_fn *F) {
  if (F->vecout) {
    slope_vec *y = slope_vec_push(L, F->t.m);
    size_t k;
    for (k = 0; k < F->t.m; k++)
      y->data[k] = F->t.val[F->t.out[k]];
  }
  else
    lua_pushnumber(L, F->t.val[F->t.out[0]]);
}

/* F(x, ...): F moves to the top, so that messages count the arguments
** as the caller wrote them. */
static int fn_call(lua_State *L) {
  slope_ad_fn *F = checkfn(L, 1);
  int top = lua_gettop(L);
  double s;
  const double *x;
  lua_rotate(L, 1, -1);
  x = checkx(L, F, 1, &s);
  setdatan(L, F, top, 2, top - 2, "F");
  tape_forward(sweeping(F), x);
  pushresult(L, F);
  return 1;
}

static int fn_grad(lua_State *L) {
  slope_ad_fn *F = checkfn(L, 1);
  double s;
  const double *x = checkx(L, F, 2, &s);
  needscalar(L, F, "grad");
  setdata(L, F, 1, 3, "grad");
  slope_ad_valgrad(F, x, slope_vec_push(L, F->t.n)->data);
  return 1;
}

static int fn_valgrad(lua_State *L) {
  slope_ad_fn *F = checkfn(L, 1);
  double s;
  const double *x = checkx(L, F, 2, &s);
  needscalar(L, F, "valgrad");
  setdata(L, F, 1, 3, "valgrad");
  s = slope_ad_valgrad(F, x, slope_vec_push(L, F->t.n)->data);
  lua_pushnumber(L, s);
  lua_insert(L, -2);
  return 2;
}

static int fn_hessian(lua_State *L) {
  slope_ad_fn *F = checkfn(L, 1);
  double s;
  const double *x = checkx(L, F, 2, &s);
  needscalar(L, F, "hessian");
  setdata(L, F, 1, 3, "hessian");
  slope_ad_reserve(L, F);
  if (slope_ad_hessian(F, x, slope_mat_push(L, F->t.n, F->t.n)->data) != 0)
    slope_interrupt_check(L);
  return 1;
}

/* The direction argument at idx: n numbers. */
static const double *checkdir(lua_State *L, slope_ad_fn *F, int idx) {
  slope_vec *v = slope_vec_checkarg(L, idx);
  if (v->n != F->t.n) {
    lua_pushfstring(L, "vector of length %d expected, got length %d",
                    (int)F->t.n, (int)v->n);
    luaL_argerror(L, idx, lua_tostring(L, -1));
  }
  return v->data;
}

static int fn_hvp(lua_State *L) {
  slope_ad_fn *F = checkfn(L, 1);
  double s;
  const double *x = checkx(L, F, 2, &s), *v = checkdir(L, F, 3);
  needscalar(L, F, "hvp");
  setdata(L, F, 1, 4, "hvp");
  slope_ad_reserve(L, F);
  slope_ad_hvp(F, x, v, slope_vec_push(L, F->t.n)->data);
  return 1;
}

static int fn_dirderiv(lua_State *L) {
  slope_ad_fn *F = checkfn(L, 1);
  double s;
  const double *x = checkx(L, F, 2, &s), *v = checkdir(L, F, 3);
  needscalar(L, F, "dirderiv");
  setdata(L, F, 1, 4, "dirderiv");
  slope_ad_reserve(L, F);
  lua_pushnumber(L, slope_ad_dirderiv(F, x, v));
  return 1;
}

static int fn_jacobian(lua_State *L) {
  slope_ad_fn *F = checkfn(L, 1);
  double s;
  const double *x = checkx(L, F, 2, &s);
  setdata(L, F, 1, 3, "jacobian");
  slope_ad_reserve(L, F);
  if (slope_ad_jacobian(F, x, slope_mat_push(L, F->t.m, F->t.n)->data) != 0)
    slope_interrupt_check(L);
  return 1;
}

static int fn_tostring(lua_State *L) {
  slope_ad_fn *F = checkfn(L, 1);
  lua_pushfstring(L, "ad.fn(n=%d, m=%d, nodes=%d)", (int)F->t.n,
                  (int)F->t.m, (int)F->t.len);
  return 1;
}

static int fn_index(lua_State *L) {
  slope_ad_fn *F = checkfn(L, 1);
  const char *k = lua_tostring(L, 2);
  if (k != NULL && lua_type(L, 2) == LUA_TSTRING) {
    if (strcmp(k, "nodes") == 0) lua_pushinteger(L, (lua_Integer)F->t.len);
    else if (strcmp(k, "n") == 0) lua_pushinteger(L, (lua_Integer)F->t.n);
    else if (strcmp(k, "m") == 0) lua_pushinteger(L, (lua_Integer)F->t.m);
    else if (strcmp(k, "bytes") == 0)
      lua_pushinteger(L, (lua_Integer)tape_bytes(&F->t));
    else {
      lua_pushvalue(L, 2);
      lua_rawget(L, lua_upvalueindex(1));
    }
    return 1;
  }
  lua_pushnil(L);
  return 1;
}

/* F:ops(): the tape as an array of op names, for tests and curiosity. */
static int fn_ops(lua_State *L) {
  slope_ad_fn *F = checkfn(L, 1);
  size_t i;
  lua_createtable(L, (int)F->t.len, 0);
  for (i = 0; i < F->t.len; i++) {
    lua_pushstring(L, tape_opname((int)(F->t.node[i].op & TAPE_OPMASK)));
    lua_rawseti(L, -2, (lua_Integer)i + 1);
  }
  return 1;
}

static const luaL_Reg fn_methods[] = {
  {"dirderiv", fn_dirderiv}, {"grad", fn_grad}, {"hessian", fn_hessian},
  {"hvp", fn_hvp}, {"jacobian", fn_jacobian}, {"ops", fn_ops},
  {"valgrad", fn_valgrad},
  {NULL, NULL}
};

static const luaL_Reg fn_meta[] = {
  {"__call", fn_call}, {"__gc", fn_gc}, {"__tostring", fn_tostring},
  {NULL, NULL}
};

/* Module functions: trace f through the cache, then one method. The
** compiled function replaces f at index 1, so the methods see F at 1. */
static slope_ad_fn *prepare(lua_State *L, int data, const char *fname,
                            int scalar) {
  size_t n = 1;
  int ndata = lua_gettop(L) - data + 1;
  slope_ad_fn *F;
  if (ndata < 0) ndata = 0;
  luaL_checktype(L, 1, LUA_TFUNCTION);
  if (scalar)
    luaL_checknumber(L, 2);
  else
    n = slope_vec_checkarg(L, 2)->n;
  F = compile(L, 1, n, scalar, data, ndata, fname);
  lua_replace(L, 1);
  return F;
}

static int ad_grad(lua_State *L) {
  prepare(L, 3, "ad.grad", 0);
  return fn_grad(L);
}

static int ad_hessian(lua_State *L) {
  prepare(L, 3, "ad.hessian", 0);
  return fn_hessian(L);
}

static int ad_jacobian(lua_State *L) {
  prepare(L, 3, "ad.jacobian", 0);
  return fn_jacobian(L);
}

static int ad_hvp(lua_State *L) {
  prepare(L, 4, "ad.hvp", 0);
  return fn_hvp(L);
}

static int ad_dirderiv(lua_State *L) {
  prepare(L, 4, "ad.dirderiv", 0);
  return fn_dirderiv(L);
}

static int ad_derivative(lua_State *L) {
  slope_ad_fn *F;
  double x;
  lua_settop(L, 2);
  F = prepare(L, 3, "ad.derivative", 1);
  needscalar(L, F, "ad.derivative");
  x = lua_tonumber(L, 2);
  slope_ad_valgrad(F, &x, &x);
  lua_pushnumber(L, x);
  return 1;
}

/* ad.compile(f, n [, opts]): opts.data = {d1, ...} */
static int ad_compile(lua_State *L) {
  lua_Integer n;
  int ndata = 0, i, base;
  luaL_checktype(L, 1, LUA_TFUNCTION);
  n = luaL_checkinteger(L, 2);
  luaL_argcheck(L, n >= 1, 2, "positive size expected");
  if (!lua_isnoneornil(L, 3)) {
    luaL_checktype(L, 3, LUA_TTABLE);
    if (lua_getfield(L, 3, "data") != LUA_TNIL) {
      if (lua_type(L, -1) != LUA_TTABLE)
        luaL_argerror(L, 3, "field 'data' must be an array of data");
      ndata = (int)lua_rawlen(L, -1);
    }
  }
  lua_settop(L, 4);
  base = lua_gettop(L) + 1;
  luaL_checkstack(L, ndata + 10, "too many data arguments");
  for (i = 1; i <= ndata; i++)
    lua_rawgeti(L, 4, i);
  compile(L, 1, (size_t)n, 0, base, ndata, "ad.compile");
  return 1;
}

static const luaL_Reg ad_funcs[] = {
  {"compile", ad_compile}, {"cosh", ad_cosh}, {"derivative", ad_derivative},
  {"dirderiv", ad_dirderiv}, {"erf", ad_erf}, {"expm1", ad_expm1},
  {"grad", ad_grad}, {"hessian", ad_hessian}, {"hvp", ad_hvp},
  {"ifelse", ad_ifelse}, {"install_math", ad_install_math},
  {"jacobian", ad_jacobian}, {"log1p", ad_log1p}, {"logistic", ad_logistic},
  {"logsumexp", ad_logsumexp}, {"sinh", ad_sinh}, {"softplus", ad_softplus},
  {"tanh", ad_tanh},
  {NULL, NULL}
};

/* A metatable with methods: __index is the C function index with the
** upvalues method table, the metatable itself and the tracing context;
** __methods for help. */
static void newmeta(lua_State *L, const char *name, const luaL_Reg *meta,
                    const luaL_Reg *methods, lua_CFunction index) {
  luaL_newmetatable(L, name);
  luaL_setfuncs(L, meta, 0);
  if (methods != NULL) {
    lua_newtable(L);
    luaL_setfuncs(L, methods, 0);
    lua_pushvalue(L, -1);
    lua_setfield(L, -3, "__methods");
    lua_pushvalue(L, -2);
    lua_rawgetp(L, LUA_REGISTRYINDEX, &ctxkey);
    lua_pushcclosure(L, index, 3);
    lua_setfield(L, -2, "__index");
  }
  lua_pop(L, 1);
}

int slope_open_ad(lua_State *L) {
  static const luaL_Reg rec_meta[] = {{"__gc", rec_gc}, {NULL, NULL}};
  static const luaL_Reg tvec_meta[] = {
    {"__newindex", tvec_newindex}, {"__len", tvec_len},
    {"__add", tvec_arith}, {"__sub", tvec_arith}, {"__mul", tvec_arith},
    {"__div", tvec_arith}, {"__pow", tvec_arith}, {"__unm", tvec_arith},
    {NULL, NULL}};
  static const luaL_Reg data_meta[] = {
    {"__newindex", data_newindex}, {"__len", data_len},
    {"__mul", data_mul}, {NULL, NULL}};
  newmeta(L, AD_REC, rec_meta, NULL, NULL);
  luaL_newmetatable(L, AD_VAR);  /* its methods see it and the context */
  lua_pushvalue(L, -1);
  lua_rawsetp(L, LUA_REGISTRYINDEX, &varkey);
  lua_pushvalue(L, -1);
  ((adctx *)lua_newuserdatauv(L, sizeof(adctx), 0))->current = NULL;
  lua_pushvalue(L, -1);
  lua_rawsetp(L, LUA_REGISTRYINDEX, &ctxkey);
  luaL_setfuncs(L, var_meta, 2);
  lua_pop(L, 1);
  newmeta(L, AD_TVEC, tvec_meta, tvec_methods, tvec_index);
  newmeta(L, AD_DATA, data_meta, data_methods, data_index);
  newmeta(L, SLOPE_AD_FN, fn_meta, fn_methods, fn_index);
  lua_newtable(L);  /* the cache: weak keys */
  lua_createtable(L, 0, 1);
  lua_pushliteral(L, "k");
  lua_setfield(L, -2, "__mode");
  lua_setmetatable(L, -2);
  lua_setfield(L, LUA_REGISTRYINDEX, CACHE);
  luaL_newlibtable(L, ad_funcs);
  pushupvalues(L);
  luaL_setfuncs(L, ad_funcs, 2);
  return 1;
}
