"""The wheel carries the data and the schemas: installed elsewhere, it loads every table the same."""

from __future__ import annotations

import json
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pandas as pd
import pytest

import lcplan

from conftest import REPO

PROBE = """
import json, sys
import pandas as pd
import lcplan
out = {"file": lcplan.__file__, "package_path": str(lcplan.package_path()), "tables": {}}
for name in lcplan.tables():
    df = lcplan.load(name)
    out["tables"][name] = {"rows": len(df), "dtypes": [str(t) for t in df.dtypes],
                           "hash": int(pd.util.hash_pandas_object(df, index=False).sum())}
print(json.dumps(out))
"""


@pytest.fixture(scope="module")
def dist(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run([sys.executable, "-m", "build", "--wheel", "--sdist", "--no-isolation", "--outdir", str(out),
                    str(REPO)], check=True, capture_output=True)
    return out


@pytest.fixture(scope="module")
def wheel(dist) -> Path:
    (whl,) = dist.glob("lcplan-*.whl")
    return whl


@pytest.fixture(scope="module")
def wheel_from_sdist(dist, tmp_path_factory) -> Path:
    """A wheel built from the sdist alone (no checkout): proves the sdist carries the data."""
    (sdist,) = dist.glob("lcplan-*.tar.gz")
    out = tmp_path_factory.mktemp("from-sdist")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--quiet",
                    "--wheel-dir", str(out), str(sdist)], check=True, capture_output=True)
    (whl,) = out.glob("lcplan-*.whl")
    return whl


def test_sdist_contains_data_schemas_and_release_files(dist):
    import tarfile

    (sdist,) = dist.glob("lcplan-*.tar.gz")
    with tarfile.open(sdist) as tf:
        names = {n.split("/", 1)[1] for n in tf.getnames() if "/" in n}
    for name in lcplan.tables():
        assert f"datasets/london-councils-plans/data/{name}.csv" in names
        assert f"schemas/{name}.schema.json" in names
    assert {"CITATION.cff", "CHANGELOG.md", "releases/0.1.0-ids.tsv", "releases/0.2.0-changes.tsv",
            "pyproject.toml"} <= names


def test_wheel_contains_data_schemas_and_a_pandas_only_base(wheel):
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
        meta = next(n for n in names if n.endswith(".dist-info/METADATA"))
        metadata = zf.read(meta).decode()
    for name in lcplan.tables():
        assert f"lcplan/data/london-councils-plans/data/{name}.csv" in names
        assert f"lcplan/schemas/{name}.schema.json" in names
    assert "lcplan/data/london-councils-plans/datapackage.json" in names
    # the codebook and the coded statements the topic coder learns from, read with importlib.resources
    assert {"lcplan/codebooks/cap_major_topics.toml", "lcplan/codebooks/cap_coded_statements.csv"} <= names
    # the sentence embeddings' tokenizer and its licence (the weights are the embeddings extra's)
    assert {"lcplan/models/all-MiniLM-L6-v2.tokenizer.json.gz", "lcplan/models/LICENSE-Apache-2.0.txt"} <= names
    for nb in (REPO / "notebooks").glob("*.ipynb"):  # the report runs from a pip install
        assert f"lcplan/notebooks/{nb.name}" in names
    assert "lcplan/data/london-councils-plans/sources/london-councils-business-plan-2019-20.txt" in names
    base = [line for line in metadata.splitlines() if line.startswith("Requires-Dist:") and "extra ==" not in line]
    assert [b.split()[1].rstrip("<>=!~0123456789.,") for b in base] == ["pandas"]


def _install(wheel: Path, tmp_path: Path) -> tuple[Path, str]:
    """A fresh virtual environment with the wheel itself installed, without its dependencies (no
    network): (its python, its site-packages). The dependencies come from this environment's
    site-packages on PYTHONPATH, where no .pth file can bring in the checkout."""
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    py = venv / "bin" / "python"
    target = subprocess.run([str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                            check=True, capture_output=True, text=True).stdout.strip()
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "--no-index", "--quiet",
                    "--target", target, str(wheel)], check=True)
    return py, target


@pytest.mark.parametrize("which", ["wheel", "wheel_from_sdist"])
def test_installed_wheel_loads_every_table_the_same(which, request, tmp_path):
    wheel = request.getfixturevalue(which)
    py, target = _install(wheel, tmp_path)
    env = {"PYTHONPATH": sysconfig.get_paths()["purelib"], "PATH": "/usr/bin:/bin"}
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = subprocess.run([str(py), "-c", PROBE], cwd=elsewhere, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    got = json.loads(result.stdout)
    assert got["file"].startswith(target)
    assert got["package_path"].startswith(target)
    assert sorted(got["tables"]) == sorted(lcplan.tables())
    for name, seen in got["tables"].items():
        here = lcplan.load(name)
        assert seen["rows"] == len(here)
        assert seen["dtypes"] == [str(t) for t in here.dtypes]
        assert seen["hash"] == int(pd.util.hash_pandas_object(here, index=False).sum())


def test_the_report_runs_from_the_installed_wheel(wheel, tmp_path):
    """`lcplan report --out` from a wheel, far from any checkout: the notebooks ship in it."""
    py, _ = _install(wheel, tmp_path)
    # the notebooks extra's packages from this environment (PYTHONPATH: no .pth brings the checkout in)
    # and its data files (nbconvert's templates), which a real install puts in its own prefix
    env = {"PYTHONPATH": sysconfig.get_paths()["purelib"], "PATH": "/usr/bin:/bin", "HOME": str(tmp_path),
           "JUPYTER_PATH": str(Path(sys.prefix) / "share" / "jupyter")}
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    no_out = subprocess.run([str(py), "-m", "lcplan.cli", "report"], cwd=elsewhere, env=env, capture_output=True,
                            text=True)
    assert no_out.returncode == 2 and "--out" in no_out.stderr and "Traceback" not in no_out.stderr
    result = subprocess.run([str(py), "-m", "lcplan.cli", "report", "--out", "report"], cwd=elsewhere, env=env,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-2000:]
    pages = sorted(p.name for p in (elsewhere / "report").glob("*.html"))
    assert [f"{nb.stem}.html" for nb in sorted((REPO / "notebooks").glob("*.ipynb"))] == \
        [p for p in pages if p[0].isdigit()]
    assert "index.html" in pages and "search.html" in pages
