/* SPDX-License-Identifier: GPL-3.0-or-later */
// xapian_int.h: what the Xapian files of index/ share (private C++, never
// included from C nor from outside index/): the structures behind the
// opaque handles of xapian_shim.h, the guard that turns every exception into
// a JB_E* code, and the term and key rules.
//   xapian_shim.cc    the term and key rules, databases, documents
//   xapian_search.cc  queries, search, scoring given documents, results
//   xapian_expand.cc  expand sets
//   xapian_forward.cc each document's forward list (terms, wdf, length)
// Every extern "C" function of those files is noexcept and runs its work
// inside jbx::guarded (or touches nothing that throws).
#ifndef JB_XAPIAN_INT_H
#define JB_XAPIAN_INT_H

#ifndef __cplusplus
#error "index/xapian_int.h is C++: C sees index/xapian_shim.h only"
#endif

#include <xapian.h>

#include <algorithm>
#include <new>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "index/xapian_shim.h"

struct jb_index {
  Xapian::Database db;          // a reader's database(s)
  Xapian::WritableDatabase wdb; // a writer's database
  bool writer = false;
  bool forward = true; // jb_index_set_forward: put stores forward lists
  size_t nshards = 0;
  std::string err;
  Xapian::Database &rdb() { return writer ? wdb : db; }
};

struct jb_ixdoc {
  Xapian::Document doc;
};

namespace jbx {

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

} // namespace jbx

struct jb_ixquery {
  std::vector<jbx::Item> items;
  std::unordered_map<std::string, int> index; // term -> single-term item (QueryTerms orders them)
  std::vector<jbx::Group> groups;
  std::vector<jbx::Range> ranges;
  double k1 = 1, k2 = 0, k3 = 1, b = 0.5, min_normlen = 0.5;
  int sort_slot = -1;
  bool matched = true;                 // compute the matched items of each hit
  unsigned elite = 0;                  // > 0: OR only the best `elite` optional items
  bool elite_own = false;              // jb_ixquery_elite_own: absent items out, own places
  size_t own = 0;                      // its first `own` items
  std::vector<std::string> only_ids;   // id terms the results are limited to
  bool sort_ascending = true;
};

struct jb_ixresults {
  std::vector<jbx::Hit> hits;
  uint64_t estimate = 0;
};

