"""Altair chart builders shared by every notebook and the report: one theme, titles,
axis labels and tooltips. Each function takes a DataFrame and returns a chart.

Charts are interactive offline: :func:`enable_offline` selects lcplan's ``interactive``
renderer, which writes each chart as HTML carrying its own copy of Vega, Vega-Lite and
Vega-Embed (the bundle vl-convert ships, loaded once per page), so JupyterLab, the classic
notebook, VS Code and the HTML report draw it with tooltips and hover highlights and no
request leaves the machine. ``enable_offline("svg")`` draws static SVG instead, for print;
``chart.save("x.svg")`` or ``.png`` exports one. Imports altair (the ``analysis`` extra).
"""

from __future__ import annotations

from typing import Any

import altair as alt
import pandas as pd

__all__ = ["enable_offline", "verdicts", "evidence_ratio", "fiscal_balance", "fiscal_per_head", "change_classes",
           "structure_flow", "topic_shares", "area_attention", "services_policy", "pledge_support", "pledge_areas",
           "plan_colours", "PALETTE"]

PALETTE = ["#1f4e79", "#e07b39", "#4a9c6d", "#b8404a", "#7d5ba6", "#8c8c8c", "#c9a227", "#3fa7b5"]
# colours of the verdicts, in the order the evidence schema defines them (best to least)
VERDICT_PALETTE = ["#4a9c6d", "#c9a227", "#b8404a", "#8c8c8c", "#c8c8c8", "#7d5ba6", "#3fa7b5"]
WIDTH = 560


def _theme() -> dict[str, Any]:
    return {
        "config": {
            "view": {"stroke": None, "continuousWidth": WIDTH, "continuousHeight": 300},
            "font": "Helvetica, Arial, sans-serif",
            "title": {"fontSize": 15, "anchor": "start", "subtitleFontSize": 12, "subtitleColor": "#555"},
            "axis": {"labelFontSize": 11, "titleFontSize": 12, "gridColor": "#e6e6e6", "domainColor": "#888"},
            "legend": {"labelFontSize": 11, "titleFontSize": 12, "orient": "bottom", "labelLimit": 320},
            "range": {"category": PALETTE},
            "bar": {"color": PALETTE[0]},
            "line": {"color": PALETTE[0], "strokeWidth": 2},
            "point": {"color": PALETTE[0], "size": 60},
        }
    }


BUNDLE_MARK = "data-lcplan-vega-bundle"  # the <script> that carries the bundle (the report moves it to one file)
EMBED_OPTIONS = {"renderer": "svg", "actions": False, "tooltip": {"theme": "light"}}


def vega_bundle() -> str:
    """Vega, Vega-Lite and Vega-Embed as one script (from vl-convert: no download), which sets
    ``window.vegaEmbed``."""
    global _BUNDLE
    if _BUNDLE is None:
        import vl_convert as vlc
        from altair.utils._importers import vl_version_for_vl_convert

        _BUNDLE = vlc.javascript_bundle(vl_version=vl_version_for_vl_convert())
    return _BUNDLE


_BUNDLE: str | None = None


def chart_html(spec: dict[str, Any], div_id: str) -> str:
    """One chart as an HTML fragment that draws itself offline: the bundle (run only if no earlier
    output on the page ran it), then the chart, each in its own scope so charts never collide."""
    import json

    bundle = vega_bundle().replace("</script", "<\\/script")
    spec_json = json.dumps(spec).replace("</", "<\\/")
    return (f'<div id="{div_id}" class="lcplan-chart"></div>\n'
            f'<script {BUNDLE_MARK}="1">if (!window.vegaEmbed) {{ (function() {{\n{bundle}\n}})(); }}</script>\n'
            f'<script>(function() {{ const spec = {spec_json}; '
            f'window.vegaEmbed("#{div_id}", spec, {json.dumps(EMBED_OPTIONS)}).catch(console.error); }})();</script>')


def _interactive_renderer(spec: dict[str, Any], **metadata: Any) -> dict[str, str]:
    import uuid

    return {"text/html": chart_html(spec, f"lcplan-chart-{uuid.uuid4().hex[:12]}")}


