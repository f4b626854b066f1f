"""Write the national scenario: configs/nederland.yaml (the country: its regions, in order)
and one region file per HAP region in configs/nederland/ (52 huisartsendienstenstructuren
for ~17.9 million inhabitants). Deterministic (fixed seed), so the same files every time.

    python benchmarks/make_nederland.py

Every figure comes from a published source or is an assumption said here and in the
files' headers (docs/sources.md, "The national scenario"):
- inhabitants per zorgkantoorregio: CBS regional projection for 2020 (benchmarks/data/
  zorgkantoorregios.csv), scaled to CBS's population on 1 January 2024 (17,942,942)
  [assumption: every region grew alike since 2020];
- HAP regions: each zorgkantoorregio split into round(inhabitants / 360,000) regions of
  equal size [assumption: HAP regions of 100,000-500,000 inhabitants, PLoS One 2017];
- posts per HAP region: InEen's distribution (54% one post, 35% two to four, 11% more),
  which region gets which drawn with a fixed seed [assumption];
- Wlz clients: CBS 84529NED (2022), 358,490 people with a Wlz indication, shared over the
  zorgkantoorregio's by their intramural VV clients (the regional index), then over its HAP
  regions by inhabitants; 29% live at home (CBS 2019); the other kinds, sectors and sizes of
  locations as in benchmarks/make_large_region.py [assumption];
- GP practices: one FTE per 2,350 inhabitants (Braspenning 2012), practices of 2-4 GPs
  [assumption]; behandeldiensten: one SO service per 10 nursing homes with behandeling, one
  AVG service for the GHZ ones [assumption, as the large region];
- HAP contacts: 248 per 1,000 inhabitants a year in all (Nivel 2017, published 2019; PLoS
  One 2017: ~250): the Wlz clients' own HAP contacts come from the model, the general
  population's background is the rest; rosters the model's defaults for the inhabitants
  each post serves.
"""

from __future__ import annotations

import csv
import hashlib
import math
import re
from pathlib import Path

import numpy as np
import yaml

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "benchmarks" / "data" / "zorgkantoorregios.csv"
WEEKDAYS = ["mon", "tue", "wed", "thu", "fri"]

POPULATION_2024 = 17_942_942  # CBS StatLine 37296ned: inhabitants on 1 January 2024
WLZ_CLIENTS = 358_490  # CBS StatLine 84529NED: people with a Wlz indication, 2022
HAP_REGION_SIZE = 360_000  # [assumption] inhabitants of a HAP region, the split's target
POSTS_SHARES = (0.54, 0.35, 0.11)  # InEen: one post, two to four, more than four
AT_HOME = 0.29  # CBS (2019): share of Wlz clients living at home
# [assumption, as benchmarks/make_large_region.py] the Wlz clients in an institution by kind of
# location, the locations' sizes, and the sectors
INSTITUTION_KINDS = {"kleinschalig": 0.45, "verpleeghuis": 0.35, "geclusterd": 0.20}
MEAN_SIZE = {"kleinschalig": 24, "verpleeghuis": 90, "geclusterd": 20}
SECTORS = (("VV", "GHZ", "GGZ"), (0.75, 0.18, 0.07))
PATIENTS_PER_FTE = 2_350  # Braspenning (2012)
HAP_CONTACTS_PER_1000 = 248  # Nivel (2019): HAP contacts per 1,000 inhabitants in 2017, everyone included
# HAP contacts a Wlz client makes a year in the model (handled.hap.wlz_per_week x 52.18 / Wlz clients,
# measured on the national scenario, 4 weeks): they are part of the published 248, so the
# background (everyone else) is the rest [calibration]
WLZ_HAP_CONTACTS_PER_CLIENT = 1.83
SEED = 17_900_000


def zorgkantoorregios() -> list[dict]:
    """The 32 rows of benchmarks/data/zorgkantoorregios.csv."""
    lines = [line for line in DATA.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    return list(csv.DictReader(lines))


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower().replace("'", "")).strip("-")


def region_seed(name: str) -> int:
    """A region's own seed, from its name: independent of the regions' order."""
    return int.from_bytes(hashlib.blake2b(f"nederland:{name}".encode(), digest_size=6).digest(), "big")


def hap_regions() -> list[dict]:
    """Every HAP region: its zorgkantoorregio, name, inhabitants and Wlz clients."""
    rows = zorgkantoorregios()
    inhabitants_2020 = sum(int(r["inwoners_2020"]) for r in rows)
    vv = sum(int(r["vv_zzp5_10_intramuraal_2020"]) for r in rows)
    growth = POPULATION_2024 / inhabitants_2020
    out = []
    for r in rows:
        inhabitants = int(r["inwoners_2020"]) * growth
        parts = max(1, round(inhabitants / HAP_REGION_SIZE))
        wlz = WLZ_CLIENTS * int(r["vv_zzp5_10_intramuraal_2020"]) / vv  # the regional index
        for k in range(parts):
            name = r["zorgkantoorregio"] + (f" {k + 1}" if parts > 1 else "")
            out.append({"name": name, "id": slug(name), "zorgkantoorregio": r["zorgkantoorregio"],
                        "code": r["code"], "inhabitants": round(inhabitants / parts), "wlz": wlz / parts,
                        "index": (int(r["vv_zzp5_10_intramuraal_2020"]) / vv)
                        / (int(r["inwoners_2020"]) / inhabitants_2020)})
    for reg, clients in zip(out, split(WLZ_CLIENTS, [reg["wlz"] for reg in out])):
        reg["wlz"] = clients  # whole clients that add up to the national total exactly
    return out


