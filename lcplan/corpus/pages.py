"""The report's search: a static index of the statements, written beside ``search.html``, that
works offline from the file system and stays small to load at 100,000 statements.

The index is split into files the page loads only when a query needs them, as ``<script>``
tags (a page opened from disk may not ``fetch``):

- ``search/meta.js``: how many statements, and which term files exist;
- ``search/terms-<key>.js``: for the words that start with ``key`` (their first two characters),
  the numbers of the statements that hold each;
- ``search/records-<n>.js``: the statements themselves, :data:`CHUNK` a file, in package order.

A word matches the words it starts (``hous`` finds *housing*); every word typed must match;
words are compared in lower case without accents, as :func:`words` splits them. Results come in
package order, the first :data:`SHOWN` shown. Like the full-text index of :mod:`lcplan.corpus.index`,
this is derived from the tables and written again with each report, never part of a package.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping
from pathlib import Path

__all__ = ["words", "write_index", "SEARCH_SCRIPT", "CHUNK", "SHOWN"]

CHUNK = 2000  # statements a records file
SHOWN = 200  # results shown at once
KEY = 2  # a term file holds the words that start with the same KEY characters
_SPLIT = re.compile(r"[^\w]+|_")


def words(text: str) -> list[str]:
    """The words of a text as the index holds them: lower case, accents (every combining mark after
    compatibility decomposition) removed, split at every
    character that is not a letter or a digit (the page's script splits a query the same way)."""
    folded = "".join(c for c in unicodedata.normalize("NFKD", text) if unicodedata.category(c)[0] != "M").lower()
    return [w for w in _SPLIT.split(folded) if w]


def _key(word: str) -> str:
    """A term file's key, as a safe file name: the code points of the word's first characters."""
    return "-".join(f"{ord(c):x}" for c in word[:KEY])


def _script(call: str, value: object) -> str:
    return f"LCPLAN_SEARCH.{call}(" + json.dumps(value, ensure_ascii=False, separators=(",", ":")).replace(
        "</", "<\\/") + ");\n"


def write_index(records: Iterable[Mapping[str, str]], folder: Path) -> int:
    """Write the index of ``records`` (each with ``id``, ``text``, ``plan``, ``kind``, ``lines`` and
    ``href``) into ``folder``; returns how many statements it holds."""
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.js"):
        old.unlink()
    postings: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    chunk: list[list[str]] = []
    n = 0
    for n, rec in enumerate(records, start=1):
        k = n - 1
        for w in dict.fromkeys(words(f"{rec['text']} {rec['id']}")):
            postings[_key(w)][w].append(k)
        chunk.append([rec["id"], rec["text"], rec["plan"], rec["kind"], rec["lines"], rec["href"]])
        if len(chunk) == CHUNK:
            (folder / f"records-{k // CHUNK}.js").write_text(_script("records", [k // CHUNK, chunk]), encoding="utf-8")
            chunk = []
    if chunk:
        (folder / f"records-{(n - 1) // CHUNK}.js").write_text(_script("records", [(n - 1) // CHUNK, chunk]),
                                                                encoding="utf-8")
    for key, terms in postings.items():
        (folder / f"terms-{key}.js").write_text(_script("terms", [key, terms]), encoding="utf-8")
    (folder / "meta.js").write_text(_script("meta", {"count": n, "chunk": CHUNK, "shown": SHOWN, "keyLength": KEY,
                                                     "keys": sorted(postings)}), encoding="utf-8")
    return n


SEARCH_SCRIPT = r"""
(function () {
  const box = document.getElementById('q'), list = document.getElementById('results');
  const count = document.getElementById('count');
  const S = {meta: null, terms: {}, records: {}, waiting: {}};
  function esc(s) { return String(s).replace(/[&<>"]/g, function (c) {
    return {'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;'}[c]; }); }
  function load(src, name) {  // a script file of the index, once; resolves when it has run
    if (!S.waiting[name]) S.waiting[name] = new Promise(function (resolve) {
      const s = document.createElement('script'); s.src = 'search/' + src;
      s.onload = function () { resolve(true); }; s.onerror = function () { resolve(false); };
      document.head.appendChild(s); });
    return S.waiting[name];
  }
  window.LCPLAN_SEARCH = {
    meta: function (m) { S.meta = m; S.keys = new Set(m.keys); },
    terms: function (a) { S.terms[a[0]] = a[1]; },
    records: function (a) { S.records[a[0]] = a[1]; },
    last: null
  };
  function words(q) { return q.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase()
    .split(/[^\p{L}\p{N}]+/u).filter(Boolean); }
  function key(w) { return Array.from(w).slice(0, S.meta.keyLength).map(function (c) {
    return c.codePointAt(0).toString(16); }).join('-'); }
  async function hitsOf(w) {  // the statements holding a word that starts with w, ascending
    const k = key(w);
    if (!S.keys.has(k)) return [];
    await load('terms-' + k + '.js', 't' + k);
    const table = S.terms[k] || {}; const out = new Set();
    for (const term in table) if (term.startsWith(w)) for (const n of table[term]) out.add(n);
    return Array.from(out).sort(function (a, b) { return a - b; });
  }
  let serial = 0;
  async function run() {
    const started = performance.now(); const mine = ++serial; const ws = words(box.value);
    history.replaceState(null, '', ws.length ? '?q=' + encodeURIComponent(box.value) : location.pathname);
    if (!ws.length) { list.innerHTML = ''; count.textContent = S.meta.count + ' statements';
      window.LCPLAN_SEARCH.last = {query: box.value, hits: 0, ms: 0}; return; }
    let hits = null;
    for (const w of ws) {
      const h = await hitsOf(w);
      if (hits === null) hits = h; else { const have = new Set(h); hits = hits.filter(function (n) { return have.has(n); }); }
      if (!hits.length) break;
    }
    const shown = hits.slice(0, S.meta.shown);
    const chunks = Array.from(new Set(shown.map(function (n) { return Math.floor(n / S.meta.chunk); })));
    await Promise.all(chunks.map(function (c) { return load('records-' + c + '.js', 'r' + c); }));
    if (mine !== serial) return;  // a later query has started: its results win
    list.innerHTML = shown.map(function (n) {
      const s = S.records[Math.floor(n / S.meta.chunk)][n % S.meta.chunk];
      return '<li><a href="' + esc(s[5]) + '">' + esc(s[1]) + '</a><div class="meta">' + esc(s[2]) + ', ' +
        esc(s[3]) + ', lines ' + esc(s[4]) + ' &middot; ' + esc(s[0]) + '</div></li>'; }).join('');
    count.textContent = hits.length + ' of ' + S.meta.count + ' statements' +
      (hits.length > shown.length ? ' (the first ' + shown.length + ' shown)' : '');
    window.LCPLAN_SEARCH.last = {query: box.value, hits: hits.length, ms: performance.now() - started};
    list.dataset.query = box.value;
  }
  load('meta.js', 'meta').then(function (ok) {
    if (!ok) { count.textContent = 'The search index (search/meta.js) is missing.'; return; }
    box.addEventListener('input', run);
    const q = new URLSearchParams(location.search).get('q'); if (q) box.value = q;
    run();
  });
})();
"""
