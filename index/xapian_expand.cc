/* SPDX-License-Identifier: GPL-3.0-or-later */
// xapian_expand.cc: the expand set of xapian_shim.h (jb_index_expand): the
// terms that best tell a set of documents apart, of chosen fields and kinds.
// Every entry point is noexcept and catches everything.
#include <xapian.h>

#include <cstdlib>
#include <cstring>
#include <set>
#include <string>

#include "index/xapian_int.h"
#include "index/xapian_shim.h"

using namespace jbx;

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

extern "C" {

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