def enable_offline(renderer: str = "interactive") -> None:
    """Use lcplan's theme and a renderer that needs no network: ``interactive`` (HTML with
    tooltips and hover, the default) or ``svg`` (static, for print)."""
    if "lcplan" not in alt.theme.names():
        alt.theme.register("lcplan", enable=False)(_theme)
    alt.theme.enable("lcplan")
    if renderer == "interactive":
        alt.renderers.register("lcplan-interactive", _interactive_renderer)
        alt.renderers.enable("lcplan-interactive")
    else:
        alt.renderers.enable(renderer)


LINKS_ENV = "LCPLAN_REPORT_LINKS"  # set while the report runs the notebooks: marks link to sources


def _links(frame: pd.DataFrame, id_col: str) -> tuple[pd.DataFrame, dict[str, Any]]:
    """In the report (:func:`lcplan.report.build_report` sets LINKS_ENV while it runs the notebooks), a mark that
    stands for a statement links to the statement's source lines: ``href`` from its item ID
    (a claim's ID starts with its item's). Elsewhere, no link."""
    import os


    if not os.environ.get(LINKS_ENV) or id_col not in frame:
        return frame, {}
    item = frame[id_col].astype("string").str.split("/claim/").str[0]
    href = "source-" + item.str.split("/").str[0] + ".html#" + item
    return frame.assign(href=href), {"href": alt.Href("href:N")}


def _title(text: str, subtitle: str | None = None) -> alt.TitleParams:
    return alt.TitleParams(text, subtitle=subtitle or [])


def _verdict_scale(frame: pd.DataFrame) -> tuple[pd.DataFrame, list[str], alt.Scale]:
    """The frame with ``verdict_label`` (the schema's label of each verdict), the labels in the
    schema's order, and their colour scale."""
    from lcplan.registry import categories

    cats = categories("evidence", "verdict")
    labels = {c["value"]: c.get("label", c["value"]) for c in cats}
    order = list(labels.values())
    frame = frame.assign(verdict_label=frame["verdict"].astype("string").map(labels))
    return frame, order, alt.Scale(domain=order, range=VERDICT_PALETTE[:len(order)])


def verdicts(frame: pd.DataFrame) -> alt.Chart:
    """Each claim as a dot in the column of the best verdict its evidence gives.

    ``frame``: ``lcplan.analysis.claims_with_evidence()`` (``label``, ``verdict``, ``publisher``).
    """
    frame, order, scale = _verdict_scale(frame)
    frame, link = _links(frame, "claim_id")
    return (
        alt.Chart(frame, title=_title("What the evidence says about each claim",
                                      "Best verdict among the sources found for each quantity the plans assert"))
        .mark_circle(size=140, opacity=1)
        .encode(
            y=alt.Y("label:N", sort=None, title=None, axis=alt.Axis(labelLimit=480)),
            x=alt.X("verdict_label:N", title="Verdict", sort=order, scale=alt.Scale(domain=order),
                    axis=alt.Axis(labelAngle=0, orient="top")),
            color=alt.Color("verdict_label:N", legend=None, scale=scale),
            tooltip=[alt.Tooltip("label:N", title="Claim"), alt.Tooltip("verdict_label:N", title="Verdict"),
                     alt.Tooltip("publisher:N", title="Source"), alt.Tooltip("statement:N", title="Statement")],
            **link,
        )
        .properties(width=alt.Step(90), height=alt.Step(20))
    )


def evidence_ratio(frame: pd.DataFrame) -> alt.LayerChart:
    """Figure found ÷ figure claimed, for claims whose evidence has a figure in the same unit."""
    data, order, scale = _verdict_scale(frame.dropna(subset=["ratio"]))
    data, link = _links(data, "claim_id")
    base = alt.Chart(data, title=_title("Figure found ÷ figure claimed",
                                        "1 means the source matches the plan; log scale"))
    dots = base.mark_circle(size=140, opacity=1).encode(
        y=alt.Y("label:N", sort=None, title=None, axis=alt.Axis(labelLimit=480)),
        x=alt.X("ratio:Q", title="Found ÷ claimed", scale=alt.Scale(type="log", domain=[0.5, 3])),
        color=alt.Color("verdict_label:N", title="Verdict", scale=scale),
        tooltip=[alt.Tooltip("label:N", title="Claim"), alt.Tooltip("ratio:Q", format=".3f", title="Found ÷ claimed"),
                 alt.Tooltip("reference_period:N", title="Period"), alt.Tooltip("publisher:N", title="Source"),
                 alt.Tooltip("statement:N", title="Statement")],
        **link,
    )
    one = alt.Chart(pd.DataFrame({"x": [1.0]})).mark_rule(color="#555", strokeDash=[3, 3]).encode(x="x:Q")
    return alt.layer(one, dots).properties(width=WIDTH - 200, height=alt.Step(20))


