"""Stage 7, the formats: text for people, JSON (a stable shape), GitHub Actions workflow
commands. Every value printed is escaped: none can end a line or start a workflow command."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd

from lcplan.validate.problems import Report, no_surrogates, printable


def format_problem(p: Any, root: Path | None = None) -> str:
    """One problem (a row of ``Report.errors``) on one line: file, row, column, value, message, check.

    ``root``: a folder whose path is cut from the file's name.
    """
    file = str(p.file)
    if root is not None:
        for base in (str(root) + "/", str(root.resolve()) + "/"):
            file = file.removeprefix(base)
    where = ", ".join(x for x in (f"row {p.row}" if not pd.isna(p.row) else "",
                                  f"column {printable(p.field)}" if isinstance(p.field, str) else "") if x)
    value = f" {printable(repr(p.value))}:" if isinstance(p.value, str) else ""
    return f"{printable(file)}{': ' + where if where else ''}:{value} {printable(p.message)} [{p.check}]"


def format_text(report: Report, strict: bool = False) -> str:
    """For people: problems grouped by table, each on one line with its hint; every value escaped."""
    lines = [f"lcplan validate: {printable(report.path)}"]
    problems = pd.concat([report.errors, report.warnings]) if not report.warnings.empty else report.errors
    if not problems.empty:
        problems = problems.assign(_t=problems["table"].fillna("(package)"))
        for table, group in problems.groupby("_t", sort=False):
            n_err = int((group["severity"] == "error").sum())
            n_warn = len(group) - n_err
            lines.append(f"\n{printable(str(table))} ({printable(str(group['file'].iloc[0]))}): {n_err} error(s), "
                         f"{n_warn} warning(s)")
            for p in group.sort_values(["severity", "row"], na_position="first").itertuples():
                where = ", ".join(x for x in (
                    (f"row {p.row}" + (f" (line {p.line})" if not pd.isna(p.line) and p.line != p.row else ""))
                    if not pd.isna(p.row) else "",
                    f"column {printable(p.field)}" if isinstance(p.field, str) else "") if x)
                value = f" {printable(repr(p.value))}:" if isinstance(p.value, str) else ""
                lines.append(f"  {p.severity:<7} {where + ':' if where else ''}{value} {printable(p.message)} "
                             f"[{p.check}]")
                if p.hint:
                    lines.append(f"          hint: {printable(p.hint)}")
    rows = ", ".join(f"{n} {printable(k)}" for k, n in report.rows.items())
    verdict = "INVALID" if report.exit_code(strict) else "VALID"
    why = " (--strict: warnings fail)" if report.ok and verdict == "INVALID" else ""
    lines.append(f"\n{verdict}{why}: {len(report.errors)} error(s), {len(report.warnings)} warning(s); "
                 f"rows read: {rows}")
    return "\n".join(lines)


def _gh_escape(text: str, prop: bool = False) -> str:
    """GitHub's escaping for workflow commands (% CR LF, and : , in properties), then every other
    control character escaped, so that a value can never end the command or start another."""
    text = printable(text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))
    return text.replace(":", "%3A").replace(",", "%2C") if prop else text


def format_github(report: Report, strict: bool = False) -> str:
    """GitHub Actions workflow commands: one ::error or ::warning line a problem."""
    lines = []
    for frame in (report.errors, report.warnings):
        for p in frame.itertuples():
            props = [f"file={_gh_escape(str(p.file), True)}"]
            if not pd.isna(p.row):  # the line of the file the row starts on (a cell may span lines)
                props.append(f"line={int(p.line) if not pd.isna(p.line) else int(p.row)}")
            title = ".".join(x for x in (p.table, p.field) if isinstance(x, str)) or "package"
            props.append(f"title={_gh_escape(f'{title} {p.check}', True)}")
            value = f" (value: {p.value})" if isinstance(p.value, str) else ""
            lines.append(f"::{p.severity} {','.join(props)}::{_gh_escape(p.message + value)}")
    verdict = "invalid" if report.exit_code(strict) else "valid"
    lines.append(f"lcplan validate: {_gh_escape(report.path)} is {verdict}: {len(report.errors)} error(s), "
                 f"{len(report.warnings)} warning(s)")
    return "\n".join(lines)


def format_json(report: Report, strict: bool = False) -> str:
    """The stable JSON shape; a file name that is not UTF-8 is written with backslash escapes."""
    return json.dumps(no_surrogates(report.to_dict()), indent=2, ensure_ascii=False)
