/*
** msg.c: Jupyter messages on the wire. A message is
**   identities..., "<IDS|MSG>", signature, header, parent_header,
**   metadata, content, buffers...
** where the signature is the hex HMAC-SHA256 of the four JSON parts under
** the connection file's key (empty when there is no key). A message whose
** signature does not match is never decoded further.
*/
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/time.h>
#include <time.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "msg.h"

#define DELIMITER "<IDS|MSG>"
#define DIGEST_LEN 32  /* SHA-256 */

/*
** {==================================================================
** Keys, signatures, identifiers
** ===================================================================
*/

int msg_auth_init(struct msg_auth *a, const char *scheme, const char *key) {
  a->key = NULL;
  a->keylen = 0;
  msg_uuid(a->session);
  if (key == NULL || key[0] == '\0')
    return 0;  /* no key: messages go unsigned */
  if (scheme != NULL && strcmp(scheme, "hmac-sha256") != 0)
    return -1;
  a->keylen = strlen(key);
  a->key = malloc(a->keylen);
  if (a->key == NULL)
    return -1;
  memcpy(a->key, key, a->keylen);
  return 0;
}

void msg_auth_free(struct msg_auth *a) {
  if (a->key != NULL) {
    OPENSSL_cleanse(a->key, a->keylen);
    free(a->key);
  }
  a->key = NULL;
  a->keylen = 0;
}

/* The hex signature of the n parts into hex (2 * DIGEST_LEN + 1 bytes);
** "" without a key. 0, or -1 when OpenSSL fails. */
static int sign(const struct msg_auth *a, const void *const *part,
                const size_t *len, int n, char *hex) {
  static const char digits[] = "0123456789abcdef";
  unsigned char mac[DIGEST_LEN];
  size_t maclen = 0;
  int i, ok = 0;
  EVP_MAC *hmac;
  EVP_MAC_CTX *ctx = NULL;
  OSSL_PARAM params[2];
  hex[0] = '\0';
  if (a->key == NULL)
    return 0;
  hmac = EVP_MAC_fetch(NULL, "HMAC", NULL);
  if (hmac != NULL)
    ctx = EVP_MAC_CTX_new(hmac);
  params[0] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST,
                                               (char *)"SHA256", 0);
  params[1] = OSSL_PARAM_construct_end();
  if (ctx != NULL && EVP_MAC_init(ctx, a->key, a->keylen, params)) {
    ok = 1;
    for (i = 0; i < n && ok; i++)
      ok = EVP_MAC_update(ctx, part[i], len[i]);
    ok = ok && EVP_MAC_final(ctx, mac, &maclen, sizeof mac)
         && maclen == DIGEST_LEN;
  }
  EVP_MAC_CTX_free(ctx);
  EVP_MAC_free(hmac);
  if (!ok)
    return -1;
  for (i = 0; i < DIGEST_LEN; i++) {
    hex[2 * i] = digits[mac[i] >> 4];
    hex[2 * i + 1] = digits[mac[i] & 15];
  }
  hex[2 * DIGEST_LEN] = '\0';
  return 0;
}

void msg_uuid(char out[37]) {
  unsigned char b[16];
  size_t got = 0;
  while (got < sizeof b) {
    ssize_t r = getrandom(b + got, sizeof b - got, 0);
    if (r > 0)
      got += (size_t)r;
    else if (r < 0 && errno != EINTR) {  /* no entropy source: a weak id */
      struct timeval tv;
      size_t i;
      gettimeofday(&tv, NULL);
      srand((unsigned)(tv.tv_sec ^ tv.tv_usec));
      for (i = got; i < sizeof b; i++)
        b[i] = (unsigned char)rand();
      break;
    }
  }
  b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);  /* version 4 */
  b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);  /* RFC 4122 variant */
  snprintf(out, 37,
           "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
           "%02x%02x%02x%02x%02x%02x",
           b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9],
           b[10], b[11], b[12], b[13], b[14], b[15]);
}

/* The current time in ISO 8601, UTC, with microseconds. */
static void isodate(char *out, size_t size) {
  struct timeval tv;
  struct tm tm;
  char base[32];
  gettimeofday(&tv, NULL);
  gmtime_r(&tv.tv_sec, &tm);
  strftime(base, sizeof base, "%Y-%m-%dT%H:%M:%S", &tm);
  snprintf(out, size, "%s.%06ldZ", base, (long)tv.tv_usec);
}

