/* SPDX-License-Identifier: GPL-3.0-or-later */
/* regional.c: Taiwan vocabulary to the mainland's (晶片 → 芯片, 記憶體 → 内存,
 * 軟體 → 软件), after Traditional → Simplified (tokenizer_int.h).
 *
 * t2s converts characters and phrases of the same words; a Taiwan text also
 * uses other words for the same things, so 晶片 and 芯片 shared no term.
 * OpenCC's tw2sp converts those too, but applied to whole texts it is wrong
 * for matching: its character stage writes the 著 of 显著 as 着, and its
 * phrase dictionary (TWPhrasesRev) holds words that are also the mainland's
 * own, with another sense — 程序 → 进程, 序列 → 串行, 核心 → 内核, 建立 → 创建,
 * 通道 → 信道, 文件 → 文档, 指標 → 指针: of the 33,231 Han runs of the CSL
 * titles and abstracts (mainland texts, no Taiwan word to convert) it
 * changed 651.
 *
 * So only the words below are converted, each by OpenCC's tw2sp (the
 * conversion is OpenCC's; the list says which of its entries apply). They
 * are the entries of TWPhrasesRev (libopencc-data 1.1.6, 518 entries) whose
 * simplified form the mainland lexicon (jieba's dict.txt) does not know, or
 * knows at most a third as often as the replacement, read one by one, with
 * those dropped whose key is a mainland word of its own sense too (支援,
 * 效能, 物件, 存取, 外接, 分散式, 多型 — polytype —, 防毒, 剪下, 相簿, 重新整理,
 * 儲存, 檔案, 連結, 類比, 區域性, 聯絡, 設定, 開啟, 高階 — 高阶导数 —, 陣列 —
 * 阵列天线 —, 寬頻, 掃描器, 宕機, 稽覈, 進階, 影象, 冰棒, 內建 — 内建自测试 —),
 * and 醯 → 酰 (acyl) added; left out too: keys with Latin letters (PN接面),
 * those t2s writes outside the BMP (鋂, 鎝, 鑀), OpenCC's slips (那杜 → 温纳
 * 图万, 原始碼 → 原代码) and a game's name (傷心小棧).
 * A key is matched in its simplified form, so a mainland text that writes
 * it is converted too: what is left are near-synonyms (模组 and 模块, 触控
 * and 触摸, 线上 and 在线), and both sides of a match convert alike. The
 * conversion happens where the key is a word, or words, of its own: where
 * the segmenter, run on the Han run that holds it, puts a word boundary at
 * its start and its end (程式 of 方程式 and 程式化, 多工 of 多工况, 线上 of
 * 生产线上 stay; of 视讯会议室 视讯 is converted, not 视讯会议), a compound
 * of a key and a lexicon word being cut between them (应用程式 → 应用程序).
 * A one-character key (an element's name: 醯, 鈽) is converted everywhere. */
#include <stdlib.h>
#include <string.h>

#include <unicode/ustring.h>
#include <unicode/utf16.h>

#include "locale/tokenizer_int.h"

