/*
** main.c: the slope command line, a drop-in for the lua command (lua.c of
** Lua 5.4): the same options, arg table, LUA_INIT handling, error format
** and exit status, plus --help, --version, a banner before the REPL, and
** room for subcommands.
*/
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gsl/gsl_version.h>

#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>

#include "host.h"
#include "kernel/kernel.h"
#include "repl.h"
#include "slope.h"

#define INIT_VAR "LUA_INIT"
#define INIT_VAR_VERSION INIT_VAR "_" LUA_VERSION_MAJOR "_" LUA_VERSION_MINOR

/* What collectargs found. */
#define has_error 1    /* bad option */
#define has_i 2        /* -i */
#define has_v 4        /* -v */
#define has_e 8        /* -e */
#define has_E 16       /* -E */
#define has_help 32    /* --help */
#define has_version 64 /* --version */


/*
** {==================================================================
** Subcommands
** ===================================================================
*/

/*
** "slope NAME args..." with NAME in this table runs NAME's entry instead
** of the lua command line; argv[0] is NAME. The entry runs protected, with
** the libraries open, and returns an exit status. A script whose file name
** is a subcommand's is still reached as "slope ./NAME" or "slope -- NAME".
*/
typedef int (*subcommand_fn)(lua_State *L, int argc, char **argv);

/*
** Subcommands written in Lua: require the module and call its function
** with the words after the subcommand's name; the integer it returns is
** the exit status (an error is reported and fails).
*/
static const struct {
  const char *name, *module, *function;
} lua_subcommands[] = {
  {"run", "slope.cli_run", "run"},
  {"merge", "slope.cli_run", "merge"},
  {"replay", "slope.cli_run", "replay"},
  {"notebook", "slope.notebook", "main"},
  {NULL, NULL, NULL}
};

static int cmd_lua(lua_State *L, int argc, char **argv) {
  int i, status;
  for (i = 0; strcmp(lua_subcommands[i].name, argv[0]) != 0; i++)
    ;  /* every cmd_lua entry of subcommands is in lua_subcommands */
  lua_getglobal(L, "require");
  lua_pushstring(L, lua_subcommands[i].module);
  status = host_docall(L, 1, 1);
  if (status == LUA_OK) {
    lua_getfield(L, -1, lua_subcommands[i].function);
    lua_remove(L, -2);
    luaL_checkstack(L, argc, "too many arguments");
    for (i = 1; i < argc; i++)
      lua_pushstring(L, argv[i]);
    status = host_docall(L, argc - 1, 1);
  }
  if (status != LUA_OK) {
    host_report(L, status);
    return EXIT_FAILURE;
  }
  status = (int)luaL_optinteger(L, -1, EXIT_SUCCESS);
  lua_pop(L, 1);
  return status;
}

static const struct {
  const char *name;
  subcommand_fn run;
  const char *summary;  /* one line for --help */
} subcommands[] = {
  {"run", cmd_lua, "run an experiment suite (slope run --help)"},
  {"merge", cmd_lua, "merge the shards of a suite's results"},
  {"replay", cmd_lua, "re-run one recorded run and compare"},
  {"notebook", cmd_lua, "run or --check a notebook"},
  {"kernel", cmd_kernel, "serve notebooks to Jupyter"},
  {NULL, NULL, NULL}
};

static int find_subcommand(const char *name) {
  int i;
  for (i = 0; subcommands[i].name != NULL; i++)
    if (strcmp(subcommands[i].name, name) == 0)
      return i;
  return -1;
}

/* }================================================================== */


/*
** {==================================================================
** Messages
** ===================================================================
*/

