"""Altair chart builders shared by every notebook and the report: one theme, titles,
axis labels and tooltips. Each function takes a DataFrame and returns a chart.

Charts render offline: :func:`enable_offline` selects Altair's ``svg`` renderer, which
draws each chart to static SVG with vl-convert inside the kernel, so JupyterLab, an
exported HTML page or a browser shows it with no network and no JavaScript. (Altair 6
emits the Vega-Lite 6 mimetype, which JupyterLab 4's built-in renderer does not take;
tooltips are the price of SVG.) Imports altair (the ``analysis`` extra).
"""

from __future__ import annotations

from typing import Any

import altair as alt
import pandas as pd

__all__ = ["enable_offline", "verdicts", "evidence_ratio", "fiscal_balance", "fiscal_per_head", "change_classes",
           "structure_flow", "topic_shares", "area_attention", "services_policy", "pledge_support", "pledge_areas",
           "PALETTE"]

PALETTE = ["#1f4e79", "#e07b39", "#4a9c6d", "#b8404a", "#7d5ba6", "#8c8c8c", "#c9a227", "#3fa7b5"]
VERDICT_COLOURS = {"supports": "#4a9c6d", "partly_supports": "#c9a227", "contradicts": "#b8404a",
                   "not_found": "#8c8c8c", "not_checkable": "#c8c8c8"}
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


def enable_offline(renderer: str = "svg") -> None:
    """Use lcplan's theme and a renderer that needs no network (static SVG by default)."""
    if "lcplan" not in alt.theme.names():
        alt.theme.register("lcplan", enable=False)(_theme)
    alt.theme.enable("lcplan")
    alt.renderers.enable(renderer)


def _title(text: str, subtitle: str | None = None) -> alt.TitleParams:
    return alt.TitleParams(text, subtitle=subtitle or [])


def verdicts(frame: pd.DataFrame) -> alt.Chart:
    """Each claim as a dot in the column of the best verdict its evidence gives.

    ``frame``: ``lcplan.analysis.claims_with_evidence()`` (``label``, ``verdict``, ``publisher``).
    """
    order = list(VERDICT_COLOURS)
    return (
        alt.Chart(frame, title=_title("What the evidence says about each claim",
                                      "Best verdict among the sources found for each quantity the plans assert"))
        .mark_circle(size=140, opacity=1)
        .encode(
            y=alt.Y("label:N", sort=None, title=None, axis=alt.Axis(labelLimit=480)),
            x=alt.X("verdict:N", title="Verdict", sort=order, scale=alt.Scale(domain=order),
                    axis=alt.Axis(labelAngle=0, orient="top")),
            color=alt.Color("verdict:N", legend=None,
                            scale=alt.Scale(domain=order, range=list(VERDICT_COLOURS.values()))),
            tooltip=[alt.Tooltip("label:N", title="Claim"), alt.Tooltip("verdict:N", title="Verdict"),
                     alt.Tooltip("publisher:N", title="Source")],
        )
        .properties(width=alt.Step(90), height=alt.Step(20))
    )


def evidence_ratio(frame: pd.DataFrame) -> alt.LayerChart:
    """Figure found ÷ figure claimed, for claims whose evidence has a figure in the same unit."""
    data = frame.dropna(subset=["ratio"])
    base = alt.Chart(data, title=_title("Figure found ÷ figure claimed",
                                        "1 means the source matches the plan; log scale"))
    dots = base.mark_circle(size=140, opacity=1).encode(
        y=alt.Y("label:N", sort=None, title=None, axis=alt.Axis(labelLimit=480)),
        x=alt.X("ratio:Q", title="Found ÷ claimed", scale=alt.Scale(type="log", domain=[0.5, 3])),
        color=alt.Color("verdict:N", title="Verdict", scale=alt.Scale(domain=list(VERDICT_COLOURS),
                                                                      range=list(VERDICT_COLOURS.values()))),
        tooltip=[alt.Tooltip("label:N", title="Claim"), alt.Tooltip("ratio:Q", format=".3f"),
                 alt.Tooltip("reference_period:N", title="Period"), alt.Tooltip("publisher:N", title="Source")],
    )
    one = alt.Chart(pd.DataFrame({"x": [1.0]})).mark_rule(color="#555", strokeDash=[3, 3]).encode(x="x:Q")
    return alt.layer(one, dots).properties(width=WIDTH - 200, height=alt.Step(20))


