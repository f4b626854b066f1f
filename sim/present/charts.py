"""The reports' charts as plain plotly figures: {"data": [traces], "layout": {...}}, the JSON
plotly.js draws, built with a few functions instead of plotly's graph objects.

Why plain dicts: a graph object checks every property against plotly's validators on the
way in (the first chart of a process loads their 3 MB table; a report's ten charts cost it
about a second); plotly.js receives the same JSON either way. So a chart here is a dict, and
chart_html writes it into the page as plotly.io.to_html does, but with the standard json
module: plotly.io's JSON writer imports its validators and narwhals (a twentieth of a second
per report) to handle data frames a plain figure never holds. The report imports no plotly
at all: the template and plotly.js are read from plotly's package data. Dash's dcc.Graph
takes the same dict (the app, app/results.py).

The builders are what the pages draw: bars (upright or horizontal, grouped, with error
bars), a heatmap, points and lines, a reference line across the plot with its label, and
layout and axis updates that merge nested settings as plotly's update_layout does. Lists
only: a NumPy array or pandas Series becomes a list, so a figure is plain JSON.
"""

from __future__ import annotations

import json
import math
import uuid
from functools import cache
from importlib.util import find_spec
from pathlib import Path
from typing import Any

Figure = dict[str, Any]  # {"data": [trace, ...], "layout": {...}}
Trace = dict[str, Any]

# plotly's "Blues" (ColorBrewer) as plotly.py spells it out; plotly.js has its own, different
# "Blues", so the scale is written in full, as the graph objects did
BLUES = [[0.0, "rgb(247,251,255)"], [0.125, "rgb(222,235,247)"], [0.25, "rgb(198,219,239)"],
         [0.375, "rgb(158,202,225)"], [0.5, "rgb(107,174,214)"], [0.625, "rgb(66,146,198)"],
         [0.75, "rgb(33,113,181)"], [0.875, "rgb(8,81,156)"], [1.0, "rgb(8,48,107)"]]


def plotly_data(name: str) -> Path:
    """A file of the installed plotly's package data (found without importing plotly)."""
    spec = find_spec("plotly")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("plotly is not installed: pip install plotly")
    return Path(list(spec.submodule_search_locations)[0]) / "package_data" / name


@cache
def plotly_look() -> dict[str, Any]:
    """plotly's default template ("plotly": fonts, hover labels, line and marker defaults):
    what a graph object put in every chart, so the charts look as they did. Read once
    (6 kB of JSON); never changed, only referred to."""
    return json.loads(plotly_data("templates/plotly.json").read_text(encoding="utf-8"))


@cache
def plotly_js() -> str:
    """plotly.js itself (plotly.min.js, 4.6 MB; plotly.offline.get_plotlyjs), read once."""
    return plotly_data("plotly.min.js").read_text(encoding="utf-8")


def figure(*traces: Trace, **settings: Any) -> Figure:
    """A chart of these traces; `settings` its layout, as plotly's (nested dicts)."""
    return {"data": list(traces), "layout": settings}


def values(v: Any) -> Any:
    """A list for plotly's JSON: arrays and Series (pandas, NumPy) as lists, the rest as is."""
    return v.tolist() if hasattr(v, "tolist") else v


def bar(x: Any, y: Any, horizontal: bool = False, colour: Any = None, name: str | None = None,
        error: Any = None, **more: Any) -> Trace:
    """Bars: upright, or `horizontal` (y the categories). `colour` one or one per bar;
    `error` the error bars along the values: a list (symmetric) or plotly's error dict."""
    trace: Trace = {"type": "bar", "x": values(x), "y": values(y)}
    if horizontal:
        trace["orientation"] = "h"
    if colour is not None:
        trace["marker"] = {"color": values(colour)}
    if name is not None:
        trace["name"] = name
    if error is not None:
        trace["error_x" if horizontal else "error_y"] = error if isinstance(error, dict) else {"array": values(error)}
    return {**trace, **more}


def scatter(x: Any, y: Any, mode: str, name: str | None = None, **more: Any) -> Trace:
    """Points and/or lines (`mode` as plotly's: "markers", "lines", "lines+markers", ...)."""
    trace: Trace = {"type": "scatter", "mode": mode, "x": values(x), "y": values(y)}
    if name is not None:
        trace["name"] = name
    return {**trace, **more}


def heatmap(z: Any, x: Any, y: Any, colorscale: list[list[Any]], colorbar_title: str) -> Trace:
    return {"type": "heatmap", "z": values(z), "x": values(x), "y": values(y), "colorscale": colorscale,
            "colorbar": {"title": {"text": colorbar_title}}}