static void print_usage(const char *badoption) {
  const char *progname = host_progname();
  fprintf(stderr, "%s: ", progname);
  if (badoption[1] == 'e' || badoption[1] == 'l')
    fprintf(stderr, "'%s' needs argument\n", badoption);
  else
    fprintf(stderr, "unrecognized option '%s'\n", badoption);
  fprintf(stderr,
          "usage: %s [options] [script [args]]\n"
          "Available options are:\n"
          "  -e stat   execute string 'stat'\n"
          "  -i        enter interactive mode after executing 'script'\n"
          "  -l mod    require library 'mod' into global 'mod'\n"
          "  -l g=mod  require library 'mod' into global 'g'\n"
          "  -v        show version information\n"
          "  -E        ignore environment variables\n"
          "  -W        turn warnings on\n"
          "  --        stop handling options\n"
          "  -         stop handling options and execute stdin\n"
          "  --help    show a fuller help\n"
          "  --version show slope, Lua and GSL versions\n",
          progname);
  fflush(stderr);
}

static void print_help(void) {
  int i;
  printf("usage: %s [options] [script [args]]\n"
         "\n"
         "slope runs Lua 5.4 scripts with slope's differentiation and "
         "optimisation\n"
         "modules at hand (local slope = require \"slope\"); it takes the "
         "options of\n"
         "the lua command.\n"
         "\n"
         "Options:\n"
         "  -e stat     execute the string 'stat'\n"
         "  -l mod      require library 'mod' into global 'mod'\n"
         "  -l g=mod    require library 'mod' into global 'g'\n"
         "  -i          enter the REPL after running the script and options\n"
         "  -v          show the Lua version\n"
         "  -E          ignore the environment variables below\n"
         "  -W          turn warnings on (warn() shows)\n"
         "  --          stop handling options\n"
         "  -           stop handling options and execute stdin\n"
         "  --help      show this help\n"
         "  --version   show slope, Lua and GSL versions\n"
         "\n"
         "Options -e, -l and -W act in the order given, before the script.\n"
         "The script gets its arguments as ... and in the table arg.\n",
         host_progname());
  for (i = 0; subcommands[i].name != NULL; i++) {
    if (i == 0)
      printf("\nSubcommands:\n");
    printf("  %-11s %s\n", subcommands[i].name, subcommands[i].summary);
  }
  printf("\n"
         "REPL:\n"
         "  With no script and stdin a terminal, or with -i, slope starts an\n"
         "  interactive loop: line editing and history, tab completion of\n"
         "  globals, fields and methods, continuation lines, expressions\n"
         "  printed as they are evaluated, help() and help(f). Ctrl-C stops\n"
         "  a running chunk, Ctrl-D exits. With no script and stdin not a\n"
         "  terminal, slope runs stdin as a script.\n"
         "\n"
         "Environment:\n"
         "  LUA_INIT_5_4, LUA_INIT   Lua code run before the arguments, or\n"
         "                           @file to run a file (first one set)\n"
         "  LUA_PATH_5_4, LUA_PATH   search path for Lua modules\n"
         "  LUA_CPATH_5_4, LUA_CPATH search path for C modules\n"
         "  SLOPE_HISTORY            REPL history file "
         "(default ~/.slope_history)\n"
         "  SLOPE_HISTSIZE           REPL history size (default 1000)\n"
         "\n"
         "See slope(1) and slope(3).\n");
  fflush(stdout);
}

/* -v: what the lua command prints. */
static void print_version(void) {
  fputs(LUA_COPYRIGHT "\n", stdout);
  fflush(stdout);
}

static void print_versions(void) {
  printf("slope %s\n%s\nGSL %s\n", SLOPE_VERSION, LUA_COPYRIGHT, gsl_version);
  fflush(stdout);
}

static void print_banner(void) {
  printf("slope %s  (%s, GSL %s)\n"
         "Type help() for help, Ctrl-D to exit.\n",
         SLOPE_VERSION, LUA_RELEASE, gsl_version);
  fflush(stdout);
}

/* }================================================================== */


/*
** {==================================================================
** Running chunks
** ===================================================================
*/

static int dochunk(lua_State *L, int status) {
  if (status == LUA_OK)
    status = host_docall(L, 0, 0);
  return host_report(L, status);
}

/* name NULL: stdin. */
static int dofile(lua_State *L, const char *name) {
  return dochunk(L, luaL_loadfile(L, name));
}

static int dostring(lua_State *L, const char *s, const char *name) {
  return dochunk(L, luaL_loadbuffer(L, s, strlen(s), name));
}

