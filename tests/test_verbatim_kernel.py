"""The vectorised verbatim check agrees with its rule written plainly in Python.

The rule: an item's text (with its title, if any) is found in the joined text of its lines
(lcplan.text.join_lines), and, over several lines, not without its first line or its last one.
The kernel compares most statements as byte slices of one stream and decides the rest by the
rule; here both are run on generated sources and statements, valid and broken.
"""

from __future__ import annotations

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from lcplan.text import SourceText, join_lines
from lcplan.validate.kernels import verbatim_mask

WORDS = ["London", "plan", "devel-", "opment", "£32.5bn", "“quoted”", "café", "**bold**", "", "  ", "a", "pledge-",
         "Über", "去年", "🙂", "x-", "work"]


def _reference(lines: list[str], x: int, y: int, text: str, title: str | None) -> bool:
    needle = f"{title} {text}" if title else text
    if needle not in join_lines(lines[x - 1:y]):
        return False
    return not (y > x and (needle in join_lines(lines[x:y]) or needle in join_lines(lines[x - 1:y - 1])))


lines_st = st.lists(st.lists(st.sampled_from(WORDS), min_size=0, max_size=4).map(" ".join), min_size=1, max_size=12)


@settings(max_examples=300, deadline=None)
@given(lines=lines_st, data=st.data())
def test_kernel_equals_the_rule(lines, data):
    n = len(lines)
    rows = []
    for _ in range(data.draw(st.integers(1, 6))):
        x = data.draw(st.integers(1, n))
        y = data.draw(st.integers(x, n))
        joined = join_lines(lines[x - 1:y])
        how = data.draw(st.sampled_from(["exact", "suffix", "inner", "other", "titled"]))
        if how == "exact" or not joined:
            text, title = joined or "plan", None
        elif how == "suffix":
            text, title = joined[data.draw(st.integers(0, len(joined) - 1)):], None
        elif how == "inner":
            i = data.draw(st.integers(0, len(joined) - 1))
            text, title = joined[i:data.draw(st.integers(i + 1, len(joined)))], None
        elif how == "titled":
            head, _, rest = joined.partition(" ")
            text, title = (rest, head) if rest else (joined, None)
        else:
            text, title = data.draw(st.sampled_from(WORDS[:8])) or "plan", None
        rows.append({"document_id": "d", "line_start": x, "line_end": y, "text": text, "title": title})
    df = pd.DataFrame(rows).astype({"document_id": "string[pyarrow]", "text": "string[pyarrow]",
                                    "title": "string[pyarrow]", "line_start": "Int64", "line_end": "Int64"})
    source = SourceText(("\n".join(lines) + "\n").encode("utf-8"))
    got = verbatim_mask(df, {"d": source}).tolist()
    want = [_reference(lines, r["line_start"], r["line_end"], r["text"], r["title"]) for r in rows]
    assert got == want


@settings(max_examples=150, deadline=None)
@given(first=lines_st, second=lines_st, data=st.data())
def test_several_sources_read_as_if_alone(first, second, data):
    """Sources share one stream in the kernel; a word is never rejoined across two of them."""
    sources = {"d1": first, "d2": second, "d3": first}  # d3 shares d1's source
    rows = []
    for doc, lines in sources.items():
        x = data.draw(st.integers(1, len(lines)))
        y = data.draw(st.integers(x, len(lines)))
        joined = join_lines(lines[x - 1:y]) or "plan"
        text = joined[data.draw(st.integers(0, len(joined) - 1)):]
        rows.append({"document_id": doc, "line_start": x, "line_end": y, "text": text, "title": None})
    df = pd.DataFrame(rows).astype({"document_id": "string[pyarrow]", "text": "string[pyarrow]",
                                    "title": "string[pyarrow]", "line_start": "Int64", "line_end": "Int64"})
    texts = {k: SourceText(("\n".join(v) + "\n").encode("utf-8")) for k, v in (("a", first), ("b", second))}
    got = verbatim_mask(df, {"d1": texts["a"], "d2": texts["b"], "d3": texts["a"]}).tolist()
    want = [_reference(sources[r["document_id"]], r["line_start"], r["line_end"], r["text"], None) for r in rows]
    assert got == want


def test_a_hyphen_at_the_end_of_one_source_does_not_join_the_next():
    first, second = ["The devel-"], ["opment plan"]
    df = pd.DataFrame([{"document_id": "d1", "line_start": 1, "line_end": 1, "text": "The devel-", "title": None},
                       {"document_id": "d2", "line_start": 1, "line_end": 1, "text": "opment plan", "title": None}])
    sources = {"d1": SourceText(b"The devel-\n"), "d2": SourceText(b"opment plan\n")}
    assert verbatim_mask(df, sources).tolist() == [True, True]
    assert [_reference(first, 1, 1, "The devel-", None), _reference(second, 1, 1, "opment plan", None)] == [True, True]


