/* tap.h: a minimal TAP producer for the C unit tests. */
#ifndef SLOPE_TAP_H
#define SLOPE_TAP_H

#include <math.h>
#include <stdio.h>

static int tap_count = 0, tap_failed = 0;

static inline int tap_ok(int pass, const char *name) {
  tap_count++;
  if (!pass)
    tap_failed++;
  printf("%sok %d - %s\n", pass ? "" : "not ", tap_count, name);
  return pass;
}

/* |a - b| <= rel * max(1, |b|) */
static inline int tap_close(double a, double b, double rel, const char *name) {
  int pass = fabs(a - b) <= rel * (fabs(b) > 1 ? fabs(b) : 1);
  if (!tap_ok(pass, name))
    printf("#   got %.17g, want %.17g\n", a, b);
  return pass;
}

static inline int tap_done(void) {
  printf("1..%d\n", tap_count);
  return tap_failed != 0;
}

#endif
