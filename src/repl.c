/*
** repl.c: the interactive loop, shaped after doREPL in Lua's lua.c.
** A line is first tried as "return <line>;" so that expressions print
** themselves (through slope.pretty); a chunk whose syntax error ends at
** <eof> is incomplete and asks for another line. Lines are read with GNU
** readline's callback interface inside a pselect loop, so that Ctrl-C at
** the prompt abandons the line instead of killing the program; Ctrl-C
** while a chunk runs is host_docall's business (interrupt.c).
*/
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <unistd.h>

#include <readline/history.h>
#include <readline/readline.h>

#include <lauxlib.h>
#include <lua.h>

#include "host.h"
#include "interrupt.h"
#include "repl.h"

#define PROMPT "> "
#define PROMPT2 ">> "
#define EOFMARK "<eof>"
#define CHUNKNAME "=stdin"

#define HISTFILE ".slope_history"  /* under $HOME */
#define HISTSIZE 1000

#define PRINTER "slope.repl.print"  /* registry key of the auto-printer */

/* What read_line got. */
enum { READ_EOF, READ_LINE, READ_INTR };

/*
** readline returns lines and asks for completions through callbacks that
** carry no context, and a signal handler has nowhere else to look: this is
** the REPL's only process-wide state.
*/
static struct {
  lua_State *L;     /* for completion */
  char *line;       /* the line the handler received, until Lua owns a copy */
  int gotline;      /* the handler ran (line is NULL at end of input) */
  int history;      /* keep lines in readline's history (stdin is a tty) */
  int added;        /* history entries added by this session */
  int histsize;     /* bound on the history file, in entries */
  int base;         /* the loop's stack slots are above this index */
  char *histfile;   /* NULL: no history file */
} repl;

static volatile sig_atomic_t prompt_interrupted = 0;


/*
** {==================================================================
** Reading lines
** ===================================================================
*/

static void prompt_sigint(int sig) {
  (void)sig;
  prompt_interrupted = 1;
}

/* Catch Ctrl-C between chunks: it only raises a flag that read_line sees.
** No SA_RESTART, so that a blocked pselect returns. */
static void catch_sigint(void) {
  struct sigaction sa;
  sa.sa_handler = prompt_sigint;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = 0;
  sigaction(SIGINT, &sa, NULL);
}

static void line_handler(char *line) {
  repl.line = line;
  repl.gotline = 1;
  rl_callback_handler_remove();
}

/* Give up the line being edited after a Ctrl-C. */
static void abandon_line(void) {
  rl_free_line_state();
  rl_callback_sigcleanup();
  rl_echo_signal_char(SIGINT);
  rl_cleanup_after_signal();
  rl_callback_handler_remove();
  fputs("\n", rl_outstream);
  fflush(rl_outstream);
}

/*
** Read one line after prompt into repl.line. SIGINT stays blocked except
** inside pselect, so that a Ctrl-C is never missed between the test of
** the flag and the wait.
*/
static int read_line(const char *prompt) {
  int fd = fileno(rl_instream);
  int status = READ_EOF;
  sigset_t block, orig;
  sigemptyset(&block);
  sigaddset(&block, SIGINT);
  sigprocmask(SIG_BLOCK, &block, &orig);
  prompt_interrupted = 0;
  catch_sigint();
  repl.gotline = 0;
  repl.line = NULL;
  rl_callback_handler_install(prompt, line_handler);
  for (;;) {
    fd_set fds;
    int n;
    if (prompt_interrupted) {
      prompt_interrupted = 0;
      abandon_line();
      status = READ_INTR;
      break;
    }
    FD_ZERO(&fds);
    FD_SET(fd, &fds);
    n = pselect(fd + 1, &fds, NULL, NULL, NULL, &orig);
    if (n > 0) {
      rl_callback_read_char();
      if (repl.gotline) {
        status = repl.line != NULL ? READ_LINE : READ_EOF;
        break;
      }
    }
    else if (n < 0 && errno != EINTR) {  /* cannot wait: take it as the end */
      rl_callback_handler_remove();
      break;
    }
  }
  sigprocmask(SIG_SETMASK, &orig, NULL);
  return status;
}

