"""A country's answer: the printed summary and report.html of a national run (experiments/
country.py). Key figures for the country first (HAP load per 1,000 inhabitants, norms met,
regions in overload), then the regions that break first as a chart, then every region in a
sortable table linked to its own report (regions/<region>/report.html).
"""

from __future__ import annotations

import html
import json
import math
from pathlib import Path
from typing import Any

from sim.analysis.national import NORM_URGENCIES, breaking_first
from sim.fmt import fmt_percent, number, text_table
from sim.present.charts import bar, figure, reference_line
from sim.present.labels import role_label, say
from sim.present.page import BAD, INFO, OK, WARN, KeyFigure, Page

# The published range of HAP contacts per 1,000 inhabitants a year (docs/sources.md: Nivel
# 2017, 248; InEen 2022, about 4.5 million contacts; PLoS One 2017, about 250)
PUBLISHED_HAP_PER_1000 = (231.0, 255.0)


def _in_range(value: float) -> bool:
    low, high = PUBLISHED_HAP_PER_1000
    return low <= value <= high


def _per_1000(value: float, lang: str) -> str:
    return number(value, 0, lang)


def national_text(summary: dict[str, Any], folder: str, lang: str = "en") -> str:
    """The printed summary of a national run: the country's figures, then the regions that
    break first, then where the rest is."""
    nat, rows = summary["national"], summary["regions"]
    low, high = PUBLISHED_HAP_PER_1000
    lines = [say(lang, f"{summary['name']} - {summary['description']}",
                 f"{summary['name']} - {summary.get('description_nl') or summary['description']}"),
             say(lang, f"{nat['regions']} regions, {number(nat['inhabitants'], 0, lang)} inhabitants, "
                       f"{number(nat['wlz_clients'], 0, lang)} Wlz clients; {summary['weeks_measured']} weeks x "
                       f"{summary['replications']} replication(s) per region",
                 f"{nat['regions']} regio's, {number(nat['inhabitants'], 0, lang)} inwoners, "
                 f"{number(nat['wlz_clients'], 0, lang)} Wlz-cliënten; {summary['weeks_measured']} weken x "
                 f"{summary['replications']} herhaling(en) per regio"), ""]
    hap = nat["hap_contacts_per_1000_year"]
    check = say(lang, "within" if _in_range(hap) else "OUTSIDE", "binnen" if _in_range(hap) else "BUITEN")
    lines.append(say(lang, f"HAP contacts per 1,000 inhabitants a year: {_per_1000(hap, lang)} ({check} the published "
                           f"{low:.0f}-{high:.0f}; {number(nat['hap_contacts_per_year'], 0, lang)} contacts a year)",
                     f"HAP-contacten per 1.000 inwoners per jaar: {_per_1000(hap, lang)} ({check} de gepubliceerde "
                     f"{low:.0f}-{high:.0f}; {number(nat['hap_contacts_per_year'], 0, lang)} contacten per jaar)"))
    lines.append(say(lang, "Within the norm (Wlz and general population): ", "Binnen de norm (Wlz en algemene bevolking): ")
                 + ", ".join(f"{u} {fmt_percent(nat[f'{u}_within_norm'], 1, lang)}" for u in NORM_URGENCIES))
    lines.append(say(lang, f"Regions in overload: {nat['regions_overloaded']} of {nat['regions']} "
                           f"({nat['regions_hap_overloaded']} at the HAP); HAP offered load >= 0.85 in "
                           f"{nat['regions_near_overload']}",
                     f"Regio's in overbelasting: {nat['regions_overloaded']} van {nat['regions']} "
                     f"({nat['regions_hap_overloaded']} op de HAP); aangeboden belasting HAP >= 0,85 in "
                     f"{nat['regions_near_overload']}"))
    lines += ["", say(lang, "Where it breaks first (highest HAP offered load)",
                      "Waar het eerst knelt (hoogste aangeboden belasting HAP)")]
    headers = say(lang, "region|inhabitants|HAP/1,000|U1 in norm|U2 in norm|HAP load|overloaded",
                  "regio|inwoners|HAP/1.000|U1 in norm|U2 in norm|belasting HAP|overbelast").split("|")
    table = [[r["name"], number(r["inhabitants"], 0, lang), _per_1000(r["hap_contacts_per_1000_year"], lang),
              fmt_percent(r["U1_within_norm"], 0, lang), fmt_percent(r["U2_within_norm"], 0, lang),
              number(r["hap_offered_load"], 2, lang), str(r["overloaded_services"])]
             for r in breaking_first(rows, 10)]
    lines += text_table(headers, table)
    lines += ["", say(lang, f"Every region: {folder}/regions.csv and {folder}/regions/<region>/; report: "
                            f"{folder}/report.html",
                      f"Elke regio: {folder}/regions.csv en {folder}/regions/<regio>/; rapport: {folder}/report.html")]
    return "\n".join(lines)


