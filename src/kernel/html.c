/*
** html.c: an HTML table for a cell's value when it is a table of records
** (an array of tables with string keys: one row each, one column per key;
** fields beside the array, such as a count, are left out)
** or a table of results (string keys only, such as what optim.minimize
** returns: one row per field). Cells show strings as they are and other
** values as the REPL prints them (slope.pretty.format).
*/
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>
#include <lua.h>

#define SLOPE_KERNEL_INTERNAL
#include "kernel.h"

#define MAXROWS 500
#define MAXCOLS 64

#define TD "<td style=\"text-align:left; white-space:pre; " \
           "font-family:monospace\">"
#define TH "<th style=\"text-align:left\">"

/* Fields of a result shown first, in this order; the others sorted. */
static const char *const leading[] = {
  "status", "x", "f", "message", "iterations", NULL
};

/* The HTML being written, outside the Lua stack so that Lua may run
** between additions. */
struct html {
  char *p;
  size_t n, cap;
  int failed;  /* out of memory */
};

static void add(struct html *b, const char *s, size_t l) {
  if (b->failed)
    return;
  if (b->n + l + 1 > b->cap) {
    size_t cap = b->cap ? b->cap : 1024;
    char *p;
    while (cap < b->n + l + 1)
      cap *= 2;
    if ((p = realloc(b->p, cap)) == NULL) {
      b->failed = 1;
      return;
    }
    b->p = p;
    b->cap = cap;
  }
  memcpy(b->p + b->n, s, l);
  b->n += l;
}

static void addstr(struct html *b, const char *s) {
  add(b, s, strlen(s));
}

static void add_escaped(struct html *b, const char *s, size_t l) {
  size_t i;
  for (i = 0; i < l; i++) {
    switch (s[i]) {
      case '&': addstr(b, "&amp;"); break;
      case '<': addstr(b, "&lt;"); break;
      case '>': addstr(b, "&gt;"); break;
      case '"': addstr(b, "&quot;"); break;
      default: add(b, s + i, 1);
    }
  }
}

/* Push the HTML and free it; 1, or 0 after running out of memory. */
static int push_html(lua_State *L, struct html *b) {
  int ok = !b->failed;
  if (ok)
    lua_pushlstring(L, b->p, b->n);
  free(b->p);
  return ok;
}

/* Add one cell for the value on the top (popped). */
static void add_cell(lua_State *L, struct html *b, int format) {
  size_t l;
  const char *s;
  if (lua_type(L, -1) != LUA_TSTRING) {
    lua_pushvalue(L, format);
    lua_insert(L, -2);
    if (lua_pcall(L, 1, 1, 0) != LUA_OK || lua_type(L, -1) != LUA_TSTRING) {
      lua_pop(L, 1);
      lua_pushliteral(L, "?");
    }
  }
  s = lua_tolstring(L, -1, &l);
  addstr(b, TD);
  add_escaped(b, s, l);
  addstr(b, "</td>");
  lua_pop(L, 1);
}

