"""Analysis helpers behind the notebooks: each returns a DataFrame ready to show or chart.
Notebooks narrate and plot; the logic lives here. Imports pandas only.

Every helper works on any package in lcplan's layout (``package``: a folder or its
``datapackage.json``; default the shipped one) and on any plans of it: ``plans`` is a list
of document IDs (default: the two latest plans of the organisation of the latest plan,
see :func:`select_plans`); year-on-year helpers take a pair ``old, new`` that the crosswalk
links (default: the latest such pair, see :func:`default_pair`). Each frame names its plans
in a ``plan`` column, an ordered categorical from oldest to newest.
"""

from __future__ import annotations

import pandas as pd

from lcplan.loaders import PackageLike, load, plan_items

__all__ = ["select_plans", "plan_labels", "default_pair", "claims_table", "targets", "claims_with_evidence",
           "fiscal_context",
           "closest_release", "crosswalk_items", "change_counts", "word_diff", "diff_markup", "revised_diffs",
           "continuity", "structure_flow", "structure", "horizons", "coded_items", "topic_attention",
           "agenda_measures", "area_attention", "services_vs_policy", "pledge_support", "pledge_areas", "short_title",
           "show", "key_findings"]

def _vocabulary(table: str, field: str) -> list[str]:
    from lcplan.registry import categories

    return [c["value"] for c in categories(table, field)]


def _table(name: str, package: PackageLike) -> pd.DataFrame:
    """A table of the package, or an empty one of the same columns and types where the package has
    none (a package need not carry evidence or a fiscal balance series)."""
    from lcplan.loaders import tables, typed
    from lcplan.registry import table_schema

    if name in tables(package):
        return load(name, package)
    ts = table_schema(name)
    return typed(pd.DataFrame({f["name"]: pd.Series(dtype="string") for f in ts["fields"]}), ts, name)


# ----------------------------------------------------------------------------- which plans


def _documents(package: PackageLike) -> pd.DataFrame:
    return load("documents", package).sort_values(["period_start", "document_id"]).reset_index(drop=True)


def select_plans(plans: list[str] | str | None = None, package: PackageLike = None, n: int = 2) -> list[str]:
    """Document IDs to analyse, oldest first.

    ``plans``: a list of document IDs, ``"all"``, or None for the ``n`` latest plans of the
    organisation whose plan is the latest in the package.
    """
    docs = _documents(package)
    if plans == "all":
        return list(docs["document_id"])
    if plans is not None:
        unknown = sorted(set(plans) - set(docs["document_id"]))
        if unknown:
            raise KeyError(f"no document {unknown}; the documents are: {', '.join(docs['document_id'])}")
        return [d for d in docs["document_id"] if d in set(plans)]
    organisation = docs["organisation"].iloc[-1]
    return list(docs.loc[docs["organisation"] == organisation, "document_id"].iloc[-n:])


def plan_labels(package: PackageLike = None) -> dict[str, str]:
    """Document ID -> a short human label: the plan year, with the organisation where the
    package holds plans of more than one, and the title where a body has two plans of one year."""
    docs = _documents(package)
    several = docs["organisation"].nunique() > 1
    labels = {d: (f"{o} {y}" if several else str(y))
              for d, o, y in zip(docs["document_id"], docs["organisation"], docs["plan_year"])}
    # two plans of one body and year (a strategy and its action plan) are told apart by their titles,
    # and by their IDs where even those are alike: a label names one plan
    for _ in range(2):
        seen = pd.Series(list(labels.values())).value_counts()
        for d, t in zip(docs["document_id"], docs["title"]):
            if seen[labels[d]] > 1:
                labels[d] = f"{labels[d]}: {short_title(str(t), 40)}" if ": " not in labels[d] else f"{labels[d]} ({d})"
    return labels


