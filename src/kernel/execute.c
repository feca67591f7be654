/*
** execute.c: execute_request. A cell runs as a REPL line does: first as
** "return <code>;" so that a last expression gives its value, else as it
** is, under host_docall (traceback, Ctrl-C). While it runs, slope.capture
** routes print, io.write and the standard files to this kernel's sink:
** text goes out as stream messages while the cell runs, plots as
** display_data, and io.read asks the client on the stdin channel. The
** value is shown as the REPL prints it (slope.pretty), tables of records
** and optimiser results also as HTML.
*/
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <lauxlib.h>
#include <lua.h>

#define SLOPE_KERNEL_INTERNAL
#include "../host.h"
#include "../interrupt.h"
#include "kernel.h"

#define FLUSH_INTERVAL 0.03     /* seconds between stream messages, at least */
#define FLUSH_SIZE (64 * 1024)  /* ... unless this much is waiting */
#define FLUSH_COUNT 10000       /* Lua instructions between looks at the time */

/* Registry keys (their addresses). */
static const char SINK = 0, PUSH = 0, POP = 0, FORMAT = 0;

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}


/*
** {==================================================================
** Streams
** ===================================================================
*/

static void flush_stream(struct kernel *k, struct kernel_stream *s) {
  if (s->len > 0) {
    json_t *text = msg_text(s->buf, s->len);
    kernel_publish(k, "stream", json_pack("{s:s, s:o}", "name", s->name,
                                          "text", text));
    s->len = 0;
    k->last_flush = now();
  }
}

static void flush_streams(struct kernel *k) {
  flush_stream(k, &k->out);
  flush_stream(k, &k->err);
}

void kernel_streams_free(struct kernel *k) {
  free(k->out.buf);
  free(k->err.buf);
  k->out.buf = k->err.buf = NULL;
  k->out.len = k->out.cap = k->err.len = k->err.cap = 0;
}

static struct kernel *sink_kernel(lua_State *L) {
  return (struct kernel *)lua_touserdata(L, lua_upvalueindex(1));
}

/* The kernel of the cell that runs, for the hook below. */
static struct kernel *running;

/* A count hook while a cell runs: text held back because it came too soon
** after the last message goes out once the interval has passed, even if
** the cell writes nothing more. (An interrupt replaces this hook.) */
static void flush_hook(lua_State *L, lua_Debug *ar) {
  struct kernel *k = running;
  (void)L;
  (void)ar;
  if (k != NULL && (k->out.len > 0 || k->err.len > 0)
      && now() - k->last_flush >= FLUSH_INTERVAL) {
    flush_stream(k, &k->out);
    flush_stream(k, &k->err);
  }
}

/* sink.write(stream, text) */
static int sink_write(lua_State *L) {
  struct kernel *k = sink_kernel(L);
  const char *name = luaL_checkstring(L, 1);
  size_t len;
  const char *text = luaL_checklstring(L, 2, &len);
  struct kernel_stream *s, *other;
  if (k->request == NULL || len == 0)
    return 0;
  s = strcmp(name, "stderr") == 0 ? &k->err : &k->out;
  other = s == &k->out ? &k->err : &k->out;
  if (other->len > 0)  /* keep the order of the two streams */
    flush_stream(k, other);
  if (s->len + len > s->cap) {
    size_t cap = s->cap ? s->cap : 1024;
    char *buf;
    while (cap < s->len + len)
      cap *= 2;
    if ((buf = realloc(s->buf, cap)) == NULL)
      return luaL_error(L, "not enough memory");
    s->buf = buf;
    s->cap = cap;
  }
  memcpy(s->buf + s->len, text, len);
  s->len += len;
  if (s->len >= FLUSH_SIZE
      || (memchr(text, '\n', len) != NULL
          && now() - k->last_flush >= FLUSH_INTERVAL))
    flush_stream(k, s);
  return 0;
}

/* The string fields of the table at idx as a JSON object of MIME data. */
static json_t *bundle(lua_State *L, int idx) {
  json_t *data = json_object();
  lua_pushnil(L);
  while (lua_next(L, idx)) {
    if (lua_type(L, -2) == LUA_TSTRING && lua_type(L, -1) == LUA_TSTRING) {
      size_t len;
      const char *v = lua_tolstring(L, -1, &len);
      json_object_set_new(data, lua_tostring(L, -2), msg_text(v, len));
    }
    lua_pop(L, 1);
  }
  return data;
}

/* sink.display(bundle) */
static int sink_display(lua_State *L) {
  struct kernel *k = sink_kernel(L);
  luaL_checktype(L, 1, LUA_TTABLE);
  if (k->request == NULL)
    return 0;
  flush_streams(k);
  kernel_publish(k, "display_data",
                 json_pack("{s:o, s:{}, s:{}}", "data", bundle(L, 1),
                           "metadata", "transient"));
  return 0;
}