def posts_per_region(n: int, rng: np.random.Generator) -> list[int]:
    """Posts of each of n regions: InEen's shares as whole counts, two to four and five or six
    spread evenly, in an order drawn with the seed."""
    one, few = round(POSTS_SHARES[0] * n), round(POSTS_SHARES[1] * n)
    many = n - one - few
    counts = [1] * one + [2 + k % 3 for k in range(few)] + [5 + k % 2 for k in range(many)]
    return [counts[i] for i in rng.permutation(n)]


def split(total: int, shares: list[float]) -> list[int]:
    """`total` as whole numbers in proportion to `shares` (largest remainder)."""
    exact = [total * s / sum(shares) for s in shares]
    counts = [int(x) for x in exact]
    for k in sorted(range(len(exact)), key=lambda k: counts[k] - exact[k])[: total - sum(counts)]:
        counts[k] += 1
    return counts


def sizes(total: int, mean: int, rng: np.random.Generator) -> list[int]:
    """Location sizes around `mean` (Poisson, at least 4) that add up to `total` exactly."""
    out: list[int] = []
    while total - sum(out) > 1.5 * mean:
        out.append(int(max(4, rng.poisson(mean))))
    rest = total - sum(out)
    if rest > 0:
        out.append(rest)
    return out


def region_scenario(reg: dict, posts: int, rng: np.random.Generator) -> dict:
    """One HAP region as a scenario: posts, practices, behandeldiensten and Wlz locations."""
    share = [1.0] * posts
    background = HAP_CONTACTS_PER_1000 - WLZ_HAP_CONTACTS_PER_CLIENT * reg["wlz"] / reg["inhabitants"] * 1000
    haps = [{"id": f"hap{k + 1}", "name": f"Huisartsenspoedpost {reg['name']}" + (f" {k + 1}" if posts > 1 else ""),
             "inhabitants": n, "background": {"contacts_per_1000_year": round(background, 1)}}
            for k, n in enumerate(split(reg["inhabitants"], share))]
    fte_needed = reg["inhabitants"] / PATIENTS_PER_FTE
    practices, fte = [], 0
    while fte < fte_needed:
        g = int(rng.integers(2, 5))
        fte += g
        practices.append({"id": f"P{len(practices) + 1:03d}", "list_size": g * PATIENTS_PER_FTE,
                          "roster": [{"days": WEEKDAYS, "start": "08:00", "end": "17:00", "count": g}]})
    wlz = reg["wlz"]
    at_home = round(AT_HOME * wlz)
    kinds = dict(zip(INSTITUTION_KINDS, split(wlz - at_home, list(INSTITUTION_KINDS.values()))))
    locations: list[dict] = []

    def place(kind: str, residents: int, practice: str | None, sector: str) -> None:
        loc = {"id": f"L{len(locations) + 1:04d}", "kind": kind, "sector": sector, "residents": residents,
               "spoedpost": haps[int(rng.choice(posts, p=[h["inhabitants"] / reg["inhabitants"] for h in haps]))]["id"],
               "travel_min_hap": int(rng.integers(5, 30)), "travel_min_aanrijdteam": int(rng.integers(5, 40))}
        if practice is None:
            loc.update(behandeling=True, behandeldienst=None, travel_min_behandeldienst=int(rng.integers(0, 20)))
        else:
            loc.update(practice=practice, travel_min_practice=int(rng.integers(2, 20)))
        locations.append(loc)

    for p, residents in zip(practices, split(at_home, [p["list_size"] for p in practices])):
        if residents:
            place("thuis", residents, p["id"], str(rng.choice(SECTORS[0], p=SECTORS[1])))
    for kind, total in kinds.items():
        for residents in sizes(total, MEAN_SIZE[kind], rng):
            sector = str(rng.choice(SECTORS[0], p=SECTORS[1]))
            practice = None if kind == "verpleeghuis" else practices[int(rng.integers(0, len(practices)))]["id"]
            place(kind, residents, practice, sector)
    homes = [loc for loc in locations if loc.get("behandeling")]
    so_homes = [loc for loc in homes if loc["sector"] != "GHZ"]
    n_so = max(1, math.ceil(len(so_homes) / 10))
    diensten = [{"id": f"BD{b + 1}", "discipline": "so",
                 "roster": [{"days": WEEKDAYS, "start": "08:00", "end": "17:00", "count": 4}]} for b in range(n_so)]
    if len(so_homes) < len(homes):
        diensten.append({"id": "BD-AVG", "discipline": "avg",
                         "roster": [{"days": WEEKDAYS, "start": "08:00", "end": "17:00", "count": 2}]})
    for k, loc in enumerate(so_homes):
        loc["behandeldienst"] = f"BD{k % n_so + 1}"
    for loc in homes:
        if loc["sector"] == "GHZ":
            loc["behandeldienst"] = "BD-AVG"
    for d in diensten:  # evenings, nights and weekends as in the large region [assumption]
        d["roster"] += [{"days": WEEKDAYS, "start": "17:00", "end": "23:00", "count": 2},
                        {"days": WEEKDAYS, "start": "23:00", "end": "08:00", "count": 1},
                        {"days": ["sat", "sun", "holiday"], "start": "08:00", "end": "23:00", "count": 2},
                        {"days": ["sat", "sun", "holiday"], "start": "23:00", "end": "08:00", "count": 1}]
    return {"scenario": reg["id"],
            "description": {"en": f"HAP region {reg['name']} (zorgkantoorregio {reg['zorgkantoorregio']}), "
                                  "generated from public figures by benchmarks/make_nederland.py",
                            "nl": f"HAP-regio {reg['name']} (zorgkantoorregio {reg['zorgkantoorregio']}), "
                                  "gemaakt uit publieke cijfers door benchmarks/make_nederland.py"},
            "region": {"name": reg["name"], "inhabitants": reg["inhabitants"], "weeks": 52, "warmup_weeks": 2,
                       "seed": region_seed(reg["name"])},
            "spoedposten": haps, "practices": practices, "behandeldiensten": diensten, "locations": locations}


