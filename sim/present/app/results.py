"""A finished answer as page parts: the key figures first (the reports' KeyFigure cards,
same markup and stylesheet), then a table and charts, in the page's language.

The figures are the reports' own: the impact question's key figures are those of
decisions.impact_report, the comparison's come from report.compare_key_figures, the table
rows and charts are built with the same helpers (labels, changes) as the report, so the page
and the downloaded report.html never disagree.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from dash import dcc, html

from sim.present.charts import Figure
from sim.present.changes import (
    CHANGE_AXES,
    CHANGE_TITLES,
    GROUPS,
    change_figures,
    compare_key_figures,
    compare_names,
    group_of,
    moved,
    significant,
)
from sim.present.decisions import (
    IMPACT_UNITS,
    impact_assumptions,
    impact_figure,
    impact_key_figures,
    impact_rows,
)
from sim.present.labels import fmt_kpi, fmt_kpi_ci, kpi_label, pick, say, word
from sim.present.page import KeyFigures, Page, style_figure, value_class
from sim.scenario.config import Scenario

Words = Callable[..., str]  # the app's words in the page's language: t(key, **values)
View = Callable[[dict[str, Any], str, str, Scenario | None, Words], list[Any]]  # (result, cli, lang, sc, t)


# ------------------------------------------------------------------------------ building blocks


def key_figures(key: KeyFigures) -> html.Section:
    """The reports' key-figures block (templates/report.html.j2), as page components."""
    cards = [html.Div(className=f"figure {f.status}", children=[
        html.Div(f.label, className="label"), html.Div(f.value, className=value_class(f.value)),
        *([html.Div(f.ci, className="ci")] if f.ci else []),
        *([html.Div(f.norm, className="norm")] if f.norm else [])]) for f in key.figures]
    aria: dict[str, Any] = {"aria-label": key.heading}  # Dash passes aria-* through; its stubs do not know them
    return html.Section(id="key-figures", className="keep", **aria, children=[
        html.P([html.B(f"{key.question_word}: "), key.question], className="question"),
        html.Div(cards, className="figures"),
        *([html.P([html.B(f"{key.answer_word}: "), key.sentence], className="sentence")] if key.sentence else [])])


def table(headers: list[str], rows: list[list[str]], row_classes: list[str] | None = None,
          table_id: str | None = None) -> html.Table:
    """A table like the reports': the first column text, the others numbers; a row of class
    'group' is a heading spanning the table."""
    body = []
    for row, cls in zip(rows, row_classes or [""] * len(rows)):
        if cls == "group":
            body.append(html.Tr(html.Td(row[0], colSpan=len(headers)), className="group"))
        else:
            body.append(html.Tr([html.Td(c, className="text" if k == 0 else None) for k, c in enumerate(row)],
                                className=cls or None))
    head = html.Tr([html.Th(h, className="text" if k == 0 else None) for k, h in enumerate(headers)])
    return html.Table([html.Thead(head), html.Tbody(body)], id=table_id)


def graph(fig: Figure, title: str, x_title: str, y_title: str, lang: str, height: int, graph_id: str) -> dcc.Graph:
    """A chart in the reports' style (page.Page.figure): a title in words, units on the
    axes, and numbers in the page's language (1.234,5 in Dutch)."""
    style_figure(fig, title, x_title, y_title, height, lang)
    return dcc.Graph(id=graph_id, figure=fig, config={"displayModeBar": False, "responsive": True},  # no English toolbar
                     className="chart")



def _mean(stats: dict[str, Any], name: str) -> float | None:
    return (stats.get(name) or {}).get("mean")


def command_line(cli: str, t: Words) -> html.P:
    return html.P([t("res_cli"), " ", html.Code(cli)], className="note cli")


# ------------------------------------------------------------------------------ a new location


def impact_table(result: dict[str, Any], lang: str, sc: Scenario | None) -> html.Table:
    """Per KPI: the region without the location, then the change each variant brings (95% CI)."""
    return table(*impact_rows(result, lang, sc), table_id="result-table")


