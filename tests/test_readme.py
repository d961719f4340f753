"""Every code block of the README runs as written.

The blocks run in a scratch folder that holds what the README's examples assume a user has:
``path/to/your-package`` (a copy of the shipped package), the plan PDF of the ingest
walkthrough, ``datasets/`` as in a checkout, and ``../shared`` beside it where the checkout has it. By language:

- ``python``: each block runs in a fresh interpreter;
- ``sh``: each command runs in bash (``\\`` continuations joined); it must exit 0, or the code
  its comment states ("exits 1"); ``make`` targets are checked with ``make -n`` (running
  ``make test`` from a test would run this test again); ``pip install`` lines run in a fresh
  virtual environment: the base install for real (pandas only), each extra resolved with
  ``--dry-run``;
- ``yaml``: the CI workflow's ``run:`` lines run in a fresh virtual environment with
  ``LCPLAN_GIT`` set to a clone of this repository: the documented install from a git URL at
  a release tag, then the validation;
- ``toml`` and ``json`` are parsed (the JSON report example must have the keys ``--format
  json`` prints); ``text`` blocks are output, not code.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from conftest import REPO

BIN = Path(sys.executable).parent
SHARED = REPO.parent / "shared"
FENCE = re.compile(r"^```(\w*)[^\n]*\n(.*?)^```\s*$", re.S | re.M)


def _blocks() -> list[tuple[int, str, str]]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    return [(text[:m.start()].count("\n") + 1, m.group(1), m.group(2)) for m in FENCE.finditer(text)]


def test_every_block_has_a_language_the_test_knows():
    known = {"python", "sh", "yaml", "toml", "json", "text"}
    assert [(line, lang) for line, lang, _ in _blocks() if lang not in known] == []


def _commands(block: str) -> list[tuple[str, int]]:
    """Commands of a sh block, continuation lines joined, with the exit code their comment states."""
    out, current = [], ""
    for raw in block.splitlines():
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        current += raw.rstrip()[:-1] + " " if raw.rstrip().endswith("\\") else raw
        if not raw.rstrip().endswith("\\"):
            code = re.search(r"#.*\bexits (\d)", current)
            out.append((re.sub(r"\s+#.*$", "", current).strip(), int(code.group(1)) if code else 0))
            current = ""
    return out


@pytest.fixture(scope="module")
def scratch(tmp_path_factory) -> Path:
    """What the examples assume: a package of one's own, the walkthrough's PDF, a checkout's datasets/."""
    from test_ingest import PARAGRAPH, _typeset_pdf

    base = tmp_path_factory.mktemp("readme")
    root = base / "checkout"  # beside it, ../shared as beside a checkout (the development corpus)
    root.mkdir()
    if SHARED.is_dir():
        (base / "shared").symlink_to(SHARED, target_is_directory=True)
    shutil.copytree(REPO / "datasets" / "london-councils-plans", root / "path" / "to" / "your-package")
    shutil.copytree(REPO / "datasets", root / "datasets")
    _typeset_pdf(root / "northfield-corporate-plan-2025-29.pdf", [
        [("Title", "Northfield Borough Council Corporate Plan 2025-2029"), ("Heading2", "Our priorities"),
         ("BodyText", PARAGRAPH), ("bullet", "build 400 new council homes by 2029;"),
         ("bullet", "plant a tree for every child born in the borough.")]])
    return root


