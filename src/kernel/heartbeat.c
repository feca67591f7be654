/*
** heartbeat.c: the heartbeat channel, an echo on a thread of its own so
** that a kernel busy in a long computation still answers Jupyter's pings.
*/
#include "config.h"

#include <errno.h>
#include <stdlib.h>

#define SLOPE_KERNEL_INTERNAL
#include "kernel.h"

/* Echo until the context is terminated, then close the socket. */
static void *echo(void *sock) {
  for (;;) {
    zmq_msg_t m;
    zmq_msg_init(&m);
    if (zmq_msg_recv(&m, sock, 0) < 0) {
      zmq_msg_close(&m);
      if (errno == EINTR)
        continue;
      break;  /* ETERM */
    }
    while (zmq_msg_send(&m, sock, 0) < 0 && errno == EINTR)
      ;
    zmq_msg_close(&m);
  }
  zmq_close(sock);
  return NULL;
}

int kernel_heartbeat_start(void *zmq, const char *endpoint, pthread_t *t) {
  int linger = 0;
  void *sock = zmq_socket(zmq, ZMQ_REP);
  if (sock == NULL)
    return -1;
  zmq_setsockopt(sock, ZMQ_LINGER, &linger, sizeof linger);
  if (zmq_bind(sock, endpoint) != 0) {
    kernel_log("cannot bind %s: %s", endpoint, zmq_strerror(errno));
    zmq_close(sock);
    return -1;
  }
  if (pthread_create(t, NULL, echo, sock) != 0) {
    zmq_close(sock);
    return -1;
  }
  return 0;
}