def targets_timeline(frame: pd.DataFrame, by: str = "plan") -> alt.Chart:
    """Each dated target as a dot at the date it is due, one row a target (its level and what it is
    of), coloured by plan (``by="organisation"``: by body, to compare bodies on one timeline);
    hover for the baseline, scope and whole statement.

    ``frame``: ``lcplan.analysis.targets()`` (``plan``, ``organisation``, ``due``, ``subject``,
    ``level``); targets with no date are left out (the notebook lists them).
    """
    if by not in ("plan", "organisation"):
        raise ValueError(f"by must be 'plan' or 'organisation', not {by!r}")
    who = "Plan" if by == "plan" else "Body"
    from lcplan.analysis import short_title

    data = frame.dropna(subset=["due"]).sort_values(["due", "plan"])
    data = data.assign(
        plan=data["plan"].astype(str), organisation=data["organisation"].astype(str),
        label=[f"{lv} — {short_title(sj, 60)}" for lv, sj in zip(data["level"], data["subject"])],
        # placed at the year (or month) the plan names: "by 2022" on the 2022 tick
        at=pd.to_datetime(data["target_date"].astype(str).str.slice(0, 7).where(
            data["target_date"].astype(str).str.len() > 4, data["target_date"].astype(str) + "-01"), format="%Y-%m"),
        baseline=data["baseline_year"].astype("string").fillna("not stated"),
        scope=data["scope_label"].astype("string").fillna("not stated"),
    )
    data, link = _links(data, "claim_id")
    years = pd.DatetimeIndex(data["at"]).year
    domain = [f"{years.min() - 1}-07-01", f"{years.max() + 1}-07-01"] if len(data) else None
    return (
        alt.Chart(data, title=_title("Targets by the date they are due",
                                     "Each target a plan states with a date: its level and what it is of; hover a "
                                     "dot for the baseline, scope and whole statement"))
        .mark_point(size=150, filled=True, opacity=0.95)
        .encode(
            x=alt.X("at:T", title="Due by", scale=alt.Scale(domain=domain),
                    axis=alt.Axis(format="%Y", tickCount={"interval": "year", "step": 1}, grid=True)),
            y=alt.Y("label:N", title=None, sort=None, axis=alt.Axis(labelLimit=420)),
            color=alt.Color(f"{by}:N", title=who, scale=_plan_scale(frame, by), sort=_plans(frame, by)),
            tooltip=[alt.Tooltip("plan:N", title="Plan"), alt.Tooltip("organisation:N", title="Body"),
                     alt.Tooltip("subject:N", title="Target"),
                     alt.Tooltip("level:N", title="Level"), alt.Tooltip("target_date:N", title="Due by"),
                     alt.Tooltip("baseline:N", title="Baseline year"), alt.Tooltip("scope:N", title="Scope"),
                     alt.Tooltip("statement:N", title="Statement")],
            **link,
        )
        .properties(width=WIDTH - 200, height=alt.Step(24))
    )