def _status_share(value: float) -> str:
    if value != value:
        return INFO
    return OK if value >= 0.95 else (WARN if value >= 0.9 else BAD)


def national_report(folder: Path, lang: str = "en") -> str:
    """report.html of a national run, from its summary.json."""
    summary = json.loads((folder / "summary.json").read_text())
    nat, rows = summary["national"], summary["regions"]
    low, high = PUBLISHED_HAP_PER_1000
    description = summary.get("description_nl") if lang == "nl" else summary["description"]
    page = Page(summary["name"], lang, description or summary["description"])
    hap = nat["hap_contacts_per_1000_year"]
    figures = [
        KeyFigure(say(lang, "HAP contacts per 1,000 inhabitants a year", "HAP-contacten per 1.000 inwoners per jaar"),
                  _per_1000(hap, lang), norm=say(lang, f"published {low:.0f}-{high:.0f}", f"gepubliceerd {low:.0f}-{high:.0f}"),
                  status=OK if _in_range(hap) else WARN),
        *[KeyFigure(say(lang, f"{u} within the norm", f"{u} binnen de norm"), fmt_percent(nat[f"{u}_within_norm"], 1, lang),
                    norm=say(lang, "all requests, every region", "alle hulpvragen, elke regio"),
                    status=_status_share(nat[f"{u}_within_norm"])) for u in ("U1", "U2")],
        KeyFigure(say(lang, "Regions in overload", "Regio's in overbelasting"),
                  f"{nat['regions_overloaded']} / {nat['regions']}",
                  norm=say(lang, f"{nat['regions_hap_overloaded']} at the HAP", f"{nat['regions_hap_overloaded']} op de HAP"),
                  status=OK if nat["regions_overloaded"] == 0 else BAD),
        KeyFigure(say(lang, "Inhabitants / Wlz clients", "Inwoners / Wlz-cliënten"),
                  f"{number(nat['inhabitants'] / 1e6, 1, lang)} {say(lang, 'mln', 'mln')} / "
                  f"{number(nat['wlz_clients'], 0, lang)}"),
    ]
    worst = breaking_first(rows, 1)
    sentence = say(
        lang, f"{nat['regions_overloaded']} of {nat['regions']} regions have a service that cannot keep up; the HAP "
              f"comes closest to its limit in {worst[0]['name']} (offered load {number(worst[0]['hap_offered_load'], 2, lang)})."
        if worst else "",
        f"{nat['regions_overloaded']} van de {nat['regions']} regio's hebben een dienst die het niet bijhoudt; de HAP "
        f"zit het dichtst bij de grens in {worst[0]['name']} (aangeboden belasting {number(worst[0]['hap_offered_load'], 2, lang)})."
        if worst else "")
    page.key_figures(say(lang, "What does this scenario do to the country's HAP load and response times, and which "
                               "regions break first?",
                         "Wat doet dit scenario met de belasting van de HAP's en de responstijden in het land, en "
                         "welke regio's knellen het eerst?"), figures, sentence)
    _breaking_chart(page, rows, summary["national"]["overload_threshold"])
    page.h2(say(lang, "Every region (click a heading to sort; the name opens the region's own report)",
                "Elke regio (klik op een kop om te sorteren; de naam opent het rapport van de regio)"))
    page.block(_sortable_table(rows, lang), whole=False)  # a long table: started on its heading's page
    page.p(say(lang, "HAP contacts: the general population's requests at the post plus the Wlz requests the HAP handled. "
                     "Within the norm: the share of requests of that urgency (Wlz and general population) whose norm "
                     "contact came within the norm. HAP load: work offered to the HAP's busiest pool against the time "
                     "rostered (0.95 and more is overload). Overloaded: services that cannot keep up (the reasons are "
                     "in regions.csv and in each region's report).",
                     "HAP-contacten: de hulpvragen van de algemene bevolking op de post plus de Wlz-hulpvragen die de "
                     "HAP afhandelde. Binnen de norm: het deel van de hulpvragen van die urgentie (Wlz en algemene "
                     "bevolking) waarvan het normcontact binnen de norm kwam. Belasting HAP: aangeboden werk aan de "
                     "drukste pool van de HAP tegen de geroosterde tijd (vanaf 0,95 overbelast). Overbelast: diensten "
                     "die het niet bijhouden (de redenen staan in regions.csv en in het rapport van elke regio)."),
           "note")
    return page.html()


