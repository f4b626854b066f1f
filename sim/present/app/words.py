"""Every word of the what-if app (sim/present/app/), in English and Dutch, in one place:
the page's texts, its messages (kept as data, so a language switch can say them again)
and the way a text is filled in (numbers in the language's style).
"""

from __future__ import annotations

from typing import Any

from sim.fmt import plain
from sim.present.app.checks import Refused
from sim.present.app.results import Words
from sim.present.labels import pick

WORDS: dict[str, tuple[str, str]] = {  # every text of the page: key -> (English, Dutch)
    "title": ("mgz-sim: what if?", "mgz-sim: wat als?"),
    "intro": (("Simulate the medisch-generalistische zorg for Wlz clients in a region and see what a change does: "
               "with 95% intervals, on the same random numbers for both sides."),
              ("Simuleer de medisch-generalistische zorg voor Wlz-cliënten in een regio en zie wat een verandering "
               "doet: met 95%-intervallen, op dezelfde toevalsgetallen voor beide kanten.")),
    "lang": ("Language", "Taal"),
    "base": ("Base scenario", "Basisscenario"),
    "base_help": ("The region as it is today; both questions start from it.",
                  "De regio zoals die nu is; beide vragen gaan daarvan uit."),
    "embedded": ("Regio Voorbeeld (built in)", "Regio Voorbeeld (ingebouwd)"),
    "uploaded": ("{region} (uploaded: {file})", "{region} (geüpload: {file})"),
    # your own region (upload.py)
    "upload": ("Your own region", "Uw eigen regio"),
    "upload_drop": ("Drop your region's workbook here, or click to choose it",
                    "Sleep het werkboek van uw regio hierheen, of klik om het te kiezen"),
    "upload_help": (("Fill in the empty workbook (your practices and locations), save it as .xlsx or .ods (or its "
                     "sheets as .csv files), at most 1 MB. It is checked as 'mgz-sim regio importeer' does and "
                     "becomes the base scenario."),
                    ("Vul het lege werkboek in (uw praktijken en locaties), bewaar het als .xlsx of .ods (of de bladen "
                     "als .csv-bestanden), hoogstens 1 MB. Het wordt gecontroleerd zoals 'mgz-sim regio importeer' "
                     "doet en wordt het basisscenario.")),
    "template": ("Download the empty workbook", "Download het lege werkboek"),
    "up_ok": ("{file} read: {region}, {practices} practices, {locations} locations, {residents} residents. It is now "
              "the base scenario.",
              "{file} ingelezen: {region}, {practices} praktijken, {locations} locaties, {residents} bewoners. Het is "
              "nu het basisscenario."),
    "up_problems": ("{file}: {n} problems in the workbook; nothing was read. Correct these rows and upload it again:",
                    "{file}: {n} fouten in het werkboek; er is niets ingelezen. Verbeter deze rijen en upload het "
                    "opnieuw:"),
    "up_sheet": ("Sheet", "Blad"), "up_row": ("Row", "Rij"), "up_column": ("Column", "Kolom"),
    "up_problem": ("Problem", "Fout"),
    "up_more": ("… and {n} more.", "… en nog {n}."),
    "up_count": ("Upload one workbook (.xlsx or .ods), or the .csv files of one region (at most {n}).",
                 "Upload één werkboek (.xlsx of .ods), of de .csv-bestanden van één regio (hoogstens {n})."),
    "up_kind": ("Upload a workbook: a file ending in .xlsx, .ods or .csv.",
                "Upload een werkboek: een bestand dat eindigt op .xlsx, .ods of .csv."),
    "up_broken": ("The file did not arrive whole; upload it again.", "Het bestand kwam niet heel aan; upload het opnieuw."),
    "up_large": ("The file is larger than {mb} MB; a region's workbook is far smaller. Leave out other sheets.",
                 "Het bestand is groter dan {mb} MB; het werkboek van een regio is veel kleiner. Laat andere bladen "
                 "weg."),
    "up_refused": ("The workbook could not be read: {detail}", "Het werkboek kon niet worden gelezen: {detail}"),
    "up_crashed": ("Something went wrong reading the workbook ({detail}); the details are in the app's log.",
                   "Er ging iets mis bij het lezen van het werkboek ({detail}); de details staan in het log van de app."),
    "question": ("Question", "Vraag"),
    "tab_impact": ("New location, or a change", "Nieuwe locatie, of een wijziging"),
    "tab_compare": ("Compare an arrangement", "Regeling vergelijken"),
    "impact_ask": (("What does a new location, or a change to one, cost the GP practice, the HAP and the region: "
                    "without and with a voorwacht or a compact behandelteam?"),
                   ("Wat kost een nieuwe locatie, of een wijziging aan een bestaande, de huisartsenpraktijk, de HAP "
                    "en de regio: zonder en met een voorwacht of een compact behandelteam?")),
    "compare_ask": ("What changes if the region organises the care differently, or comes under pressure?",
                    "Wat verandert er als de regio de zorg anders organiseert, of onder druk komt te staan?"),
    # the new location, or an existing one changed or closed
    "action": ("What changes", "Wat verandert er"),
    "action_new": ("a new location", "een nieuwe locatie"),
    "action_change": ("an existing location changes", "een bestaande locatie verandert"),
    "action_remove": ("an existing location closes", "een bestaande locatie wordt opgeheven"),
    "name": ("Name of the new location", "Naam van de nieuwe locatie"),
    "name_help": ("used in the answer, the report and its file name", "staat in het antwoord, het rapport en de "
                  "bestandsnaam"),
    "name_placeholder": ("e.g. De Eik", "bijv. De Eik"),
    "location": ("Location", "Locatie"),
    "location_help": ("the form below shows it as it is now; change what will change",
                      "het formulier hieronder toont haar zoals ze nu is; pas aan wat verandert"),
    "residents": ("Residents", "Bewoners"),
    "kind": ("Kind of location", "Soort locatie"),
    "kind_kleinschalig": ("small-scale home (kleinschalige woonvorm)", "kleinschalige woonvorm"),
    "kind_verpleeghuis": ("nursing home", "verpleeghuis"),
    "kind_geclusterd": ("clustered housing", "geclusterd wonen"),
    "kind_thuis": ("clients at home (vpt)", "cliënten thuis (vpt)"),
    "sector": ("Sector", "Sector"),
    "sector_VV": ("VV: elderly care", "VV: ouderenzorg"),
    "sector_GHZ": ("GHZ: disability care", "GHZ: gehandicaptenzorg"),
    "sector_GGZ": ("GGZ: mental health care", "GGZ: geestelijke gezondheidszorg"),
    "behandeling": ("Who is the residents' physician", "Wie is de arts van de bewoners"),
    "behandeling_zonder": ("without behandeling: their GP", "zonder behandeling: hun huisarts"),
    "behandeling_met": ("met behandeling: the provider's SO or AVG", "met behandeling: de SO of AVG van de aanbieder"),
    "spread": ("GP of the residents", "Huisarts van de bewoners"),
    "spread_one": ("one practice", "één praktijk"),
    "spread_several": ("spread over several practices", "verdeeld over meerdere praktijken"),
    "practice": ("Practice", "Praktijk"),
    "share": ("Share of the residents per practice (%)", "Aandeel van de bewoners per praktijk (%)"),
    "shares_total": ("Together {total}% (must be 100%)", "Samen {total}% (moet 100% zijn)"),
    "behandeldienst": ("Behandeldienst", "Behandeldienst"),
    # the arrangement
    "arrangements": ("Arrangements", "Regelingen"),
    "arr_voorwacht": ("Voorwacht (C): a nurse answers first, day and ANW",
                      "Voorwacht (C): een verpleegkundige neemt eerst op, dag en ANW"),
    "arr_behandelteam": ("Compact behandelteam (D): a nurse specialist first by day (VV)",
                         "Compact behandelteam (D): overdag eerst een verpleegkundig specialist (VV)"),
    "arr_regionale_triage": ("Regional 24/7 triage with a digital AVG achterwacht (E, GHZ)",
                             "Regionale 24/7-triage met digitale AVG-achterwacht (E, GHZ)"),
    "arr_aanrijdteam": ("Nurses' aanrijdteam for visits (F)", "Verpleegkundig aanrijdteam voor visites (F)"),
    "arr_pooled_anw": ("SO/AVG ANW rota pooled regionally (H)", "ANW-dienst van SO en AVG regionaal gebundeld (H)"),
    "gp": ("GP time for the locations (% of today's)", "Huisartstijd voor de locaties (% van nu)"),
    "growth": ("Demand growth (%)", "Groei van de zorgvraag (%)"),
    "resolve": ("Voorwacht: U5 questions it settles itself (%)", "Voorwacht: U5-vragen die zij zelf afhandelt (%)"),
    # running
    "replications": ("Replications", "Herhalingen"),
    "replications_help": ("how often the weeks are simulated, each time with other random numbers; more: narrower "
                          "intervals, longer wait",
                          "hoe vaak de weken worden doorgerekend, telkens met andere toevalsgetallen; meer: smallere "
                          "intervallen, langer wachten"),
    "weeks": ("Weeks measured", "Gemeten weken"),
    "run": ("Run", "Bereken"),
    "download": ("Download report", "Download rapport"),
    "answer": ("Answer", "Antwoord"),
    "starting": ("Starting…", "Starten…"),
    "progress": ("Running: {done} of {total} runs…", "Bezig: {done} van {total} simulaties…"),
    "done": ("Done: {total} runs in {seconds} s.", "Klaar: {total} simulaties in {seconds} s."),
    "empty_impact": ("Describe the new location and press Run; the answer appears here.",
                     "Beschrijf de nieuwe locatie en druk op Bereken; het antwoord verschijnt hier."),
    "empty_compare": ("Switch on an arrangement or move a slider and press Run; the answer appears here.",
                      "Zet een regeling aan of verschuif een schuif en druk op Bereken; het antwoord verschijnt hier."),
    # messages (a field's name is its label above)
    "msg_whole": ("{field}: give a whole number from {lo} to {hi}.", "{field}: geef een heel getal van {lo} tot {hi}."),
    "msg_number": ("{field}: give a number from {lo} to {hi}.", "{field}: geef een getal van {lo} tot {hi}."),
    "msg_choice": ("{field}: choose one of the options offered.", "{field}: kies een van de aangeboden mogelijkheden."),
    "msg_base": ("Base scenario: choose one of the scenarios offered; the app runs only those.",
                 "Basisscenario: kies een van de aangeboden scenario's; de app rekent alleen daarmee."),
    "msg_shares_sum": ("Shares of the residents: together they must be 100% (now {total}%).",
                       "Aandelen van de bewoners: samen moeten ze 100% zijn (nu {total}%)."),
    "msg_id": (("{field}: its id in the scenario file has characters the calculation cannot take (use letters, "
                "digits, - _ .)."),
               ("{field}: de id in het scenariobestand heeft tekens waarmee de berekening niet overweg kan "
                "(gebruik letters, cijfers, - _ .).")),
    "msg_name": (("Name of the new location: at most {n} characters, without , = or : (they separate the "
                  "location's details)."),
                 ("Naam van de nieuwe locatie: hoogstens {n} tekens, zonder , = of : (die scheiden de gegevens van "
                  "de locatie).")),
    "msg_unchanged": ("Location: nothing changes yet; change its residents, kind, sector, physician or practice.",
                      "Locatie: er verandert nog niets; pas het aantal bewoners, de soort, sector, arts of praktijk aan."),
    "msg_nothing": ("Nothing to compare: switch on an arrangement or move a slider.",
                    "Niets te vergelijken: zet een regeling aan of verschuif een schuif."),
    "msg_busy": ("The app is already running {n} calculations; try again when one has finished.",
                 "De app voert al {n} berekeningen uit; probeer het opnieuw zodra er een klaar is."),
    "msg_failed": ("The calculation could not be done: {detail}", "De berekening kon niet worden gedaan: {detail}"),
    "msg_crashed": ("Something went wrong ({detail}); the details are in the app's log.",
                    "Er ging iets mis ({detail}); de details staan in het log van de app."),
    "msg_expired": ("This result is no longer kept (after an hour); press Run again.",
                    "Dit resultaat wordt niet meer bewaard (na een uur); druk opnieuw op Bereken."),
    # the answers (results.py)
    "res_impact_table": ("Change against the region as it is (95% CI)",
                         "Verandering tegen de regio zoals die nu is (95%-BI)"),
    "res_compare_table": ("Every measure against «{a}»", "Alle maatstaven tegen «{a}»"),
    "res_compare_note": (("Paired differences per replication on the same random numbers; bold: the 95% interval "
                          "excludes no change."),
                         ("Verschillen per herhaling op dezelfde toevalsgetallen; vet: het 95%-interval sluit "
                          "'geen verandering' uit.")),
    "res_compare_none": (("No measure changed significantly at this number of replications and weeks; more of "
                          "either narrows the intervals."),
                         ("Geen maatstaf veranderde significant bij dit aantal herhalingen en weken; meer van beide "
                          "maakt de intervallen smaller.")),
    "res_cli": ("The same calculation on the command line:", "Dezelfde berekening op de opdrachtregel:"),
    "choose": ("Choose…", "Kies…"),
}


def text(lang: str, key: str, **values: Any) -> str:
    """A text in the language; numbers in it in the language's style (1.234,5 in Dutch); a
    `field` value is a field's key and becomes its label."""
    def show(name: str, v: Any) -> str:
        if name == "field":
            return WORDS[v][pick(lang)] if v in WORDS else str(v)
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            return plain(v, lang)
        return str(v)
    template = WORDS[key][pick(lang)]
    return template.format(**{k: show(k, v) for k, v in values.items()}) if values else template


def words(lang: str) -> Words:
    """text() with the language filled in, for the answer views."""
    return lambda key, **values: text(lang, key, **values)


def message(lang: str, msg: dict[str, Any] | None) -> str:
    """A message kept as data ({"key", "args"}), so a language switch can say it again."""
    if not isinstance(msg, dict) or msg.get("key") not in WORDS:
        return ""
    return text(lang, msg["key"], **(msg.get("args") or {}))


def refusal(exc: Refused) -> dict[str, Any]:
    return {"key": f"msg_{exc.rule}", "args": {"field": exc.field, **exc.values}}
