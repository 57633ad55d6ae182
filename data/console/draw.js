// SPDX-License-Identifier: GPL-3.0-or-later
// draw.js: DOM building that never parses record text as HTML — every string
// becomes a text node — plus the SVG drawings (explanation bars, charts).
const SVG = "http://www.w3.org/2000/svg";

// el("div", {class: "x", onclick: f}, child, "text", ...): children that are
// strings become text nodes
export function el(tag, attrs, ...kids) {
  const n = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith("on")) n.addEventListener(k.slice(2), v);
    else if (k === "value") n.value = v;
    else n.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of kids.flat()) if (c !== null && c !== undefined && c !== false)
    n.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return n;
}

function svg(tag, attrs, ...kids) {
  const n = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs || {})) n.setAttribute(k, String(v));
  for (const c of kids) n.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return n;
}

// text with every occurrence of the terms wrapped in <mark> (case-folded for
// ASCII), built from text nodes only
export function highlight(text, terms) {
  const f = document.createDocumentFragment();
  const s = String(text ?? "");
  const ts = [...new Set((terms || []).filter(x => x && x.length))].sort((a, b) => b.length - a.length);
  const low = s.toLowerCase();
  let i = 0, last = 0;
  while (i < s.length) {
    const hit = ts.find(x => low.startsWith(x.toLowerCase(), i));
    if (hit) {
      if (i > last) f.append(document.createTextNode(s.slice(last, i)));
      f.append(el("mark", {}, s.slice(i, i + hit.length)));
      i += hit.length;
      last = i;
    } else i++;
  }
  if (last < s.length) f.append(document.createTextNode(s.slice(last)));
  return f;
}

// the API's escaped text with its matches in <em> (search's "highlight" and
// "snippet": every other < > & " ' is an entity) as text nodes and <mark>s:
// only the literal "<em>" and "</em>" are read as markup, the rest is
// unescaped into text, so nothing in a record can become an element
const ENT = { "&amp;": "&", "&lt;": "<", "&gt;": ">", "&quot;": "\"", "&#39;": "'", "&#x27;": "'" };
function unescape(s) { return s.replace(/&(?:amp|lt|gt|quot|#39|#x27);/g, m => ENT[m]); }
export function emText(html) {
  const f = document.createDocumentFragment();
  String(html ?? "").split(/(<em>[\s\S]*?<\/em>)/).forEach(part => {
    if (!part) return;
    const m = /^<em>([\s\S]*)<\/em>$/.exec(part);
    f.append(m ? el("mark", {}, unescape(m[1])) : document.createTextNode(unescape(part)));
  });
  return f;
}

const COLORS = ["#2b6cb0", "#2f855a", "#b7791f", "#c53030", "#6b46c1", "#319795", "#d53f8c", "#718096"];

// the feature contributions as one stacked bar whose length is the score,
// plus one labelled row per non-zero feature (the rows sum to the score)
export function featureBars(features, score) {
  const entries = Object.entries(features || {}).filter(([, v]) => v > 0);
  const W = 300, row = 16, H = 22 + row * entries.length;
  const g = svg("svg", { viewBox: `0 0 ${W + 120} ${H}`, class: "bars", role: "img" });
  let x = 0;
  entries.forEach(([k, v], i) => {
    const w = v * W;
    g.append(svg("rect", { x: x, y: 2, width: Math.max(w, 0.5), height: 14, fill: COLORS[i % COLORS.length] },
                 svg("title", {}, `${k} ${v.toFixed(3)}`)));
    x += w;
    const y = 22 + i * row;
    g.append(svg("rect", { x: 0, y: y, width: Math.max(w, 0.5), height: row - 4, fill: COLORS[i % COLORS.length] }));
    g.append(svg("text", { x: Math.max(w, 0.5) + 4, y: y + row - 6, class: "lbl" }, `${k} ${v.toFixed(3)}`));
  });
  g.append(svg("text", { x: x + 4, y: 14, class: "lbl total" }, `= ${Number(score).toFixed(3)}`));
  g.dataset.sum = entries.reduce((a, [, v]) => a + v, 0).toFixed(6);
  return g;
}

// a horizontal bar chart of {label: number}
export function barChart(title, data) {
  const entries = Object.entries(data || {}).filter(([, v]) => typeof v === "number");
  const max = Math.max(1, ...entries.map(([, v]) => v));
  const row = 18, W = 220, H = row * Math.max(1, entries.length) + 4;
  const g = svg("svg", { viewBox: `0 0 ${W + 200} ${H}`, class: "chart", role: "img" }, svg("title", {}, title));
  entries.forEach(([k, v], i) => {
    const y = i * row + 2, w = (v / max) * W;
    g.append(svg("text", { x: 0, y: y + 12, class: "lbl" }, k.length > 22 ? k.slice(0, 21) + "…" : k));
    g.append(svg("rect", { x: 150, y: y, width: Math.max(w, 1), height: row - 5, fill: COLORS[i % COLORS.length] }));
    g.append(svg("text", { x: 154 + w, y: y + 12, class: "lbl" }, String(v)));
  });
  return el("figure", { class: "chartbox" }, el("figcaption", {}, title), g);
}
