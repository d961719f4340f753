"""The report: one folder of static pages that works from ``file://`` with no network.

``build_report(out)`` writes:

- ``index.html``: the key findings in words and numbers (computed now by
  :func:`lcplan.analysis.key_findings`), the pages, the plans, the tables to download, a search box;
- one page per notebook (one that needs a table the package has no rows of, named in its
  metadata ``lcplan.needs``, is listed as not built), executed with nbclient: interactive charts (tooltips, hover; the
  Vega bundle from vl-convert, written once to ``assets/vega-embed.js``), captioned tables
  shown whole and sortable by a click on a column head, every statement ID a link to its
  source lines, every evidence address a link;
- ``source-<document_id>.html`` per plan: the source text with line numbers and an anchor per
  line (``#L12``) and per statement (``#<item_id>``), the statement's lines highlighted;
- ``search.html``: a search over every statement, offline, from a static index in ``search/`` (:mod:`lcplan.corpus.pages`);
- ``data/``: the package's tables as CSV with ``datapackage.json``, and the data dictionary.

Imports nbclient and nbconvert (the ``notebooks`` extra). Runs from a checkout or an
installed wheel (the notebooks ship in it).
"""

from __future__ import annotations

import csv
import html
import json
import os
import re
import shutil
from pathlib import Path

from lcplan._version import __version__
from lcplan.dictionary import read_records
from lcplan.loaders import PackageLike, package_folder
from lcplan.paths import NotACheckout, notebooks_dir, repo_root

__all__ = ["build_report"]

STYLE = """
body { font-family: Helvetica, Arial, sans-serif; max-width: 1180px; margin: 2em auto; padding: 0 1em;
       color: #222; line-height: 1.45; }
nav { margin-bottom: 1.5em; font-size: 0.9em; } nav a { margin-right: 1em; }
table { border-collapse: collapse; font-size: 0.85em; margin: 0.5em 0 1.5em; }
caption { caption-side: top; text-align: left; font-weight: bold; padding: 0.3em 0; font-size: 1.05em; }
th, td { border: 1px solid #ddd; padding: 3px 6px; text-align: left; vertical-align: top; white-space: normal; }
th.sortable { cursor: pointer; background: #f3f3f3; } th.sortable:after { content: " \\2195"; color: #999; }
pre { background: #f6f6f6; padding: 0.6em; overflow-x: auto; font-size: 0.85em; white-space: pre-wrap; }
.jp-InputArea, .input { display: none; }
.lcplan-chart { margin: 1em 0 2em; }
ul.findings li { margin-bottom: 0.4em; }
.source { font-family: Menlo, Consolas, monospace; font-size: 0.85em; }
.source .ln { display: flex; } .source .ln:target, .source .ln.hl { background: #fff3b0; }
.source .no { color: #999; min-width: 4em; text-align: right; padding-right: 1em; user-select: none; }
.source .no a { color: #999; text-decoration: none; }
.source .tx { white-space: pre-wrap; flex: 1; }
.source .stmt { font-size: 0.8em; margin-left: 5em; color: #1f4e79; }
.source .ln.furniture .tx { color: #999; }
#results li { margin-bottom: 0.6em; } #results .meta { color: #666; font-size: 0.85em; }
input[type=search] { font-size: 1.1em; padding: 0.3em; width: 28em; max-width: 100%; }
a.anchor-link { display: none; }
footer { margin-top: 3em; font-size: 0.8em; color: #666; }
"""

SORT_SCRIPT = """
document.querySelectorAll('table').forEach(function (table) {
  const head = table.tHead; const body = table.tBodies[0];
  if (!head || !body) return;
  const cells = head.rows[head.rows.length - 1].cells;
  Array.prototype.forEach.call(cells, function (th, col) {
    th.classList.add('sortable'); th.title = 'Sort by this column';
    th.addEventListener('click', function () {
      const asc = th.dataset.sort !== 'asc'; th.dataset.sort = asc ? 'asc' : 'desc';
      const rows = Array.prototype.slice.call(body.rows);
      const key = function (r) { const t = (r.cells[col] || {}).textContent || '';
        const n = parseFloat(t.replace(/[£,%]/g, '')); return isNaN(n) || !/^[-£\\d.,%\\s]+$/.test(t) ? t.toLowerCase() : n; };
      rows.sort(function (a, b) { const x = key(a), y = key(b);
        return (x < y ? -1 : x > y ? 1 : 0) * (asc ? 1 : -1); });
      rows.forEach(function (r) { body.appendChild(r); });
    });
  });
});
"""

