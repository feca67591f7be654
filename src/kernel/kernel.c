/*
** kernel.c: "slope kernel --connection-file FILE", a Jupyter kernel
** speaking messaging protocol 5.3. The main thread owns the Lua state and
** the shell, IOPub and stdin sockets and answers requests one at a time;
** the heartbeat echoes on a thread of its own, and the control socket is
** relayed by another thread that turns interrupt_request into SIGINT (the
** same path as Ctrl-C, see interrupt.h) and passes everything else here.
*/
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <lauxlib.h>
#include <lua.h>

#define SLOPE_KERNEL_INTERNAL
#include "kernel.h"
#include "../slope.h"

#define LINGER_MS 1000        /* what may still go out once we close */
#define PARENT_CHECK_MS 2000  /* how often an idle kernel looks for its parent */

void kernel_log(const char *fmt, ...) {
  va_list ap;
  fputs("slope kernel: ", stderr);
  va_start(ap, fmt);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fputc('\n', stderr);
  fflush(stderr);
}

void kernel_publish(struct kernel *k, const char *type, json_t *content) {
  if (msg_send(k->iopub, &k->auth, k->request, type, type, content) != 0)
    kernel_log("cannot publish %s: %s", type, zmq_strerror(errno));
}

void kernel_reply(struct kernel *k, void *sock, const struct msg *req,
                  const char *type, json_t *content) {
  if (msg_send(sock, &k->auth, req, NULL, type, content) != 0)
    kernel_log("cannot send %s: %s", type, zmq_strerror(errno));
}

static void publish_status(struct kernel *k, const char *state) {
  kernel_publish(k, "status", json_pack("{s:s}", "execution_state", state));
}


/*
** {==================================================================
** Requests
** ===================================================================
*/

static json_t *kernel_info(void) {
  return json_pack(
      "{s:s, s:s, s:s, s:s, s:{s:s, s:s, s:s, s:s, s:s, s:s}, s:s, s:[]}",
      "status", "ok", "protocol_version", MSG_PROTOCOL_VERSION,
      "implementation", "slope", "implementation_version", SLOPE_VERSION,
      "language_info", "name", "lua", "version", LUA_VERSION_MAJOR "."
      LUA_VERSION_MINOR, "mimetype", "text/x-lua", "file_extension", ".lua",
      "pygments_lexer", "lua", "codemirror_mode", "lua",
      "banner", "slope " SLOPE_VERSION " (" LUA_RELEASE "): differentiation "
      "and optimisation in Lua. help() for help.",
      "help_links");
}

static void handle(struct kernel *k, void *sock, const char *channel);

/* After a cell failed: the execute requests already queued on shell are
** answered "aborted" (others as usual), before the failed cell's reply, so
** that a request sent after that reply always runs. */
static void abort_queued(struct kernel *k, struct msg *req) {
  zmq_pollitem_t item;
  memset(&item, 0, sizeof item);
  item.socket = k->shell;
  item.events = ZMQ_POLLIN;
  k->aborting = 1;
  while (!k->shutdown && zmq_poll(&item, 1, 0) > 0 &&
         (item.revents & ZMQ_POLLIN))
    handle(k, k->shell, "shell");
  k->aborting = 0;
  k->request = req;
}