def header(reg: dict, posts: int, sc: dict) -> str:
    residents = sum(loc["residents"] for loc in sc["locations"])
    return (
        "# yaml-language-server: $schema=../../sim/data/scenario.schema.json\n"
        "# Generated by benchmarks/make_nederland.py (deterministic); do not edit by hand, run it again.\n"
        f"# HAP region {reg['name']}: zorgkantoorregio {reg['zorgkantoorregio']} ({reg['code']}).\n"
        f"# {reg['inhabitants']:,} inhabitants: CBS projection 2020 scaled to CBS 1 January 2024 [assumption: even "
        "growth], split evenly over the zorgkantoorregio's HAP regions [assumption].\n"
        f"# {residents:,} Wlz clients: CBS 84529NED (2022) 358,490 nationally x the regional index "
        f"{reg['index']:.2f} (intramural VV clients per inhabitant against the country's); "
        f"{AT_HOME:.0%} at home (CBS 2019).\n"
        f"# HAP background {sc['spoedposten'][0]['background']['contacts_per_1000_year']} contacts per 1,000 a year: "
        "Nivel's 248 in all less the Wlz clients' own (simulated) [calibration].\n"
        f"# {posts} post(s): InEen's distribution, drawn [assumption]; {len(sc['practices'])} GP practices "
        "(2,350 inhabitants per FTE, Braspenning 2012); kinds, sizes, sectors, travel times [assumption].\n")


def main() -> None:
    rng = np.random.default_rng(SEED)
    regions = hap_regions()
    posts = posts_per_region(len(regions), rng)
    folder = ROOT / "configs" / "nederland"
    folder.mkdir(exist_ok=True)
    for old in folder.glob("*.yaml"):
        old.unlink()
    files = []
    for reg, n in zip(regions, posts):
        sc = region_scenario(reg, n, rng)
        text = header(reg, n, sc) + yaml.safe_dump(sc, sort_keys=False, default_flow_style=None, width=160,
                                                   allow_unicode=True)
        (folder / f"{reg['id']}.yaml").write_text(text, encoding="utf-8")
        files.append(f"nederland/{reg['id']}.yaml")
    inhabitants = sum(r["inhabitants"] for r in regions)
    country = {"country": "nederland",
               "name": "Nederland",
               "description": {"en": f"The Netherlands: {len(regions)} HAP regions, {inhabitants:,} inhabitants",
                               "nl": f"Nederland: {len(regions)} HAP-regio's, "
                                     + f"{inhabitants:,}".replace(",", ".") + " inwoners"},
               "regions": files}
    text = ("# The Netherlands as one scenario: every HAP region a file of its own (configs/nederland/), run\n"
            "# as independent units of work (mgz-sim configs/nederland.yaml --weeks 4 -r 1). Generated by\n"
            "# benchmarks/make_nederland.py from public figures (docs/sources.md, 'The national scenario').\n"
            + yaml.safe_dump(country, sort_keys=False, allow_unicode=True, width=120))
    (ROOT / "configs" / "nederland.yaml").write_text(text, encoding="utf-8")
    wlz = sum(sum(loc["residents"] for loc in yaml.safe_load((folder / f.split("/")[1]).read_text())["locations"])
              for f in files)
    print(f"wrote configs/nederland.yaml and {len(files)} region files: {inhabitants:,} inhabitants, "
          f"{wlz:,} Wlz clients, posts {sum(posts)} ({sum(p == 1 for p in posts)} regions with one)")


if __name__ == "__main__":
    main()