def _with_plan(frame: pd.DataFrame, package: PackageLike, docs: list[str], column: str = "document_id") -> pd.DataFrame:
    """Keep rows of ``docs`` and add ``plan``: the plans' labels as an ordered categorical, oldest first."""
    labels = plan_labels(package)
    out = frame[frame[column].isin(docs)].copy()
    order = [labels[d] for d in docs]
    out["plan"] = pd.Categorical(out[column].map(labels), categories=order, ordered=True)
    return out


def default_pair(package: PackageLike = None) -> tuple[str, str]:
    """The latest (earlier, later) pair of documents that the crosswalk links."""
    cw = load("crosswalk", package)
    items = load("items", package).set_index("item_id")["document_id"]
    pairs = pd.DataFrame({"old": cw["from_item_id"].map(items), "new": cw["to_item_id"].map(items)}).dropna()
    if pairs.empty:
        raise ValueError("the crosswalk links no two plans of this package")
    start = _documents(package).set_index("document_id")["period_start"]
    pairs = pairs.drop_duplicates().assign(when=lambda d: d["new"].map(start)).sort_values(["when", "old"])
    last = pairs.iloc[-1]
    return str(last["old"]), str(last["new"])


def _pair(old: str | None, new: str | None, package: PackageLike) -> tuple[str, str]:
    return (old, new) if old and new else default_pair(package)


# ----------------------------------------------------------------------------- claims


def claims_table(plans: list[str] | str | None = "all", package: PackageLike = None) -> pd.DataFrame:
    """Every claim of the plans (default: all) with its plan and the statement it comes from."""
    claims = load("claims", package)
    items = plan_items(package).set_index("item_id")
    out = _with_plan(claims, package, select_plans(plans, package))
    return out.assign(
        plan_year=out["item_id"].map(items["plan_year"]).astype("string"),
        kind=out["item_id"].map(items["kind"].astype("string")).astype("string"),
        statement=out["item_id"].map(items["text"]).astype("string"),
    )[["claim_id", "plan", "plan_year", "kind", "quote", "value", "value_high", "unit", "qualifier", "claim_type",
       "subject", "per", "target_date", "unit_printed", "end_state", "direction", "baseline_year", "scope",
       "statement"]].reset_index(drop=True)


def targets(plans: list[str] | str | None = "all", package: PackageLike = None) -> pd.DataFrame:
    """The plans' targets (claims whose type is ``target``), one row each, with what a timeline needs.

    ``level``: the end state's label (Net zero) or the figure as printed, with its direction
    ("Reduce by 75%"); ``due``: the target date as a date (a year's target falls on 31 December,
    a month's on its last day); empty where the plan states no date. ``reviewed`` is False while
    the subject is still a draft's guess. Labels come from the claims schema's categories.
    """
    from lcplan.claims import UNREVIEWED
    from lcplan.registry import categories

    claims = claims_table(plans, package)
    out = claims[claims["claim_type"].astype("string") == "target"].copy()
    labels = {f: {c["value"]: c.get("label", c["value"]) for c in categories("claims", f)}
              for f in ("end_state", "direction", "scope", "qualifier")}
    end_state = out["end_state"].astype("string").map(labels["end_state"])
    direction = out["direction"].astype("string").map(labels["direction"])
    figure = (direction.fillna("") + " " + out["quote"].astype("string")).str.strip()
    out["level"] = end_state.fillna(figure).astype("string")
    out["scope_label"] = out["scope"].astype("string").map(labels["scope"]).astype("string")
    date = out["target_date"].astype("string")
    month = pd.to_datetime(date.where(date.str.fullmatch(r"\d{4}-\d{2}")), format="%Y-%m", errors="coerce")
    year = pd.to_datetime(date.where(date.str.fullmatch(r"\d{4}")), format="%Y", errors="coerce")
    out["due"] = (month + pd.offsets.MonthEnd(0)).fillna(year + pd.offsets.YearEnd(0))
    subject = out["subject"].astype("string")
    out["reviewed"] = ~subject.str.startswith(UNREVIEWED).fillna(False)
    # a draft's subject is "to review: <guess> (<the words around the figure>)": the guess, marked
    guess = subject.str.removeprefix(UNREVIEWED).str.replace(r"\s*\(.*\)\s*$", "", regex=True)
    out["subject"] = subject.where(out["reviewed"], guess + " (to review)")
    docs = _documents(package).set_index("document_id")["organisation"]
    out["organisation"] = out["claim_id"].str.split("/").str[0].map(docs).astype("string")
    return out[["claim_id", "plan", "organisation", "subject", "level", "quote", "value", "unit", "end_state", "due",
                "target_date", "baseline_year", "scope_label", "reviewed", "statement"]].sort_values(
        ["due", "plan", "claim_id"], na_position="last").reset_index(drop=True)


