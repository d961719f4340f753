"""A table too large to hold whole is read in batches and held without its free-text fields;
the report must be the one a whole read gives. Each package is validated twice in this process:
as it is (its small tables held whole), and with every table read in batches (the size past
which a table streams set to 0), in batches of a few kilobytes where the rows allow.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pandas as pd
import pytest

from lcplan.validate import validate

from test_validate import CASES, assemble

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))


def _report(path) -> tuple[list[dict], list[dict], dict]:
    r = validate(path)
    return r.errors.to_dict("records"), r.warnings.to_dict("records"), r.rows


def _both(path, monkeypatch, block: int | None = None, every_table: bool = True):
    import lcplan.validate as v
    from lcplan.validate import files

    batches: list[int] = []
    read_table = files.read_table

    def counted(*args, batch=None, **kw):  # counts the batches handed over
        if batch is not None:
            def each(frame, batch=batch):
                batches.append(len(frame))
                batch(frame)
            return read_table(*args, batch=each, **kw)
        return read_table(*args, **kw)

    with monkeypatch.context() as m:
        m.setattr(files, "read_table", counted)
        whole = _report(path)
    assert not batches, "a small package is read whole"
    with monkeypatch.context() as m:
        m.setattr(v, "STREAM_TABLE_BYTES", -1)
        m.setattr(files, "read_table", counted)
        if block:
            m.setattr(files, "STREAM_BLOCK", block)
            m.setattr(files, "BATCH_BYTES", block)
        batched = _report(path)
    assert batches or not any(batched[2].values()), "the tables were read in batches"
    if block and every_table:
        assert len(batches) > len(batched[2]), "more than one batch a table"
    return whole, batched


def _same(a, b) -> None:
    def norm(records):
        return [{k: (None if pd.isna(x) else x) for k, x in r.items()} for r in records]

    assert norm(a[0]) == norm(b[0])
    assert norm(a[1]) == norm(b[1])
    assert a[2] == b[2]


@pytest.mark.parametrize("case", CASES)
def test_a_table_read_in_batches_reports_as_a_whole_one(case, tmp_path, monkeypatch):
    pkg, expected = assemble(case, tmp_path)
    if expected["exit"] == 2:  # nothing to validate
        return
    whole, batched = _both(pkg, monkeypatch)
    _same(whole, batched)


def test_the_shipped_package_in_small_batches(pkg, tmp_path, monkeypatch):
    whole, batched = _both(pkg, monkeypatch, block=8 << 10)
    assert not whole[0]
    _same(whole, batched)
    assert whole[1], "the shipped package's one warning (a text twice in a section) is found from digests too"


def test_a_broken_package_in_small_batches(tmp_path, monkeypatch):
    """A synthetic package with one row in ten broken (every kind of problem the shape plants),
    wrapped statements and a text repeated: the same problems, rows and values in batches."""
    from synthetic import make_package

    pkg = tmp_path / "pkg"
    make_package(pkg, 3_000, shape="invalid")
    items = pkg / "data" / "items.csv"
    frame = pd.read_csv(items, dtype="string", keep_default_na=False, na_values=[""])
    frame.loc[7, "text"] = frame.loc[6, "text"]  # the same text twice in one section
    frame.loc[8, "text"] = "=HYPERLINK(\"x\")"  # a formula, and not the source's text
    frame.to_csv(items, index=False, lineterminator="\n")
    whole, batched = _both(pkg, monkeypatch, block=16 << 10)
    assert len(whole[0]) > 100
    assert any(w["check"] == "formula_injection" for w in whole[1])
    _same(whole, batched)


def test_claims_read_in_batches_look_up_their_items_text(tmp_path, monkeypatch):
    """The claims rule that reads the item's text finds it by reading the items again."""
    case = "claim-offsets-off"
    pkg, _ = assemble(case, tmp_path)
    whole, batched = _both(pkg, monkeypatch)
    assert any(p["check"] == "quote_in_item_text" for p in whole[0])
    _same(whole, batched)