static const char *const keys[] = {
    "三極體", "下拉選單", "中介軟體", "串列埠", "主機板", "主開機記錄",
    "乙太網", "二極體", "互動式", "亞塞拜然", "人工智慧", "介面",
    "介面卡", "伺服器", "佇列", "位元", "位元率", "位元組",
    "位元速率", "位址", "位址列", "低階", "作業系統", "使用者",
    "使用者名稱", "來電轉駁", "例項", "偵錯", "偵錯程式", "傅立葉",
    "價效比", "優先順序", "光碟", "光碟機", "克羅埃西亞",
    "入口網站", "內碼表", "全域性", "全球資訊網", "函式",
    "函數語言程式設計", "刀鋒伺服器", "分割槽", "分時多工", "分時多重進接",
    "分碼多重進接", "分空間多重進接", "分頻多工", "分頻多重進接", "列印",
    "列支敦斯登", "前處理器", "副檔名", "加彭", "匯出", "匯流排",
    "區域網", "千里達及托巴哥", "半形", "卡達", "印表機", "厄利垂亞",
    "厄瓜多", "原始檔", "原生代碼", "參數列", "叢集",
    "史瓦濟蘭", "吉布地", "吉里巴斯", "名稱空間", "吐瓦魯", "命令列",
    "哥斯大黎加", "喬治亞", "回撥", "坦尚尼亞", "型別", "執行緒",
    "場效電晶體", "塑膠", "塞席爾", "塞普勒斯", "夏農", "外來鍵",
    "多執行緒", "多工", "多明尼加", "太空梭", "奈及利亞", "奈米",
    "子音", "字串", "字元", "字型檔", "字尾", "字首",
    "安地卡及巴布達", "宏都拉斯", "定址", "實體地址", "實體記憶體",
    "寮國", "專案", "對映", "對話方塊", "尚比亞", "尤拉", "尼日",
    "巢狀", "工作列", "工作管理員", "巨集", "巴布亞紐幾內亞", "巴貝多",
    "布吉納法索", "布林", "帛琉", "平行計算", "幾內亞比索", "序號產生器",
    "建構函式", "引數", "後設資料", "快取", "快取記憶體", "快捷半導體",
    "快閃記憶體", "感測", "技術長", "指令式程式設計", "指令碼", "排程",
    "搜尋", "摺積", "擴充套件", "攜帶型", "數位", "數位印刷",
    "數位電子", "數位電路", "數據機", "斯洛維尼亞", "映象管", "時脈頻率",
    "晶片", "智慧財產權", "暫存器", "最佳化", "有失真壓縮", "查德",
    "格瑞那達", "桌上型電腦", "標頭檔案", "模組", "模里西斯", "檔名",
    "檢視", "正規表示式", "母音", "氣泡排序", "永珍", "永續性",
    "汶萊", "沙烏地阿拉伯", "泡麵", "波士尼亞赫塞哥維納", "波札那",
    "波長分波多工", "游標", "溢位", "滑鼠", "演算法", "無失真壓縮",
    "燒錄", "營運長", "片語", "物件導向", "狀態列", "瓜地馬拉",
    "甘比亞", "畫素", "登入", "登錄檔", "盧安達", "目的碼", "直譯器",
    "真實模式", "矽", "砈", "破圖", "硬碟", "硬體", "磁碟",
    "磁碟機代號", "社羣", "程序導向", "程序式程式設計", "程式", "程式碼",
    "程式設計", "程式設計師", "程式語言", "積體電路", "空氣清淨機",
    "空間多工", "突尼西亞", "簡訊", "簽帳金融卡", "紐西蘭", "索羅門羣島",
    "索馬利亞", "終端使用者", "組合語言", "組譯", "結束通話", "維德角",
    "網咖", "網絡卡", "網路", "網路上的芳鄰", "網際網路", "線上",
    "縮排", "繫結", "義大利", "聖克里斯多福及尼維斯", "聖文森及格瑞那丁",
    "聖露西亞", "聖馬利諾", "聯結器", "肯亞", "腳踏車", "膝上型電腦",
    "自動旋轉螢幕", "茅利塔尼亞", "莫三比克", "萬用字元", "萬那杜",
    "葉門", "葛摩", "蒲隆地", "蓋亞那", "藍色畫面", "藍芽", "蘇利南",
    "虛擬函式", "虛擬機器", "虛擬碼", "螢幕", "行內函數", "行動式",
    "行動硬碟", "行動網路", "行動資料", "行動通訊", "行動電話",
    "衣索比亞", "表示式", "覈取按鈕", "覈取方塊", "視窗", "視覺化",
    "視訊", "視訊會議", "視訊記憶體", "視訊通話", "解析度", "解構函式",
    "解除安裝", "觸控", "觸控式螢幕", "計程車", "訊息", "訊號",
    "訊雜比", "記憶體", "許可權", "調色盤", "調變", "諾魯",
    "識別符號", "變數", "象牙海岸", "貝南", "貝里斯", "貼上",
    "資料來源", "資料倉儲", "資料包", "資料夾", "資料庫", "資料探勘",
    "資訊", "資訊保安", "資訊理論", "資訊科技", "資訊長", "賓士",
    "賴比瑞亞", "賴索托", "超程式設計", "跳脫字元", "軟碟機", "軟體",
    "載入程式", "辛巴威", "迦納", "迴圈", "透過", "通話卡", "速食麵",
    "連結串列", "連線", "進位制", "運算元", "運算子", "運算式",
    "遞迴", "遠端", "選單", "邏輯閘", "部落格", "都會網路",
    "醯", "釋出", "金氧半導體", "金鑰", "鈽", "錄影",
    "鐳射", "閘流體", "閘道器", "閘電路", "關聯式資料庫",
    "阿拉伯聯合大公國", "除錯", "隨身碟", "雲端儲存", "雲端計算",
    "電晶體", "電腦保安", "電腦科學", "非同步", "韌體", "頁尾",
    "頁首", "頻寬", "類别範本", "類比電子", "類比電路", "顯示卡",
    "飛航模式", "馬利共和國", "馬爾地夫", "駭客", "高效能運算", "高畫質",
    "高空彈跳", "點選",
};

