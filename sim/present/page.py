"""One report design for every command: a page built in parts and rendered through one
Jinja2 template (templates/report.html.j2) with one stylesheet (templates/report.css).

Every report opens with its key figures (`id="key-figures"`): the question it answers,
4-6 headline numbers with their 95% intervals, each marked against its norm or target,
and one plain sentence. Then sections of real HTML tables and charts. Charts get a title in
words and units on their axes, numbers in the page's language (a decimal comma in Dutch),
and plotly.js comes from the results folder's own copy (or is embedded: one self-contained
file), never from the internet, so the report opens offline. The first printed page holds
the answer and its deciding chart; the print stylesheet keeps charts and short tables whole
on A4, a heading with what follows it, and redraws the charts at the page's width.
"""

from __future__ import annotations

import html
import json
import shutil
import subprocess
import textwrap
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from jinja2 import Environment, Template, select_autoescape

from sim.errors import ScenarioError
from sim.experiments.output import atomic_write_text
from sim.present.charts import Figure, axis, chart_html, layout, plotly_js, plotly_look
from sim.present.glossary import PLOTLY_NL, TOOLBAR
from sim.present.labels import word

OK, WARN, BAD, INFO = "ok", "warn", "bad", "info"
# the white look over plotly's default template (charts.plotly_look), set directly on each chart
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


PLOTLY_FILE = "plotly.min.js"  # the chart library, once per results folder, next to report.html
TITLE_CHARS, LABEL_CHARS = 72, 38  # where a chart title and a category label wrap (fits A4 at 680 px)


def wrap(text: str, width: int = LABEL_CHARS) -> str:
    """A chart text broken into lines of at most `width` characters (plotly's <br>), so a
    long category name or title never runs out of its chart."""
    return "<br>".join(textwrap.wrap(str(text), width, break_long_words=False)) or str(text)


def chart_config(lang: str) -> dict[str, Any]:
    """The chart toolbar: the few buttons a reader needs, in the page's language."""
    return {"displaylogo": False, "responsive": True, "modeBarButtons": TOOLBAR, "locale": lang,
            "toImageButtonOptions": {"scale": 2}}


@dataclass
class Page:
    """A report being built: add the key figures, then sections, tables and charts.

    The first printed page holds the question, the key figures, the sentence and the one
    chart that decides (`figure(..., lead=True)`); a heading stays with what follows it."""

    title: str
    lang: str = "en"
    subtitle: str = ""
    warnings: list[str] = field(default_factory=list)
    parts: list[str] = field(default_factory=list)
    key: KeyFigures | None = None
    lead: list[str] = field(default_factory=list)
    _pending: list[str] = field(default_factory=list, repr=False)

    def key_figures(self, question: str, figures: list[KeyFigure], sentence: str = "") -> None:
        self.key = KeyFigures(question, figures, sentence, word("key_figures", self.lang), word("question", self.lang),
                              word("answer", self.lang))

    def warning(self, text: str) -> None:
        self.warnings.append(text)

    def _add(self, part: str, whole: bool = True) -> None:
        """A block, with the heading (and notes) waiting for it: kept on one printed page
        when `whole`, else (a long table) at least started on the heading's page."""
        if self._pending:
            part = f"<section class='{'keep' if whole else 'headed'}'>{''.join(self._pending)}{part}</section>"
            self._pending.clear()
        self.parts.append(part)

    def block(self, part: str, whole: bool = True) -> None:
        """Ready-made HTML (e.g. a sortable table), kept with the heading before it."""
        self._add(part, whole)

    def h2(self, text: str, appendix: bool = False) -> None:
        self._flush()
        self._pending.append(f"<h2{' class=appendix' if appendix else ''}>{html.escape(text)}</h2>")

    def p(self, text: str, cls: str = "") -> None:
        para = f"<p{f' class={chr(34)}{cls}{chr(34)}' if cls else ''}>{html.escape(text)}</p>"
        if self._pending:
            self._pending.append(para)
        else:
            self.parts.append(para)

    def _flush(self) -> None:
        if self._pending:
            self.parts.append("".join(self._pending))
            self._pending.clear()

    def bullets(self, items: list[str], cls: str = "") -> None:
        self._add(f"<ul class='{cls}'>" + "".join(f"<li>{html.escape(i)}</li>" for i in items) + "</ul>",
                  whole=len(items) <= 12)

    def assumptions(self, items: list[str]) -> None:
        """The section every report ends with: what the answer rests on, with sources."""
        self.h2(word("assumptions", self.lang))
        self.bullets(items, "assumptions")

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
        self._add(f"{table}{cap}<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>",
                  whole=len(rows) <= 20)

    def figure(self, fig: Figure, title: str, x_title: str = "", y_title: str = "", height: int = 360,
               y_percent: bool = False, lead: bool = False) -> None:
        """A chart with a title in words (wrapped) and units on its axes, in the page's number
        style, with a toolbar in the page's language. `lead`: the chart that decides, shown
        (and printed) on the first page with the key figures."""
        style_figure(fig, title, x_title, y_title, height, self.lang)
        if y_percent:
            axis(fig, "y", tickformat=".0%")
        chart = chart_html(fig, chart_config(self.lang))  # a plain figure (present/charts.py): nothing to validate
        if lead:
            self.lead.append(f"<div class='chart keep lead'>{chart}</div>")
        else:
            self._add(f"<div class='chart keep'>{chart}</div>")

    def html(self) -> str:
        """The page, plotly.js inside (one self-contained file; external_plotly() moves it to
        the results folder's own copy)."""
        self._flush()
        folder = resources.files("sim.present") / "templates"
        charts = any("plotly-graph-div" in p for p in (*self.parts, *self.lead))
        return _template().render(title=self.title, subtitle=self.subtitle, lang=self.lang, warnings=self.warnings,
                               key=self.key, parts=self.parts, lead=self.lead, footer=word("generated", self.lang),
                               css=(folder / "report.css").read_text(encoding="utf-8"), charts=charts,
                               plotly_js=plotly_js() if charts else "",
                               locale=json.dumps(PLOTLY_NL) if self.lang == "nl" else "",
                               missing=word("no_plotly", self.lang))