/* Wait for the input_reply to req on the stdin channel; push its value.
** Ctrl-C (an interrupt) while waiting raises "interrupted!". */
static int sink_read(lua_State *L) {
  struct kernel *k = sink_kernel(L);
  zmq_pollitem_t item;
  if (k->request == NULL || !k->allow_stdin)
    return luaL_error(L, "io.read: the notebook's client takes no input");
  flush_streams(k);
  if (msg_send(k->stdin_sock, &k->auth, k->request, NULL, "input_request",
               json_pack("{s:s, s:b}", "prompt", "", "password", 0)) != 0)
    return luaL_error(L, "io.read: cannot ask for input (%s)",
                      zmq_strerror(errno));
  memset(&item, 0, sizeof item);
  item.socket = k->stdin_sock;
  item.events = ZMQ_POLLIN;
  for (;;) {
    struct msg m;
    char why[128];
    int rc;
    slope_interrupt_check(L);
    if (zmq_poll(&item, 1, 200) <= 0)
      continue;  /* EINTR (the check above sees it) or nothing yet */
    rc = msg_recv(k->stdin_sock, &k->auth, &m, why, sizeof why);
    if (rc == -2)
      kernel_log("rejected a message on stdin: %s", why);
    else if (rc == 0 && strcmp(m.type, "input_reply") == 0) {
      const char *v = json_string_value(json_object_get(m.content, "value"));
      lua_pushstring(L, v != NULL ? v : "");
      msg_free(&m);
      return 1;
    }
    else if (rc == 0)
      kernel_log("ignored a %s on stdin", m.type);
    msg_free(&m);
  }
}

/* }================================================================== */


/*
** {==================================================================
** Running a cell
** ===================================================================
*/

int kernel_execute_setup(struct kernel *k) {
  lua_State *L = k->L;
  int ok = 1;
  lua_getglobal(L, "require");
  lua_pushliteral(L, "slope.capture");
  if (lua_pcall(L, 1, 1, 0) != LUA_OK || !lua_istable(L, -1))
    ok = 0;
  else {
    lua_getfield(L, -1, "push");
    lua_rawsetp(L, LUA_REGISTRYINDEX, &PUSH);
    lua_getfield(L, -1, "pop");
    lua_rawsetp(L, LUA_REGISTRYINDEX, &POP);
  }
  lua_pop(L, 1);
  lua_getglobal(L, "require");
  lua_pushliteral(L, "slope.pretty");
  if (ok && lua_pcall(L, 1, 1, 0) == LUA_OK && lua_istable(L, -1)) {
    lua_getfield(L, -1, "format");
    lua_rawsetp(L, LUA_REGISTRYINDEX, &FORMAT);
  }
  else
    ok = 0;
  lua_pop(L, 1);
  if (!ok) {
    kernel_log("cannot load slope.capture and slope.pretty");
    return -1;
  }
  lua_createtable(L, 0, 3);
  lua_pushlightuserdata(L, k);
  lua_pushcclosure(L, sink_write, 1);
  lua_setfield(L, -2, "write");
  lua_pushlightuserdata(L, k);
  lua_pushcclosure(L, sink_display, 1);
  lua_setfield(L, -2, "display");
  lua_pushlightuserdata(L, k);
  lua_pushcclosure(L, sink_read, 1);
  lua_setfield(L, -2, "read");
  lua_rawsetp(L, LUA_REGISTRYINDEX, &SINK);
  return 0;
}

/* capture.push(sink) or capture.pop(); 0 on success. */
static int capture(lua_State *L, int push) {
  int status;
  lua_rawgetp(L, LUA_REGISTRYINDEX, push ? &PUSH : &POP);
  if (push)
    lua_rawgetp(L, LUA_REGISTRYINDEX, &SINK);
  status = lua_pcall(L, push, 0, 0);
  if (status != LUA_OK) {
    kernel_log("capture: %s", lua_tostring(L, -1));
    lua_pop(L, 1);
  }
  return status;
}

/* Does the text compile? (Nothing is left on the stack.) */
static int compiles(lua_State *L, const char *code, size_t len) {
  int ok = luaL_loadbuffer(L, code, len, "=check") == LUA_OK;
  lua_pop(L, 1);
  return ok;
}

/* Push "return <code>;" */
static void push_return(lua_State *L, const char *code, size_t len) {
  lua_pushliteral(L, "return ");
  lua_pushlstring(L, code, len);
  lua_pushliteral(L, ";");
  lua_concat(L, 3);
}

