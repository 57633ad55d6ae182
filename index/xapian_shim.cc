/* SPDX-License-Identifier: GPL-3.0-or-later */
// xapian_shim.cc: the C API of xapian_shim.h over Xapian. The only file that
// includes <xapian.h>. Every entry point is noexcept and catches everything.
#include <xapian.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <new>
#include <set>
#include <string>
#include <vector>

#include "index/xapian_shim.h"

struct jb_index {
  Xapian::Database db;          // a reader's database(s)
  Xapian::WritableDatabase wdb; // a writer's database
  bool writer = false;
  size_t nshards = 0;
  std::string err;
  Xapian::Database &rdb() { return writer ? wdb : db; }
};

struct jb_ixdoc {
  Xapian::Document doc;
};

namespace {

struct Item {
  std::string term;                // single-term item
  std::vector<std::string> phrase; // phrase item
  double weight = 0;
  bool required = false;
};

struct Group {
  int g; // jb_ix_group
  std::vector<std::string> terms;
};

struct Range {
  unsigned slot;
  double lo, hi;
};

struct Hit {
  std::string type, id;
  double score;
  size_t rank;
  std::vector<int> matched;
};

} // namespace

struct jb_ixquery {
  std::vector<Item> items;
  std::map<std::string, int> index; // term -> single-term item
  std::vector<Group> groups;
  std::vector<Range> ranges;
  double k1 = 1, k2 = 0, k3 = 1, b = 0.5, min_normlen = 0.5;
  int sort_slot = -1;
  bool matched = true;                 // compute the matched items of each hit
  unsigned elite = 0;                  // > 0: OR only the best `elite` optional items
  std::vector<std::string> only_ids;   // id terms the results are limited to
  bool sort_ascending = true;
};

struct jb_ixresults {
  std::vector<Hit> hits;
  uint64_t estimate = 0;
};

