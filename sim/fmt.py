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
    """x with `digits` decimals and thousands separators in the language's style; a value
    that rounds to zero is written without a sign ('0,0', never '-0,0' or '+0,0')."""
    if round(x, digits) == 0:
        return format_decimal(0.0, format=_pattern(digits, False), locale=LOCALE[lang])
    return format_decimal(x, format=_pattern(digits, signed), locale=LOCALE[lang])


def plain(x: float, lang: str = "en") -> str:
    """A parameter value as written, in the language's style: 0.25 -> '0,25', 3.0 -> '3'."""
    return format_decimal(x, format="#,##0.####", locale=LOCALE[lang])


def fmt_value(x: float | None, digits: int = 1, lang: str = "en", signed: bool = False) -> str:
    """A number with thousands separators; '-' when not measurable, '> horizon' when still
    open at the end."""
    shown = _unmeasured(x, lang)
    if shown is not None:
        return shown
    assert x is not None  # _unmeasured shows None as '-'
    return number(float(x), digits, lang, signed)


def fmt_percent(x: float | None, digits: int = 0, lang: str = "en", signed: bool = False) -> str:
    """A share as a percentage: 0.893 -> '89%' ('89,3%' with one digit). A share that is not
    all or nothing never reads as if it were: 0.996 -> '99,6%', not '100%'; 0.003 -> '0,3%'
    (up to two more digits, then '>99,9%' / '<0,1%'). A value that rounds to zero has no sign."""
    shown = _unmeasured(x, lang)
    if shown is not None:
        return shown
    assert x is not None  # _unmeasured shows None as '-'
    x = float(x)
    for more in range(3):
        places = digits + more + 2  # of the share itself
        edge = round(abs(x), places) in (0.0, 1.0) and abs(x) not in (0.0, 1.0)
        if not edge:
            break
    else:
        near_one = round(abs(x), digits + 4) >= 0.5
        bound = format_percent(0.999 if near_one else 0.001, format=_pattern(1, False, "%"), locale=LOCALE[lang])
        return (">" if near_one else "<") + ("-" if x < 0 else "") + bound
    if round(x, places) == 0:
        x, signed = 0.0, False
    return format_percent(x, format=_pattern(places - 2, signed, "%"), locale=LOCALE[lang])


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


def clip_share(x: float) -> float:
    """A share's interval bound kept within 0..1 (a t-interval knows no bounds; a share does)."""
    return min(1.0, max(0.0, x)) if math.isfinite(x) else x


def fmt_range(low: float | None, high: float | None, fmt: Any, lang: str = "en") -> str:
    """An interval in words, '2,4 tot 4,4' / '2.4 to 4.4', each end written by `fmt`
    (e.g. a share's or a signed change's formatter); '' when an end is not measurable."""
    lo, hi = real(low), real(high)
    if lo is None or hi is None:
        return ""
    return f"{fmt(lo)} {('to', 'tot')[lang == 'nl']} {fmt(hi)}"


def fmt_minutes(x: float | None, lang: str = "en") -> str:
    """Minutes as '12 min', '3.5 h' or '2.0 d' ('3,5 u', '2,0 d' in Dutch); '> horizon'
    when still waiting at the end."""
    shown = _unmeasured(x, lang)
    if shown is not None:
        return shown
    assert x is not None  # _unmeasured shows None as '-'
    x = float(x)
    if x < 120:
        return f"{number(x, 0, lang)} min"
    if x < 48 * 60:  # whole hours or days (a norm: 3 u, 24 u, 3 d) without a needless ',0'
        return f"{number(x / 60, 0 if x % 60 == 0 else 1, lang)} {'h' if lang == 'en' else 'u'}"
    return f"{number(x / 1440, 0 if x % 1440 == 0 else 1, lang)} d"


def text_table(headers: list[str], rows: list[list[str]], left: tuple[int, ...] = (0,)) -> list[str]:
    """Lines of a plain-text table: the `left` columns (text) left-aligned, the others
    (numbers) right."""
    widths = [max(len(str(x)) for x in col) for col in zip(headers, *rows)]

    def line(cells: list[str]) -> str:
        return "  ".join(str(c).ljust(w) if i in left else str(c).rjust(w)
                         for i, (c, w) in enumerate(zip(cells, widths))).rstrip()

    return [line(headers), "  ".join("-" * w for w in widths)] + [line(r) for r in rows]
