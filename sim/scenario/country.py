"""A country (or any set of regions) as one scenario: a file that lists region files.

    country: nederland
    name: Nederland
    description: {en: The Netherlands, nl: Nederland}
    regions: [nederland/groningen-1.yaml, nederland/groningen-2.yaml, ...]   # relative to this file
    set: {pressures.demand_growth: 0.2}    # optional: applied to every region
    extends: nederland.yaml                # optional: the regions (and set) of another country file

Each region is a complete scenario of its own, validated as any scenario file is; a run
simulates each region-replication as an independent task (experiments/country.py), so the
regions of a country give the same results as the same regions run alone.
"""

from __future__ import annotations

import difflib
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import Field, ValidationError

from sim.errors import ScenarioError
from sim.scenario.config import Scenario
from sim.scenario.loading import parse_scenario
from sim.scenario.messages import errors_to_message
from sim.scenario.schema import FolderName, Name, Strict, Text, Translated
from sim.scenario.yaml_reading import MAX_EXTENDS, file_ref, read_file, read_yaml

MAX_REGIONS = 500


class CountryFile(Strict):
    """The schema of a country file."""

    country: FolderName = Field(description="name, used as the results folder (results/<country>/)")
    name: Name = Field("", description="the country's (or the set of regions') name in reports")
    description: Text | Translated = Field("", description="what the scenario is, in words ({en: ..., nl: ...})")
    regions: Annotated[list[str], Field(min_length=1, max_length=MAX_REGIONS)] = Field(
        description="region scenario files, relative to this file; each a complete scenario")
    set: dict[str, Any] = Field(default_factory=dict, description="path: value, applied to every region")


@dataclass
class Country:
    """A validated country: its regions as scenarios, in the file's order."""

    name: str
    title: str
    description: str | Translated
    source: Path
    regions: list[Scenario] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)
    settings: dict[str, Any] = field(default_factory=dict)

    def describe(self, lang: str = "en") -> str:
        return self.description.text(lang) if isinstance(self.description, Translated) else self.description

    @property
    def inhabitants(self) -> int:
        return sum(sc.region.inhabitants for sc in self.regions)


def _data(path: Path) -> tuple[Any, dict[str, Any]]:
    root, data = read_yaml(read_file(path), str(path))
    if not isinstance(data, dict):
        raise ScenarioError(f"{path}: a country file is a mapping of keys (country, regions, ...)")
    return root, data


def is_country_file(path: str | Path | None) -> bool:
    """A YAML file that lists regions rather than locations (cheap: a look at its top keys)."""
    if path is None:
        return False
    path = Path(path)
    if path.suffix.lower() not in (".yaml", ".yml") or not path.is_file():
        return False
    try:
        head = path.read_text(encoding="utf-8-sig", errors="replace")[:20_000]
    except OSError:
        return False
    return any(line.startswith("country:") for line in head.splitlines())


def refuse_country(path: Path) -> None:
    """A command of one region given a country file: say which commands take a country and
    which file to give instead."""
    if is_country_file(path):
        _, data = _data(path)
        regions: list[Any] = data["regions"] if isinstance(data.get("regions"), list) else []
        example = f", e.g. {(path.parent / str(regions[0])).as_posix()}" if regions else ""
        raise ScenarioError(f"{path}: a country file ({len(regions)} regions): run, compare and sweep take it; this "
                            f"command is about one region: give that region's scenario file{example}")


def _resolved(path: Path, seen: tuple[str, ...] = ()) -> tuple[Any, dict[str, Any]]:
    """The country file's data with `extends:` applied: the parent's regions unless the file
    names its own, the parent's `set` and then its own."""
    root, data = _data(path)
    parent = data.pop("extends", None)
    if parent is not None:
        ref = file_ref(parent, str(path), "extends", path.parent)
        if str(ref) in seen or len(seen) >= MAX_EXTENDS:
            raise ScenarioError(f"{path}: extends: {parent!r} makes a cycle or too long a chain")
        _, base = _resolved(ref, (*seen, str(ref)))
        base["regions"] = [str((ref.parent / r).resolve()) for r in base.get("regions", [])]
        data = {**base, **data, "set": {**base.get("set", {}), **(data.get("set") or {})}}
    return root, data