def fiscal_balance(frame: pd.DataFrame, claim_value: float | None = None) -> alt.LayerChart:
    """An area's net fiscal balance by year and series, with the plan's claim as a rule.

    ``frame``: ``lcplan.analysis.fiscal_context()`` (``reference_period``, ``series_label``,
    ``value_bn``, ``basis_label``).
    """
    data = _with_gaps(frame.dropna(subset=["value_bn"]))
    base = alt.Chart(data, title=_title("Net fiscal balance, as published",
                                        "£ billion, by series (series of different methods are not comparable); "
                                        "a gap where a year has no figure"))
    points = base.mark_line(point=True, invalid="break-paths-show-domains").encode(
        x=alt.X("year_start:T", title="Financial year (starting April)", axis=alt.Axis(format="%Y")),
        y=alt.Y("value_bn:Q", title="£ billion"),
        color=alt.Color("series_label:N", title="Series"),
        tooltip=[alt.Tooltip("reference_period:N", title="Financial year"), alt.Tooltip("series_label:N", title="Series"),
                 alt.Tooltip("value_bn:Q", format=".1f", title="£bn"), alt.Tooltip("basis_label:N", title="Total")],
    )
    layers: list[alt.Chart] = [points]
    if claim_value is not None:
        rule = alt.Chart(pd.DataFrame({"claim": [claim_value / 1e9], "label": [f"plan: £{claim_value / 1e9:.1f}bn"]}))
        layers.append(rule.mark_rule(strokeDash=[4, 4], color="#b8404a").encode(y="claim:Q"))
        layers.append(rule.mark_text(align="left", dx=4, dy=-6, color="#b8404a").encode(
            y="claim:Q", x=alt.value(0), text="label:N"))
    return alt.layer(*layers).properties(width=WIDTH, height=300)


def _with_gaps(frame: pd.DataFrame) -> pd.DataFrame:
    """Each series with an empty row for every year between its first and last that has no figure,
    so that a line breaks across the gap instead of joining the years either side."""
    rows = [frame]
    for label, g in frame.groupby("series_label"):
        years = set(g["year_start"].dt.year)
        for y in range(min(years), max(years) + 1):
            if y not in years:
                rows.append(pd.DataFrame({"series_label": [label], "year_start": [pd.Timestamp(f"{y}-04-01")],
                                          "reference_period": [f"{y}/{(y + 1) % 100:02d}"], "value_bn": [None]}))
    return pd.concat(rows, ignore_index=True).sort_values(["series_label", "year_start"])


def fiscal_per_head(frame: pd.DataFrame) -> alt.Chart:
    """Net fiscal balance per head (ONS first published), bars below zero in red."""
    data = frame.dropna(subset=["per_head"])
    return (
        alt.Chart(data, title=_title("Net fiscal balance per head", "£ per head, ONS as first published"))
        .mark_bar()
        .encode(
            x=alt.X("year_start:T", title="Financial year (starting April)",
                    axis=alt.Axis(format="%Y", tickCount={"interval": "year", "step": 1})),
            y=alt.Y("per_head:Q", title="£ per head"),
            color=alt.condition("datum.per_head < 0", alt.value("#b8404a"), alt.value(PALETTE[0])),
            tooltip=[alt.Tooltip("reference_period:N", title="Financial year"), alt.Tooltip("per_head:Q", format=",.0f", title="£ per head")],
        )
        .properties(width=WIDTH, height=260)
    )


RELATION_COLOURS = {"same": "#1f4e79", "revised": "#4a9c6d", "related": "#c9a227", "new": "#e07b39",
                    "dropped": "#b8404a"}


def change_classes(counts: pd.DataFrame, side: str = "area of the later plan") -> alt.Chart:
    """Stacked bars: how many statements of each area were kept, revised, related, new or dropped.

    ``counts``: ``lcplan.analysis.change_counts()`` (areas as rows, relations as columns).
    """
    long = counts.reset_index().melt(id_vars=counts.index.name or "index", var_name="relation", value_name="n")
    area = counts.index.name or "index"
    order = [r for r in RELATION_COLOURS if r in counts.columns]
    return (
        alt.Chart(long[long["n"] > 0], title=_title(f"What changed, by {side}",
                                                    "Statements by their relation to the other plan (crosswalk)"))
        .mark_bar()
        .encode(
            y=alt.Y(f"{area}:N", title=None, sort="-x", axis=alt.Axis(labelLimit=300)),
            x=alt.X("sum(n):Q", title="Statements", axis=alt.Axis(tickMinStep=1)),
            color=alt.Color("relation:N", title="Relation", sort=order,
                            scale=alt.Scale(domain=order, range=[RELATION_COLOURS[r] for r in order])),
            order=alt.Order("relation_rank:Q"),
            tooltip=[alt.Tooltip(f"{area}:N", title="Area"), alt.Tooltip("relation:N", title="Relation"), alt.Tooltip("n:Q", title="Statements")],
        )
        .transform_calculate(relation_rank=f"indexof({order!r}, datum.relation)")
        .properties(width=WIDTH - 200, height=alt.Step(22))
    )


