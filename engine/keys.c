/* SPDX-License-Identifier: GPL-3.0-or-later */
/* keys.c: API keys — created with libsodium's random bytes, stored as a
 * BLAKE2b hash (the only home of libsodium). A key reads
 * "jb_<id>_<secret>": the id finds the row, the secret is hashed and compared
 * in constant time. Secrets are 32 random bytes, so a fast hash is enough:
 * there is nothing to brute-force that a slow hash would protect. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "common/jb_time.h"
#include "engine/engine_int.h"
#include "engine/record.h"

#define HASH_LEN crypto_generichash_BYTES /* 32 */
#define SECRET_BYTES 32

static const char *const ROLES[] = {"admin", "officer", "enterprise", "researcher", NULL};

static int sodium_ready(jb_engine *e) {
  if (sodium_init() < 0)
    return jb__eset(e, JB_EINTERNAL, "libsodium could not be initialised");
  return JB_OK;
}

/* hash of the secret, keyed by nothing, salted with the id */
static void key_hash(const char *id, const char *secret, size_t slen, unsigned char *out) {
  crypto_generichash_state st;
  crypto_generichash_init(&st, NULL, 0, HASH_LEN);
  crypto_generichash_update(&st, (const unsigned char *)id, strlen(id));
  crypto_generichash_update(&st, (const unsigned char *)"\0", 1);
  crypto_generichash_update(&st, (const unsigned char *)secret, slen);
  crypto_generichash_final(&st, out, HASH_LEN);
}

static void fill_info(jb_key_info *info, const char *id, const char *role, const char *org) {
  snprintf(info->id, sizeof info->id, "%s", id);
  snprintf(info->role, sizeof info->role, "%s", role);
  snprintf(info->org, sizeof info->org, "%s", org ? org : "");
}

/* How stale a recorded use may get: one write per key per minute at most. */
#define TOUCH_SECONDS 60