#define NKEYS (sizeof keys / sizeof *keys)
#define NSLOTS 1024 /* both hash tables; at least twice the keys */
_Static_assert(NKEYS * 2 <= NSLOTS, "the hash tables hold twice the keys");
#define MAXKEY 16 /* UTF-16 units of the longest key */

struct jb__regional {
  UChar *text; /* every key, then its replacement, back to back */
  struct rentry {
    uint32_t koff, voff;
    uint8_t klen, vlen;
  } *e;
  size_t ne;
  uint32_t *slot; /* open addressing: index + 1 into e, 0 = empty */
  size_t nslot;   /* a power of two */
  uint8_t gate[65536 / 8];   /* bit per BMP unit that starts a key */
  uint8_t single[65536 / 8]; /* bit per BMP unit that is a key alone */
  uint8_t second[65536 / 8]; /* bit per BMP unit that is a key's second */
  struct rpair {
    uint32_t pair; /* a key's first two units, first << 16 | second; 0 = empty */
    uint32_t lens; /* bit k - 1 set when a key of k units starts so */
  } *pairs;
  size_t npairs; /* slots, a power of two */
};

static uint32_t hash16(const UChar *s, int32_t n) {
  uint32_t h = 2166136261u;
  for (int32_t i = 0; i < n; i++)
    h = (h ^ s[i]) * 16777619u;
  return h;
}

/* the lengths of the keys that start with the units a, b (bit k - 1 for k):
 * NULL for none, or with add a new slot for them (the table has room:
 * NSLOTS) */
static uint32_t *pair_lens(const jb__regional *r, UChar a, UChar b, int add) {
  uint32_t key = (uint32_t)a << 16 | b;
  size_t mask = r->npairs - 1;
  for (size_t h = (key * 2654435769u) >> 7 & mask;; h = (h + 1) & mask) {
    if (r->pairs[h].pair == key)
      return &r->pairs[h].lens;
    if (!r->pairs[h].pair) {
      if (!add)
        return NULL;
      r->pairs[h].pair = key;
      return &r->pairs[h].lens;
    }
  }
}

/* the entry whose key is s[0..n), or NULL */
static const struct rentry *lookup(const jb__regional *r, const UChar *s, int32_t n) {
  size_t mask = r->nslot - 1;
  for (size_t h = hash16(s, n) & mask; r->slot[h]; h = (h + 1) & mask) {
    const struct rentry *e = &r->e[r->slot[h] - 1];
    if (e->klen == n && !memcmp(r->text + e->koff, s, (size_t)n * sizeof(UChar)))
      return e;
  }
  return NULL;
}

