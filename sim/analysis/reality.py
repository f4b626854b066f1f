"""The model against reality: each published Dutch figure of the catalogue
(sim/data/reality.yaml) beside the model's own figure, counted the same way from the runs'
tables (analysis/reality_counts.py), with its 95% interval over the replications, its kind
(input, calibration target or independent) and a verdict.

A figure agrees when the published value lies in the model's 95% interval, when the
model's mean lies in the source's own 95% interval, or when the two differ by no more than
the figure's stated tolerance; it differs otherwise, and then the catalogue's likely reason
comes with it. A figure the runs hold nothing to count (no regional triage, no ambulance,
no persons) is not comparable, with the reason why.
"""

from __future__ import annotations

import math
from functools import lru_cache
from importlib import resources
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from sim.analysis.metrics import aggregate
from sim.analysis.reality_counts import MEASURES, Counted
from sim.analysis.tables import RunTables

KINDS = ("independent", "calibration", "input")  # the order a reader wants them in
VERDICTS = ("agrees", "differs", "not_comparable")
AGREES, DIFFERS, NOT_COMPARABLE = VERDICTS
CATALOGUE = "reality.yaml"
RULE = ("agrees: the published figure lies in the model's 95% interval over the replications, or the model's mean "
        "lies in the source's own 95% interval, or the two differ by at most the stated tolerance; differs: "
        "otherwise; not_comparable: the runs hold nothing to count it the way the source did")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Text(_Strict):
    en: str = Field(min_length=1)
    nl: str = Field(min_length=1)


class Tolerance(_Strict):
    relative: float | None = Field(None, gt=0, lt=1)
    absolute: float | None = Field(None, gt=0)

    def allowed(self, published: float) -> float:
        return max(self.absolute or 0.0, (self.relative or 0.0) * abs(published))


class Also(_Strict):
    """A second count shown beside the figure (e.g. with the Wlz clients on top)."""

    measure: str
    label: Text


class Figure(_Strict):
    """One published figure and how the model counts the same thing."""

    id: str
    kind: Literal["independent", "calibration", "input"]
    label: Text
    published: float
    interval: tuple[float, float] | None = None  # the source's own 95% interval
    tolerance: Tolerance | None = None
    unit: Literal["share", "count", "minutes", "seconds", "ratio"]
    digits: int = Field(0, ge=0, le=3)
    year: int = Field(ge=1990, le=2100)
    source: str = Field(pattern=r"^[a-z0-9-]+$")  # an anchor of docs/sources.md
    source_short: str
    counts: Text
    measure: str | None
    also: list[Also] = Field(default_factory=list)
    note: Text | None = None
    if_differs: Text | None = None
    not_comparable: Text | None = None

    @model_validator(mode="after")
    def _complete(self) -> "Figure":
        for name in [self.measure, *(a.measure for a in self.also)]:
            if name is not None and name not in MEASURES:
                raise ValueError(f"measure '{name}' is no function in sim/analysis/reality_counts.py")
        if self.measure is None and self.not_comparable is None:
            raise ValueError("a figure the model does not count needs a 'not_comparable' reason")
        if self.measure is not None and self.if_differs is None:
            raise ValueError("a figure the model counts needs 'if_differs': the likely reason when it differs")
        if self.interval is not None and not self.interval[0] <= self.published <= self.interval[1]:
            raise ValueError("the published figure lies outside its own interval")
        return self


class Catalogue(_Strict):
    figures: list[Figure] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique(self) -> "Catalogue":
        ids = [f.id for f in self.figures]
        if len(ids) != len(set(ids)):
            raise ValueError("two figures with the same id")
        return self


@lru_cache(maxsize=1)
def catalogue() -> tuple[Figure, ...]:
    """The shipped catalogue, checked (a malformed entry is a bug: it fails loudly)."""
    text = (resources.files("sim") / "data" / CATALOGUE).read_text(encoding="utf-8")
    try:
        return tuple(Catalogue.model_validate(yaml.safe_load(text)).figures)
    except ValidationError as exc:
        raise RuntimeError(f"sim/data/{CATALOGUE} is malformed: {exc}") from None


def verdict(fig: Figure, stats: dict[str, float] | None) -> str:
    """agrees, differs or not_comparable (the rule in the module's docstring)."""
    mean = (stats or {}).get("mean", math.nan)
    if not math.isfinite(mean):
        return NOT_COMPARABLE
    low, high = (stats or {}).get("ci_low", math.nan), (stats or {}).get("ci_high", math.nan)
    if math.isfinite(low) and math.isfinite(high) and low <= fig.published <= high:
        return AGREES
    if fig.interval is not None and fig.interval[0] <= mean <= fig.interval[1]:
        return AGREES
    if fig.tolerance is not None and abs(mean - fig.published) <= fig.tolerance.allowed(fig.published):
        return AGREES
    return DIFFERS


def _stats(values: list[float]) -> dict[str, float]:
    return aggregate([{"x": v} for v in values])["x"]


def row(fig: Figure, counted: list[Counted]) -> dict[str, Any]:
    """One figure as validation.json holds it: the catalogue entry, the model's figure per
    replication and over them (mean, sd, 95% interval), the verdict and its reason."""
    per_rep = [MEASURES[fig.measure](c) for c in counted] if fig.measure else []
    stats = _stats(per_rep) if per_rep else None
    judged = verdict(fig, stats)
    reason = {DIFFERS: fig.if_differs, NOT_COMPARABLE: fig.not_comparable, AGREES: None}[judged]
    if judged == NOT_COMPARABLE and reason is None:
        reason = Text(en="The runs hold nothing to count for this figure.",
                      nl="De runs bevatten niets om voor dit cijfer te tellen.")
    out = fig.model_dump(mode="json")
    out.update(model=stats, per_replication=per_rep, verdict=judged,
               reason=reason.model_dump() if reason else None,
               also=[{**a.model_dump(), "model": _stats([MEASURES[a.measure](c) for c in counted])}
                     for a in fig.also])
    return out


def evaluate(runs: list[RunTables]) -> list[dict[str, Any]]:
    """Every figure of the catalogue against these replications (one RunTables each)."""
    counted = [Counted(r) for r in runs]
    return [row(fig, counted) for fig in catalogue()]


def tally(rows: list[dict[str, Any]]) -> dict[str, dict[str, int]]:
    """How many figures of each kind agree, differ or are not comparable."""
    return {kind: {v: sum(r["kind"] == kind and r["verdict"] == v for r in rows) for v in VERDICTS} for kind in KINDS}