HIGHLIGHT_SCRIPT = """
function highlight() {
  document.querySelectorAll('.ln.hl').forEach(function (e) { e.classList.remove('hl'); });
  const id = decodeURIComponent(location.hash.slice(1)); const span = STATEMENTS[id];
  if (!span) return;
  for (let n = span[0]; n <= span[1]; n++) { const e = document.getElementById('L' + n); if (e) e.classList.add('hl'); }
  const first = document.getElementById('L' + span[0]); if (first) first.scrollIntoView({block: 'center'});
}
window.addEventListener('hashchange', highlight); highlight();
"""

def _page(title: str, body: str, nav: str, package_title: str, head: str = "", script: str = "") -> str:
    return (f"<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<title>{html.escape(title)}</title><style>{STYLE}</style>{head}</head>\n"
            f"<body><nav>{nav}</nav>\n{body}\n"
            f"<footer>lcplan {__version__}: {html.escape(package_title)}. "
            f"Plan texts © their publishers.</footer>\n"
            + (f"<script>{script}</script>\n" if script else "") + "</body></html>\n")


def _descriptor(folder: Path) -> dict:
    return json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))


def _rows(folder: Path, name: str) -> list[dict[str, str]]:
    return read_records(folder / "data" / f"{name}.csv", missing_ok=True)


class _Reported:
    """What the report is of: one package, or every package of a corpus (their plans side by side)."""

    def __init__(self, package: PackageLike):
        from lcplan.corpus.corpus import is_corpus, read_corpus

        self.corpus = is_corpus(package)
        if self.corpus:
            corpus = read_corpus(package)
            self.folders = list(corpus.packages)
            self.given: Path | None = corpus.path
            self.title = corpus.title or f"A corpus of {len(self.folders)} packages"
        else:
            folder = package_folder(package)
            self.folders = [folder]
            self.given = None if package is None else folder
            self.title = _descriptor(folder)["title"]
        by_folder = [(f, _rows(f, "documents")) for f in self.folders]
        self.docs = [d for _, docs in by_folder for d in docs]
        self.folder_of = {d["document_id"]: f for f, docs in by_folder for d in docs}
        self.items = [it for f in self.folders for it in _rows(f, "items")]

    def has_rows(self, table: str) -> bool:
        return any(_rows(f, table) for f in self.folders)


_PARAMETER = re.compile(r"^PACKAGE = None\b.*$", re.M)
_PLANS = re.compile(r"^PLANS = None\b.*$", re.M)


def _with_package(nb, folder: Path | None, plans: str | None = None):
    """The notebook with its ``PACKAGE = None`` parameter set to ``folder`` (a package or a corpus)
    and, given ``plans``, its ``PLANS = None`` to it (in memory)."""
    if folder is None:
        return nb
    for cell in nb.cells:
        if cell.cell_type == "code" and _PARAMETER.search(cell.source):
            setting = f"PACKAGE = {str(folder)!r}"
            cell.source = _PARAMETER.sub(lambda _: setting, cell.source, count=1)  # the path taken literally
            if plans is not None:
                cell.source = _PLANS.sub(lambda _: f"PLANS = {plans!r}", cell.source, count=1)
            return nb
    raise ValueError("the notebook has no `PACKAGE = None` parameter line to set")


def _source_href(document_id: str, anchor: str) -> str:
    return f"source-{document_id}.html#{anchor}"


def _title(nb) -> str:
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return "Notebook"


def _summary(nb) -> str:
    """The notebook's first paragraph after its title, for the index."""
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            paras = [p.strip() for p in cell.source.split("\n\n") if p.strip() and not p.startswith("#")]
            if paras:
                text = re.sub(r"[`*_]", "", paras[0]).replace("\n", " ")
                return re.split(r"(?<=[.?!])\s", text, maxsplit=1)[0]
    return ""


