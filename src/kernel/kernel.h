/*
** kernel.h: slope as a Jupyter kernel. kernel.c runs the protocol loop on
** the main thread, the only one that touches the Lua state; heartbeat.c
** and control.c run on threads of their own; execute.c, introspect.c and
** html.c answer requests with Lua; install.c writes the kernelspec.
*/
#ifndef SLOPE_KERNEL_H
#define SLOPE_KERNEL_H

#include <lua.h>

/* "slope kernel ...": argv[0] is "kernel"; returns the exit status. Built
** without the kernel's libraries, it says so and fails. */
int cmd_kernel(lua_State *L, int argc, char **argv);

#ifdef SLOPE_KERNEL_INTERNAL

#include <pthread.h>

#include "msg.h"

/* Text a cell wrote to one stream, sent in batches. */
struct kernel_stream {
  const char *name;  /* "stdout" or "stderr" */
  char *buf;
  size_t len, cap;
};

struct kernel {
  lua_State *L;
  void *zmq;                       /* the ZeroMQ context */
  void *shell, *iopub, *stdin_sock;
  void *control;                   /* pair to control.c's relay */
  struct msg_auth auth;
  long execution_count;
  int shutdown;                    /* set by a shutdown_request */
  int aborting;                    /* a cell failed: abort queued cells */
  /* While a request runs: */
  const struct msg *request;       /* the parent of what is published */
  int allow_stdin;
  struct kernel_stream out, err;
  double last_flush;               /* when streams were last sent */
};

/* kernel.c: publish on IOPub in reply to the current request (content is
** stolen); log to stderr. */
void kernel_publish(struct kernel *k, const char *type, json_t *content);
void kernel_log(const char *fmt, ...);
/* Send the reply of type type on the request's socket. */
void kernel_reply(struct kernel *k, void *sock, const struct msg *req,
                  const char *type, json_t *content);

/* execute.c */
int kernel_execute_setup(struct kernel *k);
json_t *kernel_execute(struct kernel *k, const struct msg *req);
void kernel_streams_free(struct kernel *k);

/* introspect.c: the replies' contents. */
json_t *kernel_complete(struct kernel *k, const json_t *request);
json_t *kernel_inspect(struct kernel *k, const json_t *request);
json_t *kernel_is_complete(struct kernel *k, const json_t *request);

/* html.c: push an HTML table for the value at idx and return 1, or push
** nothing and return 0 when it is not a table of records or results.
** format is the index of slope.pretty's format function. */
int kernel_html(lua_State *L, int idx, int format);

/* heartbeat.c and control.c: threads, stopped by terminating the context. */
int kernel_heartbeat_start(void *zmq, const char *endpoint, pthread_t *t);
int kernel_control_start(struct kernel *k, const char *endpoint,
                         pthread_t *t);

/* install.c: "slope kernel install ...". */
int kernel_install(int argc, char **argv);

/* logo.c: the logo as size x size RGBA pixels (malloc'd), or NULL.
** png.c: write such pixels as a PNG file; 0 or -1. */
unsigned char *kernel_logo(int size);
int kernel_png_write(const char *path, const unsigned char *rgba, int w,
                     int h);

/* Code-point offset cursor in the UTF-8 text s of len bytes, as a byte
** offset (introspect.c), and back. */
size_t kernel_byte_offset(const char *s, size_t len, long cursor);
long kernel_char_offset(const char *s, size_t bytes);

#endif

#endif
