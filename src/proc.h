/*
** proc.h: core.proc, worker processes for experiment suites (fork with a
** socket to the parent, framed messages, poll, wait, kill, a memory cap),
** durable appends (fsync), SHA-256 and a monotonic clock.
*/
#ifndef SLOPE_PROC_H
#define SLOPE_PROC_H

#include <stddef.h>

#include <lua.h>

/* SHA-256 of len bytes at data into out (32 bytes). */
void slope_sha256(const unsigned char *data, size_t len, unsigned char out[32]);

int slope_open_proc(lua_State *L);

#endif