def structure_flow(flow: pd.DataFrame) -> alt.LayerChart:
    """A flow between two outlines: the earlier plan's areas on the left, the later plan's on the
    right, one line per pair of linked areas, thicker for more linked statements.

    ``flow``: ``lcplan.analysis.structure_flow()`` (``from_area``, ``to_portfolio``, ``links``,
    ``from_plan``, ``to_plan``).
    """
    left = sorted(flow["from_area"].unique(), key=lambda a: list(flow["from_area"]).index(a))
    right = sorted(flow["to_portfolio"].unique())
    pos_l = {a: i / max(1, len(left) - 1) for i, a in enumerate(left)}
    pos_r = {a: i / max(1, len(right) - 1) for i, a in enumerate(right)}
    old, new = (flow["from_plan"].iloc[0], flow["to_plan"].iloc[0]) if len(flow) else ("earlier", "later")
    rows = []
    for k, r in enumerate(flow.itertuples()):
        for x, name, y in ((0, r.from_area, pos_l[r.from_area]), (1, r.to_portfolio, pos_r[r.to_portfolio])):
            rows.append({"pair": k, "x": x, "y": y, "area": name, "links": r.links, "from_area": r.from_area,
                         "to_portfolio": r.to_portfolio})
    data = pd.DataFrame(rows, columns=["pair", "x", "y", "area", "links", "from_area", "to_portfolio"])
    y = alt.Y("y:Q", axis=None, scale=alt.Scale(domain=[-0.03, 1.03], reverse=True))
    lines = alt.Chart(data).mark_line(opacity=0.45, color=PALETTE[0]).encode(
        x=alt.X("x:Q", axis=None, scale=alt.Scale(domain=[0, 1])), y=y, detail="pair:N",
        strokeWidth=alt.StrokeWidth("links:Q", title="Linked statements", scale=alt.Scale(range=[1, 8])),
        tooltip=[alt.Tooltip("from_area:N", title=f"{old} area"), alt.Tooltip("to_portfolio:N", title=f"{new} area"),
                 alt.Tooltip("links:Q", title="Linked statements")],
    )
    nodes = data.drop_duplicates(["x", "area"]).copy()
    nodes["plan"] = nodes["x"].map({0: old, 1: new})
    linked = pd.concat([flow.groupby("from_area")["links"].sum().rename_axis("area").reset_index().assign(x=0),
                        flow.groupby("to_portfolio")["links"].sum().rename_axis("area").reset_index().assign(x=1)])
    nodes = nodes.drop(columns="links").merge(linked, on=["x", "area"], how="left")
    labels_l = alt.Chart(nodes[nodes["x"] == 0]).mark_text(align="right", dx=-8, fontSize=11).encode(
        x=alt.X("x:Q"), y=y, text="area:N")
    labels_r = alt.Chart(nodes[nodes["x"] == 1]).mark_text(align="left", dx=8, fontSize=11).encode(
        x=alt.X("x:Q"), y=y, text="area:N")
    dots = alt.Chart(nodes).mark_circle(size=60, color="#333").encode(
        x="x:Q", y=y, tooltip=[alt.Tooltip("plan:N", title="Plan"), alt.Tooltip("area:N", title="Area"),
                               alt.Tooltip("links:Q", title="Linked statements")])
    return alt.layer(lines, dots, labels_l, labels_r).properties(
        width=260, height=460,
        title=_title("From one outline to the next",
                     f"{old} areas (left) linked to {new} areas (right) by the crosswalk"))


def plan_colours(plans: list[str]) -> dict[str, str]:
    """A colour per plan from the ordered palette: the latest plan first colour, then backwards in time.

    ``plans``: labels oldest first (the categories of an analysis frame's ``plan`` column).
    """
    return {p: PALETTE[i % len(PALETTE)] for i, p in enumerate(reversed(plans))}