def fiscal_balance(frame: pd.DataFrame, claim_value: float | None = None) -> alt.LayerChart:
    """London's net fiscal balance by year and series, with the plan's claim as a rule.

    ``frame``: ``lcplan.analysis.fiscal_context()`` (``reference_period``, ``series_label``,
    ``value_bn``).
    """
    data = frame.dropna(subset=["value_bn"])
    base = alt.Chart(data, title=_title("London's net fiscal balance, as published",
                                        "£ billion; ONS releases and a City of London Corporation / Cebr series (another method)"))
    points = base.mark_line(point=True).encode(
        x=alt.X("reference_period:O", title="Financial year", axis=alt.Axis(labelAngle=0)),
        y=alt.Y("value_bn:Q", title="£ billion"),
        color=alt.Color("series_label:N", title="Series"),
        tooltip=["reference_period:N", "series_label:N", alt.Tooltip("value_bn:Q", format=".1f", title="£bn")],
    )
    layers: list[alt.Chart] = [points]
    if claim_value is not None:
        rule = alt.Chart(pd.DataFrame({"claim": [claim_value / 1e9], "label": [f"plan: £{claim_value / 1e9:.1f}bn"]}))
        layers.append(rule.mark_rule(strokeDash=[4, 4], color="#b8404a").encode(y="claim:Q"))
        layers.append(rule.mark_text(align="left", dx=4, dy=-6, color="#b8404a").encode(
            y="claim:Q", x=alt.value(0), text="label:N"))
    return alt.layer(*layers).properties(width=WIDTH, height=300)


def fiscal_per_head(frame: pd.DataFrame) -> alt.Chart:
    """Net fiscal balance per head (ONS first published), bars below zero in red."""
    data = frame.dropna(subset=["per_head"])
    return (
        alt.Chart(data, title=_title("Net fiscal balance per Londoner", "£ per head, ONS as first published"))
        .mark_bar()
        .encode(
            x=alt.X("reference_period:O", title="Financial year", axis=alt.Axis(labelAngle=0)),
            y=alt.Y("per_head:Q", title="£ per head"),
            color=alt.condition("datum.per_head < 0", alt.value("#b8404a"), alt.value(PALETTE[0])),
            tooltip=["reference_period:N", alt.Tooltip("per_head:Q", format=",.0f", title="£ per head")],
        )
        .properties(width=WIDTH, height=260)
    )


RELATION_COLOURS = {"same": "#1f4e79", "revised": "#4a9c6d", "related": "#c9a227", "new": "#e07b39",
                    "dropped": "#b8404a"}


def change_classes(counts: pd.DataFrame, side: str = "2019/20 portfolio") -> alt.Chart:
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
            tooltip=[alt.Tooltip(f"{area}:N", title="Area"), "relation:N", alt.Tooltip("n:Q", title="Statements")],
        )
        .transform_calculate(relation_rank=f"indexof({order!r}, datum.relation)")
        .properties(width=WIDTH - 200, height=alt.Step(22))
    )


def structure_flow(flow: pd.DataFrame) -> alt.LayerChart:
    """A flow between the two outlines: 2017/18 areas on the left, 2019/20 portfolios on the
    right, one line per pair of linked areas, thicker for more linked statements.

    ``flow``: ``lcplan.analysis.structure_flow()`` (``from_area``, ``to_portfolio``, ``links``).
    """
    left = sorted(flow["from_area"].unique(), key=lambda a: list(flow["from_area"]).index(a))
    right = sorted(flow["to_portfolio"].unique())
    pos_l = {a: i / max(1, len(left) - 1) for i, a in enumerate(left)}
    pos_r = {a: i / max(1, len(right) - 1) for i, a in enumerate(right)}
    rows = []
    for k, r in enumerate(flow.itertuples()):
        for side, name, y in (("2017/18", r.from_area, pos_l[r.from_area]), ("2019/20", r.to_portfolio, pos_r[r.to_portfolio])):
            rows.append({"pair": k, "side": side, "x": 0 if side == "2017/18" else 1, "y": y, "area": name,
                         "links": r.links, "from_area": r.from_area, "to_portfolio": r.to_portfolio})
    data = pd.DataFrame(rows)
    y = alt.Y("y:Q", axis=None, scale=alt.Scale(domain=[-0.03, 1.03], reverse=True))
    lines = alt.Chart(data).mark_line(opacity=0.45, color=PALETTE[0]).encode(
        x=alt.X("x:Q", axis=None, scale=alt.Scale(domain=[0, 1])), y=y, detail="pair:N",
        strokeWidth=alt.StrokeWidth("links:Q", title="Linked statements", scale=alt.Scale(range=[1, 8])),
        tooltip=["from_area:N", "to_portfolio:N", "links:Q"],
    )
    nodes = data.drop_duplicates(["side", "area"])
    labels_l = alt.Chart(nodes[nodes["side"] == "2017/18"]).mark_text(align="right", dx=-8, fontSize=11).encode(
        x=alt.X("x:Q"), y=y, text="area:N")
    labels_r = alt.Chart(nodes[nodes["side"] == "2019/20"]).mark_text(align="left", dx=8, fontSize=11).encode(
        x=alt.X("x:Q"), y=y, text="area:N")
    dots = alt.Chart(nodes).mark_circle(size=50, color="#333").encode(x="x:Q", y=y)
    return alt.layer(lines, dots, labels_l, labels_r).properties(
        width=260, height=460,
        title=_title("From directorates to portfolios",
                     "2017/18 priority areas (left) linked to 2019/20 portfolios (right) by the crosswalk"))


PLAN_COLOURS = {"2017/18": PALETTE[1], "2019/20": PALETTE[0]}


