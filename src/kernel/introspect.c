/*
** introspect.c: complete_request (the REPL's tab completion),
** inspect_request (help's text for the name at the cursor) and
** is_complete_request (the REPL's continuation test: a chunk that fails
** with a syntax error at <eof> is incomplete).
*/
#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>
#include <lua.h>

#define SLOPE_KERNEL_INTERNAL
#include "kernel.h"
#include "../repl.h"

#define EOFMARK "<eof>"

/* Jupyter counts the cursor in code points; the code is UTF-8. */
size_t kernel_byte_offset(const char *s, size_t len, long cursor) {
  size_t i = 0;
  long n = 0;
  if (cursor < 0)
    return len;
  while (i < len && n < cursor) {
    i++;
    while (i < len && ((unsigned char)s[i] & 0xc0) == 0x80)
      i++;
    n++;
  }
  return i;
}

long kernel_char_offset(const char *s, size_t bytes) {
  size_t i;
  long n = 0;
  for (i = 0; i < bytes; i++)
    if (((unsigned char)s[i] & 0xc0) != 0x80)
      n++;
  return n;
}

/* The request's code and its cursor as a byte offset. */
static const char *code_cursor(const json_t *req, size_t *len, size_t *at) {
  const char *code = json_string_value(json_object_get(req, "code"));
  json_t *pos = json_object_get(req, "cursor_pos");
  if (code == NULL)
    code = "";
  *len = strlen(code);
  *at = kernel_byte_offset(code, *len,
                           json_is_integer(pos) ? (long)json_integer_value(pos)
                                                : -1);
  return code;
}

