"""One resume mechanism for every experiment: a folder of finished tasks.

Each task (a replication of a run, a design point's replication in a sweep, a variant of
an impact question, ...) is saved the moment it finishes: its tables first (Parquet, each
written to a temporary name and renamed), then its record (JSON), which marks it done. A
task whose record exists is not run again, so after Ctrl-C, `kill -9` or a power cut the
same command picks up where it stopped and ends with the same results. A task that
failed is kept with its error and retried by the next run. A write the disk refuses (full,
read-only, ...) is a FaultError naming the experiment's folder (experiments/output.py).

    store = TaskStore(folder / "runs")
    todo = [key for key in keys if not store.done(key)]
    ...
    store.save(key, {"kpis": ...}, {"requests": df})
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pandas as pd

from sim.experiments.executor import Outcome, run_tasks
from sim.experiments.output import (
    atomic_write_json,
    atomic_write_parquet,
    faults,
    make_dir,
    remove_stale_tmp,
)


class TaskStore:
    """Finished tasks in one folder: `<key>.json` (the record, written last) and
    `<key>.<table>.parquet` beside it."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)

    def record_path(self, key: str) -> Path:
        return self.folder / f"{key}.json"

    def table_path(self, key: str, table: str) -> Path:
        return self.folder / f"{key}.{table}.parquet"

    def done(self, key: str) -> bool:
        """Finished without an error (a failed task is run again)."""
        record = self.load(key)
        return record is not None and record.get("error") is None

    def save(self, key: str, record: dict[str, Any], tables: dict[str, pd.DataFrame] | None = None) -> None:
        """The tables first, then the record: each synced to the disk before the next, so a
        record on the disk always has its tables."""
        with faults(self.folder.parent):
            self.save_tables(key, tables or {})
            atomic_write_json(self.record_path(key), record)

    def save_tables(self, key: str, tables: dict[str, pd.DataFrame]) -> None:
        """A task's tables, without its record (a worker on this machine writes its own
        tables; the record, written after, marks the task done)."""
        with faults(self.folder.parent):
            make_dir(self.folder)
            items = list(tables.items())
            if len(items) > 1:  # side by side: pyarrow encodes and compresses without holding the GIL
                with ThreadPoolExecutor(len(items)) as pool:
                    for done in [pool.submit(atomic_write_parquet, self.table_path(key, name), df)
                                 for name, df in items]:
                        done.result()  # the first error, after every write has ended
            else:
                for name, df in items:
                    atomic_write_parquet(self.table_path(key, name), df)

    def clean(self) -> None:
        """Remove temporary files left by a killed process (not those of a live one)."""
        with faults(self.folder.parent):
            remove_stale_tmp(self.folder)

    def load(self, key: str) -> dict[str, Any] | None:
        """The task's record; None if it has none (or an unreadable one, which a power cut
        may have left before records were synced to the disk: the task is run again)."""
        path = self.record_path(key)
        try:
            return json.loads(path.read_text())
        except FileNotFoundError:
            return None
        except ValueError:
            return None


def run_in_store(store: TaskStore, fn: Callable, tasks: Iterable[tuple[str, tuple]], workers: int,
                 dask: str | None, desc: str, quiet: bool,
                 keep: Callable[[str, Outcome], tuple[dict[str, Any], dict[str, pd.DataFrame]]]) -> Iterator[str]:
    """Run the tasks not yet done in the store (on one process, all local cores or a Dask
    cluster: experiments/executor.py) and save each the moment it finishes; `keep` turns an
    outcome into its record and tables. Yields the keys saved, in completion order."""
    tasks = list(tasks)
    store.clean()
    todo = [(key, args) for key, args in tasks if not store.done(key)]
    if len(todo) < len(tasks) and not quiet:
        print(f"Resuming: {len(tasks) - len(todo)} of {len(tasks)} runs already done in {store.folder.parent}",
              file=sys.stderr)
    for outcome in run_tasks(fn, todo, workers, dask, desc=desc, quiet=quiet):
        record, tables = keep(outcome.key, outcome)
        store.save(outcome.key, record, tables)
        yield outcome.key
