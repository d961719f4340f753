"""`lcplan ingest`: plans written for these tests in three layouts, a PDF typeset here, the
shipped plans, bad input, and adding a plan to an existing package.

Every expectation below is read off the test texts by hand (tests/plans/ingest/), not taken
from what the code produced.
"""

from __future__ import annotations

import csv
import hashlib
import re
import shutil
import tomllib
from pathlib import Path

import pytest

from conftest import REPO, run_lcplan

TEXTS = Path(__file__).parent / "plans" / "ingest"


def _rows(folder: Path, table: str) -> list[dict[str, str]]:
    with open(folder / "data" / f"{table}.csv", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _ingest(source: Path, doc: str, out: Path, *extra: str, plan_year: str = "2025/26"):
    return run_lcplan("ingest", str(source), "--document-id", doc, "--organisation", "Test Council",
                      "--title", "Test plan", "--plan-year", plan_year, "--out", str(out), *extra)


def test_hard_wrapped_text_with_running_footers_and_hyphenation(tmp_path):
    out = tmp_path / "pkg"
    result = _ingest(TEXTS / "riverside-business-plan-2025-26.txt", "rdc-bp-2025-26", out)
    assert result.returncode == 0, result.stderr
    assert "lcplan validate passes" in result.stdout and "furniture" in result.stdout
    sections = [(r["title"], r["level"]) for r in _rows(out, "sections")]
    assert sections == [("Riverside District Council Business Plan 2025/26", "1"), ("Introduction", "2"),
                        ("Our priorities", "2"), ("Services we run", "2")]
    items = _rows(out, "items")
    assert [(r["text"], r["label"]) for r in items] == [
        ("This plan sets out what the council will do in the coming year for the 95,000 people of Riverside, "
         "who rely on its services every day.", ""),
        ("It replaces the plan for 2024/25.", ""),
        ("We will:", ""),
        ("repair every reported pothole within ten working days;", ""),
        ("open the new leisure centre in the spring;", ""),
        ("publish our spending every quarter.", ""),
        ("Collect household waste every week from every home in the district.", "1"),
        ("Keep the three libraries open six days a week.", "2"),
        ("Answer nine in ten calls within two minutes.", "3"),
    ]
    assert not any("Page" in r["text"] for r in items)  # the running footers are furniture
    assert [(r["line_start"], r["line_end"]) for r in items][0] == ("5", "7")


def test_one_paragraph_a_line_with_markdown_bullets(tmp_path):
    out = tmp_path / "pkg"
    assert _ingest(TEXTS / "harbour-strategy-2025-30.md", "hcc-cs-2025-30", out, plan_year="2025/30").returncode == 0
    assert [(r["title"], r["level"]) for r in _rows(out, "sections")] == [
        ("Harbour City Council Climate Strategy 2025–2030", "1"), ("Why this matters", "2"),
        ("How we will report", "2")]
    items = _rows(out, "items")
    by_text = {r["text"]: r for r in items}
    assert [r["text"] for r in items] == [
        "Harbour City has set a goal of net zero emissions by 2030, and this strategy says how the council will "
        "get there.",  # emphasis markers dropped
        "Our commitments are:",
        "Cut the council's own emissions by 60% by 2027.",
        "Move the vehicle fleet to electric vans.",
        "Heat the town hall with a heat pump.",
        "Plant 5,000 street trees.",
        "We will publish progress each year.",
    ]
    top = by_text["Cut the council's own emissions by 60% by 2027."]["item_id"]
    assert by_text["Move the vehicle fleet to electric vans."]["parent_item_id"] == top
    assert by_text["Heat the town hall with a heat pump."]["parent_item_id"] == top
    assert by_text["Plant 5,000 street trees."]["parent_item_id"] == ""
    assert {r["kind"] for r in items if r["text"].startswith(("Cut", "Plant"))} == {"commitment"}  # lead-in


def test_numbered_headings_dotted_commitments_and_lettered_measures(tmp_path):
    out = tmp_path / "pkg"
    assert _ingest(TEXTS / "kingsbridge-plan-2024-28.txt", "kb-cp-2024-28", out, plan_year="2024/28").returncode == 0
    assert [(r["title"], r["level"]) for r in _rows(out, "sections")] == [
        ("Kingsbridge Council Plan 2024–2028", "1"), ("1. Homes for everyone", "2"), ("2. A greener borough", "2"),
        ("3. Safe streets", "2")]
    items = _rows(out, "items")
    assert [r["label"] for r in items] == ["1.1", "a", "b", "1.2", "a", "2.1", "a", "b", "c", "3.1"]
    ids = {r["label"] + r["text"][:5]: r for r in items}
    assert ids["bFit s"]["parent_item_id"] == ids["2.1Make "]["item_id"]
    assert items[0]["text"] == "Build 1,000 new council homes by 2028."
    assert items[2]["text"] == "Let every new home at a social rent."


def test_rerunning_with_the_reviewed_hints_keeps_the_ids(tmp_path):
    first = tmp_path / "first"
    assert _ingest(TEXTS / "riverside-business-plan-2025-26.txt", "rdc-bp-2025-26", first).returncode == 0
    plan = first / "plans" / "rdc-bp-2025-26.toml"
    # a reviewer decides the numbered statements are services, not actions
    edited = tmp_path / "reviewed.toml"
    text = plan.read_text(encoding="utf-8")
    edited.write_text(text.replace('style = "decimal"\nkind = "action"', 'style = "decimal"\nkind = "work_area"'),
                      encoding="utf-8")
    second = tmp_path / "second"
    result = _ingest(TEXTS / "riverside-business-plan-2025-26.txt", "rdc-bp-2025-26", second, "--hints", str(edited))
    assert result.returncode == 0, result.stderr
    before = {r["item_id"] for r in _rows(first, "items") if r["kind"] != "action"}
    after = {r["item_id"] for r in _rows(second, "items")}
    assert before <= after  # unchanged statements keep their IDs
    assert sum(r["kind"] == "work_area" for r in _rows(second, "items")) == 3
    assert "unsure" not in result.stdout  # nothing guessed with hints given


def _typeset_pdf(path: Path, pages: list[list[tuple[str, str]]]) -> None:
    """A plan typeset as a PDF: wrapped paragraphs, bullets drawn as glyphs, a running footer."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate

    ss = getSampleStyleSheet()

    def footer(canvas, doc):
        canvas.setFont("Helvetica", 8)
        canvas.drawString(72, 30, f"Riverside District Council · Business Plan 2025/26 · Page {doc.page}")

    story = []
    for k, page in enumerate(pages):
        for style, text in page:
            if style == "bullet":
                story.append(Paragraph(text, ss["BodyText"], bulletText="•"))
            else:
                story.append(Paragraph(text, ss[style]))
        if k + 1 < len(pages):
            story.append(PageBreak())
    SimpleDocTemplate(str(path), pagesize=A4).build(story, onFirstPage=footer, onLaterPages=footer)


PARAGRAPH = ("This plan sets out what the council will do in the coming year for the people of Riverside, who "
             "rely on its services every day and expect them to be run well and at a fair cost.")
BULLETS = ["repair every reported pothole within ten working days of the report reaching us and tell the "
           "resident who reported it;", "open the new leisure centre in the spring."]
SECOND = "Every household will have its waste collected every week, including garden waste in the summer months."


def test_a_typeset_pdf_comes_back_verbatim(tmp_path):
    pdf = tmp_path / "riverside-business-plan-2025-26.pdf"
    _typeset_pdf(pdf, [
        [("Title", "Riverside Business Plan 2025/26"), ("Heading2", "Our priorities"), ("BodyText", PARAGRAPH),
         ("BodyText", "We will:"), *[("bullet", b) for b in BULLETS]],
        [("Heading2", "Services we run"), ("BodyText", SECOND)],
    ])
    out = tmp_path / "pkg"
    result = _ingest(pdf, "rdc-bp-2025-26", out)
    assert result.returncode == 0, result.stderr
    texts = [r["text"] for r in _rows(out, "items")]
    # read by its layout: "We will:" is set apart from the paragraph above, so it is a statement of its own
    # (the lead-in of the bullets), and each bullet drawn as a glyph is one statement
    for sentence in (PARAGRAPH, "We will:", *BULLETS, SECOND):
        assert sentence in texts
    assert not any("Page" in t for t in texts)
    assert {r["title"] for r in _rows(out, "sections")} >= {"Our priorities", "Services we run"}
    plan = tomllib.loads((out / "plans" / "rdc-bp-2025-26.toml").read_text(encoding="utf-8"))
    assert plan["original"]["sha256"] == hashlib.sha256(pdf.read_bytes()).hexdigest()
    assert (out / plan["original"]["path"]).read_bytes() == pdf.read_bytes()
    first_lines = plan["pages"]["first_lines"]
    assert len(first_lines) == 2 and first_lines[0] == 1
    source = (out / plan["document"]["source_path"]).read_text(encoding="utf-8").split("\n")
    # the second page's statement is on a line at or after the second page's first line
    second = next(r for r in _rows(out, "items") if r["text"] == SECOND)
    assert int(second["line_start"]) >= first_lines[1] and "Every household" in source[int(second["line_start"]) - 1]


def test_a_scanned_pdf_is_refused(tmp_path):
    from reportlab.pdfgen import canvas

    pdf = tmp_path / "scan.pdf"
    c = canvas.Canvas(str(pdf))
    c.rect(100, 100, 300, 400, fill=1)  # an image of a page: no text layer
    c.showPage()
    c.save()
    result = _ingest(pdf, "rdc-bp-2025-26", tmp_path / "pkg")
    assert result.returncode == 2 and "no text layer" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "pkg").exists()


@pytest.mark.parametrize(("args", "message"), [
    (["--document-id", "Bad ID"], "--document-id"),
    (["--plan-year", "2025"], "--plan-year"),
])
def test_bad_arguments_are_named(tmp_path, args, message):
    base = {"--document-id": "rdc-bp-2025-26", "--plan-year": "2025/26"}
    base.update(dict(zip(args[::2], args[1::2])))
    result = run_lcplan("ingest", str(TEXTS / "harbour-strategy-2025-30.md"), "--organisation", "T", "--title", "T",
                        *[x for kv in base.items() for x in kv], "--out", str(tmp_path / "pkg"))
    assert result.returncode == 2 and message in result.stderr and "Traceback" not in result.stderr


def test_the_shipped_plans_come_back_from_their_texts(tmp_path):
    """With no hints at least 95% of each shipped plan's statements come back verbatim (the benchmark
    prints the figures); with the shipped hints all of them, with the same IDs."""
    from lcplan.plans import load_plans

    pkg = REPO / "datasets" / "london-councils-plans"
    for plan in load_plans(pkg):
        shipped = [r for r in _rows(pkg, "items") if r["document_id"] == plan.document_id]
        d = plan.document
        for hints in ([], ["--hints", str(plan.path)]):
            out = tmp_path / f"{plan.document_id}-{len(hints)}"
            result = run_lcplan("ingest", str(pkg / d["source_path"]), "--document-id", plan.document_id,
                                "--organisation", d["organisation"], "--title", d["title"], "--plan-year",
                                d["plan_year"], "--out", str(out), *hints)
            assert result.returncode == 0, result.stderr
            draft = {(" ".join(x for x in (r["title"], r["text"]) if x), r["item_id"]) for r in _rows(out, "items")}
            texts = {t for t, _ in draft}
            found = sum(" ".join(x for x in (r["title"], r["text"]) if x) in texts for r in shipped) / len(shipped)
            if hints:
                assert {(" ".join(x for x in (r["title"], r["text"]) if x), r["item_id"]) for r in shipped} <= draft
            else:
                assert found >= 0.95, (plan.document_id, found)


def test_into_an_existing_package_with_a_draft_crosswalk(tmp_path):
    pkg = tmp_path / "pkg"
    shutil.copytree(REPO / "datasets" / "london-councils-plans", pkg)
    before = (pkg / "data" / "items.csv").read_bytes()
    source = tmp_path / "london-councils-business-plan-2021-22.txt"
    source.write_text("Main Text\n\nOur work plan\n\n"
                      "1. Promote local leadership of transport infrastructure investment to support good growth.\n"
                      "2. Negotiate the Freedom Pass annual settlement with Transport for London.\n", encoding="utf-8")
    result = run_lcplan("ingest", str(source), "--document-id", "lc-bp-2021-22", "--organisation", "London Councils",
                        "--title", "London Councils Business Plan 2021/22", "--plan-year", "2021/22",
                        "--into", str(pkg))
    assert result.returncode == 0, result.stderr
    items = _rows(pkg, "items")
    assert [r["text"] for r in items if r["document_id"] == "lc-bp-2021-22"] == [
        "Promote local leadership of transport infrastructure investment to support good growth.",
        "Negotiate the Freedom Pass annual settlement with Transport for London."]
    assert (pkg / "data" / "items.csv").read_bytes().startswith(before)  # the shipped rows are kept, in order
    draft = list(csv.DictReader(open(pkg / "drafts" / "lc-bp-2021-22-crosswalk.csv", encoding="utf-8")))
    linked = [r for r in draft if r["to_item_id"] and r["from_item_id"]]
    assert linked and all(r["from_text"] and r["to_text"] for r in linked)
    assert all(r["from_item_id"].startswith("lc-bp-2019-20/") for r in linked)  # the latest earlier plan
    assert run_lcplan("validate", str(pkg)).returncode == 0
    # the package builds again with the new plan in it
    assert run_lcplan("build", "--package", str(pkg), "--check").returncode == 0


def test_into_a_folder_that_is_not_a_package_is_refused(tmp_path):
    result = run_lcplan("ingest", str(TEXTS / "harbour-strategy-2025-30.md"), "--document-id", "hcc-cs-2025-30",
                        "--organisation", "T", "--title", "T", "--plan-year", "2025/30", "--into", str(tmp_path))
    assert result.returncode == 2 and "package.toml" in result.stderr


def test_the_topic_coder_on_sentences_written_for_it():
    from lcplan.topics import code_topics

    cases = {  # a statement, and the CAP major topic a reader of the codebook gives it
        "Build 500 new council homes for social rent by 2028.": 14,
        "Work with the police to reduce knife crime and gang violence.": 12,
        "Recycle more household waste and cut air pollution from traffic.": 7,
        "Lobby for a fair funding settlement and the retention of business rates.": 1,
        "Help unemployed residents into work through apprenticeships.": 5,
    }
    got = code_topics(list(cases), top=3)
    for text, topic in cases.items():
        mine = got[got["text"] == text]
        assert len(mine) == 3 and mine["score"].between(0, 1).all()
        assert topic in set(mine["topic_code"]), (text, mine)
    top1 = got[got["rank"] == 1].set_index("text")["topic_code"]
    assert sum(top1[t] == c for t, c in cases.items()) >= 4


def test_the_topic_coder_reads_a_statement_under_its_heading():
    """A statement that names no topic is coded by its context, as a reader codes it: the same
    words under headings written for this test (not headings of the shipped plans)."""
    from lcplan.topics import code_topics

    statements = ["Publish an annual report on progress.", "Work with partners to improve outcomes."]
    for heading, topic in (("Policing and community safety", 12), ("Public health and care", 3)):
        got = code_topics(statements, top=3, context=[heading] * len(statements))
        assert got[got["rank"] == 1]["topic_code"].tolist() == [topic, topic], (heading, got)
    alone = code_topics(statements, top=1)
    assert not set(alone["topic_code"]) & {12, 3}  # without the heading, neither topic comes first
    with pytest.raises(ValueError, match="context has 1 entries for 2 texts"):
        code_topics(statements, context=["Public health and care"])


def test_lcplan_topics_reads_headings_as_context(tmp_path):
    file = tmp_path / "plan.md"
    file.write_text("# Policing and community safety\nPublish an annual report on progress.\n\n"
                    "## Public health and care\nPublish an annual report on progress.\n", encoding="utf-8")
    result = run_lcplan("topics", str(file), "--top", "1")
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(result.stdout.splitlines()))
    assert [(r["text"], r["topic_code"]) for r in rows] == [("Publish an annual report on progress.", "12"),
                                                           ("Publish an annual report on progress.", "3")]


def test_lcplan_topics_refuses_unreadable_input_plainly(tmp_path):
    (tmp_path / "latin1.txt").write_bytes("Caf\xe9 plan\n".encode("latin-1"))
    for name, reason in (("missing.txt", "No such file"), ("latin1.txt", "not UTF-8")):
        result = run_lcplan("topics", str(tmp_path / name))
        assert result.returncode == 2 and name in result.stderr and reason in result.stderr, result.stderr
        assert "internal error" not in result.stderr and "Traceback" not in result.stderr


def test_ingest_suggests_topics_for_review(tmp_path):
    out = tmp_path / "pkg"
    assert _ingest(TEXTS / "kingsbridge-plan-2024-28.txt", "kb-cp-2024-28", out, plan_year="2024/28").returncode == 0
    rows = list(csv.DictReader(open(out / "drafts" / "kb-cp-2024-28-topics.csv", encoding="utf-8")))
    coded = [r for r in _rows(out, "items") if r["kind"] in ("commitment", "action")]
    assert {r["item_id"] for r in rows} == {r["item_id"] for r in coded}
    first = {r["item_id"]: r["topic_code"] for r in rows if r["rank"] == "1"}
    assert first["kb-cp-2024-28/commitment/1.1"] == "14"  # council homes: Housing
    # each statement is read with the new plan's own context (parent, heading, title), as in training
    import pandas as pd

    from lcplan.topics import CONFIDENT, code_topics, item_context, statement

    items = pd.DataFrame(_rows(out, "items")).replace("", pd.NA)
    context = item_context(items, pd.DataFrame(_rows(out, "sections")), documents=pd.DataFrame(_rows(out, "documents")))
    title = _rows(out, "documents")[0]["title"]
    assert all(context[i].endswith(title) for i in first)
    coded_rows = items[items["item_id"].isin(first)]
    assert any(context[i] for i in coded_rows["item_id"])
    texts = [statement(r) for _, r in coded_rows.iterrows()]
    want = code_topics(texts, context=[context[i] for i in coded_rows["item_id"]])
    draft = {(r["item_id"], r["rank"]): (r["topic_code"], float(r["score"])) for r in rows}
    for k, (i, r) in enumerate(zip(want["text"], want["rank"])):
        item = coded_rows["item_id"].iloc[texts.index(i)]
        assert draft[(item, str(r))] == (str(want["topic_code"].iloc[k]), want["score"].iloc[k])
    # only a confident first topic is suggested (confident: the first coder's score, before it adapted
    # to the plan, at least CONFIDENT); every topic of the other statements is to review
    confident = {coded_rows["item_id"].iloc[texts.index(t)]: c for t, r, c in zip(want["text"], want["rank"], want["confident"])
                 if r == 1}
    assert any(confident.values())
    plain = code_topics(texts, context=[context[i] for i in coded_rows["item_id"]], adapt=False)
    assert all(s >= CONFIDENT for s in plain.loc[plain["confident"], "score"])
    for r in rows:
        sure = confident[r["item_id"]]
        assert r["status"] == ("suggested" if sure and r["rank"] == "1" else "alternative" if sure else "to review"), r


def test_ingest_refuses_plainly_and_leaves_what_is_there(tmp_path):
    """--out at a file; a second run over a package whose plan file may be reviewed; a bad date."""
    source = TEXTS / "kingsbridge-plan-2024-28.txt"
    a_file = tmp_path / "notes.txt"
    a_file.write_text("keep me\n", encoding="utf-8")
    for out in (a_file, a_file / "sub"):
        result = _ingest(source, "kb-cp-2024-28", out, plan_year="2024/28")
        assert result.returncode == 2 and "internal error" not in result.stderr, result.stderr
        assert str(a_file) in result.stderr
    assert a_file.read_text(encoding="utf-8") == "keep me\n"
    pkg = tmp_path / "pkg"
    assert _ingest(source, "kb-cp-2024-28", pkg, plan_year="2024/28").returncode == 0
    plan = pkg / "plans" / "kb-cp-2024-28.toml"
    plan.write_text(plan.read_text(encoding="utf-8") + "# reviewed by hand\n", encoding="utf-8")
    before = {f: f.read_bytes() for f in pkg.rglob("*") if f.is_file()}
    result = _ingest(source, "kb-cp-2024-28", pkg, plan_year="2024/28")
    assert result.returncode == 2 and "--hints" in result.stderr and "already there" in result.stderr
    assert {f: f.read_bytes() for f in pkg.rglob("*") if f.is_file()} == before
    result = _ingest(source, "kb-cp-2024-28", tmp_path / "dated", "--period-start", "2024-13-01",
                     plan_year="2024/28")
    assert result.returncode == 2 and "--period-start '2024-13-01'" in result.stderr
    assert not (tmp_path / "dated").exists()


def test_a_drafts_unreviewed_claims_are_warned_of(tmp_path):
    import json

    pkg = tmp_path / "pkg"
    assert _ingest(TEXTS / "kingsbridge-plan-2024-28.txt", "kb-cp-2024-28", pkg, plan_year="2024/28").returncode == 0
    drafted = [r for r in _rows(pkg, "claims") if r["subject"].startswith("to review: ")]
    assert drafted  # the plan states figures, so the draft has claims to review
    report = json.loads(run_lcplan("validate", str(pkg), "--format", "json").stdout)
    warned = [w for w in report["warnings"] if w["check"] == "claim_not_reviewed"]
    assert sorted(w["value"] for w in warned) == sorted(r["subject"] for r in drafted)
    assert run_lcplan("validate", str(pkg), "--strict").returncode == 1


LIST_PLAN = """Eastmoor Parish Council Plan 2026-2029

