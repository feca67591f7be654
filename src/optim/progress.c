/*
** progress.c: the solvers' clock and the progress line of a long run. On
** a terminal the line is redrawn in place and cleared at the end, so what
** the run prints afterwards (the result at the REPL) starts on a clean
** line; elsewhere, asked for explicitly, a plain line every few seconds.
*/
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "optim/progress.h"

#define FIRST 1.0    /* seconds before a terminal line appears (auto) */
#define REDRAW 0.25  /* seconds between redraws on a terminal */
#define PLAIN 5.0    /* seconds between plain lines */

double slope_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

void slope_progress_start(slope_progress *p, int mode, const char *what) {
  p->mode = mode;
  p->tty = isatty(STDERR_FILENO);
  p->shown = 0;
  p->what = what;
  p->start = slope_now();
  if (mode == SLOPE_PROGRESS_OFF || (mode == SLOPE_PROGRESS_AUTO && !p->tty))
    p->next = INFINITY;
  else if (mode == SLOPE_PROGRESS_AUTO)
    p->next = p->start + FIRST;
  else
    p->next = p->start + (p->tty ? REDRAW : PLAIN);
}

void slope_progress_tick(slope_progress *p, long k, long epochs, double f,
                         double gnorm) {
  double t;
  if (p->next == INFINITY || (t = slope_now()) < p->next)
    return;
  p->next = t + (p->tty ? REDRAW : PLAIN);
  fputs(p->tty ? "\r" : "", stderr);
  if (epochs > 0)
    fprintf(stderr, "%s: epoch %ld/%ld  loss %.6g", p->what, k, epochs, f);
  else
    fprintf(stderr, "%s: iteration %ld  f %.6g  |g| %.2e", p->what, k, f,
            gnorm);
  fprintf(stderr, "  %.1f s%s", t - p->start, p->tty ? "\033[K" : "\n");
  fflush(stderr);
  p->shown = 1;
}

void slope_progress_end(slope_progress *p) {
  if (p->tty && p->shown) {
    fputs("\r\033[K", stderr);
    fflush(stderr);
  }
  p->shown = 0;
}