/* The prompt: _PROMPT or _PROMPT2 if set (through tostring), else the
** default. Runs protected: a __tostring may raise. */
static int get_prompt(lua_State *L) {
  int firstline = lua_toboolean(L, 1);
  if (lua_getglobal(L, firstline ? "_PROMPT" : "_PROMPT2") == LUA_TNIL)
    lua_pushstring(L, firstline ? PROMPT : PROMPT2);
  else
    luaL_tolstring(L, -1, NULL);
  return 1;
}

/* Push the line buffer at 1 (a light userdata) as a string: without its
** newline, and a first line (2 true) "=exp" as "return exp". Runs
** protected, so that the caller frees the buffer in any case. */
static int push_buffer(lua_State *L) {
  const char *b = (const char *)lua_touserdata(L, 1);
  size_t l = strlen(b);
  if (l > 0 && b[l - 1] == '\n')
    l--;
  if (lua_toboolean(L, 2) && b[0] == '=')
    lua_pushfstring(L, "return %s", b + 1);
  else
    lua_pushlstring(L, b, l);
  return 1;
}

/*
** Push the next line (without its newline) and return READ_LINE, or
** return READ_EOF or READ_INTR with nothing pushed. A first line starting
** with '=' means "return" (as in Lua 5.2's lua.c).
*/
static int push_line(lua_State *L, int firstline) {
  int status;
  lua_pushcfunction(L, get_prompt);
  lua_pushboolean(L, firstline);
  if (lua_pcall(L, 1, 1, 0) != LUA_OK) {
    lua_pop(L, 1);
    lua_pushstring(L, firstline ? PROMPT : PROMPT2);
  }
  status = read_line(lua_tostring(L, -1));
  lua_pop(L, 1);  /* prompt */
  if (status == READ_LINE) {
    int pushed;
    lua_pushcfunction(L, push_buffer);
    lua_pushlightuserdata(L, repl.line);
    lua_pushboolean(L, firstline);
    pushed = lua_pcall(L, 2, 1, 0);
    free(repl.line);  /* readline's buffer, whatever happened */
    repl.line = NULL;
    if (pushed != LUA_OK)
      lua_error(L);
  }
  return status;
}

/* }================================================================== */


/*
** {==================================================================
** History: $SLOPE_HISTORY (default ~/.slope_history), at most
** $SLOPE_HISTSIZE entries. Each entry carries a timestamp line, so that
** a multi-line chunk reads back as one entry.
** ===================================================================
*/

static void history_open(void) {
  const char *file = getenv("SLOPE_HISTORY");
  const char *size = getenv("SLOPE_HISTSIZE");
  repl.histsize = HISTSIZE;
  if (size != NULL && *size != '\0') {
    char *end;
    long n = strtol(size, &end, 10);
    if (*end == '\0' && n >= 0 && n <= 1000000)
      repl.histsize = (int)n;
  }
  repl.histfile = NULL;
  if (file == NULL) {
    const char *home = getenv("HOME");
    if (home != NULL && *home != '\0') {
      size_t l = strlen(home);
      repl.histfile = malloc(l + sizeof "/" HISTFILE);
      if (repl.histfile != NULL) {
        memcpy(repl.histfile, home, l);
        memcpy(repl.histfile + l, "/" HISTFILE, sizeof "/" HISTFILE);
      }
    }
  }
  else if (*file != '\0')  /* SLOPE_HISTORY="" turns the file off */
    repl.histfile = strdup(file);
  using_history();
  history_comment_char = '#';
  history_write_timestamps = 1;
  history_multiline_entries = 1;
  stifle_history(repl.histsize);
  if (repl.histfile != NULL)
    read_history(repl.histfile);  /* a missing file is no error */
  repl.added = 0;
}