void jb__regional_free(jb__regional *r) {
  if (!r)
    return;
  free(r->text);
  free(r->e);
  free(r->slot);
  free(r->pairs);
  free(r);
}

/* every key, one a line: a malloc'd UTF-8 text of *len bytes, or NULL */
static char *keys_text(size_t *len) {
  *len = 0;
  for (size_t i = 0; i < NKEYS; i++)
    *len += strlen(keys[i]) + 1;
  char *in = malloc(*len + 1), *p = in;
  for (size_t i = 0; in && i < NKEYS; i++) {
    size_t l = strlen(keys[i]);
    memcpy(p, keys[i], l);
    p += l;
    *p++ = '\n';
  }
  if (in)
    *p = '\0';
  return in;
}

/* in[0..len) through the converter cc: a malloc'd UTF-16 text (*n units),
 * or NULL with *rc JB_ENOMEM or JB_EOPENCC */
static UChar *convert_all(opencc_t cc, const char *in, size_t len, int32_t *n, int *rc) {
  *rc = JB_ENOMEM;
  if (!in)
    return NULL;
  char *out = opencc_convert_utf8(cc, in, len);
  if (!out) {
    *rc = JB_EOPENCC;
    return NULL;
  }
  UErrorCode ec = U_ZERO_ERROR;
  int32_t got = 0;
  size_t olen = strlen(out);
  UChar *u = malloc((olen + 1) * sizeof *u);
  if (u)
    u_strFromUTF8(u, (int32_t)olen + 1, &got, out, (int32_t)olen, &ec);
  opencc_convert_utf8_free(out);
  if (!u || U_FAILURE(ec)) {
    free(u);
    return NULL;
  }
  *n = got;
  return u;
}

int jb__regional_new(opencc_t t2s, jb__regional **out) {
  *out = NULL;
  opencc_t tw = opencc_open("tw2sp.json");
  if (tw == (opencc_t)-1)
    return JB_EOPENCC;
  int32_t nk = 0, nv = 0;
  int krc = JB_OK, vrc = JB_OK;
  size_t len;
  char *in = keys_text(&len);
  UChar *ks = convert_all(t2s, in, len, &nk, &krc), *vs = convert_all(tw, in, len, &nv, &vrc);
  free(in);
  opencc_close(tw);
  jb__regional *r = calloc(1, sizeof *r);
  int rc = !ks ? krc : !vs ? vrc : r ? JB_OK : JB_ENOMEM;
  /* one line a key from either converter, or the pairs would not line up */
  size_t lk = 0, lv = 0;
  for (int32_t i = 0; rc == JB_OK && i < nk; i++)
    lk += ks[i] == u'\n';
  for (int32_t i = 0; rc == JB_OK && i < nv; i++)
    lv += vs[i] == u'\n';
  if (rc == JB_OK && (lk != NKEYS || lv != NKEYS))
    rc = JB_EOPENCC;
  if (rc == JB_OK) {
    r->text = malloc(((size_t)nk + (size_t)nv) * sizeof *r->text);
    r->e = calloc(NKEYS, sizeof *r->e);
    r->nslot = r->npairs = NSLOTS;
    r->slot = calloc(r->nslot, sizeof *r->slot);
    r->pairs = calloc(r->npairs, sizeof *r->pairs);
    if (!r->text || !r->e || !r->slot || !r->pairs)
      rc = JB_ENOMEM;
  }
  /* line i of each conversion is key i: simplified, and its replacement */
  int32_t a = 0, b = 0, used = 0;
  for (size_t i = 0; rc == JB_OK && i < NKEYS && a < nk && b < nv; i++) {
    int32_t ae = a, be = b;
    while (ae < nk && ks[ae] != u'\n')
      ae++;
    while (be < nv && vs[be] != u'\n')
      be++;
    int32_t kl = ae - a, vl = be - b;
    if (kl > 0 && kl <= MAXKEY && vl > 0 && vl < 256 && U16_IS_SINGLE(ks[a]) && ks[a] &&
        (kl != vl || memcmp(ks + a, vs + b, (size_t)kl * sizeof(UChar))) &&
        !lookup(r, ks + a, kl)) {
      struct rentry *e = &r->e[r->ne];
      e->koff = (uint32_t)used;
      memcpy(r->text + used, ks + a, (size_t)kl * sizeof(UChar));
      used += kl;
      e->voff = (uint32_t)used;
      memcpy(r->text + used, vs + b, (size_t)vl * sizeof(UChar));
      used += vl;
      e->klen = (uint8_t)kl;
      e->vlen = (uint8_t)vl;
      size_t mask = r->nslot - 1, h = hash16(ks + a, kl) & mask;
      while (r->slot[h])
        h = (h + 1) & mask;
      r->slot[h] = (uint32_t)++r->ne;
      r->gate[ks[a] >> 3] |= (uint8_t)(1u << (ks[a] & 7));
      if (kl == 1)
        r->single[ks[a] >> 3] |= (uint8_t)(1u << (ks[a] & 7));
      else {
        *pair_lens(r, ks[a], ks[a + 1], 1) |= 1u << (kl - 1);
        r->second[ks[a + 1] >> 3] |= (uint8_t)(1u << (ks[a + 1] & 7));
      }
    }
    a = ae + 1;
    b = be + 1;
  }
  free(ks);
  free(vs);
  if (rc != JB_OK) {
    jb__regional_free(r);
    return rc;
  }
  *out = r;
  return JB_OK;
}

