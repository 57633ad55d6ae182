/* SPDX-License-Identifier: GPL-3.0-or-later */
// xapian_shim.cc: the C API of xapian_shim.h over Xapian — the term and key
// rules (xapian_int.h), databases and documents. Queries and search are
// xapian_search.cc, expand sets xapian_expand.cc. Every entry point is
// noexcept and catches everything.
#include <xapian.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <new>
#include <string>

#include "index/xapian_int.h"
#include "index/xapian_shim.h"

namespace jbx {

void set_err(std::string *err, const char *what) noexcept {
  if (!err)
    return;
  try {
    *err = what;
  } catch (...) {
  }
}

int fail(std::string *err, int rc, const char *msg) {
  if (err)
    *err = msg;
  return rc;
}

void copy_err(const std::string &e, char *buf, size_t len) noexcept {
  if (buf && len) {
    size_t n = std::min(e.size(), len - 1);
    memcpy(buf, e.data(), n);
    buf[n] = '\0';
  }
}

// Ends an open: hands ix out on success, else copies its message and frees it.
static int finish_open(jb_index *ix, int rc, jb_index **out, char *err, size_t errlen) noexcept {
  if (rc != JB_OK) {
    copy_err(ix->err, err, errlen);
    delete ix;
    return rc;
  }
  *out = ix;
  return JB_OK;
}

bool valid_field(const char *f) {
  return f && f[0] >= 'A' && f[0] <= 'Z' && f[0] != 'Q' && f[0] != 'X' && f[0] != 'Z' &&
         f[1] == '\0';
}

bool valid_filter_prefix(const char *p) {
  if (!p || p[0] != 'X')
    return false;
  size_t n = strlen(p);
  if (n < 2 || n > 4)
    return false;
  for (size_t i = 1; i < n; i++)
    if (p[i] < 'A' || p[i] > 'Z')
      return false;
  return true;
}

bool valid_type(const char *t) {
  if (!t)
    return false;
  size_t n = strlen(t);
  if (n < 1 || n > 32)
    return false;
  for (size_t i = 0; i < n; i++)
    if (!((t[i] >= 'a' && t[i] <= 'z') || t[i] == '_'))
      return false;
  return true;
}

// Any non-empty id up to JB_IX_MAX_ID bytes: the index holds whatever the
// store holds (a long id's term is hashed, see id_term).
bool valid_id(const char *id) {
  if (!id)
    return false;
  size_t n = strnlen(id, JB_IX_MAX_ID + 1);
  return n >= 1 && n <= JB_IX_MAX_ID;
}

// Applies the long-term rule of the header.
static void limit_term(std::string &s) {
  if (s.size() <= JB_IX_MAX_TERM)
    return;
  uint32_t h = 2166136261u;
  for (unsigned char c : s)
    h = (h ^ c) * 16777619u;
  size_t cut = JB_IX_MAX_TERM - 9;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80)
    cut--;
  char tail[16];
  snprintf(tail, sizeof tail, "#%08x", h);
  s.resize(cut);
  s += tail;
}

// The database term of (field, kind, text); false when the arguments are bad.
bool make_term(const char *field, int kind, const char *text, size_t len, std::string &out) {
  if (!valid_field(field) || !text || len == 0 || memchr(text, '\0', len))
    return false;
  out.clear();
  switch (kind) {
  case JB_IX_WORD:
    out += field;
    break;
  case JB_IX_BIGRAM:
    out += field;
    out += 'B';
    break;
  case JB_IX_STEM:
    out += 'Z';
    out += field;
    break;
  case JB_IX_PINYIN:
    out += field;
    out += 'Y';
    break;
  default:
    return false;
  }
  out.append(text, len);
  limit_term(out);
  return true;
}

// Splits a database term into field, kind and text; false for id and filter
// terms.
bool parse_term(const std::string &t, char &field, int &kind, std::string &text) {
  if (t.size() < 2)
    return false;
  size_t at;
  if (t[0] == 'Z') {
    field = t[1];
    kind = JB_IX_STEM;
    at = 2;
  } else {
    field = t[0];
    kind = JB_IX_WORD;
    at = 1;
    if (t.size() > 2 && t[1] == 'B') {
      kind = JB_IX_BIGRAM;
      at = 2;
    } else if (t.size() > 2 && t[1] == 'Y') {
      kind = JB_IX_PINYIN;
      at = 2;
    }
  }
  if (field < 'A' || field > 'Z' || field == 'Q' || field == 'X' || field == 'Z' || at >= t.size())
    return false;
  text = t.substr(at);
  return true;
}

