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


def test_the_page_reader_on_markup_browsers_forgive():
    from lcplan.ingest.html import markdown

    assert markdown("<ul><li><p>Build homes</p></li><li>Cut<br>emissions</li></ul>") == [
        "- Build homes", "- Cut emissions"]  # a paragraph or a line break inside an item keeps it one item
    assert markdown("<table><tr><td>a<td>b<tr><td>c<td>d</table><p>After the table</p>") == [
        "a | b", "", "c | d", "", "After the table"]  # rows whose end tags are left out
    assert markdown("<html><head><title>Plan</title><body><h1>Our plan</h1><p>Text</p>") == [
        "# Our plan", "", "Text"]  # no </head>
    assert markdown("<h2></h2><p>Not a heading</p>") == ["Not a heading"]
    assert markdown("<ol><li>One</li><li>Two<ol><li>Sub</li></ol></li></ol>") == ["1. One", "2. Two", "   1. Sub"]


def test_the_word_reader_keeps_insertions_content_controls_and_word_numbering(tmp_path):
    docx = pytest.importorskip("docx")
    from docx.oxml import parse_xml

    from lcplan.ingest.docx import markdown

    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    doc = docx.Document()
    par = doc.add_paragraph("We will build ")
    par._p.append(parse_xml(f'<w:ins {w} w:id="1" w:author="a"><w:r><w:t xml:space="preserve">2,000 new homes'
                            '</w:t></w:r></w:ins>'))
    par._p.append(parse_xml(f'<w:del {w} w:id="2" w:author="a"><w:r><w:delText>1,000 homes</w:delText></w:r></w:del>'))
    par.add_run(" by 2028.")
    doc.element.body.insert(len(doc.element.body) - 1, parse_xml(
        f"<w:sdt {w}><w:sdtContent><w:p><w:r><w:t>Inside a content control</w:t></w:r></w:p></w:sdtContent></w:sdt>"))
    numbers = doc.styles["List Number"].element.pPr.numPr.numId.val  # Word's own decimal numbering
    for text in ("Homes", "Streets"):  # numbered by the numbering button: List Paragraph with numPr
        item = doc.add_paragraph(text, style="List Paragraph")
        item._p.get_or_add_pPr().append(parse_xml(f'<w:numPr {w}><w:ilvl w:val="0"/><w:numId w:val="{numbers}"/>'
                                                  '</w:numPr>'))
    doc.save(tmp_path / "plan.docx")
    assert markdown(docx.Document(str(tmp_path / "plan.docx"))) == [
        "We will build 2,000 new homes by 2028.", "", "Inside a content control", "", "1. Homes", "2. Streets"]