/* the one-character key s[i], or NULL */
static const struct rentry *single_at(const jb__regional *r, const UChar *s, int32_t i) {
  UChar c = s[i];
  return r->single[c >> 3] & (1u << (c & 7)) ? lookup(r, s + i, 1) : NULL;
}

/* The longest key at s[i..n) that is not refused (ok: the key's end on a
 * word boundary; NULL: every key ends well), then a one-character key. */
static const struct rentry *key_at(const jb__regional *r, const UChar *s, int32_t n, int32_t i,
                                   const uint8_t *ok) {
  UChar c = s[i];
  if (c < 0x3400 || !(r->gate[c >> 3] & (1u << (c & 7))))
    return NULL;
  const uint32_t *lens = i + 1 < n && (r->second[s[i + 1] >> 3] & (1u << (s[i + 1] & 7)))
                             ? pair_lens(r, c, s[i + 1], 0)
                             : NULL;
  const struct rentry *e = NULL;
  for (int32_t k = MAXKEY; lens && k >= 2; k--)
    if ((*lens >> (k - 1) & 1) && k <= n - i && (!ok || ok[i + k]) && (e = lookup(r, s + i, k)))
      return e;
  return single_at(r, s, i);
}

/* whether s[0..n) is a word of the lexicon */
static int is_word(const jb_lexicon *lx, const UChar *s, int32_t n) {
  uint32_t node = 0;
  for (int32_t i = 0; i < n; i++)
    if (!U16_IS_SINGLE(s[i]) || !(node = jb__lex_child(lx, node, s[i])))
      return 0;
  return lx->freq[node] > 0;
}

/* Marks in t->regok[a..b] the word boundaries the segmenter puts in the
 * Han run t->text[a..b) (its ends included): a key is replaced only where
 * it is a word, or words, of its own — not 程式 of 方程式, 多工 of 多工况,
 * 视讯会议 of 视讯会议室 (视讯 is), 线上 of 生产线上. JB_OK or JB_ENOMEM. */
