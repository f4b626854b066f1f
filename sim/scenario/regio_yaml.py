"""The scenario YAML a region's workbook is imported into: the values read, each practice and
location on one line, and above each in a comment where it came from and what the import
decided for it (the roster from FTE, the sector from a care profile, travel times left to
their defaults), so nothing in it is guessed silently. It loads to the same scenario as the
workbook (the import checks that before writing it).
"""

from __future__ import annotations

from typing import Any

from sim.scenario import plain_yaml
from sim.scenario.werkboek import Imported

HEADER = {
    "en": ("Scenario imported from {source} by `mgz-sim region import`. Every value comes from the\n"
           "workbook; what the import decided is said in a comment above it. Values not written here\n"
           "take their documented defaults (docs/model.md, section 3; `mgz-sim schema` describes every\n"
           "field). Run it: mgz-sim run {name}"),
    "nl": ("Scenario ingelezen uit {source} met `mgz-sim regio importeer`. Elke waarde komt uit het\n"
           "werkboek; wat de import besliste staat erboven als commentaar. Waarden die hier niet staan\n"
           "hebben hun gedocumenteerde standaard (docs/model.md, paragraaf 3; `mgz-sim schema`\n"
           "beschrijft elk veld). Doorrekenen: mgz-sim run {name}"),
}


def _line(value: Any) -> str:
    """A value in YAML flow style on one line ({id: P1, name: De Linde, ...})."""
    return plain_yaml.dump(value, default_flow_style=True, width=10**6).strip()  # '01234568' stays text


def _comment(text: str) -> list[str]:
    return [f"# {line}" if line else "#" for line in text.splitlines()]


def commented_yaml(imported: Imported, yaml_name: str, lang: str = "nl") -> str:
    """The imported scenario as a commented YAML file, in the language of its comments."""
    nl = lang == "nl"
    data = imported.data
    out = _comment(HEADER[lang].format(source=imported.source, name=yaml_name))
    for en_text, nl_text in imported.general:
        out += _comment(nl_text if nl else en_text)
    out.append(f"scenario: {_line(data['scenario'])}")
    if "description" in data:
        out.append(f"description: {_line(data['description'])}")
    out.append(f"region: {_line(data['region'])}")
    if "spoedpost" in data:
        out.append(f"spoedpost: {_line(data['spoedpost'])}")
    for group, sheet in (("practices", "praktijken"), ("behandeldiensten", "behandeldiensten"),
                         ("locations", "locaties")):
        if group not in data:
            continue
        out.append(f"{group}:" + ("" if data[group] else " []"))
        for k, item in enumerate(data[group]):
            notes = [nl_text if nl else en_text for en_text, nl_text in imported.notes.get((group, k), [])]
            row = imported.rows.get((group, k))
            title = f"{item.get('name') or item['id']}" + (f" ({'blad' if nl else 'sheet'} {sheet}, "
                                                          f"{'rij' if nl else 'row'} {row})" if row else "")
            out += [f"  {c}" for c in _comment("; ".join([title, *notes]))]
            out.append(f"  - {_line(item)}")
    return "\n".join(out) + "\n"