def topic_shares(frame: pd.DataFrame) -> alt.Chart:
    """Share of each plan's numbered statements by primary CAP topic, plans side by side.

    ``frame``: ``lcplan.analysis.topic_attention()`` (``plan_year``, ``topic``, ``items``, ``share``).
    """
    return (
        alt.Chart(frame, title=_title("Where the plans put their attention",
                                      "Share of numbered statements by primary Comparative Agendas Project topic"))
        .mark_bar()
        .encode(
            y=alt.Y("topic:N", title=None, sort=alt.EncodingSortField("items", op="sum", order="descending")),
            x=alt.X("share:Q", title="Share of the plan's statements", axis=alt.Axis(format="%")),
            yOffset=alt.YOffset("plan_year:N"),
            color=alt.Color("plan_year:N", title="Plan", scale=alt.Scale(domain=list(PLAN_COLOURS),
                                                                         range=list(PLAN_COLOURS.values()))),
            tooltip=["plan_year:N", "topic:N", "items:Q", alt.Tooltip("share:Q", format=".1%")],
        )
        .properties(width=WIDTH - 160, height=alt.Step(11))
    )


def area_attention(frame: pd.DataFrame, plan_year: str) -> alt.Chart:
    """Numbered statements per area (2017/18 priority area or 2019/20 portfolio) of one plan."""
    data = frame[frame["plan_year"] == plan_year]
    return (
        alt.Chart(data, title=_title(f"Statements by {'portfolio' if plan_year == '2019/20' else 'area'}, {plan_year}"))
        .mark_bar(color=PLAN_COLOURS.get(plan_year, PALETTE[0]))
        .encode(
            y=alt.Y("area:N", title=None, sort="-x", axis=alt.Axis(labelLimit=300)),
            x=alt.X("items:Q", title="Numbered statements", axis=alt.Axis(tickMinStep=1)),
            tooltip=["area:N", "items:Q"],
        )
        .properties(width=WIDTH - 260, height=alt.Step(18))
    )


def services_policy(frame: pd.DataFrame) -> alt.Chart:
    """Policy work against services, as shares of each plan's numbered statements."""
    return (
        alt.Chart(frame, title=_title("Services versus policy work",
                                      "Numbered statements under Policy and Public Affairs, and the rest (services)"))
        .mark_bar()
        .encode(
            y=alt.Y("plan_year:N", title=None),
            x=alt.X("share:Q", title="Share of statements", axis=alt.Axis(format="%"), stack="normalize"),
            color=alt.Color("work_type:N", title=None, scale=alt.Scale(domain=["policy", "services"],
                                                                      range=[PALETTE[0], PALETTE[2]])),
            tooltip=["plan_year:N", "work_type:N", "items:Q", alt.Tooltip("share:Q", format=".0%")],
        )
        .properties(width=WIDTH - 100, height=alt.Step(36))
    )


def pledge_support(frame: pd.DataFrame) -> alt.Chart:
    """Each pledge with the number of 2019/20 work areas that deliver it; none in red."""
    data = frame.assign(label=frame["item_id"].str.replace("lc-bp-2019-20/pledge/", "", regex=False))
    return (
        alt.Chart(data, title=_title("Pledges and the work areas that deliver them",
                                     "Work areas linked to each pledge (or its sub-bullets) in pledge_links"))
        .mark_bar()
        .encode(
            y=alt.Y("label:N", title=None, sort=None, axis=alt.Axis(labelLimit=300)),
            x=alt.X("work_areas:Q", title="Work areas", axis=alt.Axis(tickMinStep=1)),
            color=alt.Color("supported:N", title="Has a work area",
                            scale=alt.Scale(domain=[True, False], range=[PALETTE[2], "#b8404a"])),
            tooltip=[alt.Tooltip("pledge_area:N", title="Area"), alt.Tooltip("text:N", title="Pledge"),
                     "work_areas:Q"],
        )
        .properties(width=WIDTH - 300, height=alt.Step(12))
    )


def pledge_areas(frame: pd.DataFrame) -> alt.Chart:
    """The seven pledge areas side by side: pledges and their sub-bullets."""
    long = frame.melt(id_vars=["pledge_area", "main_topic"], value_vars=["pledges", "sub_bullets"],
                      var_name="what", value_name="n")
    return (
        alt.Chart(long, title=_title("The seven pledge areas", "Pledges and sub-bullets in Appendix One, 2019/20"))
        .mark_bar()
        .encode(
            y=alt.Y("pledge_area:N", title=None, sort=None, axis=alt.Axis(labelLimit=300)),
            x=alt.X("sum(n):Q", title="Statements", axis=alt.Axis(tickMinStep=1)),
            color=alt.Color("what:N", title=None, scale=alt.Scale(domain=["pledges", "sub_bullets"],
                                                                 range=[PALETTE[0], "#9db7d3"])),
            tooltip=["pledge_area:N", "what:N", "n:Q", alt.Tooltip("main_topic:N", title="Main CAP topic")],
        )
        .properties(width=WIDTH - 260, height=alt.Step(22))
    )
