"""A country: several regions in one scenario, each region-replication its own task on the
executor. A region's results in a country run equal the same region run alone, whatever
the number of workers; a killed country run resumes; the national figures add up."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pandas as pd
import pytest

from sim.cli import main
from sim.errors import ScenarioError
from sim.experiments.country import run_country
from sim.experiments.runner import run_scenario
from sim.scenario.country import is_country_file, load_country, region_seed
from sim.scenario.loading import load_scenario

from .conftest import ROOT, SMALL


def _region(folder: Path, name: str, inhabitants: int, seed: int) -> Path:
    text = SMALL.replace("scenario: small", f"scenario: {name}").replace(
        "region: {inhabitants: 20000, weeks: 8, warmup_weeks: 1}",
        f"region: {{name: Regio {name}, inhabitants: {inhabitants}, weeks: 2, warmup_weeks: 1, seed: {seed}}}")
    path = folder / f"{name}.yaml"
    path.write_text(textwrap.dedent(text))
    return path


@pytest.fixture
def two_regions(tmp_path: Path) -> Path:
    (tmp_path / "land").mkdir()
    _region(tmp_path / "land", "noord", 40_000, 11)
    _region(tmp_path / "land", "zuid", 25_000, 12)
    country = tmp_path / "land.yaml"
    country.write_text("country: land\nname: Testland\ndescription: {en: Two regions, nl: Twee regio's}\n"
                       "regions: [land/noord.yaml, land/zuid.yaml]\n")
    return country


def _tables(folder: Path) -> dict[str, pd.DataFrame]:
    return {t: pd.read_parquet(folder / f"{t}.parquet") for t in ("requests", "stages", "resources")}


def test_each_region_of_a_country_equals_the_region_run_alone(two_regions, tmp_path):
    country = load_country(two_regions)
    assert is_country_file(two_regions) and not is_country_file(ROOT / "configs" / "baseline.yaml")
    result = run_country(country, 2, tmp_path / "out", workers=2, quiet=True)
    for sc in country.regions:
        alone = run_scenario(load_scenario(two_regions.parent / "land" / f"{sc.scenario}.yaml"), 2,
                             tmp_path / "alone" / sc.scenario, quiet=True, workers=1)
        mine = result.folder / "regions" / sc.scenario
        for name, df in _tables(mine).items():
            pd.testing.assert_frame_equal(df, _tables(alone.folder)[name], check_exact=True)
        ours = json.loads((mine / "summary.json").read_text())
        assert ours["per_replication"] == json.loads((alone.folder / "summary.json").read_text())["per_replication"]
    # the national figures are the regions' added up
    nat = result.summary["national"]
    assert nat["regions"] == 2 and nat["inhabitants"] == 65_000
    assert nat["wlz_clients"] == 2 * 110
    rows = result.summary["regions"]
    week = sum(r["hap_contacts_per_week"] for r in rows)
    assert nat["hap_contacts_per_1000_year"] == pytest.approx(week * 365.25 / 7 / 65_000 * 1000)
    assert list(pd.read_csv(result.folder / "regions.csv")["region"]) == ["noord", "zuid"]


def test_a_country_gives_the_same_results_on_one_worker_and_resumes(two_regions, tmp_path):
    country = load_country(two_regions)
    one = run_country(country, 1, tmp_path / "one", workers=1, quiet=True)
    # a kill after the first region: its folder is kept in the partial folder and not run again
    two = run_country(country, 1, tmp_path / "two", workers=2, quiet=True)
    assert one.summary["national"] == two.summary["national"]
    assert one.summary["regions"] == two.summary["regions"]


def test_resume_after_a_kill_runs_only_what_is_missing(two_regions, tmp_path, monkeypatch):
    import sim.experiments.country as country_mod
    country = load_country(two_regions)
    calls = []
    real = country_mod.finish_region

    def once(sc, *args):
        calls.append(sc.scenario)
        if len(calls) == 2:
            raise KeyboardInterrupt  # killed while the second region's folder is written
        return real(sc, *args)

    monkeypatch.setattr(country_mod, "finish_region", once)
    with pytest.raises(KeyboardInterrupt):
        run_country(country, 1, tmp_path / "out", workers=1, quiet=True)
    monkeypatch.setattr(country_mod, "finish_region", real)
    (partial,) = (tmp_path / "out").glob(".partial-*[!k]")
    assert (partial / "regions" / calls[0] / "methods.md").exists()  # the first region's folder is kept
    ran = []
    monkeypatch.setattr(country_mod, "replication_task", lambda *a: ran.append(a) or pytest.fail("ran again"))
    result = run_country(country, 1, tmp_path / "out", workers=1, quiet=True)
    assert not ran and result.summary["national"]["regions"] == 2


def test_country_options_seed_weeks_and_set(two_regions, tmp_path):
    variant = tmp_path / "variant.yaml"
    variant.write_text("country: variant\nextends: land.yaml\nset: {pressures.demand_growth: 0.5}\n")
    country = load_country(variant, {"region.weeks": 3, "region.seed": 5})
    assert [sc.region.weeks for sc in country.regions] == [3, 3]
    assert [sc.region.seed for sc in country.regions] == [region_seed(5, "noord"), region_seed(5, "zuid")]
    assert all(sc.pressures.demand_growth == 0.5 for sc in country.regions)


@pytest.mark.parametrize("text, message", [
    ("country: x\nregions: []\n", "regions"),
    ("country: x\nregions: [nowhere.yaml]\n", "not found"),
    ("country: x\nregions: [land/noord.yaml, land/noord.yaml]\n", "two regions are called 'noord'"),
    ("country: x\nregoins: [land/noord.yaml]\n", "regoins"),
])
def test_a_bad_country_file_gets_one_clear_error(two_regions, text, message, capsys):
    bad = two_regions.parent / "bad.yaml"
    bad.write_text(text)
    with pytest.raises(ScenarioError, match=message):
        load_country(bad)
    assert main(["run", str(bad)]) == 2
    assert "error:" in capsys.readouterr().err


def test_the_command_line_runs_a_country_and_writes_its_report(two_regions, tmp_path, capsys):
    assert main(["run", str(two_regions), "--out", str(tmp_path / "o"), "-w", "1", "--lang", "nl"]) == 0
    out = capsys.readouterr().out
    assert "HAP-contacten per 1.000 inwoners per jaar" in out and "2 regio's" in out
    (folder,) = [p for p in (tmp_path / "o").iterdir() if not p.name.startswith(".")]
    report = (folder / "report.html").read_text()
    assert "regions/noord/report.html" in report and "sortable" in report
    # the table under its own heading, and the Dutch page names the HAP's pools in Dutch
    assert report.index("Elke regio (klik") < report.index("id='regions'")
    chart = report[report.index("die het eerst knellen"):report.index("Elke regio (klik")]
    assert '"doctor"' not in chart and '"car"' not in chart and '"arts"' in chart
    assert (folder / "regions" / "zuid" / "report.html").exists()
    assert (folder / "regions" / "zuid" / "summary.txt").exists()


@pytest.mark.slow
def test_the_national_scenario_as_published(tmp_path):
    """configs/nederland.yaml: 52 regions, 17.9 million inhabitants, the CBS Wlz total."""
    country = load_country(ROOT / "configs" / "nederland.yaml")
    assert len(country.regions) == 52
    assert 17_800_000 <= country.inhabitants <= 18_000_000
    assert sum(loc.residents for sc in country.regions for loc in sc.locations) == 358_490
    sizes = [sc.region.inhabitants for sc in country.regions]
    assert 180_000 <= min(sizes) and max(sizes) <= 520_000
    posts = [len(sc.all_spoedposten()) for sc in country.regions]
    assert sum(p == 1 for p in posts) == 28 and sum(2 <= p <= 4 for p in posts) == 18


def test_compare_two_countries_region_by_region_on_common_random_numbers(two_regions, tmp_path, capsys):
    from sim.experiments.country_experiments import run_country_compare
    same = two_regions.parent / "same.yaml"
    same.write_text("country: same\nextends: land.yaml\n")
    result = run_country_compare(two_regions, same, 2, tmp_path / "c", workers=1, quiet=True)
    assert all(d["mean"] == 0 for d in result["difference"].values())  # the same regions, the same numbers
    more = two_regions.parent / "more.yaml"
    more.write_text("country: more\nname: Meer vraag\nextends: land.yaml\nset: {pressures.demand_growth: 0.5}\n")
    assert main(["compare", str(two_regions), str(more), "-r", "2", "-w", "2", "--out", str(tmp_path / "m")]) == 0
    out = capsys.readouterr().out
    assert "Meer vraag compared with Testland" in out and "Wlz care requests a week" in out
    (folder,) = [p for p in (tmp_path / "m").iterdir() if p.is_dir()]
    result = json.loads((folder / "country_comparison.json").read_text())
    assert result["difference"]["national.wlz_requests_per_week"]["mean"] > 0
    assert [r["region"] for r in result["regions"]] == ["noord", "zuid"]
    assert "Meer vraag" in (folder / "report.html").read_text()


def test_a_sweep_over_a_country_gives_the_national_figures_per_design_point(two_regions, tmp_path):
    from sim.experiments.country_experiments import run_country_sweep
    sweep = two_regions.parent / "groei.yaml"
    sweep.write_text("name: groei\nbase: land.yaml\nreplications: 1\nweeks: 2\n"
                     "parameters:\n  pressures.demand_growth: [0.0, 0.5]\n")
    folder, table, failures = run_country_sweep(sweep, tmp_path / "s", 2, None, True)
    assert not failures and (folder / "points.parquet").exists()
    wlz = table[table["kpi"] == "national.wlz_requests_per_week"].sort_values("param:pressures.demand_growth")
    assert list(wlz["param:pressures.demand_growth"]) == [0.0, 0.5]
    assert wlz["value"].iloc[1] > wlz["value"].iloc[0]
    assert main(["sweep", str(sweep), "--out", str(tmp_path / "s2"), "-q", "-w", "1"]) == 0


@pytest.mark.slow
def test_a_country_on_a_dask_cluster_gives_the_same_results(two_regions, tmp_path):
    from distributed import LocalCluster
    country = load_country(two_regions)
    local = run_country(country, 2, tmp_path / "local", workers=1, quiet=True)
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        remote = run_country(country, 2, tmp_path / "dask", dask=cluster.scheduler_address, quiet=True)
    assert local.summary["regions"] == remote.summary["regions"]
    for sc in country.regions:
        for name, df in _tables(local.folder / "regions" / sc.scenario).items():
            pd.testing.assert_frame_equal(df, _tables(remote.folder / "regions" / sc.scenario)[name], check_exact=True)


def test_impact_on_a_country_asks_about_one_region(two_regions, tmp_path, capsys):
    add = ["--add-location", "residents=24,kind=kleinschalig,gp=P1"]
    assert main(["impact", str(two_regions), *add, "--out", str(tmp_path / "i")]) == 2
    assert "name the region with --region" in capsys.readouterr().err
    assert main(["check", str(two_regions)]) == 2
    assert "a country file (2 regions)" in capsys.readouterr().err
    assert main(["impact", str(two_regions), "--region", "zuid", *add, "-r", "2", "-w", "1",
                 "--out", str(tmp_path / "i")]) == 0
    (folder,) = [p for p in (tmp_path / "i").iterdir() if p.is_dir()]
    assert json.loads((folder / "impact.json").read_text())["scenario"] == "zuid"


def test_report_rebuilds_a_country_folder_in_another_language(two_regions, tmp_path, capsys):
    """`mgz-sim report DIR` on a country's folder: the country's page and every region's again
    (here from Dutch to English); a damaged country summary is one line and exit 2."""
    assert main(["run", str(two_regions), "--out", str(tmp_path / "o"), "-w", "1", "--lang", "nl", "-q"]) == 0
    (folder,) = [p for p in (tmp_path / "o").iterdir() if not p.name.startswith(".")]
    assert "Elke regio" in (folder / "report.html").read_text()
    assert main(["report", str(folder), "--lang", "en"]) == 0
    assert "Every region" in (folder / "report.html").read_text()
    assert "<html lang='en'>" in (folder / "regions" / "zuid" / "report.html").read_text() \
        or 'lang="en"' in (folder / "regions" / "zuid" / "report.html").read_text()
    capsys.readouterr()
    (folder / "summary.json").write_text('{"national": {}}')
    assert main(["report", str(folder)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "summary.json" in err[0] and "country" in err[0], err