def _plans(frame: pd.DataFrame, by: str = "plan") -> list[str]:
    col = frame[by]
    present = set(col.dropna().astype(str))
    order = list(col.cat.categories) if hasattr(col, "cat") else sorted(present)
    return [str(p) for p in order if str(p) in present]


def _plan_scale(frame: pd.DataFrame, by: str = "plan") -> alt.Scale:
    colours = plan_colours(_plans(frame, by))
    return alt.Scale(domain=list(colours)[::-1], range=list(colours.values())[::-1])


def topic_shares(frame: pd.DataFrame) -> alt.Chart:
    """Share of each plan's statements of work by primary topic, plans side by side; or each
    body's, when ``frame`` compares bodies.

    ``frame``: ``lcplan.analysis.topic_attention()`` (``plan``, ``topic``, ``items``, ``share``),
    or ``topic_attention(by="organisation")`` (``organisation`` in place of ``plan``).
    """
    by = "plan" if "plan" in frame.columns else "organisation"
    who = {"plan": ("plan", "Plan"), "organisation": ("body", "Body")}[by]
    data = frame.assign(**{by: frame[by].astype(str)})
    # click a plan (a body) in the legend to show it alone; hover a topic to pick out its bars
    pick = alt.selection_point(name="plan_pick", fields=[by], bind="legend")
    hover = alt.selection_point(name="topic_hover", on="pointerover", fields=["topic"], empty=False,
                                clear="pointerout")
    return (
        alt.Chart(data, title=_title("Where the plans put their attention" if by == "plan"
                                     else "Where each body puts its attention",
                                     "Share of statements of work by primary Comparative Agendas Project topic; "
                                     f"click a {who[0]} in the legend to show it alone"))
        .mark_bar()
        .add_params(pick, hover)
        .encode(
            opacity=alt.condition(pick, alt.value(1.0), alt.value(0.15)),
            stroke=alt.condition(hover, alt.value("#222"), alt.value(None)),
            y=alt.Y("topic:N", title=None, sort=alt.EncodingSortField("items", op="sum", order="descending")),
            x=alt.X("share:Q", title=f"Share of the {who[0]}'s statements", axis=alt.Axis(format="%")),
            yOffset=alt.YOffset(f"{by}:N", sort=_plans(frame, by)),
            color=alt.Color(f"{by}:N", title=who[1], scale=_plan_scale(frame, by), sort=_plans(frame, by)),
            tooltip=[alt.Tooltip(f"{by}:N", title=who[1]), alt.Tooltip("topic:N", title="Topic"),
                     alt.Tooltip("items:Q", title="Statements"),
                     alt.Tooltip("share:Q", format=".1%", title=f"Share of the {who[0]}'s")],
        )
        .properties(width=WIDTH - 160, height=alt.Step(11))
    )


def area_attention(frame: pd.DataFrame) -> alt.VConcatChart:
    """Statements of work per area, one panel per plan (newest first), in the plan's colour.

    ``frame``: ``lcplan.analysis.area_attention()`` (``plan``, ``area``, ``items``).
    """
    colours = plan_colours(_plans(frame))
    panels = []
    for plan in reversed(_plans(frame)):
        data = frame[frame["plan"].astype(str) == plan].assign(plan=plan)
        panels.append(
            alt.Chart(data, title=_title(f"Statements of work by area, {plan}"))
            .mark_bar(color=colours[plan])
            .encode(
                y=alt.Y("area:N", title=None, sort="-x", axis=alt.Axis(labelLimit=300)),
                x=alt.X("items:Q", title="Statements of work", axis=alt.Axis(tickMinStep=1)),
                tooltip=[alt.Tooltip("plan:N", title="Plan"), alt.Tooltip("area:N", title="Area"), alt.Tooltip("items:Q", title="Statements")],
            )
            .properties(width=WIDTH - 260, height=alt.Step(18))
        )
    return alt.vconcat(*panels)