/*
** -l mod or -l g=mod: g = require(mod), g defaulting to mod (the whole
** name, dots included, as lua 5.4.4 does). Writes into the argument.
*/
static int dolibrary(lua_State *L, char *globname) {
  int status;
  char *modname = strchr(globname, '=');
  if (modname == NULL)
    modname = globname;
  else
    *modname++ = '\0';  /* globname ends at the '=' */
  lua_getglobal(L, "require");
  lua_pushstring(L, modname);
  status = host_docall(L, 1, 1);
  if (status == LUA_OK)
    lua_setglobal(L, globname);
  return host_report(L, status);
}

/* LUA_INIT_5_4, else LUA_INIT: code, or @file. */
static int handle_luainit(lua_State *L) {
  const char *name = "=" INIT_VAR_VERSION;
  const char *init = getenv(name + 1);
  if (init == NULL) {
    name = "=" INIT_VAR;
    init = getenv(name + 1);
  }
  if (init == NULL)
    return LUA_OK;
  if (init[0] == '@')
    return dofile(L, init + 1);
  return dostring(L, init, name);
}

/* Push arg[1..#arg] (the script's arguments); returns how many. */
static int pushargs(lua_State *L) {
  int i, n;
  if (lua_getglobal(L, "arg") != LUA_TTABLE)
    luaL_error(L, "'arg' is not a table");
  n = (int)luaL_len(L, -1);
  luaL_checkstack(L, n + 3, "too many arguments to script");
  for (i = 1; i <= n; i++)
    lua_rawgeti(L, -i, i);
  lua_remove(L, -i);  /* the table */
  return n;
}

/* argv[0] is the script: "-" is stdin unless it follows "--". */
static int handle_script(lua_State *L, char **argv) {
  int status;
  const char *fname = argv[0];
  if (strcmp(fname, "-") == 0 && strcmp(argv[-1], "--") != 0)
    fname = NULL;
  status = luaL_loadfile(L, fname);
  if (status == LUA_OK) {
    int n = pushargs(L);
    status = host_docall(L, n, LUA_MULTRET);
  }
  return host_report(L, status);
}

/* }================================================================== */


/*
** {==================================================================
** The command line
** ===================================================================
*/

/*
** Check the options and set *first to the script's index (argc when there
** is none) or, on has_error, to the bad option's. Options -e and -l take
** their argument attached or as the next word; --help and --version end
** the scan.
*/
static int collectargs(char **argv, int *first) {
  int args = 0;
  int i;
  for (i = 1; argv[i] != NULL; i++) {
    *first = i;
    if (argv[i][0] != '-')  /* the script */
      return args;
    switch (argv[i][1]) {
    case '-':
      if (strcmp(argv[i], "--help") == 0)
        return args | has_help;
      if (strcmp(argv[i], "--version") == 0)
        return args | has_version;
      if (argv[i][2] != '\0')
        return has_error;
      *first = i + 1;
      return args;
    case '\0':  /* "-": the script is stdin */
      return args;
    case 'E':
      if (argv[i][2] != '\0')
        return has_error;
      args |= has_E;
      break;
    case 'W':
      if (argv[i][2] != '\0')
        return has_error;
      break;
    case 'i':
      if (argv[i][2] != '\0')
        return has_error;
      args |= has_i;
      break;
    case 'v':
      if (argv[i][2] != '\0')
        return has_error;
      args |= has_v;
      break;
    case 'e':
      args |= has_e;
      /* FALLTHROUGH */
    case 'l':
      if (argv[i][2] == '\0') {
        i++;
        if (argv[i] == NULL || argv[i][0] == '-')
          return has_error;
      }
      break;
    default:
      return has_error;
    }
  }
  *first = i;
  return args;
}

