/*
** png.c: write an 8-bit RGBA image as a PNG file, with no library: the
** image data goes in stored (uncompressed) deflate blocks, which every
** PNG reader accepts; the kernel's logos are a few kilobytes.
*/
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SLOPE_KERNEL_INTERNAL
#include "kernel.h"

static unsigned long crc_table[256];

static void crc_init(void) {
  unsigned long c;
  int n, k;
  for (n = 0; n < 256; n++) {
    c = (unsigned long)n;
    for (k = 0; k < 8; k++)
      c = c & 1 ? 0xedb88320UL ^ (c >> 1) : c >> 1;
    crc_table[n] = c;
  }
}

static unsigned long crc(unsigned long c, const unsigned char *p, size_t n) {
  size_t i;
  for (i = 0; i < n; i++)
    c = crc_table[(c ^ p[i]) & 0xff] ^ (c >> 8);
  return c;
}

static void be32(unsigned char *p, unsigned long v) {
  p[0] = (unsigned char)(v >> 24);
  p[1] = (unsigned char)(v >> 16);
  p[2] = (unsigned char)(v >> 8);
  p[3] = (unsigned char)v;
}

/* One chunk: length, type, data, CRC of type and data. */
static int chunk(FILE *f, const char *type, const unsigned char *data,
                 size_t n) {
  unsigned char b[4];
  unsigned long c = crc(0xffffffffUL, (const unsigned char *)type, 4);
  c = crc(c, data, n) ^ 0xffffffffUL;
  be32(b, (unsigned long)n);
  if (fwrite(b, 1, 4, f) != 4 || fwrite(type, 1, 4, f) != 4
      || (n > 0 && fwrite(data, 1, n, f) != n))
    return -1;
  be32(b, c);
  return fwrite(b, 1, 4, f) == 4 ? 0 : -1;
}

int kernel_png_write(const char *path, const unsigned char *rgba, int w,
                     int h) {
  size_t row = 4 * (size_t)w + 1, raw = row * (size_t)h;
  size_t blocks = raw / 65535 + 1, size = 2 + raw + 5 * blocks + 4, i, o;
  unsigned long a = 1, b = 0;  /* Adler-32 */
  unsigned char ihdr[13], *z, *p;
  FILE *f;
  int y, status = -1;
  crc_init();
  if ((z = malloc(size)) == NULL)
    return -1;
  p = malloc(raw);
  if (p == NULL) {
    free(z);
    return -1;
  }
  for (y = 0; y < h; y++) {  /* each row: filter type 0, then the pixels */
    p[row * (size_t)y] = 0;
    memcpy(p + row * (size_t)y + 1, rgba + 4 * (size_t)w * (size_t)y, row - 1);
  }
  z[0] = 0x78;  /* deflate, 32K window */
  z[1] = 0x01;
  o = 2;
  for (i = 0; i < raw || i == 0; i += 65535) {
    size_t n = raw - i < 65535 ? raw - i : 65535;
    z[o++] = i + n >= raw ? 1 : 0;  /* BFINAL, stored */
    z[o++] = (unsigned char)(n & 0xff);
    z[o++] = (unsigned char)(n >> 8);
    z[o++] = (unsigned char)(~n & 0xff);
    z[o++] = (unsigned char)((~n >> 8) & 0xff);
    memcpy(z + o, p + i, n);
    o += n;
    if (n == 0)
      break;
  }
  for (i = 0; i < raw; i++) {
    a = (a + p[i]) % 65521;
    b = (b + a) % 65521;
  }
  be32(z + o, (b << 16) | a);
  o += 4;
  be32(ihdr, (unsigned long)w);
  be32(ihdr + 4, (unsigned long)h);
  ihdr[8] = 8;   /* bits per channel */
  ihdr[9] = 6;   /* RGBA */
  ihdr[10] = 0;  /* deflate */
  ihdr[11] = 0;  /* adaptive filters */
  ihdr[12] = 0;  /* no interlace */
  if ((f = fopen(path, "wb")) != NULL) {
    if (fwrite("\x89PNG\r\n\x1a\n", 1, 8, f) == 8
        && chunk(f, "IHDR", ihdr, sizeof ihdr) == 0
        && chunk(f, "IDAT", z, o) == 0 && chunk(f, "IEND", NULL, 0) == 0)
      status = 0;
    if (fclose(f) != 0)
      status = -1;
  }
  free(p);
  free(z);
  return status;
}
