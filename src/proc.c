/*
** proc.c: core.proc, what slope.experiment needs from the system to run a
** suite in worker processes and keep every finished run on disk.
**
** A worker is a fork of the running program, joined to its parent by a
** Unix stream socket (socketpair, close-on-exec) that carries framed
** messages: 16 hex digits of length, then the bytes. Sockets rather than
** pipes so that a write to a dead worker fails with EPIPE (MSG_NOSIGNAL)
** instead of killing the parent. The child ignores SIGINT (the parent
** handles Ctrl-C and ends its workers) and, on Linux, dies with its
** parent (PR_SET_PDEATHSIG), so that a suite killed with SIGKILL leaves
** no worker behind. Its memory is capped with setrlimit(RLIMIT_AS).
**
** One userdata type, "slope.proc.worker", stands for either end: in the
** parent it holds the child's pid and reaps it; in the child, pid is 0.
** It is created closed (fd -1) before fork, and __gc closes the socket
** and kills and reaps a child still running, so it is safe to run twice.
*/
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>

#include "proc.h"

#define SLOPE_WORKER "slope.proc.worker"
#define HEADER 16                         /* hex digits of a frame's length */
#define MAXMESSAGE ((size_t)1 << 30)      /* 1 GiB: anything longer is junk */

typedef struct {
  pid_t pid;   /* the child's, in the parent; 0 in the child */
  int fd;      /* our end of the socket, or -1 once closed */
  int reaped;  /* the parent has waited for the child */
} Worker;


/*
** {======================================================
** SHA-256 (FIPS 180-4)
** =======================================================
*/

static const uint32_t K256[64] = {
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1,
  0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
  0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
  0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
  0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
  0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
  0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
  0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
  0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2
};

#define ROTR(x, n) (((x) >> (n)) | ((x) << (32 - (n))))

/* One 64-byte block into the state h. */
static void sha256_block(uint32_t h[8], const unsigned char *p) {
  uint32_t w[64], a, b, c, d, e, f, g, k;
  int i;
  for (i = 0; i < 16; i++)
    w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
           (uint32_t)p[4 * i + 2] << 8 | (uint32_t)p[4 * i + 3];
  for (i = 16; i < 64; i++) {
    uint32_t s0 = ROTR(w[i - 15], 7) ^ ROTR(w[i - 15], 18) ^ (w[i - 15] >> 3);
    uint32_t s1 = ROTR(w[i - 2], 17) ^ ROTR(w[i - 2], 19) ^ (w[i - 2] >> 10);
    w[i] = w[i - 16] + s0 + w[i - 7] + s1;
  }
  a = h[0]; b = h[1]; c = h[2]; d = h[3];
  e = h[4]; f = h[5]; g = h[6]; k = h[7];
  for (i = 0; i < 64; i++) {
    uint32_t t1 = k + (ROTR(e, 6) ^ ROTR(e, 11) ^ ROTR(e, 25)) +
                  ((e & f) ^ (~e & g)) + K256[i] + w[i];
    uint32_t t2 = (ROTR(a, 2) ^ ROTR(a, 13) ^ ROTR(a, 22)) +
                  ((a & b) ^ (a & c) ^ (b & c));
    k = g; g = f; f = e; e = d + t1;
    d = c; c = b; b = a; a = t1 + t2;
  }
  h[0] += a; h[1] += b; h[2] += c; h[3] += d;
  h[4] += e; h[5] += f; h[6] += g; h[7] += k;
}