@pytest.mark.parametrize("blank", [3, 200_000])
def test_blank_lines_counted_as_read_in_batches(blank, tmp_path, monkeypatch):
    """Read in batches, the file's lines are not counted first: its blank rows are counted as
    they are read. A few are each an error at its row; past MAX_BLANK_LINES the file is refused
    with one error naming the first, as a whole read refuses it."""
    from lcplan.validate.files import MAX_BLANK_LINES

    pkg, _ = assemble("curated-valid", tmp_path)
    items = pkg / "data" / "items.csv"
    lines = items.read_bytes().split(b"\n")
    lines[2:2] = [b""] * blank  # after the first row
    items.write_bytes(b"\n".join(lines))
    whole, batched = _both(pkg, monkeypatch, block=1 << 10, every_table=False)  # the small tables in one
    _same(whole, batched)
    blank_errors = [p for p in whole[0] if p["check"] == "blank_row"]
    assert blank_errors[0]["row"] == 3
    assert len(blank_errors) == (1 if blank > MAX_BLANK_LINES else blank)


def test_a_cell_with_a_line_break_found_in_batches(tmp_path, monkeypatch):
    """A cell holding a line break makes rows and lines differ: a problem after it is placed on
    its line (the file is scanned), however the table is read."""
    pkg, _ = assemble("curated-valid", tmp_path)
    items = pkg / "data" / "items.csv"
    frame = pd.read_csv(items, dtype="string", keep_default_na=False, na_values=[""])
    frame.loc[0, "responsible"] = "two\nlines"
    frame.loc[1, "kind"] = "wish"  # not a kind: an error on the row after the break
    frame.to_csv(items, index=False, lineterminator="\n")
    whole, batched = _both(pkg, monkeypatch, block=1 << 10, every_table=False)
    _same(whole, batched)
    wish = [p for p in whole[0] if p["check"] == "enum" or p.get("value") == "wish"]
    assert wish and wish[0]["row"] == 3 and wish[0]["line"] == 4


def test_digests_that_agree_by_chance_are_decided_by_the_texts(tmp_path, monkeypatch):
    """Every text given one digest: the texts read again decide, so the warnings are unchanged."""
    from lcplan.validate import warnings

    from synthetic import make_package

    pkg = tmp_path / "pkg"
    make_package(pkg, 2_000, shape="wrapped")
    items = pkg / "data" / "items.csv"
    frame = pd.read_csv(items, dtype="string", keep_default_na=False, na_values=[""])
    frame.loc[11, "text"] = frame.loc[10, "text"]  # the same text twice in one section
    frame.to_csv(items, index=False, lineterminator="\n")
    whole, batched = _both(pkg, monkeypatch, block=16 << 10)
    _same(whole, batched)
    real = warnings.text_digests
    monkeypatch.setattr(warnings, "text_digests", lambda df: real(df).assign(digest=7))
    _, colliding = _both(pkg, monkeypatch, block=16 << 10)
    _same(whole, colliding)
    assert [w["row"] for w in whole[1] if w["check"] == "duplicate_text"] == [13]


def test_texts_read_again_are_those_asked_for_and_no_further(tmp_path, monkeypatch):
    """The digests' candidates are read again with the text field only, no further than the batch
    that holds the last one asked for: the texts are the file's, at their rows."""
    from lcplan.validate import files

    from synthetic import make_package

    pkg = tmp_path / "pkg"
    make_package(pkg, 2_000, shape="wrapped")
    items = pkg / "data" / "items.csv"
    frame = pd.read_csv(items, dtype="string", keep_default_na=False, na_values=[""])
    monkeypatch.setattr(files, "STREAM_BLOCK", 16 << 10)
    wanted = [3, 20, 57]
    got = files.read_rows("items", items, lambda b: b.index.isin(wanted), fields=["text"], until=max(wanted))
    assert list(got.columns) == ["text"] and got.index.tolist() == wanted
    assert got["text"].tolist() == frame.loc[wanted, "text"].tolist()
    seen = files.read_rows("items", items, lambda b: [True] * len(b), fields=["text"], until=max(wanted))
    assert max(wanted) in seen.index and len(seen) < len(frame)  # stopped after the batch holding row 57


def test_a_line_break_in_a_column_that_is_not_a_field_in_batches(tmp_path, monkeypatch):
    """A column the schema does not have is not read as rows: a line break in it is still
    counted, so the rows after it are placed on their lines however the table is read."""
    pkg, _ = assemble("curated-valid", tmp_path)
    items = pkg / "data" / "items.csv"
    frame = pd.read_csv(items, dtype="string", keep_default_na=False, na_values=[""])
    frame["extra"] = None
    frame.loc[0, "extra"] = "two\nlines"
    frame.loc[1, "kind"] = "wish"
    frame.to_csv(items, index=False, lineterminator="\n")
    whole, batched = _both(pkg, monkeypatch, block=1 << 10, every_table=False)
    _same(whole, batched)
    wish = [p for p in whole[0] if p.get("value") == "wish"]
    assert wish and wish[0]["row"] == 3 and wish[0]["line"] == 4