def _breaking_chart(page: Page, rows: list[dict[str, Any]], threshold: float) -> None:
    lang = page.lang
    top = breaking_first(rows, 15)[::-1]
    colour = ["#c0392b" if r["hap_offered_load"] >= threshold else "#e07b20" if r["hap_offered_load"] >= 0.85
              else "#245a9b" for r in top]
    fig = figure(bar([r["hap_offered_load"] for r in top], [r["name"] for r in top], horizontal=True, colour=colour,
                     text=[role_label(r["hap_worst_pool"].split(":")[-1], lang) for r in top]))
    reference_line(fig, x=threshold, dash="dash", colour="#c0392b")
    page.h2(say(lang, "The regions that break first", "De regio's die het eerst knellen"))
    page.figure(fig, say(lang, "HAP offered load in the 15 regions closest to overload (dashed: overload at 0.95)",
                         "Aangeboden belasting van de HAP in de 15 regio's het dichtst bij overbelasting "
                         "(gestippeld: overbelast vanaf 0,95)"),
                say(lang, "offered load of the busiest pool (work offered / time rostered)",
                    "aangeboden belasting van de drukste pool (aangeboden werk / geroosterde tijd)"), "", height=480)


SORT_SCRIPT = """<script>
(function () {
  document.querySelectorAll('table.sortable').forEach(function (table) {
    table.querySelectorAll('th').forEach(function (th, col) {
      th.style.cursor = 'pointer';
      th.addEventListener('click', function () {
        var body = table.tBodies[0], rows = Array.prototype.slice.call(body.rows);
        var up = th.getAttribute('aria-sort') !== 'ascending';
        table.querySelectorAll('th').forEach(function (h) { h.removeAttribute('aria-sort'); });
        th.setAttribute('aria-sort', up ? 'ascending' : 'descending');
        rows.sort(function (a, b) {
          var x = a.cells[col].dataset.v, y = b.cells[col].dataset.v, nx = parseFloat(x), ny = parseFloat(y);
          var c = (isNaN(nx) || isNaN(ny)) ? x.localeCompare(y) : nx - ny;
          return up ? c : -c;
        });
        rows.forEach(function (r) { body.appendChild(r); });
      });
    });
  });
})();
</script>"""


def _sortable_table(rows: list[dict[str, Any]], lang: str) -> str:
    headers = say(lang, "region|inhabitants|Wlz clients|HAP contacts per 1,000 a year|U1 within norm|U2 within norm|"
                        "U3 within norm|HAP offered load|overloaded services|first reason",
                  "regio|inwoners|Wlz-cliënten|HAP-contacten per 1.000 per jaar|U1 binnen norm|U2 binnen norm|"
                  "U3 binnen norm|belasting HAP|overbelaste diensten|eerste reden").split("|")

    def cell(value: Any, shown: str, text: bool = False) -> str:
        sort = value if not isinstance(value, float) or not math.isnan(value) else -1
        cls = " class='text'" if text else ""
        return f"<td{cls} data-v='{html.escape(str(sort))}'>{shown}</td>"

    body = []
    for r in rows:
        link = f"<a href='regions/{html.escape(r['region'])}/report.html'>{html.escape(r['name'])}</a>"
        first = html.escape(r["overload"].split(";")[0]) if r["overload"] else ""
        body.append("<tr>" + cell(r["name"], link, True)
                    + cell(r["inhabitants"], number(r["inhabitants"], 0, lang))
                    + cell(r["wlz_clients"], number(r["wlz_clients"], 0, lang))
                    + cell(r["hap_contacts_per_1000_year"], _per_1000(r["hap_contacts_per_1000_year"], lang))
                    + "".join(cell(r[f"{u}_within_norm"], fmt_percent(r[f"{u}_within_norm"], 1, lang))
                              for u in NORM_URGENCIES)
                    + cell(r["hap_offered_load"], number(r["hap_offered_load"], 2, lang))
                    + cell(r["overloaded_services"], str(r["overloaded_services"]))
                    + cell(first, first, True) + "</tr>")
    head = "".join(f"<th{' class=' + chr(39) + 'text' + chr(39) if k in (0, 9) else ''}>{html.escape(h)}</th>"
                   for k, h in enumerate(headers))
    return (f"<table class='sortable wrap' id='regions'><thead><tr>{head}</tr></thead><tbody>{''.join(body)}"
            f"</tbody></table>{SORT_SCRIPT}")
