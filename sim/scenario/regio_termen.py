"""The words a region's own list uses, read into the scenario's terms: a care profile or
sector (PG, SOM, VG, ZZP VV 5, GGZ-W -> VV, GHZ, GGZ), the kind of location, yes / no
(ja, nee, met, zonder), an AGB code (eight digits, leading zeros kept), a practice named by
name, id or AGB code, and the residents spread over practices ("De Linde: 60%; Het Veld:
40%"). Used by the workbook import (werkboek.py) and by `--add-location`; each reading that
fails raises Unclear with what is allowed, in English and Dutch.
"""

from __future__ import annotations

import difflib
import math
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from sim.scenario.schema import KINDS


class Unclear(ValueError):
    """A value that cannot be read: what is wrong and what is allowed, in English and Dutch."""

    def __init__(self, en: str, nl: str):
        super().__init__(en)
        self.en, self.nl = en, nl

    def text(self, lang: str) -> str:
        return self.nl if lang == "nl" else self.en


def plain_text(value: Any) -> str:
    """Lower case, no accents, single spaces: 'Patiënten  (FTE)' -> 'patienten (fte)'."""
    text = unicodedata.normalize("NFKD", str(value))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(text.lower().split())


# --------------------------------------------------------------------------- care profiles


@lru_cache(maxsize=1)
def profile_table() -> dict[str, Any]:
    """sim/data/zorgprofielen.yaml: families of care profiles with their sector, and words."""
    return yaml.safe_load((resources.files("sim") / "data" / "zorgprofielen.yaml").read_text(encoding="utf-8"))


_CODE = re.compile(r"^(?P<pre>\d{1,2})?(?P<family>[A-Z]+)(?P<post>\d{1,2}[A-Z]?)?$")


def sector_of(value: Any) -> tuple[str, str]:
    """(sector, the code as written) of a sector, care profile or ZZP code: 'PG' -> ('VV', 'PG'),
    'ZZP VV 5' -> ('VV', 'ZZP VV 5'), 'GGZ-W' -> ('GGZ', 'GGZ-W')."""
    table = profile_table()
    word = plain_text(value)
    family = table["words"].get(word)
    if family is None:
        squeezed = re.sub(r"[\s.\-_/]", "", word.upper())
        squeezed = re.sub(r"^(ZZP|ZP)", "", squeezed)
        m = _CODE.match(squeezed)
        if m and m.group("family") in table["families"] and not (m.group("pre") and m.group("post")):
            family = m.group("family")
    if family is None:
        families = ", ".join(sorted(table["families"]))
        raise Unclear(f"{str(value)!r} is no sector or care profile; use VV, GHZ or GGZ, or a profile such as PG, "
                      f"SOM, VG 5, LG, ZG, GGZ-W or a ZZP code (families: {families}; docs/model.md, 'Your own "
                      "region')",
                      f"{str(value)!r} is geen sector of zorgprofiel; gebruik VV, GHZ of GGZ, of een profiel zoals "
                      f"PG, SOM, VG 5, LG, ZG, GGZ-W of een ZZP-code (families: {families}; docs/model.md, 'Your own "
                      "region')")
    return table["families"][family]["sector"], " ".join(str(value).split())


# --------------------------------------------------------------------------- kinds and yes/no

KIND_WORDS = {
    "kleinschalig": ("kleinschalig", "kleinschalige woonvorm", "kleinschalig wonen", "woonvorm", "small-scale",
                     "small scale", "small-scale home"),
    "verpleeghuis": ("verpleeghuis", "verpleeghuislocatie", "intramuraal", "instelling", "zorgcentrum",
                     "nursing home", "institution"),
    "geclusterd": ("geclusterd", "geclusterde woonvorm", "geclusterd wonen", "clustered", "clustered housing"),
    "thuis": ("thuis", "vpt", "volledig pakket thuis", "at home", "home"),
}


def kind_of(value: Any) -> str:
    """One of the model's four kinds of location, from its Dutch or English words."""
    word = plain_text(value)
    for kind, words in KIND_WORDS.items():
        if word in words:
            return kind
    raise Unclear(f"{str(value)!r} is no kind of location; use {', '.join(KINDS)} (kleinschalige woonvorm, "
                  "verpleeghuis, geclusterd wonen, vpt at home)",
                  f"{str(value)!r} is geen soort locatie; gebruik {', '.join(KINDS)} (kleinschalige woonvorm, "
                  "verpleeghuis, geclusterd wonen, vpt thuis)")


YES = ("ja", "j", "yes", "y", "true", "waar", "wel", "met", "1", "x")
NO = ("nee", "n", "no", "false", "onwaar", "niet", "zonder", "0")