def test_rows_of_empty_cells_are_listed_not_counted_as_blank_lines_in_a_whole_read(tmp_path, monkeypatch):
    """A row of commas only is a blank row, each listed; the limit on blank lines counts blank
    lines of the file (a whole read), so such rows never make the file refused there."""
    from lcplan.validate import files

    monkeypatch.setattr(files, "MAX_BLANK_LINES", 3)
    pkg, _ = assemble("curated-valid", tmp_path)
    items = pkg / "data" / "items.csv"
    lines = items.read_bytes().split(b"\n")
    width = lines[0].count(b",")
    lines[2:2] = [b"," * width] * 5  # after the first row
    items.write_bytes(b"\n".join(lines))
    errors, _, rows = _report(pkg)
    assert [p["row"] for p in errors if p["check"] == "blank_row"] == [3, 4, 5, 6, 7]
    assert rows["items"] > 0


def test_batches_read_ahead_in_order_raise_where_asked_and_stop_when_closed():
    import threading
    import time

    from lcplan.validate.files import _ahead

    made: list[int] = []

    def items(fail_at=None):
        for k in range(5):
            if k == fail_at:
                raise ValueError(f"batch {k} cannot be read")
            made.append(k)
            yield k

    assert list(_ahead(items())) == [0, 1, 2, 3, 4]
    got = []
    with pytest.raises(ValueError, match="batch 3 cannot be read"):
        for k in _ahead(items(fail_at=3)):
            got.append(k)
    assert got == [0, 1, 2]  # the batches before the one that failed were handed over first
    made.clear()
    before = threading.active_count()
    ahead = _ahead(items())
    assert next(ahead) == 0
    time.sleep(0.3)  # time enough to read further ahead, if it would
    assert made == [0, 1]  # one ahead of the one in use, no more
    assert next(ahead) == 1
    ahead.close()  # the thread is gone, and made at most the one after
    assert threading.active_count() == before
    assert made in ([0, 1], [0, 1, 2])


@pytest.mark.parametrize("piece", [1, 3, 8, 1 << 18])
def test_a_line_break_is_found_wherever_it_lies_in_the_cells_bytes(piece, monkeypatch):
    import pyarrow as pa

    from lcplan.validate import files

    monkeypatch.setattr(files, "NEWLINE_PIECE", piece)
    cells = ["alpha", "beta gamma", None, "", "delta epsilon zeta", "eta\ntheta", "iota"]
    whole = pa.array(cells, type=pa.string())
    assert files._has_newline(whole)
    assert files._has_newline(pa.array(cells, type=pa.large_string()))
    assert files._has_newline(pa.chunked_array([whole.slice(0, 3), whole.slice(3)]))
    assert not files._has_newline(whole.slice(0, 5))  # the cells before the one with the break
    assert not files._has_newline(whole.slice(6))  # and after it: only the cells' own bytes are read
    assert not files._has_newline(pa.array(["a\n"], type=pa.string()).slice(1))  # (no cells)