def merge(target: dict[str, Any], update: dict[str, Any]) -> dict[str, Any]:
    """`update` merged into `target` as plotly's update_layout merges: nested settings
    (a margin, an axis title) are merged key by key, anything else replaced. The update's
    dicts are copied, never shared, so a constant merged in stays unchanged."""
    for key, value in update.items():
        if isinstance(value, dict):
            inner = target.get(key)
            if not isinstance(inner, dict):
                inner = target[key] = {}
            merge(inner, value)
        else:
            target[key] = value
    return target


def layout(fig: Figure, **settings: Any) -> Figure:
    """The figure with `settings` merged into its layout (plotly's update_layout)."""
    merge(fig["layout"], settings)
    return fig


def axis(fig: Figure, which: str, **settings: Any) -> Figure:
    """The figure with `settings` merged into its x or y axis (`which`: "x" or "y";
    plotly's update_xaxes / update_yaxes for a chart of one plot)."""
    merge(fig["layout"].setdefault(f"{which}axis", {}), settings)
    return fig


# where a reference line's label sits (plotly's add_vline / add_hline annotation_position):
# position -> (xanchor, yanchor, the end of the line it sits at)
VLINE_LABEL = {"top right": ("left", "top", 1), "top left": ("right", "top", 1),
               "bottom right": ("left", "bottom", 0), "bottom left": ("right", "bottom", 0)}
HLINE_LABEL = {"top right": ("right", "bottom", 1), "top left": ("left", "bottom", 0),
               "bottom right": ("right", "top", 1), "bottom left": ("left", "top", 0)}


def reference_line(fig: Figure, x: float | None = None, y: float | None = None, dash: str | None = None,
                   colour: str | None = None, label: str | None = None, position: str = "top right") -> Figure:
    """A line across the whole plot at `x` (vertical) or at `y` (horizontal), dashed or
    dotted (`dash`), with its `label` at one end (`position`, as plotly's add_vline and
    add_hline place it; the line's colour, when none is given, the template's)."""
    line = {k: v for k, v in (("color", colour), ("dash", dash)) if v is not None}
    if x is not None:
        shape = {"type": "line", "x0": x, "x1": x, "xref": "x", "y0": 0, "y1": 1, "yref": "y domain", "line": line}
        xanchor, yanchor, end = VLINE_LABEL[position]
        note = {"x": x, "xref": "x", "y": end, "yref": "y domain"}
    elif y is not None:
        shape = {"type": "line", "x0": 0, "x1": 1, "xref": "x domain", "y0": y, "y1": y, "yref": "y", "line": line}
        xanchor, yanchor, end = HLINE_LABEL[position]
        note = {"x": end, "xref": "x domain", "y": y, "yref": "y"}
    else:
        raise ValueError("reference_line: give x or y")
    fig["layout"].setdefault("shapes", []).append(shape)
    if label is not None:
        fig["layout"].setdefault("annotations", []).append(
            {"text": label, "showarrow": False, "xanchor": xanchor, "yanchor": yanchor, **note})
    return fig


# ------------------------------------------------------------------------------ into the page


def to_json(part: Any) -> str:
    """A figure's data, layout or config as plotly.io writes it for a page: numbers that are
    not finite as null, anything not ASCII and <, > and / escaped so that no text can
    close the script."""
    text = json.dumps(_finite(part), separators=(",", ":"), allow_nan=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("/", "\\u002f")


def _finite(v: Any) -> Any:
    if isinstance(v, float):
        return v if math.isfinite(v) else None
    if isinstance(v, dict):
        return {k: _finite(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [_finite(x) for x in v]
    return _finite(v.tolist()) if hasattr(v, "tolist") else v


def chart_html(fig: Figure, config: dict[str, Any]) -> str:
    """The figure as a page's chart: the div and script plotly.io.to_html(fig, config,
    include_plotlyjs=False, full_html=False) writes (plotly.js must be on the page)."""
    div = str(uuid.uuid4())
    height = fig["layout"].get("height")
    size = f"height:{height}px; width:100%;" if isinstance(height, (int, float)) else "height:100%; width:100%;"
    return (f'<div style="{size}"><div id="{div}" class="plotly-graph-div" style="height:100%; width:100%;"></div>'
            f'<script>window.PLOTLYENV=window.PLOTLYENV || {{}};if (document.getElementById("{div}")) {{'
            f'Plotly.newPlot("{div}", {to_json(fig.get("data", []))}, {to_json(fig["layout"])}, '
            f'{to_json({**config, "responsive": config.get("responsive", True)})})}};</script></div>')
