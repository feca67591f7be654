/*
** data.c: slope.data's native part: csv(path [, opts]) reads a file of
** numbers under a header of column names into a data set, a table with
** the matrix X (one row per line), a vector per column, select and column.
**
** The file is read whole into one buffer and parsed in a single pass that
** appends every cell to one growing array of doubles: no Lua call and no
** allocation per cell. Both buffers belong to a box, a userdata marked
** to-be-closed, so an error raised anywhere (a bad cell, Ctrl-C, memory)
** frees them at once.
*/
#include "config.h"

#include <errno.h>
#include <float.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>
#include <lua.h>

#include "data.h"
#include "interrupt.h"
#include "vec.h"

#define DATA_BOX "slope.data.box"

/* Arguments of csv, then the slots it lays out above them. */
#define ARG_PATH 1
#define ARG_OPTS 2
#define SLOT_BOX 3   /* the buffers (to-be-closed) */
#define SLOT_NAMES 4 /* d.names */
#define SLOT_INDEX 5 /* name -> 1-based column */
#define SLOT_D 6     /* the data set */
#define SLOT_X 7     /* d.X */
#define SLOT_COLS 8  /* the column vectors, in order */

/* Upvalues of select and column: the index, X (select) or the column
** vectors (column), the names. */
#define UP_INDEX lua_upvalueindex(1)
#define UP_DATA lua_upvalueindex(2)
#define UP_NAMES lua_upvalueindex(3)

#define CHUNK 65536 /* first size of the text buffer */
#define SHOWN 40    /* longest cell quoted whole in a message */
#define LISTED 20   /* most column names listed in a message */
#define POLL 4096   /* rows between two looks at Ctrl-C */

/* Most bytes of text, most values: sizes that cannot overflow. */
#define MAXTEXT ((size_t)-1 / 4)
#define MAXVALS ((size_t)-1 / 4 / sizeof(double))

typedef struct Box {
  FILE *f;
  char *text;   /* the file's bytes and a NUL */
  size_t len;   /* bytes of text, the NUL excluded */
  double *vals; /* the cells read, row after row */
  size_t n, cap;
} Box;

typedef struct Parser {
  lua_State *L;
  const char *path;
  const char *end; /* the NUL after the text */
  char sep;        /* 0 until "auto" is resolved */
  int header;
  int skip_blank;
  size_t line;  /* 1-based number of the line being read */
  size_t first; /* line of the first row, which sets the count of fields */
} Parser;

/*
** {======================================================
** Errors
** =======================================================
*/

/* luaL_argerror naming fname, so a message reads the same however the
** function was reached; a method call does not count self. */
static int argerror(lua_State *L, int arg, const char *fname,
                    const char *msg) {
  lua_Debug ar;
  if (lua_getstack(L, 0, &ar)) {
    lua_getinfo(L, "n", &ar);
    if (ar.namewhat != NULL && strcmp(ar.namewhat, "method") == 0) {
      arg--;
      if (arg == 0)
        return luaL_error(L, "calling '%s' on bad self (%s)", fname, msg);
    }
  }
  return luaL_error(L, "bad argument #%d to '%s' (%s)", arg, fname, msg);
}

static int typeerror(lua_State *L, int arg, const char *fname,
                     const char *expected) {
  return argerror(L, arg, fname,
                  lua_pushfstring(L, "%s expected, got %s", expected,
                                  slope_kindname(L, arg)));
}

/* Raise "csv: path:line: msg". */
static int parseerror(Parser *P, const char *fmt, ...) {
  const char *msg;
  va_list ap;
  va_start(ap, fmt);
  msg = lua_pushvfstring(P->L, fmt, ap);
  va_end(ap);
  return luaL_error(P->L, "csv: %s:%I: %s", P->path, (lua_Integer)P->line,
                    msg);
}

/* }====================================================== */

/*
** {======================================================
** The box: the file, its text and the values, freed on any exit
** =======================================================
*/

