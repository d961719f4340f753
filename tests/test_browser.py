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


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> Path:
    from lcplan.report import build_report

    return build_report(tmp_path_factory.mktemp("report"))


def test_report_pages_draw_every_chart_offline(browser, report):
    index = report.read_text(encoding="utf-8")
    pages = sorted(report.parent.glob("0*.html"))
    assert len(pages) == len(list((REPO / "notebooks").glob("*.ipynb")))
    for p in pages:
        assert f'href="{p.name}"' in index
        page, outside, errors = _offline_page(browser, ("file://",))
        page.goto(p.as_uri())
        charts = page.evaluate("""() => [...document.querySelectorAll('svg.marks')].map(svg => ({
            marks: svg.querySelectorAll('g[class*="mark-"] path, g[class*="mark-"] line, g[class*="mark-"] text').length,
            width: svg.getBoundingClientRect().width }))""")
        assert charts, f"{p.name}: no chart"
        assert all(c["marks"] > 0 and c["width"] > 100 for c in charts), (p.name, charts)
        assert outside == [] and errors == [], (p.name, outside, errors)
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
        images = page.evaluate("""() => [...document.querySelectorAll('.jp-RenderedSVG img, .jp-RenderedSVG svg')]
            .map(i => [i.complete !== false, i.naturalWidth || i.getBoundingClientRect().width])""")
        expected = notebook.read_text(encoding="utf-8").count("charts.") - 1  # charts.enable_offline() draws none
        assert len(images) == expected and all(ok and w > 100 for ok, w in images), images
        assert not page.locator(".jp-OutputArea-output.jp-mod-error, .jp-RenderedText[data-mime-type='application/vnd.jupyter.stderr']:has-text('Error')").count()
        assert outside == [], outside
    finally:
        server.terminate()
        server.wait(timeout=30)