/* Answer one request that arrived on sock. */
static void handle(struct kernel *k, void *sock, const char *channel) {
  struct msg req;
  char why[128];
  const char *t;
  int rc = msg_recv(sock, &k->auth, &req, why, sizeof why);
  if (rc == -1) {
    if (errno != EINTR && errno != EAGAIN)
      kernel_log("%s: %s", channel, zmq_strerror(errno));
    return;
  }
  if (rc == -2) {  /* never acted upon */
    kernel_log("rejected a message on %s: %s", channel, why);
    msg_free(&req);
    return;
  }
  t = req.type;
  k->request = &req;
  publish_status(k, "busy");
  if (strcmp(t, "kernel_info_request") == 0)
    kernel_reply(k, sock, &req, "kernel_info_reply", kernel_info());
  else if (strcmp(t, "execute_request") == 0 && k->aborting)
    kernel_reply(k, sock, &req, "execute_reply",
                 json_pack("{s:s, s:I}", "status", "aborted",
                           "execution_count",
                           (json_int_t)k->execution_count));
  else if (strcmp(t, "execute_request") == 0) {
    json_t *reply = kernel_execute(k, &req);
    if (strcmp(json_string_value(json_object_get(reply, "status")), "error")
            == 0
        && !json_is_false(json_object_get(req.content, "stop_on_error")))
      abort_queued(k, &req);  /* the cells queued behind it are not run */
    kernel_reply(k, sock, &req, "execute_reply", reply);
  }
  else if (strcmp(t, "complete_request") == 0)
    kernel_reply(k, sock, &req, "complete_reply",
                 kernel_complete(k, req.content));
  else if (strcmp(t, "inspect_request") == 0)
    kernel_reply(k, sock, &req, "inspect_reply",
                 kernel_inspect(k, req.content));
  else if (strcmp(t, "is_complete_request") == 0)
    kernel_reply(k, sock, &req, "is_complete_reply",
                 kernel_is_complete(k, req.content));
  else if (strcmp(t, "history_request") == 0)
    kernel_reply(k, sock, &req, "history_reply",
                 json_pack("{s:s, s:[]}", "status", "ok", "history"));
  else if (strcmp(t, "comm_info_request") == 0)
    kernel_reply(k, sock, &req, "comm_info_reply",
                 json_pack("{s:s, s:{}}", "status", "ok", "comms"));
  else if (strcmp(t, "interrupt_request") == 0)  /* nothing runs now */
    kernel_reply(k, sock, &req, "interrupt_reply",
                 json_pack("{s:s}", "status", "ok"));
  else if (strcmp(t, "shutdown_request") == 0) {
    int restart = json_is_true(json_object_get(req.content, "restart"));
    kernel_reply(k, sock, &req, "shutdown_reply",
                 json_pack("{s:s, s:b}", "status", "ok", "restart", restart));
    k->shutdown = 1;
  }
  else
    kernel_log("ignored a %s on %s", t, channel);
  publish_status(k, "idle");
  k->request = NULL;
  msg_free(&req);
}

/* Is the process that started the kernel gone? Jupyter names it in
** JPY_PARENT_PID; else it is our parent, until we are orphaned. */
static int parent_gone(pid_t parent, int named) {
  if (named)
    return kill(parent, 0) != 0 && errno == ESRCH;
  return getppid() != parent;
}

static void serve(struct kernel *k) {
  zmq_pollitem_t items[2];
  const char *jpy = getenv("JPY_PARENT_PID");
  pid_t parent = jpy != NULL && atol(jpy) > 1 ? (pid_t)atol(jpy) : getppid();
  int named = jpy != NULL && atol(jpy) > 1;
  memset(items, 0, sizeof items);
  items[0].socket = k->control;
  items[0].events = ZMQ_POLLIN;
  items[1].socket = k->shell;
  items[1].events = ZMQ_POLLIN;
  while (!k->shutdown) {
    int n = zmq_poll(items, 2, PARENT_CHECK_MS);
    if (n < 0) {
      if (errno == EINTR)
        continue;
      kernel_log("poll: %s", zmq_strerror(errno));
      break;
    }
    if (n == 0) {  /* orphaned: whoever started us is gone */
      if (parent_gone(parent, named)) {
        kernel_log("the process that started the kernel exited; stopping");
        break;
      }
      continue;
    }
    if (items[0].revents & ZMQ_POLLIN)  /* control first */
      handle(k, k->control, "control");
    else if (items[1].revents & ZMQ_POLLIN)
      handle(k, k->shell, "shell");
  }
}

/* }================================================================== */


/*
** {==================================================================
** Start-up
** ===================================================================
*/