/* __gc and __close: safe to run twice. */
static int box_release(lua_State *L) {
  Box *b = (Box *)luaL_checkudata(L, 1, DATA_BOX);
  if (b->f != NULL)
    fclose(b->f);
  free(b->text);
  free(b->vals);
  b->f = NULL;
  b->text = NULL;
  b->vals = NULL;
  b->len = b->n = b->cap = 0;
  return 0;
}

/* Push an empty box, marked to-be-closed. */
static Box *pushbox(lua_State *L) {
  Box *b = (Box *)lua_newuserdatauv(L, sizeof(Box), 0);
  b->f = NULL;
  b->text = NULL;
  b->vals = NULL;
  b->len = b->n = b->cap = 0;
  if (luaL_newmetatable(L, DATA_BOX)) {
    lua_pushcfunction(L, box_release);
    lua_setfield(L, -2, "__gc");
    lua_pushcfunction(L, box_release);
    lua_setfield(L, -2, "__close");
  }
  lua_setmetatable(L, -2);
  lua_toclose(L, -1);
  return b;
}

/* Read the file at path whole into b->text, NUL-terminated. A size hint
** would not help pipes; doubling costs little under realloc. */
static void readall(lua_State *L, Box *b, const char *path) {
  size_t cap = 0, got;
  b->f = fopen(path, "rb");
  if (b->f == NULL)
    luaL_error(L, "csv: cannot open '%s': %s", path, strerror(errno));
  do {
    if (b->len + 1 >= cap) {
      size_t newcap = cap == 0 ? CHUNK : 2 * cap;
      char *t;
      if (newcap > MAXTEXT)
        luaL_error(L, "csv: '%s' is too large", path);
      t = (char *)realloc(b->text, newcap);
      if (t == NULL)
        luaL_error(L, "csv: not enough memory to read '%s'", path);
      b->text = t;
      cap = newcap;
    }
    got = fread(b->text + b->len, 1, cap - b->len - 1, b->f);
    b->len += got;
  } while (got > 0);
  if (ferror(b->f))
    luaL_error(L, "csv: cannot read '%s': %s", path, strerror(errno));
  fclose(b->f);
  b->f = NULL;
  b->text[b->len] = '\0';
}

/* Make room for m more values. */
static void growvals(Parser *P, Box *b, size_t m) {
  size_t cap = b->cap < 1024 ? 1024 : b->cap;
  double *v;
  while (cap - b->n < m) {
    if (cap > MAXVALS / 2)
      luaL_error(P->L, "csv: '%s' is too large", P->path);
    cap *= 2;
  }
  v = (double *)realloc(b->vals, cap * sizeof(double));
  if (v == NULL)
    luaL_error(P->L, "csv: not enough memory to read '%s'", P->path);
  b->vals = v;
  b->cap = cap;
}

/* }====================================================== */

/*
** {======================================================
** Lines and fields
** =======================================================
*/

/* Spaces around a field: ' ', '\r', and '\t' unless it separates. */
static int isspacech(const Parser *P, char c) {
  return c == ' ' || c == '\r' || (c == '\t' && P->sep != '\t');
}

static char *skipspace(const Parser *P, char *p) {
  while (isspacech(P, *p))
    p++;
  return p;
}

static int ateol(const Parser *P, const char *p) {
  return *p == '\n' || p == P->end;
}

/* Does a field end at p (a separator, the end of its line or text)? */
static int atfieldend(const Parser *P, const char *p) {
  return *p == P->sep || ateol(P, p);
}

/* Is the line at p blank: nothing but spaces, tabs and '\r'? */
static int blankline(const Parser *P, const char *p) {
  while (*p == ' ' || *p == '\t' || *p == '\r')
    p++;
  return ateol(P, p);
}

/* The start of the line after the one p is in, or the end. */
static char *nextline(const Parser *P, char *p) {
  char *nl = (char *)memchr(p, '\n', (size_t)(P->end - p));
  return nl != NULL ? nl + 1 : (char *)P->end;
}

