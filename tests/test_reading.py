"""The bounded-reading pieces every input surface shares (sim/reading.py): a file of the
wrong kind or size, JSON nested too deep or holding NaN, a zip bomb posing as a workbook, a
sheet of a million rows, and cells of every type where a number, a text or a date belongs.
Each is one ScenarioError naming where, at once."""

from __future__ import annotations

import datetime as dt
import os
import time
import zipfile

import pytest

from sim.errors import ScenarioError
from sim.reading import (
    bounded_rows,
    cell_date,
    cell_number,
    cell_text,
    check_archive,
    json_depth,
    parse_json,
    read_bytes,
    read_json,
    read_text,
)


def refused(call, *fragments: str) -> str:
    with pytest.raises(ScenarioError) as info:
        call()
    message = str(info.value)
    assert "\n" not in message and len(message) < 400, message
    for fragment in fragments:
        assert fragment in message, (fragment, message)
    return message


def test_only_a_regular_file_within_its_size_is_read(tmp_path):
    (tmp_path / "ok.txt").write_bytes(b"abc")
    assert read_bytes(tmp_path / "ok.txt", "table", 10) == b"abc"
    refused(lambda: read_bytes(tmp_path, "table", 10), "is a folder")
    refused(lambda: read_bytes(tmp_path / "nope", "table", 10), "table not found")
    refused(lambda: read_bytes(tmp_path / "ok.txt", "table", 2), "at most 2 bytes")
    refused(lambda: read_bytes("/dev/zero", "table", 10), "not a regular file")
    os.mkfifo(tmp_path / "fifo")
    t0 = time.perf_counter()
    refused(lambda: read_bytes(tmp_path / "fifo", "table", 10), "not a regular file")
    assert time.perf_counter() - t0 < 1  # never opened: a FIFO would block
    refused(lambda: read_bytes(tmp_path / "a\0b", "table", 10), "NUL")
    (tmp_path / "latin.txt").write_bytes("naïve".encode("latin-1"))
    refused(lambda: read_text(tmp_path / "latin.txt", "table", 100), "line 1", "UTF-8")


def test_json_is_read_within_its_depth_and_without_nan(tmp_path):
    assert parse_json('{"a": [1, {"b": "[[[["}]}', "x.json") == {"a": [1, {"b": "[[[["}]}
    assert json_depth('{"a": "\\"[[[", "b": [[1]]}') == 3
    refused(lambda: parse_json("[" * 30_000 + "]" * 30_000, "x.json"), "x.json", "30,000 levels")
    refused(lambda: parse_json('{"a": NaN}', "x.json"), "NaN")
    refused(lambda: parse_json('{"a": -Infinity}', "x.json"), "Infinity")
    refused(lambda: parse_json('{"a": [1, 2', "x.json"), "line 1", "not valid JSON")
    (tmp_path / "r.json").write_text('{"replications": []}')
    assert read_json(tmp_path / "r.json", "results file", 1000) == {"replications": []}


def test_a_zip_bomb_is_refused_from_its_directory(tmp_path):
    bomb = tmp_path / "export.xlsx"
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/worksheets/sheet1.xml", b"0" * 50_000_000)  # 50 MB that packs to ~50 KB
    assert bomb.stat().st_size < 200_000
    refused(lambda: check_archive(bomb, "workbook", 20 * 1024**2), "unpacks to 48 MB", "at most 20 MB")
    refused(lambda: check_archive(bomb, "workbook", 100 * 1024**2), "a zip bomb?")
    ok = tmp_path / "ok.xlsx"
    with zipfile.ZipFile(ok, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/workbook.xml", b"<workbook/>")
    check_archive(ok, "workbook", 20 * 1024**2)
    (tmp_path / "not.xlsx").write_bytes(b"PK\x03\x04 broken")
    refused(lambda: check_archive(tmp_path / "not.xlsx", "workbook", 1024**2), "not a workbook")


def test_a_million_rows_are_refused_after_the_limit_without_reading_them_all():
    read = []

    def rows():
        for k in range(1_000_000):
            read.append(k)
            yield (k, "x")

    t0 = time.perf_counter()
    refused(lambda: list(bounded_rows(rows(), 10_000, "export.xlsx, sheet Consults")), "more than 10,000 rows")
    assert len(read) == 10_001 and time.perf_counter() - t0 < 1
    assert list(bounded_rows([1, 2], 2, "t")) == [1, 2]


@pytest.mark.parametrize("value, expected", [
    (5, 5), (2.5, 2.5), ("12", 12), (" -3.5 ", -3.5), ("2,5", 2.5), ("1e3", 1000.0), (None, None), ("", None),
])
def test_a_number_cell(value, expected):
    assert cell_number(value, "C7") == expected


@pytest.mark.parametrize("value, fragment", [
    ("=A1*2", "a formula"), (dt.date(2025, 1, 6), "a date where a number belongs"),
    (dt.datetime(2025, 1, 6, 8), "a date and time where a number belongs"), (dt.time(8), "a time"),
    (True, "true/false"), ("²", "is not a number"), ("٣", "is not a number"), ("0x10", "is not a number"),
    ("1_000", "is not a number"), (float("nan"), "finite"), (float("inf"), "finite"), ("NaN", "is not a number"),
    ([1], "a list"), (b"1", "a bytes"),
])
def test_a_number_cell_refuses(value, fragment):
    refused(lambda: cell_number(value, "export.xlsx, sheet Consults, cell C7"), "cell C7", fragment)


def test_a_number_cell_in_its_range():
    assert cell_number(24.0, "C7", low=1, high=100_000, integer=True) == 24
    refused(lambda: cell_number(2.5, "C7", integer=True), "whole number")
    refused(lambda: cell_number(10**7, "C7", low=1, high=100_000), "out of range", "from 1 to 100000")
    refused(lambda: cell_number("2,5", "C7", decimal_comma=False), "is not a number")


def test_a_text_cell():
    assert cell_text(" L01 ", "A2") == "L01" and cell_text(12.0, "A2") == "12" and cell_text(None, "A2") is None
    refused(lambda: cell_text("=HYPERLINK(\"x\")", "A2"), "a formula")
    refused(lambda: cell_text(dt.date(2025, 1, 6), "A2"), "a date where a text belongs")
    refused(lambda: cell_text("x" * 1000, "A2"), "1,000 characters")


def test_a_date_cell():
    assert cell_date(dt.date(2025, 1, 6), "B2") == dt.date(2025, 1, 6)
    assert cell_date(dt.datetime(2025, 1, 6), "B2") == dt.date(2025, 1, 6)
    assert cell_date("2025-01-06", "B2") == dt.date(2025, 1, 6)
    refused(lambda: cell_date(45663, "B2"), "a number where a date belongs")
    refused(lambda: cell_date(dt.datetime(2025, 1, 6, 8, 30), "B2"), "a date and time")
    refused(lambda: cell_date("2025-02-30", "B2"), "is not a date")
    refused(lambda: cell_date("06-01-2025", "B2"), "where a date belongs")
    refused(lambda: cell_date(dt.date(1, 1, 1), "B2"), "outside")
    refused(lambda: cell_date("=TODAY()", "B2"), "a formula")