def region_seed(seed: int, region: str) -> int:
    """A region's seed when a run gives one seed for the whole country: its own, from the
    given seed and the region's name (independent of the order of the regions)."""
    digest = hashlib.blake2b(f"{seed}:{region}".encode(), digest_size=7).digest()
    return int.from_bytes(digest, "big")


def load_region(path: str | Path, region: str | None, overrides: dict[str, Any] | None = None) -> Scenario:
    """One region of a country as the country runs it (its `set` applied): by its file's
    name (`impact --region`, which asks about one region)."""
    path = Path(path)
    spec = _spec(path)
    names = [Path(name).stem for name in spec.regions]
    if region is None or region not in names:
        close = difflib.get_close_matches(region or "", names, n=1)
        hint = f"did you mean '{close[0]}'? " if close else ""
        raise ScenarioError(f"{path}: a country of {len(names)} regions: name the region with --region ({hint}"
                            f"regions: {', '.join(names[:8])}{', ...' if len(names) > 8 else ''})")
    file = file_ref(spec.regions[names.index(region)], str(path), "regions", path.parent)
    overrides = dict(overrides or {})
    sc = parse_region(file, spec.set, overrides, overrides.pop("region.seed", None))
    if isinstance(sc, ScenarioError):
        raise sc
    return sc


def _spec(path: Path) -> CountryFile:
    """The country file, `extends` applied, validated."""
    root, data = _resolved(path)
    try:
        return CountryFile.model_validate(data)
    except ValidationError as exc:
        raise ScenarioError(errors_to_message(str(path), root, exc.errors(), CountryFile)) from None


def parse_region(file: Path, settings: dict[str, Any], overrides: dict[str, Any],
                 seed: int | None) -> Scenario | ScenarioError:
    """One region of a country, validated (a task that may run in a worker process): its
    file with the country's `set` and the run's overrides, its own seed from `seed` when a
    run gives one; a ScenarioError is returned, not raised, so the caller reports the first
    bad region in the country's order."""
    try:
        text = yaml.safe_dump({"extends": str(file), "set": settings}) if settings else read_file(file)
        sc = parse_scenario(text, str(file), overrides, file.parent)
        if seed is not None:
            sc = parse_scenario(text, str(file), {**overrides, "region.seed": region_seed(seed, sc.scenario)},
                                file.parent)
        return sc
    except ScenarioError as exc:
        return exc


Mapper = Callable[[Callable[..., Any], list[tuple[Any, ...]]], list[Any]]


def _in_turn(fn: Callable[..., Any], args: list[tuple[Any, ...]]) -> list[Any]:
    return [fn(*a) for a in args]


def load_country(path: str | Path, overrides: dict[str, Any] | None = None, parse_all: Mapper = _in_turn) -> Country:
    """Read and validate a country file and every region it names. `overrides` are as for
    one scenario (region.weeks, ...); `region.seed` gives each region a seed of its own
    derived from it (region_seed). `parse_all(parse_region, arguments)` validates the
    regions (in turn by default; present/national_run.py spreads them over the workers)."""
    path = Path(path)
    spec = _spec(path)
    overrides = dict(overrides or {})
    seed = overrides.pop("region.seed", None)
    files = [file_ref(name, str(path), "regions", path.parent) for name in spec.regions]
    regions = parse_all(parse_region, [(file, spec.set, overrides, seed) for file in files])
    names: set[str] = set()
    for sc in regions:
        if isinstance(sc, ScenarioError):
            raise sc
        if sc.scenario in names:
            raise ScenarioError(f"{path}: regions: two regions are called '{sc.scenario}'; each needs its own "
                                "'scenario:' name (it names its results folder)")
        names.add(sc.scenario)
    return Country(name=spec.country, title=spec.name or spec.country, description=spec.description, source=path,
                   regions=regions, files=files, settings=spec.set)
