"""The one reader of plan texts, on small texts written for it in several layouts."""

from __future__ import annotations

import pytest

from lcplan.plans import Furniture, Heading, Hints, ListRule, Numbered, Titled
from lcplan.reader import ReadError, read_plan_text
from lcplan.text import marker


def _read(text: str, hints: Hints):
    return read_plan_text("tst-cp-2024-25", text.split("\n"), hints)


def _items(parsed):
    return [(i.item_id.split("/", 1)[1], i.kind, i.label, i.parent_item_id.split("/", 1)[-1], i.text,
             i.line_start, i.line_end) for i in parsed.items]


@pytest.mark.parametrize(("line", "expected"), [
    ("1. Homes", ("decimal", "1", ".", "Homes")),
    ("12) Homes", ("decimal", "12", ")", "Homes")),
    ("1.1 Homes", ("dotted", "1.1", ".", "Homes")),
    ("2.3.1. Homes", ("dotted", "2.3.1", ".", "Homes")),
    ("(a) Homes", ("alpha", "a", ")", "Homes")),
    ("b) Homes", ("alpha", "b", ")", "Homes")),
    ("iv. Homes", ("roman", "iv", ".", "Homes")),
    ("(ii) Homes", ("roman", "ii", ")", "Homes")),
    ("Homes for 1. people", None),
    ("i.e. this", None),
    ("2022 was a year", None),
])
def test_markers(line, expected):
    assert marker(line) == expected


def test_one_paragraph_a_line_with_markdown_bullets_and_sub_bullets():
    text = "\n".join([
        "# Our plan",                       # 1
        "",
        "We make **three** promises:",      # 3
        "",
        "- Build homes.",                   # 5
        "  - Start 250 a year.",            # 6
        "  - Let them at social rent.",     # 7
        "- Clean the air.",                 # 8
        "",
        "* Plant trees.",                   # 10
    ])
    hints = Hints(wrapped=False, lists=(ListRule(kind="pledge", lead_in="We make"),))
    got = _items(_read(text, hints))
    assert got == [
        ("narrative/1", "narrative", "", "", "We make three promises:", 3, 3),
        ("pledge/1", "pledge", "", "", "Build homes.", 5, 5),
        ("pledge/1.1", "pledge", "", "pledge/1", "Start 250 a year.", 6, 6),
        ("pledge/1.2", "pledge", "", "pledge/1", "Let them at social rent.", 7, 7),
        ("pledge/2", "pledge", "", "", "Clean the air.", 8, 8),
        ("pledge/3", "pledge", "", "", "Plant trees.", 10, 10),
    ]


def test_hard_wrapped_text_with_glyph_bullets_hyphenation_and_listed_headings():
    text = "\n".join([
        "Corporate Plan",                          # 1: a heading, as listed
        " Our aims are to keep the bor-",          # 2: a leading space starts a paragraph
        "ough clean and safe. We will:",           # 3
        "• sweep every street",                    # 4
        "once a week;",                            # 5
        "• light every",                           # 6
        "footpath.",                               # 7
        "Roads and",                               # 8: a heading wrapped over two lines
        "Transport",                               # 9
        "1) Mending roads",                        # 10: a titled statement
        "We fix what is broken.",                  # 11
        "• fill potholes in a week.",              # 12
        "Page 3 of 9",                             # 13: furniture
    ])
    hints = Hints(wrapped=True,
                  headings=(Heading("Corporate Plan", 1, slug="main"), Heading("Roads and Transport", 2)),
                  lists=(ListRule(kind="commitment", lead_in="Our aims"),),
                  titled=(Titled(kind="theme", marker=")", children="theme_commitment"),),
                  furniture=(Furniture((13, 13), "Page 3"),))
    parsed = _read(text, hints)
    assert [(s.section_id.split("/", 1)[1], s.level, s.line_start, s.line_end) for s in parsed.sections] == [
        ("main", 1, 1, 1), ("main/roads-and-transport", 2, 8, 9)]
    assert _items(parsed) == [
        ("narrative/1", "narrative", "", "", "Our aims are to keep the borough clean and safe. We will:", 2, 3),
        ("commitment/1", "commitment", "", "", "sweep every street once a week;", 4, 5),
        ("commitment/2", "commitment", "", "", "light every footpath.", 6, 7),
        ("theme/1", "theme", "1", "", "We fix what is broken.", 10, 11),
        ("theme-commitment/1.1", "theme_commitment", "", "theme/1", "fill potholes in a week.", 12, 12),
    ]
    assert parsed.items[3].title == "Mending roads"


def test_numbered_styles_nest_and_numbering_can_restart_per_section():
    text = "\n".join([
        "# A", "1. First aim", "a) Step one", "b) Step two", "i. Detail", "2. Second aim", "(a) Step",
        "# B", "1. Third aim",
    ])
    hints = Hints(numbered=(Numbered("decimal", "objective", scope="section"), Numbered("alpha", "action"),
                            Numbered("roman", "measure")))
    got = _items(_read(text, hints))
    assert [(g[0], g[2], g[3]) for g in got] == [
        ("objective/a/1", "1", ""), ("action/a/1.1", "a", "objective/a/1"), ("action/a/1.2", "b", "objective/a/1"),
        ("measure/a/1.2.1", "i", "action/a/1.2"), ("objective/a/2", "2", ""), ("action/a/2.1", "a", "objective/a/2"),
        ("objective/b/1", "1", ""),
    ]


@pytest.mark.parametrize(("text", "hints", "message"), [
    ("# A\n1. x\n3. y", Hints(numbered=(Numbered("decimal", "action"),)), "number 3 where 2 was expected"),
    ("# A\n1.1 x", Hints(), "add [[reader.numbered]] style = 'dotted'"),
    ("# A\nWe will:\n- x", Hints(), "add a [[reader.lists]] with lead_in = 'We will:'"),
    ("# A\n  - x", Hints(), "a sub-bullet with no bullet above it"),
    ("A\nx", Hints(headings=(Heading("B", 1),)), "heading 'B' not found"),
    ("# A\nx", Hints(furniture=(Furniture((2, 2), "y"),)), "does not start with 'y'"),
    ("### A\nx", Hints(), "at level 3 has no parent"),
    ("x", Hints(), "text before the first heading"),
])
def test_disagreements_stop_with_a_clear_message(text, hints, message):
    with pytest.raises(ReadError, match=message.replace("[", r"\[").replace("]", r"\]").replace("(", r"\(")):
        _read(text, hints)
