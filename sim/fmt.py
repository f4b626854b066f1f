"""Numbers as text, the same way everywhere (printed summaries, reports, comparison, impact,
staffing, sensitivity, check, the app), in English or Dutch: how many digits a KPI gets,
shares as percentages, the mean with its 95% half-width, minutes as minutes, hours or
days, and plain-text tables. Dutch uses a decimal comma and a thousands point (1.495,6),
through Babel (the CLDR's own rules); every call names its language, never the machine's.
"""

from __future__ import annotations

import math
from typing import Any

from babel.numbers import format_decimal, format_percent

LANGS = ("en", "nl")
LOCALE = {"en": "en_GB", "nl": "nl_NL"}
SHARE_WORDS = ("share", "within", "utilisation")


def is_share(kpi: str) -> bool:
    """A KPI that is a share (0..1) rather than a count, hours or minutes."""
    return any(w in kpi for w in SHARE_WORDS)


BEYOND = ("> horizon", "> looptijd")  # still waiting when the simulated time ended


def real(x: float | str | None) -> float | None:
    """A value from a results file as a float, None when not measurable: JSON has no
    infinity, so results files write "inf", and NaN means nothing to measure."""
    if x is None:
        return None
    x = float(x)
    return None if math.isnan(x) else x


def _pattern(digits: int, signed: bool, suffix: str = "") -> str:
    """A Babel number pattern: thousands grouped, `digits` decimals, '+' on positives if signed."""
    pattern = f"#,##0{'.' + '0' * digits if digits > 0 else ''}{suffix}"
    return f"+{pattern};-{pattern}" if signed else pattern


def number(x: float, digits: int = 1, lang: str = "en", signed: bool = False) -> str:
    """x with `digits` decimals and thousands separators in the language's style."""
    return format_decimal(x, format=_pattern(digits, signed), locale=LOCALE[lang])


def plain(x: float, lang: str = "en") -> str:
    """A parameter value as written, in the language's style: 0.25 -> '0,25', 3.0 -> '3'."""
    return format_decimal(x, format="#,##0.####", locale=LOCALE[lang])


def fmt_value(x: float | None, digits: int = 1, lang: str = "en", signed: bool = False) -> str:
    """A number with thousands separators; '-' when not measurable, '> horizon' when still
    open at the end."""
    shown = _unmeasured(x, lang)
    return shown if shown is not None else number(float(x), digits, lang, signed)


def fmt_percent(x: float | None, digits: int = 0, lang: str = "en", signed: bool = False) -> str:
    """A share as a percentage: 0.893 -> '89%' ('89,3%' with one digit)."""
    shown = _unmeasured(x, lang)
    return shown if shown is not None else format_percent(float(x), format=_pattern(digits, signed, "%"),
                                                          locale=LOCALE[lang])


def _unmeasured(x: float | str | None, lang: str) -> str | None:
    """'-' for nothing to measure, '> horizon' for still open at the end; None for a number."""
    value = real(x)
    if value is None:
        return "-"
    return BEYOND[lang == "nl"] if math.isinf(value) else None


def half_width(stats: dict[str, Any] | None) -> float:
    """The 95% half-width of aggregated stats (mean, ci_high, n), NaN when there is none."""
    if not stats or stats.get("n", 0) < 2:
        return math.nan
    hi, mean = real(stats.get("ci_high")), real(stats.get("mean"))
    if hi is None or mean is None or not (math.isfinite(hi) and math.isfinite(mean)):
        return math.nan
    return hi - mean


def error_bar(stats: dict[str, Any] | None) -> float:
    """half_width() for a chart's error bar: 0 where there is no interval."""
    half = half_width(stats)
    return 0.0 if math.isnan(half) else half


def fmt_ci(stats: dict[str, Any] | None, digits: int = 1, signed: bool = False, lang: str = "en") -> str:
    """'mean ±half' (the half-width of the 95% interval), or just the mean when there is none."""
    if not stats:
        return "-"
    text = fmt_value(stats.get("mean"), digits, lang, signed)
    half = half_width(stats)
    return text if math.isnan(half) else f"{text} ±{fmt_value(half, digits, lang)}"


def fmt_minutes(x: float | None, lang: str = "en") -> str:
    """Minutes as '12 min', '3.5 h' or '2.0 d' ('3,5 u', '2,0 d' in Dutch); '> horizon'
    when still waiting at the end."""
    shown = _unmeasured(x, lang)
    if shown is not None:
        return shown
    x = float(x)
    if x < 120:
        return f"{number(x, 0, lang)} min"
    if x < 48 * 60:
        return f"{number(x / 60, 1, lang)} {'h' if lang == 'en' else 'u'}"
    return f"{number(x / 1440, 1, lang)} d"


def text_table(headers: list[str], rows: list[list[str]], left: tuple[int, ...] = (0,)) -> list[str]:
    """Lines of a plain-text table: the `left` columns (text) left-aligned, the others
    (numbers) right."""
    widths = [max(len(str(x)) for x in col) for col in zip(headers, *rows)]

    def line(cells: list[str]) -> str:
        return "  ".join(str(c).ljust(w) if i in left else str(c).rjust(w)
                         for i, (c, w) in enumerate(zip(cells, widths))).rstrip()

    return [line(headers), "  ".join("-" * w for w in widths)] + [line(r) for r in rows]
