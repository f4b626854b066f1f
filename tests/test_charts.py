"""The reports' charts are plain plotly figures (sim/present/charts.py): what plotly's graph
objects would have made of them, written into the page as plotly.io writes them, and a
report is built without importing plotly at all."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import plotly.graph_objects as go
import plotly.io as pio
import pytest
from plotly.offline import get_plotlyjs

from sim.cli import main
from sim.present.charts import (
    HLINE_LABEL,
    VLINE_LABEL,
    axis,
    bar,
    chart_html,
    figure,
    layout,
    plotly_js,
    plotly_look,
    reference_line,
)
from sim.present.page import WHITE, chart_config, style_figure

from .conftest import MINI, ROOT


def arguments(page: str) -> list[list]:
    """The (data, layout, config) of every Plotly.newPlot on a page, in order."""
    decoder, out = json.JSONDecoder(), []
    for m in re.finditer(r'Plotly\.newPlot\(\s*"[^"]+",\s*', page):
        pos, args = m.end(), []
        for _ in range(3):
            obj, pos = decoder.raw_decode(page, pos)
            args.append(obj)
            pos += len(page[pos:]) - len(page[pos:].lstrip(", \n\t"))
        out.append(args)
    return out


@pytest.mark.parametrize("position", sorted(VLINE_LABEL))
def test_a_vertical_line_and_its_label_sit_where_plotlys_add_vline_puts_them(position):
    ours = reference_line(figure(bar([1, 2], ["a", "b"], horizontal=True)), x=0.85, dash="dot", colour="#c0392b",
                          label="target 85%", position=position)
    theirs = go.Figure(go.Bar(x=[1, 2], y=["a", "b"], orientation="h"))
    theirs.add_vline(x=0.85, line_dash="dot", line_color="#c0392b", annotation_text="target 85%",
                     annotation_position=position)
    assert ours["layout"] == {k: v for k, v in theirs.to_dict()["layout"].items() if k != "template"}


@pytest.mark.parametrize("position", sorted(HLINE_LABEL))
def test_a_horizontal_line_and_its_label_sit_where_plotlys_add_hline_puts_them(position):
    ours = reference_line(figure(), y=0.9, dash="dash", label="doel ≥ 90%", position=position)
    theirs = go.Figure()
    theirs.add_hline(y=0.9, line_dash="dash", annotation_text="doel ≥ 90%", annotation_position=position)
    assert ours["layout"] == {k: v for k, v in theirs.to_dict()["layout"].items() if k != "template"}


def test_a_line_without_a_label_is_only_the_line():
    fig = reference_line(figure(), x=0, colour="#888")
    assert "annotations" not in fig["layout"] and fig["layout"]["shapes"][0]["line"] == {"color": "#888"}


def test_a_chart_is_written_as_plotly_io_writes_it():
    """Same div and the same JSON plotly.js receives: not-finite numbers as null, NumPy as
    lists, and no text that could close the page's script."""
    fig = figure(bar(np.array([1.5, np.nan, np.inf]), ["cliënten </script>", "b", "c"], horizontal=True,
                     colour="#245a9b", error=[0.1, 0.2, float("nan")], hovertext=["<b>x</b>", "y", "z"]),
                 barmode="group", height=420)
    axis(fig, "y", autorange="reversed")
    style_figure(fig, "A title", "x axis", "", 400, "nl")
    config = chart_config("nl")
    ours, theirs = chart_html(fig, config), pio.to_html(fig, config=config, include_plotlyjs=False, full_html=False,
                                                        validate=False)
    assert arguments(ours) == arguments(theirs)
    assert "</script>" not in ours.split("<script>", 1)[1].removesuffix("</script></div>")
    assert re.sub(r'[0-9a-f-]{36}', "id", re.sub(r">\s+<", "><", theirs)).split("<script>")[0] == \
        re.sub(r'[0-9a-f-]{36}', "id", ours).split("<script>")[0]  # the same div, its height from the layout


def test_the_look_is_plotlys_default_template_and_the_library_plotlys_own():
    assert plotly_look() == pio.templates["plotly"].to_plotly_json()
    assert plotly_js() == get_plotlyjs()


def test_styling_merges_like_update_layout_and_never_changes_the_constants():
    before = json.dumps(WHITE, sort_keys=True)
    fig = figure(bar([1], ["a"]), margin={"l": 10})
    axis(fig, "x", range=[0, 1])
    style_figure(fig, "t", "x", "y", 300, "en")
    layout(fig, margin={"b": 80})
    fig["layout"]["xaxis"]["gridcolor"] = "red"
    assert json.dumps(WHITE, sort_keys=True) == before
    assert fig["layout"]["margin"] == {"l": 60, "r": 24, "t": 24, "b": 80}
    assert fig["layout"]["xaxis"]["range"] == [0, 1] and fig["layout"]["xaxis"]["title"] == {"text": "x"}


@pytest.fixture(scope="module")
def run_folder(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("charts")
    (tmp / "mini.yaml").write_text(MINI)
    assert main([str(tmp / "mini.yaml"), "-r", "2", "-w", "1", "-q", "--out", str(tmp / "out")]) == 0
    (folder,) = [p for p in (tmp / "out").iterdir() if p.is_dir()]
    return folder


def test_every_chart_of_a_run_report_is_a_figure_plotly_accepts_as_it_is(run_folder):
    """plotly's validators take every chart of a real report without a complaint (no
    misspelt property) and change nothing in it but the form of its arrays."""
    charts = arguments((run_folder / "report.html").read_text())
    assert len(charts) >= 8
    for data, lay, config in charts:
        checked = json.loads(pio.to_json(go.Figure({"data": data, "layout": lay}), engine="json"))
        plain = json.loads(json.dumps({"data": data, "layout": lay}))
        assert json.loads(pio.to_json(plain, validate=False, engine="json")) == plain
        assert _decoded(checked) == plain
        assert config["locale"] == "en" and config["displaylogo"] is False


def _decoded(v):
    """plotly's typed arrays ({"dtype", "bdata"}) as plain lists."""
    import base64
    if isinstance(v, dict):
        if {"dtype", "bdata"} <= set(v):
            a = np.frombuffer(base64.b64decode(v["bdata"]), dtype=np.dtype(v["dtype"]).newbyteorder("<"))
            return a.reshape([int(n) for n in str(v["shape"]).split(",")]).tolist() if "shape" in v else a.tolist()
        return {k: _decoded(x) for k, x in v.items()}
    return [_decoded(x) for x in v] if isinstance(v, list) else v


def test_a_report_is_built_without_importing_plotly(run_folder):
    code = ("import sys; from pathlib import Path; from sim.present.report import build_report; "
            f"build_report(Path({str(run_folder)!r}), 'nl'); "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('plotly', '_plotly_utils', 'narwhals')))")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "[]"
    page = (run_folder / "report.html").read_text()
    assert '<script src="plotly.min.js">' in page and page.count("plotly-graph-div") >= 8
    assert (run_folder / "plotly.min.js").stat().st_size == len(plotly_js().encode("utf-8"))
