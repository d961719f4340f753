"""Stage 6, warnings: what is legal but suspicious (the same text twice in a section, empty
sections, gaps in numbering, cells a spreadsheet would run as formulas)."""

from __future__ import annotations

import pandas as pd

from lcplan.registry import schema
from lcplan.tableschema import csv_row
from lcplan.validate.problems import Problems

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # OWASP: tab and carriage return too


def collect_warnings(frames: dict[str, pd.DataFrame], files: dict[str, str], out: Problems) -> None:
    import numpy as np

    from lcplan.validate.kernels import group_codes, is_in, ordered_numbers

    items, sections = frames.get("items"), frames.get("sections")
    if items is not None:
        f = files["items"]
        dup = pd.Series(pd.Series(group_codes(items, ["section_id", "text"])).duplicated().to_numpy(),
                        index=items.index) & items["text"].notna()
        for r in dup[dup].index[:200]:
            out.warning("items", f, "duplicate_text", "the same text appears earlier in this section",
                        row=csv_row(r), field="text", value=items.at[r, "text"])
        order, same, num = ordered_numbers(items, ["document_id", "kind"])
        step = num[order][1:] - num[order][:-1]
        for k in np.flatnonzero(same & (step > 1))[:200]:
            r = order[k + 1]
            out.warning("items", f, "numbering_gap", f"number {int(num[r])} follows {int(num[order[k]])}",
                        row=csv_row(r), field="label", value=items["label"].iloc[r])
    if sections is not None and items is not None:
        used = pd.concat([items["section_id"], sections["parent_section_id"]], ignore_index=True)
        empty = ~is_in(sections["section_id"], used)
        for r in empty[empty].index[:200]:
            out.warning("sections", files["sections"], "empty_section", "the section has no items and no subsections",
                        row=csv_row(r), field="section_id", value=sections.at[r, "section_id"])
    claims = frames.get("claims")
    if claims is not None and "subject" in claims:
        from lcplan.claims import UNREVIEWED

        draft = claims["subject"].str.startswith(UNREVIEWED).fillna(False)
        for r in draft[draft].index[:200]:
            out.warning("claims", files["claims"], "claim_not_reviewed",
                        "the subject is still the draft's guess: write it in the plan file's [[claims]] entry "
                        "and build again", row=csv_row(r), field="subject", value=claims.at[r, "subject"])
    for name, frame in frames.items():
        text_fields = [f.name for f in schema(name).fields if f.type == "string"]
        for c in text_fields:  # a negative number is not a formula
            col = frame[c]
            hit = col.str.startswith(FORMULA_START).fillna(False)
            for r in hit[hit].index[:50]:
                out.warning(name, files[name], "formula_injection", "the cell starts with a formula character",
                            row=csv_row(r), field=c, value=col.at[r])
