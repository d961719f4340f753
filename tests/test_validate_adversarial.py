"""`lcplan validate` on hostile input, generated here (links, permissions, names, encodings, sizes,
lexical forms, output injection, a closed pipe): a clear message naming the file, row and
column, exit 1 or 2, never "internal error" or a traceback, nothing read outside the folder."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import run_lcplan
from test_validate import assemble

BAD = ("Traceback", "internal error")


def _check(result, exit_code: int, *words: str) -> None:
    text = result.stdout + result.stderr
    assert result.returncode == exit_code, text
    assert not any(b in text for b in BAD), text
    for w in words:
        assert w in text, (w, text)


def _json(pkg: Path) -> tuple[int, list[list]]:
    result = run_lcplan("validate", str(pkg), "--format", "json")
    assert not any(b in result.stdout + result.stderr for b in BAD), result.stderr
    report = json.loads(result.stdout)
    return result.returncode, [[p["table"], p["row"], p["field"], p["check"]] for p in report["errors"]]


def _base(tmp_path: Path) -> Path:
    return assemble("curated-valid", tmp_path)[0]


def _set_descriptor(pkg: Path, edit) -> None:
    d = json.loads((pkg / "datapackage.json").read_text(encoding="utf-8"))
    edit(d)
    (pkg / "datapackage.json").write_text(json.dumps(d), encoding="utf-8")


# ----------------------------------------------------------------------------- links and names


def test_a_symlink_loop_on_a_table(tmp_path):
    pkg = _base(tmp_path)
    (pkg / "data" / "items.csv").unlink()
    os.symlink("items.csv", pkg / "data" / "items.csv")
    _check(run_lcplan("validate", str(pkg)), 2, "loop")


def test_a_symlink_loop_on_a_source(tmp_path):
    pkg = _base(tmp_path)
    src = pkg / "sources" / "tst-bp-2020-21.txt"
    src.unlink()
    os.symlink(src.name, src)
    code, errors = _json(pkg)
    assert code == 1 and ["documents", 2, "source_path", "unsafe_path"] in errors


def test_a_source_that_links_outside_or_whose_folder_does_is_refused(tmp_path):
    # the sources' folder is resolved once for all of them and each file's own name only when it
    # is a link: both ways out are still refused, and a link that stays inside is read
    pkg = _base(tmp_path)
    src = pkg / "sources" / "tst-bp-2020-21.txt"
    outside = tmp_path / "copy.txt"
    outside.write_bytes(src.read_bytes())
    inside = pkg / "sources" / "kept.txt"
    inside.write_bytes(src.read_bytes())
    src.unlink()
    os.symlink(outside, src)
    code, errors = _json(pkg)
    assert code == 1 and ["documents", 2, "source_path", "unsafe_path"] in errors
    src.unlink()
    os.symlink(inside.name, src)
    code, errors = _json(pkg)
    assert code == 0 and errors == []
    elsewhere = tmp_path / "elsewhere"
    (pkg / "sources").rename(elsewhere)
    os.symlink(elsewhere, pkg / "sources")
    code, errors = _json(pkg)
    rows = [e[1] for e in errors if e[2:] == ["source_path", "unsafe_path"]]
    assert code == 1 and rows == [2, 3]  # every document's source, each at its row


def test_a_source_that_is_a_pipe_or_a_folder_is_not_read_and_does_not_wait(tmp_path, monkeypatch):
    pkg = _base(tmp_path)
    src = pkg / "sources" / "tst-bp-2020-21.txt"
    src.unlink()
    os.mkfifo(src)  # opened for reading, a pipe with no writer would wait for ever
    result = subprocess.run([sys.executable, "-m", "lcplan.cli", "validate", str(pkg), "--format", "json"],
                            capture_output=True, text=True, timeout=120)
    report = json.loads(result.stdout)
    assert [[w["row"], w["check"]] for w in report["warnings"] if w["check"] == "missing_file"] == [[2, "missing_file"]]
    src.unlink()
    import socket

    monkeypatch.chdir(src.parent)  # (a socket's address is short: bound by its name in its folder)
    with socket.socket(socket.AF_UNIX) as sock:  # a socket cannot be opened as a file at all
        sock.bind(src.name)
        result = run_lcplan("validate", str(pkg), "--format", "json")
    assert [[w["row"], w["check"]] for w in json.loads(result.stdout)["warnings"]
            if w["check"] == "missing_file"] == [[2, "missing_file"]]
    src.unlink()
    src.mkdir()
    result = run_lcplan("validate", str(pkg), "--format", "json")
    assert [[w["row"], w["check"]] for w in json.loads(result.stdout)["warnings"]
            if w["check"] == "missing_file"] == [[2, "missing_file"]]


def test_a_source_path_through_a_file_is_a_missing_file_not_a_refused_path(tmp_path):
    # "plan.txt/inner.txt": no such file (a warning), as when every path was resolved whole
    pkg = _base(tmp_path)
    documents = pkg / "data" / "documents.csv"
    documents.write_text(documents.read_text(encoding="utf-8").replace(
        "sources/tst-bp-2020-21.txt", "sources/tst-bp-2020-21.txt/inner.txt", 1), encoding="utf-8")
    result = run_lcplan("validate", str(pkg), "--format", "json")
    report = json.loads(result.stdout)
    assert [[w["row"], w["check"]] for w in report["warnings"] if w["check"] == "missing_file"] == [[2, "missing_file"]]
    assert not [e for e in report["errors"] if e["check"] == "unsafe_path"]


def test_a_source_changed_or_removed_after_it_was_checked_is_not_read_as_it_was(tmp_path):
    from lcplan.validate import Unusable
    from lcplan.validate.files import _check_source

    src = tmp_path / "plan.txt"
    src.write_bytes(b"Our plan\nA line of it\n")
    kind, _, lines, problem = _check_source(src)
    assert kind == "read" and problem is None and len(lines) == 2
    assert bytes(lines.unheld().data) == b"Our plan\nA line of it\n"
    src.write_bytes(b"Our plan\nA longer line of it\n")
    with pytest.raises(Unusable, match="changed while it was validated"):
        lines.unheld()
    src.unlink()
    with pytest.raises(Unusable, match="changed while it was validated"):
        lines.unheld()
    assert _check_source(src) == ("missing",)


def test_a_descriptor_that_links_outside_is_not_read(tmp_path):
    pkg = _base(tmp_path)
    outside = tmp_path / "elsewhere.json"
    outside.write_text((pkg / "datapackage.json").read_text(encoding="utf-8"), encoding="utf-8")
    (pkg / "datapackage.json").unlink()
    os.symlink(outside, pkg / "datapackage.json")
    _check(run_lcplan("validate", str(pkg)), 2, "outside the package folder")
    os.unlink(pkg / "datapackage.json")
    os.symlink("/etc/passwd", pkg / "datapackage.json")
    _check(run_lcplan("validate", str(pkg)), 2, "outside the package folder")


def test_a_path_component_longer_than_the_file_system_allows(tmp_path):
    pkg = _base(tmp_path)

    def edit(d):
        next(r for r in d["resources"] if r["name"] == "items")["path"] = "data/" + "x" * 300 + ".csv"

    _set_descriptor(pkg, edit)
    result = run_lcplan("validate", str(pkg))
    _check(result, 1, "x" * 300 + ".csv", "[unreadable]", "longer than the file system allows")

    def deep(d):  # each name short enough, the whole path over PATH_MAX (4,096 bytes)
        next(r for r in d["resources"] if r["name"] == "items")["path"] = "data/" + "/".join(["a" * 200] * 25) + ".csv"

    _set_descriptor(pkg, deep)
    _check(run_lcplan("validate", str(pkg)), 1, "[unreadable]", "longer than the file system allows")


def test_a_command_line_path_longer_than_the_file_system_allows_is_no_such_file(tmp_path):
    for path in (tmp_path / ("y" * 300), tmp_path / ("y" * 300) / "datapackage.json"):
        _check(run_lcplan("validate", str(path)), 2, "no such file", "longer than the file system allows")


def test_names_that_are_not_utf8_or_hold_lone_surrogates(tmp_path):
    pkg = _base(tmp_path)
    _set_descriptor(pkg, lambda d: d["resources"].append({"name": "x\udcff", "path": "data/x.csv"}))
    for fmt in ("text", "json", "github"):
        result = run_lcplan("validate", str(pkg), "--format", fmt)
        assert result.returncode == 0 and not any(b in result.stdout + result.stderr for b in BAD), result.stderr
    odd = Path(os.fsdecode(bytes(tmp_path) + b"/pkg-\xff"))
    os.rename(pkg, odd)
    result = subprocess.run([sys.executable, "-m", "lcplan.cli", "validate", os.fsencode(odd)], capture_output=True)
    assert result.returncode == 0 and b"Traceback" not in result.stderr + result.stdout


def test_a_deleted_working_directory(tmp_path):
    pkg = _base(tmp_path)
    script = f'mkdir gone && cd gone && rmdir ../gone && exec "{sys.executable}" -m lcplan.cli validate "{pkg}"'
    result = subprocess.run(["sh", "-c", script], cwd=tmp_path, capture_output=True, text=True,
                            env={**os.environ, "PYTHONPATH": str(Path(__file__).parents[1])})
    _check(result, 0, "VALID")


def test_an_unreadable_table_is_an_error_at_its_file(tmp_path, monkeypatch):
    import builtins

    from lcplan.validate import files, validate

    pkg = _base(tmp_path)
    real_open = builtins.open

    def refuse(file, *a, **k):
        if str(file).endswith("items.csv"):
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, *a, **k)

    monkeypatch.setattr(files, "open", refuse, raising=False)
    report = validate(pkg)
    rows = report.errors[["table", "check"]].values.tolist()
    assert ["items", "unreadable"] in rows
    assert "Permission denied" in report.errors.loc[report.errors["check"] == "unreadable", "message"].iloc[0]


# ----------------------------------------------------------------------------- descriptors


@pytest.mark.parametrize(("text", "words"), [
    ('{"resources": [], "x": NaN}', "NaN is not JSON"),
    ('{"resources": [], "x": Infinity}', "Infinity is not JSON"),
    ('{"resources": [], "x": ' + "9" * 5000 + "}", "an integer of more than 4,300 digits"),
])
def test_descriptors_that_are_not_json(tmp_path, text, words):
    (tmp_path / "datapackage.json").write_text(text, encoding="utf-8")
    _check(run_lcplan("validate", str(tmp_path)), 2, words)


# ----------------------------------------------------------------------------- files


def _write_items(pkg: Path, data: bytes) -> None:
    (pkg / "data" / "items.csv").write_bytes(data)


def test_cr_only_line_ends(tmp_path):
    pkg = _base(tmp_path)
    _write_items(pkg, (pkg / "data" / "items.csv").read_bytes().replace(b"\n", b"\r"))
    code, errors = _json(pkg)
    assert code == 1 and ["items", 1, None, "line_ends"] in errors


@pytest.mark.parametrize("damage", ["latin1_header", "latin1_ragged", "truncated_end"])
def test_bytes_that_are_not_utf8_name_their_line(tmp_path, damage):
    pkg = _base(tmp_path)
    data = (pkg / "data" / "items.csv").read_bytes()
    if damage == "latin1_header":
        data = data.replace(b"line_end", b"line_end\xe9", 1)
    elif damage == "latin1_ragged":
        data = data.replace(b"Share best practice.", b"Share best practic\xe9,x", 1)
    else:
        data = data + b"\xe2\x82"
    _write_items(pkg, data)
    result = run_lcplan("validate", str(pkg), "--format", "json")
    assert result.returncode == 1 and not any(b in result.stdout + result.stderr for b in BAD)
    checks = {p["check"] for p in json.loads(result.stdout)["errors"] if p["table"] == "items"}
    assert "encoding" in checks or "unknown_column" in checks, checks


def test_a_huge_header_cell_and_a_huge_line(tmp_path):
    pkg = _base(tmp_path)
    data = (pkg / "data" / "items.csv").read_bytes()
    _write_items(pkg, b"x" * 200_000 + b"," + data)  # a 200 KB header cell
    code, errors = _json(pkg)
    assert code == 1 and any(e[0] == "items" and e[3] in ("unknown_column", "missing_column") for e in errors)
    _write_items(pkg, data.split(b"\n", 1)[0] + b"\n" + b"y" * 20_000_000)  # one 20 MB line
    code, errors = _json(pkg)
    assert code == 1 and any(e[0] == "items" for e in errors)


def test_a_header_of_100000_columns_is_refused_quickly(tmp_path):
    pkg = _base(tmp_path)
    _write_items(pkg, ",".join(f"c{i}" for i in range(100_000)).encode() + b"\n")
    code, errors = _json(pkg)
    assert code == 1 and ["items", 1, "c0", "too_many_columns"] in errors


def test_a_source_of_one_huge_line(tmp_path):
    import hashlib

    pkg = _base(tmp_path)
    src = pkg / "sources" / "tst-bp-2020-21.txt"
    data = b"z" * 3_000_000 + b"\n"
    src.write_bytes(data)
    docs = (pkg / "data" / "documents.csv").read_text(encoding="utf-8")
    old = docs.split("sources/tst-bp-2020-21.txt,", 1)[1][:64]
    (pkg / "data" / "documents.csv").write_text(docs.replace(old, hashlib.sha256(data).hexdigest()), encoding="utf-8")
    code, errors = _json(pkg)
    assert code == 1 and ["documents", 2, "source_path", "huge_cell"] in errors


# ----------------------------------------------------------------------------- values


@pytest.mark.parametrize("value", ["٣", "３", "0x3", "3_0", " 3", "3.0"])
def test_integers_in_table_schema_form_only(tmp_path, value):
    pkg = _base(tmp_path)
    data = (pkg / "data" / "items.csv").read_text(encoding="utf-8")
    _write_items(pkg, data.replace(",Build more homes for London.,1,", f",Build more homes for London.,{value},", 1)
                 .encode("utf-8"))
    code, errors = _json(pkg)
    assert code == 1 and ["items", 2, "position", "coerce_dtype"] in errors, errors


@pytest.mark.parametrize("value", ["2020-6-1", "０２０２０-06-01", "0000-06-01", "2020-06-01 "])
def test_dates_in_table_schema_form_only(tmp_path, value):
    pkg = _base(tmp_path)
    data = (pkg / "data" / "documents.csv").read_text(encoding="utf-8")
    (pkg / "data" / "documents.csv").write_text(data.replace(",2020-06-01,", f",{value},", 1), encoding="utf-8")
    code, errors = _json(pkg)
    assert code == 1 and ["documents", 2, "published", "coerce_dtype"] in errors, errors


def test_a_pattern_is_matched_by_the_whole_value(tmp_path):
    pkg = _base(tmp_path)
    data = (pkg / "data" / "documents.csv").read_text(encoding="utf-8")
    sha = data.split("sources/tst-bp-2020-21.txt,", 1)[1][:64]
    (pkg / "data" / "documents.csv").write_text(data.replace(sha, f'"{sha}\n"'), encoding="utf-8")
    code, errors = _json(pkg)
    assert code == 1 and ["documents", 2, "source_sha256", "str_matches"] in errors, errors


@pytest.mark.parametrize("prefix", ["\t=", "\r="])
def test_formula_injection_behind_a_tab_or_carriage_return(tmp_path, prefix):
    pkg = _base(tmp_path)
    data = (pkg / "data" / "sections.csv").read_text(encoding="utf-8")
    (pkg / "data" / "sections.csv").write_text(data.replace(",Housing,", f',"{prefix}1+1",', 1), encoding="utf-8")
    result = run_lcplan("validate", str(pkg), "--format", "json")
    warnings = [[p["table"], p["field"], p["check"]] for p in json.loads(result.stdout)["warnings"]]
    assert ["sections", "title", "formula_injection"] in warnings


def test_enum_errors_list_the_allowed_values(tmp_path):
    pkg, _ = assemble("bad-enum", tmp_path)
    result = run_lcplan("validate", str(pkg), "--format", "json")
    message = next(p["message"] for p in json.loads(result.stdout)["errors"] if p["check"] == "isin")
    assert "allowed values: purpose_role, theme" in message


# ----------------------------------------------------------------------------- output


def test_no_value_can_inject_a_workflow_command(tmp_path):
    pkg = _base(tmp_path)
    evil = "x\n::error file=evil.py,line=1::pwned\r\n::warning ::also"
    _set_descriptor(pkg, lambda d: d["resources"].append({"name": evil, "path": "data/x%0A.csv"}))
    data = (pkg / "data" / "sections.csv").read_text(encoding="utf-8")
    (pkg / "data" / "sections.csv").write_text(data.replace(",Housing,", f',"=1{evil}",', 1), encoding="utf-8")
    for fmt in ("github", "text"):
        out = run_lcplan("validate", str(pkg), "--format", fmt).stdout
        assert not any(line.startswith(("::error file=evil", "::warning ::also")) for line in out.splitlines())
        if fmt == "github":
            assert all(line.startswith(("::error ", "::warning ", "lcplan validate: ")) for line in out.splitlines())


def test_strict_says_invalid(tmp_path):
    pkg, _ = assemble("blank-line", tmp_path)  # any package with a warning and no error would do
    result = run_lcplan("validate", str(Path(__file__).parents[1] / "datasets" / "london-councils-plans"), "--strict")
    assert result.returncode == 1 and "INVALID" in result.stdout


def test_the_exit_code_follows_the_data_when_the_pipe_closes(tmp_path):
    pkg, _ = assemble("dangling-key", tmp_path)
    script = (f'"{sys.executable}" -m lcplan.cli validate "{pkg}" | head -c 1 > /dev/null; '
              'echo "${PIPESTATUS[0]}"')
    result = subprocess.run(["bash", "-c", script], capture_output=True, text=True,
                            env={**os.environ, "PYTHONPATH": str(Path(__file__).parents[1])})
    assert result.stdout.strip() == "1", result.stdout + result.stderr


def test_a_missing_extra_is_named(tmp_path):
    (tmp_path / "pyarrow.py").write_text("raise ImportError('no pyarrow here')\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": f"{tmp_path}{os.pathsep}{Path(__file__).parents[1]}"}
    result = run_lcplan("validate", str(tmp_path), env=env)
    _check(result, 2, "pip install 'lcplan[validate]'")
    code = "import lcplan\ntry:\n    lcplan.validate('.')\nexcept ImportError as e:\n    print(e)\n"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=tmp_path)
    assert "pip install 'lcplan[validate]'" in out.stdout, out.stderr


def test_every_missing_extra_is_named_by_one_helper(tmp_path):
    """A command whose library is missing says which extra installs it (lcplan.extras)."""
    (tmp_path / "sklearn.py").write_text("raise ImportError('no scikit-learn here', name='sklearn')\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": f"{tmp_path}{os.pathsep}{Path(__file__).parents[1]}"}
    (tmp_path / "s.txt").write_text("Build homes.\n", encoding="utf-8")
    result = run_lcplan("topics", str(tmp_path / "s.txt"), env=env)
    _check(result, 2, "pip install 'lcplan[analysis]'")


def test_many_blank_lines_are_one_error_not_millions_of_rows(tmp_path):
    pkg = _base(tmp_path)
    with open(pkg / "data" / "items.csv", "ab") as fh:
        fh.write(b"\n" * 200_000)
    code, errors = _json(pkg)
    first_blank = len((pkg / "data" / "items.csv").read_bytes().rstrip(b"\n").split(b"\n")) + 1
    assert code == 1 and errors == [["items", first_blank, None, "blank_row"]]  # one error, at the first blank row


def test_problems_are_capped_per_check_with_a_count(tmp_path):
    pkg = _base(tmp_path)
    data = (pkg / "data" / "items.csv").read_text(encoding="utf-8").split("\n")
    header, row = data[0], data[1]
    cells = row.split(",")
    rows = []
    for k in range(1_500):  # 1,500 rows of an unknown kind
        c = list(cells)
        c[0], c[4], c[8] = f"{c[0].rsplit('/', 1)[0]}/{k + 10}", "wish", str(k + 10)
        rows.append(",".join(c))
    (pkg / "data" / "items.csv").write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    result = run_lcplan("validate", str(pkg), "--format", "json")
    isin = [p for p in json.loads(result.stdout)["errors"] if p["check"] == "isin"]
    assert len(isin) == 1_001 and any("500 more rows fail this check" in p["message"] for p in isin)
    summary = next(p for p in isin if "more rows" in p["message"])
    assert summary["row"] == 1_002 and "rows 1,002 to 1,501" in summary["message"]  # the first row summarised, named


# ----------------------------------------------------------------------------- the first offending row, always


def _annotations(pkg: Path) -> list[str]:
    result = run_lcplan("validate", str(pkg), "--format", "github")
    assert result.returncode == 1 and not any(b in result.stdout + result.stderr for b in BAD), result.stderr
    return [line for line in result.stdout.splitlines() if line.startswith("::error")]


def test_an_annotation_after_a_cell_that_spans_lines_points_at_its_line(tmp_path):
    pkg = _base(tmp_path)
    lines = (pkg / "data" / "items.csv").read_text(encoding="utf-8").split("\n")
    lines[1] = lines[1].replace("Build more homes for London.", '"Build more\nhomes for London."')  # row 2: lines 2-3
    lines[2] = lines[2].replace(",work_area,", ",no_such_kind,")  # row 3: line 4 of the file
    (pkg / "data" / "items.csv").write_text("\n".join(lines), encoding="utf-8")
    kind = next(a for a in _annotations(pkg) if "items.kind isin" in a)
    assert ",line=4," in kind
    code, errors = _json(pkg)
    assert ["items", 3, "kind", "isin"] in errors


def test_an_unclosed_quote_is_reported_at_the_row_it_opens(tmp_path):
    pkg = _base(tmp_path)
    lines = (pkg / "data" / "items.csv").read_text(encoding="utf-8").split("\n")
    lines[2] = lines[2].replace("Reduce homelessness", '"Reduce homelessness')  # row 3; the quote runs to the end
    (pkg / "data" / "items.csv").write_text("\n".join(lines), encoding="utf-8")
    code, errors = _json(pkg)
    assert code == 1 and errors == [["items", 3, None, "unclosed_quote"]]


def test_a_ragged_row_and_a_latin1_byte_are_both_reported_at_their_rows(tmp_path):
    pkg = _base(tmp_path)
    data = (pkg / "data" / "items.csv").read_bytes().split(b"\n")
    data[1] += b",one cell too many"  # row 2
    data[3] = data[3].replace(b"Share", b"Sh\xe9re")  # row 4
    _write_items(pkg, b"\n".join(data))
    code, errors = _json(pkg)
    assert code == 1 and sorted(errors) == [["items", 2, None, "ragged_row"], ["items", 4, None, "encoding"]]


def test_a_40mb_cell_is_named_at_its_row_and_column(tmp_path):
    pkg = _base(tmp_path)
    text = (pkg / "data" / "items.csv").read_text(encoding="utf-8")
    _write_items(pkg, text.replace("Reduce homelessness in every borough.", "x" * 40_000_000).encode())  # row 3
    code, errors = _json(pkg)
    assert code == 1 and errors == [["items", 3, "text", "huge_cell"]]


def test_2_million_blank_lines_name_the_first(tmp_path):
    pkg = _base(tmp_path)
    rows = len((pkg / "data" / "items.csv").read_bytes().rstrip(b"\n").split(b"\n"))
    with open(pkg / "data" / "items.csv", "ab") as fh:
        fh.write(b"\n" * 2_000_000)
    code, errors = _json(pkg)
    assert code == 1 and errors == [["items", rows + 1, None, "blank_row"]]


def test_20000_rows_of_12_errors_each_every_problem_names_a_row(tmp_path):
    pkg = _base(tmp_path)
    rows = len((pkg / "data" / "items.csv").read_bytes().rstrip(b"\n").split(b"\n"))
    with open(pkg / "data" / "items.csv", "a", encoding="utf-8") as fh:
        fh.writelines(f"x{i},y,z,w,bad,q,,,p,a,b,,,\n" for i in range(20_000))
    result = run_lcplan("validate", str(pkg), "--format", "json")
    assert result.returncode == 1
    errors = json.loads(result.stdout)["errors"]
    assert errors and all(p["row"] is not None for p in errors)
    summaries = [p for p in errors if "more rows" in p["message"]]
    assert summaries and all(p["row"] == rows + 1 + 1_000 for p in summaries)  # the first row not listed
    assert min(p["row"] for p in errors) == rows + 1


def test_a_header_of_10000_columns_names_the_columns_that_are_not_fields(tmp_path):
    pkg = _base(tmp_path)
    lines = (pkg / "data" / "items.csv").read_text(encoding="utf-8").rstrip("\n").split("\n")
    extra = [f"c{i}" for i in range(10_000)]
    _write_items(pkg, ("\n".join([lines[0] + "," + ",".join(extra)] + [ln + "," * 10_000 for ln in lines[1:]])
                       + "\n").encode())
    result = run_lcplan("validate", str(pkg), "--format", "json")
    problem = json.loads(result.stdout)["errors"][0]
    assert result.returncode == 1 and problem["check"] == "too_many_columns" and problem["field"] == "c0"
    assert "10,000 of them not fields of items: 'c0', 'c1'" in problem["message"]


def test_5000_items_on_a_50mb_one_line_source_are_each_reported(tmp_path):
    import csv
    import hashlib

    pkg = _base(tmp_path)
    sentences = [f"Statement {i} says something." for i in range(5_000)]
    line = " ".join(sentences)
    data = (line + " " + "z" * (50_000_000 - len(line)) + "\n").encode()
    (pkg / "sources" / "tst-bp-2020-21.txt").write_bytes(data)
    docs = pkg / "data" / "documents.csv"
    text = docs.read_text(encoding="utf-8")
    old = text.split("sources/tst-bp-2020-21.txt,", 1)[1][:64]
    docs.write_text(text.replace(old, hashlib.sha256(data).hexdigest()), encoding="utf-8")
    with open(pkg / "data" / "items.csv", encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        fields, first = reader.fieldnames, next(reader)
    rows = [{**first, "item_id": f"tst-bp-2020-21/narrative/{i + 1}", "kind": "narrative", "label": "",
             "parent_item_id": "", "text": s, "position": str(i + 1), "line_start": "1", "line_end": "1"}
            for i, s in enumerate(sentences)]
    with open(pkg / "data" / "items.csv", "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    result = run_lcplan("validate", str(pkg), "--format", "json")
    errors = json.loads(result.stdout)["errors"]
    assert result.returncode == 1
    assert [[p["table"], p["row"], p["check"]] for p in errors if p["table"] == "documents"] == \
        [["documents", 2, "huge_cell"]]
    unchecked = [p for p in errors if p["check"] == "source_readable"]
    assert [p["row"] for p in unchecked[:3]] == [2, 3, 4] and len(unchecked) == 1_001  # 1,000 listed, then a count
    assert "4,000 more rows break this rule, rows 1,002 to 5,001" in unchecked[-1]["message"]
