"""Every value the what-if page sends, checked again on the server before it is used.

The page's inputs already have their bounds (dcc.Input min/max/step, sliders, pickers),
but a request can be crafted by hand, so the server trusts nothing: numbers must be finite
numbers of the right kind within the field's bounds (not a string, a list, Infinity, NaN
or 1e9), choices must be among the options the server built. A refused value raises
`Refused`, which the app turns into one clear sentence in the page's language.

The bounds live here once, in FIELDS, and the page's inputs are built from them too, so
the box, the slider and the server always agree.
"""

from __future__ import annotations

import math
import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Any

from sim.present.app.catalogue import BaseScenario
from sim.present.whatif import ARRANGEMENTS, WhatIf
from sim.scenario.schema import KINDS, SECTORS

QUESTIONS = ("impact", "compare")  # a new location / compare an arrangement
BEHANDELING = ("zonder", "met")
SPREAD = ("one", "several")  # the residents' GP: one practice, or spread over several by share
ACTIONS = ("new", "change", "remove")  # a new location, an existing one changed, or closed
NAME_MAX = 60  # characters of a location's name
MAX_FILE = 1024 * 1024  # bytes per uploaded workbook file (a 1,000-location workbook is about 100 KB)
MAX_FILES = 4  # the csv files of one region: regio, praktijken, locaties, behandeldiensten
BROWSER_MAX = 6 * 1000 * 1000  # bytes the page sends at all: up to here a larger file gets a sentence
NAME_FORBIDDEN = re.compile(r"[,=:\x00-\x1f\x7f]")  # they would split an --add-location spec
SPEC_SAFE = re.compile(r"^[A-Za-z0-9_.\-]+$")  # ids that need no quoting in an --add-location spec


@dataclass(frozen=True)
class NumberField:
    """A number the page asks for: its bounds, the step its input moves by, its default,
    and whether it must be whole. `key` names its label in the app's words."""

    key: str
    lo: float
    hi: float
    step: float
    default: float
    whole: bool = True


FIELDS = {f.key: f for f in (
    NumberField("replications", 1, 50, 1, 5),
    NumberField("weeks", 1, 104, 1, 13),
    NumberField("residents", 1, 200, 1, 24),
    NumberField("share", 0, 100, 1, 0),  # a practice's share of the residents, %
    NumberField("gp", 30, 100, 5, 100, whole=False),  # GP time for the locations, % of today's
    NumberField("growth", 0, 30, 0.5, 0, whole=False),  # demand growth, %
    NumberField("resolve", 0, 100, 5, 45, whole=False),  # voorwacht: U5 questions settled, %
)}


class Refused(Exception):
    """A value the server will not use: `rule` says why (whole, number, choice, base,
    shares_sum, id, nothing), `field` which input, `values` the numbers for the sentence."""

    def __init__(self, rule: str, field: str, **values: Any):
        super().__init__(f"{field}: {rule} {values}")
        self.rule, self.field, self.values = rule, field, values


def _is_number(value: Any) -> bool:
    """A finite int or float; bool is an int to Python but never a number here."""
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def whole(value: Any, field: str) -> int:
    """A whole number within the field's bounds (3 and 3.0 pass; 2.5, '3', None, [3] do not)."""
    f = FIELDS[field]
    if not _is_number(value) or value != int(value) or not f.lo <= value <= f.hi:
        raise Refused("whole", field, lo=f.lo, hi=f.hi)
    return int(value)


def number(value: Any, field: str) -> float:
    """A finite number within the field's bounds."""
    f = FIELDS[field]
    if not _is_number(value) or not f.lo <= value <= f.hi:
        raise Refused("number", field, lo=f.lo, hi=f.hi)
    return float(value)


def choice(value: Any, allowed: Collection[str], field: str) -> str:
    """One of the options the server offered (checked as a string first: a list or a dict
    is never an option, and is not hashable either)."""
    if not isinstance(value, str) or value not in allowed:
        raise Refused("choice", field)
    return value


def choices(value: Any, allowed: Collection[str], field: str) -> list[str]:
    """A checklist's values: a list of offered options, each once, in the offered order."""
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) and v in allowed for v in value):
        raise Refused("choice", field)
    return [a for a in allowed if a in value]


def base_scenario(value: Any, catalogue: dict[str, BaseScenario]) -> BaseScenario:
    """The base scenario by its id; anything else (a path, an unknown id, a list) is refused
    without opening anything."""
    if not isinstance(value, str) or value not in catalogue:
        raise Refused("base", "base")
    return catalogue[value]


def language(value: Any) -> str:
    """The page's language; anything else falls back to English (it only picks words)."""
    return value if value in ("en", "nl") and isinstance(value, str) else "en"


# ------------------------------------------------------------------------------ the questions


@dataclass(frozen=True)
class Common:
    """What every run needs: replications and weeks measured."""

    replications: int
    weeks: int