_CELL = re.compile(r"(<td[^>]*>)\s*([^<>]+?)\s*(</td>)")
_ADDRESS = re.compile(r"(?:https?://)?[a-z0-9-]+(?:\.[a-z0-9-]+)+/[^\s<>\"]*", re.I)


def _link_cells(body: str, items: dict[str, dict[str, str]]) -> str:
    """A table cell that is a statement's ID links to its source lines; a cell that is a web
    address links to it."""
    def swap(m: re.Match[str]) -> str:
        text = html.unescape(m.group(2))
        if text in items:
            href = _source_href(items[text]["document_id"], text)
            return f'{m.group(1)}<a href="{html.escape(href)}">{m.group(2)}</a>{m.group(3)}'
        if _ADDRESS.fullmatch(text):
            href = text if text.startswith(("http://", "https://")) else "https://" + text
            return f'{m.group(1)}<a href="{html.escape(href)}" rel="noreferrer">{m.group(2)}</a>{m.group(3)}'
        return m.group(0)

    return _CELL.sub(swap, body)


def _source_page(folder: Path, doc: dict[str, str], items: list[dict[str, str]], nav: str,
                 package_title: str) -> str:
    """One plan's source text, a line a row, with line anchors; statements marked at their first line."""
    path = folder / doc["source_path"]
    lines = path.read_text(encoding="utf-8").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    starts: dict[int, list[dict[str, str]]] = {}
    spans = {}
    covered = set()
    for it in items:
        a, b = int(it["line_start"]), int(it["line_end"])
        starts.setdefault(a, []).append(it)
        spans[it["item_id"]] = [a, b]
        covered.update(range(a, b + 1))
    out = [f"<h1>{html.escape(doc['title'])}</h1>",
           f"<p>The source text of <code>{html.escape(doc['document_id'])}</code> as the package holds it "
           f"(<code>{html.escape(doc['source_path'])}</code>, sha256 <code>{html.escape(doc['source_sha256'][:16])}…</code>), "
           f"{len(lines):,} lines, {len(items):,} statements. A statement's lines are highlighted when a link "
           f"leads here; greyed lines are not statements (headings, furniture, blank).</p>", '<div class="source">']
    for n, line in enumerate(lines, start=1):
        for it in starts.get(n, []):
            out.append(f'<div class="stmt" id="{html.escape(it["item_id"])}">{html.escape(it["item_id"])} '
                       f'({html.escape(it["kind"])}, lines {it["line_start"]}-{it["line_end"]})</div>')
        cls = "ln" if n in covered else "ln furniture"
        out.append(f'<div class="{cls}" id="L{n}"><span class="no"><a href="#L{n}">{n}</a></span>'
                   f'<span class="tx">{html.escape(line) or "&nbsp;"}</span></div>')
    out.append("</div>")
    script = "const STATEMENTS = " + json.dumps(spans).replace("</", "<\\/") + ";\n" + HIGHLIGHT_SCRIPT
    return _page(doc["title"], "\n".join(out), nav, package_title, script=script)


def _search_page(out: Path, items: list[dict[str, str]], labels: dict[str, str], nav: str, package_title: str) -> str:
    """The search page, and its index in ``search/`` (:mod:`lcplan.corpus.pages`): the page loads
    only the parts of the index a query needs, so it opens as fast at 100,000 statements as at 100."""
    from lcplan.corpus.pages import SEARCH_SCRIPT, write_index
    from lcplan.registry import categories

    kinds = {c["value"]: c.get("label", c["value"]) for c in categories("items", "kind")}  # labels people read
    write_index(({"id": it["item_id"], "text": it["text"], "kind": kinds.get(it["kind"], it["kind"]),
                  "plan": labels.get(it["document_id"], ""), "lines": f"{it['line_start']}-{it['line_end']}",
                  "href": _source_href(it["document_id"], it["item_id"])} for it in items), out / "search")
    body = ("<h1>Search the statements</h1><p>Every statement of every plan. Each word typed must begin a "
            "word of the statement (or of its ID); capitals and accents do not count. A result opens the "
            "statement at its source lines.</p>"
            '<p><input type="search" id="q" placeholder="e.g. housing, climate, 2030" autofocus> '
            '<span id="count"></span></p><ol id="results"></ol>')
    return _page("Search the statements", body, nav, package_title, script=SEARCH_SCRIPT)


