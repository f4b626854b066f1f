"""Writing results without ever losing or half-writing anything.

Every file is written to a temporary name and renamed into place. A run first fills a
partial folder named after the scenario's hash (its finished replications in `runs/`,
experiments/store.py); rerunning the same command after an interruption picks up the
finished replications from there. Only when all are done is the partial folder renamed to
results/<scenario>/<timestamp>/.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import os
import shutil
from pathlib import Path
from typing import Any

import pandas as pd


def atomic_write_text(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def atomic_write_parquet(path: Path, df: pd.DataFrame) -> None:
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    # dictionary-encode only the categorical columns: trying it on every float column
    # (pyarrow's default) costs a fifth of the write time and makes the files larger
    categorical = [c for c in df.columns if isinstance(df[c].dtype, pd.CategoricalDtype)]
    df.to_parquet(tmp, index=False, engine="pyarrow", compression="zstd", use_dictionary=categorical or False)
    os.replace(tmp, path)


def _json_safe(obj: Any) -> Any:
    """JSON has no NaN or infinity: NaN (not measurable) becomes null, an infinite value
    (beyond the horizon: still waiting when the run ended) the string "inf"."""
    if isinstance(obj, float) and not math.isfinite(obj):
        return None if math.isnan(obj) else ("inf" if obj > 0 else "-inf")
    if isinstance(obj, dict):
        return {k: _json_safe(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_json_safe(v) for v in obj]
    return obj


def number(value: Any) -> float:
    """A number read back from our JSON: null is NaN, "inf" infinity."""
    return math.nan if value is None else float(value)


def atomic_write_json(path: Path, data: Any) -> None:
    atomic_write_text(path, json.dumps(_json_safe(data), indent=2, ensure_ascii=False, allow_nan=False) + "\n")


def scenario_hash(resolved_yaml: str, replications: int) -> str:
    return hashlib.sha256(f"{resolved_yaml}\nreplications={replications}".encode()).hexdigest()[:16]


def partial_dir(out_root: Path, digest: str) -> Path:
    return out_root / f".partial-{digest}"


def merge_tables(parts: list[Path], target: Path) -> None:
    """One table over all replications: the parts are appended row group by row group
    (pyarrow), never held in memory all at once."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    tmp = target.with_name(f".{target.name}.tmp-{os.getpid()}")
    if len(parts) == 1:
        shutil.copyfile(parts[0], tmp)
    else:
        schema = pq.read_schema(parts[0])
        categorical = [f.name for f in schema if pa.types.is_dictionary(f.type)]
        with pq.ParquetWriter(tmp, schema, compression="zstd", use_dictionary=categorical or False) as writer:
            for part in parts:
                writer.write_table(pq.read_table(part).cast(schema))
    os.replace(tmp, target)


def finalise(partial: Path, out_root: Path, stamp: dt.datetime | None = None) -> Path:
    """Rename the complete partial folder to a fresh timestamped folder (never overwrite)."""
    shutil.rmtree(partial / "runs", ignore_errors=True)  # the tasks' own files: merged by now
    base = (stamp or dt.datetime.now()).strftime("%Y%m%d-%H%M%S")
    for k in range(1000):
        target = out_root / (base if k == 0 else f"{base}-{k}")
        if not target.exists():
            try:
                os.rename(partial, target)
                return target
            except OSError:
                if not target.exists():
                    raise
    raise RuntimeError(f"could not find a free results folder under {out_root}")