def impact_chart(result: dict[str, Any], unit: str, lang: str, sc: Scenario | None, t: Words) -> dcc.Graph | None:
    """The change each variant brings, one bar group per KPI of one unit (the report's chart)."""
    drawn = impact_figure(result, unit, lang, sc)
    if drawn is None:
        return None
    (title, axis), (fig, height) = IMPACT_UNITS[unit], drawn
    return graph(fig, title[pick(lang)], axis[pick(lang)], "", lang, height, f"chart-{unit}")


def impact_view(result: dict[str, Any], cli: str, lang: str, sc: Scenario | None, t: Words) -> list[Any]:
    """The answer to 'what does a new location cost us?': key figures, table, charts, assumptions."""
    charts = [c for c in (impact_chart(result, u, lang, sc, t) for u in ("per_week", "hours")) if c is not None]
    return [key_figures(impact_key_figures(result, lang, sc)),
            html.H2(t("res_impact_table")), impact_table(result, lang, sc), *charts,
            html.P(impact_assumptions(lang), className="note"),
            command_line(cli, t)]


# ------------------------------------------------------------------------------ an arrangement


def compare_key(result: dict[str, Any], lang: str) -> KeyFigures:
    """The comparison report's key figures (changes.compare_key_figures), scenarios by name."""
    page = Page("", lang)
    a, b, sc = compare_names(result, lang)
    compare_key_figures(page, result, (a, b), sc)
    assert page.key is not None
    return page.key


def compare_table(result: dict[str, Any], lang: str, sc: Scenario | None) -> html.Table:
    """Grouped (load, staff, response), significant changes first and in bold, each KPI in its unit."""
    diff = result["difference"]
    base = {n: v["a"] for n, v in result["kpis"].items() if v["a"]}
    mine = {n: v["b"] for n, v in result["kpis"].items() if v["b"]}
    shown = moved(diff)
    rows, classes = [], []
    for group in GROUPS:
        in_group = sorted((n for n in shown if group_of(n) == group),
                          key=lambda n: (not significant(diff[n]), kpi_label(n, lang, sc)))
        if not in_group:
            continue
        rows.append([word(group, lang)])
        classes.append("group")
        for n in in_group:
            rows.append([kpi_label(n, lang, sc), fmt_kpi(n, _mean(base, n), lang), fmt_kpi(n, _mean(mine, n), lang),
                         fmt_kpi_ci(n, diff[n], lang, signed=True)])
            classes.append("changed" if significant(diff[n]) else "")
    return table([word("kpi", lang), "A", "B", word("difference", lang)], rows, classes, table_id="result-table")


def compare_charts(result: dict[str, Any], lang: str, sc: Scenario | None, t: Words) -> list[dcc.Graph]:
    """Per unit, the significant changes with their 95% intervals (the report's charts)."""
    return [graph(fig, CHANGE_TITLES[unit][pick(lang)], CHANGE_AXES[unit][pick(lang)], "", lang, height, f"chart-{unit}")
            for unit, height, fig in change_figures(result["difference"], lang, sc)]


def compare_view(result: dict[str, Any], cli: str, lang: str, sc: Scenario | None, t: Words) -> list[Any]:
    """The answer to 'what does this arrangement change?': key figures, charts, grouped table."""
    charts = compare_charts(result, lang, sc, t)
    a, b, _ = compare_names(result, lang)
    shown: list[Any] = list(charts) or [html.P(t("res_compare_none"), className="note")]
    return [key_figures(compare_key(result, lang)),
            *shown,
            html.H2(t("res_compare_table", a=a)),
            html.P(say(lang, f"A: «{a}»; B: «{b}».", f"A: «{a}»; B: «{b}»."), className="note"),
            html.P(t("res_compare_note"), className="note"), compare_table(result, lang, sc),
            command_line(cli, t)]
