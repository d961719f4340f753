"""`lcplan ingest` on documents as real plans print them: read by their layout, never all-or-nothing,
every line accounted for.

PDFs made here with reportlab stand for the layouts of the development corpus (symbol-font
bullets, a ruled table of actions, a page number and a running footer, footnotes); one real PDF of
the corpus (``../shared/corpus``) is read when it is there. The counts asserted are what the
documents say (three bullets are three statements), not what the code produced.
"""

from __future__ import annotations

import csv
import json
import shutil
import tomllib
from pathlib import Path

import pytest

from conftest import REPO, run_lcplan

CORPUS = REPO.parent / "shared" / "corpus" / "pdf"


def _rows(pkg: Path, table: str) -> list[dict[str, str]]:
    with (pkg / "data" / f"{table}.csv").open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _ingest(source: Path, doc: str, out: Path, *extra: str):
    return run_lcplan("ingest", str(source), "--document-id", doc, "--organisation", "Eastbury Council",
                      "--title", "Eastbury Climate Action Plan", "--plan-year", "2025/26", "--out", str(out), *extra)


def _plan(pkg: Path, doc: str) -> dict:
    return tomllib.loads((pkg / "plans" / f"{doc}.toml").read_text(encoding="utf-8"))


ACTIONS = [("Replace all street lights with LED lanterns", "Highways", "March 2026"),
           ("Install solar panels on every council depot roof", "Property Services", "2028"),
           ("Plant 10,000 trees in parks and on verges", "Parks", "December 2027")]
BULLETS = ["Cut emissions from council buildings by half.", "Switch the fleet to electric vans.",
           "Help residents insulate their homes."]