def _digest_by_hand(text: str) -> int:
    """text_digests' rule written plainly: the length, then DIGEST_WINDOWS windows of 8 bytes
    (a text under 8 bytes: its bytes, padded with zeros), mixed into 64 bits; then, for a text of
    more than those windows' bytes and at most WHOLE_DIGEST_BYTES, every 8 bytes of it in turn
    (the windows past its end read its last 8)."""
    from lcplan.validate.warnings import DIGEST_WINDOWS, WHOLE_DIGEST_BYTES

    data, size = text.encode("utf-8"), 1 << 64

    def mix(digest: int, at: int) -> int:
        digest = ((digest ^ int.from_bytes(data[at:at + 8].ljust(8, b"\0"), "little")) * 0x9E3779B97F4A7C15) % size
        return digest ^ (digest >> 29)

    digest = len(data)
    for w in range(DIGEST_WINDOWS):
        digest = mix(digest, max(len(data) - 8, 0) * w // (DIGEST_WINDOWS - 1))
    if 8 * DIGEST_WINDOWS < len(data) <= WHOLE_DIGEST_BYTES:
        for w in range(WHOLE_DIGEST_BYTES // 8):
            digest = mix(digest, min(8 * w, len(data) - 8))
    return digest - size if digest >= 1 << 63 else digest


def test_text_digests_are_the_rule_written_plainly():
    """Read in place from the Arrow buffers, a window of a short text at a buffer's end comes from
    a padded copy of the last bytes: whatever the texts' lengths, chunks and slices, each digest
    is the rule's, and a missing text is not filled."""
    import random

    import pyarrow as pa

    from lcplan.validate.warnings import text_digests

    rng = random.Random(7)
    for _ in range(300):
        texts = [None if rng.random() < 0.1 else "".join(rng.choice("ab £é") for _ in range(
            rng.choice([0, 1, 3, 7, 8, 9, 15, 30, 33, 70, 126, 200]))) for _ in range(rng.randint(0, 12))]
        arr = pa.array(texts, type=pa.large_string())
        if len(texts) > 2 and rng.random() < 0.5:  # a slice: the buffer runs on past its last text
            arr, texts = arr.slice(1, len(texts) - 2), texts[1:-1]
        k = rng.randint(0, len(texts))
        column = pa.chunked_array([arr.slice(0, k), arr.slice(k)], type=pa.large_string())
        got = text_digests(pd.DataFrame({"text": pd.array(column, dtype=pd.StringDtype("pyarrow"))}))
        assert got["filled"].tolist() == [t is not None for t in texts]
        assert [d for d, t in zip(got["digest"].tolist(), texts) if t is not None] == \
            [_digest_by_hand(t) for t in texts if t is not None]
    pair = pd.DataFrame({"text": pd.array([f"Review clean air in area 1, statement {k}, with partners across London."
                                           for k in (23, 29)], dtype=pd.StringDtype("pyarrow"))})
    assert text_digests(pair)["digest"].nunique() == 2  # they differ only between the four windows


@pytest.mark.parametrize("case", ["curated-valid", "not-utf8", "source-edited", "missing-file"])
def test_sources_checked_in_the_pool_or_on_the_main_thread_report_alike(case, tmp_path, monkeypatch):
    """A large source is checked in the pool, a small one on the main thread: with every source
    one way, then the other, the report is the same."""
    from lcplan.validate import files

    pkg, _ = assemble(case, tmp_path)
    monkeypatch.setattr(files, "POOLED_SOURCE_BYTES", 0)  # every source in the pool
    pooled = _report(pkg)
    monkeypatch.setattr(files, "POOLED_SOURCE_BYTES", 1 << 62)  # none
    assert _report(pkg) == pooled


def test_the_same_relative_path_from_another_folder_or_link_target_is_its_own_package(tmp_path, monkeypatch):
    """The package folder is resolved for each validation: "pkg" validated from one folder and
    then from another, or a link validated, pointed elsewhere and validated again, is each time
    the package it names (a folder resolved once for the process refused the second)."""
    first, _ = assemble("curated-valid", tmp_path / "a")
    second, _ = assemble("curated-valid", tmp_path / "b")
    for folder in (first.parent, second.parent):
        monkeypatch.chdir(folder)
        assert validate("pkg").errors.empty
    link = tmp_path / "link"
    for target in (first, second):
        if link.is_symlink():
            link.unlink()
        link.symlink_to(target, target_is_directory=True)
        assert validate(link).errors.empty


def test_no_stream_is_still_being_built_once_validation_returns(tmp_path, monkeypatch):
    """The first source's stream is started before the items are read; where no row asks for it
    (the items cannot be read), validation waits for it rather than leave a thread reading
    sources after it has returned."""
    import threading
    import time

    from lcplan.validate import kernels

    pkg, _ = assemble("curated-valid", tmp_path)
    (pkg / "data" / "items.csv").write_bytes(b"item_id,document_id\n\xff\xfe broken\n")
    real = kernels._Stream.__init__

    def slow(self, *parts):
        time.sleep(0.5)
        real(self, *parts)

    monkeypatch.setattr(kernels._Stream, "__init__", slow)
    report = validate(pkg)
    assert not report.errors.empty
    assert not [t for t in threading.enumerate() if t.is_alive() and "_build" in t.name]


def test_a_key_is_found_at_the_first_value_that_equals_it_however_few_the_keys():
    # the join hashes the keys where they are few and the values otherwise: each must give what
    # pyarrow's own index_in gives (the first equal value's position, null where none or null)
    import random

    import pyarrow as pa
    import pyarrow.compute as pc

    from lcplan.validate.kernels import _index_in

    rng = random.Random(20261207)
    words = [f"lc-bp-2017-18/pledge/{k}" for k in range(12)] + ["", "é/1"]
    for trial in range(300):
        n_values, n_keys = rng.randint(0, 40), rng.randint(0, 40)
        values = [rng.choice(words + [None]) for _ in range(n_values)]  # repeats and nulls among them
        share = rng.choice([0.0, 0.05, 0.3, 1.0])  # how many keys are named at all
        keys = [rng.choice(words) if rng.random() < share else None for _ in range(n_keys)]
        chunks = [values[: n_values // 2], values[n_values // 2:]]
        cut = rng.randint(0, n_keys)  # the keys in chunks too, one of them maybe empty
        got = _index_in(pa.chunked_array([pa.array(keys[:cut], type=pa.large_string()),
                                          pa.array(keys[cut:], type=pa.large_string())], type=pa.large_string()),
                        pa.chunked_array([pa.array(c, type=pa.large_string()) for c in chunks], type=pa.large_string()))
        want = pc.index_in(pa.array(keys, type=pa.large_string()), value_set=pa.array(values, type=pa.large_string()),
                           skip_nulls=True)
        assert got.to_pylist() == want.to_pylist(), (trial, keys, values)


def test_an_items_run_is_its_id_up_to_its_last_slash_whatever_the_id():
    # the labels rule groups items by their ID without its number; trimmed as the pattern has
    # IDs end (digits and dots), or by the regular expression where an ID does not end so
    import random
    import re

    import pyarrow as pa

    from lcplan.validate.integrity import _runs

    rng = random.Random(7)
    pieces = ["lc-bp-2017-18", "pledge", "work-area", "1", "12", "3.10", "x", "", "é", "9a", "2\n", "4.\n5"]
    for _ in range(200):
        ids = [None if rng.random() < 0.1 else "/".join(rng.choice(pieces) for _ in range(rng.randint(1, 5)))
               for _ in range(rng.randint(0, 30))]
        got = _runs(pa.chunked_array([pa.array(ids, type=pa.large_string())], type=pa.large_string())).to_pylist()
        assert got == [None if i is None else re.sub(r"/[^/]*\Z", "", i) + "/" for i in ids], ids


@pytest.mark.parametrize("size", [100, 70_000, 300_000])
def test_a_source_that_is_not_utf8_is_named_at_its_line_and_byte_whatever_its_size(tmp_path, size):
    # small sources are decoded outright, larger ones checked by pyarrow first: one message
    from lcplan.validate.files import _check_source

    line = b"A line of the plan, as printed.\n"
    head = line * (size // len(line))
    src = tmp_path / "plan.txt"
    src.write_bytes(head + b"The caf\xe9 opens.\n" + line)
    kind, _, lines, problem = _check_source(src)
    assert kind == "read" and lines is None
    before = head.count(b"\n")
    assert problem == f"the source file is not UTF-8 at line {before + 1}, byte 8 of the line"
    src.write_bytes(head + "The café opens.\n".encode() + line)
    kind, _, lines, problem = _check_source(src)
    assert problem is None and len(lines) == before + 2


def test_a_pattern_read_once_a_distinct_value_finds_what_a_cell_by_cell_reading_finds():
    # a key column that repeats its values is matched once a distinct value: the same cells fail
    import random

    import pyarrow as pa

    from lcplan.validate import columns

    rng = random.Random(3)
    words = ["lc-bp-2017-18", "lc-bp-2019-20", "LC-bp-2017-18", "lc-bp-2017-18 ", "", "x-2017-1"]
    pattern = r"[a-z][a-z0-9]*(-[a-z0-9]+)*-[0-9]{4}-[0-9]{2}"
    for n in (10, 5_000, 20_000):
        cells = [rng.choice(words + [None]) for _ in range(n)]
        arr = pa.chunked_array([pa.array(cells[: n // 3], type=pa.large_string()),
                                pa.array(cells[n // 3:], type=pa.large_string())])
        got = columns._matches(arr, pattern)
        assert columns._repeats(arr) == (n > columns.REPEATS_SAMPLE)
        assert got.tolist() == [c is None or re.fullmatch(pattern, c) is not None for c in cells]