/* Add a line (or a whole multi-line chunk) unless empty or a repeat. */
static void history_save(const char *line) {
  HIST_ENTRY *last;
  if (!repl.history || line[0] == '\0' || repl.histsize == 0)
    return;
  last = history_get(history_base + history_length - 1);
  if (last != NULL && strcmp(last->line, line) == 0)
    return;
  add_history(line);
  repl.added++;
}

/* Append this session's entries to the file, then trim it to histsize
** entries (other sessions may have appended meanwhile). */
static void history_close(void) {
  if (repl.histfile != NULL) {
    int n = repl.added < history_length ? repl.added : history_length;
    if (n > 0 && (access(repl.histfile, F_OK) != 0
                  || append_history(n, repl.histfile) != 0))
      write_history(repl.histfile);
    clear_history();
    unstifle_history();
    if (read_history(repl.histfile) == 0 && history_length > repl.histsize) {
      stifle_history(repl.histsize);
      write_history(repl.histfile);
    }
  }
  clear_history();
  free(repl.histfile);
  repl.histfile = NULL;
}

/* }================================================================== */


/*
** {==================================================================
** Completion: keywords and globals, fields after '.', methods after ':'.
** Only raw accesses: a table, then the chain of __index tables of its
** metatable; an __index function is never called.
** ===================================================================
*/

static const char *const keywords[] = {
  "and", "break", "do", "else", "elseif", "end", "false", "for",
  "function", "goto", "if", "in", "local", "nil", "not", "or", "repeat",
  "return", "then", "true", "until", "while", NULL
};

static int iskeyword(const char *s, size_t l) {
  int i;
  for (i = 0; keywords[i] != NULL; i++)
    if (strlen(keywords[i]) == l && memcmp(keywords[i], s, l) == 0)
      return 1;
  return 0;
}