def claims_with_evidence(plans: list[str] | str | None = "all", package: PackageLike = None) -> pd.DataFrame:
    """One row per claim: its best verdict, the number of sources, and the main figure found.

    ``ratio`` is the figure found divided by the claim's value where both share a unit. Verdicts
    rank in the order the evidence schema lists them (supports first).
    """
    verdicts = _vocabulary("evidence", "verdict")
    claims = claims_table(plans, package)
    ev = _table("evidence", package).assign(rank=lambda d: d["verdict"].astype("string").map(
        {v: i for i, v in enumerate(verdicts)}))
    best = ev.sort_values(["claim_id", "rank", "evidence_id"]).groupby("claim_id", as_index=False).first()
    out = claims.merge(best[["claim_id", "verdict", "value", "unit", "reference_period", "publisher", "method_note"]],
                       on="claim_id", how="left", suffixes=("", "_found"))
    out = out.merge(ev.groupby("claim_id").size().rename("sources").reset_index(), on="claim_id", how="left")
    same_unit = out["unit"].astype("string") == out["unit_found"].astype("string")
    out["ratio"] = (out["value_found"] / out["value"]).where(same_unit)
    where = out["claim_id"].str.extract(r"^[^/]+/([^/]+)/(?:[^/]+/)?([0-9.]+)/claim")
    out["label"] = (out["quote"] + " — " + out["subject"] + " (" + out["plan"].astype("string") + ", "
                    + where[0].str.replace("-", " ") + " " + where[1] + ")").astype("string")
    out["verdict"] = pd.Categorical(out["verdict"].astype("string"), categories=verdicts)
    return out.sort_values(["verdict", "plan", "claim_id"]).reset_index(drop=True)


def fiscal_context(package: PackageLike = None) -> pd.DataFrame:
    """An area's net fiscal balance by year and series, in £bn, with the series' labels (from the
    schema's categories).

    ``year_start`` is the first day of the financial year (a real time axis: years with no
    figure leave a gap); ``basis_label`` says whether the total is as published or derived (the
    schema's label of ``value_basis``).
    """
    from lcplan.registry import categories

    fb = _table("fiscal_balance", package)
    basis = {c["value"]: c.get("label", c["value"]) for c in categories("fiscal_balance", "value_basis")}
    series = {c["value"]: c.get("label", c["value"]) for c in categories("fiscal_balance", "series")}
    return fb.assign(
        value_bn=fb["value"] / 1e9,
        series_label=fb["series"].astype("string").map(series).astype("string"),
        basis_label=fb["value_basis"].astype("string").map(basis).astype("string"),
        year_start=pd.to_datetime(fb["reference_period"].str.slice(0, 4) + "-04-01", errors="coerce"),
    ).sort_values(["series", "reference_period"]).reset_index(drop=True)


def closest_release(value: float, series: str = "ons_first_published", package: PackageLike = None) -> pd.Series | None:
    """The year of ``series`` whose published total is nearest ``value``: the figure a plan most likely
    used (None where the package has no figure of that series)."""
    fb = fiscal_context(package)
    fb = fb[(fb["series"] == series) & fb["value"].notna()]
    return fb.loc[(fb["value"] - value).abs().idxmin()] if len(fb) else None


# ----------------------------------------------------------------------------- year on year


