"""A plan as a web page and as a Word document drafts to the same statements as its text.

The page and the document are made here from tests/plans/ingest/harbour-strategy-2025-30.md
(written for the tests): the same words, with headings, nested lists and emphasis in each
format's own markup, and each format's furniture (a site's navigation and footer, a script).
"""

from __future__ import annotations

import csv

import pytest

from conftest import REPO, run_lcplan

SOURCE = REPO / "tests" / "plans" / "ingest" / "harbour-strategy-2025-30.md"
PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Climate strategy | Harbour City Council</title>
<style>body { font-family: sans-serif; }</style><script>var tracking = "Plant 9,999 trees";</script></head>
<body>
<header><a href="/">Harbour City Council</a></header>
<nav><ul><li><a href="/bins">Bins and recycling</a></li><li><a href="/parking">Parking</a></li></ul></nav>
<main>
<h1>Harbour City Council Climate Strategy 2025&ndash;2030</h1>
<h2>Why this matters</h2>
<p>Harbour City has set a goal of <strong>net zero</strong>
   emissions by 2030, and this strategy says how the council will get there.</p>
<p>Our commitments are:</p>
<ul>
  <li>Cut the council&#39;s own emissions by 60% by 2027.
    <ul><li>Move the vehicle fleet to electric vans.</li><li>Heat the town hall with a heat pump.</li></ul>
  </li>
  <li>Plant 5,000 street trees.</li>
</ul>
<h2>How we will report</h2>
<p>We will publish progress each year.</p>
</main>
<footer><p>&copy; Harbour City Council. Cookies policy.</p></footer>
</body></html>
"""


def _word(path):
    docx = pytest.importorskip("docx")
    doc = docx.Document()
    doc.add_paragraph("Harbour City Council Climate Strategy 2025–2030", style="Heading 1")
    doc.add_paragraph("Why this matters", style="Heading 2")
    par = doc.add_paragraph("Harbour City has set a goal of ")
    par.add_run("net zero").bold = True
    par.add_run(" emissions by 2030, and this strategy says how the council will get there.")
    doc.add_paragraph("Our commitments are:")
    doc.add_paragraph("Cut the council's own emissions by 60% by 2027.", style="List Bullet")
    doc.add_paragraph("Move the vehicle fleet to electric vans.", style="List Bullet 2")
    doc.add_paragraph("Heat the town hall with a heat pump.", style="List Bullet 2")
    doc.add_paragraph("Plant 5,000 street trees.", style="List Bullet")
    doc.add_paragraph("How we will report", style="Heading 2")
    doc.add_paragraph("We will publish progress each year.")
    doc.sections[0].footer.paragraphs[0].text = "Harbour City Council · page 1"
    doc.save(path)
    return path


def _statements(source, out):
    result = run_lcplan("ingest", str(source), "--document-id", "hc-cs-2025-30", "--organisation",
                        "Harbour City Council", "--title", "Harbour City climate strategy", "--plan-year", "2025/30",
                        "--out", str(out))
    assert result.returncode == 0, result.stderr
    with open(out / "data" / "items.csv", encoding="utf-8", newline="") as fh:
        return [(r["item_id"], r["kind"], r["parent_item_id"], r["section_id"], r["title"], r["text"])
                for r in csv.DictReader(fh)]


@pytest.mark.parametrize("fmt", ["html", "docx"])
def test_a_page_and_a_word_document_draft_to_the_statements_of_the_text(fmt, tmp_path):
    want = _statements(SOURCE, tmp_path / "from-text")
    assert len(want) == 7  # the text's three narrative paragraphs and four commitments (two of them sub-items)
    if fmt == "html":
        source = tmp_path / "climate-strategy.html"
        source.write_text(PAGE, encoding="utf-8")
    else:
        source = _word(tmp_path / "climate-strategy.docx")
    pkg = tmp_path / f"from-{fmt}"
    assert _statements(source, pkg) == want
    # the original is kept beside the Markdown lcplan stores, with its media type, and nothing of the
    # site's furniture or script reached the statements
    plan = (pkg / "plans" / "hc-cs-2025-30.toml").read_text(encoding="utf-8")
    assert f'path = "sources/climate-strategy.{fmt}"' in plan and "mediatype = " in plan
    assert (pkg / "sources" / "climate-strategy.md").is_file()
    text = (pkg / "sources" / "climate-strategy.md").read_text(encoding="utf-8")
    for furniture in ("Bins and recycling", "Cookies", "9,999", "page 1"):
        assert furniture not in text
    checked = run_lcplan("validate", str(pkg))
    assert checked.returncode == 0, checked.stdout[-2000:]


def test_a_file_that_is_not_its_format_is_refused_plainly(tmp_path):
    for name, data, reason in (("plan.docx", b"not a zip file", "cannot be read as a Word document"),
                               ("plan.html", "<html><script>x</script></html>".encode(), "no text"),
                               ("plan.htm", b"\xff\xfe<p>", "not UTF-8")):
        path = tmp_path / name
        path.write_bytes(data)
        result = run_lcplan("ingest", str(path), "--document-id", "x-cs-2025-30", "--organisation", "X",
                            "--title", "X", "--plan-year", "2025/30", "--out", str(tmp_path / "out"))
        assert result.returncode == 2 and reason in result.stderr and "Traceback" not in result.stderr, result.stderr
        assert not (tmp_path / "out").exists()
