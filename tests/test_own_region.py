"""Your own region from the spreadsheet you already have (issue 20): a workbook (.xlsx, .ods,
a folder of .csv) gives the same scenario, and so the same results, as the YAML a person
writes by hand from the documented rules; a bad workbook gets every bad row at once, with
sheet, row and column; the template and the export round-trip."""

from __future__ import annotations

import csv
import datetime as dt
import zipfile
from pathlib import Path

import openpyxl
import pytest

from sim.cli import main
from sim.experiments.runner import run_replication
from sim.scenario.loading import load_scenario, parse_scenario
from sim.scenario.regio_termen import sector_of
from sim.scenario.werkboek import read_workbook
from sim.scenario.werkboek_cellen import MAX_ROWS, MAX_UNPACKED_BYTES, MAX_WORKBOOK_BYTES
from sim.scenario.werkboek_lezen import WorkbookError
from sim.scenario.werkboek_schrijven import write_scenario, write_template

from .conftest import ROOT

# A held-out-like region: 180,000 inhabitants, three practices (one by FTE, one by its list
# size, one named by its AGB code with a leading zero), homes with PG and VG residents spread
# over practices, a new home, and a nursing home met behandeling with its behandeldienst.
SHEETS = {
    "regio": [("veld", "waarde"), ("naam", "Regio Westerkwartier"), ("inwoners", 180000.0),
              ("huisartsenpost", "Huisartsenpost Westerkwartier"), ("weken", 4), ("inloopweken", 1),
              ("seed", 7)],
    "praktijken": [("naam", "AGB", "patiënten", "huisartsen (fte)"),
                   ("Huisartsen Leek", "01234567", 4700, None),
                   ("Praktijk Zuidhorn", None, None, 2.5),
                   ("Gezondheidscentrum Grootegast", 1234568, 7050, 3.0)],
    "behandeldiensten": [("naam", "discipline", "artsen overdag", "artsen anw"),
                         ("Behandeldienst Zorggroep West", "SO", 2, 1)],
    "locaties": [("naam", "postcode", "bewoners", "soort", "zorgprofiel", "behandeling", "huisartspraktijk",
                  "behandeldienst", "reistijd huisarts (min)", "reistijd huisartsenpost (min)"),
                 ("De Eik", "9351 AB", 24.0, "kleinschalig", "PG", "nee",
                  "Huisartsen Leek: 60%; Praktijk Zuidhorn: 40%", None, 6, 18),
                 ("Het Anker", None, 16, "kleinschalig", "VG 5", "nee", "01234568: 50%; Huisartsen Leek: 50%",
                  None, 9, 25),
                 ("De Nieuwe Hof", "9801 KL", 20, "kleinschalig", "PG", "nee", "Praktijk Zuidhorn", None, 4,
                  12.5),
                 ("Verpleeghuis Westerhof", None, 90, "verpleeghuis", "SOM", "ja", None,
                  "Behandeldienst Zorggroep West", None, 14)],
}

# The same region written by hand, from docs/model.md ('Your own region'): ids in order, the
# roster from FTE (2.5 FTE: 3 GPs Mon-Wed, 2 Thu-Fri) or from the list size at 2,350 per FTE.
BY_HAND = """\
scenario: westerkwartier
region: {name: Regio Westerkwartier, inhabitants: 180000, weeks: 4, warmup_weeks: 1, seed: 7}
spoedpost: {name: Huisartsenpost Westerkwartier}
practices:
  - {id: P1, name: Huisartsen Leek, agb: "01234567", list_size: 4700,
     roster: [{days: [mon, tue, wed, thu, fri], start: "08:00", end: "17:00", count: 2}]}
  - {id: P2, name: Praktijk Zuidhorn, list_size: 5875,
     roster: [{days: [mon, tue, wed], start: "08:00", end: "17:00", count: 3},
              {days: [thu, fri], start: "08:00", end: "17:00", count: 2}]}
  - {id: P3, name: Gezondheidscentrum Grootegast, agb: "01234568", list_size: 7050,
     roster: [{days: [mon, tue, wed, thu, fri], start: "08:00", end: "17:00", count: 3}]}
behandeldiensten:
  - {id: BD1, name: Behandeldienst Zorggroep West, discipline: so}
locations:
  - {id: L01, name: De Eik, postcode: 9351 AB, kind: kleinschalig, sector: VV, zorgprofiel: PG, residents: 24,
     practice: {P1: 0.6, P2: 0.4}, travel_min_practice: 6, travel_min_hap: 18}
  - {id: L02, name: Het Anker, kind: kleinschalig, sector: GHZ, zorgprofiel: VG 5, residents: 16,
     practice: {P3: 0.5, P1: 0.5}, travel_min_practice: 9, travel_min_hap: 25}
  - {id: L03, name: De Nieuwe Hof, postcode: 9801 KL, kind: kleinschalig, sector: VV, zorgprofiel: PG,
     residents: 20, practice: P2, travel_min_practice: 4, travel_min_hap: 12.5}
  - {id: L04, name: Verpleeghuis Westerhof, kind: verpleeghuis, sector: VV, zorgprofiel: SOM, residents: 90,
     behandeling: true, behandeldienst: BD1, travel_min_hap: 14}
"""