def services_policy(frame: pd.DataFrame) -> alt.Chart:
    """Policy work against services, as shares of each plan's statements of work."""
    data = frame.assign(plan=frame["plan"].astype(str))
    return (
        alt.Chart(data, title=_title("Services versus policy work",
                                     "Statements of work under the policy directorate, and the rest (services)"))
        .mark_bar()
        .encode(
            y=alt.Y("plan:N", title=None, sort=_plans(frame)),
            x=alt.X("share:Q", title="Share of statements", axis=alt.Axis(format="%"), stack="normalize"),
            color=alt.Color("work_type:N", title=None, scale=alt.Scale(domain=["policy", "services"],
                                                                      range=[PALETTE[0], PALETTE[2]])),
            tooltip=[alt.Tooltip("plan:N", title="Plan"), alt.Tooltip("work_type:N", title="Work"), alt.Tooltip("items:Q", title="Statements"), alt.Tooltip("share:Q", format=".0%", title="Share")],
        )
        .properties(width=WIDTH - 100, height=alt.Step(36))
    )


def pledge_support(frame: pd.DataFrame) -> alt.LayerChart:
    """Each pledge (its short title; the whole pledge in the tooltip) with the number of work
    items that deliver it: a dot at the count, on a stem from zero, red where none does (so a
    pledge with no work still shows). Hovering a pledge highlights it.

    ``frame``: ``lcplan.analysis.pledge_support()`` (``label``, ``pledge_area``, ``text``, ``work_areas``).
    """
    frame, link = _links(frame, "item_id")
    hover = alt.selection_point(name="pledge_hover", on="pointerover", fields=["label"], empty=False, clear="pointerout")
    colour = alt.Color("supported:N", title="Has work that delivers it",
                       scale=alt.Scale(domain=[True, False], range=[PALETTE[2], "#b8404a"]),
                       legend=alt.Legend(labelExpr="datum.value ? 'yes' : 'no'"))
    y = alt.Y("label:N", title=None, sort=None, axis=alt.Axis(labelLimit=420))
    tooltip = [alt.Tooltip("pledge_area:N", title="Area"), alt.Tooltip("text:N", title="Pledge"),
               alt.Tooltip("work_areas:Q", title="Work items")]
    base = alt.Chart(frame, title=_title("Pledges and the work that delivers them",
                                         "Work items linked to each pledge (or its sub-bullets) in pledge_links; "
                                         "hover for the whole pledge"))
    stems = base.mark_rule(strokeWidth=2).encode(y=y, x=alt.X("zero:Q", title="Work items"), x2="work_areas:Q",
                                                 color=colour).transform_calculate(zero="0")
    dots = base.mark_circle(size=90, opacity=1).encode(
        y=y, x=alt.X("work_areas:Q", title="Work items", axis=alt.Axis(tickMinStep=1)), color=colour,
        size=alt.condition(hover, alt.value(220), alt.value(90)), tooltip=tooltip, **link).add_params(hover)
    return alt.layer(stems, dots).properties(width=WIDTH - 320, height=alt.Step(14))


def pledge_areas(frame: pd.DataFrame) -> alt.Chart:
    """A plan's pledge areas side by side: pledges and their sub-bullets."""
    long = frame.melt(id_vars=["pledge_area", "main_topic"], value_vars=["pledges", "sub_bullets"],
                      var_name="what", value_name="n").replace({"what": {"sub_bullets": "sub-bullets"}})
    return (
        alt.Chart(long, title=_title(f"The {len(frame)} pledge areas", "Pledges and their sub-bullets"))
        .mark_bar()
        .encode(
            y=alt.Y("pledge_area:N", title=None, sort=None, axis=alt.Axis(labelLimit=300)),
            x=alt.X("sum(n):Q", title="Statements", axis=alt.Axis(tickMinStep=1)),
            color=alt.Color("what:N", title=None, scale=alt.Scale(domain=["pledges", "sub-bullets"],
                                                                 range=[PALETTE[0], "#9db7d3"])),
            tooltip=[alt.Tooltip("pledge_area:N", title="Pledge area"), alt.Tooltip("what:N", title="Counted"),
                     alt.Tooltip("n:Q", title="Statements"), alt.Tooltip("main_topic:N", title="Main topic")],
        )
        .properties(width=WIDTH - 260, height=alt.Step(22))
    )