void slope_sha256(const unsigned char *data, size_t len, unsigned char out[32]) {
  uint32_t h[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                   0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
  unsigned char tail[128];
  size_t full = len / 64 * 64, rest = len - full, padded, i;
  uint64_t bits = (uint64_t)len * 8;
  for (i = 0; i < full; i += 64)
    sha256_block(h, data + i);
  memset(tail, 0, sizeof tail);
  if (rest > 0)
    memcpy(tail, data + full, rest);
  tail[rest] = 0x80;
  padded = rest + 1 + 8 <= 64 ? 64 : 128;
  for (i = 0; i < 8; i++)
    tail[padded - 1 - i] = (unsigned char)(bits >> (8 * i));
  for (i = 0; i < padded; i += 64)
    sha256_block(h, tail + i);
  for (i = 0; i < 8; i++) {
    out[4 * i] = (unsigned char)(h[i] >> 24);
    out[4 * i + 1] = (unsigned char)(h[i] >> 16);
    out[4 * i + 2] = (unsigned char)(h[i] >> 8);
    out[4 * i + 3] = (unsigned char)h[i];
  }
}

/* proc.sha256(s) -> 64 lower-case hex digits. */
static int proc_sha256(lua_State *L) {
  size_t len, i;
  const char *s = luaL_checklstring(L, 1, &len);
  unsigned char md[32];
  char hex[65];
  slope_sha256((const unsigned char *)s, len, md);
  for (i = 0; i < 32; i++)
    snprintf(hex + 2 * i, 3, "%02x", md[i]);
  lua_pushlstring(L, hex, 64);
  return 1;
}

/* }====================================================== */


/*
** {======================================================
** Workers
** =======================================================
*/

static Worker *checkworker(lua_State *L, int arg) {
  return (Worker *)luaL_checkudata(L, arg, SLOPE_WORKER);
}

static int pushfail(lua_State *L, const char *what) {
  int e = errno;
  luaL_pushfail(L);
  lua_pushfstring(L, "%s: %s", what, strerror(e));
  return 2;
}

/* Kill and reap a child that was not waited for yet. */
static void endchild(Worker *w) {
  if (w->pid > 0 && !w->reaped) {
    kill(w->pid, SIGKILL);
    while (waitpid(w->pid, NULL, 0) < 0 && errno == EINTR)
      ;
    w->reaped = 1;
  }
}

static int worker_gc(lua_State *L) {
  Worker *w = checkworker(L, 1);
  if (w->fd >= 0) {
    close(w->fd);
    w->fd = -1;
  }
  endchild(w);
  return 0;
}

/*
** proc.spawn([others]) forks. In the parent it returns the new worker; in
** the child it returns nil and the child's end. others: a list of the
** parent's workers, whose sockets the child closes (it must not hold
** them open, or a sibling's death would go unseen).
*/
static int proc_spawn(lua_State *L) {
  int sv[2];
  pid_t parent = getpid(), pid;
  Worker *w;
  if (!lua_isnoneornil(L, 1))
    luaL_checktype(L, 1, LUA_TTABLE);
  w = (Worker *)lua_newuserdatauv(L, sizeof(Worker), 0);
  w->pid = 0; w->fd = -1; w->reaped = 0;
  luaL_setmetatable(L, SLOPE_WORKER);
  if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0)
    return pushfail(L, "socketpair");
  fflush(NULL);  /* no buffered output written twice */
  pid = fork();
  if (pid < 0) {
    close(sv[0]);
    close(sv[1]);
    return pushfail(L, "fork");
  }
  if (pid == 0) {  /* the child */
    lua_Integer i, n;
    close(sv[0]);
    signal(SIGINT, SIG_IGN);
    signal(SIGPIPE, SIG_DFL);
#ifdef __linux__
    prctl(PR_SET_PDEATHSIG, SIGKILL);
#endif
    if (getppid() != parent)  /* the parent died before prctl */
      _exit(EXIT_FAILURE);
    n = lua_istable(L, 1) ? luaL_len(L, 1) : 0;
    for (i = 1; i <= n; i++) {
      Worker *o;
      lua_geti(L, 1, i);
      o = (Worker *)luaL_testudata(L, -1, SLOPE_WORKER);
      if (o != NULL && o->fd >= 0) {
        close(o->fd);
        o->fd = -1;
      }
      if (o != NULL)
        o->pid = 0;  /* not ours to kill or reap */
      lua_pop(L, 1);
    }
    w->fd = sv[1];
    luaL_pushfail(L);
    lua_insert(L, -2);
    return 2;
  }
  close(sv[1]);
  w->pid = pid;
  w->fd = sv[0];
  return 1;
}