@dataclass(frozen=True)
class ImpactAsk:
    """The impact question, checked: a new location (who, how many, which GP(s), its name),
    or an existing one (`location`) changed to these values or closed (`action`)."""

    base: BaseScenario
    residents: int
    kind: str
    sector: str
    behandeling: bool
    practice: dict[str, int]  # practice id -> % of the residents (one practice: 100)
    behandeldienst: str | None
    action: str = "new"
    name: str = ""  # the new location's name, as the user gave it ("" -> "Nieuwe locatie 1")
    location: str | None = None  # the existing location changed or closed

    def _fields(self) -> dict[str, str]:
        out = {"residents": str(self.residents), "kind": self.kind, "sector": self.sector}
        if self.behandeling:
            out.update(behandeling="true", bd=str(self.behandeldienst))
        else:
            out["behandeling"] = "false"
            out["gp"] = next(iter(self.practice)) if len(self.practice) == 1 else \
                "/".join(f"{pid}:{pct / 100!r}" for pid, pct in self.practice.items())
        return out

    def spec(self) -> str:
        """The location as `--add-location` writes it, so the app runs exactly what the
        command line would: name=De Eik,residents=24,kind=kleinschalig,sector=VV,gp=P1."""
        fields = {k: v for k, v in self._fields().items() if (k, v) != ("behandeling", "false")}
        named = [f"name={self.name}"] if self.name else []
        return ",".join(named + [f"{k}={v}" for k, v in fields.items()])

    def change_spec(self) -> str:
        """The change as `--change-location` writes it: L05:opheffen, or L05:residents=30,...
        with only what differs from the location as it is."""
        if self.action == "remove":
            return f"{self.location}:opheffen"
        loc = next(x for x in self.base.scenario.locations if x.id == self.location)
        now = {"residents": str(loc.residents), "kind": loc.kind, "sector": loc.sector,
               "behandeling": "true" if loc.behandeling else "false", "bd": str(loc.behandeldienst),
               "gp": _gp_now(loc.practice_shares())}
        changed = {k: v for k, v in self._fields().items() if now.get(k) != v}
        return f"{self.location}:" + ",".join(f"{k}={v}" for k, v in changed.items())


def _gp_now(shares: dict[str, float]) -> str:
    """A location's practice(s) as the spec writes them: P1, or P1:0.6/P2:0.4."""
    if len(shares) == 1:
        return next(iter(shares))
    return "/".join(f"{pid}:{round(share * 100) / 100!r}" for pid, share in shares.items())


@dataclass(frozen=True)
class CompareAsk:
    """The arrangement question, checked: a base scenario and the switches and sliders."""

    base: BaseScenario
    whatif: WhatIf


def common(replications: Any, weeks: Any) -> Common:
    return Common(whole(replications, "replications"), whole(weeks, "weeks"))


def _spec_id(value: str, field: str) -> str:
    """An id from the scenario that can go into an --add-location spec as it is."""
    if not SPEC_SAFE.match(value):
        raise Refused("id", field)
    return value


def shares(values: Iterable[tuple[Any, Any]], offered: Collection[str]) -> dict[str, int]:
    """(practice id, %) pairs from the share boxes: offered practices, whole percentages,
    together exactly 100; practices at 0% are left out."""
    out: dict[str, int] = {}
    for pid, pct in values:
        pid = choice(pid, offered, "practice")
        out[pid] = 0 if pct is None else whole(pct, "share")  # an empty box is 0%
    total = sum(out.values())
    if total != 100:
        raise Refused("shares_sum", "share", total=total)
    return {_spec_id(pid, "practice"): pct for pid, pct in out.items() if pct > 0}


def location_name(value: Any) -> str:
    """The name the user gives a new location: text of at most NAME_MAX characters, without
    the characters that would split the location's spec; empty is allowed (a default name)."""
    if value is None:
        return ""
    if not isinstance(value, str) or len(value.strip()) > NAME_MAX or NAME_FORBIDDEN.search(value):
        raise Refused("name", "name", n=NAME_MAX)
    return " ".join(value.split())


def impact_ask(base: BaseScenario, residents: Any, kind: Any, sector: Any, behandeling: Any, spread: Any,
               practice: Any, share_values: Iterable[tuple[Any, Any]], behandeldienst: Any,
               action: Any = "new", name: Any = None, location: Any = None) -> ImpactAsk:
    """The impact question's inputs, checked against the base scenario's own practices,
    behandeldiensten and locations; a change that changes nothing is refused."""
    action = choice(action, ACTIONS, "action")
    if action != "new":
        where = _spec_id(choice(location, [loc.id for loc in base.scenario.locations], "location"), "location")
        if action == "remove":
            return ImpactAsk(base, 1, "kleinschalig", "VV", False, {}, None, "remove", "", where)
        ask = impact_ask(base, residents, kind, sector, behandeling, spread, practice, share_values, behandeldienst)
        changed = ImpactAsk(**{**ask.__dict__, "action": "change", "location": where})
        if changed.change_spec().endswith(":"):
            raise Refused("unchanged", "location")
        return changed
    name = location_name(name)
    residents = whole(residents, "residents")
    kind, sector = choice(kind, KINDS, "kind"), choice(sector, SECTORS, "sector")
    met = choice(behandeling, BEHANDELING, "behandeling") == "met"
    if met:
        bd = _spec_id(choice(behandeldienst, base.behandeldiensten, "behandeldienst"), "behandeldienst")
        return ImpactAsk(base, residents, kind, sector, True, {}, bd, name=name)
    if choice(spread, SPREAD, "spread") == "one":
        gp = {_spec_id(choice(practice, base.practices, "practice"), "practice"): 100}
    else:
        gp = shares(share_values, base.practices)
    return ImpactAsk(base, residents, kind, sector, False, gp, None, name=name)


def compare_ask(base: BaseScenario, arrangements: Any, gp: Any, growth: Any, resolve: Any) -> CompareAsk:
    """The arrangement question's inputs; a what-if that changes nothing is refused."""
    w = WhatIf(arrangements=choices(arrangements, ARRANGEMENTS, "arrangements"),
               gp_capacity=round(number(gp, "gp") / 100, 4), growth=round(number(growth, "growth") / 100, 4),
               resolve_u5=round(number(resolve, "resolve") / 100, 4))
    if not w.changes_anything():
        raise Refused("nothing", "arrangements")
    return CompareAsk(base, w)