// A key term (an id term or a filter term) longer than JB_IX_MAX_TERM bytes
// is cut at a UTF-8 boundary and ends in "#" and the 16 hex digits of the
// 64-bit FNV-1a hash of the whole term: a document's key must not collide as
// easily as a text term may. Ids and filter values of up to 200 bytes never
// reach the cut, so their terms are what they always were.
static void limit_key(std::string &s) {
  if (s.size() <= JB_IX_MAX_TERM)
    return;
  uint64_t h = 14695981039346656037ull;
  for (unsigned char c : s)
    h = (h ^ c) * 1099511628211ull;
  size_t cut = JB_IX_MAX_TERM - 17;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80)
    cut--;
  char tail[24];
  snprintf(tail, sizeof tail, "#%016llx", static_cast<unsigned long long>(h));
  s.resize(cut);
  s += tail;
}

std::string id_term(const char *type, const char *id) {
  std::string s = "Q";
  s += type;
  s += ':';
  s += id;
  limit_key(s);
  return s;
}

std::string filter_term(const char *prefix, const char *value, size_t len) {
  std::string s = prefix;
  s += ':';
  s.append(value, len);
  limit_key(s);
  return s;
}

static bool is_remote(const std::string &w, std::string &host, unsigned &port) {
  if (w.find('/') != std::string::npos)
    return false;
  size_t c = w.rfind(':');
  if (c == std::string::npos || c == 0 || c + 1 >= w.size())
    return false;
  char *end;
  long p = strtol(w.c_str() + c + 1, &end, 10);
  if (*end || p <= 0 || p > 65535)
    return false;
  host = w.substr(0, c);
  port = static_cast<unsigned>(p);
  return true;
}

} // namespace jbx

using namespace jbx;

