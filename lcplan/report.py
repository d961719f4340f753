"""The report: every notebook executed and written as a static HTML page, with an index.

``build_report(out)`` runs each notebook of ``notebooks/`` with nbclient (offline; charts
are SVG drawn in the kernel), exports it with nbconvert's ``basic`` template (no scripts,
no external resources) into a small page of our own, and writes ``index.html`` linking the
pages. The pages need no network and no JavaScript. Imports nbclient and nbconvert (the
``notebooks`` extra).
"""

from __future__ import annotations

import html
from pathlib import Path

from lcplan._version import __version__
from lcplan.paths import checkout

__all__ = ["build_report"]

STYLE = """
body { font-family: Helvetica, Arial, sans-serif; max-width: 1100px; margin: 2em auto; padding: 0 1em;
       color: #222; line-height: 1.45; }
nav { margin-bottom: 1.5em; font-size: 0.9em; } nav a { margin-right: 1em; }
table { border-collapse: collapse; font-size: 0.85em; margin: 0.5em 0; display: block; overflow-x: auto; }
th, td { border: 1px solid #ddd; padding: 3px 6px; text-align: left; vertical-align: top; }
pre { background: #f6f6f6; padding: 0.6em; overflow-x: auto; font-size: 0.85em; }
.jp-InputArea, .input { display: none; }
.jp-OutputArea-output svg, .output_svg svg { max-width: 100%; height: auto; }
footer { margin-top: 3em; font-size: 0.8em; color: #666; }
"""


def _page(title: str, body: str, nav: str) -> str:
    return (f"<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<title>{html.escape(title)}</title><style>{STYLE}</style></head>\n"
            f"<body><nav>{nav}</nav>\n{body}\n"
            f"<footer>lcplan {__version__}: {html.escape(_package_title())}. "
            f"Plan texts © their publishers.</footer></body></html>\n")


def _package_title() -> str:
    import json

    from lcplan.paths import package_path

    return json.loads(package_path().read_text(encoding="utf-8"))["title"]


def _inline_svg(body: str) -> str:
    """Charts as inline <svg> elements rather than base64 <img>: searchable, styleable, testable."""
    import base64
    import re

    def swap(m: "re.Match[str]") -> str:
        svg = base64.b64decode(m.group(1)).decode("utf-8")
        return re.sub(r"^<\?xml[^>]*>\s*", "", svg)

    return re.sub(r'<img[^>]*src="data:image/svg\+xml;base64,([A-Za-z0-9+/=\s]+)"[^>]*/?>', swap, body)


def _title(nb) -> str:
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return "Notebook"


def build_report(out: Path | None = None, notebooks: list[Path] | None = None, timeout: int = 600) -> Path:
    """Execute the notebooks and write the report; returns the path of ``index.html``."""
    import nbclient
    import nbformat
    from nbconvert import HTMLExporter

    root = checkout()
    out = out or root / "build" / "report"
    out.mkdir(parents=True, exist_ok=True)
    paths = notebooks or sorted((root / "notebooks").glob("*.ipynb"))
    exporter = HTMLExporter(template_name="basic", exclude_input=True, exclude_input_prompt=True,
                            exclude_output_prompt=True)
    pages = []
    for path in paths:
        nb = nbformat.read(path, as_version=4)  # the committed notebook is never written
        nbclient.NotebookClient(nb, timeout=timeout, kernel_name="python3",
                                resources={"metadata": {"path": str(path.parent)}}).execute()
        body, _ = exporter.from_notebook_node(nb)
        pages.append((path.stem + ".html", _title(nb), _inline_svg(body)))
    dictionary = root / "datasets" / "london-councils-plans" / "DATA_DICTIONARY.md"
    if dictionary.is_file():  # the generated data dictionary, as a page of the report
        import mistune

        markdown = mistune.create_markdown(plugins=["table"])
        pages.append(("data-dictionary.html", "Data dictionary", markdown(dictionary.read_text(encoding="utf-8"))))
    nav = "<a href=\"index.html\">Index</a>" + "".join(
        f"<a href=\"{name}\">{html.escape(title)}</a>" for name, title, _ in pages)
    for name, title, body in pages:
        (out / name).write_text(_page(title, body, nav), encoding="utf-8")
    items = "".join(f"<li><a href=\"{name}\">{html.escape(title)}</a></li>" for name, title, _ in pages)
    index = (f"<h1>London Councils business plans: analysis</h1>"
             f"<p>Notebooks executed on the lcplan {__version__} data package; charts are static SVG "
             f"and need no network.</p><ul>{items}</ul>")
    (out / "index.html").write_text(_page("lcplan report", index, nav), encoding="utf-8")
    return out / "index.html"