static int cmp(const void *a, const void *b) {
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

json_t *kernel_complete(struct kernel *k, const json_t *req) {
  lua_State *L = k->L;
  size_t len, at, start;
  const char *code = code_cursor(req, &len, &at);
  json_t *matches = json_array();
  int top = lua_gettop(L);
  start = at;
  while (start > 0 && strchr(REPL_WORD_BREAKS, code[start - 1]) == NULL)
    start--;
  lua_pushcfunction(L, repl_complete);
  lua_pushlstring(L, code + start, at - start);
  if (lua_pcall(L, 1, 1, 0) == LUA_OK && lua_istable(L, -1)) {
    size_t n = 0, i;
    const char **names;
    lua_pushnil(L);
    while (lua_next(L, -2)) {
      lua_pop(L, 1);
      n++;
    }
    names = malloc((n ? n : 1) * sizeof *names);
    if (names != NULL) {
      i = 0;
      lua_pushnil(L);
      while (lua_next(L, -2)) {  /* the strings stay in the table */
        names[i++] = lua_tostring(L, -2);
        lua_pop(L, 1);
      }
      qsort(names, n, sizeof *names, cmp);
      for (i = 0; i < n; i++) {
        if (n == 1) {  /* as the REPL: "." after a table, " " a keyword */
          lua_getfield(L, -1, names[0]);
          lua_pushstring(L, names[0]);
          lua_insert(L, -2);
          lua_concat(L, 2);
          json_array_append_new(matches, json_string(lua_tostring(L, -1)));
          lua_pop(L, 1);
        }
        else
          json_array_append_new(matches, json_string(names[i]));
      }
      free(names);
    }
  }
  lua_settop(L, top);
  return json_pack("{s:s, s:o, s:I, s:I, s:{}}", "status", "ok", "matches",
                   matches, "cursor_start",
                   (json_int_t)kernel_char_offset(code, start), "cursor_end",
                   (json_int_t)kernel_char_offset(code, at), "metadata");
}

static int namechar(int c) {
  return isalnum((unsigned char)c) || c == '_';
}

/* Push the value that the dotted name s[0..l) names, or nil. */
static void resolve(lua_State *L, const char *s, size_t l) {
  size_t i, start = 0;
  lua_pushglobaltable(L);
  for (i = 0; i <= l; i++) {
    if (i == l || s[i] == '.' || s[i] == ':') {
      repl_raw_field(L, s + start, i - start);
      start = i + 1;
    }
  }
}

json_t *kernel_inspect(struct kernel *k, const json_t *req) {
  lua_State *L = k->L;
  size_t len, at, start, end;
  const char *code = code_cursor(req, &len, &at);
  int top = lua_gettop(L), found = 0;
  json_t *data = json_object();
  end = at;
  while (end < len && namechar(code[end]))
    end++;
  start = at;
  while (start > 0 && (namechar(code[start - 1]) || code[start - 1] == '.'
                       || code[start - 1] == ':'))
    start--;
  if (start == end) {  /* in a call's parentheses: the function's name */
    size_t p = at;
    while (p > 0 && isspace((unsigned char)code[p - 1]))
      p--;
    if (p > 0 && code[p - 1] == '(') {
      end = p - 1;
      start = end;
      while (start > 0 && (namechar(code[start - 1]) || code[start - 1] == '.'
                           || code[start - 1] == ':'))
        start--;
    }
  }
  if (start < end && !isdigit((unsigned char)code[start])) {
    int value;
    lua_getglobal(L, "require");
    lua_pushliteral(L, "slope.help");
    if (lua_pcall(L, 1, 1, 0) == LUA_OK && lua_istable(L, -1)) {
      int help = lua_gettop(L);
      lua_getfield(L, help, "lookup");  /* by name, then by value */
      lua_pushlstring(L, code + start, end - start);
      if (lua_pcall(L, 1, 1, 0) == LUA_OK && !lua_isnil(L, -1))
        lua_pushlstring(L, code + start, end - start);
      else {
        lua_settop(L, help);
        resolve(L, code + start, end - start);
      }
      value = lua_gettop(L);
      if (!lua_isnil(L, value)) {
        lua_getfield(L, help, "lookup");
        lua_pushvalue(L, value);
        if (lua_pcall(L, 1, 1, 0) == LUA_OK && !lua_isnil(L, -1)) {
          lua_getfield(L, help, "text");
          lua_pushvalue(L, value);
          found = lua_pcall(L, 1, 1, 0) == LUA_OK
                  && lua_type(L, -1) == LUA_TSTRING;
        }
        else if (lua_type(L, value) != LUA_TSTRING) {  /* no entry */
          lua_settop(L, value);
          lua_pushlstring(L, code + start, end - start);
          lua_pushliteral(L, ": ");
          luaL_tolstring(L, value, NULL);
          lua_concat(L, 3);
          found = 1;
        }
        if (found) {
          size_t l;
          const char *text = lua_tolstring(L, -1, &l);
          json_object_set_new(data, "text/plain", msg_text(text, l));
        }
      }
    }
  }
  lua_settop(L, top);
  return json_pack("{s:s, s:b, s:o, s:{}}", "status", "ok", "found", found,
                   "data", data, "metadata");
}

json_t *kernel_is_complete(struct kernel *k, const json_t *req) {
  lua_State *L = k->L;
  const char *code = json_string_value(json_object_get(req, "code"));
  const char *status = "complete";
  int top = lua_gettop(L);
  if (code == NULL)
    code = "";
  lua_pushfstring(L, "return %s;", code);
  if (luaL_loadbuffer(L, lua_tostring(L, -1), lua_rawlen(L, -1), "=cell")
      != LUA_OK) {
    int s = luaL_loadbuffer(L, code, strlen(code), "=cell");
    if (s == LUA_ERRSYNTAX) {
      size_t l;
      const char *msg = lua_tolstring(L, -1, &l);
      status = l >= sizeof EOFMARK - 1
                       && strcmp(msg + l - (sizeof EOFMARK - 1), EOFMARK) == 0
                   ? "incomplete"
                   : "invalid";
    }
    else if (s != LUA_OK)
      status = "invalid";
  }
  lua_settop(L, top);
  if (strcmp(status, "incomplete") == 0)
    return json_pack("{s:s, s:s}", "status", status, "indent", "");
  return json_pack("{s:s}", "status", status);
}