def _copy_data(folder: Path, out: Path, descriptor: dict) -> list[tuple[str, str, int]]:
    """The tables as CSV beside the report, with the descriptor and the dictionary."""
    dest = out / "data"
    dest.mkdir(exist_ok=True)
    listed = []
    for res in descriptor["resources"]:
        if res.get("type") == "table" or str(res.get("path", "")).endswith(".csv"):
            src = folder / res["path"]
            shutil.copyfile(src, dest / src.name)
            with open(src, encoding="utf-8", newline="") as fh:
                n = sum(1 for _ in csv.reader(fh)) - 1
            listed.append((src.name, res.get("title", res["name"]), n))
    shutil.copyfile(folder / "datapackage.json", dest / "datapackage.json")
    return listed


def _union_data(corpus: Path, out: Path) -> list[tuple[str, str, int]]:
    """Every table of a corpus's packages as one CSV beside the report (``lcplan.load(name, corpus=...)``)."""
    from lcplan.loaders import load, tables
    from lcplan.registry import table_schema

    dest = out / "data"
    dest.mkdir(exist_ok=True)
    listed = []
    for name in tables(corpus):
        frame = load(name, corpus=corpus)
        frame.to_csv(dest / f"{name}.csv", index=False)
        listed.append((f"{name}.csv", table_schema(name).get("title", name), len(frame)))
    return listed


