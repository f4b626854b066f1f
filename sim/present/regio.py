"""`mgz-sim regio importeer | sjabloon | exporteer` (English: `region import | template |
export`): a region's own spreadsheet into a commented scenario YAML, the empty template to
fill in, and any scenario written back out as a workbook; each says in a few lines what it
read, decided and wrote, in Dutch or English. Nothing a user wrote is overwritten unless
--force says so.
"""

from __future__ import annotations

from pathlib import Path

from sim.errors import ScenarioError
from sim.experiments.output import atomic_write_text
from sim.fmt import number
from sim.present.labels import say
from sim.scenario.loading import load_scenario, parse_scenario
from sim.scenario.regio_yaml import commented_yaml
from sim.scenario.werkboek import read_workbook
from sim.scenario.werkboek_cellen import region_stem
from sim.scenario.werkboek_schrijven import write_scenario, write_template

MAX_NOTES_SHOWN = 30  # decisions printed; the YAML holds them all


def _target(path: Path, force: bool, lang: str) -> None:
    if path.exists() and not force:
        raise ScenarioError(say(lang, f"{path}: exists; it is not overwritten (give --out with another name, or "
                                      "--force to replace it)",
                                f"{path}: bestaat al en wordt niet overschreven (geef met --out een andere naam, of "
                                "--force om het te vervangen)"))


def import_region(workbook: Path, out: Path | None, force: bool, lang: str) -> str:
    """Read the workbook, write the scenario YAML beside it (or to `out`); the printed answer."""
    imported = read_workbook(workbook)
    target = out if out is not None else region_stem(workbook).with_name(region_stem(workbook).name + ".yaml")
    _target(target, force, lang)
    text = commented_yaml(imported, target.name, lang)
    if parse_scenario(text, str(target)) != imported.scenario:  # the file must say what the workbook says
        raise RuntimeError(f"the YAML written for {workbook} does not load to the same scenario")
    atomic_write_text(target, text)
    sc = imported.scenario
    residents = sum(loc.residents for loc in sc.locations)
    lines = [say(lang, f"Read {imported.source}: {sc.region.name}, {number(sc.region.inhabitants, 0, lang)} inhabitants; "
                       f"{len(sc.practices)} practices, {len(sc.locations)} locations ({number(residents, 0, lang)} "
                       f"residents), {len(sc.behandeldiensten)} behandeldiensten.",
                 f"Gelezen {imported.source}: {sc.region.name}, {number(sc.region.inhabitants, 0, lang)} inwoners; "
                 f"{len(sc.practices)} praktijken, {len(sc.locations)} locaties ({number(residents, 0, lang)} "
                 f"bewoners), {len(sc.behandeldiensten)} behandeldiensten.")]
    decided = [f"- {e if lang == 'en' else n}" for e, n in imported.general]
    names = {("practices", k): p.name or p.id for k, p in enumerate(sc.practices)}
    names.update({("locations", k): loc.name or loc.id for k, loc in enumerate(sc.locations)})
    for item, notes in imported.notes.items():
        decided += [f"- {names.get(item, item[0])}: {e if lang == 'en' else n}" for e, n in notes]
    if decided:
        lines.append(say(lang, "What the import decided (also in the file's comments):",
                         "Wat de import besliste (ook als commentaar in het bestand):"))
        lines += decided[:MAX_NOTES_SHOWN]
        if len(decided) > MAX_NOTES_SHOWN:
            lines.append(say(lang, f"- ... and {len(decided) - MAX_NOTES_SHOWN} more in {target}",
                             f"- ... en nog {len(decided) - MAX_NOTES_SHOWN} in {target}"))
    lines += [say(lang, f"Written: {target}", f"Geschreven: {target}"),
              say(lang, f"Run it: mgz-sim run {target}   (or the workbook itself: mgz-sim run {workbook})",
                  f"Doorrekenen: mgz-sim run {target}   (of het werkboek zelf: mgz-sim run {workbook})")]
    return "\n".join(lines)


def template(path: Path, force: bool, lang: str) -> str:
    write_template(path, force)
    return say(lang, f"Template written: {path}\nFill in the sheets regio, praktijken and locaties (and "
                     f"behandeldiensten for locations met behandeling; the sheet 'uitleg' explains every column), "
                     f"delete the grey example rows, then: mgz-sim run {path}",
               f"Sjabloon geschreven: {path}\nVul de bladen regio, praktijken en locaties in (en behandeldiensten "
               f"voor locaties met behandeling; het blad 'uitleg' legt elke kolom uit), verwijder de grijze "
               f"voorbeeldrijen, en dan: mgz-sim run {path}")


def export(scenario: Path, path: Path, force: bool, lang: str) -> str:
    lost = write_scenario(load_scenario(scenario), path, force)
    lines = [say(lang, f"Workbook written: {path}", f"Werkboek geschreven: {path}")]
    if lost:
        lines.append(say(lang, "The workbook cannot hold these parts of the scenario; importing it gives their "
                               "defaults instead:",
                         "Deze delen van het scenario passen niet in het werkboek; inlezen geeft daar de standaard:"))
        lines += [f"- {p}" for p in lost]
    else:
        lines.append(say(lang, "Importing it gives the same scenario.", "Inlezen geeft hetzelfde scenario."))
    return "\n".join(lines)