static int writeall(int fd, const char *p, size_t n) {
  while (n > 0) {
    ssize_t k = send(fd, p, n, MSG_NOSIGNAL);
    if (k < 0) {
      if (errno == EINTR)
        continue;
      return -1;
    }
    p += k;
    n -= (size_t)k;
  }
  return 0;
}

/* Read exactly n bytes: 1, 0 on end of file before any byte, -1 on error
** (errno set; EPIPE for a frame cut short). */
static int readall(int fd, char *p, size_t n) {
  size_t got = 0;
  while (got < n) {
    ssize_t k = read(fd, p + got, n - got);
    if (k < 0) {
      if (errno == EINTR)
        continue;
      return -1;
    }
    if (k == 0) {
      if (got == 0)
        return 0;
      errno = EPIPE;
      return -1;
    }
    got += (size_t)k;
  }
  return 1;
}

/* w:send(s) -> true, or fail and a message (the other end is gone). */
static int worker_send(lua_State *L) {
  Worker *w = checkworker(L, 1);
  size_t len;
  const char *s = luaL_checklstring(L, 2, &len);
  char head[HEADER + 1];
  luaL_argcheck(L, w->fd >= 0, 1, "worker is closed");
  luaL_argcheck(L, len <= MAXMESSAGE, 2, "message too long");
  snprintf(head, sizeof head, "%016zx", len);
  if (writeall(w->fd, head, HEADER) != 0 || writeall(w->fd, s, len) != 0)
    return pushfail(L, "send");
  lua_pushboolean(L, 1);
  return 1;
}

/* w:recv() -> the next message; fail and "eof" when the other end closed
** (a worker that died), fail and a message on an error. Blocks. */
static int worker_recv(lua_State *L) {
  Worker *w = checkworker(L, 1);
  char head[HEADER + 1], *end;
  unsigned long long len;
  luaL_Buffer b;
  char *p;
  int r;
  luaL_argcheck(L, w->fd >= 0, 1, "worker is closed");
  r = readall(w->fd, head, HEADER);
  if (r == 0) {
    luaL_pushfail(L);
    lua_pushliteral(L, "eof");
    return 2;
  }
  if (r < 0)
    return pushfail(L, "recv");
  head[HEADER] = '\0';
  len = strtoull(head, &end, 16);
  if (*end != '\0' || len > MAXMESSAGE) {
    luaL_pushfail(L);
    lua_pushliteral(L, "recv: bad frame header");
    return 2;
  }
  p = luaL_buffinitsize(L, &b, (size_t)len);
  if (readall(w->fd, p, (size_t)len) != 1 && len > 0)
    return pushfail(L, "recv");
  luaL_pushresultsize(&b, (size_t)len);
  return 1;
}

static int worker_pid(lua_State *L) {
  lua_pushinteger(L, checkworker(L, 1)->pid);
  return 1;
}

static int worker_fileno(lua_State *L) {
  lua_pushinteger(L, checkworker(L, 1)->fd);
  return 1;
}

static int worker_close(lua_State *L) {
  Worker *w = checkworker(L, 1);
  if (w->fd >= 0) {
    close(w->fd);
    w->fd = -1;
  }
  return 0;
}

/* w:kill([sig]) sends sig (default SIGKILL) to a child not yet reaped. */
static int worker_kill(lua_State *L) {
  Worker *w = checkworker(L, 1);
  int sig = (int)luaL_optinteger(L, 2, SIGKILL);
  if (w->pid > 0 && !w->reaped && kill(w->pid, sig) != 0)
    return pushfail(L, "kill");
  lua_pushboolean(L, 1);
  return 1;
}