/* The field at *pp: leaves *pp at the separator or end of line after it,
** and [*start, *start + *len) its text, trimmed and unquoted. A quoted
** field ("a b", "say ""hi""") keeps its spaces and may hold separators;
** with unescape, its doubled quotes are collapsed in place. Returns NULL,
** or what is wrong with the field. */
static const char *scanfield(const Parser *P, char **pp, char **start,
                             size_t *len, int unescape) {
  char *p = skipspace(P, *pp), *q;
  if (*p != '"') {
    char *e;
    *start = p;
    while (!atfieldend(P, p))
      p++;
    for (e = p; e > *start && isspacech(P, e[-1]); e--)
      ;
    *len = (size_t)(e - *start);
    *pp = p;
    return NULL;
  }
  *start = q = ++p;
  for (;; p++, q++) {
    if (ateol(P, p)) {
      *len = 0;
      *pp = p;
      return "unterminated quote";
    }
    if (*p == '"' && *++p != '"')
      break; /* the closing quote; a doubled one stands for one */
    if (unescape)
      *q = *p;
  }
  *len = (size_t)(q - *start);
  p = skipspace(P, p);
  *pp = p;
  if (atfieldend(P, p))
    return NULL;
  while (!atfieldend(P, p))
    p++;
  *pp = p;
  return "text after the closing quote";
}

/* Fields of the line at p. */
static size_t countfields(const Parser *P, char *p) {
  size_t n = 1, len;
  char *s;
  for (;;) {
    scanfield(P, &p, &s, &len, 0);
    if (*p != P->sep)
      return n;
    p++;
    n++;
  }
}

/* opts.sep = "auto": whichever of ',', '\t' and ';' occurs most often
** outside quotes in the line at p; ',' if none does, or on a tie. */
static char sniff(const Parser *P, const char *p) {
  static const char seps[] = ",\t;";
  size_t count[3] = {0, 0, 0};
  int quoted = 0, k, best = 0;
  for (; !ateol(P, p); p++) {
    if (*p == '"')
      quoted = !quoted;
    else if (!quoted)
      for (k = 0; k < 3; k++)
        if (*p == seps[k])
          count[k]++;
  }
  for (k = 1; k < 3; k++)
    if (count[k] > count[best])
      best = k;
  return seps[best];
}

/* }====================================================== */

/*
** {======================================================
** Parsing
** =======================================================
*/

/* Push "column 3 ('age')", or "column 3" without a header. */
static const char *columnname(Parser *P, size_t j) {
  lua_State *L = P->L;
  if (!P->header)
    return lua_pushfstring(L, "column %I", (lua_Integer)j + 1);
  lua_rawgeti(L, SLOT_NAMES, (lua_Integer)j + 1);
  return lua_pushfstring(L, "column %I ('%s')", (lua_Integer)j + 1,
                         lua_tostring(L, -1));
}

/* Raise the error of the field at p in column j, which is no number. */
static int badcell(Parser *P, char *p, size_t j) {
  lua_State *L = P->L;
  const char *col = columnname(P, j), *what, *text;
  char *s = skipspace(P, p), *e = s, *start;
  size_t len;
  if (atfieldend(P, s))
    return parseerror(P, "%s: empty field", col);
  what = scanfield(P, &e, &start, &len, 0);
  if (what != NULL && strcmp(what, "unterminated quote") == 0)
    return parseerror(P, "%s: %s", col, what);
  while (e > s && isspacech(P, e[-1]))
    e--;
  len = (size_t)(e - s); /* the field as written, quotes included */
  if (len > SHOWN)
    text = lua_pushfstring(L, "%s...", lua_pushlstring(L, s, SHOWN - 3));
  else
    text = lua_pushlstring(L, s, len);
  return parseerror(P, "%s: '%s' is not a number", col, text);
}