/* Length of the valid UTF-8 sequence at s (at most n bytes), or 0. */
static size_t utf8_seq(const unsigned char *s, size_t n) {
  size_t len, i;
  unsigned long c;
  if (s[0] < 0x80)
    return 1;
  if (s[0] >= 0xc2 && s[0] <= 0xdf) {
    len = 2;
    c = s[0] & 0x1f;
  }
  else if (s[0] >= 0xe0 && s[0] <= 0xef) {
    len = 3;
    c = s[0] & 0x0f;
  }
  else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
    len = 4;
    c = s[0] & 0x07;
  }
  else
    return 0;
  if (len > n)
    return 0;
  for (i = 1; i < len; i++) {
    if ((s[i] & 0xc0) != 0x80)
      return 0;
    c = (c << 6) | (s[i] & 0x3f);
  }
  if ((len == 3 && (c < 0x800 || (c >= 0xd800 && c <= 0xdfff)))
      || (len == 4 && (c < 0x10000 || c > 0x10ffff)))
    return 0;
  return len;
}

json_t *msg_text(const char *s, size_t len) {
  const unsigned char *u = (const unsigned char *)s;
  size_t i = 0, o = 0;
  char *clean;
  json_t *j;
  while (i < len) {  /* the common case: valid as it is */
    size_t l = utf8_seq(u + i, len - i);
    if (l == 0 || (l == 1 && u[i] == 0))
      break;
    i += l;
  }
  if (i == len)
    return json_stringn(s, len);
  clean = malloc(3 * len + 1);  /* each bad byte becomes 3 */
  if (clean == NULL)
    return NULL;
  for (i = 0; i < len;) {
    size_t l = utf8_seq(u + i, len - i);
    if (l == 0 || (l == 1 && u[i] == 0)) {
      memcpy(clean + o, "\xef\xbf\xbd", 3);
      o += 3;
      i++;
    }
    else {
      memcpy(clean + o, s + i, l);
      o += l;
      i += l;
    }
  }
  j = json_stringn(clean, o);
  free(clean);
  return j;
}

/* }================================================================== */


/*
** {==================================================================
** Frames
** ===================================================================
*/

static int frames_grow(struct msg_frames *f) {
  if (f->n == f->cap) {
    size_t cap = f->cap ? 2 * f->cap : 8;
    zmq_msg_t *p = realloc(f->part, cap * sizeof *p);
    if (p == NULL)
      return -1;
    f->part = p;
    f->cap = cap;
  }
  return 0;
}

/* Append a copy of the bytes as a part. */
static int frames_add(struct msg_frames *f, const void *data, size_t len) {
  if (frames_grow(f) != 0 || zmq_msg_init_size(&f->part[f->n], len) != 0)
    return -1;
  if (len > 0)
    memcpy(zmq_msg_data(&f->part[f->n]), data, len);
  f->n++;
  return 0;
}

void msg_frames_free(struct msg_frames *f) {
  size_t i;
  for (i = 0; i < f->n; i++)
    zmq_msg_close(&f->part[i]);
  free(f->part);
  f->part = NULL;
  f->n = f->cap = 0;
}

int msg_frames_recv(void *sock, struct msg_frames *f) {
  int more = 1;
  f->part = NULL;
  f->n = f->cap = 0;
  while (more) {
    if (frames_grow(f) != 0) {
      msg_frames_free(f);
      errno = ENOMEM;
      return -1;
    }
    zmq_msg_init(&f->part[f->n]);
    if (zmq_msg_recv(&f->part[f->n], sock, 0) < 0) {
      int e = errno;
      zmq_msg_close(&f->part[f->n]);
      if (e == EINTR && f->n > 0)
        continue;  /* the rest of a message is already here */
      msg_frames_free(f);
      errno = e;
      return -1;
    }
    more = zmq_msg_more(&f->part[f->n]);
    f->n++;
  }
  return 0;
}

int msg_frames_send(void *sock, struct msg_frames *f) {
  size_t i;
  int status = 0;
  for (i = 0; i < f->n; i++) {
    int flags = i + 1 < f->n ? ZMQ_SNDMORE : 0;
    while (status == 0 && zmq_msg_send(&f->part[i], sock, flags) < 0) {
      if (errno != EINTR)
        status = -1;
    }
  }
  msg_frames_free(f);  /* sent parts are empty now; close them all */
  return status;
}

/* }================================================================== */


/*
** {==================================================================
** Messages
** ===================================================================
*/

static json_t *parse_part(zmq_msg_t *p) {
  json_t *j = json_loadb(zmq_msg_data(p), zmq_msg_size(p), 0, NULL);
  if (j != NULL && !json_is_object(j)) {
    json_decref(j);
    j = NULL;
  }
  return j;
}

