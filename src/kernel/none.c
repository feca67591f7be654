/*
** none.c: "slope kernel" in a build without ZeroMQ, Jansson and OpenSSL's
** libcrypto: it says so.
*/
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "kernel.h"

int cmd_kernel(lua_State *L, int argc, char **argv) {
  (void)L;
  (void)argc;
  (void)argv;
  fputs("slope kernel: this build of slope has no Jupyter kernel (it was "
        "configured\nwithout ZeroMQ, Jansson or OpenSSL's libcrypto: "
        "install libzmq3-dev,\nlibjansson-dev and libssl-dev, then "
        "configure and build again)\n", stderr);
  return EXIT_FAILURE;
}
