// SPDX-License-Identifier: GPL-3.0-or-later
// xapian_forward.cc: each document's forward list, its terms with their wdf
// and its length, kept uncompressed in value slot FORWARD_SLOT beside
// Xapian's own term list.
//
// Why: scoring given documents (jb_index_score_docs, the cascade's second
// stage) and the matched items of hits read each document's terms. Xapian's
// glass backend keeps term lists zlib-compressed, and reading one through a
// TermIterator cost about 165 k instructions a document at 100k outputs
// (inflate half of it, a std::string copy a term, the length from another
// table): 20 M of a match's 60-73 M (docs/benchmarks.md). The value slot
// lives in the postlist table, which glass does not compress.
//
// The format (FWD_VERSION 1), all in one value:
//   byte    FWD_VERSION
//   varint  document length (the sum of the wdfs, as Xapian's)
//   varint  number of terms
//   then each term, in strictly ascending byte order:
//     byte shared   bytes in common with the previous term (0 for the first)
//     byte rest     its remaining bytes, which follow
//     varint wdf
// Terms are at most 255 bytes (glass allows 245); a document with a longer
// one gets no forward list.
#include "config.h"

#include <cstring>

#include "index/xapian_int.h"

namespace jbx {

namespace {

void put_varint(std::string &out, uint64_t v) {
  while (v >= 128) {
    out += static_cast<char>((v & 127) | 128);
    v >>= 7;
  }
  out += static_cast<char>(v);
}

// The varint at p (before end) into *v; false when it does not end before end
// or exceeds 64 bits.
bool get_varint(const unsigned char *&p, const unsigned char *end, uint64_t *v) {
  uint64_t r = 0;
  for (unsigned shift = 0; p < end && shift < 64; shift += 7) {
    unsigned char c = *p++;
    r |= static_cast<uint64_t>(c & 127) << shift;
    if (!(c & 128)) {
      *v = r;
      return true;
    }
  }
  return false;
}

const unsigned char FWD_VERSION = 1;

} // namespace

bool forward_encode(const Xapian::Document &doc, std::string &out) {
  out.clear();
  std::string body, prev;
  uint64_t doclen = 0, n = 0;
  for (Xapian::TermIterator t = doc.termlist_begin(), te = doc.termlist_end(); t != te; ++t) {
    const std::string term = *t;
    if (term.size() > 255)
      return false;
    size_t shared = 0;
    while (shared < prev.size() && shared < term.size() && prev[shared] == term[shared])
      shared++;
    body += static_cast<char>(shared);
    body += static_cast<char>(term.size() - shared);
    body.append(term, shared, std::string::npos);
    Xapian::termcount wdf = t.get_wdf();
    put_varint(body, wdf);
    doclen += wdf;
    n++;
    prev = term;
  }
  out += static_cast<char>(FWD_VERSION);
  put_varint(out, doclen);
  put_varint(out, n);
  out += body;
  return true;
}

bool Forward::decode(const std::string &v) {
  doclen = 0;
  const unsigned char *p = reinterpret_cast<const unsigned char *>(v.data()), *end = p + v.size();
  uint64_t n = 0;
  if (p == end || *p++ != FWD_VERSION || !get_varint(p, end, &doclen) || !get_varint(p, end, &n))
    return false;
  // each term takes 3 bytes at least: a count beyond that is corrupt
  if (n > static_cast<uint64_t>(end - p) / 3)
    return false;
  off.resize(n + 1);
  wdf.resize(n);
  // the arena as a plain buffer, grown as needed (a term's shared part is
  // copied from the previous term, which lies before it: no overlap)
  if (arena.size() < 2 * v.size() + 256)
    arena.resize(2 * v.size() + 256);
  // 8-byte moves: each may read and write up to 7 bytes past what it
  // copies, inside the arena's slack (the shared part's source lies wholly
  // before the destination, so no byte it needs is overwritten first)
  size_t used = 0, prev = 0, prevlen = 0;
  off[0] = 0;
  for (uint64_t i = 0; i < n; i++) {
    if (end - p < 2)
      return false;
    size_t shared = p[0], rest = p[1];
    p += 2;
    if (shared > prevlen || static_cast<size_t>(end - p) < rest || (i > 0 && rest == 0))
      return false;
    // ascending: the first byte after the shared prefix must exceed the
    // previous term's there (or the previous term ends at the prefix)
    if (i > 0 && shared < prevlen && static_cast<unsigned char>(arena[prev + shared]) >= p[0])
      return false;
    if (used + shared + rest + FWD_SLACK > arena.size())
      arena.resize(2 * (used + shared + rest) + FWD_SLACK);
    char *a = &arena[0];
    for (size_t c = 0; c < shared; c += 8)
      std::memcpy(a + used + c, a + prev + c, 8);
    if (static_cast<size_t>(end - p) >= rest + 8)
      for (size_t c = 0; c < rest; c += 8)
        std::memcpy(a + used + shared + c, p + c, 8);
    else
      std::memcpy(a + used + shared, p, rest);
    p += rest;
    uint64_t w;
    if (!get_varint(p, end, &w) || w > UINT32_MAX)
      return false;
    wdf[i] = static_cast<uint32_t>(w);
    prev = used;
    prevlen = shared + rest;
    used += prevlen;
    off[i + 1] = static_cast<uint32_t>(used);
  }
  return p == end;
}

bool ForwardCursor::open(const std::string &v) {
  p = reinterpret_cast<const unsigned char *>(v.data());
  end = p + v.size();
  i = 0;
  len = 0;
  key = 0;
  if (p == end || *p++ != FWD_VERSION || !get_varint(p, end, &doclen) || !get_varint(p, end, &n))
    return false;
  return n <= static_cast<uint64_t>(end - p) / 3;
}

int ForwardCursor::next() {
  if (i == n)
    return p == end ? 0 : -1;
  if (end - p < 2)
    return -1;
  size_t shared = p[0], rest = p[1];
  p += 2;
  if (shared > len || static_cast<size_t>(end - p) < rest || (i > 0 && rest == 0))
    return -1;
  if (i > 0 && shared < len && static_cast<unsigned char>(buf[shared]) >= p[0])
    return -1;
  std::memcpy(buf + shared, p, rest);
  p += rest;
  len = shared + rest;
  if (shared < 8) {
    uint64_t k;
    std::memcpy(&k, buf, 8); // buf's slack: bytes past len are masked off
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    k = __builtin_bswap64(k);
#endif
    key = len >= 8 ? k : len == 0 ? 0 : k & (~UINT64_C(0) << (8 * (8 - len)));
  }
  uint64_t w;
  if (!get_varint(p, end, &w) || w > UINT32_MAX)
    return -1;
  wdf = static_cast<uint32_t>(w);
  i++;
  return 1;
}

void Forward::load(Xapian::Database &db, Xapian::docid did) {
  std::string v = db.get_document(did, Xapian::DOC_ASSUME_VALID).get_value(FORWARD_SLOT);
  from_termlist = v.empty() || !decode(v);
  if (!from_termlist)
    return;
  // an index written without forward lists (or a corrupt one): Xapian's
  arena.clear();
  off.assign(1, 0);
  wdf.clear();
  for (Xapian::TermIterator t = db.termlist_begin(did), te = db.termlist_end(did); t != te; ++t) {
    arena += *t;
    off.push_back(static_cast<uint32_t>(arena.size()));
    wdf.push_back(t.get_wdf());
  }
  arena.append(FWD_SLACK, '\0');
  doclen = db.get_doclength(did);
}

} // namespace jbx

