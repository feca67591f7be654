/*
** install.c: "slope kernel install [--user] [--prefix P]" writes the
** kernelspec Jupyter starts this program through: kernel.json (argv, name,
** language, interrupts by signal) and the logos, in
** kernels/slope under a Jupyter data directory.
*/
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define SLOPE_KERNEL_INTERNAL
#include "kernel.h"

#define SYSTEM_DIR "/usr/local/share/jupyter"

/* mkdir -p; 0 or -1 with errno. */
static int make_dirs(const char *path) {
  char buf[PATH_MAX];
  size_t i, n = strlen(path);
  if (n == 0 || n >= sizeof buf) {
    errno = ENAMETOOLONG;
    return -1;
  }
  memcpy(buf, path, n + 1);
  for (i = 1; i <= n; i++) {
    if (buf[i] == '/' || buf[i] == '\0') {
      char c = buf[i];
      buf[i] = '\0';
      if (mkdir(buf, 0755) != 0 && errno != EEXIST)
        return -1;
      buf[i] = c;
    }
  }
  return 0;
}

/* The Jupyter data directory of --user: $JUPYTER_DATA_DIR, else
** $XDG_DATA_HOME/jupyter, else ~/.local/share/jupyter. */
static int user_dir(char *out, size_t size) {
  const char *d = getenv("JUPYTER_DATA_DIR"), *home = getenv("HOME");
  if (d != NULL && d[0] != '\0')
    return snprintf(out, size, "%s", d) < (int)size ? 0 : -1;
  d = getenv("XDG_DATA_HOME");
  if (d != NULL && d[0] != '\0')
    return snprintf(out, size, "%s/jupyter", d) < (int)size ? 0 : -1;
  if (home == NULL || home[0] == '\0')
    return -1;
  return snprintf(out, size, "%s/.local/share/jupyter", home) < (int)size
             ? 0
             : -1;
}

static int write_logo(const char *dir, int size) {
  char path[PATH_MAX];
  unsigned char *img = kernel_logo(size);
  int status = -1;
  snprintf(path, sizeof path, "%s/logo-%dx%d.png", dir, size, size);
  if (img != NULL)
    status = kernel_png_write(path, img, size, size);
  free(img);
  if (status != 0)
    fprintf(stderr, "slope kernel install: cannot write %s\n", path);
  return status;
}

int kernel_install(int argc, char **argv) {
  char base[PATH_MAX], dir[PATH_MAX], exe[PATH_MAX], file[PATH_MAX];
  const char *prefix = NULL;
  int user = 0, i;
  ssize_t n;
  json_t *spec;
  for (i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--user") == 0)
      user = 1;
    else if (strcmp(argv[i], "--prefix") == 0 && i + 1 < argc)
      prefix = argv[++i];
    else if (strncmp(argv[i], "--prefix=", 9) == 0)
      prefix = argv[i] + 9;
    else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
      printf("usage: slope kernel install [--user] [--prefix P]\n"
             "\n"
             "Write the Jupyter kernelspec \"slope\" (kernel.json and "
             "logos) to\n"
             SYSTEM_DIR "/kernels/slope, to the user's Jupyter data\n"
             "directory with --user, or to P/share/jupyter/kernels/slope "
             "with\n"
             "--prefix P. Jupyter then lists the kernel \"slope\".\n");
      return EXIT_SUCCESS;
    }
    else {
      fprintf(stderr, "slope kernel install: unexpected argument '%s'\n"
                      "usage: slope kernel install [--user] [--prefix P]\n",
              argv[i]);
      return EXIT_FAILURE;
    }
  }
  if (user && prefix != NULL) {
    fprintf(stderr, "slope kernel install: --user and --prefix exclude "
                    "each other\n");
    return EXIT_FAILURE;
  }
  if (prefix != NULL)
    snprintf(base, sizeof base, "%s/share/jupyter", prefix);
  else if (user) {
    if (user_dir(base, sizeof base) != 0) {
      fprintf(stderr, "slope kernel install: no user data directory "
                      "(HOME is not set)\n");
      return EXIT_FAILURE;
    }
  }
  else
    snprintf(base, sizeof base, "%s", SYSTEM_DIR);
  if (snprintf(dir, sizeof dir, "%s/kernels/slope", base) >= (int)sizeof dir
      || make_dirs(dir) != 0) {
    fprintf(stderr, "slope kernel install: cannot create %s: %s\n", dir,
            strerror(errno));
    return EXIT_FAILURE;
  }
  n = readlink("/proc/self/exe", exe, sizeof exe - 1);
  if (n <= 0) {
    fprintf(stderr, "slope kernel install: cannot find this program: %s\n",
            strerror(errno));
    return EXIT_FAILURE;
  }
  exe[n] = '\0';
  spec = json_pack("{s:[s, s, s, s], s:s, s:s, s:s, s:{s:b}}", "argv", exe,
                   "kernel", "--connection-file", "{connection_file}",
                   "display_name", "slope", "language", "lua",
                   "interrupt_mode", "signal", "metadata", "debugger", 0);
  snprintf(file, sizeof file, "%s/kernel.json", dir);
  if (spec == NULL || json_dump_file(spec, file, JSON_INDENT(1)) != 0) {
    fprintf(stderr, "slope kernel install: cannot write %s\n", file);
    json_decref(spec);
    return EXIT_FAILURE;
  }
  json_decref(spec);
  if (write_logo(dir, 32) != 0 || write_logo(dir, 64) != 0)
    return EXIT_FAILURE;
  printf("Installed the Jupyter kernel slope in %s\n", dir);
  return EXIT_SUCCESS;
}