@cache
def _template() -> Template:
    """templates/report.html.j2, compiled once a process (a country's run writes many reports)."""
    env = Environment(autoescape=select_autoescape(default_for_string=True, default=True))
    env.filters["value_class"] = value_class
    return env.from_string((resources.files("sim.present") / "templates" / "report.html.j2").read_text(encoding="utf-8"))


PLOTLY_OPEN = '<script id="plotly-js">'


def external_plotly(text: str, folder: Path) -> str:
    """A page whose embedded plotly.js is replaced by the results folder's own copy
    (PLOTLY_FILE, written once next to it): the report is light and still opens offline."""
    start = text.find(PLOTLY_OPEN)
    if start < 0:
        return text
    end = text.index("</script>", start) + len("</script>")
    write_plotly(folder)
    return f'{text[:start]}<script src="{PLOTLY_FILE}"></script>{text[end:]}'


def style_figure(fig: Figure, title: str, x_title: str, y_title: str, height: int, lang: str) -> None:
    """The reports' chart style (the app's too): a wrapped title in words with room for it,
    units on the axes, the legend under the plot, numbers in the language's style and no
    SI prefixes ('10k', '2f'): whole numbers with thousands separators; plotly's own look
    (its template) under the white one."""
    lines = wrap(title, TITLE_CHARS).count("<br>") + 1
    layout(fig, title={"text": wrap(title, TITLE_CHARS), "x": 0, "xanchor": "left", "xref": "container",
                       "font": {"size": 15}, "y": 1, "yanchor": "bottom", "yref": "paper", "automargin": True,
                       "pad": {"b": 12, "l": 4}},
           height=height + 20 * (lines - 1), margin={"l": 60, "r": 24, "t": 24, "b": 40},
           legend={"orientation": "h", "x": 0, "xanchor": "left", "y": -0.02, "yref": "container",
                   "yanchor": "bottom"},
           separators=",." if lang == "nl" else ".,", **WHITE)
    fig["layout"].setdefault("template", plotly_look())
    axis(fig, "x", title={"text": x_title}, separatethousands=True, exponentformat="none")
    axis(fig, "y", title={"text": y_title}, separatethousands=True, exponentformat="none")
    if any(t.get("showlegend") is not False for t in fig["data"]) and len(fig["data"]) > 1:
        layout(fig, margin={"b": 80})


def write_plotly(folder: Path) -> Path:
    """PLOTLY_FILE in a results folder (once: an existing copy of the same size is kept)."""
    target = Path(folder) / PLOTLY_FILE
    text = plotly_js()
    if not (target.exists() and target.stat().st_size == len(text.encode("utf-8"))):
        atomic_write_text(target, text)
    return target


def value_class(value: str) -> str:
    """A key figure's value class: 'value words' for a phrase ('geen aantoonbare verandering'),
    set smaller so a card never breaks a word (report.html.j2 applies the same rule)."""
    return "value words" if len(value) > 10 and value[:1] not in "+-0123456789" else "value"


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