static int cmp(const void *a, const void *b) {
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The string keys of the table at idx, sorted, into keys (at most max);
** their count, or -1 when the table has a key of another type or a
** function value (when nofunc). */
static int string_keys(lua_State *L, int idx, const char **keys, int max,
                       int nofunc) {
  int n = 0;
  lua_pushnil(L);
  while (lua_next(L, idx)) {
    if (lua_type(L, -2) != LUA_TSTRING || n == max
        || (nofunc && lua_type(L, -1) == LUA_TFUNCTION)) {
      lua_pop(L, 2);
      return -1;
    }
    keys[n++] = lua_tostring(L, -2);  /* anchored in the table */
    lua_pop(L, 1);
  }
  qsort(keys, (size_t)n, sizeof *keys, cmp);
  return n;
}

/* Records: every row's keys are columns (the union, sorted). */
static int records(lua_State *L, int idx, int format) {
  lua_Integer n = (lua_Integer)lua_rawlen(L, idx), i;
  const char *cols[MAXCOLS], *keys[MAXCOLS];
  int ncols = 0, j, count = 0;
  struct html b = {NULL, 0, 0, 0};
  if (n < 1 || n > MAXROWS)
    return 0;
  lua_pushnil(L);
  while (lua_next(L, idx)) {  /* integer keys: 1..n alone */
    if (lua_isinteger(L, -2))
      count++;
    lua_pop(L, 1);
  }
  if (count != n)
    return 0;
  for (i = 1; i <= n; i++) {
    int nk, a, c;
    const char *merged[MAXCOLS];
    if (lua_rawgeti(L, idx, i) != LUA_TTABLE
        || (nk = string_keys(L, lua_gettop(L), keys, MAXCOLS, 1)) <= 0) {
      lua_pop(L, 1);
      return 0;
    }
    lua_pop(L, 1);  /* the row stays in the table, and its keys with it */
    for (a = 0, c = 0, j = 0; a < ncols || c < nk;) {  /* sorted union */
      int d = a == ncols ? 1 : c == nk ? -1 : strcmp(cols[a], keys[c]);
      if (j == MAXCOLS)
        return 0;
      if (d < 0)
        merged[j++] = cols[a++];
      else if (d > 0)
        merged[j++] = keys[c++];
      else {
        merged[j++] = cols[a++];
        c++;
      }
    }
    memcpy(cols, merged, (size_t)j * sizeof *cols);
    ncols = j;
  }
  addstr(&b, "<table>\n<thead><tr><th></th>");
  for (j = 0; j < ncols; j++) {
    addstr(&b, TH);
    add_escaped(&b, cols[j], strlen(cols[j]));
    addstr(&b, "</th>");
  }
  addstr(&b, "</tr></thead>\n<tbody>\n");
  for (i = 1; i <= n; i++) {
    char row[48];
    snprintf(row, sizeof row, "<tr><th>%lld</th>", (long long)i);
    addstr(&b, row);
    for (j = 0; j < ncols; j++) {
      lua_rawgeti(L, idx, i);
      lua_pushstring(L, cols[j]);
      lua_rawget(L, -2);
      lua_remove(L, -2);
      if (lua_isnil(L, -1)) {
        lua_pop(L, 1);
        addstr(&b, "<td></td>");
      }
      else
        add_cell(L, &b, format);
    }
    addstr(&b, "</tr>\n");
  }
  addstr(&b, "</tbody>\n</table>");
  return push_html(L, &b);
}

/* Results: one row per field, the leading ones first. */
static int results(lua_State *L, int idx, int format) {
  const char *keys[MAXROWS];
  int n = string_keys(L, idx, keys, MAXROWS, 1), i, j;
  struct html b = {NULL, 0, 0, 0};
  if (n < 2)
    return 0;
  addstr(&b, "<table>\n<tbody>\n");
  for (j = 0; leading[j] != NULL; j++)  /* leading fields, then the rest */
    if (lua_pushstring(L, leading[j]), lua_rawget(L, idx) != LUA_TNIL) {
      addstr(&b, "<tr>" TH);
      addstr(&b, leading[j]);
      addstr(&b, "</th>");
      add_cell(L, &b, format);
      addstr(&b, "</tr>\n");
    }
    else
      lua_pop(L, 1);
  for (i = 0; i < n; i++) {
    for (j = 0; leading[j] != NULL && strcmp(leading[j], keys[i]) != 0; j++)
      ;
    if (leading[j] != NULL)
      continue;
    addstr(&b, "<tr>" TH);
    add_escaped(&b, keys[i], strlen(keys[i]));
    addstr(&b, "</th>");
    lua_pushstring(L, keys[i]);
    lua_rawget(L, idx);
    add_cell(L, &b, format);
    addstr(&b, "</tr>\n");
  }
  addstr(&b, "</tbody>\n</table>");
  return push_html(L, &b);
}

int kernel_html(lua_State *L, int idx, int format) {
  idx = lua_absindex(L, idx);
  if (lua_type(L, idx) != LUA_TTABLE || lua_getmetatable(L, idx) != 0) {
    if (lua_type(L, idx) == LUA_TTABLE)
      lua_pop(L, 1);  /* a table with a metatable is an object: no table */
    return 0;
  }
  luaL_checkstack(L, 20, "html");
  if (lua_rawlen(L, idx) > 0)
    return records(L, idx, format);
  return results(L, idx, format);
}