/* Can a number start with c? Guards strtod from skipping white space
** (newlines included) into the next field. */
static int numstart(char c) {
  return (c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' ||
         c == 'i' || c == 'I' || c == 'n' || c == 'N';
}

#if defined(FLT_EVAL_METHOD) && FLT_EVAL_METHOD == 0
#define FASTPATH 1
#else
#define FASTPATH 0 /* extended precision would round twice */
#endif

/* Clinger's fast path, most of the time taken otherwise by strtod: a
** decimal of at most 19 digits whose mantissa fits in 53 bits, scaled by
** at most 1e22, is one correctly rounded operation on exact operands, so
** exactly what strtod returns. Returns the end of the number, or NULL for
** anything else (longer, hex, inf, nan, malformed), left to strtod. */
static char *fastnumber(char *s, double *x) {
  static const double powers[] = {
      1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
      1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
  char *p = s;
  uint64_t mant = 0;
  int neg = 0, digits = 0, scale = 0;
  double d;
  if (*p == '-' || *p == '+')
    neg = *p++ == '-';
  for (; *p >= '0' && *p <= '9'; p++, digits++)
    mant = mant * 10 + (uint64_t)(*p - '0');
  if (*p == '.')
    for (p++; *p >= '0' && *p <= '9'; p++, digits++, scale--)
      mant = mant * 10 + (uint64_t)(*p - '0');
  if (!FASTPATH || digits == 0 || digits > 19)
    return NULL; /* digits > 19 may have wrapped mant: never used then */
  if (*p == 'e' || *p == 'E') {
    int e = 0, eneg = 0;
    p++;
    if (*p == '-' || *p == '+')
      eneg = *p++ == '-';
    if (*p < '0' || *p > '9')
      return NULL;
    for (; *p >= '0' && *p <= '9' && e < 1000; p++)
      e = e * 10 + (*p - '0');
    scale += eneg ? -e : e;
  }
  if (mant > (uint64_t)1 << 53 || scale < -22 || scale > 22)
    return NULL;
  d = (double)mant;
  d = scale < 0 ? d / powers[-scale] : d * powers[scale];
  *x = neg ? -d : d;
  return p;
}

/* The number at s (white space excluded) into *x; returns its end, s if
** there is none. */
static char *number(const Parser *P, char *s, double *x) {
  char *e = fastnumber(s, x);
  if (e != NULL && (atfieldend(P, e) || isspacech(P, *e) || *e == '"'))
    return e;
  *x = strtod(s, &e);
  return e;
}

/* Read the field of column j at p into *x: a number as strtod reads it
** (so as Lua's tonumber does), maybe spaced, maybe quoted. Returns the
** separator or end of line after it. */
static char *readcell(Parser *P, char *p, size_t j, double *x) {
  char *s = skipspace(P, p), *e;
  if (numstart(*s)) {
    e = number(P, s, x);
    if (e != s) {
      e = skipspace(P, e);
      if (atfieldend(P, e))
        return e;
    }
  } else if (*s == '"') {
    char *q = skipspace(P, s + 1);
    if (numstart(*q)) {
      e = number(P, q, x);
      if (e != q && *(e = skipspace(P, e)) == '"') {
        e = skipspace(P, e + 1);
        if (atfieldend(P, e))
          return e;
      }
    }
  }
  badcell(P, p, j);
  return NULL;
}

/* Read the header line at *pp into SLOT_NAMES and SLOT_INDEX (or, without
** a header, number the fields of the first row: "1", "2", ...); returns
** the count of columns and leaves *pp at the first row. */
static size_t readheader(Parser *P, char **pp) {
  lua_State *L = P->L;
  char *p = *pp, *s;
  size_t m = 0, len;
  const char *what;
  if (!P->header) {
    size_t n = countfields(P, p);
    for (m = 1; m <= n; m++) {
      lua_pushfstring(L, "%I", (lua_Integer)m);
      lua_pushvalue(L, -1);
      lua_rawseti(L, SLOT_NAMES, (lua_Integer)m);
      lua_pushinteger(L, (lua_Integer)m);
      lua_rawset(L, SLOT_INDEX);
    }
    return n;
  }
  for (;;) {
    m++;
    what = scanfield(P, &p, &s, &len, 1);
    if (what != NULL)
      parseerror(P, "column %I: %s", (lua_Integer)m, what);
    if (len == 0)
      parseerror(P, "column %I has no name", (lua_Integer)m);
    lua_pushlstring(L, s, len);
    lua_pushvalue(L, -1);
    if (lua_rawget(L, SLOT_INDEX) != LUA_TNIL)
      parseerror(P, "column %I ('%s') has the name of column %I",
                 (lua_Integer)m, lua_tostring(L, -2), lua_tointeger(L, -1));
    lua_pop(L, 1);
    lua_pushvalue(L, -1);
    lua_rawseti(L, SLOT_NAMES, (lua_Integer)m);
    lua_pushinteger(L, (lua_Integer)m);
    lua_rawset(L, SLOT_INDEX);
    if (*p != P->sep)
      break;
    p++;
  }
  *pp = nextline(P, p);
  P->line++;
  return m;
}

/* Raise the error of a row of n fields where m were expected. */
static int fieldcount(Parser *P, size_t n, size_t m) {
  const char *as =
      P->header ? "the header"
                : lua_pushfstring(P->L, "line %I", (lua_Integer)P->first);
  return parseerror(P, "%I field%s, expected %I (as in %s)", (lua_Integer)n,
                    n == 1 ? "" : "s", (lua_Integer)m, as);
}

/* Read the rows of m fields from p on into b->vals. */
static void readrows(Parser *P, Box *b, char *p, size_t m) {
  size_t j, rows = 0;
  while (p != P->end) {
    char *start = p;
    double *x;
    if (blankline(P, p)) {
      if (!P->skip_blank)
        parseerror(P, "blank line (opts.skip_blank is false)");
      p = nextline(P, p);
      P->line++;
      continue;
    }
    if (++rows % POLL == 0 && slope_interrupt_pending())
      slope_interrupt_check(P->L);
    if (b->cap - b->n < m)
      growvals(P, b, m);
    x = b->vals + b->n;
    for (j = 0;; j++) {
      p = readcell(P, p, j, x + j);
      if (*p != P->sep) {
        if (j + 1 < m)
          fieldcount(P, j + 1, m);
        break;
      }
      if (j + 1 == m)
        fieldcount(P, countfields(P, start), m);
      p++;
    }
    b->n += m;
    if (p != P->end)
      p++; /* the '\n' */
    P->line++;
  }
}

/* }====================================================== */

/*
** {======================================================
** Data sets
** =======================================================
*/

/* Raise "unknown column 'x'; the columns are 'a', 'b', ..." for arg. */
static int unknowncolumn(lua_State *L, int arg, const char *fname,
                         const char *name) {
  lua_Integer m = (lua_Integer)lua_rawlen(L, UP_NAMES), j;
  luaL_Buffer B;
  luaL_buffinit(L, &B);
  lua_pushfstring(L, "unknown column '%s'; the columns are ", name);
  luaL_addvalue(&B);
  for (j = 1; j <= m && j <= LISTED; j++) {
    if (j > 1)
      luaL_addstring(&B, ", ");
    luaL_addchar(&B, '\'');
    lua_rawgeti(L, UP_NAMES, j);
    luaL_addvalue(&B);
    luaL_addchar(&B, '\'');
  }
  if (m > LISTED) {
    lua_pushfstring(L, " and %I more", m - LISTED);
    luaL_addvalue(&B);
  }
  luaL_pushresult(&B);
  return argerror(L, arg, fname, lua_tostring(L, -1));
}

/* The 1-based column of the name on top of the stack (popped), the
** element at [pos] of the list at arg (pos 0: arg itself). */
static lua_Integer lookup(lua_State *L, int arg, lua_Integer pos,
                          const char *fname) {
  lua_Integer j;
  if (lua_type(L, -1) != LUA_TSTRING) {
    if (pos == 0)
      typeerror(L, arg, fname, "string");
    argerror(L, arg, fname,
             lua_pushfstring(L, "column name expected at [%I], got %s", pos,
                             slope_kindname(L, -1)));
  }
  lua_pushvalue(L, -1);
  if (lua_rawget(L, UP_INDEX) == LUA_TNIL)
    unknowncolumn(L, arg, fname, lua_tostring(L, -2));
  j = lua_tointeger(L, -1);
  lua_pop(L, 2);
  return j;
}

/* d:select{names...}: a new rows x k matrix of those columns, in order.
** Upvalues: the index, X, the names. */
static int data_select(lua_State *L) {
  slope_mat *X = (slope_mat *)lua_touserdata(L, UP_DATA), *r;
  size_t k, c, i, *cols;
  if (lua_type(L, 2) != LUA_TTABLE)
    typeerror(L, 2, "select", "table");
  lua_settop(L, 2);
  k = (size_t)lua_rawlen(L, 2);
  cols = (size_t *)lua_newuserdatauv(L, (k > 0 ? k : 1) * sizeof(size_t), 0);
  for (c = 0; c < k; c++) {
    lua_rawgeti(L, 2, (lua_Integer)c + 1);
    cols[c] = (size_t)lookup(L, 2, (lua_Integer)c + 1, "select") - 1;
  }
  r = slope_mat_push(L, X->rows, k);
  for (i = 0; i < X->rows; i++) {
    const double *src = X->data + i * X->cols;
    double *dst = r->data + i * k;
    for (c = 0; c < k; c++)
      dst[c] = src[cols[c]];
  }
  return 1;
}

/* d:column(name): the vector d[name], also for a name that a field of d
** hides (X, names, ...). Upvalues: the index, the columns, the names. */
static int data_column(lua_State *L) {
  lua_settop(L, 2);
  lua_pushvalue(L, 2);
  lua_rawgeti(L, UP_DATA, lookup(L, 2, 0, "column"));
  return 1;
}

/* Fill the data set at SLOT_D from the n x m values of b. */
static void build(lua_State *L, Box *b, size_t n, size_t m) {
  slope_mat *X;
  double **cols;
  size_t i, j;
  lua_createtable(L, 0, m < 1000 ? (int)m + 6 : 0); /* SLOT_D */
  X = slope_mat_push(L, n, m);                      /* SLOT_X */
  if (n > 0)
    memcpy(X->data, b->vals, n * m * sizeof(double));
  free(b->vals); /* before the columns double the memory */
  b->vals = NULL;
  b->n = b->cap = 0;
  lua_createtable(L, (int)(m < 1000 ? m : 0), 0); /* SLOT_COLS */
  cols = (double **)lua_newuserdatauv(L, m * sizeof(double *), 0);
  for (j = 0; j < m; j++) {
    cols[j] = slope_vec_push(L, n)->data;
    lua_pushvalue(L, -1);
    lua_rawseti(L, SLOT_COLS, (lua_Integer)j + 1);
    lua_rawgeti(L, SLOT_NAMES, (lua_Integer)j + 1);
    lua_insert(L, -2);
    lua_rawset(L, SLOT_D);
  }
  for (i = 0; i < n; i++) { /* row by row: m sequential streams */
    const double *row = X->data + i * m;
    for (j = 0; j < m; j++)
      cols[j][i] = row[j];
  }
  lua_pop(L, 1);
  /* the fields last: they win over columns of the same names */
  lua_pushvalue(L, SLOT_NAMES);
  lua_setfield(L, SLOT_D, "names");
  lua_pushvalue(L, SLOT_X);
  lua_setfield(L, SLOT_D, "X");
  lua_pushinteger(L, (lua_Integer)n);
  lua_setfield(L, SLOT_D, "rows");
  lua_pushinteger(L, (lua_Integer)m);
  lua_setfield(L, SLOT_D, "cols");
  lua_pushvalue(L, SLOT_INDEX);
  lua_pushvalue(L, SLOT_X);
  lua_pushvalue(L, SLOT_NAMES);
  lua_pushcclosure(L, data_select, 3);
  lua_setfield(L, SLOT_D, "select");
  lua_pushvalue(L, SLOT_INDEX);
  lua_pushvalue(L, SLOT_COLS);
  lua_pushvalue(L, SLOT_NAMES);
  lua_pushcclosure(L, data_column, 3);
  lua_setfield(L, SLOT_D, "column");
}

/* opts.name, a boolean, into *flag (unchanged when nil). */
static void booloption(lua_State *L, const char *name, int *flag) {
  if (lua_getfield(L, ARG_OPTS, name) != LUA_TNIL) {
    if (lua_type(L, -1) != LUA_TBOOLEAN)
      argerror(L, ARG_OPTS, "csv",
               lua_pushfstring(L, "opts.%s must be a boolean, got %s", name,
                               slope_kindname(L, -1)));
    *flag = lua_toboolean(L, -1);
  }
  lua_pop(L, 1);
}

/* The options at ARG_OPTS (nil or a table) into P. */
static void checkoptions(lua_State *L, Parser *P) {
  P->sep = ',';
  P->header = 1;
  P->skip_blank = 1;
  if (lua_isnoneornil(L, ARG_OPTS))
    return;
  if (lua_type(L, ARG_OPTS) != LUA_TTABLE)
    typeerror(L, ARG_OPTS, "csv", "table or nil");
  {
    static const char *const names[] = {"header", "sep", "skip_blank", NULL};
    const char *unknown = slope_unknownoption(L, ARG_OPTS, names);
    if (unknown != NULL)
      argerror(L, ARG_OPTS, "csv", unknown);
  }
  if (lua_getfield(L, ARG_OPTS, "sep") != LUA_TNIL) {
    const char *s =
        lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
    if (s != NULL && strcmp(s, "auto") == 0)
      P->sep = 0;
    else if (s != NULL && s[0] != '\0' && s[1] == '\0' &&
             strchr(",;\t", s[0]) != NULL)
      P->sep = s[0];
    else
      argerror(L, ARG_OPTS, "csv",
               lua_pushfstring(L,
                               "opts.sep must be ',', ';', '\\t' or 'auto', "
                               "got %s%s%s",
                               s ? "'" : "", s ? s : slope_kindname(L, -1),
                               s ? "'" : ""));
  }
  lua_pop(L, 1);
  booloption(L, "header", &P->header);
  booloption(L, "skip_blank", &P->skip_blank);
}

/* csv(path [, opts]): the data set in the file at path. */
static int data_csv(lua_State *L) {
  Parser P;
  Box *b;
  char *p;
  size_t m;
  if (lua_type(L, ARG_PATH) != LUA_TSTRING)
    typeerror(L, ARG_PATH, "csv", "string");
  lua_settop(L, ARG_OPTS);
  checkoptions(L, &P);
  P.L = L;
  P.path = lua_tostring(L, ARG_PATH);
  b = pushbox(L);  /* SLOT_BOX */
  lua_newtable(L); /* SLOT_NAMES */
  lua_newtable(L); /* SLOT_INDEX */
  readall(L, b, P.path);
  p = b->text;
  P.end = b->text + b->len;
  P.line = 1;
  if (b->len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
    p += 3; /* a UTF-8 byte order mark, as some spreadsheets write */
  while (p != P.end && blankline(&P, p)) {
    if (!P.skip_blank)
      parseerror(&P, "blank line (opts.skip_blank is false)");
    p = nextline(&P, p);
    P.line++;
  }
  if (p == P.end)
    luaL_error(L, "csv: %s: empty file", P.path);
  if (P.sep == 0)
    P.sep = sniff(&P, p);
  P.first = P.header ? P.line + 1 : P.line;
  m = readheader(&P, &p);
  readrows(&P, b, p, m);
  free(b->text); /* done with it */
  b->text = NULL;
  b->len = 0;
  lua_settop(L, SLOT_INDEX);
  build(L, b, b->n / m, m);
  lua_pushvalue(L, SLOT_D);
  return 1;
}

/* }====================================================== */

static const luaL_Reg data_funcs[] = {{"csv", data_csv}, {NULL, NULL}};

int slope_open_data(lua_State *L) {
  luaL_newlib(L, data_funcs);
  return 1;
}