/* A name usable after '.' or ':'. */
static int isname(const char *s, size_t l) {
  size_t i;
  if (l == 0 || !(s[0] == '_' || (s[0] >= 'a' && s[0] <= 'z')
                  || (s[0] >= 'A' && s[0] <= 'Z')))
    return 0;
  for (i = 1; i < l; i++) {
    char c = s[i];
    if (!(c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')))
      return 0;
  }
  return !iskeyword(s, l);
}

/* Push the raw field k of the table on the top; return its type. */
static int raw_get(lua_State *L, const char *k) {
  lua_pushstring(L, k);
  return lua_rawget(L, -2);
}

/*
** Replace the value on the top by the table its fields and methods come
** from: its metatable's __index if that is a table, else the metatable's
** __methods table (slope's types index numbers through a C __index).
** Return 0 (stack unchanged) when there is none.
*/
static int next_index(lua_State *L) {
  int top = lua_gettop(L), mt = top + 1, t;
  if (!lua_getmetatable(L, top))
    return 0;
  t = raw_get(L, "__index");
  if (t != LUA_TTABLE) {
    lua_settop(L, mt);
    t = raw_get(L, "__methods");
  }
  if (t == LUA_TTABLE) {
    lua_replace(L, top);
    lua_settop(L, top);
    return 1;
  }
  lua_settop(L, top);
  return 0;
}

/* Suffix after a completed name: "." after a table that is not callable. */
static const char *suffix(lua_State *L) {
  const char *s = "";
  if (lua_type(L, -1) == LUA_TTABLE) {
    s = ".";
    if (lua_getmetatable(L, -1)) {
      if (raw_get(L, "__call") != LUA_TNIL)
        s = "";
      lua_pop(L, 2);
    }
  }
  return s;
}

#define MAXCHAIN 8  /* __index tables followed, at most */

void repl_raw_field(lua_State *L, const char *k, size_t l) {
  int depth;
  for (depth = 0; depth < MAXCHAIN; depth++) {
    if (lua_type(L, -1) == LUA_TTABLE) {
      lua_pushlstring(L, k, l);
      if (lua_rawget(L, -2) != LUA_TNIL) {
        lua_replace(L, -2);
        return;
      }
      lua_pop(L, 1);
    }
    if (!next_index(L))
      break;
  }
  lua_pop(L, 1);
  lua_pushnil(L);
}

/* Add to the set at index set the names of fields of the value on the top
** (and of its __index tables) that start with partial; pops the value. */
static void add_fields(lua_State *L, int set, const char *head, size_t hl,
                       const char *partial, int methods) {
  size_t pl = strlen(partial);
  int depth;
  for (depth = 0; depth < MAXCHAIN; depth++) {
    if (lua_type(L, -1) == LUA_TTABLE) {
      lua_pushnil(L);
      while (lua_next(L, -2)) {
        size_t kl;
        const char *k;
        int t = lua_type(L, -1);
        if (lua_type(L, -2) == LUA_TSTRING
            && (k = lua_tolstring(L, -2, &kl), kl >= pl)
            && memcmp(k, partial, pl) == 0 && isname(k, kl)
            && (!methods || t == LUA_TFUNCTION)) {
          const char *sfx = suffix(L);  /* of the value, on the top */
          lua_pushlstring(L, head, hl);
          lua_pushvalue(L, -3);
          lua_concat(L, 2);
          if (lua_rawget(L, set) == LUA_TNIL) {  /* first (nearest) wins */
            lua_pop(L, 1);
            lua_pushlstring(L, head, hl);
            lua_pushvalue(L, -3);
            lua_concat(L, 2);
            lua_pushstring(L, sfx);
            lua_rawset(L, set);
          }
          else
            lua_pop(L, 1);
        }
        lua_pop(L, 1);
      }
    }
    if (!next_index(L))
      break;
  }
  lua_pop(L, 1);
}

/*
** repl_complete(word): a table { completion = suffix } where suffix is
** what to append after a single match ("." after a table, " " after a
** keyword). The word is "a.b.c", "a.b:c" or a plain name; any other shape
** gives none. Tab completion here and the Jupyter kernel's both use it.
*/
int repl_complete(lua_State *L) {
  size_t len, i, start;
  const char *word = luaL_checklstring(L, 1, &len);
  const char *sep = NULL;
  int set;
  lua_newtable(L);
  set = lua_gettop(L);
  for (i = 0; i < len; i++)
    if (word[i] == '.' || word[i] == ':')
      sep = word + i;
  if (sep == NULL) {  /* a keyword or a global */
    int k;
    for (k = 0; keywords[k] != NULL; k++)
      if (strncmp(keywords[k], word, len) == 0) {
        lua_pushstring(L, " ");
        lua_setfield(L, set, keywords[k]);
      }
    lua_pushglobaltable(L);
    add_fields(L, set, "", 0, word, 0);
    return 1;
  }
  lua_pushglobaltable(L);
  for (start = 0, i = 0; word + i <= sep; i++) {
    if (word + i == sep || word[i] == '.' || word[i] == ':') {
      if ((word[i] == ':' && word + i != sep)  /* "a:b.c" */
          || !isname(word + start, i - start)) {
        lua_settop(L, set);
        return 1;
      }
      repl_raw_field(L, word + start, i - start);
      start = i + 1;
    }
  }
  add_fields(L, set, word, (size_t)(sep - word) + 1, sep + 1, *sep == ':');
  return 1;
}

/* Longest common prefix of the matches, for matches[0]. */
static char *common_prefix(char **m, int n) {
  size_t l = strlen(m[0]);
  int i;
  char *p;
  for (i = 1; i < n; i++) {
    size_t j = 0;
    while (j < l && m[i][j] == m[0][j])
      j++;
    l = j;
  }
  p = malloc(l + 1);
  if (p != NULL) {
    memcpy(p, m[0], l);
    p[l] = '\0';
  }
  return p;
}

/* readline's entry point: matches for text, in a malloc'd array that
** readline frees. */
static char **repl_completion(const char *text, int start, int end) {
  lua_State *L = repl.L;
  char **matches = NULL;
  int top = lua_gettop(L);
  (void)start;
  (void)end;
  rl_attempted_completion_over = 1;  /* never file names */
  rl_completion_append_character = '\0';
  lua_pushcfunction(L, repl_complete);
  lua_pushstring(L, text);
  if (lua_pcall(L, 1, 1, 0) == LUA_OK) {
    int n = 0;
    lua_pushnil(L);
    while (lua_next(L, -2)) {
      lua_pop(L, 1);
      n++;
    }
    if (n > 0 && (matches = calloc((size_t)n + 2, sizeof *matches)) != NULL) {
      int i = 1;
      lua_pushnil(L);
      while (lua_next(L, -2)) {
        matches[i++] = strdup(lua_tostring(L, -2));
        if (n == 1)
          rl_completion_append_character = *lua_tostring(L, -1);
        lua_pop(L, 1);
      }
      for (i = 1; i <= n && matches[i] != NULL; i++)
        ;
      if (i <= n) {  /* out of memory: give up */
        for (i = 1; i <= n; i++)
          free(matches[i]);
        free(matches);
        matches = NULL;
      }
      else if (n == 1) {
        matches[0] = matches[1];
        matches[1] = NULL;
      }
      else if ((matches[0] = common_prefix(matches + 1, n)) == NULL) {
        for (i = 1; i <= n; i++)
          free(matches[i]);
        free(matches);
        matches = NULL;
      }
    }
  }
  lua_settop(L, top);
  return matches;
}

/* }================================================================== */


/*
** {==================================================================
** The loop
** ===================================================================
*/

/* Report an error without the program name, as the REPL of lua.c does. */
static void report(lua_State *L, int status) {
  if (status != LUA_OK) {
    const char *msg = lua_tostring(L, -1);
    host_message(NULL, msg != NULL ? msg : "(error object is not a string)");
    lua_pop(L, 1);
  }
}

/* host_docall, then Ctrl-C back to abandoning the line. */
static int docall(lua_State *L, int narg, int nres) {
  int status = host_docall(L, narg, nres);
  catch_sigint();
  return status;
}

static int incomplete(lua_State *L, int status) {
  if (status == LUA_ERRSYNTAX) {
    size_t lmsg;
    const char *msg = lua_tolstring(L, -1, &lmsg);
    if (lmsg >= sizeof EOFMARK - 1
        && strcmp(msg + lmsg - (sizeof EOFMARK - 1), EOFMARK) == 0) {
      lua_pop(L, 1);
      return 1;
    }
  }
  return 0;
}

/* Try the line on the top as "return <line>;". */
static int add_return(lua_State *L) {
  const char *line = lua_tostring(L, -1);
  const char *retline = lua_pushfstring(L, "return %s;", line);
  int status = luaL_loadbuffer(L, retline, strlen(retline), CHUNKNAME);
  if (status == LUA_OK) {
    lua_remove(L, -2);  /* modified line */
    history_save(line);
  }
  else
    lua_pop(L, 2);  /* error message and modified line */
  return status;
}

/* Add continuation lines until the chunk is complete; -1 if Ctrl-C
** abandoned it. */
static int multi_line(lua_State *L) {
  for (;;) {
    size_t len;
    const char *chunk = lua_tolstring(L, repl.base + 1, &len);
    int status = luaL_loadbuffer(L, chunk, len, CHUNKNAME);
    if (!incomplete(L, status)) {
      history_save(chunk);
      return status;
    }
    switch (push_line(L, 0)) {
      case READ_INTR: return -1;
      case READ_EOF:  /* the syntax error again, to report it */
        history_save(chunk);
        return luaL_loadbuffer(L, chunk, len, CHUNKNAME);
      default: break;
    }
    lua_pushliteral(L, "\n");
    lua_insert(L, -2);
    lua_concat(L, 3);
  }
}

/* Read and compile one chunk: its status with the function or the error
** on the top; -1 for end of input; -2 when Ctrl-C abandoned it. */
static int load_line(lua_State *L) {
  int status;
  lua_settop(L, repl.base);
  switch (push_line(L, 1)) {
    case READ_EOF: return -1;
    case READ_INTR: return -2;
    default: break;
  }
  if ((status = add_return(L)) != LUA_OK) {
    status = multi_line(L);
    if (status == -1) {
      lua_settop(L, repl.base);
      return -2;
    }
  }
  lua_remove(L, repl.base + 1);  /* the line */
  return status;
}

/* Print what the chunk returned, through slope.pretty when it loaded. */
static void print_results(lua_State *L) {
  int n = lua_gettop(L) - repl.base;
  if (n > 0) {
    if (lua_getfield(L, LUA_REGISTRYINDEX, PRINTER) == LUA_TNIL) {
      lua_pop(L, 1);
      lua_getglobal(L, "print");
    }
    lua_insert(L, repl.base + 1);
    if (docall(L, n, 0) != LUA_OK)
      host_message(NULL, lua_pushfstring(L, "error calling 'print' (%s)",
                                         lua_tostring(L, -1)));
  }
}

/* Load module name under protection and push its field (or the module
** itself when field is NULL); report a failure and return 0. */
static int require_field(lua_State *L, const char *name, const char *field) {
  lua_getglobal(L, "require");
  lua_pushstring(L, name);
  if (docall(L, 1, 1) != LUA_OK) {
    report(L, LUA_ERRRUN);
    return 0;
  }
  if (field != NULL) {
    lua_getfield(L, -1, field);
    lua_remove(L, -2);
  }
  return 1;
}

/* Set global name to require(name) unless it is set. */
static void global_module(lua_State *L, const char *global, const char *name) {
  if (lua_getglobal(L, global) == LUA_TNIL && require_field(L, name, NULL))
    lua_setglobal(L, global);
  lua_pop(L, 1);
}

/* The auto-printer in the registry; globals slope, help, ad, numdiff,
** optim, analyze and plot unless set. */
static void setup(lua_State *L) {
  if (require_field(L, "slope.pretty", "print")) {
    if (lua_isfunction(L, -1))
      lua_setfield(L, LUA_REGISTRYINDEX, PRINTER);
    else
      lua_pop(L, 1);
  }
  global_module(L, "slope", "slope");
  global_module(L, "help", "slope.help");
  global_module(L, "ad", "slope.ad");
  global_module(L, "numdiff", "slope.numdiff");
  global_module(L, "optim", "slope.optim");
  global_module(L, "analyze", "slope.analyze");
  global_module(L, "plot", "slope.plot");
}

static void repl_loop(lua_State *L) {
  int status;
  setup(L);
  while ((status = load_line(L)) != -1) {
    if (status == -2)
      continue;  /* Ctrl-C at the prompt */
    if (status == LUA_OK) {
      unsigned long before = slope_interrupt_count();
      status = docall(L, 0, LUA_MULTRET);
      if (status == LUA_OK && slope_interrupt_count() != before)
        fputs("\n", stdout);  /* after the ^C echo, as an error would be */
    }
    if (status == LUA_OK)
      print_results(L);
    else
      report(L, status);
  }
  lua_settop(L, repl.base);
  fputs("\n", stdout);
  fflush(stdout);
}

/*
** Like doREPL in lua.c, this runs inside the caller's protected call
** (main's pmain), so that tracebacks match the stock REPL's; the loop uses
** the caller's stack frame and leaves it as it found it.
*/
void repl_run(lua_State *L) {
  struct sigaction old;
  int top = lua_gettop(L);
  repl.L = L;
  repl.line = NULL;
  repl.history = isatty(STDIN_FILENO);
  repl.histfile = NULL;
  sigaction(SIGINT, NULL, &old);
  rl_instream = stdin;
  rl_outstream = stdout;
  rl_readline_name = "slope";
  rl_catch_signals = 0;  /* Ctrl-C is ours: see read_line */
  rl_basic_word_break_characters = REPL_WORD_BREAKS;
  rl_attempted_completion_function = repl_completion;
  if (repl.history)
    history_open();
  repl.base = top;
  repl_loop(L);
  if (repl.history)
    history_close();
  sigaction(SIGINT, &old, NULL);
  repl.L = NULL;
  lua_settop(L, top);
}