def yes_no(value: Any) -> bool:
    """ja / nee (also yes / no, met / zonder, 1 / 0, a tick box)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value)
    word = plain_text(value)
    if word in YES or word.startswith("met "):
        return True
    if word in NO or word.startswith("zonder "):
        return False
    raise Unclear(f"{str(value)!r}: write ja or nee (yes or no)", f"{str(value)!r}: schrijf ja of nee")


# --------------------------------------------------------------------------- AGB codes

AGB_DIGITS = 8


def agb_code(value: Any) -> str:
    """An AGB code as text of eight digits. A spreadsheet that stored it as a number lost its
    leading zeros (01234567 -> 1234567); AGB codes always have eight digits, so they are put back."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = re.sub(r"[\s.\-]", "", str(value))
    if not text.isdigit() or len(text) > AGB_DIGITS:
        raise Unclear(f"{str(value)!r} is no AGB code; an AGB code has {AGB_DIGITS} digits, e.g. 01234567",
                      f"{str(value)!r} is geen AGB-code; een AGB-code heeft {AGB_DIGITS} cijfers, bijv. 01234567")
    return text.zfill(AGB_DIGITS)


# --------------------------------------------------------------------------- practices and shares


@dataclass(frozen=True)
class Known:
    """A practice (or behandeldienst) a location can name: by its id, its name or its AGB code."""

    id: str
    name: str = ""
    agb: str | None = None


def find(ref: Any, known: list[Known], what: tuple[str, str] = ("practice", "praktijk")) -> str:
    """The id of the practice a reference names (id, name or AGB code, any case); an unknown
    one raises Unclear with the closest name."""
    text = plain_text(ref)
    digits = re.sub(r"[\s.\-]", "", str(ref))
    for k in known:
        if text in (plain_text(k.id), plain_text(k.name)) or (k.agb and digits.isdigit() and
                                                               digits.zfill(AGB_DIGITS) == k.agb):
            return k.id
    names = [k.name or k.id for k in known]
    close = difflib.get_close_matches(str(ref), names, n=1, cutoff=0.6) or \
        difflib.get_close_matches(text, [plain_text(n) for n in names], n=1, cutoff=0.6)
    guess = next((n for n in names if plain_text(n) == plain_text(close[0])), close[0]) if close else None
    listed = ", ".join(names[:10]) + (", ..." if len(names) > 10 else "")
    raise Unclear(f"no {what[0]} {str(ref)!r}" + (f"; did you mean {guess!r}?" if guess else "")
                  + f" (known: {listed or 'none'})",
                  f"geen {what[1]} {str(ref)!r}" + (f"; bedoelt u {guess!r}?" if guess else "")
                  + f" (bekend: {listed or 'geen'})")


_SHARE = re.compile(r"^(?P<ref>.+?)\s*(?::\s*(?P<a>\d+(?:[.,]\d+)?)\s*%?|\s+(?P<b>\d+(?:[.,]\d+)?)\s*%)$")


def practice_shares(text: Any, separators: str = ";\n") -> list[tuple[str, float | None]]:
    """'De Linde: 60%; Het Veld: 40%' -> [('De Linde', 0.6), ('Het Veld', 0.4)]; a single
    practice without a share -> [('De Linde', None)]. A share is a percentage (60%, or 60
    after a colon) or a fraction (0.6 after a colon)."""
    parts = [p.strip() for p in re.split(f"[{re.escape(separators)}]", str(text)) if p.strip()]
    out: list[tuple[str, float | None]] = []
    for part in parts:
        m = _SHARE.match(part)
        if m is None:
            out.append((part, None))
            continue
        number = float((m.group("a") or m.group("b")).replace(",", "."))
        percent = m.group("b") is not None or part.rstrip().endswith("%") or number > 1
        out.append((m.group("ref").strip(), number / 100 if percent else number))
    if len(out) > 1 and any(share is None for _, share in out):
        raise Unclear("give each practice its share of the residents, e.g. 'De Linde: 60%; Het Veld: 40%'",
                      "geef elke praktijk haar deel van de bewoners, bijv. 'De Linde: 60%; Het Veld: 40%'")
    shares = [s for _, s in out if s is not None]
    if shares and not math.isclose(sum(shares), 1.0, abs_tol=1e-6):
        total = sum(shares) * 100
        raise Unclear(f"the shares sum to {total:g}%; they must sum to 100%",
                      f"de delen tellen op tot {total:g}%".replace(".", ",") + "; ze moeten optellen tot 100%")
    return out