def write_xlsx(path: Path, sheets: dict[str, list[tuple]]) -> Path:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        ws = book.create_sheet(name)
        for row in rows:
            ws.append(list(row))
    book.save(path)
    return path


def write_ods(path: Path, sheets: dict[str, list[tuple]]) -> Path:
    """A minimal OpenDocument spreadsheet, as LibreOffice writes its cells."""
    def cell(v):
        if v is None:
            return "<table:table-cell/>"
        if isinstance(v, (int, float)):
            return f'<table:table-cell office:value-type="float" office:value="{v}"><text:p>{v}</text:p></table:table-cell>'
        return f'<table:table-cell office:value-type="string"><text:p>{v}</text:p></table:table-cell>'
    body = "".join(f'<table:table table:name="{name}">' + "".join(
        "<table:table-row>" + "".join(cell(v) for v in row) + "</table:table-row>" for row in rows) + "</table:table>"
        for name, rows in sheets.items())
    content = ('<?xml version="1.0" encoding="UTF-8"?><office:document-content '
               'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
               'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
               'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
               f"<office:body><office:spreadsheet>{body}</office:spreadsheet></office:body></office:document-content>")
    manifest = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
                'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
                '<manifest:file-entry manifest:full-path="/" '
                'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
                '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
                "</manifest:manifest>")
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet", compress_type=zipfile.ZIP_STORED)
        z.writestr("META-INF/manifest.xml", manifest)
        z.writestr("content.xml", content)
    return path