struct connection {
  json_t *root;
  const char *transport, *ip, *key, *scheme;
  char endpoint[5][300];  /* shell, iopub, stdin, control, hb */
};

static const char *const port_names[5] = {
  "shell_port", "iopub_port", "stdin_port", "control_port", "hb_port"
};

/* Read the connection file; 0, or -1 after saying what is wrong. */
static int read_connection(const char *file, struct connection *c) {
  json_error_t err;
  int i;
  c->root = json_load_file(file, 0, &err);
  if (c->root == NULL) {
    kernel_log("%s: %s", file, err.text);
    return -1;
  }
  c->transport = json_string_value(json_object_get(c->root, "transport"));
  c->ip = json_string_value(json_object_get(c->root, "ip"));
  c->key = json_string_value(json_object_get(c->root, "key"));
  c->scheme = json_string_value(json_object_get(c->root,
                                                "signature_scheme"));
  if (c->transport == NULL)
    c->transport = "tcp";
  if (c->ip == NULL)
    c->ip = "127.0.0.1";
  for (i = 0; i < 5; i++) {
    json_t *port = json_object_get(c->root, port_names[i]);
    if (!json_is_integer(port) || json_integer_value(port) <= 0) {
      kernel_log("%s: no %s", file, port_names[i]);
      return -1;
    }
    if (strcmp(c->transport, "ipc") == 0)
      snprintf(c->endpoint[i], sizeof c->endpoint[i], "ipc://%s-%ld", c->ip,
               (long)json_integer_value(port));
    else
      snprintf(c->endpoint[i], sizeof c->endpoint[i], "%s://%s:%ld",
               c->transport, c->ip, (long)json_integer_value(port));
  }
  return 0;
}

static void *open_socket(void *zmq, int type, const char *endpoint) {
  int linger = LINGER_MS;
  void *s = zmq_socket(zmq, type);
  if (s == NULL)
    return NULL;
  zmq_setsockopt(s, ZMQ_LINGER, &linger, sizeof linger);
  if (zmq_bind(s, endpoint) != 0) {
    kernel_log("cannot bind %s: %s", endpoint, zmq_strerror(errno));
    zmq_close(s);
    return NULL;
  }
  return s;
}

/* Globals a notebook has at hand, as in the REPL. */
static void setup_globals(lua_State *L) {
  static const char *const globals[][2] = {
    {"slope", "slope"}, {"help", "slope.help"}, {"ad", "slope.ad"},
    {"numdiff", "slope.numdiff"}, {"optim", "slope.optim"},
    {"analyze", "slope.analyze"}, {"plot", "slope.plot"}, {NULL, NULL}
  };
  int i;
  for (i = 0; globals[i][0] != NULL; i++) {
    if (lua_getglobal(L, globals[i][0]) == LUA_TNIL) {
      lua_getglobal(L, "require");
      lua_pushstring(L, globals[i][1]);
      if (lua_pcall(L, 1, 1, 0) == LUA_OK)
        lua_setglobal(L, globals[i][0]);
      else {
        kernel_log("%s", lua_tostring(L, -1));
        lua_pop(L, 1);
      }
    }
    lua_pop(L, 1);
  }
}