def crosswalk_items(old: str | None = None, new: str | None = None, package: PackageLike = None) -> pd.DataFrame:
    """The crosswalk rows between two plans (default: :func:`default_pair`) with both sides'
    text, kind and sections.

    ``from_area`` is the heading an earlier item sits under (e.g. "Housing and Planning"),
    ``to_portfolio`` the later item's (e.g. "Crime and Public Protection"); ``from_appendix``
    the earlier item's top-level section.
    """
    old, new = _pair(old, new, package)
    cw = load("crosswalk", package)
    pi = plan_items(package).set_index("item_id")
    fd, td = cw["from_item_id"].map(pi["document_id"]), cw["to_item_id"].map(pi["document_id"])
    from_old, to_new = fd.eq(old).fillna(False), td.eq(new).fillna(False)
    cw = cw[(from_old | cw["from_item_id"].isna()) & (to_new | cw["to_item_id"].isna()) & (from_old | to_new)]
    area = pi["subsection"].fillna(pi["section_title"])
    out = cw.assign(
        kind=cw["from_item_id"].fillna(cw["to_item_id"]).map(pi["kind"].astype("string")).astype("string"),
        from_text=cw["from_item_id"].map(pi["text"]).astype("string"),
        to_text=cw["to_item_id"].map(pi["text"]).astype("string"),
        from_area=cw["from_item_id"].map(area).astype("string"),
        to_portfolio=cw["to_item_id"].map(area).astype("string"),
        from_appendix=cw["from_item_id"].map(pi["top_section"]).astype("string"),
    )
    out["relation"] = pd.Categorical(out["relation"].astype("string"), categories=_vocabulary("crosswalk", "relation"))
    return out.reset_index(drop=True)


def _work_kinds() -> tuple[str, ...]:
    from lcplan.registry import kinds_where

    return kinds_where("role", "work")


def change_counts(by: str = "to_portfolio", old: str | None = None, new: str | None = None,
                  package: PackageLike = None) -> pd.DataFrame:
    """Kept, revised, related, new and dropped per area of the later plan or of the earlier one.

    ``by``: ``"to_portfolio"`` counts each later numbered statement (a kind with the role work)
    once, by its closest relation; ``"from_area"`` counts each earlier one once.
    """
    relations = _vocabulary("crosswalk", "relation")
    cw = crosswalk_items(old, new, package)
    cw = cw[cw["kind"].isin(_work_kinds())]
    side = "to_item_id" if by == "to_portfolio" else "from_item_id"
    best = cw.dropna(subset=[side]).sort_values("relation").groupby(side, observed=True).first()
    table = pd.crosstab(best[by], best["relation"]).reindex(columns=relations, fill_value=0)
    return table.loc[:, (table != 0).any()]


def word_diff(old: str, new: str) -> pd.DataFrame:
    """A word-level diff of two statements: one row per run of words, ``op`` equal/delete/insert."""
    import difflib

    a, b = old.split(), new.split()
    rows = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op in ("equal", "delete", "replace"):
            rows.append(("equal" if op == "equal" else "delete", " ".join(a[i1:i2])))
        if op in ("insert", "replace"):
            rows.append(("insert", " ".join(b[j1:j2])))
    return pd.DataFrame(rows, columns=["op", "words"])


def diff_markup(old: str, new: str) -> str:
    """The diff as text: ``[-removed-]`` and ``{+added+}`` around changed words."""
    parts = {"equal": "{}", "delete": "[-{}-]", "insert": "{{+{}+}}"}
    return " ".join(parts[r.op].format(r.words) for r in word_diff(old, new).itertuples())


def revised_diffs(old: str | None = None, new: str | None = None, package: PackageLike = None) -> pd.DataFrame:
    """Every same or revised pair of the crosswalk with its word diff and share of words kept."""
    import difflib

    cw = crosswalk_items(old, new, package)
    pairs = cw[cw["relation"].isin(["same", "revised"])].copy()
    pairs["diff"] = [diff_markup(a, b) for a, b in zip(pairs["from_text"], pairs["to_text"])]
    pairs["similarity"] = [round(difflib.SequenceMatcher(a=a.split(), b=b.split()).ratio(), 2)
                           for a, b in zip(pairs["from_text"], pairs["to_text"])]
    return pairs[["from_item_id", "to_item_id", "kind", "relation", "similarity", "diff", "note"]].reset_index(drop=True)


