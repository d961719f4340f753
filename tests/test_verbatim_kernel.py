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