extern "C" {

int jb_ix_term_string(const char *field, int kind, const char *text, size_t len,
                      char *buf, size_t buflen) noexcept {
  return guarded(nullptr, [&]() -> int {
    std::string t;
    if (!make_term(field, kind, text, len, t) || !buf)
      return JB_EINVAL;
    if (t.size() + 1 > buflen)
      return JB_ETOOBIG;
    memcpy(buf, t.c_str(), t.size() + 1);
    return static_cast<int>(t.size());
  });
}

// ---- databases ----------------------------------------------------------------

int jb_index_open_writer(const char *path, jb_index **out, char *err, size_t errlen) noexcept {
  if (out)
    *out = nullptr;
  if (!path || !*path || !out) {
    copy_err("invalid argument", err, errlen);
    return JB_EINVAL;
  }
  jb_index *ix = new (std::nothrow) jb_index;
  if (!ix) {
    copy_err("out of memory", err, errlen);
    return JB_ENOMEM;
  }
  int rc = guarded(&ix->err, [&]() -> int {
    ix->wdb = Xapian::WritableDatabase(path, Xapian::DB_CREATE_OR_OPEN);
    // Work always happens inside an unflushed transaction: nothing reaches
    // the disk but at jb_index_commit, and closing discards the rest.
    ix->wdb.begin_transaction(false);
    ix->writer = true;
    ix->nshards = 1;
    return JB_OK;
  });
  return finish_open(ix, rc, out, err, errlen);
}

int jb_index_open_reader(const char *const *where, size_t n, jb_index **out, char *err,
                         size_t errlen) noexcept {
  if (out)
    *out = nullptr;
  if (!where || n == 0 || !out) {
    copy_err("invalid argument", err, errlen);
    return JB_EINVAL;
  }
  jb_index *ix = new (std::nothrow) jb_index;
  if (!ix) {
    copy_err("out of memory", err, errlen);
    return JB_ENOMEM;
  }
  int rc = guarded(&ix->err, [&]() -> int {
    for (size_t i = 0; i < n; i++) {
      if (!where[i] || !*where[i])
        return fail(&ix->err, JB_EINVAL, "empty database location");
      std::string w = where[i], host;
      unsigned port;
      if (is_remote(w, host, port))
        ix->db.add_database(Xapian::Remote::open(host, port, 10000, 5000));
      else
        ix->db.add_database(Xapian::Database(w));
    }
    ix->nshards = n;
    return JB_OK;
  });
  return finish_open(ix, rc, out, err, errlen);
}

int jb_index_reopen(jb_index *ix) noexcept {
  if (!ix)
    return JB_EINVAL;
  return guarded(&ix->err, [&]() -> int {
    if (!ix->writer)
      ix->db.reopen();
    return JB_OK;
  });
}

void jb_index_close(jb_index *ix) noexcept {
  if (!ix)
    return;
  try {
    if (ix->writer) {
      // cancel the open transaction (what was not committed), release the lock
      ix->wdb.cancel_transaction();
      ix->wdb.close();
    } else {
      ix->db.close();
    }
  } catch (...) {
  }
  delete ix;
}

const char *jb_index_error(const jb_index *ix) noexcept { return ix ? ix->err.c_str() : ""; }

int jb_index_doccount(jb_index *ix, uint64_t *n) noexcept {
  if (!ix || !n)
    return JB_EINVAL;
  return guarded(&ix->err, [&]() -> int {
    *n = ix->rdb().get_doccount();
    return JB_OK;
  });
}

int jb_index_revision(jb_index *ix, uint64_t *rev) noexcept {
  if (!ix || !rev)
    return JB_EINVAL;
  return guarded(&ix->err, [&]() -> int {
    if (ix->nshards != 1)
      return fail(&ix->err, JB_EINVAL, "revision of a reader over several databases");
    *rev = ix->rdb().get_revision();
    return JB_OK;
  });
}

int jb_index_set_meta(jb_index *w, const char *key, const char *value, size_t vlen) noexcept {
  if (!w)
    return JB_EINVAL;
  return guarded(&w->err, [&]() -> int {
    if (!w->writer)
      return fail(&w->err, JB_EINVAL, "metadata set on a reader");
    if (!key || !*key || strlen(key) > 200 || (!value && vlen))
      return fail(&w->err, JB_EINVAL, "invalid metadata key or value");
    w->wdb.set_metadata(key, std::string(value ? value : "", vlen));
    return JB_OK;
  });
}

int jb_index_get_meta(jb_index *ix, const char *key, char **value, size_t *vlen) noexcept {
  if (!ix || !value)
    return JB_EINVAL;
  *value = nullptr;
  return guarded(&ix->err, [&]() -> int {
    if (!key || !*key || strlen(key) > 200)
      return fail(&ix->err, JB_EINVAL, "invalid metadata key");
    std::string v = ix->rdb().get_metadata(key);
    char *p = static_cast<char *>(malloc(v.size() + 1));
    if (!p)
      return JB_ENOMEM;
    memcpy(p, v.data(), v.size());
    p[v.size()] = '\0';
    *value = p;
    if (vlen)
      *vlen = v.size();
    return JB_OK;
  });
}

int jb_index_commit(jb_index *w) noexcept {
  if (!w)
    return JB_EINVAL;
  return guarded(&w->err, [&]() -> int {
    if (!w->writer)
      return fail(&w->err, JB_EINVAL, "commit on a reader");
    w->wdb.commit_transaction();
    w->wdb.commit();
    w->wdb.begin_transaction(false);
    return JB_OK;
  });
}

// ---- documents ------------------------------------------------------------------

int jb_ixdoc_new(jb_ixdoc **out) noexcept { return new_handle(out); }

void jb_ixdoc_free(jb_ixdoc *d) noexcept { delete d; }

int jb_ixdoc_add_terms(jb_ixdoc *d, const char *field, const jb_ix_term *terms, size_t n,
                       unsigned weight, uint32_t pos_offset) noexcept {
  if (!d || (!terms && n) || !valid_field(field) || weight < 1 || weight > 100)
    return JB_EINVAL;
  return guarded(nullptr, [&]() -> int {
    std::string t;
    for (size_t i = 0; i < n; i++)
      if (!make_term(field, terms[i].kind, terms[i].text, terms[i].len, t))
        return JB_EINVAL;
    for (size_t i = 0; i < n; i++) {
      make_term(field, terms[i].kind, terms[i].text, terms[i].len, t);
      d->doc.add_posting(t, terms[i].pos + pos_offset + 1, weight);
    }
    return JB_OK;
  });
}

int jb_ixdoc_add_filter(jb_ixdoc *d, const char *prefix, const char *value) noexcept {
  if (!d || !valid_filter_prefix(prefix) || !value)
    return JB_EINVAL;
  size_t len = strnlen(value, JB_IX_MAX_ID + 1);
  if (len < 1 || len > JB_IX_MAX_ID)
    return JB_EINVAL;
  return guarded(nullptr, [&]() -> int {
    d->doc.add_boolean_term(filter_term(prefix, value, len));
    return JB_OK;
  });
}

int jb_ixdoc_add_filter_path(jb_ixdoc *d, const char *prefix, const char *code,
                             char sep) noexcept {
  if (!d || !valid_filter_prefix(prefix) || !code || !sep)
    return JB_EINVAL;
  size_t len = strlen(code);
  if (len < 1 || len > 200 || code[0] == sep || code[len - 1] == sep)
    return JB_EINVAL;
  return guarded(nullptr, [&]() -> int {
    for (size_t i = 1; i <= len; i++)
      if (i == len || code[i] == sep)
        d->doc.add_boolean_term(filter_term(prefix, code, i));
    return JB_OK;
  });
}

int jb_ixdoc_add_filter_prefixes(jb_ixdoc *d, const char *prefix, const char *code,
                                 const unsigned *lens, size_t nlens) noexcept {
  if (!d || !valid_filter_prefix(prefix) || !code || (!lens && nlens))
    return JB_EINVAL;
  size_t len = strlen(code);
  if (len < 1 || len > 200)
    return JB_EINVAL;
  return guarded(nullptr, [&]() -> int {
    for (size_t i = 0; i < nlens; i++)
      if (lens[i] >= 1 && lens[i] <= len)
        d->doc.add_boolean_term(filter_term(prefix, code, lens[i]));
    return JB_OK;
  });
}

int jb_ixdoc_set_number(jb_ixdoc *d, unsigned slot, double v) noexcept {
  if (!d || slot > JB_IX_MAX_SLOT || std::isnan(v))
    return JB_EINVAL;
  return guarded(nullptr, [&]() -> int {
    d->doc.add_value(slot, Xapian::sortable_serialise(v));
    return JB_OK;
  });
}

int jb_index_put(jb_index *w, const char *type, const char *id, jb_ixdoc *d) noexcept {
  if (!w)
    return JB_EINVAL;
  return guarded(&w->err, [&]() -> int {
    if (!w->writer)
      return fail(&w->err, JB_EINVAL, "put on a reader");
    if (!d || !valid_type(type) || !valid_id(id))
      return fail(&w->err, JB_EINVAL, "invalid document, type or id");
    // The id term and data go on the caller's document for the call and the
    // id term comes off again, so the document can be reused for another id.
    Xapian::Document &doc = d->doc;
    std::string idt = id_term(type, id);
    doc.add_boolean_term(idt);
    std::string data = type;
    data += '\t';
    data += id;
    doc.set_data(data);
    std::string fwd;
    bool has_fwd = w->forward && forward_encode(doc, fwd);
    if (has_fwd)
      doc.add_value(FORWARD_SLOT, fwd);
    auto undo = [&]() {
      if (has_fwd)
        doc.remove_value(FORWARD_SLOT);
      doc.remove_term(idt);
    };
    try {
      w->wdb.replace_document(idt, doc);
    } catch (...) {
      undo();
      throw;
    }
    undo();
    return JB_OK;
  });
}

int jb_index_set_forward(jb_index *w, int on) noexcept {
  if (!w || !w->writer)
    return JB_EINVAL;
  w->forward = on != 0;
  return JB_OK;
}

int jb_index_termfreq(jb_index *ix, const char *field, int kind, const char *text, size_t len,
                      uint64_t *n) noexcept {
  if (n)
    *n = 0;
  if (!ix || !n)
    return JB_EINVAL;
  std::string t;
  int rc = guarded(&ix->err, [&]() -> int {
    if (!make_term(field, kind, text, len, t))
      return fail(&ix->err, JB_EINVAL, "termfreq: invalid field, kind or text");
    return JB_OK;
  });
  if (rc != JB_OK)
    return rc;
  Xapian::doccount f = 0;
  rc = guarded_read(ix, [&]() { f = ix->rdb().get_termfreq(t); });
  if (rc == JB_OK)
    *n = f;
  return rc;
}

int jb_index_has(jb_index *ix, const char *type, const char *id) noexcept {
  if (!ix)
    return JB_EINVAL;
  return guarded(&ix->err, [&]() -> int {
    if (!valid_type(type) || !valid_id(id))
      return fail(&ix->err, JB_EINVAL, "invalid type or id");
    std::string idt = id_term(type, id);
    return ix->rdb().postlist_begin(idt) != ix->rdb().postlist_end(idt) ? 1 : 0;
  });
}

int jb_index_delete(jb_index *w, const char *type, const char *id) noexcept {
  if (!w)
    return JB_EINVAL;
  return guarded(&w->err, [&]() -> int {
    if (!w->writer)
      return fail(&w->err, JB_EINVAL, "delete on a reader");
    if (!valid_type(type) || !valid_id(id))
      return fail(&w->err, JB_EINVAL, "invalid type or id");
    w->wdb.delete_document(id_term(type, id));
    return JB_OK;
  });
}

} // extern "C"