/*
** w:wait([nohang]) reaps the child: "exited", status; or "signaled", the
** signal's number and name. With nohang and the child still running, or
** once reaped already: nil.
*/
static int worker_wait(lua_State *L) {
  Worker *w = checkworker(L, 1);
  int nohang = lua_toboolean(L, 2), status;
  pid_t r;
  if (w->pid <= 0 || w->reaped) {
    lua_pushnil(L);
    return 1;
  }
  do
    r = waitpid(w->pid, &status, nohang ? WNOHANG : 0);
  while (r < 0 && errno == EINTR);
  if (r < 0)
    return pushfail(L, "waitpid");
  if (r == 0) {
    lua_pushnil(L);
    return 1;
  }
  w->reaped = 1;
  if (WIFSIGNALED(status)) {
    lua_pushliteral(L, "signaled");
    lua_pushinteger(L, WTERMSIG(status));
    lua_pushstring(L, strsignal(WTERMSIG(status)));
    return 3;
  }
  lua_pushliteral(L, "exited");
  lua_pushinteger(L, WIFEXITED(status) ? WEXITSTATUS(status) : -1);
  return 2;
}

/*
** proc.poll(workers, timeout) -> a list of the indices in workers whose
** socket has a message or was closed; empty after timeout seconds
** (negative: wait for ever).
*/
static int proc_poll(lua_State *L) {
  struct pollfd fds[256];
  int idx[256];
  lua_Integer i, n;
  int k = 0, r, ms, j;
  double timeout = luaL_optnumber(L, 2, -1);
  luaL_checktype(L, 1, LUA_TTABLE);
  n = luaL_len(L, 1);
  luaL_argcheck(L, n <= 256, 1, "at most 256 workers");
  for (i = 1; i <= n; i++) {
    Worker *w;
    lua_geti(L, 1, i);
    w = (Worker *)luaL_testudata(L, -1, SLOPE_WORKER);
    if (w != NULL && w->fd >= 0) {
      fds[k].fd = w->fd;
      fds[k].events = POLLIN;
      fds[k].revents = 0;
      idx[k++] = (int)i;
    }
    lua_pop(L, 1);
  }
  ms = timeout < 0 ? -1 : timeout > 1e6 ? 1000000000 : (int)(timeout * 1000);
  do
    r = poll(fds, (nfds_t)k, ms);
  while (r < 0 && errno == EINTR);
  if (r < 0)
    return pushfail(L, "poll");
  lua_createtable(L, r, 0);
  for (j = 0, r = 0; j < k; j++)
    if (fds[j].revents != 0) {
      lua_pushinteger(L, idx[j]);
      lua_rawseti(L, -2, ++r);
    }
  return 1;
}

/* }====================================================== */


/*
** {======================================================
** The rest of the system
** =======================================================
*/

/* proc.setmemlimit(bytes): cap this process's address space. */
static int proc_setmemlimit(lua_State *L) {
  lua_Integer bytes = luaL_checkinteger(L, 1);
  struct rlimit rl;
  luaL_argcheck(L, bytes > 0, 1, "positive byte count expected");
  rl.rlim_cur = rl.rlim_max = (rlim_t)bytes;
  if (setrlimit(RLIMIT_AS, &rl) != 0)
    return pushfail(L, "setrlimit");
  lua_pushboolean(L, 1);
  return 1;
}

/* proc.exit(code): end a worker at once, without closing the state. */
static int proc_exit(lua_State *L) {
  int code = (int)luaL_optinteger(L, 1, EXIT_SUCCESS);
  fflush(NULL);
  _exit(code);
  return 0;
}

/* proc.fsync(file): flush a Lua file and have its bytes reach the disk. */
static int proc_fsync(lua_State *L) {
  luaL_Stream *p = (luaL_Stream *)luaL_checkudata(L, 1, LUA_FILEHANDLE);
  luaL_argcheck(L, p->closef != NULL, 1, "file is closed");
  if (fflush(p->f) != 0 || fsync(fileno(p->f)) != 0)
    return pushfail(L, "fsync");
  lua_pushboolean(L, 1);
  return 1;
}

