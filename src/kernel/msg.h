/*
** msg.h: the Jupyter wire format (messaging protocol 5.3) over ZeroMQ:
** identities, the "<IDS|MSG>" delimiter, the HMAC-SHA256 signature, then
** header, parent header, metadata and content as JSON, then buffers.
** Nothing here touches Lua, so every thread may use it.
*/
#ifndef SLOPE_KERNEL_MSG_H
#define SLOPE_KERNEL_MSG_H

#include <stddef.h>

#include <jansson.h>
#include <zmq.h>

#define MSG_PROTOCOL_VERSION "5.3"

/* The key and the session every message is signed and stamped with. */
struct msg_auth {
  unsigned char *key;  /* NULL when the connection file gives no key */
  size_t keylen;
  char session[37];    /* a UUID made at start-up */
};

/* The parts of one multipart ZeroMQ message, as received. */
struct msg_frames {
  zmq_msg_t *part;
  size_t n, cap;
};

/* A decoded message. */
struct msg {
  struct msg_frames frames;  /* the raw parts (identities come first) */
  size_t nidents;            /* parts before the delimiter */
  json_t *header, *parent, *metadata, *content;
  const char *type;          /* header.msg_type */
};

/* Set up auth from the key (copied); 0 on success, -1 when the scheme is
** not hmac-sha256 or memory runs out. */
int msg_auth_init(struct msg_auth *a, const char *scheme, const char *key);
void msg_auth_free(struct msg_auth *a);

/* Receive every part of one multipart message; 0, or -1 with errno set
** by ZeroMQ (EINTR, ETERM, ...). */
int msg_frames_recv(void *sock, struct msg_frames *f);
/* Send the parts as one multipart message and empty f; 0 or -1. */
int msg_frames_send(void *sock, struct msg_frames *f);
void msg_frames_free(struct msg_frames *f);

/* Decode and verify the frames taken from f (f is emptied); 0, or -1 with
** a reason in why (a bad signature, no delimiter, bad JSON). */
int msg_decode(const struct msg_auth *a, struct msg_frames *f,
               struct msg *m, char *why, size_t whysize);
/* msg_frames_recv then msg_decode; -2 for a message that did not decode
** (why says why), -1 for a ZeroMQ error. */
int msg_recv(void *sock, const struct msg_auth *a, struct msg *m,
             char *why, size_t whysize);
void msg_free(struct msg *m);

/*
** Sign and send a message of type type with content (a reference stolen;
** NULL is {}) in reply to parent (its identities and header; NULL for
** none). topic, when not NULL, is the one identity (IOPub). 0 or -1.
*/
int msg_send(void *sock, const struct msg_auth *a, const struct msg *parent,
             const char *topic, const char *type, json_t *content);

/* A new random (version 4) UUID, as text, into out. */
void msg_uuid(char out[37]);

/* A JSON string of the bytes s[0..len), invalid UTF-8 replaced by U+FFFD. */
json_t *msg_text(const char *s, size_t len);

#endif
