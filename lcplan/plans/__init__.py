"""A plan is a folder of data: ``plans/<document_id>.toml`` beside its source.

Each file holds one document's metadata (the ``documents`` row and its provenance), the
hints that steer the reader of its text (headings, list kinds by lead-in or section,
numbered and titled statements, furniture lines), and the reviewed claims found in it.
:func:`load_plans` reads every plan of a package folder into typed :class:`Plan` objects;
a plan owns its staleness checks (:meth:`Plan.check_used`), so a hint that no longer
matches the text stops the build instead of going quietly stale.

A plan whose ``[reader] kind = "tables"`` is curated by hand as rows of the package's
tables: the build keeps those rows and validates them, and reads no text for it.

The file is read in :mod:`lcplan.plans.read` and written in :mod:`lcplan.plans.write`, one
format in one place; a plan read, written and read again is the same plan.
"""

from lcplan.plans.model import (DOCUMENT_FIELDS, FIELDS, PARAGRAPHS, PROVENANCE_FIELDS, READERS, SCOPES, STYLES,
                                ClaimReview, Furniture, Heading, Hints, Kind, ListRule, Numbered, Plan, PlanError, Table,
                                Titled)
from lcplan.plans.read import load_plans, parse_reader, read_plan
from lcplan.plans.write import plan_text, write_plan

__all__ = ["Plan", "Hints", "Heading", "Furniture", "ListRule", "Numbered", "Titled", "Table", "Kind", "ClaimReview",
           "PlanError", "load_plans", "read_plan", "parse_reader", "plan_text", "write_plan", "DOCUMENT_FIELDS",
           "PROVENANCE_FIELDS", "STYLES", "SCOPES", "READERS", "PARAGRAPHS", "FIELDS"]
