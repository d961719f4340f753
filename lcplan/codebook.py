"""The topic codebook: the Comparative Agendas Project's major topics, shipped with lcplan.

Every package's ``topics`` table is this codebook (codes and names); its descriptions are what
the automatic coder reads as one example a topic. A package may add its own terms to a topic's
description in ``reviewed/topics.toml`` (``[descriptions]``): those are the package's local
additions, kept apart (:attr:`Codebook.local`) and reported as such. A package cannot rename or
add topics: the codes are the codebook's, so that packages compare.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

__all__ = ["Codebook", "CodebookError", "codebook"]


class CodebookError(ValueError):
    """A package's topics file that contradicts the codebook."""


@dataclass(frozen=True)
class Codebook:
    topics: dict[int, str]
    descriptions: dict[int, str]
    source_title: str
    source_path: str
    local: dict[int, str] = field(default_factory=dict)  # a package's own terms, by topic

    def description(self, code: int) -> str:
        """What the topic covers: the codebook's description, then the package's local terms."""
        return "; ".join(t for t in (self.descriptions.get(code, ""), self.local.get(code, "")) if t)

    def examples(self) -> list[tuple[str, int]]:
        """What a coder learns each topic from besides coded statements, as (text, code): the
        topic's name, each phrase of its description (the subtopics it lists, cut at commas and
        at "and"), and the package's local terms as one example."""
        out = []
        for code, name in self.topics.items():
            body = self.descriptions.get(code, "").split(":", 1)[-1]
            phrases = [p.strip() for p in body.replace(" and ", ", ").split(",")]
            out += [(text, code) for text in (name, *phrases, self.local.get(code, "")) if text]
        return out

    def anchors(self) -> list[tuple[str, int]]:
        """The codebook's words as a zero-shot coder reads them (:func:`lcplan.topics.zero_shot`),
        as (text, code): those of :meth:`examples`, each phrase after its topic's name ("Labor:
        the minimum wage"), so that a phrase is read as its topic's ("Transportation: its safety",
        not "its safety")."""
        return [(text if text == self.topics[code] else f"{self.topics[code]}: {text}", code)
                for text, code in self.examples()]


def _library() -> dict:
    text = resources.files("lcplan").joinpath("codebooks", "cap_major_topics.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


def codebook(package: Path | None = None) -> Codebook:
    """The codebook, with the local additions of ``package`` (a folder) where it has any."""
    raw = _library()
    topics = {int(k): v for k, v in raw["topics"].items()}
    local: dict[int, str] = {}
    path = Path(package) / "reviewed" / "topics.toml" if package is not None else None
    if path is not None and path.is_file():
        try:
            own = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise CodebookError(f"{path}: not valid TOML: {exc}") from None
        named = own.get("topics", {})
        changed = {k: v for k, v in named.items() if not k.isdigit() or topics.get(int(k)) != v}
        if changed:
            raise CodebookError(f"{path}: [topics] {changed} differ from lcplan's codebook; a package adds its own "
                                "terms to a topic in [descriptions], it does not rename or add topics")
        unknown = sorted(k for k in own.get("descriptions", {}) if not k.isdigit() or int(k) not in topics)
        if unknown:
            raise CodebookError(f"{path}: [descriptions] {unknown} are not topic codes of lcplan's codebook")
        local = {int(k): str(v) for k, v in own.get("descriptions", {}).items()}
    return Codebook(topics=topics, descriptions={int(k): v for k, v in raw["descriptions"].items()},
                    source_title=raw["source_title"], source_path=raw["source_path"], local=local)
