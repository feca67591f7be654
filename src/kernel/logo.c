/*
** logo.c: slope's logo, drawn at any size: a valley (a loss curve) in
** white on a rounded blue square, orange steps of a descent running down
** its left side to a ball at the minimum. Antialiased by supersampling.
*/
#include "config.h"

#include <math.h>
#include <stdlib.h>

#define SLOPE_KERNEL_INTERNAL
#include "kernel.h"

#define SAMPLES 4  /* per axis and pixel */

struct rgba {
  double r, g, b, a;
};

/* The curve v = f(u) in unit coordinates, v down. */
static double curve(double u) {
  return 0.74 - 2.0 * (u - 0.56) * (u - 0.56);
}

static double slope_at(double u) {
  return -4.0 * (u - 0.56);
}

/* Is (u, v) inside the square with corners rounded by radius r? */
static int in_rounded(double u, double v, double m, double r) {
  double cu = u < m + r ? m + r : u > 1 - m - r ? 1 - m - r : u;
  double cv = v < m + r ? m + r : v > 1 - m - r ? 1 - m - r : v;
  if (u < m || u > 1 - m || v < m || v > 1 - m)
    return 0;
  return (u - cu) * (u - cu) + (v - cv) * (v - cv) <= r * r;
}

static int in_disc(double u, double v, double cu, double cv, double r) {
  return (u - cu) * (u - cu) + (v - cv) * (v - cv) <= r * r;
}

/* The colour at one sample point. */
static struct rgba sample(double u, double v) {
  static const struct rgba clear = {0, 0, 0, 0},
                           blue = {0.10, 0.23, 0.40, 1},
                           white = {0.96, 0.97, 1.0, 1},
                           orange = {1.0, 0.58, 0.12, 1},
                           amber = {1.0, 0.76, 0.35, 1};
  static const double steps[3] = {0.17, 0.30, 0.42};
  double d;
  int i;
  if (!in_rounded(u, v, 0.02, 0.2))
    return clear;
  if (in_disc(u, v, 0.56, curve(0.56) - 0.085, 0.085))
    return orange;
  for (i = 0; i < 3; i++)
    if (in_disc(u, v, steps[i], curve(steps[i]) - 0.045, 0.045))
      return amber;
  d = fabs(v - curve(u)) / sqrt(1 + slope_at(u) * slope_at(u));
  if (d < 0.035 && u > 0.08 && u < 0.94)
    return white;
  return blue;
}

unsigned char *kernel_logo(int size) {
  unsigned char *img = malloc(4 * (size_t)size * (size_t)size);
  int x, y, sx, sy;
  if (img == NULL)
    return NULL;
  for (y = 0; y < size; y++)
    for (x = 0; x < size; x++) {
      struct rgba acc = {0, 0, 0, 0};
      unsigned char *px = img + 4 * ((size_t)y * (size_t)size + (size_t)x);
      for (sy = 0; sy < SAMPLES; sy++)
        for (sx = 0; sx < SAMPLES; sx++) {
          struct rgba c = sample((x + (sx + 0.5) / SAMPLES) / size,
                                 (y + (sy + 0.5) / SAMPLES) / size);
          acc.r += c.r * c.a;  /* premultiplied, then averaged */
          acc.g += c.g * c.a;
          acc.b += c.b * c.a;
          acc.a += c.a;
        }
      if (acc.a > 0) {
        px[0] = (unsigned char)(255 * acc.r / acc.a + 0.5);
        px[1] = (unsigned char)(255 * acc.g / acc.a + 0.5);
        px[2] = (unsigned char)(255 * acc.b / acc.a + 0.5);
      }
      else
        px[0] = px[1] = px[2] = 0;
      px[3] = (unsigned char)(255 * acc.a / (SAMPLES * SAMPLES) + 0.5);
    }
  return img;
}