def continuity(kind: str, old: str | None = None, new: str | None = None, package: PackageLike = None) -> pd.DataFrame:
    """Statements of one kind (themes, principles, ...) of both plans side by side, by crosswalk link."""
    cw = crosswalk_items(old, new, package)
    pi = plan_items(package).set_index("item_id")
    rows = cw[cw["kind"] == kind].copy()
    rows["from_title"] = rows["from_item_id"].map(pi["title"])
    rows["to_title"] = rows["to_item_id"].map(pi["title"])
    return rows.drop(columns=["from_area", "to_portfolio", "from_appendix"]).reset_index(drop=True)


def structure_flow(old: str | None = None, new: str | None = None, package: PackageLike = None) -> pd.DataFrame:
    """How the earlier plan's areas map onto the later plan's: linked numbered statements per pair.

    ``from_plan`` and ``to_plan`` name the two plans.
    """
    old, new = _pair(old, new, package)
    cw = crosswalk_items(old, new, package)
    links = cw[cw["kind"].isin(_work_kinds()) & cw["from_item_id"].notna() & cw["to_item_id"].notna()]
    flow = links.groupby(["from_appendix", "from_area", "to_portfolio"], observed=True).size()
    labels = plan_labels(package)
    return flow.rename("links").reset_index().assign(from_plan=labels[old], to_plan=labels[new])


def structure(plans: list[str] | str | None = None, package: PackageLike = None) -> pd.DataFrame:
    """The plans' outlines: sections, areas, numbered statements and commitments per plan."""
    from lcplan.registry import kinds_where

    docs = select_plans(plans, package)
    labels = plan_labels(package)
    pi = plan_items(package)
    sections = load("sections", package)
    work, commitments = _work_kinds(), kinds_where("role", "commitment")
    rows = []
    for doc in docs:
        items = pi[pi["document_id"] == doc]
        numbered = items[items["kind"].isin(work)]
        promises = items[items["kind"].isin(commitments)]
        rows.append({
            "plan": labels[doc],
            "top_sections": int(((sections["document_id"] == doc) & (sections["level"] == 1)).sum()),
            "sections": int((sections["document_id"] == doc).sum()),
            "areas": numbered["subsection"].nunique(),
            "numbered_statements": len(numbered),
            "numbered_as": ", ".join(sorted(numbered["kind"].astype("string").unique())),
            "commitments": int(promises["parent_item_id"].isna().sum()),
            "commitment_sub_points": int(promises["parent_item_id"].notna().sum()),
        })
    return pd.DataFrame(rows)


def horizons(plans: list[str] | str | None = "all", package: PackageLike = None) -> pd.DataFrame:
    """Stated horizons and dated commitments of each plan, from the claims table."""
    claims = claims_table(plans, package)
    dated = claims[(claims["unit"] == "years") | claims["target_date"].notna()]
    return dated[["plan", "quote", "value", "unit", "target_date", "subject", "statement"]].reset_index(drop=True)


# ----------------------------------------------------------------------------- priorities


def coded_items(kinds: tuple[str, ...] | None = None, plans: list[str] | str | None = None,
                package: PackageLike = None) -> pd.DataFrame:
    """Coded items (default: every topic-coded kind) with their primary topic, plan and area."""
    from lcplan.registry import coded_kinds

    pi = plan_items(package)
    pi = _with_plan(pi[pi["kind"].isin(kinds or coded_kinds())], package, select_plans(plans, package))
    codes = load("item_topics", package)
    topics = load("topics", package).drop_duplicates("topic_code").set_index("topic_code")["topic"]
    primary = codes[codes["primary"]].set_index("item_id")["topic_code"]
    out = pi.assign(topic_code=pi["item_id"].map(primary).astype("Int64"))
    out["topic"] = out["topic_code"].map(topics).astype("string")
    out["area"] = out["subsection"].fillna(out["section_title"]).astype("string")
    return out