def test_the_python_comparison_for_huge_streams_agrees(monkeypatch):
    """Over 2 GB a string view cannot address the stream; the kernel compares in Python instead."""
    import lcplan.validate.kernels as kernels

    lines = ["The devel-", "opment of “homes”, £32.5bn", "", "café plan"]
    rows = [(1, 2, "The development of “homes”, £32.5bn"), (2, 4, "of “homes”, £32.5bn café plan"),
            (4, 4, "café"), (1, 1, "The devel-")]
    df = pd.DataFrame([{"document_id": "d", "line_start": a, "line_end": b, "text": t, "title": None}
                       for a, b, t in rows]).astype({"document_id": "string[pyarrow]", "text": "string[pyarrow]",
                                                     "title": "string[pyarrow]"})
    source = {"d": SourceText(("\n".join(lines) + "\n").encode("utf-8"))}
    views = verbatim_mask(df, source).tolist()
    monkeypatch.setattr(kernels, "LARGEST_VIEW_BUFFER", 0)
    assert verbatim_mask(df, source).tolist() == views
    assert views == [_reference(lines, a, b, t, None) for a, b, t in rows]


def test_streams_built_ahead_in_a_thread_read_as_those_built_in_place(monkeypatch):
    """With every source a group of its own, each next group's stream is built in a thread while
    the rows of the one before are checked: the verdicts are those of the rule, and a thread
    that fails leaves the stream to be built where it is needed."""
    import lcplan.validate.kernels as kernels

    docs = {f"d{k}": [f"Plan {k} devel-", "opment of homes", "", f"item {k}", "end"] for k in range(5)}
    rows = []
    for doc, lines in docs.items():
        rows += [{"document_id": doc, "line_start": 1, "line_end": 2, "text": f"Plan {doc[1:]} development of homes"},
                 {"document_id": doc, "line_start": 4, "line_end": 4, "text": "item 9"},  # not on that line
                 {"document_id": doc, "line_start": 4, "line_end": 5, "text": f"item {doc[1:]} end"}]
    df = pd.DataFrame(rows).assign(title=None).astype({"document_id": "string[pyarrow]", "text": "string[pyarrow]",
                                                       "title": "string[pyarrow]"})
    sources = {d: SourceText(("\n".join(v) + "\n").encode("utf-8")) for d, v in docs.items()}
    want = [_reference(docs[r["document_id"]], r["line_start"], r["line_end"], r["text"], None) for r in rows]
    assert want.count(False) == 5

    monkeypatch.setattr(kernels, "STREAM_BYTES", 1)
    started = []
    real = kernels._Ahead.__init__
    monkeypatch.setattr(kernels._Ahead, "__init__", lambda self, group: (started.append(1), real(self, group))[1])
    assert verbatim_mask(df, sources).tolist() == want
    assert len(started) == 4  # groups 2 to 5, each built ahead

    monkeypatch.setattr(kernels._Ahead, "_build", lambda self: setattr(self, "failed", RuntimeError("no")))
    assert verbatim_mask(df, sources).tolist() == want


@settings(max_examples=200, deadline=None)
@given(lines=lines_st, few=st.sampled_from([0, 10**9]))
def test_every_span_of_the_stream_is_its_lines_joined(lines, few):
    """The stream is the source's bytes less what a join drops; the mask that keeps them is made
    from the dropped bytes where they are few, run by run where they are many: either way every
    span of lines reads as join_lines reads it."""
    import pytest

    import lcplan.validate.kernels as kernels

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(kernels, "FEW_DROPPED", few)  # 0: always from the dropped bytes; 10**9: always run by run
        stream = kernels._Stream(SourceText(("\n".join(lines) + "\n").encode("utf-8")))
    for a in range(1, len(lines) + 1):
        for b in range(a, len(lines) + 1):
            assert stream.span(a, b) == join_lines(lines[a - 1:b]), (a, b)


def test_the_first_stream_prepared_before_the_rows_serves_them(monkeypatch):
    """Validation prepares the first group's stream while the items are read: the rows then find
    it built (not built again) and read as the rule reads them."""
    import lcplan.validate.kernels as kernels

    lines = ["Plan devel-", "opment of homes", "", "item 1", "end"]
    rows = [(1, 2, "Plan development of homes"), (4, 4, "item 9"), (4, 5, "item 1 end")]
    df = pd.DataFrame([{"document_id": "d", "line_start": a, "line_end": b, "text": t, "title": None}
                       for a, b, t in rows]).astype({"document_id": "string[pyarrow]", "text": "string[pyarrow]",
                                                     "title": "string[pyarrow]"})
    built = []
    real = kernels._Stream.__init__
    monkeypatch.setattr(kernels._Stream, "__init__", lambda self, *parts: (built.append(1), real(self, *parts))[1])
    check = kernels.Verbatim({"d": SourceText(("\n".join(lines) + "\n").encode("utf-8"))})
    check.prepare()
    assert 0 in check._ahead
    check.prepare()  # once only
    assert check.mask(df).tolist() == [_reference(lines, a, b, t, None) for a, b, t in rows] == [True, False, True]
    assert len(built) == 1