static int boundaries(jb_tokenizer *t, int32_t a, int32_t b) {
  memset(t->regok + a, 0, (size_t)(b - a) + 1);
  int rc = jb__tk_han_words(t, a, b);
  if (rc != JB_OK)
    return rc;
  t->regok[a] = t->regok[b] = 1;
  for (size_t k = 0; k < t->npcs; k++) {
    int32_t pa = t->pcs[k].start, pb = t->pcs[k].end;
    t->regok[pa] = t->regok[pb] = 1;
    /* a compound of a key and a word of two characters or more that the
     * lexicon holds whole (应用程式: 应用 + 程式) is cut between them; 方程式
     * (方 + 程式), 程式化 and 感测器 are not */
    for (int32_t m = pa + 2; m + 2 <= pb && pb - pa <= 2 * MAXKEY; m++)
      if ((lookup(t->regional, t->text + pa, m - pa) && is_word(t->lx, t->text + m, pb - m)) ||
          (lookup(t->regional, t->text + m, pb - m) && is_word(t->lx, t->text + pa, m - pa)))
        t->regok[m] = 1;
  }
  return JB_OK;
}

int jb__regional_apply(jb_tokenizer *t) {
  const jb__regional *r = t->regional;
  const UChar *s = t->text;
  int32_t n = t->tlen, copied = 0, olen = 0;
  if (!r || n == 0)
    return JB_OK;
  /* the segmenter is asked only about the Han runs that hold a key (most
   * texts hold none); without a lexicon there is no segmenter, and no guard */
  int seg = t->lx && t->lx->nwords;
  if (seg && (size_t)n + 1 > t->regokcap) {
    uint8_t *p = realloc(t->regok, (size_t)n + 1);
    if (!p)
      return JB_ENOMEM;
    t->regok = p;
    t->regokcap = (size_t)n + 1;
  }
  int32_t run_a = -1, run_b = -1; /* the Han run whose boundaries regok holds */
  int any = 0;
  for (int32_t i = 0; i < n; i++) {
    UChar c = s[i];
    if (c < 0x3400 || !(r->gate[c >> 3] & (1u << (c & 7))))
      continue;
    const uint8_t *ok = NULL;
    if (seg) {
      if (i >= run_b) {
        /* a run not yet segmented: only when a key starts here */
        if (!key_at(r, s, n, i, NULL))
          continue;
        run_a = i;
        while (run_a > 0 && U16_IS_SINGLE(s[run_a - 1]) && jb_is_han(s[run_a - 1]))
          run_a--;
        run_b = i;
        while (run_b < n && U16_IS_SINGLE(s[run_b]) && jb_is_han(s[run_b]))
          run_b++;
        int rc = boundaries(t, run_a, run_b);
        if (rc != JB_OK)
          return rc;
      }
      ok = t->regok;
    }
    /* inside a word only a one-character key (乙醯 of 乙醯胆碱) */
    const struct rentry *e = ok && !ok[i] ? single_at(r, s, i) : key_at(r, s, n, i, ok);
    if (!e)
      continue;
    /* the text before the key as it is, then the replacement */
    int64_t need = (int64_t)olen + (i - copied) + e->vlen + (n - i) + 1;
    int rc = grow16(&t->reg, &t->regcap, need);
    if (rc != JB_OK)
      return rc;
    any = 1;
    memcpy(t->reg + olen, s + copied, (size_t)(i - copied) * sizeof(UChar));
    olen += i - copied;
    memcpy(t->reg + olen, r->text + e->voff, (size_t)e->vlen * sizeof(UChar));
    olen += e->vlen;
    copied = i + e->klen;
    i = copied - 1;
  }
  if (!any)
    return JB_OK;
  memcpy(t->reg + olen, s + copied, (size_t)(n - copied) * sizeof(UChar));
  olen += n - copied;
  t->text = t->reg;
  t->tlen = olen;
  return JB_OK;
}
