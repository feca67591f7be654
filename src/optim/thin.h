/*
** thin.h: a run's trace kept to at most cap records. Iterations k with
** k % stride == 0 are kept; when cap records are reached the stride
** doubles and the table keeps only its multiples, so a run of any length
** keeps between cap / 2 and cap records, evenly spread (and the newest
** record added, whatever its iteration). The caller keeps
** the last iteration aside and adds it at the end if it was skipped.
*/
#ifndef SLOPE_THIN_H
#define SLOPE_THIN_H

#include <lua.h>

typedef struct slope_thin {
  long cap;     /* 0: every iteration */
  long stride;
  long count;   /* records in the table, trace[1 .. count] */
  const char *key;  /* the records' iteration field */
} slope_thin;

/* opts.trace at index opts: nil or false (0), true (every iteration) or
** an integer cap >= 2; anything else raises an error naming the field,
** argno and fname. 1 when tracing, with *cap set (0: no cap). */
int slope_thin_option(lua_State *L, int opts, int argno, const char *fname,
                      long *cap);

/* key: the records' field with their iteration ("iter", "epoch"). */
void slope_thin_init(slope_thin *t, long cap, const char *key);

/* Is iteration k recorded? */
int slope_thin_keeps(const slope_thin *t, long k);

/* The record on top of the stack goes to the end of the table at idx
** (popped); the table is thinned when it reaches the cap. */
void slope_thin_add(lua_State *L, slope_thin *t, int idx);

#endif