def _climate_pdf(path: Path) -> None:
    """Two pages: a heading, a lead-in and three bullets drawn in ZapfDingbats (a symbol font), a
    footnote, a ruled table of actions (Action / Service / Date), a running footer and page numbers."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    ss = getSampleStyleSheet()
    body = ss["BodyText"]
    note = ParagraphStyle("note", parent=body, fontSize=7, leading=8)

    def furniture(canvas, doc):
        canvas.setFont("Helvetica", 8)
        canvas.drawString(72, 30, "Eastbury Council · Climate Action Plan 2025/26")
        canvas.drawRightString(523, 30, str(doc.page))

    bullet = dict(bulletFontName="ZapfDingbats", bulletText="l", bulletIndent=6, leftIndent=18)
    story = [Paragraph("Eastbury Climate Action Plan", ss["Title"]),
             Paragraph("Our commitments", ss["Heading2"]),
             Paragraph("The council declared a climate emergency in 2019 and has cut its own emissions every "
                       "year since then, as the annual reports show.", body),
             Paragraph("We will:", body)]
    story += [Paragraph(b, ParagraphStyle(f"b{k}", parent=body, **bullet)) for k, b in enumerate(BULLETS)]
    story += [Spacer(1, 300), Paragraph("1 Annual carbon reports, 2019 to 2024.", note), PageBreak(),
              Paragraph("Action plan", ss["Heading2"]),
              Paragraph("Each action has a service that leads it and a date by which it is done.", body)]
    cell = ParagraphStyle("cell", parent=body, fontSize=9, leading=11)
    table = Table([["Action", "Service", "Date"]] + [[Paragraph(a, cell), s, d] for a, s, d in ACTIONS],
                  colWidths=[250, 120, 90])
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                               ("FONTNAME", (0, 0), (-1, 0), "Helvetica-Bold")]))
    story += [table, Spacer(1, 12), Paragraph("2028", body)]
    SimpleDocTemplate(str(path), pagesize=A4).build(story, onFirstPage=furniture, onLaterPages=furniture)


@pytest.fixture(scope="module")
def climate(tmp_path_factory):
    root = tmp_path_factory.mktemp("climate")
    pdf = root / "eastbury-climate-action-plan-2025-26.pdf"
    _climate_pdf(pdf)
    out = root / "pkg"
    result = _ingest(pdf, "eb-cap-2025-26", out)
    assert result.returncode == 0, result.stdout + result.stderr
    return out, result


def test_symbol_font_bullets_are_bullets_and_the_glyph_is_not_text(climate):
    pkg, _ = climate
    texts = [r["text"] for r in _rows(pkg, "items")]
    for b in BULLETS:  # each bullet is one statement, on its own
        assert b in texts
    assert not any(t.startswith(("l ", "\u25cf")) for t in texts)


def test_an_action_table_is_one_statement_a_row_with_its_cells_as_fields(climate):
    pkg, _ = climate
    rows = {r["text"]: r for r in _rows(pkg, "items")}
    for action, service, when in ACTIONS:
        assert action in rows, sorted(rows)
        assert rows[action]["responsible"] == service and rows[action]["due"] == when
        assert rows[action]["line_start"] == rows[action]["line_end"]  # a row is one line of the text
    texts = list(rows)
    assert not any(t in ("Action", "Service", "Date") for t in texts)  # the header row is not an item
    assert not any(service in t for _, service, _ in ACTIONS for t in texts)  # cells are fields, not text
    plan = _plan(pkg, "eb-cap-2025-26")
    (table,) = plan["reader"]["tables"]
    assert table["text"] == "Action" and table["fields"] == {"Service": "responsible", "Date": "due"}
    titles = {s["title"] for s in _rows(pkg, "sections")}
    assert not titles & {"Highways", "Parks", "March 2026"}  # no heading invented from a cell


def test_furniture_by_position_and_a_short_line_alone_is_kept(climate):
    pkg, _ = climate
    plan = _plan(pkg, "eb-cap-2025-26")
    why = {tuple(f["lines"]): f["why"] for f in plan["reader"]["furniture"]}
    assert any("page number" in w for w in why.values())
    assert any("running header or footer" in w for w in why.values())
    texts = [r["text"] for r in _rows(pkg, "items")]
    assert "2028" in texts  # a year alone on a line is the plan's text, not a page number
    notes = [r for r in _rows(pkg, "items") if r["kind"] == "note"]
    assert [n["text"] for n in notes] == ["1 Annual carbon reports, 2019 to 2024."]  # kept, as a note


def test_every_line_is_accounted_for_and_coverage_is_printed(climate):
    pkg, result = climate
    assert "coverage: " in result.stdout
    plan_text = (pkg / "plans" / "eb-cap-2025-26.toml").read_text(encoding="utf-8")
    assert "# Coverage: " in plan_text and "in none of these" not in plan_text
    from lcplan.coverage import package_coverage

    (cover,) = package_coverage(pkg).values()
    assert cover.unaccounted == []
    # what is dropped is the footer and the page number of each of the two pages, each with its reason
    assert sorted(text for _, _, text in cover.furniture) == ["1", "2"] + ["Eastbury Council · Climate Action Plan 2025/26"] * 2
    assert cover.share == (cover.in_statements + cover.in_headings) / cover.chars
    summary = run_lcplan("summary", "--package", str(pkg))
    assert summary.returncode == 0 and "eb-cap-2025-26: " in summary.stdout and "%; 4 furniture line(s)" in summary.stdout


def test_validate_refuses_a_cell_that_is_not_on_its_row(climate, tmp_path):
    pkg = tmp_path / "pkg"
    shutil.copytree(climate[0], pkg)
    path = pkg / "data" / "items.csv"
    text = path.read_text(encoding="utf-8")
    assert ",Highways," in text
    path.write_text(text.replace(",Highways,", ",Highways Agency,"), encoding="utf-8")
    result = run_lcplan("validate", str(pkg), "--format", "json")
    assert result.returncode == 1
    checks = {p["check"] for p in json.loads(result.stdout)["errors"]}
    assert checks == {"cells_verbatim_at_lines"}


def _text_plan(tmp_path: Path, body: str) -> Path:
    src = tmp_path / "plan.txt"
    src.write_text(body, encoding="utf-8")
    return src


def test_a_number_out_of_sequence_is_a_warning_and_the_draft_builds(tmp_path):
    # a year starting a wrapped line, a phone number, and a list whose numbers are printed twice
    body = ("Our plan\n\n1. Reduce the council's emissions by half, as the cabinet agreed\n"
            "in 2019 and as it first promised in\n2015. The council will report every year.\n\n"
            "2. Call us on\n01279 555 555 about any of it.\n\n3. Publish the figures.\n\n"
            "1. Repeat of a list that starts again.\n\n1. And a label printed twice.\n")
    out = tmp_path / "pkg"
    result = _ingest(_text_plan(tmp_path, body), "eb-cp-2025-26", out)
    assert result.returncode == 0, result.stdout + result.stderr
    texts = [r["text"] for r in _rows(out, "items")]
    assert any(t.endswith("as it first promised in 2015. The council will report every year.") for t in texts)
    assert any(t.startswith("Call us on 01279") for t in texts)
    ids = [r["item_id"] for r in _rows(out, "items")]
    assert len(ids) == len(set(ids)) == 5
    assert run_lcplan("build", "--package", str(out)).returncode == 0  # the build reads it as the draft did


def test_symbol_bullets_in_a_text_need_no_editing_of_the_source(tmp_path):
    body = "Our plan\n\nWe will:\n\n\uf0b7 Cut emissions by half.\n\uf0b7 Plant more trees.\n\uf0b7 Insulate homes.\n"
    out = tmp_path / "pkg"
    src = _text_plan(tmp_path, body)
    before = src.read_bytes()
    assert _ingest(src, "eb-cp-2025-26", out).returncode == 0
    assert src.read_bytes() == before
    texts = [r["text"] for r in _rows(out, "items")]
    assert ["Cut emissions by half.", "Plant more trees.", "Insulate homes."] == texts[-3:]
    assert _plan(out, "eb-cp-2025-26")["reader"]["bullets"] == ["\uf0b7"]


def test_hints_give_a_kind_to_lines_and_keep_guessing_what_they_do_not_say(tmp_path):
    body = "Our plan\n\nWe will recycle more.\n\nWe will plant trees.\n"
    src = _text_plan(tmp_path, body)
    hints = tmp_path / "hints.toml"
    hints.write_text('[reader]\n[[reader.kinds]]\nlines = [5, 5]\nkind = "action"\n', encoding="utf-8")
    out = tmp_path / "pkg"
    assert _ingest(src, "eb-cp-2025-26", out, "--hints", str(hints)).returncode == 0
    kinds = {r["text"]: r["kind"] for r in _rows(out, "items")}
    assert kinds == {"We will recycle more.": "narrative", "We will plant trees.": "action"}
    assert {s["title"] for s in _rows(out, "sections")} == {"Our plan"}  # the heading was still guessed
    hints.write_text('[reader]\nguess = false\n', encoding="utf-8")
    result = _ingest(src, "eb-cp-2025-26", tmp_path / "pkg2", "--hints", str(hints))
    assert result.returncode == 2 and "first heading" in result.stderr  # told not to guess: it does not


def test_an_exclude_without_a_subject_is_fine_and_an_entry_missing_fields_is_named(tmp_path):
    body = "Our plan\n\nWe will build 400 homes by 2029 and 400 more by 2031.\n"
    src = _text_plan(tmp_path, body)
    out = tmp_path / "pkg"
    assert _ingest(src, "eb-cp-2025-26", out).returncode == 0
    plan = (out / "plans" / "eb-cp-2025-26.toml").read_text(encoding="utf-8")
    assert plan.count('quote = "400"') == 2 and "occurrence = 2" in plan  # the same figure twice: two reviews
    bad = tmp_path / "bad.toml"
    bad.write_text('[reader]\n[[claims]]\nitem_id = "eb-cp-2025-26/narrative/1"\n', encoding="utf-8")
    result = _ingest(src, "eb-cp-2025-26", tmp_path / "pkg2", "--hints", str(bad))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "[[claims]] entry 1" in result.stderr and "quote" in result.stderr and "subject (or exclude)" in result.stderr


@pytest.mark.skipif(not CORPUS.is_dir(), reason="the development corpus (../shared/corpus) is not beside this checkout")
def test_a_real_plan_of_the_corpus_drafts_and_validates(tmp_path):
    pdf = CORPUS / "us-open-government-national-action-plan-4-2019.pdf"
    out = tmp_path / "pkg"
    result = _ingest(pdf, "us-nap-2019-20", out)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "lcplan validate passes" in result.stdout
    from lcplan.coverage import package_coverage

    (cover,) = package_coverage(out).values()
    assert cover.unaccounted == [] and cover.share >= 0.95
    texts = [r["text"] for r in _rows(out, "items")]
    # the plan's numbered headings and the statement under one of them, as printed (page 2)
    assert any(t.startswith("Federal data is both a strategic asset") for t in texts)


def test_bullets_under_a_numbered_action_are_its_points(tmp_path):
    body = "Our plan\n\n1. Improve the air we breathe:\n\n• Plant trees.\n• Ban idling.\n\n2. Cut waste.\n"
    out = tmp_path / "pkg"
    assert _ingest(_text_plan(tmp_path, body), "eb-cp-2025-26", out).returncode == 0
    rows = {r["text"]: r for r in _rows(out, "items")}
    parent = rows["Improve the air we breathe:"]["item_id"]
    assert rows["Plant trees."]["parent_item_id"] == parent and rows["Ban idling."]["parent_item_id"] == parent
    assert rows["Cut waste."]["parent_item_id"] == ""


def test_a_reading_that_does_not_validate_falls_back_to_a_plain_one(tmp_path, monkeypatch):
    """If the structured reading of a draft fails validation, the draft is read again plainly and
    still written (never all-or-nothing), and the plan file says why."""
    import lcplan.builder
    from lcplan.ingest import ingest

    real, calls = lcplan.builder.build, []

    def first_fails(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise lcplan.builder.BuildError("data/items.csv: row 2, column label: (as a broken reading would say)")
        return real(*args, **kwargs)

    monkeypatch.setattr(lcplan.builder, "build", first_fails)
    body = "Our plan\n\nWe will:\n\n• Plant trees.\n\n1. Cut waste.\n"
    result = ingest(_text_plan(tmp_path, body), "eb-cp-2025-26", "Eastbury Council", "Plan", "2025/26",
                    out=tmp_path / "pkg")
    assert result.report.ok and len(calls) == 2
    assert {r["kind"] for r in _rows(tmp_path / "pkg", "items")} == {"narrative"}
    assert "plain reading" in result.plan_path.read_text(encoding="utf-8")


def test_a_markdown_pipe_table_is_read_as_a_table(tmp_path):
    body = ("# Plan\n\nOur actions:\n\n| Action | Lead | By when |\n|---|---|---|\n| Plant trees | Parks | 2026 |\n"
            "| Fit **solar** panels | Property | March 2027 |\n\nThat is all.\n")
    src = tmp_path / "plan.md"
    src.write_text(body, encoding="utf-8")
    out = tmp_path / "pkg"
    assert _ingest(src, "eb-cp-2025-26", out).returncode == 0
    rows = {r["text"]: r for r in _rows(out, "items")}
    assert (rows["Plant trees"]["responsible"], rows["Plant trees"]["due"]) == ("Parks", "2026")
    assert rows["Fit solar panels"]["due"] == "March 2027"  # emphasis dropped, as the text is read
    assert not any(t.startswith(("|", "Action")) for t in rows)


def test_a_contents_page_is_furniture_up_to_its_last_entry(tmp_path):
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    pdf = tmp_path / "contents.pdf"
    c = canvas.Canvas(str(pdf), pagesize=A4)
    c.setFont("Helvetica-Bold", 16)
    c.drawString(72, 780, "Contents")
    c.setFont("Helvetica", 11)
    c.drawString(72, 750, "Foreword .................................... 2")
    c.drawString(72, 734, "Priorities .................................. 3")
    c.setFont("Helvetica-Bold", 14)
    c.drawString(72, 680, "Foreword")
    c.setFont("Helvetica", 11)
    c.drawString(72, 655, "We will build more homes for local people and keep our promises to residents.")
    c.save()
    out = tmp_path / "pkg"
    assert _ingest(pdf, "eb-cp-2025-26", out).returncode == 0
    assert [r["text"] for r in _rows(out, "items")] == [
        "We will build more homes for local people and keep our promises to residents."]
    why = [f["why"] for f in _plan(out, "eb-cp-2025-26")["reader"]["furniture"]]
    assert why and all(w == "a table of contents" for w in why)