def write_csv(folder: Path, sheets: dict[str, list[tuple]], prefix: str = "") -> Path:
    """One .csv per sheet as Dutch Excel saves them: ';' between cells, a decimal comma."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, rows in sheets.items():
        with open(folder / f"{prefix}{name}.csv", "w", newline="", encoding="utf-8") as f:
            csv.writer(f, delimiter=";").writerows(
                ["" if v is None else f"{v:g}".replace(".", ",") if isinstance(v, float) else v for v in row]
                for row in rows)
    return folder


@pytest.fixture
def region_xlsx(tmp_path) -> Path:
    return write_xlsx(tmp_path / "westerkwartier.xlsx", SHEETS)


def test_a_workbook_gives_the_scenario_and_the_results_of_the_yaml_written_by_hand(region_xlsx):
    by_hand = parse_scenario(BY_HAND, "by_hand.yaml")
    from_workbook = load_scenario(region_xlsx)
    assert from_workbook == by_hand
    a, b = run_replication(from_workbook, 0), run_replication(by_hand, 0)
    same = {k: v for k, v in a.kpis.items() if v == v}  # NaN (nothing to measure) is no number to compare
    assert same == {k: v for k, v in b.kpis.items() if v == v} and set(a.kpis) == set(b.kpis)
    assert a.tables.requests.equals(b.tables.requests) and a.kpis["service.P2.handled_per_week"] > 0


def test_ods_and_csv_give_the_same_scenario(tmp_path):
    by_hand = parse_scenario(BY_HAND, "by_hand.yaml")
    assert load_scenario(write_ods(tmp_path / "westerkwartier.ods", SHEETS)) == by_hand
    folder = write_csv(tmp_path / "westerkwartier", SHEETS)
    assert load_scenario(folder) == by_hand  # the folder
    assert load_scenario(folder / "locaties.csv") == by_hand.model_copy(update={"scenario": "westerkwartier"})
    write_csv(tmp_path / "mixed", SHEETS, prefix="westerkwartier-")
    assert load_scenario(tmp_path / "mixed" / "westerkwartier-praktijken.csv") == by_hand  # one region of several


def test_import_writes_a_commented_yaml_beside_it_that_runs_the_same(region_xlsx, capsys):
    assert main(["regio", "importeer", str(region_xlsx)]) == 0
    out = capsys.readouterr().out
    written = region_xlsx.with_suffix(".yaml")
    text = written.read_text()
    assert "zorgprofiel PG -> sector VV" in text and "3 huisartsen ma-wo, 2 huisartsen do-vr" in text
    assert "4.700 patiënten à 2.350 per fte" in out and f"Geschreven: {written}" in out
    assert parse_scenario(text, str(written)) == load_scenario(region_xlsx)
    # never overwritten silently; --force replaces it; `region import` speaks English
    assert main(["regio", "importeer", str(region_xlsx)]) == 2
    assert "bestaat al" in capsys.readouterr().err
    assert main(["region", "import", str(region_xlsx), "--force"]) == 0
    assert "care profile PG -> sector VV" in written.read_text() and "Written:" in capsys.readouterr().out


def test_run_impact_and_compare_take_a_workbook(region_xlsx, tmp_path, capsys):
    assert main(["run", str(region_xlsx), "-q", "--out", str(tmp_path / "runs"), "-w", "1"]) == 0
    folder = Path(capsys.readouterr().out.strip())
    assert load_scenario(folder / "scenario.yaml") == load_scenario(region_xlsx)
    assert main(["impact", str(region_xlsx), "-r", "1", "-w", "1", "--out", str(tmp_path / "imp"), "--lang", "nl",
                 "--add-location", "naam=De Boerderij,bewoners=12,soort=kleinschalige woonvorm,zorgprofiel=PG,"
                                   "huisarts=Huisartsen Leek"]) == 0
    assert "een nieuwe kleinschalige woonvorm 'De Boerderij' van 12 bewoners bij Huisartsen Leek" in \
        capsys.readouterr().out
    assert main(["compare", str(region_xlsx), str(region_xlsx), "-r", "1", "-w", "1", "-q",
                 "--out", str(tmp_path / "cmp")]) == 0


def test_a_bad_workbook_gets_every_bad_row_in_one_message(tmp_path, capsys):
    bad = {
        "regio": [("veld", "waarde"), ("naam", "Regio X"), ("inwoners", "180.000")],
        "praktijken": [("naam", "AGB", "patiënten", "huisartsen (fte)"), ("De Linde", "12345678901", None, None),
                       ("Het Veld", None, 2350, None)],
        "locaties": [("naam", "bewoners", "soort", "sector", "huisartspraktijk", "bewonrs"),
                     ("A", 20.5, "kleinschalig", "VV", "De Linde", None),
                     ("B", 12, "kasteel", "VV", "Het Vled", None),
                     ("C", 10, "kleinschalig", "PG", "De Linde: 60%; Het Veld: 30%", None),
                     ("D", dt.datetime(2025, 1, 6), "thuis", None, "Het Veld", None)],
    }
    path = write_xlsx(tmp_path / "fout.xlsx", bad)
    with pytest.raises(WorkbookError) as info:
        read_workbook(path)
    text = info.value.text("en")
    expected = [
        "sheet regio, row 3, column waarde (B): '180.000': write 180000",
        "sheet praktijken, row 2, column AGB (B): '12345678901' is no AGB code",
        "sheet praktijken, row 2, column huisartsen (fte) (D): give the GPs (FTE) or the patients",
        "sheet locaties, row 1, column bewonrs (F): unknown column 'bewonrs'; did you mean 'bewoners'",
        "sheet locaties, row 2, column bewoners (B): 20.5 is not a whole number",
        "sheet locaties, row 3, column soort (C): 'kasteel' is no kind of location",
        "sheet locaties, row 3, column huisartspraktijk (E): no practice 'Het Vled'; did you mean 'Het Veld'?",
        "sheet locaties, row 4, column huisartspraktijk (E): the shares sum to 90%",
        "sheet locaties, row 5, column bewoners (B): a date or time where a number belongs",
        "sheet locaties, row 5, column sector (D): give the sector (VV, GHZ, GGZ) or the care profile",
    ]
    for line in expected:
        assert line in text, (line, text)
    assert text.startswith(f"fout.xlsx: {len(expected)} problems in the workbook; nothing was read:"), text
    # the command line: every row on stderr in Dutch under `regio`, exit 2, no traceback
    assert main(["regio", "importeer", str(path)]) == 2
    err = capsys.readouterr().err
    assert "blad locaties, rij 3, kolom huisartspraktijk (E): geen praktijk 'Het Vled'; bedoelt u 'Het Veld'?" in err
    assert err.count("\n  blad ") == len(expected) and "Traceback" not in err
    assert main(["run", str(path), "--out", str(tmp_path)]) == 2
    assert "sheet locaties, row 2, column bewoners (B)" in capsys.readouterr().err


def _book_with_cells(path: Path) -> Path:
    """Cells that hold no value: an error, a formula nobody computed, merged cells."""
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "regio"
    for row in SHEETS["regio"]:
        ws.append(list(row))
    for name in ("praktijken", "behandeldiensten"):
        sheet = book.create_sheet(name)
        for row in SHEETS[name]:
            sheet.append(list(row))
    ws = book.create_sheet("locaties")
    for row in SHEETS["locaties"]:
        ws.append(list(row))
    ws["C2"] = "=B2*2"  # a formula without a computed value (openpyxl does not compute)
    ws["J3"] = "#DIV/0!"  # an error cell
    ws.merge_cells("G4:G5")  # two locations' practice merged into one cell
    book.save(path)
    return path


def test_errors_formulas_and_merged_cells_are_named_per_row(tmp_path):
    with pytest.raises(WorkbookError) as info:
        read_workbook(_book_with_cells(tmp_path / "cellen.xlsx"))
    text = info.value.text("nl")
    assert "blad locaties, rij 2, kolom bewoners (C): een formule zonder berekende waarde" in text
    assert "blad locaties, rij 3, kolom reistijd huisartsenpost (min) (J): de cel toont een fout (#DIV/0!)" in text
    assert "blad locaties, rij 4, kolom huisartspraktijk (G): samengevoegde cellen (G4:G5)" in text
    assert "blad locaties, rij 5, kolom huisartspraktijk (G): samengevoegde cellen (G4:G5)" in text
    rows = [list(r) for r in SHEETS["locaties"]]
    rows[1][2] = "#VALUE!"  # a .csv saved from a sheet with an error shows its text
    write_csv(tmp_path / "csv", {**SHEETS, "locaties": rows})
    with pytest.raises(WorkbookError, match=r"sheet locaties, row 2, column bewoners \(C\): the cell shows an error \(#VALUE!\)"):
        read_workbook(tmp_path / "csv")


def test_bounds_refuse_a_huge_workbook_in_one_line(tmp_path):
    rows = "".join(f'<row r="{i}"><c r="A{i}"><v>1</v></c></row>' for i in range(1, 1_000_001))
    big = tmp_path / "big.xlsx"
    with zipfile.ZipFile(big, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
                   'package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-'
                   'package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override '
                   'PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.'
                   'spreadsheetml.sheet.main+xml"/></Types>')
        z.writestr("_rels/.rels", '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
                   'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
                   'officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
        z.writestr("xl/workbook.xml", '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/'
                   'spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
                   'relationships"><sheets><sheet name="locaties" sheetId="1" r:id="rId1"/></sheets></workbook>')
        z.writestr("xl/_rels/workbook.xml.rels", '<?xml version="1.0"?><Relationships xmlns="http://schemas.'
                   'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
                   'openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
                   "</Relationships>")
        z.writestr("xl/worksheets/sheet1.xml", '<?xml version="1.0"?><worksheet xmlns="http://schemas.'
                   f'openxmlformats.org/spreadsheetml/2006/main"><sheetData>{rows}</sheetData></worksheet>')
    with pytest.raises(Exception) as info:
        load_scenario(big)
    assert f"sheet 'locaties' has 1,000,000 rows; a sheet holds at most {MAX_ROWS:,}" in str(info.value)
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/worksheets/sheet1.xml", b"\0" * (MAX_UNPACKED_BYTES + 1))
    with pytest.raises(Exception, match="unpacks to 100 MB"):
        load_scenario(bomb)
    huge = tmp_path / "huge.xlsx"
    with open(huge, "wb") as f:
        f.truncate(MAX_WORKBOOK_BYTES + 1)
    with pytest.raises(Exception, match="at most 10 MB"):
        load_scenario(huge)
    not_zip = tmp_path / "tekst.xlsx"
    not_zip.write_text("naam;bewoners\n")
    with pytest.raises(Exception, match="not a zip file inside"):
        load_scenario(not_zip)


def test_the_template_has_dropdowns_an_explanation_and_refuses_its_example_rows(tmp_path, capsys):
    path = tmp_path / "mijnregio.xlsx"
    assert main(["regio", "sjabloon", str(path)]) == 0
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["regio", "praktijken", "locaties", "behandeldiensten", "uitleg"]
    lists = {str(v.sqref).split(":")[0]: v.formula1 for v in book["locaties"].data_validations.dataValidation}
    assert lists == {"E2": '"kleinschalig,verpleeghuis,geclusterd,thuis"', "F2": '"VV,GHZ,GGZ"',
                     "G2": '"PG,SOM,VG,LVG,LG,ZG,GGZ-W,GGZ-B"', "H2": '"ja,nee"'}
    explained = {row[1] for row in book["uitleg"].iter_rows(values_only=True) if row and row[0] == "locaties"}
    assert {"bewoners", "zorgprofiel", "huisartspraktijk", "reistijd huisarts (min)"} <= explained
    assert main(["regio", "sjabloon", str(path)]) == 2  # not overwritten
    with pytest.raises(WorkbookError) as info:
        read_workbook(path)
    text = info.value.text("en")
    assert "sheet regio, row 3, column waarde (B): empty; required: inhabitants" in text
    assert "sheet locaties, row 2, column naam (A): the template's example row" in text
    # filled in: the example rows replaced by a region of one practice and one location
    book["regio"]["B2"], book["regio"]["B3"] = "Mijn regio", 80000
    book["praktijken"]["A2"] = "De Linde"
    book["locaties"]["A2"], book["locaties"]["I2"] = "De Eik", "De Linde"
    book.remove(book["behandeldiensten"])
    book.save(path)
    sc = load_scenario(path)
    assert (sc.region.inhabitants, sc.practices[0].agb, sc.locations[0].practice) == (80000, "01234567", "P1")


def test_a_scenario_round_trips_through_its_workbook(tmp_path):
    by_hand = parse_scenario(BY_HAND, "by_hand.yaml")
    assert write_scenario(by_hand, tmp_path / "w.xlsx") == []
    assert load_scenario(tmp_path / "w.xlsx") == by_hand
    # the example region: what a workbook cannot hold is named, everything else comes back
    baseline = load_scenario(ROOT / "configs" / "baseline.yaml")
    lost = write_scenario(baseline, tmp_path / "b.xlsx")
    assert lost == ["description", "practices[2].roster", "behandeldiensten[1].roster"]
    back = load_scenario(tmp_path / "b.xlsx").model_dump()
    for key in ("region", "locations", "spoedpost", "demand", "norms"):
        assert back[key] == baseline.model_dump()[key], key


@pytest.mark.parametrize("written,sector", [("PG", "VV"), ("SOM", "VV"), ("ZZP VV 5", "VV"), ("vv05", "VV"),
                                            ("5VV", "VV"), ("VG", "GHZ"), ("LVG 3", "GHZ"), ("ZG aud 2", "GHZ"),
                                            ("ZGvis", "GHZ"), ("LG", "GHZ"), ("GGZ-W", "GGZ"), ("GGZ-B 5", "GGZ"),
                                            ("GGZ 5C", "GGZ"), ("psychogeriatrie", "VV"), ("GHZ", "GHZ")])
def test_care_profiles_map_to_their_sector(written, sector):
    assert sector_of(written)[0] == sector


def test_add_location_in_dutch_or_a_clear_error_naming_the_keys(tmp_path, capsys):
    region = tmp_path / "r.yaml"
    region.write_text(BY_HAND)
    assert main(["impact", str(region), "-r", "1", "-q", "--add-location", "naam=X,bewonrs=20"]) == 2
    err = capsys.readouterr().err
    assert "unknown key 'bewonrs'; did you mean 'bewoners'?" in err and "residents" in err and "naam" in err


def test_every_column_is_documented():
    from sim.scenario.werkboek_kolommen import SHEETS as SPECS
    doc = (ROOT / "docs" / "model.md").read_text(encoding="utf-8").split("## 3c.", 1)[1].split("\n## ", 1)[0]
    missing = [f"{spec.nl}.{col.nl}" for spec in SPECS for col in spec.columns if f"`{col.nl}`" not in doc]
    assert not missing, missing
