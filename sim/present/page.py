"""One report design for every command: a page built in parts and rendered through one
Jinja2 template (templates/report.html.j2) with one stylesheet (templates/report.css).

Every report opens with its key figures (`id="key-figures"`): the question it answers,
4-6 headline numbers with their 95% intervals, each marked against its norm or target,
and one plain sentence. Then sections of real HTML tables and charts. Charts get a title in
words and units on their axes, numbers in the page's language (a decimal comma in Dutch),
and plotly.js is embedded once, so the file opens offline. The print stylesheet keeps
charts and tables whole on A4 and redraws the charts at the page's width.
"""

from __future__ import annotations

import html
import shutil
import subprocess
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import plotly.graph_objects as go
from jinja2 import Environment, select_autoescape

from sim.errors import ScenarioError
from sim.present.labels import word

OK, WARN, BAD, INFO = "ok", "warn", "bad", "info"
# plotly's white look, set directly (copying its template costs ~0.3 s per report)
WHITE = {"paper_bgcolor": "white", "plot_bgcolor": "white",
         "xaxis": {"gridcolor": "#ebf0f8", "zerolinecolor": "#c9d3e0", "linecolor": "#c9d3e0", "automargin": True},
         "yaxis": {"gridcolor": "#ebf0f8", "zerolinecolor": "#c9d3e0", "linecolor": "#c9d3e0", "automargin": True}}
COLOURS = ["#245a9b", "#e07b20", "#2e8b57", "#8e44ad", "#c0392b", "#16a085", "#7f8c8d"]


@dataclass
class KeyFigure:
    """A headline number: what it is, its value (formatted), its 95% interval, and how it
    compares with its norm or target (status ok / warn / bad, or info when there is none)."""

    label: str
    value: str
    ci: str = ""
    norm: str = ""
    status: str = INFO


@dataclass
class KeyFigures:
    question: str
    figures: list[KeyFigure]
    sentence: str = ""
    heading: str = ""
    question_word: str = ""
    answer_word: str = ""


@dataclass
class Page:
    """A report being built: add the key figures, then sections, tables and charts."""

    title: str
    lang: str = "en"
    subtitle: str = ""
    warnings: list[str] = field(default_factory=list)
    parts: list[str] = field(default_factory=list)
    key: KeyFigures | None = None

    def key_figures(self, question: str, figures: list[KeyFigure], sentence: str = "") -> None:
        self.key = KeyFigures(question, figures, sentence, word("key_figures", self.lang), word("question", self.lang),
                              word("answer", self.lang))

    def warning(self, text: str) -> None:
        self.warnings.append(text)

    def h2(self, text: str) -> None:
        self.parts.append(f"<h2>{html.escape(text)}</h2>")

    def p(self, text: str, cls: str = "") -> None:
        self.parts.append(f"<p{f' class={chr(34)}{cls}{chr(34)}' if cls else ''}>{html.escape(text)}</p>")

    def bullets(self, items: list[str], cls: str = "") -> None:
        self.parts.append(f"<ul class='{cls}'>" + "".join(f"<li>{html.escape(i)}</li>" for i in items) + "</ul>")

    def table(self, headers: list[str], rows: list[list[Any]], text_columns: int = 1,
              row_classes: list[str] | None = None, caption: str = "", table_class: str = "") -> None:
        """A real HTML table; the first `text_columns` columns are text (left), the rest numbers.
        `table_class`: a class for the table (report.css: 'wrap' lets long texts wrap)."""
        def cell(tag: str, value: Any, k: int) -> str:
            cls = " class='text'" if k < text_columns else ""
            return f"<{tag}{cls}>{html.escape(str(value))}</{tag}>"
        head = "".join(cell("th", h, k) for k, h in enumerate(headers))
        body = []
        for n, row in enumerate(rows):
            cls = (row_classes or [""] * len(rows))[n]
            if cls == "group":  # a group heading spanning the table
                body.append(f"<tr class='group'><td colspan='{len(headers)}'>{html.escape(str(row[0]))}</td></tr>")
                continue
            body.append(f"<tr class='{cls}'>" + "".join(cell("td", c, k) for k, c in enumerate(row)) + "</tr>")
        cap = f"<caption>{html.escape(caption)}</caption>" if caption else ""
        table = f"<table class='{html.escape(table_class)}'>" if table_class else "<table>"
        self.parts.append(f"{table}{cap}<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>")

    def figure(self, fig: go.Figure, title: str, x_title: str = "", y_title: str = "", height: int = 360,
               y_percent: bool = False) -> None:
        """A chart with a title in words and units on its axes, in the page's number style."""
        fig.update_layout(title={"text": title, "x": 0, "xanchor": "left", "font": {"size": 16}}, height=height,
                          margin={"l": 60, "r": 20, "t": 56, "b": 50}, legend={"orientation": "h", "y": -0.18},
                          separators=",." if self.lang == "nl" else ".,", **WHITE)
        fig.update_xaxes(title_text=x_title, separatethousands=True)
        fig.update_yaxes(title_text=y_title, separatethousands=True)
        if y_percent:
            fig.update_yaxes(tickformat=".0%")
        chart = fig.to_html(include_plotlyjs=False, full_html=False,
                            config={"displaylogo": False, "responsive": True})
        self.parts.append(f"<div class='chart keep'>{chart}</div>")

    def html(self) -> str:
        env = Environment(autoescape=select_autoescape(default_for_string=True, default=True))
        folder = resources.files("sim.present") / "templates"
        template = env.from_string((folder / "report.html.j2").read_text(encoding="utf-8"))
        from plotly.offline import get_plotlyjs
        charts = any("js-plotly-plot" in p or "plotly-graph-div" in p for p in self.parts)
        return template.render(title=self.title, subtitle=self.subtitle, lang=self.lang, warnings=self.warnings,
                               key=self.key, parts=self.parts, footer=word("generated", self.lang),
                               css=(folder / "report.css").read_text(encoding="utf-8"),
                               plotly_js=get_plotlyjs() if charts else "")


def status_of(value: float, limit: float, lower_is_better: bool = True, margin: float = 0.0) -> str:
    """ok when the value is on the right side of its norm or target, warn when within
    `margin` of it, bad otherwise."""
    if value != value:  # NaN
        return INFO
    gap = (limit - value) if lower_is_better else (value - limit)
    return OK if gap >= margin else (WARN if gap >= 0 else BAD)


CHROMIUMS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


def to_pdf(report: Path, timeout: float = 120) -> Path:
    """The report printed to an A4 PDF by a Chromium on this machine (its print stylesheet
    keeps charts whole); a clear message when there is none."""
    binary = next((shutil.which(b) for b in CHROMIUMS if shutil.which(b)), None)
    if binary is None:
        raise ScenarioError(f"--pdf needs Chromium (apt-get install chromium); or open {report} in a browser and "
                            "print it to PDF: the layout is A4-ready")
    pdf = report.with_suffix(".pdf")
    cmd = [binary, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
           "--disable-background-networking", "--no-first-run", f"--print-to-pdf={pdf}", report.resolve().as_uri()]
    try:
        subprocess.run(cmd, check=True, capture_output=True, timeout=timeout)
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as exc:
        raise ScenarioError(f"--pdf: Chromium could not print {report} ({type(exc).__name__})") from None
    return pdf
