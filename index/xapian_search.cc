/* SPDX-License-Identifier: GPL-3.0-or-later */
// xapian_search.cc: the queries of xapian_shim.h (weighted items, phrases,
// filter groups, ranges, BM25 parameters, sorting), the search, the scoring
// of given documents and the results. Every entry point is noexcept and
// catches everything.
#include <xapian.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <map>
#include <new>
#include <string>
#include <vector>

#include "index/xapian_int.h"
#include "index/xapian_shim.h"

using namespace jbx;

extern "C" {

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

int jb_ixquery_elite_own(jb_ixquery *q, size_t own) noexcept {
  if (!q)
    return JB_EINVAL;
  q->elite_own = true;
  q->own = own;
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

Xapian::Query build_query(const jb_ixquery *q, const Xapian::Database &db) {
  std::vector<Xapian::Query> optional, required;
  size_t own_present = 0, absent = 0;
  for (size_t i = 0; i < q->items.size(); i++) {
    const Item &it = q->items[i];
    if (q->elite_own && !it.required && it.phrase.empty()) {
      if (db.get_termfreq(it.term) == 0) {
        absent++;
        continue;
      }
      own_present += i < q->own;
    }
    Xapian::Query sub = it.phrase.empty()
                            ? Xapian::Query(it.term)
                            : Xapian::Query(Xapian::Query::OP_PHRASE, it.phrase.begin(),
                                            it.phrase.end(), static_cast<Xapian::termcount>(it.phrase.size()));
    sub = Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, sub, it.weight);
    (it.required ? required : optional).push_back(sub);
  }
  Xapian::Query main;
  size_t elite = q->elite ? q->elite + own_present : 0;
  Xapian::Query opt = elite && optional.size() > elite
                          ? Xapian::Query(Xapian::Query::OP_ELITE_SET, optional.begin(),
                                          optional.end(), static_cast<Xapian::termcount>(elite))
                          : Xapian::Query(Xapian::Query::OP_OR, optional.begin(), optional.end());
  if (!required.empty()) {
    Xapian::Query req(Xapian::Query::OP_AND, required.begin(), required.end());
    main = optional.empty() ? req : Xapian::Query(Xapian::Query::OP_AND_MAYBE, req, opt);
  } else if (!optional.empty()) {
    main = opt;
  } else {
    // no items at all: every document; items that were all absent: none
    main = absent ? Xapian::Query::MatchNothing : Xapian::Query::MatchAll;
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

// The phrase items' terms, sorted and unique: with q->index (the single
// terms, in byte order as QueryTerms has them) what a hit's term list is merged with.
std::vector<std::string> phrase_terms(const jb_ixquery *q) {
  std::vector<std::string> v;
  for (const Item &item : q->items)
    v.insert(v.end(), item.phrase.begin(), item.phrase.end());
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
  return v;
}

// The items hit `did` matched, ascending: one merge of its term list (byte
// order) with the query's terms. It gives what Enquire::get_matching_terms
// gives, without the map of the query's terms that call builds for every
// hit and the look-up of every term of the document in it (at 10k outputs
// that was 0.6 M instructions a hit for a query of a hundred terms).
void matched_items(Xapian::Database &db, Xapian::docid did, const jb_ixquery *q,
                   const QueryTerms &qt, const std::vector<std::string> &pterms,
                   std::vector<char> &pseen, Forward &fw, std::vector<int> &out) {
  out.clear();
  std::fill(pseen.begin(), pseen.end(), 0);
  fw.load(db, did);
  qt.merge(fw, [&](size_t, size_t i) { out.push_back(qt.idx[i]); });
  size_t pi = 0;
  for (size_t k = 0; k < fw.size() && pi < pterms.size(); k++) {
    std::string_view term = fw.term(k);
    while (pi < pterms.size() && pterms[pi] < term)
      pi++;
    if (pi < pterms.size() && pterms[pi] == term)
      pseen[pi] = 1;
  }
  for (size_t i = 0; i < q->items.size() && !pterms.empty(); i++) {
    const Item &item = q->items[i];
    if (item.phrase.empty())
      continue;
    bool all = true;
    for (const std::string &t : item.phrase) {
      auto f = std::lower_bound(pterms.begin(), pterms.end(), t);
      all = all && pseen[static_cast<size_t>(f - pterms.begin())];
    }
    if (all)
      out.push_back(static_cast<int>(i));
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
}

const jb_ixquery empty_query;

void run_search(jb_index *ix, const jb_ixquery *q, size_t offset, size_t limit,
                jb_ixresults *res) {
  Xapian::Database &db = ix->rdb();
  Xapian::Enquire enq(db);
  enq.set_query(build_query(q, db));
  enq.set_weighting_scheme(Xapian::BM25Weight(q->k1, q->k2, q->k3, q->b, q->min_normlen));
  if (q->sort_slot >= 0)
    enq.set_sort_by_value_then_relevance(static_cast<Xapian::valueno>(q->sort_slot),
                                         !q->sort_ascending);
  Xapian::MSet m = enq.get_mset(static_cast<Xapian::doccount>(offset),
                                static_cast<Xapian::doccount>(limit));
  res->hits.clear();
  res->estimate = m.get_matches_estimated();
  std::vector<std::string> pterms;
  if (q->matched)
    pterms = phrase_terms(q);
  std::vector<char> pseen(pterms.size());
  Forward fw;
  QueryTerms qt(q->matched ? q : &empty_query);
  for (auto it = m.begin(); it != m.end(); ++it) {
    Hit h;
    std::string data = it.get_document().get_data();
    size_t tab = data.find('\t');
    h.type = data.substr(0, tab);
    h.id = tab == std::string::npos ? std::string() : data.substr(tab + 1);
    h.score = it.get_weight();
    h.rank = it.get_rank();
    if (q->matched)
      matched_items(db, *it, q, qt, pterms, pseen, fw, h.matched);
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
  int rc = guarded_read(ix, [&]() { run_search(ix, q, offset, limit, res); });
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
  Forward fw;
  ForwardCursor cur;
  QueryTerms qt(q);
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
    double score = 0;
    size_t required = 0;
    // each shared term adds its BM25; K from the document's length
    double K = 0;
    auto set_K = [&](uint64_t doclen) {
      double normlen = std::max(static_cast<double>(doclen) * len_factor, q->min_normlen);
      K = q->k1 * (normlen * q->b + (1 - q->b));
    };
    auto add = [&](double wdf, size_t j) {
      size_t idx = static_cast<size_t>(qt.idx[j]);
      const Item &item = q->items[idx];
      if (tweight[idx] < 0)
        tweight[idx] = bm25_termweight(q, N, db.get_termfreq(*qt.term[j]), item.weight);
      if (wdf > 0)
        score += tweight[idx] * (wdf / (K + wdf));
      required += item.required;
      if (q->matched)
        h.matched.push_back(qt.idx[j]);
    };
    // the document's terms and the query's, both in byte order: one merge,
    // read in place from the stored forward list; a document without one,
    // or with a corrupt one, is merged from Xapian's term list (fw.load)
    std::string v = db.get_document(did, Xapian::DOC_ASSUME_VALID).get_value(FORWARD_SLOT);
    bool done = false;
    if (!v.empty() && cur.open(v)) {
      set_K(cur.doclen);
      done = qt.merge(cur, [&](uint32_t wdf, size_t j) { add(wdf, j); });
      if (!done) {
        score = 0;
        required = 0;
        h.matched.clear();
      }
    }
    if (!done) {
      fw.load(db, did);
      set_K(fw.doclen);
      qt.merge(fw, [&](size_t k, size_t j) { add(fw.wdf[k], j); });
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
  // the checks set the message inside the guard: fail may throw bad_alloc
  int bad = guarded(&ix->err, [&]() -> int {
    for (const Item &it : q->items)
      if (!it.phrase.empty())
        return fail(&ix->err, JB_EINVAL, "score_docs: phrase items are not supported");
    for (size_t i = 0; i < n; i++)
      if (!valid_type(types[i]) || !valid_id(ids[i]))
        return fail(&ix->err, JB_EINVAL, "score_docs: invalid type or id");
    return JB_OK;
  });
  if (bad != JB_OK)
    return bad;
  jb_ixresults *res = new (std::nothrow) jb_ixresults;
  if (!res)
    return JB_ENOMEM;
  int rc = guarded_read(ix, [&]() { run_score_docs(ix, q, types, ids, n, res); });
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
} // extern "C"
