"""Writing into a package folder: its ``package.toml`` (written for a new package, widened to
name each new body), and the write-and-restore transaction that leaves an existing package as
it was when a draft does not build."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from lcplan.plans.write import toml_value as _q
from lcplan.reader import slugify

__all__ = ["package_toml", "with_body", "Transaction"]


def package_toml(folder: Path, organisation: str, title: str) -> str:
    name = slugify(folder.name) or "plans"
    return "\n".join([
        "# The package's own metadata, written by `lcplan ingest`: edit it freely.",
        "[package]",
        f"name = {_q(name)}",
        f"title = {_q(organisation + ' plans')}",
        f"description = {_q('Every statement of ' + organisation + ' plans, verbatim, one per row (made with lcplan).')}",
        f"created = {_q(date.today().isoformat() + 'T00:00:00Z')}",
        "keywords = [\"plans\"]", "",
        "[[package.licenses]]", 'name = "CC-BY-4.0"', 'path = "https://creativecommons.org/licenses/by/4.0/"',
        'title = "Creative Commons Attribution 4.0: covers the structure and annotations, not the plan texts"', "",
        "[[package.contributors]]", 'title = "lcplan contributors"', 'roles = ["creator"]', "",
        "[[package.contributors]]", f"title = {_q(organisation)}", 'roles = ["rightsHolder"]', ""])


def _names(bodies: list[str]) -> str:
    return bodies[0] if len(bodies) == 1 else ", ".join(bodies[:-1]) + " and " + bodies[-1]


def with_body(text: str, organisation: str) -> str | None:
    """A package.toml that names ``organisation`` too, when a plan of a body it does not name is
    added: the body becomes a rights holder, and a title and description still as ingest wrote
    them name every body. None when the body is already named. The steward's own edits stay."""
    import tomllib

    try:
        pkg = tomllib.loads(text).get("package", {})
    except tomllib.TOMLDecodeError:
        return None  # the build reports a package.toml it cannot read
    holders = [c.get("title", "") for c in pkg.get("contributors", []) if "rightsHolder" in c.get("roles", [])]
    if organisation in holders or not holders or "[[package.contributors]]" not in text:
        return None  # named already, or contributors written another way: the steward's file stays as it is
    names = _names([*holders, organisation])
    if pkg.get("title") in ({f"{holders[0]} plans"} if len(holders) == 1 else set()) | {f"Plans of {_names(holders)}"}:
        text = text.replace(f"title = {_q(pkg['title'])}", f"title = {_q('Plans of ' + names)}", 1)
    written = f"Every statement of {_names(holders)} plans"
    if pkg.get("description", "").startswith(written):
        text = text.replace(written, f"Every statement of {names} plans", 1)
    return text.rstrip("\n") + "\n\n" + "\n".join(
        ["[[package.contributors]]", f"title = {_q(organisation)}", 'roles = ["rightsHolder"]', ""])


class Transaction:
    """Files written into a package folder, each one's bytes before kept, so that :meth:`restore`
    leaves the folder as it was: a draft that does not build never half-changes a package."""

    def __init__(self, package: Path):
        self.package = package
        self.before: dict[str, bytes | None] = {}

    def write(self, files: dict[str, bytes]) -> None:
        """Write each file (path relative to the package); a folder that cannot be written is an IngestError."""
        from lcplan.ingest.model import IngestError

        try:
            self.package.mkdir(parents=True, exist_ok=True)
            for rel, data in files.items():
                path = self.package / rel
                if rel not in self.before:
                    self.before[rel] = path.read_bytes() if path.is_file() else None
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(data)
        except OSError as exc:
            raise IngestError(f"{self.package}: cannot write the package there: {exc.strerror or exc}") from None

    def restore(self) -> None:
        """Put back every file written as it was before (removing those that were not there)."""
        for rel, data in self.before.items():
            if data is None:
                (self.package / rel).unlink(missing_ok=True)
            else:
                (self.package / rel).write_bytes(data)