Our aims

1. Restore the village hall’s roof and open the hall to clubs
   every weekday evening by 2027.
2. Spend £45,000 on new play equipment at Church Green, chosen
   with the children who will use it.
   - Add a bench and shade for carers.
3. Plant a hedge along the footpath to the école partner’s garden.

Contact

Parish Clerk, Eastmoor Village Hall, EM1 4QQ
clerk@eastmoor.example.org
"""


@pytest.mark.parametrize("suffix", [".txt", ".md"])
def test_a_list_with_hanging_indents_reads_as_one_item_each(tmp_path, suffix):
    """Markdown's list layout, written for this test: a numbered item wrapped onto an indented
    line is one statement; a bullet indented under it is its child; a contact block is proposed
    as furniture."""
    source = tmp_path / f"eastmoor-plan{suffix}"
    source.write_text(LIST_PLAN, encoding="utf-8")
    out = tmp_path / "pkg"
    result = _ingest(source, "epc-cp-2026-29", out, plan_year="2026/29")
    assert result.returncode == 0, result.stderr
    items = _rows(out, "items")
    texts = [(r["label"], r["text"], r["line_start"], r["line_end"]) for r in items]
    assert texts == [
        ("1", "Restore the village hall’s roof and open the hall to clubs every weekday evening by 2027.", "5", "6"),
        ("2", "Spend £45,000 on new play equipment at Church Green, chosen with the children who will use it.",
         "7", "8"),
        ("", "Add a bench and shade for carers.", "9", "9"),
        ("3", "Plant a hedge along the footpath to the école partner’s garden.", "10", "10"),
    ]
    by_label = {r["text"][:5]: r for r in items}
    assert by_label["Add a"]["parent_item_id"] == by_label["Spend"]["item_id"]
    assert "line    12: proposed furniture" in result.stdout and "line    14: proposed furniture" in result.stdout


def test_summary_and_match_read_your_own_package(tmp_path):
    source = tmp_path / "eastmoor-plan.md"
    source.write_text(LIST_PLAN, encoding="utf-8")
    pkg = tmp_path / "pkg"
    assert _ingest(source, "epc-cp-2026-29", pkg, plan_year="2026/29").returncode == 0
    result = run_lcplan("summary", "--package", str(pkg))
    assert result.returncode == 0, result.stderr
    assert "1 documents" in result.stdout and "4 items" in result.stdout  # three aims and one sub-bullet
    result = run_lcplan("match", "epc-cp-2026-29", "epc-cp-2026-29", "--package", str(pkg))
    assert result.returncode == 0, result.stderr
    assert "Restore the village hall’s roof" in result.stdout
    items = pkg / "data" / "items.csv"
    items.write_text(items.read_text(encoding="utf-8").replace("Restore the", "Repair the"), encoding="utf-8")
    result = run_lcplan("summary", "--package", str(pkg))
    assert result.returncode == 1 and "not valid" in result.stderr and "lcplan validate" in result.stderr
    result = run_lcplan("summary", "--package", str(tmp_path / "nowhere"))
    assert result.returncode == 2 and "no such file" in result.stderr and "internal error" not in result.stderr


def test_a_reviewed_claim_that_matches_nothing_stops_the_rerun(tmp_path):
    source = tmp_path / "eastmoor-plan.md"
    source.write_text(LIST_PLAN, encoding="utf-8")
    pkg = tmp_path / "pkg"
    assert _ingest(source, "epc-cp-2026-29", pkg, plan_year="2026/29").returncode == 0
    plan = pkg / "plans" / "epc-cp-2026-29.toml"
    hints = tmp_path / "reviewed.toml"
    text = plan.read_text(encoding="utf-8")
    assert 'quote = "£45,000"' in text  # the draft found the plan's one sum
    # a reviewer writes the claim's subject, and mistypes its quote
    reviewed = re.sub(r'quote = "£45,000"\nclaim_type = "cost"\nsubject = "to review: [^"]*"',
                      'quote = "£46,000"\nclaim_type = "cost"\nsubject = "play equipment"', text)
    assert reviewed != text
    hints.write_text(reviewed, encoding="utf-8")
    before = plan.read_bytes()
    result = _ingest(source, "epc-cp-2026-29", pkg, "--hints", str(hints), plan_year="2026/29")
    assert result.returncode == 2 and "match no claim" in result.stderr and "£46,000" in result.stderr
    assert plan.read_bytes() == before


def test_every_reading_command_takes_a_package_and_summary_keeps_bodies_apart(tmp_path):
    """Two bodies' plans of one year in one package: summary gives each its column; info,
    describe, export and cite read the package given, and export names its file after it."""
    from conftest import ingest_two_bodies

    pkg = ingest_two_bodies(tmp_path / "two-bodies", second_year="2025/26")
    summary = run_lcplan("summary", "--package", str(pkg))
    assert summary.returncode == 0, summary.stderr
    header = next(line for line in summary.stdout.splitlines() if line.startswith("document"))
    assert "rv-bp-2025-26" in header and "hc-cs-2025-26" in header  # one plan year, two columns
    assert "Harbour City Council, Harbour City climate strategy (2025/26)" in summary.stdout
    info = run_lcplan("info", "--package", str(pkg))
    assert info.returncode == 0 and f"data: {pkg}" in info.stdout and "two-bodies" in info.stdout
    items = len(_rows(pkg, "items"))
    assert any(line.split()[:2] == ["items", str(items)] for line in info.stdout.splitlines())
    describe = run_lcplan("describe", "documents", "--package", str(pkg))
    assert describe.returncode == 0 and "Rows: 2." in describe.stdout  # this package's two documents
    assert "`Harbour City Council`" in describe.stdout or "`Riverside Council`" in describe.stdout  # its example
    out = tmp_path / "export"
    exported = run_lcplan("export", "--format", "sqlite", "--out", str(out), "--package", str(pkg))
    assert exported.returncode == 0, exported.stderr
    import sqlite3

    with sqlite3.connect(out / "two-bodies.sqlite") as con:
        assert con.execute("SELECT count(*) FROM items").fetchone()[0] == items
    exported = run_lcplan("export", "--format", "xlsx", "--out", str(out), "--package", str(pkg))
    assert exported.returncode == 0, exported.stderr
    from openpyxl import load_workbook

    readme = load_workbook(out / "two-bodies.xlsx", read_only=True)["README"]
    assert next(readme.iter_rows(values_only=True))[0].startswith("Plans of Riverside Council and Harbour City Council")
    coded = run_lcplan("topics", "-", "--package", str(pkg), "--top", "1", input="Plant 10,000 trees\n")
    assert coded.returncode == 0 and coded.stdout.count("\n") == 2, coded.stderr  # a header and one suggestion
    cite = run_lcplan("cite", "--package", str(pkg))
    assert cite.returncode == 0 and "two-bodies" in cite.stdout
    # the second body is a rights holder too, and the title ingest wrote names both
    assert "Plans of Riverside Council and Harbour City Council" in cite.stdout
    assert "© Riverside Council, Harbour City Council" in cite.stdout
    missing = run_lcplan("info", "--package", str(tmp_path / "nowhere"))
    assert missing.returncode == 2 and "no such file" in missing.stderr and "Traceback" not in missing.stderr