int msg_decode(const struct msg_auth *a, struct msg_frames *f,
               struct msg *m, char *why, size_t whysize) {
  size_t d, i;
  const void *part[4];
  size_t len[4];
  char hex[2 * DIGEST_LEN + 1];
  zmq_msg_t *sig;
  json_t *type;
  memset(m, 0, sizeof *m);
  m->frames = *f;
  f->part = NULL;
  f->n = f->cap = 0;
  for (d = 0; d < m->frames.n; d++) {
    zmq_msg_t *p = &m->frames.part[d];
    if (zmq_msg_size(p) == sizeof DELIMITER - 1
        && memcmp(zmq_msg_data(p), DELIMITER, sizeof DELIMITER - 1) == 0)
      break;
  }
  if (d + 6 > m->frames.n) {
    snprintf(why, whysize, "no delimiter or too few parts");
    return -1;
  }
  m->nidents = d;
  for (i = 0; i < 4; i++) {
    part[i] = zmq_msg_data(&m->frames.part[d + 2 + i]);
    len[i] = zmq_msg_size(&m->frames.part[d + 2 + i]);
  }
  if (sign(a, part, len, 4, hex) != 0) {
    snprintf(why, whysize, "cannot compute the signature");
    return -1;
  }
  sig = &m->frames.part[d + 1];
  if (zmq_msg_size(sig) != strlen(hex)
      || CRYPTO_memcmp(zmq_msg_data(sig), hex, strlen(hex)) != 0) {
    snprintf(why, whysize, "bad signature");
    return -1;
  }
  m->header = parse_part(&m->frames.part[d + 2]);
  m->parent = parse_part(&m->frames.part[d + 3]);
  m->metadata = parse_part(&m->frames.part[d + 4]);
  m->content = parse_part(&m->frames.part[d + 5]);
  if (m->header == NULL || m->parent == NULL || m->metadata == NULL
      || m->content == NULL) {
    snprintf(why, whysize, "a part is not a JSON object");
    return -1;
  }
  type = json_object_get(m->header, "msg_type");
  if (!json_is_string(type)) {
    snprintf(why, whysize, "no msg_type in the header");
    return -1;
  }
  m->type = json_string_value(type);
  return 0;
}

int msg_recv(void *sock, const struct msg_auth *a, struct msg *m,
             char *why, size_t whysize) {
  struct msg_frames f;
  memset(m, 0, sizeof *m);
  if (msg_frames_recv(sock, &f) != 0)
    return -1;
  return msg_decode(a, &f, m, why, whysize) == 0 ? 0 : -2;
}

void msg_free(struct msg *m) {
  msg_frames_free(&m->frames);
  json_decref(m->header);
  json_decref(m->parent);
  json_decref(m->metadata);
  json_decref(m->content);
  memset(m, 0, sizeof *m);
}

int msg_send(void *sock, const struct msg_auth *a, const struct msg *parent,
             const char *topic, const char *type, json_t *content) {
  char id[37], date[40], hex[2 * DIGEST_LEN + 1];
  char *text[4] = {NULL, NULL, NULL, NULL};
  const void *part[4];
  size_t len[4], i;
  json_t *header;
  struct msg_frames f = {NULL, 0, 0};
  int status = -1;
  if (content == NULL)
    content = json_object();
  msg_uuid(id);
  isodate(date, sizeof date);
  header = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "msg_id", id,
                     "session", a->session, "username", "slope", "date",
                     date, "msg_type", type, "version",
                     MSG_PROTOCOL_VERSION);
  if (header != NULL && content != NULL) {
    text[0] = json_dumps(header, JSON_COMPACT);
    text[1] = parent != NULL && parent->header != NULL
                  ? json_dumps(parent->header, JSON_COMPACT)
                  : strdup("{}");
    text[2] = strdup("{}");
    text[3] = json_dumps(content, JSON_COMPACT);
  }
  if (text[0] && text[1] && text[2] && text[3]) {
    for (i = 0; i < 4; i++) {
      part[i] = text[i];
      len[i] = strlen(text[i]);
    }
    status = sign(a, part, len, 4, hex);
  }
  if (status == 0) {
    if (topic != NULL)
      status = frames_add(&f, topic, strlen(topic));
    else if (parent != NULL)
      for (i = 0; i < parent->nidents && status == 0; i++)
        status = frames_add(&f, zmq_msg_data(&parent->frames.part[i]),
                            zmq_msg_size(&parent->frames.part[i]));
    if (status == 0)
      status = frames_add(&f, DELIMITER, sizeof DELIMITER - 1);
    if (status == 0)
      status = frames_add(&f, hex, strlen(hex));
    for (i = 0; i < 4 && status == 0; i++)
      status = frames_add(&f, text[i], len[i]);
  }
  if (status == 0)
    status = msg_frames_send(sock, &f);
  msg_frames_free(&f);
  for (i = 0; i < 4; i++)
    free(text[i]);
  json_decref(header);
  json_decref(content);
  return status;
}

/* }================================================================== */
