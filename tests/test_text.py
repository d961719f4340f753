"""The one rule that reads a statement off its lines, on text it has not seen."""

from __future__ import annotations

from lcplan.text import join_lines, source_lines


def test_wrapped_lines_join_with_one_space():
    assert join_lines(["  Promote local  ", "leadership of transport"]) == "Promote local leadership of transport"


def test_a_word_hyphenated_across_a_wrap_is_rejoined():
    assert join_lines(["the devel-", "opment of London"]) == "the development of London"


def test_a_dash_at_a_wrap_is_kept():
    assert join_lines(["skills –", "publish the plan"]) == "skills – publish the plan"
    assert join_lines(["the 2014-", "20 programme"]) == "the 2014- 20 programme"


def test_emphasis_dropped_and_blank_lines_skipped():
    assert join_lines(["the collective **voice**", "", "for London"]) == "the collective voice for London"


def test_inner_spacing_quotes_and_dashes_stay():
    assert join_lines(["Skills strategy  - ‘Vision 2020’"]) == "Skills strategy  - ‘Vision 2020’"


def test_verbatim_needs_exactly_the_cited_lines():
    import pandas as pd

    from lcplan.validate.kernels import verbatim_mask

    lines = ["1. Complete the review", "of the scheme", "2. Next"]
    cases = [(1, 2, True), (1, 1, False), (1, 3, False), (2, 2, False)]  # (line_start, line_end, verbatim)
    df = pd.DataFrame({"document_id": ["d"] * 4, "title": pd.array([None] * 4, dtype="string"),
                       "text": ["Complete the review of the scheme"] * 4,
                       "line_start": [str(a) for a, _, _ in cases], "line_end": [str(b) for _, b, _ in cases]})
    assert verbatim_mask(df, {"d": lines}).tolist() == [ok for _, _, ok in cases]


def test_source_lines_keep_numbering_with_or_without_a_final_newline():
    assert source_lines(b"a\nb\n") == ["a", "b"]
    assert source_lines(b"a\nb") == ["a", "b"]
    assert source_lines("caf\u00e9\n".encode()) == ["caf\u00e9"]


from hypothesis import given, settings, strategies as st_


@settings(max_examples=300, deadline=None)
@given(st_.lists(st_.sampled_from(["", "  ", "word", "Word", "co-", "op-", "eration", "**bold**", "-", "a-",
                                   " x ", "Devel-", "opment of it.", "2020-", "21", "Café-", "élan", "naïve-", "Über", "ß-", "²-", "x ½-", "Ωmega",
                                   "\u00a0x\u2003", "\u3000", "\t*", "***", "** x**-", "\x1cend\x1f", "\u2028a-",
                                   "\u00a0", " " * 70 + "deep", "x" + " " * 70, "\u00e9\u00a0"]), min_size=1, max_size=12),
       st_.data())
def test_the_validators_stream_joins_every_span_as_join_lines_does(lines, data):
    from lcplan.validate.kernels import _Stream
    from lcplan.text import join_lines

    stream = _Stream(lines)
    a = data.draw(st_.integers(1, len(lines)))
    b = data.draw(st_.integers(a, len(lines)))
    assert stream.span(a, b) == join_lines(lines[a - 1:b])


def test_a_source_s_lines_are_found_piece_by_piece_as_in_one_pass(monkeypatch):
    """SourceText looks for newlines a piece at a time; count_lines counts them without placing
    them; has_line_over looks only at stretches: whatever the piece size, the lines are the
    file's, their count is len(SourceText), and no line over the limit is missed."""
    import random

    import lcplan.text as text

    rng = random.Random(11)
    for piece in (1, 2, 3, 7, 1 << 18):
        monkeypatch.setattr(text, "LINE_SCAN_PIECE", piece)
        for _ in range(300):
            data = "".join(rng.choice("ab\né") for _ in range(rng.randint(0, 40))).encode("utf-8")
            lines = text.SourceText(data)
            assert [lines[k] for k in range(len(lines))] == source_lines(data)
            want = [0] + [k + 1 for k, b in enumerate(data) if b == 10] + ([len(data)] if data and data[-1] != 10 else [])
            assert lines.offsets.tolist() == want
            assert text.count_lines(data) == len(lines) == len(source_lines(data))
            widest = max((len(x) for x in data.split(b"\n")), default=0)
            for limit in range(12):
                if widest > limit:
                    assert text.has_line_over(data, limit), (data, limit)
    assert not text.has_line_over(b"abc\n" * 1000, 8) and text.has_line_over(b"abc\n" * 10 + b"x" * 9, 8)
