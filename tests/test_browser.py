"""Charts render with no network: the HTML report in headless Chromium, and the notebooks in
a JupyterLab started here. Uses Debian's chromium (installed by `make test` and `.ci/run`)
driven by Playwright; every request that leaves this machine is refused and recorded.
"""

from __future__ import annotations

import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

import lcplan
from conftest import REPO

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def browser():
    assert CHROMIUM, "Debian's chromium is needed: apt-get install chromium (make test installs it as root)"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


def _offline_page(browser, allowed: tuple[str, ...]):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    outside, errors = [], []

    def route(r):
        if r.request.url.startswith(allowed):
            r.continue_()
        else:
            outside.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    return page, outside, errors


SHOTS = REPO / "build" / "screenshots"  # test artefacts: look at them


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> Path:
    from lcplan.report import build_report

    return build_report(tmp_path_factory.mktemp("report"))


def _charts(page) -> list[dict]:
    page.wait_for_function("() => document.querySelectorAll('.lcplan-chart').length === "
                           "document.querySelectorAll('.lcplan-chart svg.marks').length", timeout=30_000)
    return page.evaluate("""() => [...document.querySelectorAll('.lcplan-chart svg.marks')].map(svg => ({
        marks: svg.querySelectorAll('g.role-mark path, g.role-mark line, g.role-mark text, g.role-mark rect').length,
        width: svg.getBoundingClientRect().width }))""")


def _hover_tooltip(page, scope: str = ".lcplan-chart") -> str:
    """Hover the data marks (dots and bars first) until one shows its tooltip; the tooltip's text."""
    marks = page.locator(f"{scope} g.mark-symbol.role-mark path, {scope} g.mark-rect.role-mark path")
    for i in range(min(marks.count(), 20)):
        mark = marks.nth(i)
        mark.scroll_into_view_if_needed()
        mark.hover(force=True)
        try:
            page.wait_for_selector("#vg-tooltip-element.visible", timeout=1_500)
        except Exception:
            continue
        return page.locator("#vg-tooltip-element").text_content()
    return ""


def test_report_pages_draw_interactive_charts_offline(browser, report):
    """Every notebook page: each chart drawn, a tooltip on hover, no request leaves the machine,
    no script error; a screenshot of every page of the report is saved."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    notebooks = sorted((REPO / "notebooks").glob("*.ipynb"))
    pages = sorted(report.parent.glob("0*.html"))
    assert [p.stem for p in pages] == [n.stem for n in notebooks]
    for p, nb in zip(pages, notebooks):
        page, outside, errors = _offline_page(browser, ("file://",))
        page.goto(p.as_uri())
        charts = _charts(page)
        calls = len(re.findall(r"charts\.(?!enable_offline)[a-z_]+\(", nb.read_text(encoding="utf-8")))
        assert len(charts) == calls, (p.name, len(charts), calls)
        assert all(c["marks"] > 0 and c["width"] > 100 for c in charts), (p.name, charts)
        assert _hover_tooltip(page).strip(), p.name
        page.screenshot(path=str(SHOTS / f"{p.stem}.png"), full_page=True)
        assert outside == [] and errors == [], (p.name, outside, errors)
        page.close()
    for p in sorted(report.parent.glob("*.html")):
        if not p.name.startswith("0"):
            page, outside, errors = _offline_page(browser, ("file://",))
            page.goto(p.as_uri())
            page.wait_for_timeout(300)
            page.screenshot(path=str(SHOTS / f"{p.stem}.png"), full_page=True)
            assert outside == [] and errors == [], (p.name, outside, errors)
            page.close()


def test_report_index_states_the_computed_findings_and_offers_the_data(browser, report):
    from lcplan import analysis

    page, outside, errors = _offline_page(browser, ("file://",))
    page.goto(report.as_uri())
    shown = [li.strip() for li in page.locator("ul.findings li").all_text_contents()]
    assert shown == analysis.key_findings()  # computed in this run, not typed
    downloads = page.locator("a[download]").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert {f"data/{n}.csv" for n in lcplan.tables()} <= set(downloads)
    for href in downloads:
        assert (report.parent / href).is_file(), href
    assert outside == [] and errors == []
    page.close()


def test_a_statement_link_opens_its_highlighted_source_lines(browser, report):
    items = lcplan.load("items").set_index("item_id")
    page, outside, errors = _offline_page(browser, ("file://",))
    page.goto((report.parent / "01-priorities.html").as_uri())
    link = page.locator('table a[href^="source-"]').first
    item_id = link.text_content().strip()
    link.click()
    page.wait_for_selector(".ln.hl")
    lines = page.locator(".ln.hl .tx").all_text_contents()
    row = items.loc[item_id]
    assert len(lines) == row["line_end"] - row["line_start"] + 1
    ids = page.locator(".ln.hl").evaluate_all("els => els.map(e => e.id)")
    assert ids == [f"L{n}" for n in range(row["line_start"], row["line_end"] + 1)]
    first_words = " ".join(row["text"].split()[:4])
    assert first_words in " ".join(" ".join(lines).split())  # the statement's text is on those lines
    page.screenshot(path=str(SHOTS / "source-highlight.png"))
    assert outside == [] and errors == []
    page.close()


def _begins_a_word(texts, word: str):
    """Which texts hold a word that begins with ``word`` (letters and digits; case ignored): the
    search page's rule, computed here independently of its index."""
    return texts.str.contains(rf"(?<![^\W_]){re.escape(word)}", case=False, regex=True)


