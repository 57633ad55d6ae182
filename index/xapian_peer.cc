/* SPDX-License-Identifier: GPL-3.0-or-later */
// xapian_peer.cc: Xapian's TermGenerator and QueryParser with CJK n-grams,
// the baseline of the benchmarks (see xapian_peer.h).
#include <xapian.h>

#include <cstdlib>
#include <cstring>
#include <new>
#include <string>
#include <vector>

#include "index/xapian_peer.h"

struct jb_peer {
  Xapian::Database db;
  Xapian::WritableDatabase wdb;
  bool writable = false;
  Xapian::TermGenerator tg;
  Xapian::QueryParser qp;
  Xapian::Stem stem{"english"};
};

namespace {
template <class F> int guarded(F f) noexcept {
  try {
    return f();
  } catch (const Xapian::DatabaseLockError &) {
    return JB_ELOCKED;
  } catch (const Xapian::Error &) {
    return JB_EINDEX;
  } catch (const std::bad_alloc &) {
    return JB_ENOMEM;
  } catch (...) {
    return JB_EINTERNAL;
  }
}
} // namespace

extern "C" {

int jb_peer_open(const char *path, int writable, jb_peer **out) noexcept {
  if (!path || !out)
    return JB_EINVAL;
  *out = nullptr;
  jb_peer *p = new (std::nothrow) jb_peer;
  if (!p)
    return JB_ENOMEM;
  int rc = guarded([&]() -> int {
    if (writable) {
      p->wdb = Xapian::WritableDatabase(path, Xapian::DB_CREATE_OR_OPEN);
      p->writable = true;
      p->tg.set_database(p->wdb);
    } else {
      p->db = Xapian::Database(path);
    }
    p->tg.set_flags(Xapian::TermGenerator::FLAG_CJK_NGRAM);
    p->tg.set_stemmer(p->stem);
    p->qp.set_stemmer(p->stem);
    p->qp.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
    p->qp.set_database(p->writable ? static_cast<Xapian::Database &>(p->wdb) : p->db);
    return JB_OK;
  });
  if (rc != JB_OK) {
    delete p;
    return rc;
  }
  *out = p;
  return JB_OK;
}

void jb_peer_close(jb_peer *p) noexcept {
  if (!p)
    return;
  try {
    if (p->writable)
      p->wdb.close();
  } catch (...) {
  }
  delete p;
}

int jb_peer_add(jb_peer *p, const char *id, const char *title, const char *body) noexcept {
  if (!p || !p->writable || !id)
    return JB_EINVAL;
  return guarded([&]() -> int {
    Xapian::Document doc;
    p->tg.set_document(doc);
    if (title)
      p->tg.index_text(title, 3);
    p->tg.increase_termpos();
    if (body)
      p->tg.index_text(body);
    std::string idt = std::string("Q") + id;
    doc.add_boolean_term(idt);
    doc.set_data(id);
    p->wdb.replace_document(idt, doc);
    return JB_OK;
  });
}

int jb_peer_commit(jb_peer *p) noexcept {
  if (!p || !p->writable)
    return JB_EINVAL;
  return guarded([&]() -> int {
    p->wdb.commit();
    return JB_OK;
  });
}

int jb_peer_search(jb_peer *p, const char *query, size_t limit, char **ids,
                   size_t *n) noexcept {
  if (!p || !query || !ids || !n)
    return JB_EINVAL;
  *n = 0;
  return guarded([&]() -> int {
    Xapian::Query parsed =
        p->qp.parse_query(query, Xapian::QueryParser::FLAG_DEFAULT |
                                     Xapian::QueryParser::FLAG_CJK_NGRAM);
    std::vector<std::string> terms(parsed.get_terms_begin(), parsed.get_terms_end());
    Xapian::Query q(Xapian::Query::OP_OR, terms.begin(), terms.end());
    Xapian::Enquire enq(p->writable ? static_cast<Xapian::Database &>(p->wdb) : p->db);
    enq.set_query(q);
    Xapian::MSet m = enq.get_mset(0, static_cast<Xapian::doccount>(limit));
    for (auto it = m.begin(); it != m.end(); ++it) {
      std::string d = it.get_document().get_data();
      char *s = strdup(d.c_str());
      if (!s)
        return JB_ENOMEM;
      ids[(*n)++] = s;
    }
    return JB_OK;
  });
}

} // extern "C"