def topic_attention(kinds: tuple[str, ...] | None = None, plans: list[str] | str | None = None,
                    package: PackageLike = None, by: str = "plan") -> pd.DataFrame:
    """Items per primary topic and plan, as counts and shares of the plan's coded items.

    ``kinds``: default the numbered statements (kinds with the role work). ``by="organisation"``
    compares bodies instead of plans: each body's plans (of ``plans``) taken together, a row per
    body and topic, in a column ``organisation``. Over a corpus, give ``plans="all"``.
    """
    if by not in ("plan", "organisation"):
        raise ValueError(f"by must be 'plan' or 'organisation', not {by!r}")
    items = coded_items(kinds or _work_kinds(), plans, package).dropna(subset=["topic"])
    if by == "organisation":
        bodies = _documents(package).set_index("document_id")["organisation"]
        order = list(dict.fromkeys(bodies[bodies.index.isin(items["document_id"])]))
        items = items.assign(organisation=pd.Categorical(items["document_id"].map(bodies), categories=order,
                                                         ordered=True))
    counts = items.groupby([by, "topic"], observed=True).size().rename("items").reset_index()
    counts["share"] = counts["items"] / counts.groupby(by, observed=True)["items"].transform("sum")
    return counts.sort_values([by, "items"], ascending=[True, False]).reset_index(drop=True)


def agenda_measures(kinds: tuple[str, ...] | None = None, plans: list[str] | str | None = None,
                    package: PackageLike = None) -> pd.DataFrame:
    """Agenda-setting measures per plan: scope (topics with any attention) and Shannon entropy.

    ``entropy`` is H = -sum(p log p) over primary-topic shares (natural log); ``entropy_norm``
    divides by log K, K the number of topics in the codebook (the topics table), so 1 is
    attention spread evenly over all of them.
    """
    import math

    k = load("topics", package)["topic_code"].nunique()  # a corpus holds each package's codebook
    rows = []
    for plan, g in topic_attention(kinds, plans, package).groupby("plan", observed=True):
        p = g["share"].to_numpy()
        h = float(-(p * pd.Series(p).map(math.log).to_numpy()).sum())
        rows.append({"plan": plan, "items": int(g["items"].sum()), "scope": int(len(g)),
                     "entropy": round(h, 3), "entropy_norm": round(h / math.log(k), 3),
                     "top_topic": g.iloc[0]["topic"], "top_share": round(float(g.iloc[0]["share"]), 3)})
    return pd.DataFrame(rows)


def area_attention(plans: list[str] | str | None = None, package: PackageLike = None) -> pd.DataFrame:
    """Numbered statements (kinds with the role work) per area of each plan."""
    items = coded_items(_work_kinds(), plans, package)
    return items.groupby(["plan", "area"], observed=True).size().rename("items").reset_index()


def policy_sections(package: PackageLike = None) -> list[str]:
    """The section titles whose statements of work are policy work, as the package declares them
    (``package.toml`` ``[analysis] policy_sections``, carried in the descriptor); [] when it does not."""
    from lcplan.corpus.corpus import is_corpus, read_corpus
    from lcplan.loaders import descriptor

    if is_corpus(package):  # every package's declaration
        return list(dict.fromkeys(s for folder in read_corpus(package).packages for s in policy_sections(folder)))
    return list(descriptor(package).get("lcplan", {}).get("analysis", {}).get("policy_sections", []))