/* proc.isatty(fd) */
static int proc_isatty(lua_State *L) {
  lua_pushboolean(L, isatty((int)luaL_checkinteger(L, 1)));
  return 1;
}

/* proc.clock(): seconds on the monotonic clock. */
static int proc_clock(lua_State *L) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  lua_pushnumber(L, (lua_Number)ts.tv_sec + (lua_Number)ts.tv_nsec * 1e-9);
  return 1;
}

/* proc.sleep(seconds) */
static int proc_sleep(lua_State *L) {
  double s = luaL_checknumber(L, 1);
  struct timespec ts, rem;
  luaL_argcheck(L, s >= 0 && s < 1e9, 1, "non-negative seconds expected");
  ts.tv_sec = (time_t)s;
  ts.tv_nsec = (long)((s - (double)ts.tv_sec) * 1e9);
  while (nanosleep(&ts, &rem) != 0 && errno == EINTR)
    ts = rem;
  return 0;
}

static int proc_hostname(lua_State *L) {
  char name[256];
  if (gethostname(name, sizeof name) != 0)
    return pushfail(L, "gethostname");
  name[sizeof name - 1] = '\0';
  lua_pushstring(L, name);
  return 1;
}

/* proc.executable() -> the running program's absolute path (Linux's
** /proc/self/exe), or fail when the system does not tell. */
static int proc_executable(lua_State *L) {
  char path[4096];
  ssize_t n = readlink("/proc/self/exe", path, sizeof path - 1);
  if (n <= 0)
    return pushfail(L, "readlink");
  path[n] = '\0';
  lua_pushstring(L, path);
  return 1;
}

static int proc_getpid(lua_State *L) {
  lua_pushinteger(L, getpid());
  return 1;
}

/* proc.kill(pid, sig): a raw kill(2). */
static int proc_kill(lua_State *L) {
  lua_Integer pid = luaL_checkinteger(L, 1);
  int sig = (int)luaL_checkinteger(L, 2);
  if (kill((pid_t)pid, sig) != 0)
    return pushfail(L, "kill");
  lua_pushboolean(L, 1);
  return 1;
}

/* }====================================================== */


static const luaL_Reg worker_meta[] = {
  {"__gc", worker_gc},
  {"__close", worker_gc},
  {NULL, NULL}
};

static const luaL_Reg worker_methods[] = {
  {"close", worker_close},
  {"fileno", worker_fileno},
  {"kill", worker_kill},
  {"pid", worker_pid},
  {"recv", worker_recv},
  {"send", worker_send},
  {"wait", worker_wait},
  {NULL, NULL}
};

static const luaL_Reg proc_funcs[] = {
  {"clock", proc_clock},
  {"executable", proc_executable},
  {"exit", proc_exit},
  {"fsync", proc_fsync},
  {"getpid", proc_getpid},
  {"hostname", proc_hostname},
  {"isatty", proc_isatty},
  {"kill", proc_kill},
  {"poll", proc_poll},
  {"setmemlimit", proc_setmemlimit},
  {"sha256", proc_sha256},
  {"sleep", proc_sleep},
  {"spawn", proc_spawn},
  {NULL, NULL}
};

int slope_open_proc(lua_State *L) {
  luaL_newmetatable(L, SLOPE_WORKER);
  luaL_setfuncs(L, worker_meta, 0);
  luaL_newlib(L, worker_methods);
  lua_setfield(L, -2, "__index");
  lua_pop(L, 1);
  luaL_newlib(L, proc_funcs);
  lua_pushinteger(L, SIGKILL);
  lua_setfield(L, -2, "SIGKILL");
  lua_pushinteger(L, SIGTERM);
  lua_setfield(L, -2, "SIGTERM");
  lua_pushinteger(L, SIGSEGV);
  lua_setfield(L, -2, "SIGSEGV");
  return 1;
}
