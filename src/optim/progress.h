/*
** progress.h: the solvers' clock, and the one-line progress report of a
** long run on a terminal.
*/
#ifndef SLOPE_PROGRESS_H
#define SLOPE_PROGRESS_H

/* Seconds on a monotonic clock. */
double slope_now(void);

/* opts.progress: shown on a terminal once a run has lasted a second
** (auto), always, or never. */
enum { SLOPE_PROGRESS_AUTO, SLOPE_PROGRESS_ON, SLOPE_PROGRESS_OFF };

typedef struct slope_progress {
  int mode;
  int tty;          /* stderr is a terminal: one line, redrawn in place */
  int shown;        /* something is on the line (or was printed) */
  double start;     /* when the run began */
  double next;      /* when the line may be drawn again */
  const char *what; /* the method's name */
} slope_progress;

void slope_progress_start(slope_progress *p, int mode, const char *what);

/* After iteration k: redraw at most a few times a second. epochs > 0
** reports an SGD run by epoch instead (k of them done). Cheap when
** there is nothing to draw: one clock read. */
void slope_progress_tick(slope_progress *p, long k, long epochs, double f,
                         double gnorm);

/* The run is over: clear the line. */
void slope_progress_end(slope_progress *p);

#endif