def services_vs_policy(policy_section: str | list[str] | None = None, plans: list[str] | str | None = None,
                       package: PackageLike = None) -> pd.DataFrame:
    """Numbered statements of policy work (under a section whose title contains one of
    ``policy_section``, default: the package's :func:`policy_sections`) and of services (the
    rest), per plan: ``plan``, ``work_type``, ``items``, ``share``. Empty when the package
    declares no policy sections and none is given."""
    wanted = [policy_section] if isinstance(policy_section, str) else list(policy_section or policy_sections(package))
    if not wanted:
        return pd.DataFrame({"plan": pd.Series(dtype="string"), "work_type": pd.Series(dtype="string"),
                             "items": pd.Series(dtype="int64"), "share": pd.Series(dtype="float64")})
    items = coded_items(_work_kinds(), plans, package)
    policy = pd.Series(False, index=items.index)
    for title in wanted:
        policy |= items["section_path"].str.contains(title, regex=False).fillna(False).astype(bool)
    items["work_type"] = policy.map({True: "policy", False: "services"}).astype("string")
    out = items.groupby(["plan", "work_type"], observed=True).size().rename("items").reset_index()
    out["share"] = out["items"] / out.groupby("plan", observed=True)["items"].transform("sum")
    return out


def _linked_plan(plan: str | None, package: PackageLike) -> str | None:
    """The plan whose commitments pledge_links covers (default: the latest with any link; None
    if pledge_links links nothing)."""
    if plan is not None:
        return plan
    links = load("pledge_links", package)
    doc = load("items", package).set_index("item_id")["document_id"]
    linked = set(links["pledge_item_id"].map(doc).dropna())
    docs = [d for d in _documents(package)["document_id"] if d in linked]
    return docs[-1] if docs else None


def pledge_support(plan: str | None = None, package: PackageLike = None) -> pd.DataFrame:
    """Each top-level pledge of a plan with the number of work items that deliver it.

    ``label`` is the pledge's short name (its area and number); ``text`` the whole pledge.
    Empty if the package links no commitments to work.
    """
    plan = _linked_plan(plan, package)
    if plan is None:
        return pd.DataFrame(columns=["item_id", "pledge_area", "text", "work_areas", "label", "supported"])
    pi = plan_items(package)
    pledges = pi[(pi["kind"] == "pledge") & pi["parent_item_id"].isna() & (pi["document_id"] == plan)]
    links = load("pledge_links", package)
    # a pledge is delivered by work linked to it or to its sub-bullets
    parent = pi.set_index("item_id")["parent_item_id"]
    top = links["pledge_item_id"].map(lambda i: parent.get(i) if pd.notna(parent.get(i)) else i)
    per = links.assign(pledge=top).groupby("pledge")["work_area_item_id"].nunique()
    out = pledges[["item_id", "subsection", "text"]].rename(columns={"subsection": "pledge_area"})
    number = out["item_id"].str.rsplit("/", n=1).str[-1]
    out = out.assign(work_areas=out["item_id"].map(per).fillna(0).astype(int),
                     label=number + ". " + out["text"].map(short_title))
    out["supported"] = out["work_areas"] > 0
    return out.reset_index(drop=True)


def pledge_areas(plan: str | None = None, package: PackageLike = None) -> pd.DataFrame:
    """A plan's pledge areas side by side: pledges, sub-bullets, supported pledges, main topic.
    Empty if the package links no commitments to work."""
    plan = _linked_plan(plan, package)
    if plan is None:
        return pd.DataFrame(columns=["pledge_area", "pledges", "sub_bullets", "supported", "work_areas", "main_topic"])
    support = pledge_support(plan, package)
    items = coded_items(("pledge",), [plan], package)
    rows = []
    for area, g in items.groupby("subsection", sort=False):
        top = g[g["parent_item_id"].isna()]
        s = support[support["pledge_area"] == area]
        rows.append({"pledge_area": area, "pledges": len(top), "sub_bullets": len(g) - len(top),
                     "supported": int(s["supported"].sum()), "work_areas": int(s["work_areas"].sum()),
                     "main_topic": g["topic"].value_counts().index[0]})
    return pd.DataFrame(rows)


# ----------------------------------------------------------------------------- for people


def short_title(text: str, limit: int = 60) -> str:
    """A statement's first words, cut at a word boundary with an ellipsis past ``limit``
    characters: a chart's label (the whole text goes in its tooltip)."""
    text = " ".join(str(text).split())
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(",;:–-") + "…"