namespace {

void set_err(std::string *err, const char *what) noexcept {
  if (!err)
    return;
  try {
    *err = what;
  } catch (...) {
  }
}

// Runs f, turning every exception into an error code and a message.
template <class F> int guarded(std::string *err, F f) noexcept {
  try {
    if (err)
      err->clear();
    return f();
  } catch (const Xapian::DatabaseLockError &e) {
    set_err(err, e.get_description().c_str());
    return JB_ELOCKED;
  } catch (const Xapian::DatabaseNotFoundError &e) {
    set_err(err, e.get_description().c_str());
    return JB_ENOENT;
  } catch (const Xapian::DocNotFoundError &e) {
    set_err(err, e.get_description().c_str());
    return JB_ENOENT;
  } catch (const Xapian::InvalidArgumentError &e) {
    set_err(err, e.get_description().c_str());
    return JB_EINVAL;
  } catch (const Xapian::DatabaseModifiedError &e) {
    set_err(err, e.get_description().c_str());
    return JB_ESTALE;
  } catch (const Xapian::Error &e) {
    set_err(err, e.get_description().c_str());
    return JB_EINDEX;
  } catch (const std::bad_alloc &) {
    set_err(err, "out of memory");
    return JB_ENOMEM;
  } catch (const std::exception &e) {
    set_err(err, e.what());
    return JB_EINTERNAL;
  } catch (...) {
    set_err(err, "unknown exception");
    return JB_EINTERNAL;
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

// Allocates a handle of type T into *out: JB_OK, JB_EINVAL or JB_ENOMEM.
template <class T> int new_handle(T **out) noexcept {
  if (!out)
    return JB_EINVAL;
  *out = new (std::nothrow) T;
  return *out ? JB_OK : JB_ENOMEM;
}

// Ends an open: hands ix out on success, else copies its message and frees it.
int finish_open(jb_index *ix, int rc, jb_index **out, char *err, size_t errlen) noexcept {
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
void limit_term(std::string &s) {
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
void limit_key(std::string &s) {
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

bool is_remote(const std::string &w, std::string &host, unsigned &port) {
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

} // namespace

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
    try {
      w->wdb.replace_document(idt, doc);
    } catch (...) {
      doc.remove_term(idt);
      throw;
    }
    doc.remove_term(idt);
    return JB_OK;
  });
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

// ---- queries ----------------------------------------------------------------------

int jb_ixquery_new(jb_ixquery **out) noexcept { return new_handle(out); }

void jb_ixquery_free(jb_ixquery *q) noexcept { delete q; }

static int add_item(jb_ixquery *q, const char *field, int kind, const char *text,
                    size_t len, double weight, bool required) noexcept {
  if (!q || !(weight > 0) || !std::isfinite(weight))
    return JB_EINVAL;
  return guarded(nullptr, [&]() -> int {
    std::string t;
    if (!make_term(field, kind, text, len, t))
      return JB_EINVAL;
    auto it = q->index.find(t);
    if (it != q->index.end()) {
      Item &item = q->items[static_cast<size_t>(it->second)];
      item.weight += weight;
      item.required = item.required || required;
      return it->second;
    }
    if (q->items.size() >= 100000)
      return JB_ETOOBIG;
    Item item;
    item.term = t;
    item.weight = weight;
    item.required = required;
    q->items.push_back(item);
    int idx = static_cast<int>(q->items.size() - 1);
    q->index.emplace(t, idx);
    return idx;
  });
}

int jb_ixquery_add(jb_ixquery *q, const char *field, int kind, const char *text,
                   size_t len, double weight) noexcept {
  return add_item(q, field, kind, text, len, weight, false);
}

int jb_ixquery_require(jb_ixquery *q, const char *field, int kind, const char *text,
                       size_t len, double weight) noexcept {
  return add_item(q, field, kind, text, len, weight, true);
}

int jb_ixquery_add_phrase(jb_ixquery *q, const char *field, int kind,
                          const char *const *texts, size_t n, double weight,
                          int required) noexcept {
  if (!q || !texts || n < 2 || n > 64 || !(weight > 0) || !std::isfinite(weight))
    return JB_EINVAL;
  return guarded(nullptr, [&]() -> int {
    Item item;
    for (size_t i = 0; i < n; i++) {
      std::string t;
      if (!texts[i] || !make_term(field, kind, texts[i], strlen(texts[i]), t))
        return JB_EINVAL;
      item.phrase.push_back(t);
    }
    item.weight = weight;
    item.required = required != 0;
    q->items.push_back(item);
    return static_cast<int>(q->items.size() - 1);
  });
}

int jb_ixquery_filter(jb_ixquery *q, int g, const char *prefix,
                      const char *const *values, size_t n) noexcept {
  if (!q || !valid_filter_prefix(prefix) || (!values && n) || n > 10000 ||
      (g != JB_IX_ALL_OF && g != JB_IX_ANY_OF && g != JB_IX_NONE_OF))
    return JB_EINVAL;
  return guarded(nullptr, [&]() -> int {
    Group grp;
    grp.g = g;
    for (size_t i = 0; i < n; i++) {
      if (!values[i])
        return JB_EINVAL;
      size_t len = strnlen(values[i], JB_IX_MAX_ID + 1);
      if (len < 1 || len > JB_IX_MAX_ID)
        return JB_EINVAL;
      grp.terms.push_back(filter_term(prefix, values[i], len));
    }
    q->groups.push_back(grp);
    return JB_OK;
  });
}

int jb_ixquery_range(jb_ixquery *q, unsigned slot, double lo, double hi) noexcept {
  if (!q || slot > JB_IX_MAX_SLOT || (std::isnan(lo) && std::isnan(hi)) ||
      (!std::isnan(lo) && !std::isnan(hi) && lo > hi))
    return JB_EINVAL;
  return guarded(nullptr, [&]() -> int {
    q->ranges.push_back(Range{slot, lo, hi});
    return JB_OK;
  });
}

int jb_ixquery_bm25(jb_ixquery *q, double k1, double k2, double k3, double b,
                    double min_normlen) noexcept {
  if (!q || !(k1 >= 0) || !(k2 >= 0) || !(k3 >= 0) || !(b >= 0 && b <= 1) ||
      !(min_normlen >= 0) || !std::isfinite(k1) || !std::isfinite(k2) || !std::isfinite(k3) ||
      !std::isfinite(min_normlen))
    return JB_EINVAL;
  q->k1 = k1;
  q->k2 = k2;
  q->k3 = k3;
  q->b = b;
  q->min_normlen = min_normlen;
  return JB_OK;
}

int jb_ixquery_elite(jb_ixquery *q, unsigned n) noexcept {
  if (!q || n > 100000)
    return JB_EINVAL;
  q->elite = n;
  return JB_OK;
}

int jb_ixquery_set_matched(jb_ixquery *q, int on) noexcept {
  if (!q)
    return JB_EINVAL;
  q->matched = on != 0;
  return JB_OK;
}

int jb_ixquery_only(jb_ixquery *q, const char *const *types, const char *const *ids,
                    size_t n) noexcept {
  if (!q || (!types && n) || (!ids && n) || n > 100000)
    return JB_EINVAL;
  return guarded(nullptr, [&]() -> int {
    std::vector<std::string> v;
    for (size_t i = 0; i < n; i++) {
      if (!valid_type(types[i]) || !valid_id(ids[i]))
        return JB_EINVAL;
      v.push_back(id_term(types[i], ids[i]));
    }
    q->only_ids = v;
    return JB_OK;
  });
}

int jb_ixquery_sort_by(jb_ixquery *q, unsigned slot, int ascending) noexcept {
  if (!q || slot > JB_IX_MAX_SLOT)
    return JB_EINVAL;
  q->sort_slot = static_cast<int>(slot);
  q->sort_ascending = ascending != 0;
  return JB_OK;
}

namespace {

Xapian::Query build_query(const jb_ixquery *q) {
  std::vector<Xapian::Query> optional, required;
  for (const Item &it : q->items) {
    Xapian::Query sub = it.phrase.empty()
                            ? Xapian::Query(it.term)
                            : Xapian::Query(Xapian::Query::OP_PHRASE, it.phrase.begin(),
                                            it.phrase.end(), static_cast<Xapian::termcount>(it.phrase.size()));
    sub = Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, sub, it.weight);
    (it.required ? required : optional).push_back(sub);
  }
  Xapian::Query main;
  Xapian::Query opt = q->elite && optional.size() > q->elite
                          ? Xapian::Query(Xapian::Query::OP_ELITE_SET, optional.begin(),
                                          optional.end(), q->elite)
                          : Xapian::Query(Xapian::Query::OP_OR, optional.begin(), optional.end());
  if (!required.empty()) {
    Xapian::Query req(Xapian::Query::OP_AND, required.begin(), required.end());
    main = optional.empty() ? req : Xapian::Query(Xapian::Query::OP_AND_MAYBE, req, opt);
  } else if (!optional.empty()) {
    main = opt;
  } else {
    main = Xapian::Query::MatchAll;
  }
  for (const Group &g : q->groups) {
    std::vector<Xapian::Query> ts;
    for (const std::string &t : g.terms)
      ts.emplace_back(t);
    if (g.g == JB_IX_NONE_OF) {
      if (!ts.empty())
        main = Xapian::Query(Xapian::Query::OP_AND_NOT, main,
                             Xapian::Query(Xapian::Query::OP_OR, ts.begin(), ts.end()));
    } else {
      Xapian::Query f = ts.empty() ? (g.g == JB_IX_ANY_OF ? Xapian::Query::MatchNothing
                                                          : Xapian::Query::MatchAll)
                                   : Xapian::Query(g.g == JB_IX_ALL_OF ? Xapian::Query::OP_AND
                                                                       : Xapian::Query::OP_OR,
                                                   ts.begin(), ts.end());
      main = Xapian::Query(Xapian::Query::OP_FILTER, main, f);
    }
  }
  if (!q->only_ids.empty())
    main = Xapian::Query(Xapian::Query::OP_FILTER, main,
                         Xapian::Query(Xapian::Query::OP_OR, q->only_ids.begin(), q->only_ids.end()));
  for (const Range &r : q->ranges) {
    Xapian::Query f;
    if (std::isnan(r.lo))
      f = Xapian::Query(Xapian::Query::OP_VALUE_LE, r.slot, Xapian::sortable_serialise(r.hi));
    else if (std::isnan(r.hi))
      f = Xapian::Query(Xapian::Query::OP_VALUE_GE, r.slot, Xapian::sortable_serialise(r.lo));
    else
      f = Xapian::Query(Xapian::Query::OP_VALUE_RANGE, r.slot, Xapian::sortable_serialise(r.lo),
                        Xapian::sortable_serialise(r.hi));
    main = Xapian::Query(Xapian::Query::OP_FILTER, main, f);
  }
  return main;
}

void run_search(jb_index *ix, const jb_ixquery *q, size_t offset, size_t limit,
                jb_ixresults *res) {
  Xapian::Database &db = ix->rdb();
  Xapian::Enquire enq(db);
  enq.set_query(build_query(q));
  enq.set_weighting_scheme(Xapian::BM25Weight(q->k1, q->k2, q->k3, q->b, q->min_normlen));
  if (q->sort_slot >= 0)
    enq.set_sort_by_value_then_relevance(static_cast<Xapian::valueno>(q->sort_slot),
                                         !q->sort_ascending);
  Xapian::MSet m = enq.get_mset(static_cast<Xapian::doccount>(offset),
                                static_cast<Xapian::doccount>(limit));
  res->hits.clear();
  res->estimate = m.get_matches_estimated();
  for (auto it = m.begin(); it != m.end(); ++it) {
    Hit h;
    std::string data = it.get_document().get_data();
    size_t tab = data.find('\t');
    h.type = data.substr(0, tab);
    h.id = tab == std::string::npos ? std::string() : data.substr(tab + 1);
    h.score = it.get_weight();
    h.rank = it.get_rank();
    if (!q->matched) {
      res->hits.push_back(std::move(h));
      continue;
    }
    std::set<std::string> seen;
    for (auto t = enq.get_matching_terms_begin(it); t != enq.get_matching_terms_end(it); ++t) {
      seen.insert(*t);
      auto f = q->index.find(*t);
      if (f != q->index.end())
        h.matched.push_back(f->second);
    }
    for (size_t i = 0; i < q->items.size(); i++) {
      const Item &item = q->items[i];
      if (item.phrase.empty())
        continue;
      bool all = true;
      for (const std::string &t : item.phrase)
        all = all && seen.count(t);
      if (all)
        h.matched.push_back(static_cast<int>(i));
    }
    std::sort(h.matched.begin(), h.matched.end());
    h.matched.erase(std::unique(h.matched.begin(), h.matched.end()), h.matched.end());
    res->hits.push_back(std::move(h));
  }
}

} // namespace

int jb_index_search(jb_index *ix, const jb_ixquery *q, size_t offset, size_t limit,
                    jb_ixresults **out) noexcept {
  if (out)
    *out = nullptr;
  if (!ix || !q || !out || limit > 100000 || offset > 100000000)
    return JB_EINVAL;
  jb_ixresults *res = new (std::nothrow) jb_ixresults;
  if (!res)
    return JB_ENOMEM;
  int rc = guarded(&ix->err, [&]() -> int {
    for (int attempt = 0;; attempt++) {
      try {
        run_search(ix, q, offset, limit, res);
        return JB_OK;
      } catch (const Xapian::DatabaseModifiedError &) {
        if (attempt >= 3 || ix->writer)
          throw;
        ix->db.reopen();
      }
    }
  });
  if (rc != JB_OK) {
    delete res;
    return rc;
  }
  *out = res;
  return JB_OK;
}

// ---- scoring given documents ------------------------------------------------------

namespace {

// Xapian's BM25Weight (1.4) for one term: its weight before the wdf part,
// (k1 + 1) x idf x the query-frequency factor (wqf 1) x the item's scale.
double bm25_termweight(const jb_ixquery *q, double N, double tf, double scale) {
  double tw = (N - tf + 0.5) / (tf + 0.5);
  if (tw < 2)
    tw = tw * 0.5 + 1;
  double w = std::log(tw) * scale;
  if (q->k3 != 0)
    w *= (q->k3 + 1) * 1.0 / (q->k3 + 1.0);
  return w * (q->k1 + 1);
}

void run_score_docs(jb_index *ix, const jb_ixquery *q, const char *const *types,
                    const char *const *ids, size_t n, jb_ixresults *res) {
  Xapian::Database &db = ix->rdb();
  res->hits.clear();
  res->estimate = 0;
  double N = db.get_doccount(), avlen = db.get_avlength();
  double len_factor = (q->k2 == 0 && (q->b == 0 || q->k1 == 0)) || avlen == 0 ? 0 : 1 / avlen;
  // the term weight of each item, worked out when a document first has it
  std::vector<double> tweight(q->items.size(), -1);
  size_t nrequired = 0;
  for (const Item &it : q->items)
    nrequired += it.required;
  for (size_t i = 0; i < n; i++) {
    Hit h;
    h.type = types[i];
    h.id = ids[i];
    h.score = 0;
    h.rank = i;
    std::string idt = id_term(types[i], ids[i]);
    Xapian::PostingIterator p = db.postlist_begin(idt);
    if (p == db.postlist_end(idt)) {
      res->hits.push_back(std::move(h));
      continue;
    }
    Xapian::docid did = *p;
    double normlen = std::max(db.get_doclength(did) * len_factor, q->min_normlen);
    double K = q->k1 * (normlen * q->b + (1 - q->b));
    // the document's terms and the query's, both in byte order: one merge
    auto qi = q->index.begin();
    double score = 0;
    size_t required = 0;
    for (Xapian::TermIterator t = db.termlist_begin(did), te = db.termlist_end(did);
         t != te && qi != q->index.end(); ++t) {
      const std::string &term = *t;
      while (qi != q->index.end() && qi->first < term)
        ++qi;
      if (qi == q->index.end() || qi->first != term)
        continue;
      size_t idx = static_cast<size_t>(qi->second);
      const Item &item = q->items[idx];
      if (tweight[idx] < 0)
        tweight[idx] = bm25_termweight(q, N, db.get_termfreq(term), item.weight);
      double wdf = t.get_wdf();
      if (wdf > 0)
        score += tweight[idx] * (wdf / (K + wdf));
      required += item.required;
      if (q->matched)
        h.matched.push_back(qi->second);
    }
    if (required < nrequired) {
      score = 0;
      h.matched.clear();
    }
    h.score = score;
    std::sort(h.matched.begin(), h.matched.end());
    res->estimate += score > 0;
    res->hits.push_back(std::move(h));
  }
}

} // namespace

int jb_index_score_docs(jb_index *ix, const jb_ixquery *q, const char *const *types,
                        const char *const *ids, size_t n, jb_ixresults **out) noexcept {
  if (out)
    *out = nullptr;
  if (!ix || !q || !out || (!types && n) || (!ids && n) || n > 100000)
    return JB_EINVAL;
  for (const Item &it : q->items)
    if (!it.phrase.empty())
      return fail(&ix->err, JB_EINVAL, "score_docs: phrase items are not supported");
  for (size_t i = 0; i < n; i++)
    if (!valid_type(types[i]) || !valid_id(ids[i]))
      return fail(&ix->err, JB_EINVAL, "score_docs: invalid type or id");
  jb_ixresults *res = new (std::nothrow) jb_ixresults;
  if (!res)
    return JB_ENOMEM;
  int rc = guarded(&ix->err, [&]() -> int {
    for (int attempt = 0;; attempt++) {
      try {
        run_score_docs(ix, q, types, ids, n, res);
        return JB_OK;
      } catch (const Xapian::DatabaseModifiedError &) {
        if (attempt >= 3 || ix->writer)
          throw;
        ix->db.reopen();
      }
    }
  });
  if (rc != JB_OK) {
    delete res;
    return rc;
  }
  *out = res;
  return JB_OK;
}

void jb_ixresults_free(jb_ixresults *r) noexcept { delete r; }
size_t jb_ixresults_count(const jb_ixresults *r) noexcept { return r ? r->hits.size() : 0; }
uint64_t jb_ixresults_estimate(const jb_ixresults *r) noexcept { return r ? r->estimate : 0; }

int jb_ixresults_hit(const jb_ixresults *r, size_t i, const char **type, const char **id,
                     double *score, size_t *rank) noexcept {
  if (!r || i >= r->hits.size())
    return JB_EINVAL;
  const Hit &h = r->hits[i];
  if (type)
    *type = h.type.c_str();
  if (id)
    *id = h.id.c_str();
  if (score)
    *score = h.score;
  if (rank)
    *rank = h.rank;
  return JB_OK;
}

int jb_ixresults_matched(const jb_ixresults *r, size_t i, const int **items,
                         size_t *n) noexcept {
  if (!r || i >= r->hits.size() || !items || !n)
    return JB_EINVAL;
  *items = r->hits[i].matched.data();
  *n = r->hits[i].matched.size();
  return JB_OK;
}

// ---- expand set ---------------------------------------------------------------------

namespace {
class FieldKindDecider : public Xapian::ExpandDecider {
public:
  std::set<char> fields;
  unsigned kinds;
  bool operator()(const std::string &term) const override {
    char f;
    int k;
    std::string text;
    if (!parse_term(term, f, k, text))
      return false;
    return fields.count(f) && (kinds & (1u << k));
  }
};
} // namespace

int jb_index_expand(jb_index *ix, const char *const *types, const char *const *ids, size_t nids,
                    const char *const *fields, size_t nfields, unsigned kinds, size_t n,
                    jb_ixexpand_term **out, size_t *nout) noexcept {
  if (out)
    *out = nullptr;
  if (nout)
    *nout = 0;
  if (!ix || !out || !nout || (!types && nids) || (!ids && nids) || !fields || nfields == 0 ||
      n == 0 || n > 10000)
    return JB_EINVAL;
  return guarded(&ix->err, [&]() -> int {
    FieldKindDecider dec;
    for (size_t i = 0; i < nfields; i++) {
      if (!valid_field(fields[i]))
        return fail(&ix->err, JB_EINVAL, "invalid field prefix");
      dec.fields.insert(fields[i][0]);
    }
    dec.kinds = kinds ? kinds : (1u << JB_IX_WORD);
    Xapian::Database &db = ix->rdb();
    Xapian::RSet rset;
    for (size_t i = 0; i < nids; i++) {
      if (!valid_type(types[i]) || !valid_id(ids[i]))
        return fail(&ix->err, JB_EINVAL, "invalid type or id");
      std::string idt = id_term(types[i], ids[i]);
      Xapian::PostingIterator p = db.postlist_begin(idt);
      if (p != db.postlist_end(idt))
        rset.add_document(*p);
    }
    if (rset.empty())
      return JB_OK;
    Xapian::Enquire enq(db);
    enq.set_query(Xapian::Query::MatchAll);
    Xapian::ESet es = enq.get_eset(static_cast<Xapian::termcount>(n), rset, &dec);
    size_t cnt = es.size();
    jb_ixexpand_term *arr =
        static_cast<jb_ixexpand_term *>(calloc(cnt ? cnt : 1, sizeof *arr));
    if (!arr)
      return JB_ENOMEM;
    size_t k = 0;
    for (auto it = es.begin(); it != es.end(); ++it) {
      char f;
      int kind;
      std::string text;
      if (!parse_term(*it, f, kind, text))
        continue;
      char fs[2] = {f, '\0'};
      arr[k].field = strdup(fs);
      arr[k].text = strdup(text.c_str());
      arr[k].kind = kind;
      arr[k].weight = it.get_weight();
      if (!arr[k].field || !arr[k].text) {
        jb_ixexpand_free(arr, k + 1);
        return JB_ENOMEM;
      }
      k++;
    }
    *out = arr;
    *nout = k;
    return JB_OK;
  });
}

void jb_ixexpand_free(jb_ixexpand_term *t, size_t n) noexcept {
  if (!t)
    return;
  for (size_t i = 0; i < n; i++) {
    free(t[i].field);
    free(t[i].text);
  }
  free(t);
}

} // extern "C"