extern "C" int jb_ixfwd_check(const void *buf, size_t len, size_t *nterms) noexcept {
  if (nterms)
    *nterms = 0;
  if (!buf && len)
    return JB_EINVAL;
  return jbx::guarded(nullptr, [&]() -> int {
    jbx::Forward f;
    const std::string v(static_cast<const char *>(buf), len);
    bool ok = f.decode(v);
    // the cursor the second stage reads with accepts the same lists and
    // gives the same terms, wdf, keys and length
    jbx::ForwardCursor c;
    bool cok = c.open(v);
    size_t k = 0;
    int r = 0;
    while (cok && (r = c.next()) == 1) {
      if (ok && (k >= f.size() || c.term() != f.term(k) || c.wdf != f.wdf[k] || c.key != f.key(k)))
        return JB_EINTERNAL;
      k++;
    }
    cok = cok && r == 0;
    if (cok != ok || (ok && (k != f.size() || c.doclen != f.doclen)))
      return JB_EINTERNAL;
    if (!ok)
      return JB_ESYNTAX;
    // what decode guarantees, checked again: offsets in order, terms ascending
    for (size_t i = 0; i < f.size(); i++) {
      if (f.off[i] > f.off[i + 1] || f.off[i + 1] > f.arena.size())
        return JB_EINTERNAL;
      if (i > 0 && !(f.term(i - 1) < f.term(i)))
        return JB_EINTERNAL;
    }
    if (nterms)
      *nterms = f.size();
    return JB_OK;
  });
}