/*
** Compile a cell. As the REPL does, first as "return <code>;" so that an
** expression shows its value. Else, as a notebook cell shows the value of
** its last expression, the lines from some line on may be an expression
** list after statements: "return " goes in front of the shortest such
** tail (both parts compile on their own, so that no return lands inside
** a block). Else the code as it is. Line numbers are kept.
*/
static int load_cell(lua_State *L, const char *code, size_t len,
                     const char *name) {
  size_t split;
  int status;
  push_return(L, code, len);
  status = luaL_loadbuffer(L, lua_tostring(L, -1), lua_rawlen(L, -1), name);
  lua_remove(L, -2);
  if (status == LUA_OK)
    return status;
  lua_pop(L, 1);
  for (split = len; split > 0; split--) {
    if (code[split - 1] != '\n' || split == len)
      continue;
    push_return(L, code + split, len - split);
    if (compiles(L, lua_tostring(L, -1), lua_rawlen(L, -1))
        && compiles(L, code, split)) {
      lua_pushlstring(L, code, split);
      lua_insert(L, -2);
      lua_concat(L, 2);
      status = luaL_loadbuffer(L, lua_tostring(L, -1), lua_rawlen(L, -1),
                               name);
      lua_remove(L, -2);
      if (status == LUA_OK)
        return status;
      lua_pop(L, 1);
    }
    else
      lua_pop(L, 1);
  }
  return luaL_loadbuffer(L, code, len, name);
}

/* Text of the value at idx as the REPL prints it: strings and numbers as
** print shows them, anything else through slope.pretty.format. */
static void push_plain(lua_State *L, int idx) {
  int t = lua_type(L, idx);
  if (t != LUA_TSTRING && t != LUA_TNUMBER) {
    lua_rawgetp(L, LUA_REGISTRYINDEX, &FORMAT);
    lua_pushvalue(L, idx);
    if (lua_pcall(L, 1, 1, 0) == LUA_OK && lua_type(L, -1) == LUA_TSTRING)
      return;
    lua_pop(L, 1);
  }
  luaL_tolstring(L, idx, NULL);
}

/* The MIME bundle of the results first..last, or NULL when all are nil. */
static json_t *result_bundle(lua_State *L, int first, int last) {
  luaL_Buffer b;
  json_t *data;
  int i, any = 0;
  size_t len;
  const char *s;
  for (i = first; i <= last; i++)
    any |= !lua_isnil(L, i);
  if (!any)
    return NULL;
  luaL_buffinit(L, &b);
  for (i = first; i <= last; i++) {
    if (i > first)
      luaL_addchar(&b, '\t');
    push_plain(L, i);
    luaL_addvalue(&b);
  }
  luaL_pushresult(&b);
  s = lua_tolstring(L, -1, &len);
  data = json_pack("{s:o}", "text/plain", msg_text(s, len));
  lua_pop(L, 1);
  if (first == last) {
    int top = lua_gettop(L);
    lua_rawgetp(L, LUA_REGISTRYINDEX, &FORMAT);
    if (kernel_html(L, first, top + 1)) {
      s = lua_tolstring(L, -1, &len);
      json_object_set_new(data, "text/html", msg_text(s, len));
    }
    lua_settop(L, top);
  }
  return data;
}

/* The error object on the top as a reply's ename, evalue and traceback
** (added to reply); pops it. */
static void error_fields(lua_State *L, int status, json_t *reply) {
  const char *msg = lua_tostring(L, -1);
  const char *nl, *p, *ename = "LuaError";
  size_t firstlen;
  json_t *tb = json_array();
  if (msg == NULL)
    msg = "(error object is not a string)";
  nl = strchr(msg, '\n');
  firstlen = nl != NULL ? (size_t)(nl - msg) : strlen(msg);
  if (status == LUA_ERRSYNTAX)
    ename = "SyntaxError";
  else if (status == LUA_ERRMEM)
    ename = "MemoryError";
  else if (firstlen >= 12 && memcmp(msg + firstlen - 12, "interrupted!", 12) == 0)
    ename = "Interrupted";
  for (p = msg;;) {
    const char *e = strchr(p, '\n');
    size_t l = e != NULL ? (size_t)(e - p) : strlen(p);
    json_array_append_new(tb, msg_text(p, l));
    if (e == NULL)
      break;
    p = e + 1;
  }
  json_object_set_new(reply, "ename", json_string(ename));
  json_object_set_new(reply, "evalue", msg_text(msg, firstlen));
  json_object_set_new(reply, "traceback", tb);
  lua_pop(L, 1);
}