static int run(lua_State *L, const char *file) {
  struct kernel k;
  struct connection c;
  pthread_t hb, control;
  int hb_started = 0, control_started = 0, status = EXIT_FAILURE;
  sigset_t block, old;
  memset(&k, 0, sizeof k);
  k.L = L;
  k.out.name = "stdout";
  k.err.name = "stderr";
  if (read_connection(file, &c) != 0) {
    json_decref(c.root);
    return EXIT_FAILURE;
  }
  if (msg_auth_init(&k.auth, c.scheme, c.key) != 0) {
    kernel_log("unsupported signature scheme %s (hmac-sha256 expected)",
               c.scheme ? c.scheme : "?");
    json_decref(c.root);
    return EXIT_FAILURE;
  }
  /* Interrupts are for the main thread alone: threads started here
  ** inherit a mask that blocks SIGINT. */
  signal(SIGINT, SIG_IGN);
  sigemptyset(&block);
  sigaddset(&block, SIGINT);
  pthread_sigmask(SIG_BLOCK, &block, &old);
  k.zmq = zmq_ctx_new();
  if (k.zmq != NULL
      && (k.shell = open_socket(k.zmq, ZMQ_ROUTER, c.endpoint[0])) != NULL
      && (k.iopub = open_socket(k.zmq, ZMQ_PUB, c.endpoint[1])) != NULL
      && (k.stdin_sock = open_socket(k.zmq, ZMQ_ROUTER, c.endpoint[2]))
             != NULL
      && kernel_control_start(&k, c.endpoint[3], &control) == 0
      && (control_started = 1)
      && kernel_heartbeat_start(k.zmq, c.endpoint[4], &hb) == 0
      && (hb_started = 1)) {
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    setup_globals(L);
    if (kernel_execute_setup(&k) == 0) {
      k.request = NULL;
      publish_status(&k, "starting");
      serve(&k);
      status = EXIT_SUCCESS;
    }
  }
  else
    pthread_sigmask(SIG_SETMASK, &old, NULL);
  if (k.zmq == NULL)
    kernel_log("cannot create a ZeroMQ context: %s", zmq_strerror(errno));
  kernel_streams_free(&k);
  if (control_started) {  /* the last replies out first */
    while (zmq_send(k.control, "", 0, 0) < 0 && errno == EINTR)
      ;
    pthread_join(control, NULL);
    control_started = 0;
  }
  if (k.shell)
    zmq_close(k.shell);
  if (k.iopub)
    zmq_close(k.iopub);
  if (k.stdin_sock)
    zmq_close(k.stdin_sock);
  if (k.control)
    zmq_close(k.control);
  if (k.zmq != NULL) {
    zmq_ctx_shutdown(k.zmq);  /* the threads see ETERM and close theirs */
    if (hb_started)
      pthread_join(hb, NULL);
    if (control_started)
      pthread_join(control, NULL);
    zmq_ctx_term(k.zmq);
  }
  msg_auth_free(&k.auth);
  json_decref(c.root);
  return status;
}

/* }================================================================== */


static void usage(FILE *to) {
  fprintf(to,
          "usage: slope kernel --connection-file FILE\n"
          "       slope kernel install [--user] [--prefix P]\n"
          "\n"
          "Serve notebooks to Jupyter: run as a Jupyter kernel (messaging\n"
          "protocol " MSG_PROTOCOL_VERSION ") on the ports FILE gives. "
          "Jupyter starts it through the\n"
          "kernelspec that \"slope kernel install\" writes: to\n"
          "/usr/local/share/jupyter/kernels/slope, to the user's Jupyter\n"
          "data directory with --user, or to P/share/jupyter/kernels/slope\n"
          "with --prefix P.\n");
  fflush(to);
}

int cmd_kernel(lua_State *L, int argc, char **argv) {
  const char *file = NULL;
  int i;
  if (argc >= 2 && strcmp(argv[1], "install") == 0)
    return kernel_install(argc - 1, argv + 1);
  for (i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
      usage(stdout);
      return EXIT_SUCCESS;
    }
    else if (strcmp(argv[i], "--connection-file") == 0 && i + 1 < argc)
      file = argv[++i];
    else if (strncmp(argv[i], "--connection-file=", 18) == 0)
      file = argv[i] + 18;
    else if (strcmp(argv[i], "-f") == 0 && i + 1 < argc)
      file = argv[++i];
    else {
      fprintf(stderr, "slope kernel: unexpected argument '%s'\n", argv[i]);
      usage(stderr);
      return EXIT_FAILURE;
    }
  }
  if (file == NULL) {
    fprintf(stderr, "slope kernel: --connection-file FILE is needed\n");
    usage(stderr);
    return EXIT_FAILURE;
  }
  return run(L, file);
}
