"""Numbers as text, the same way everywhere (printed summaries, comparison, impact, staffing,
sensitivity, check): how many digits a KPI gets, the mean with its 95% half-width, minutes
as minutes, hours or days, and plain-text tables."""

from __future__ import annotations

import math
from typing import Any

SHARE_WORDS = ("share", "within", "utilisation")


def is_share(kpi: str) -> bool:
    """A KPI that is a share (0..1) rather than a count, hours or minutes."""
    return any(w in kpi for w in SHARE_WORDS)


def digits_for(kpi: str) -> int:
    """Digits after the point: three for shares, one for everything else."""
    return 3 if is_share(kpi) else 1


def fmt_value(x: float | None, digits: int = 1) -> str:
    """A number with thousands separators; '-' when not measurable, 'open' beyond the horizon."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "-"
    if math.isinf(x):
        return "open"
    return f"{x:,.{digits}f}"


def half_width(stats: dict[str, Any] | None) -> float:
    """The 95% half-width of aggregated stats (mean, ci_high, n), NaN when there is none."""
    if not stats or stats.get("n", 0) < 2:
        return math.nan
    hi, mean = stats.get("ci_high"), stats.get("mean")
    if hi is None or mean is None or not (math.isfinite(hi) and math.isfinite(mean)):
        return math.nan
    return hi - mean


def fmt_ci(stats: dict[str, Any] | None, digits: int = 1, signed: bool = False) -> str:
    """'mean ±half' (the half-width of the 95% interval), or just the mean when there is none."""
    if not stats:
        return "-"
    mean = stats.get("mean")
    text = (f"{mean:+,.{digits}f}" if signed and mean is not None and math.isfinite(mean)
            else fmt_value(mean, digits))
    half = half_width(stats)
    return text if math.isnan(half) else f"{text} ±{fmt_value(half, digits)}"


def fmt_minutes(x: float | None) -> str:
    """Minutes as '12 min', '3.5 h' or '2.0 d'; '> horizon' when still waiting at the end."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "-"
    if math.isinf(x):
        return "> horizon"
    if x < 120:
        return f"{x:.0f} min"
    if x < 48 * 60:
        return f"{x / 60:.1f} h"
    return f"{x / 1440:.1f} d"


def text_table(headers: list[str], rows: list[list[str]]) -> list[str]:
    """Lines of a plain-text table: the first column left-aligned, the others right."""
    widths = [max(len(str(x)) for x in col) for col in zip(headers, *rows)]

    def line(cells: list[str]) -> str:
        return "  ".join(str(c).ljust(w) if i == 0 else str(c).rjust(w) for i, (c, w) in enumerate(zip(cells, widths)))

    return [line(headers), "  ".join("-" * w for w in widths)] + [line(r) for r in rows]