def show(frame: pd.DataFrame, caption: str):
    """A table for people: its caption, whole text (wrapping), and no index column; every cell and
    the caption HTML-escaped (a statement may hold ``<``). Returns a pandas Styler (needs jinja2,
    which the ``notebooks`` extra brings)."""
    import html

    return (frame.style.hide(axis="index").set_caption(html.escape(caption)).format(_number, na_rep="", escape="html")
            .set_table_attributes('class="lcplan-table"')
            .set_properties(**{"white-space": "normal", "text-align": "left"}))


def _number(x):
    """A cell as people read it: whole numbers with thousands separators, fractions to 3 places."""
    if isinstance(x, bool) or not isinstance(x, (int, float)):
        return x
    if pd.isna(x):
        return ""
    return f"{x:,.0f}" if float(x).is_integer() else f"{x:,.3f}"


def _pct(x: float) -> str:
    return f"{100 * x:.0f}%"


def _labels_of(table: str, field: str) -> dict[str, str]:
    from lcplan.registry import categories

    return {c["value"]: str(c.get("label", c["value"])).lower() for c in categories(table, field)}


def key_findings(package: PackageLike = None) -> list[str]:
    """The report's key findings in words and numbers, each computed from the package now:
    what the plans hold, how attention moved between topics, what the later plan kept, dropped
    and added, and how the claims stand against the evidence."""
    labels = plan_labels(package)
    items = plan_items(package)
    out = ["The plans hold " + "; ".join(
        f"{labels.get(d, d)}: {n:,} statements" for d, n in items.groupby("document_id").size().items()) + "."]
    kind_of = items.set_index("item_id")["kind"]
    kind_label = _labels_of("items", "kind")
    from lcplan.registry import kind_roles

    roles = kind_roles()
    for (doc, kind), g in items.groupby(["document_id", "kind"]):
        subs = int((g["parent_item_id"].map(kind_of) == kind).sum())
        if subs and roles.get(kind) != "narrative":
            out.append(f"{labels.get(doc, doc)} has {len(g) - subs} statements of kind {kind_label.get(kind, kind)}, "
                       f"plus {subs} sub-bullets under them ({len(g)} rows).")
    try:
        old, new = default_pair(package)
    except ValueError:
        return out
    lo, hi = labels[old], labels[new]
    att = topic_attention(plans=[old, new], package=package)
    wide = att.pivot_table(index="topic", columns="plan", values="share", observed=True).fillna(0.0)
    if lo in wide and hi in wide:
        for plan in (lo, hi):
            top = wide[plan].sort_values(ascending=False).head(3)
            out.append(f"In {plan} the numbered work goes most to " + ", ".join(
                f"{t} ({_pct(s)})" for t, s in top.items()) + ".")
        change = (wide[hi] - wide[lo]).sort_values()
        up, down = change.index[-1], change.index[0]
        out.append(f"From {lo} to {hi}, attention grew most for {up} ({_pct(wide.loc[up, lo])} to "
                   f"{_pct(wide.loc[up, hi])}) and fell most for {down} ({_pct(wide.loc[down, lo])} to "
                   f"{_pct(wide.loc[down, hi])}).")
    cw = crosswalk_items(old, new, package)
    rel = cw["relation"].astype("string").value_counts()
    rel_label = _labels_of("crosswalk", "relation")
    out.append(f"The crosswalk from {lo} to {hi} links {len(cw)} statements: " + ", ".join(
        f"{rel_label.get(r, r)} {int(rel[r])}" for r in _vocabulary("crosswalk", "relation") if rel.get(r, 0)) + ".")
    ev = claims_with_evidence(package=package)
    if len(ev):
        counts = ev["verdict"].astype("string").value_counts()
        verdict_label = _labels_of("evidence", "verdict")
        out.append(f"Of the {len(ev)} figures the plans assert, by the best evidence found for each: " + ", ".join(
            f"{verdict_label[v]} {int(counts[v])}" for v in _vocabulary("evidence", "verdict") if counts.get(v, 0)) + ".")
    return out