namespace jbx {

// Keeps what in *err (err may be NULL; a failure to copy is ignored).
void set_err(std::string *err, const char *what) noexcept;

// Runs f, turning every exception into an error code and a message.
template <class F> inline int guarded(std::string *err, F f) noexcept {
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

// guarded for a read of ix: f runs again after a reader's database was
// modified under it (DatabaseModifiedError), reopened, up to three times;
// then, or for a writer, the error is JB_ESTALE as in guarded.
template <class F> inline int guarded_read(jb_index *ix, F f) noexcept {
  return guarded(&ix->err, [&]() -> int {
    for (int attempt = 0;; attempt++) {
      try {
        f();
        return JB_OK;
      } catch (const Xapian::DatabaseModifiedError &) {
        if (attempt >= 3 || ix->writer)
          throw;
        ix->db.reopen();
      }
    }
  });
}

// Sets *err (may be NULL) to msg and returns rc. May throw std::bad_alloc:
// call it inside guarded.
int fail(std::string *err, int rc, const char *msg);

// Copies e into buf (len bytes, NUL-terminated; nothing when buf is NULL or
// len is 0).
void copy_err(const std::string &e, char *buf, size_t len) noexcept;

// Allocates a handle of type T into *out: JB_OK, JB_EINVAL or JB_ENOMEM.
template <class T> inline int new_handle(T **out) noexcept {
  if (!out)
    return JB_EINVAL;
  *out = new (std::nothrow) T;
  return *out ? JB_OK : JB_ENOMEM;
}

// The rules of xapian_shim.h for arguments: a field prefix (one capital but
// Q, X, Z), a filter prefix ("X" and 1 to 3 capitals), a document type (1 to
// 32 of a-z and _), a document id (1 to JB_IX_MAX_ID bytes).
bool valid_field(const char *f);
bool valid_filter_prefix(const char *p);
bool valid_type(const char *t);
bool valid_id(const char *id);

// The database term of (field, kind, text) into out, long terms cut and
// hashed (the header's rule); false when the arguments are bad.
bool make_term(const char *field, int kind, const char *text, size_t len, std::string &out);

// Splits a database term into field, kind and text; false for id and filter
// terms.
bool parse_term(const std::string &t, char &field, int &kind, std::string &text);

// The id term of (type, id) and the filter term of (prefix, value of len
// bytes), a long one cut and hashed with 64 bits (limit_key in
// xapian_shim.cc). Both may throw std::bad_alloc.
std::string id_term(const char *type, const char *id);
std::string filter_term(const char *prefix, const char *value, size_t len);

// The value slot of the forward lists: past the slots xapian_shim.h gives
// callers, so no caller's value can overwrite one.
constexpr Xapian::valueno FORWARD_SLOT = JB_IX_MAX_SLOT + 1;

// One document's terms in byte order with their wdf, and its length
// (xapian_forward.cc has the stored format). Reused from document to
// document, it allocates only when a document outgrows the last.
struct Forward {
  // the terms, one after another, then spare room: at least FWD_SLACK bytes
  // after the last term, so a term's first 8 bytes can be read in one load
  static constexpr size_t FWD_SLACK = 16;
  std::string arena;
  std::vector<uint32_t> off;  // term i is arena[off[i], off[i + 1])
  std::vector<uint32_t> wdf;  // term i's wdf
  uint64_t doclen = 0;        // the sum of the wdfs, Xapian's document length
  bool from_termlist = false; // load read Xapian's term list (no usable value)
  size_t size() const { return wdf.size(); }
  // valid until the next decode or load
  std::string_view term(size_t i) const {
    return std::string_view(arena).substr(off[i], off[i + 1] - off[i]);
  }
  // key8 of term i (the arena's slack makes the 8-byte load safe)
  uint64_t key(size_t i) const {
    size_t len = off[i + 1] - off[i];
    uint64_t k;
    std::memcpy(&k, arena.data() + off[i], 8);
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    k = __builtin_bswap64(k);
#endif
    return len >= 8 ? k : len == 0 ? 0 : k & (~UINT64_C(0) << (8 * (8 - len)));
  }
  // Decodes a stored forward list; false (and the contents unspecified) when
  // v is not one. Throws only std::bad_alloc.
  bool decode(const std::string &v);
  // Document did of db: its forward list, or, when it has none or a corrupt
  // one, its Xapian term list and length. Throws Xapian errors.
  void load(Xapian::Database &db, Xapian::docid did);
};

// A stored forward list read term by term in place, without building the
// arena: what the second stage merges with the query. Each term is rebuilt
// in buf over the previous one (the shared prefix is already there), with
// the checks of Forward::decode, so the two accept the same lists.
struct ForwardCursor {
  const unsigned char *p = nullptr, *end = nullptr;
  uint64_t doclen = 0, n = 0, i = 0;
  size_t len = 0;   // of the current term, in buf
  uint64_t key = 0; // key8 of the current term
  uint32_t wdf = 0; // the current term's wdf
  char buf[2 * 255 + 16] = {};
  // the header of v (which must outlive the cursor); false when v is not a
  // forward list
  bool open(const std::string &v);
  // the next term: 1; 0 past the last one of a well-formed list; -1 when
  // the list is corrupt
  int next();
  std::string_view term() const { return std::string_view(buf, len); }
};

// The first 8 bytes of a term, big-endian, zero-padded: when two terms' keys
// differ they order as the terms do (a term that is a prefix of another pads
// with zeros, which order first); only equal keys need the whole bytes.
inline uint64_t key8(const char *s, size_t len) {
  uint64_t k = 0;
  size_t n = len < 8 ? len : 8;
  for (size_t i = 0; i < n; i++)
    k |= static_cast<uint64_t>(static_cast<unsigned char>(s[i])) << (56 - 8 * i);
  return k;
}

// The query's single terms (q->index) as flat arrays in byte order, with
// their keys: what each document's forward list is merged with. Walking a
// std::map and comparing std::strings was a fifth of a long English need's
// match at 100k outputs; the index is a hash table (a need adds each of its
// terms several times, from every source), sorted here once.
struct QueryTerms {
  std::vector<uint64_t> key;
  std::vector<const std::string *> term;
  std::vector<int> idx;
  explicit QueryTerms(const jb_ixquery *q) {
    std::vector<const std::pair<const std::string, int> *> kv;
    kv.reserve(q->index.size());
    for (const auto &e : q->index)
      kv.push_back(&e);
    std::sort(kv.begin(), kv.end(), [](const auto *a, const auto *b) { return a->first < b->first; });
    key.reserve(kv.size());
    term.reserve(kv.size());
    idx.reserve(kv.size());
    for (const auto *e : kv) {
      key.push_back(key8(e->first.data(), e->first.size()));
      term.push_back(&e->first);
      idx.push_back(e->second);
    }
  }
  // Calls f(wdf, i) for each term of the cursor's list that is the query's
  // term i (wdf: the term's in the document), in order; false (f perhaps
  // called) when the list turns out corrupt, which is read to its end.
  template <class F> bool merge(ForwardCursor &c, F f) const {
    size_t qi = 0, nq = key.size();
    int r;
    while ((r = c.next()) == 1) {
      if (qi == nq)
        continue;
      while (qi < nq && key[qi] < c.key)
        qi++;
      if (qi == nq || key[qi] != c.key)
        continue;
      std::string_view t = c.term();
      while (qi < nq && key[qi] == c.key && std::string_view(*term[qi]) < t)
        qi++;
      if (qi < nq && key[qi] == c.key && std::string_view(*term[qi]) == t)
        f(c.wdf, qi);
    }
    return r == 0;
  }
  // Calls f(k, i) for each term k of fw that is the query's term i, in
  // order: one merge of the two sorted lists.
  template <class F> void merge(const Forward &fw, F f) const {
    size_t qi = 0, nq = key.size();
    for (size_t k = 0; k < fw.size() && qi < nq; k++) {
      uint64_t tk = fw.key(k);
      while (qi < nq && key[qi] < tk)
        qi++;
      if (qi == nq || key[qi] != tk)
        continue;
      std::string_view t = fw.term(k);
      while (qi < nq && (key[qi] < tk || (key[qi] == tk && std::string_view(*term[qi]) < t)))
        qi++;
      if (qi < nq && key[qi] == tk && std::string_view(*term[qi]) == t)
        f(k, qi);
    }
  }
};


// The forward list of doc (its terms as they are now) into out; false (out
// empty) when a term is longer than the format holds. Throws Xapian errors
// and std::bad_alloc.
bool forward_encode(const Xapian::Document &doc, std::string &out);

} // namespace jbx

#endif