def _env() -> dict[str, str]:
    return {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"}


def _venv(where: Path) -> Path:
    subprocess.run([sys.executable, "-m", "venv", str(where)], check=True)
    return where / "bin"


PY_BLOCKS = [(line, body) for line, lang, body in _blocks() if lang == "python"]
SH_BLOCKS = [(line, body) for line, lang, body in _blocks() if lang == "sh"]


@pytest.mark.parametrize("line, body", PY_BLOCKS, ids=[f"line-{b[0]}" for b in PY_BLOCKS])
def test_python_blocks_run(scratch, line, body):
    if "../shared" in body and not SHARED.is_dir():
        pytest.skip("the example reads the development corpus (../shared), which is not beside this checkout")
    result = subprocess.run([sys.executable, "-c", body], cwd=scratch, capture_output=True, text=True, env=_env())
    assert result.returncode == 0, f"README line {line}:\n{result.stderr[-2000:]}"


@pytest.mark.parametrize("line, body", SH_BLOCKS, ids=[f"line-{b[0]}" for b in SH_BLOCKS])
def test_shell_blocks_run(scratch, tmp_path, line, body):
    venv = None
    for command, code in _commands(body):
        if command.startswith("make "):
            result = subprocess.run(["make", "-n", *command.split()[1:]], cwd=REPO, capture_output=True, text=True)
        elif command.startswith("pip install"):
            if venv is None:
                venv = _venv(tmp_path / "venv")
            extra = "[" in command
            args = command.split(maxsplit=2)[2].replace('"', "").split()
            if args[0] == "-e":
                args = args[1:]
            # a checkout's ".": the repository; an extra is resolved, the base installed
            args = [a.replace(".", str(REPO), 1) if a.startswith(".") else a for a in args]
            if args[0].startswith("lcplan"):
                args = [str(REPO) + args[0][len("lcplan"):]] + args[1:]
            result = subprocess.run([str(venv / "python"), "-m", "pip", "install", "--quiet",
                                     "--disable-pip-version-check", *(["--dry-run"] if extra else []), *args],
                                    capture_output=True, text=True)
            if not extra and result.returncode == 0:  # the base install loads the data with pandas alone
                check = subprocess.run([str(venv / "python"), "-c", "import lcplan, sys; "
                                        "assert len(lcplan.load('items')) > 0; assert 'pandera' not in sys.modules"],
                                       capture_output=True, text=True)
                assert check.returncode == 0, check.stderr
        else:
            result = subprocess.run(["bash", "-c", command], cwd=scratch, capture_output=True, text=True, env=_env())
        assert result.returncode == code, f"README line {line}: {command}\n{result.stdout[-1500:]}\n{result.stderr[-1500:]}"


def test_toml_and_json_blocks_parse_and_the_report_keys_are_real(scratch):
    from conftest import run_lcplan

    blocks = _blocks()
    for line, lang, body in blocks:
        if lang == "toml":
            assert tomllib.loads(body), line
    example = next(json.loads(body) for _, lang, body in blocks if lang == "json")
    real = json.loads(run_lcplan("validate", str(REPO / "datasets" / "london-councils-plans"), "--format", "json").stdout)
    assert set(example) <= set(real) and set(example["summary"]) <= set(real["summary"])
    assert set(example["errors"][0]) <= set(real["warnings"][0])


def test_the_ci_example_installs_from_a_git_tag_and_validates(tmp_path, scratch):
    """The workflow's `run:` lines, literally, with LCPLAN_GIT a clone of this repository."""
    import yaml

    workflow = yaml.safe_load(next(body for _, lang, body in _blocks() if lang == "yaml"))
    runs = [s["run"] for s in workflow["jobs"]["validate"]["steps"] if "run" in s]
    tag = re.search(r"@(v\d+\.\d+\.\d+)\"", runs[0]).group(1)
    import lcplan

    assert tag == f"v{lcplan.__version__}"  # the README names the current release
    tags = subprocess.run(["git", "tag", "--list"], cwd=REPO, capture_output=True, text=True).stdout.split()
    # A checkout that carries tags must carry this release's. CI's clone of main carries none,
    # so there the release is checked by what it declares, and HEAD stands in for the tag.
    if tags:
        assert tag in tags, f"the repository has no tag {tag}: git tag {tag} at the release commit"
    assert (REPO / "releases" / f"{lcplan.__version__}-ids.tsv").is_file(), "the release's ID list is missing"
    assert f"## {lcplan.__version__}" in (REPO / "CHANGELOG.md").read_text(encoding="utf-8")
    clone = tmp_path / "lcplan.git"
    subprocess.run(["git", "clone", "--quiet", "--bare", str(REPO), str(clone)], check=True)
    if tag not in tags:
        subprocess.run(["git", "-C", str(clone), "tag", tag, "HEAD"], check=True)
    venv = _venv(tmp_path / "venv")
    # a URL with a host, as a downstream repository's is (PEP 508 wants one after git+)
    url = f"file://localhost{clone}"
    env = {**os.environ, "LCPLAN_GIT": url, "PATH": f"{venv}{os.pathsep}{os.environ['PATH']}"}
    # the downstream repository's package is one that the pinned release built: the package at the tag
    # (a later lcplan may add columns that the release does not know)
    work = tmp_path / "downstream"
    (work / "path" / "to").mkdir(parents=True)
    archive = subprocess.run(["git", "-C", str(clone), "archive", tag, "datasets/london-councils-plans"],
                             capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(work)], input=archive, check=True)
    (work / "datasets" / "london-councils-plans").rename(work / "path" / "to" / "your-package")
    for command in runs:
        result = subprocess.run(["bash", "-c", command], cwd=work, capture_output=True, text=True, env=env)
        assert result.returncode == 0, f"{command}\n{result.stdout[-1500:]}\n{result.stderr[-1500:]}"
    assert "is valid" in result.stdout


def test_the_numbers_the_readme_states_are_the_datas():
    """The Tables list's row counts, the citation quoted and the size of the bad-package corpus."""
    import lcplan
    from lcplan.registry import table_names

    text = (REPO / "README.md").read_text(encoding="utf-8")
    stated = {m.group(1): int(m.group(2)) for m in re.finditer(r"^\| `(\w+)` \| [^|]*\((\d+)\) \|", text, re.M)}
    assert set(stated) == set(table_names())
    assert stated == {name: len(lcplan.load(name)) for name in table_names()}
    quoted = re.search(r"## How to cite\n\n((?:> .*\n)+)", text).group(1)
    assert " ".join(line[2:] for line in quoted.splitlines()) == lcplan.cite()
    corpus = int(re.search(r"`tests/bad_packages/` is a corpus of (\d+) packages", text).group(1))
    assert corpus == len(list((REPO / "tests" / "bad_packages").glob("*/expected.json")))