def build_report(out: Path | None = None, notebooks: list[Path] | None = None, timeout: int = 600,
                 package: PackageLike = None) -> Path:
    """Execute the notebooks on ``package`` (default: the shipped one; its ``PACKAGE``
    parameter is set) and write the report; returns the path of ``index.html``. ``package`` may
    be a corpus (a ``corpus.toml`` or its folder): the report is then of every plan of every
    body, the notebooks' ``PLANS`` set to ``"all"``.

    ``out`` defaults to ``build/report`` in a source checkout; from an installed wheel, give it."""
    import nbclient
    import nbformat
    from nbconvert import HTMLExporter

    from lcplan import analysis
    from lcplan.charts import BUNDLE_MARK, LINKS_ENV, vega_bundle

    bundle_script = re.compile(rf'<script {BUNDLE_MARK}="1">.*?</script>', re.S)
    of = _Reported(package)
    given = of.given
    package_title = of.title

    if out is None:
        root = repo_root()
        if root is None:
            raise NotACheckout("give the report's folder (lcplan report --out FOLDER): this is not a source checkout")
        out = root / "build" / "report"
    out.mkdir(parents=True, exist_ok=True)
    (out / "assets").mkdir(exist_ok=True)
    (out / "assets" / "vega-embed.js").write_text(vega_bundle(), encoding="utf-8")
    head = '<script src="assets/vega-embed.js"></script>'
    paths = notebooks or sorted(notebooks_dir().glob("*.ipynb"))
    exporter = HTMLExporter(template_name="basic", exclude_input=True, exclude_input_prompt=True,
                            exclude_output_prompt=True)
    docs, items = of.docs, of.items
    by_id = {it["item_id"]: it for it in items}
    labels = analysis.plan_labels(given)
    pages = []
    old = os.environ.get(LINKS_ENV)
    os.environ[LINKS_ENV] = "1"  # the kernels inherit it
    skipped = []
    try:
        for path in paths:
            # the file is never written; over a corpus, every plan of every body
            nb = _with_package(nbformat.read(path, as_version=4), given, "all" if of.corpus else None)
            empty = [t for t in nb.metadata.get("lcplan", {}).get("needs", []) if not of.has_rows(t)]
            if empty:  # a notebook that needs a table the package has no rows of (metadata lcplan.needs)
                skipped.append((_title(nb), empty))
                continue
            nbclient.NotebookClient(nb, timeout=timeout, kernel_name="python3",
                                    resources={"metadata": {"path": str(path.parent)}}).execute()
            body, _ = exporter.from_notebook_node(nb)
            body = _link_cells(bundle_script.sub("", body), by_id)
            pages.append((path.stem + ".html", _title(nb), _summary(nb), body))
    finally:
        if old is None:
            os.environ.pop(LINKS_ENV, None)
        else:
            os.environ[LINKS_ENV] = old
    dictionary = of.folders[0] / "DATA_DICTIONARY.md"
    if dictionary.is_file() and not of.corpus:  # a corpus's packages each have their own
        import mistune

        markdown = mistune.create_markdown(plugins=["table"])
        pages.append(("data-dictionary.html", "Data dictionary", "Every table and field, its type, constraints and "
                      "categories, and the agreement between the two readers.",
                      markdown(dictionary.read_text(encoding="utf-8"))))
    sources = [(f"source-{d['document_id']}.html", d) for d in docs]
    nav = ("<a href=\"index.html\">Index</a>" + "".join(f"<a href=\"{n}\">{html.escape(t)}</a>" for n, t, _, _ in pages)
           + "".join(f"<a href=\"{n}\">Source {html.escape(labels.get(d['document_id'], d['document_id']))}</a>"
                     for n, d in sources)
           + "<a href=\"search.html\">Search</a>")
    for name, title, _, body in pages:
        (out / name).write_text(_page(title, body, nav, package_title, head=head, script=SORT_SCRIPT),
                                encoding="utf-8")
    for name, doc in sources:
        mine = [it for it in items if it["document_id"] == doc["document_id"]]
        (out / name).write_text(_source_page(of.folder_of[doc["document_id"]], doc, mine, nav, package_title),
                                encoding="utf-8")
    (out / "search.html").write_text(_search_page(out, items, labels, nav, package_title), encoding="utf-8")
    tables = _copy_data(of.folders[0], out, _descriptor(of.folders[0])) if not of.corpus else _union_data(given, out)
    findings = "".join(f"<li>{html.escape(f)}</li>" for f in analysis.key_findings(given))
    page_list = "".join(f"<li><a href=\"{n}\">{html.escape(t)}</a>: {html.escape(s)}</li>" for n, t, s, _ in pages)
    plan_list = "".join(
        f"<li><a href=\"{n}\">{html.escape(d['title'])}</a> ({html.escape(labels.get(d['document_id'], ''))}, "
        f"{sum(it['document_id'] == d['document_id'] for it in items):,} statements)</li>" for n, d in sources)
    downloads = "".join(f"<tr><td><a href=\"data/{html.escape(f)}\" download>{html.escape(f)}</a></td>"
                        f"<td>{html.escape(t)}</td><td>{n:,}</td></tr>" for f, t, n in tables)
    about = ("The package's tables as CSV (<a href=\"data/datapackage.json\" download>datapackage.json</a> "
             "describes them)") if not of.corpus else ("Each table of every package of the corpus as one CSV, with "
                                                         "the package and the body of each row (each package's "
                                                         "datapackage.json describes its tables)")
    index = (f"<h1>{html.escape(package_title)}</h1>"
             f"<p>What the plans say, how they changed and how their figures stand against official statistics: "
             f"lcplan {__version__}, every number below computed from the data package when this report was built.</p>"
             f"<form action=\"search.html\"><input type=\"search\" name=\"q\" placeholder=\"Search the statements\"> "
             f"<button>Search</button></form>"
             f"<h2>Key findings</h2><ul class=\"findings\">{findings}</ul>"
             f"<h2>Pages</h2><ul>{page_list}</ul>"
             + "".join(f"<p>Not built: <em>{html.escape(t)}</em>, because this package has no rows of "
                       f"{', '.join(html.escape(x) for x in why)}.</p>" for t, why in skipped) +
             f"<h2>The plans, as read</h2><ul>{plan_list}</ul>"
             f"<h2>Download the data</h2><table><caption>{about}</caption>"
             f"<thead><tr><th>file</th><th>table</th><th>rows</th></tr></thead><tbody>{downloads}</tbody></table>")
    (out / "index.html").write_text(_page("lcplan report", index, nav, package_title, script=SORT_SCRIPT),
                                    encoding="utf-8")
    return out / "index.html"
