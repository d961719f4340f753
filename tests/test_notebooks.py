"""Notebooks are committed without outputs, execute offline, and draw their charts."""

from __future__ import annotations

import json
import re

import pytest

from conftest import REPO

NOTEBOOKS = sorted((REPO / "notebooks").glob("*.ipynb"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_committed_without_outputs(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            assert cell.get("outputs") == [] and cell.get("execution_count") is None
    assert nb["metadata"]["kernelspec"]["name"] == "python3"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_executes_offline_and_draws_charts(path, tmp_path):
    import nbclient
    import nbformat

    nb = nbformat.read(path, as_version=4)
    client = nbclient.NotebookClient(nb, timeout=300, kernel_name="python3",
                                     resources={"metadata": {"path": str(path.parent)}})
    client.execute()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    charts = [o["data"]["text/html"] for o in outputs
              if "lcplan-chart" in o.get("data", {}).get("text/html", "")]
    calls = re.findall(r"charts\.(?!enable_offline)[a-z_]+\(", path.read_text(encoding="utf-8"))
    assert len(charts) == len(calls) > 0, "a chart was not drawn"
    for html in charts:
        # each chart carries its spec and its data, and the Vega bundle: nothing is fetched
        assert "window.vegaEmbed(" in html and ('"data"' in html or '"datasets"' in html)
        assert "data-lcplan-vega-bundle" in html and not re.search(r"<script[^>]+src=", html)
    # thin notebooks: no function or class definitions, logic lives in lcplan
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert "def " not in cell.source and "class " not in cell.source