def test_search_finds_statements_by_their_words(browser, report):
    items = lcplan.load("items")
    word = "Taxicard"
    expected = int((_begins_a_word(items["text"], word) | _begins_a_word(items["item_id"], word)).sum())
    page, outside, errors = _offline_page(browser, ("file://",))
    page.goto((report.parent / "search.html").as_uri())
    page.fill("#q", word)
    page.wait_for_function("q => document.getElementById('results').dataset.query === q", arg=word)
    results = page.locator("#results li a").all_text_contents()
    assert expected > 0 and len(results) == expected
    assert all(word.lower() in r.lower() for r in results)
    page.locator("#results li a").first.click()
    page.wait_for_selector(".ln.hl")
    assert outside == [] and errors == []
    page.close()


def test_search_at_100000_statements_loads_only_what_a_query_needs(browser, tmp_path):
    """The report's search page over 100,000 statements shaped like real plans' (the synthetic
    package of the benchmarks): every result a query should find, found, and the page and its
    first query measured (printed, not asserted: see benchmarks/report_search.py)."""
    import pandas as pd

    from lcplan.corpus.pages import CHUNK, SEARCH_SCRIPT, SHOWN, write_index

    sys.path.insert(0, str(REPO / "benchmarks"))
    from synthetic import make_package

    package = make_package(tmp_path / "pkg", 100_000, n_docs=40, shape="wrapped")
    items = pd.read_csv(package / "data" / "items.csv", dtype=str, keep_default_na=False)
    write_index(({"id": r.item_id, "text": r.text, "plan": r.document_id, "kind": r.kind,
                  "lines": f"{r.line_start}-{r.line_end}", "href": "#"} for r in items.itertuples()),
                tmp_path / "site" / "search")
    (tmp_path / "site" / "search.html").write_text(
        '<!DOCTYPE html><html><head><meta charset="utf-8"></head><body><input id="q"><span id="count"></span>'
        f'<ol id="results"></ol><script>{SEARCH_SCRIPT}</script></body></html>', encoding="utf-8")
    page, outside, errors = _offline_page(browser, ("file://",))
    requested = []
    page.on("request", lambda r: requested.append(r.url.rsplit("/", 1)[-1]))
    # many hits, a word found with its accent ("café"), a prefix, none
    for query, words in (("council services", ["council", "services"]), ("Cafe", ["café"]),
                         ("transp", ["transp"]), ("zzz-qqq", ["zzz", "qqq"])):
        hits = pd.Series(True, index=items.index)
        for w in words:
            hits &= _begins_a_word(items["text"], w) | _begins_a_word(items["item_id"], w)
        requested.clear()
        page.goto((tmp_path / "site" / "search.html").as_uri() + "?q=" + query.replace(" ", "+"))
        page.wait_for_function("q => window.LCPLAN_SEARCH && LCPLAN_SEARCH.last && LCPLAN_SEARCH.last.query === q",
                               arg=query)
        last = page.evaluate("LCPLAN_SEARCH.last")
        shown = page.locator("#results li").count()
        assert last["hits"] == int(hits.sum()) and shown == min(SHOWN, int(hits.sum()))
        assert (last["hits"] > SHOWN) == (query != "zzz-qqq") and (last["hits"] == 0) == (query == "zzz-qqq")
        loaded = [r for r in requested if r.endswith(".js")]
        # the page loads the index's table of contents, one term file a word, and the records it shows
        assert len([r for r in loaded if r.startswith("terms-")]) <= len(words)
        chunks = {n // CHUNK for n in list(hits[hits].index)[:SHOWN]}
        assert sorted(r for r in loaded if r.startswith("records-")) == sorted(f"records-{c}.js" for c in chunks)
        timing = page.evaluate("performance.getEntriesByType('navigation')[0].loadEventEnd")
        print(f"\n100,000 statements, {query!r}: {last['hits']} hits; page loaded in {timing:.0f} ms, "
              f"query answered in {last['ms']:.0f} ms, {len(loaded)} index files loaded")
    assert outside == [] and errors == []
    page.close()


def test_a_report_over_a_corpus_of_real_plans_opens_offline(browser, pdf_corpus_report):
    """The report of eight development PDFs as one corpus: every page opens with no request leaving
    the machine and no script error, its charts drawn; the search finds a word of the plans."""
    import pandas as pd

    SHOTS.mkdir(parents=True, exist_ok=True)
    site = pdf_corpus_report.parent
    for p in sorted(site.glob("*.html")):
        page, outside, errors = _offline_page(browser, ("file://",))
        page.goto(p.as_uri())
        if p.name.startswith("0"):
            charts = _charts(page)
            assert all(c["width"] > 100 for c in charts), (p.name, charts)
        page.wait_for_timeout(200)
        if p.name in ("index.html", "01-priorities.html"):
            page.screenshot(path=str(SHOTS / f"corpus-{p.stem}.png"), full_page=True)
        assert outside == [] and errors == [], (p.name, outside, errors)
        page.close()
    items = pd.read_csv(site / "data" / "items.csv", dtype=str, keep_default_na=False)
    expected = int((_begins_a_word(items["text"], "data") | _begins_a_word(items["item_id"], "data")).sum())
    page, outside, errors = _offline_page(browser, ("file://",))
    page.goto((site / "search.html").as_uri() + "?q=data")
    page.wait_for_function("() => window.LCPLAN_SEARCH && LCPLAN_SEARCH.last && LCPLAN_SEARCH.last.query === 'data'")
    assert page.evaluate("LCPLAN_SEARCH.last.hits") == expected > 0
    page.screenshot(path=str(SHOTS / "corpus-search.png"), full_page=True)
    assert outside == [] and errors == []
    page.close()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_jupyterlab_renders_the_charts_offline(browser, tmp_path):
    notebook = REPO / "notebooks" / "02-financial-claims.ipynb"
    shutil.copy(notebook, tmp_path / "nb.ipynb")
    port, token = _free_port(), "lcplan-test"
    jupyter = Path(sys.executable).parent / "jupyter"
    server = subprocess.Popen(
        [str(jupyter), "lab", "--no-browser", "--allow-root", f"--ServerApp.port={port}", "--ServerApp.ip=127.0.0.1",
         f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={tmp_path}",
         f"--LabApp.workspaces_dir={tmp_path / '.workspaces'}", "--LabApp.news_url=None"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(120):
            try:
                urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=1)
                break
            except OSError:
                time.sleep(0.5)
        page, outside, _ = _offline_page(browser, (base,))
        page.set_default_timeout(120_000)
        page.goto(f"{base}/lab/tree/nb.ipynb?token={token}&reset")
        # wait until the kernel is connected and idle (the status bar says so), then Run > Run All Cells
        page.get_by_text(re.compile(r"ipykernel\) \| Idle")).wait_for(timeout=180_000)
        page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^Run$")).click()
        page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^Run All Cells$")).click()
        try:
            page.wait_for_function("""() => {
                const p = [...document.querySelectorAll('.jp-NotebookPanel .jp-CodeCell .jp-InputPrompt')]
                    .map(e => e.textContent.trim());
                return p.length > 0 && p.every(t => /\\[\\d+\\]/.test(t));
            }""", timeout=300_000)
        except Exception:
            page.screenshot(path=str(tmp_path / "jupyterlab.png"))
            prompts = page.evaluate("() => [...document.querySelectorAll('.jp-CodeCell .jp-InputPrompt')].map(e => e.textContent)")
            raise AssertionError(f"the notebook did not finish running; prompts {prompts}; see {tmp_path}/jupyterlab.png")
        page.wait_for_timeout(1000)
        expected = len(re.findall(r"charts\.(?!enable_offline)[a-z_]+\(", notebook.read_text(encoding="utf-8")))
        page.wait_for_function(f"() => document.querySelectorAll('.jp-OutputArea-output .lcplan-chart svg.marks').length "
                               f">= {expected}", timeout=60_000)
        charts = page.evaluate("""() => [...document.querySelectorAll('.jp-OutputArea-output .lcplan-chart svg.marks')]
            .map(svg => svg.getBoundingClientRect().width)""")
        assert len(charts) == expected and all(w > 100 for w in charts), charts
        assert _hover_tooltip(page, ".jp-OutputArea-output .lcplan-chart").strip()
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / "jupyterlab-tooltip.png"))
        assert not page.locator(".jp-OutputArea-output.jp-mod-error, .jp-RenderedText[data-mime-type='application/vnd.jupyter.stderr']:has-text('Error')").count()
        assert outside == [], outside
    finally:
        server.terminate()
        server.wait(timeout=30)