/* Run -e, -l and -W in order, up to argv[n]; 0 when one failed. */
static int runargs(lua_State *L, char **argv, int n) {
  int i;
  for (i = 1; i < n; i++) {
    int option = argv[i][1];
    switch (option) {
    case 'e':
    case 'l': {
      int status;
      char *extra = argv[i] + 2;
      if (*extra == '\0')
        extra = argv[++i];
      status = option == 'e' ? dostring(L, extra, "=(command line)")
                             : dolibrary(L, extra);
      if (status != LUA_OK)
        return 0;
      break;
    }
    case 'W':
      lua_warning(L, "@on", 0);
      break;
    }
  }
  return 1;
}

/*
** The global arg: the script at index 0, its arguments above, the program
** and the options below; with no script, the program at index 0.
*/
static void createargtable(lua_State *L, char **argv, int argc, int script) {
  int i, narg;
  if (script == argc)
    script = 0;
  narg = argc - (script + 1);
  lua_createtable(L, narg, script + 1);
  for (i = 0; i < argc; i++) {
    lua_pushstring(L, argv[i]);
    lua_rawseti(L, -2, i - script);
  }
  lua_setglobal(L, "arg");
}

static void openlibs(lua_State *L, int noenv) {
  if (noenv) {  /* tells the libraries to ignore LUA_PATH and the like */
    lua_pushboolean(L, 1);
    lua_setfield(L, LUA_REGISTRYINDEX, "LUA_NOENV");
  }
  host_openlibs(L);
  lua_gc(L, LUA_GCRESTART);
  lua_gc(L, LUA_GCGEN, 0, 0);
}

static void repl(lua_State *L) {
  print_banner();
  repl_run(L);
}

/*
** The whole program, run protected so that no error escapes unreported.
** Arguments: argc and argv; result: the exit status.
*/
static int pmain(lua_State *L) {
  int argc = (int)lua_tointeger(L, 1);
  char **argv = (char **)lua_touserdata(L, 2);
  int script, args, sub;
  luaL_checkversion(L);
  if (argc > 1 && (sub = find_subcommand(argv[1])) >= 0) {
    openlibs(L, 0);
    createargtable(L, argv, argc, 1);
    lua_pushinteger(L, subcommands[sub].run(L, argc - 1, argv + 1));
    return 1;
  }
  args = collectargs(argv, &script);
  lua_pushinteger(L, EXIT_FAILURE);  /* the result unless all goes well */
  if (args == has_error) {
    print_usage(argv[script]);
    return 1;
  }
  if (args & has_help) {
    print_help();
    lua_pushinteger(L, EXIT_SUCCESS);
    return 1;
  }
  if (args & has_version) {
    print_versions();
    lua_pushinteger(L, EXIT_SUCCESS);
    return 1;
  }
  if (args & has_v)
    print_version();
  openlibs(L, args & has_E);
  createargtable(L, argv, argc, script);
  if (!(args & has_E) && handle_luainit(L) != LUA_OK)
    return 1;
  if (!runargs(L, argv, script))
    return 1;
  if (script < argc && handle_script(L, argv + script) != LUA_OK)
    return 1;
  if (args & has_i)
    repl(L);
  else if (script == argc && !(args & (has_e | has_v))) {
    if (isatty(STDIN_FILENO))
      repl(L);
    else if (dofile(L, NULL) != LUA_OK)  /* as "-" (lua.c ignores it) */
      return 1;
  }
  lua_pushinteger(L, EXIT_SUCCESS);
  return 1;
}

int main(int argc, char **argv) {
  int status, result;
  lua_State *L = luaL_newstate();
  if (argv[0] != NULL && argv[0][0] != '\0')
    host_setprogname(argv[0]);
  if (L == NULL) {
    host_message(host_progname(), "cannot create state: not enough memory");
    return EXIT_FAILURE;
  }
  lua_gc(L, LUA_GCSTOP);  /* until the libraries are in */
  lua_pushcfunction(L, pmain);
  lua_pushinteger(L, argc);
  lua_pushlightuserdata(L, argv);
  status = lua_pcall(L, 2, 1, 0);
  result = status == LUA_OK ? (int)lua_tointeger(L, -1) : EXIT_FAILURE;
  host_report(L, status);
  lua_close(L);
  return result;
}

/* }================================================================== */
