/*
** control.c: the control channel, relayed by a thread of its own. While
** the main thread runs a cell it cannot read requests, so this thread
** answers interrupt_request itself by sending the process SIGINT (which
** only the main thread accepts: it stops Lua code and slope's C loops as
** Ctrl-C does) and passes every other request, and the replies to them,
** through an inproc pair to the main thread. An empty message from the
** main thread stops the relay once the replies before it went out.
*/
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SLOPE_KERNEL_INTERNAL
#include "kernel.h"

struct relay {
  void *router;  /* the control channel */
  void *pair;    /* this thread's end of the pair */
  const struct msg_auth *auth;
};

static void from_router(struct relay *r) {
  struct msg_frames f, copy;
  struct msg m;
  char why[128];
  size_t i;
  if (msg_frames_recv(r->router, &f) != 0)
    return;
  copy.n = copy.cap = 0;
  copy.part = malloc(f.n * sizeof *copy.part);
  if (copy.part == NULL) {
    msg_frames_free(&f);
    return;
  }
  for (i = 0; i < f.n; i++) {  /* keep the original to pass on */
    zmq_msg_init(&copy.part[i]);
    zmq_msg_copy(&copy.part[i], &f.part[i]);
    copy.n++;
  }
  copy.cap = copy.n;
  if (msg_decode(r->auth, &copy, &m, why, sizeof why) != 0) {
    kernel_log("rejected a message on control: %s", why);
    msg_frames_free(&f);
  }
  else if (strcmp(m.type, "interrupt_request") == 0) {
    msg_frames_free(&f);
    kill(getpid(), SIGINT);
    if (msg_send(r->router, r->auth, &m, NULL, "interrupt_reply",
                 json_pack("{s:s}", "status", "ok")) != 0)
      kernel_log("cannot send interrupt_reply: %s", zmq_strerror(errno));
  }
  else
    msg_frames_send(r->pair, &f);
  msg_free(&m);
}

static void *relay(void *arg) {
  struct relay *r = arg;
  zmq_pollitem_t items[2];
  memset(items, 0, sizeof items);
  items[0].socket = r->router;
  items[0].events = ZMQ_POLLIN;
  items[1].socket = r->pair;
  items[1].events = ZMQ_POLLIN;
  for (;;) {
    if (zmq_poll(items, 2, -1) < 0) {
      if (errno == EINTR)
        continue;
      break;  /* ETERM */
    }
    if (items[0].revents & ZMQ_POLLIN)
      from_router(r);
    if (items[1].revents & ZMQ_POLLIN) {  /* a reply from the main thread */
      struct msg_frames f;
      if (msg_frames_recv(r->pair, &f) == 0) {
        if (f.n == 1 && zmq_msg_size(&f.part[0]) == 0) {  /* stop */
          msg_frames_free(&f);
          break;
        }
        msg_frames_send(r->router, &f);
      }
    }
  }
  zmq_close(r->router);
  zmq_close(r->pair);
  free(r);
  return NULL;
}

int kernel_control_start(struct kernel *k, const char *endpoint,
                         pthread_t *t) {
  char inproc[64];
  int linger = 1000;
  struct relay *r = malloc(sizeof *r);
  if (r == NULL)
    return -1;
  snprintf(inproc, sizeof inproc, "inproc://control-%s", k->auth.session);
  r->auth = &k->auth;
  r->router = zmq_socket(k->zmq, ZMQ_ROUTER);
  r->pair = zmq_socket(k->zmq, ZMQ_PAIR);
  k->control = zmq_socket(k->zmq, ZMQ_PAIR);
  if (r->router == NULL || r->pair == NULL || k->control == NULL)
    goto fail;
  zmq_setsockopt(r->router, ZMQ_LINGER, &linger, sizeof linger);
  zmq_setsockopt(r->pair, ZMQ_LINGER, &linger, sizeof linger);
  zmq_setsockopt(k->control, ZMQ_LINGER, &linger, sizeof linger);
  if (zmq_bind(r->router, endpoint) != 0) {
    kernel_log("cannot bind %s: %s", endpoint, zmq_strerror(errno));
    goto fail;
  }
  if (zmq_bind(r->pair, inproc) != 0 || zmq_connect(k->control, inproc) != 0
      || pthread_create(t, NULL, relay, r) != 0)
    goto fail;
  return 0;
fail:
  if (r->router)
    zmq_close(r->router);
  if (r->pair)
    zmq_close(r->pair);
  if (k->control)
    zmq_close(k->control);
  k->control = NULL;
  free(r);
  return -1;
}