/*
** Call the function on the top as host_docall does, with SIGINT routed to
** L while it runs; then back to ignoring SIGINT, with no moment between
** in which the default action (death) is armed: an interrupt that comes
** too late is dropped.
*/
static int docall(lua_State *L) {
  int status, base = lua_gettop(L);
  sigset_t block, old;
  lua_pushcfunction(L, host_msghandler);
  lua_insert(L, base);
  slope_interrupt_install(L);
  status = lua_pcall(L, 0, LUA_MULTRET, base);
  sigemptyset(&block);
  sigaddset(&block, SIGINT);
  pthread_sigmask(SIG_BLOCK, &block, &old);
  slope_interrupt_remove();
  signal(SIGINT, SIG_IGN);  /* also discards one pending now */
  slope_interrupt_take(L);
  pthread_sigmask(SIG_SETMASK, &old, NULL);
  lua_remove(L, base);
  return status;
}

/* Run code; on success leave its results above top and return LUA_OK,
** else leave the error object. */
static int run_code(struct kernel *k, const char *code, size_t len,
                    const char *name) {
  lua_State *L = k->L;
  int status = load_cell(L, code, len, name);
  if (status == LUA_OK)
    status = docall(L);
  return status;
}

/* user_expressions: each evaluated after the cell, as text/plain. */
static json_t *user_expressions(struct kernel *k, json_t *exprs) {
  lua_State *L = k->L;
  json_t *out = json_object();
  const char *key;
  json_t *value;
  json_object_foreach(exprs, key, value) {
    const char *e = json_string_value(value);
    int top = lua_gettop(L), status;
    json_t *r = json_object();
    if (e == NULL)
      continue;
    status = run_code(k, e, strlen(e), "=(user expression)");
    if (status == LUA_OK) {
      json_t *data = result_bundle(L, top + 1, lua_gettop(L));
      if (data == NULL)
        data = json_pack("{s:s}", "text/plain", "nil");
      json_object_set_new(r, "status", json_string("ok"));
      json_object_set_new(r, "data", data);
      json_object_set_new(r, "metadata", json_object());
    }
    else {
      json_object_set_new(r, "status", json_string("error"));
      error_fields(L, status, r);
    }
    lua_settop(L, top);
    json_object_set_new(out, key, r);
  }
  return out;
}

json_t *kernel_execute(struct kernel *k, const struct msg *req) {
  lua_State *L = k->L;
  json_t *c = req->content, *reply, *exprs;
  const char *code = json_string_value(json_object_get(c, "code"));
  int silent = json_is_true(json_object_get(c, "silent"));
  int store = !json_is_false(json_object_get(c, "store_history"));
  int top = lua_gettop(L), status;
  char name[64];
  if (code == NULL)
    code = "";
  if (!silent && store)
    k->execution_count++;
  k->allow_stdin = !json_is_false(json_object_get(c, "allow_stdin"));
  if (!silent)
    kernel_publish(k, "execute_input",
                   json_pack("{s:s, s:I}", "code", code, "execution_count",
                             (json_int_t)k->execution_count));
  snprintf(name, sizeof name, "=In[%ld]", k->execution_count);
  if (silent)  /* nothing is published: no stream, no display */
    k->request = NULL;
  capture(L, 1);
  if (!silent) {
    running = k;
    lua_sethook(L, flush_hook, LUA_MASKCOUNT, FLUSH_COUNT);
  }
  status = run_code(k, code, strlen(code), name);
  if (lua_gethook(L) == flush_hook)
    lua_sethook(L, NULL, 0, 0);
  running = NULL;
  capture(L, 0);
  k->request = req;
  flush_streams(k);
  reply = json_pack("{s:s, s:I}", "status", status == LUA_OK ? "ok" : "error",
                    "execution_count", (json_int_t)k->execution_count);
  if (status == LUA_OK) {
    json_t *data = silent ? NULL : result_bundle(L, top + 1, lua_gettop(L));
    lua_settop(L, top);
    if (data != NULL)
      kernel_publish(k, "execute_result",
                     json_pack("{s:I, s:o, s:{}}", "execution_count",
                               (json_int_t)k->execution_count, "data", data,
                               "metadata"));
    exprs = json_object_get(c, "user_expressions");
    json_object_set_new(reply, "payload", json_array());
    json_object_set_new(reply, "user_expressions",
                        json_is_object(exprs) ? user_expressions(k, exprs)
                                              : json_object());
  }
  else {
    error_fields(L, status, reply);
    if (!silent)
      kernel_publish(k, "error",
                     json_pack("{s:O, s:O, s:O}", "ename",
                               json_object_get(reply, "ename"), "evalue",
                               json_object_get(reply, "evalue"), "traceback",
                               json_object_get(reply, "traceback")));
    json_object_set_new(reply, "user_expressions", json_object());
  }
  lua_settop(L, top);
  return reply;
}

/* }================================================================== */
