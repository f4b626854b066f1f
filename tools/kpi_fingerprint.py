"""Every configuration's KPIs (and a hash of its tables), to show that a change to the code
changed no result, bit for bit.

    python tools/kpi_fingerprint.py save before.json     # on the old code
    python tools/kpi_fingerprint.py compare before.json  # on the new code: exit 1 on any difference

Each scenario in configs/ runs one replication (replication 0) of its own horizon; the
large region too (about 10 s). The check is exact: a KPI that moved in its last bit is a
difference, and so is a table that changed in any value.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _one(path: Path) -> dict:
    from sim.cli import (
        fingerprint_run,  # the package's own pipeline: scenario -> tables -> KPIs
    )
    requests, stages, kpis = fingerprint_run(path)
    digest = hashlib.sha256()
    for df in (requests, stages):
        digest.update(pd.util.hash_pandas_object(df, index=False).to_numpy().tobytes())
        digest.update(",".join(df.columns).encode())
    return {"tables": digest.hexdigest(), "kpis": {k: repr(v) for k, v in sorted(kpis.items())}}


def collect() -> dict:
    from sim.scenario.country import is_country_file  # a country lists regions: not one scenario
    return {p.stem: _one(p) for p in sorted((ROOT / "configs").glob("*.yaml")) if not is_country_file(p)}


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[0] not in ("save", "compare"):
        print(__doc__)
        return 2
    now = collect()
    path = Path(argv[1])
    if argv[0] == "save":
        path.write_text(json.dumps(now, indent=1, sort_keys=True))
        print(f"{len(now)} scenarios, {sum(len(v['kpis']) for v in now.values())} KPIs written to {path}")
        return 0
    before = json.loads(path.read_text())
    differences = 0
    for name in sorted(set(before) | set(now)):
        a, b = before.get(name), now.get(name)
        if a is None or b is None:
            print(f"{name}: only {'before' if b is None else 'now'}")
            differences += 1
            continue
        if a["tables"] != b["tables"]:
            print(f"{name}: tables differ")
            differences += 1
        for k in sorted(set(a["kpis"]) | set(b["kpis"])):
            if a["kpis"].get(k) != b["kpis"].get(k):
                print(f"{name}: {k}: {a['kpis'].get(k)} -> {b['kpis'].get(k)}")
                differences += 1
    kpis = sum(len(v["kpis"]) for v in now.values())
    print(f"{len(now)} scenarios, {kpis} KPIs: " + ("identical, bit for bit" if not differences
                                                     else f"{differences} differences"))
    return 1 if differences else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