int jb_engine_key_create(jb_engine *e, const char *role, const char *org, jb_key_info *info,
                         char **secret) {
  if (!e || !secret)
    return JB_EINVAL;
  *secret = NULL;
  e->err[0] = '\0';
  if (e->o.readonly)
    return JB__EM(e, JB_EPERM, NULL, read_only);
  int known = 0;
  for (int i = 0; role && ROLES[i]; i++)
    known |= !strcmp(role, ROLES[i]);
  if (!known)
    return JB__EM(e, JB_EINVAL, "role", must_be_role);
  if (!org && (!strcmp(role, "enterprise") || !strcmp(role, "researcher")))
    return JB__EM(e, JB_EINVAL, "org", key_needs_org, role);
  if (org && strlen(org) > 128)
    return JB__EM(e, JB_EINVAL, "org", too_long);
  if (org && jb__store_exists(e->st, JB_REC_ORG, org) != 1)
    return JB__EM(e, JB_ENOENT, "org", no_org, org);
  int rc = sodium_ready(e);
  if (rc != JB_OK)
    return rc;
  unsigned char idb[8], sb[SECRET_BYTES], hash[HASH_LEN];
  char id[24], sec[sodium_base64_ENCODED_LEN(SECRET_BYTES, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];
  randombytes_buf(idb, sizeof idb);
  randombytes_buf(sb, sizeof sb);
  id[0] = 'k';
  sodium_bin2hex(id + 1, sizeof id - 1, idb, sizeof idb);
  sodium_bin2base64(sec, sizeof sec, sb, sizeof sb, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  sodium_memzero(sb, sizeof sb);
  key_hash(id, sec, strlen(sec), hash);
  if ((rc = jb__store_key_add(e->st, id, hash, sizeof hash, role, org, (int64_t)time(NULL))) !=
      JB_OK) {
    sodium_memzero(sec, sizeof sec);
    return jb__eset_store(e, rc);
  }
  size_t n = 3 + strlen(id) + 1 + strlen(sec) + 1;
  char *out = malloc(n);
  if (!out) {
    sodium_memzero(sec, sizeof sec);
    return JB_ENOMEM;
  }
  snprintf(out, n, "jb_%s_%s", id, sec);
  sodium_memzero(sec, sizeof sec);
  if (info)
    fill_info(info, id, role, org);
  *secret = out;
  return JB_OK;
}

int jb_engine_key_check(jb_engine *e, const char *key, size_t len, jb_key_info *info) {
  if (!e || !key || !info)
    return JB_EINVAL;
  memset(info, 0, sizeof *info);
  /* jb_ + k + 16 hex + _ + 43 base64url */
  if (len != 3 + 17 + 1 + 43 || memcmp(key, "jb_k", 4) != 0 || key[20] != '_')
    return JB_EPERM;
  char id[24];
  memcpy(id, key + 3, 17);
  id[17] = '\0';
  for (int i = 1; i < 17; i++)
    if (!((id[i] >= '0' && id[i] <= '9') || (id[i] >= 'a' && id[i] <= 'f')))
      return JB_EPERM;
  if (sodium_ready(e) != JB_OK)
    return JB_EINTERNAL;
  unsigned char want[HASH_LEN], got[HASH_LEN];
  jb_key_row row;
  int rc = jb__store_key_get(e->st, id, want, sizeof want, &row);
  if (rc == JB_ENOENT)
    return JB_EPERM;
  if (rc != JB_OK) {
    free(row.org);
    return jb__eset_store(e, rc);
  }
  key_hash(id, key + 21, 43, got);
  int ok = sodium_memcmp(want, got, sizeof want) == 0 && !row.revoked_at;
  if (ok) {
    fill_info(info, id, row.role, row.org);
    info->created_at = row.created_at;
    info->last_used_at = row.last_used_at;
    int64_t now = (int64_t)time(NULL);
    info->stale_use = row.last_used_at == 0 || now - row.last_used_at >= TOUCH_SECONDS ||
                      now < row.last_used_at;
  }
  free(row.org);
  return ok ? JB_OK : JB_EPERM;
}

int jb_engine_key_touch(jb_engine *e, const char *id) {
  if (!e || !id)
    return JB_EINVAL;
  e->err[0] = '\0';
  if (e->o.readonly)
    return JB__EM(e, JB_EPERM, NULL, read_only);
  int rc = jb__store_key_touch(e->st, id, (int64_t)time(NULL));
  return rc == JB_OK ? JB_OK : jb__eset_store(e, rc);
}

/* a time of the key's row, RFC 3339, or null for never */
static json_t *key_time(int64_t t) {
  char ts[JB_RFC3339_LEN];
  return t ? json_string(jb_time_rfc3339(t, ts)) : json_null();
}

/* what anyone allowed to list keys sees of one: never the hash */
static json_t *key_json(const jb_key_row *r) {
  return json_pack("{s:s,s:s,s:o,s:o,s:o,s:o,s:b}", "id", r->id, "role", r->role, "org",
                   r->org ? json_string(r->org) : json_null(), "created_at",
                   key_time(r->created_at), "last_used_at", key_time(r->last_used_at),
                   "revoked_at", key_time(r->revoked_at), "revoked", r->revoked_at != 0);
}

static int list_one(void *ctx, const jb_key_row *row) {
  json_t *k = key_json(row);
  return k && json_array_append_new(ctx, k) == 0 ? 0 : JB_ENOMEM;
}

int jb_engine_key_list(jb_engine *e, char **json) {
  if (!e || !json)
    return JB_EINVAL;
  *json = NULL;
  e->err[0] = '\0';
  json_t *arr = json_array();
  int rc = arr ? jb__store_key_foreach(e->st, list_one, arr) : JB_ENOMEM;
  if (rc != JB_OK && rc != JB_ENOMEM)
    jb__eset_store(e, rc);
  if (rc == JB_OK && !(*json = json_dumps(arr, JSON_COMPACT)))
    rc = JB_ENOMEM;
  json_decref(arr);
  return rc;
}

int jb_engine_key_get(jb_engine *e, const char *id, char **json) {
  if (!e || !id || !json)
    return JB_EINVAL;
  *json = NULL;
  e->err[0] = '\0';
  unsigned char hash[HASH_LEN];
  jb_key_row row;
  int rc = jb__store_key_get(e->st, id, hash, sizeof hash, &row);
  sodium_memzero(hash, sizeof hash);
  if (rc == JB_ENOENT)
    rc = JB__EM(e, JB_ENOENT, NULL, no_key, id);
  else if (rc != JB_OK)
    rc = jb__eset_store(e, rc);
  json_t *k = rc == JB_OK ? key_json(&row) : NULL;
  free(row.org);
  if (rc == JB_OK && (!k || !(*json = json_dumps(k, JSON_COMPACT))))
    rc = JB_ENOMEM;
  json_decref(k);
  return rc;
}

int jb_engine_key_revoke(jb_engine *e, const char *id) {
  if (!e || !id)
    return JB_EINVAL;
  e->err[0] = '\0';
  if (e->o.readonly)
    return JB__EM(e, JB_EPERM, NULL, read_only);
  int rc = jb__store_key_revoke(e->st, id, (int64_t)time(NULL));
  if (rc != JB_OK)
    return jb__eset_store(e, rc);
  return JB_OK;
}

void jb__sha256_hex(const void *data, size_t len, char out[65]) {
  unsigned char h[crypto_hash_sha256_BYTES];
  if (sodium_init() < 0) { /* cannot happen once it has worked; never hash with it uninitialised */
    memset(out, '!', 64);
    out[64] = '\0';
    return;
  }
  crypto_hash_sha256(h, data, len);
  sodium_bin2hex(out, 65, h, sizeof h);
}

/* ---- webhooks: random ids and secrets, signatures (docs/webhooks.md) ------------------ */

int jb__random_hex(char *out, size_t nbytes) {
  if (sodium_init() < 0)
    return JB_EINTERNAL;
  unsigned char b[64];
  if (nbytes > sizeof b)
    return JB_EINVAL;
  randombytes_buf(b, nbytes);
  sodium_bin2hex(out, nbytes * 2 + 1, b, nbytes);
  sodium_memzero(b, sizeof b);
  return JB_OK;
}

int jb_hook_sign(const char *secret, int64_t timestamp, const char *body, size_t len,
                 char hex[65]) {
  if (!secret || !body || !hex)
    return JB_EINVAL;
  if (sodium_init() < 0)
    return JB_EINTERNAL;
  crypto_auth_hmacsha256_state st;
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  char ts[24];
  int n = snprintf(ts, sizeof ts, "%lld.", (long long)timestamp);
  crypto_auth_hmacsha256_init(&st, (const unsigned char *)secret, strlen(secret));
  crypto_auth_hmacsha256_update(&st, (const unsigned char *)ts, (unsigned long long)n);
  crypto_auth_hmacsha256_update(&st, (const unsigned char *)body, (unsigned long long)len);
  crypto_auth_hmacsha256_final(&st, mac);
  sodium_bin2hex(hex, 65, mac, sizeof mac);
  sodium_memzero(&st, sizeof st);
  return JB_OK;
}
