"""Break each model rule once and run the fast tests that concern it: caught or survived.

    .venv/bin/python tools/mutations.py            # every rule (a few minutes)
    .venv/bin/python tools/mutations.py --list     # check that every snippet is found once
    .venv/bin/python tools/mutations.py hap_no_backlog seh_referral_by_urgency   # some rules

Each mutation is a code snippet and what it becomes. The snippet is searched over the whole
sim/ tree (not a fixed file: modules move), and must be found exactly once, or the script
stops with an error naming it. The tree is copied to a temporary folder; each mutation is
applied there, the tests it names run there with `-m "not slow" -x`, and the file is put
back. The working tree is never touched. The rule map (docs/rules.md) holds the output.

Before any mutation, the union of the selected tests runs once on the unbroken copy: a
test that fails there would make "caught" meaningless, so the script stops.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Mutation:
    name: str  # the rule's name in docs/rules.md
    rule: str  # what breaking it means
    snippet: str  # exact code, found once in sim/
    becomes: str
    tests: tuple[str, ...]  # pytest arguments: test files and -k expressions

    def pytest_args(self) -> list[str]:
        return list(self.tests)


MUTATIONS = [
    Mutation("norm_counts_the_norm_contact", "every contact counts for the norm (first contact = norm contact)",
             "if norm and not self.norm[i] <= t:", "if not self.norm[i] <= t:",
             ("tests/test_rules.py", "-k", "first_contact_not_the_norm_contact")),
    Mutation("nurse_passing_on_misses_the_norm", "a nurse who passes a request on meets its norm",
             "return settles and asked in settled_ok", "return asked in settled_ok",
             ("tests/test_rule_map.py", "-k", "nurse_passes_on")),
    Mutation("digital_physician_u3_u5", "a digital physician meets every norm, U1-U2 visits too",
             "return asked > URGENT_MAX_URGENCY or modality == TELEPHONE", "return True",
             ("tests/test_urgent_work.py", "-k", "digital_physician")),
    Mutation("norm_of_the_urgency_asked", "triage that lowers the urgency lowers the norm",
             "return meets_norm(kind, self.asked[i],", "return meets_norm(kind, self.urgency[i],",
             ("tests/test_rule_map.py", "-k", "downgrade")),
    Mutation("hap_no_backlog", "the HAP keeps non-acute work waiting into the day (holds a backlog)",
             "if not holds_backlog or self.urgency[i] <= ACUTE_MAX_URGENCY:",
             "if self.urgency[i] <= ACUTE_MAX_URGENCY:",
             ("tests/test_rules.py", "-k", "no_backlog_into_the_day")),
    Mutation("hap_no_backlog_on_arrival", "a request reaching the closed HAP is planned for its reopening at 17:00",
             "0.0, holds_backlog=False, take=take)", "0.0, holds_backlog=True, take=take)",
             ("tests/test_rules.py", "-k", "no_backlog_into_the_day")),
    Mutation("hand_over_at_closing", "a closed practice keeps acute work waiting (nothing handed over)",
             "return ctx.must_move(i, pool, holds_backlog) and (ctx.urgency[i] == 1 or ctx.covering(i, key) is not None)",
             "return False",
             ("tests/test_rules.py", "-k", "office_only_block or waarneming")),
    Mutation("waarneming", "a practice closed in office hours has no waarneming: the HAP or nobody covers",
             "candidates = [first, *self._covers.get(first, []), (HAP_KIND, self._hap_of[i])]",
             "candidates = [first, (HAP_KIND, self._hap_of[i])]",
             ("tests/test_rules.py", "-k", "waarneming")),
    Mutation("preemption_of_urgent_work", "U1-U2 wait for free time like planned work (no pre-emption)",
             "return 0.0 if pool.free is None or urgency <= URGENT_MAX_URGENCY else hold",
             "return 0.0 if pool.free is None else hold",
             ("tests/test_rules.py", "-k", "take_a_gp_off_other_work")),
    Mutation("physician_priority_order", "physician queues first come, first served",
             "    if urgency <= URGENT_MAX_URGENCY:\n        return 0\n    if urgency <= ACUTE_MAX_URGENCY:\n        return 1\n"
             "    return 2 if modality == TELEPHONE else 3",
             "    return 0",
             ("tests/test_rule_map.py", "-k", "u3_then_telephone_then_planned")),
    Mutation("u1_ambulance_dispatch", "112 never sends the ambulance for a U1 (the physician always goes)",
             "return ctx.urgency[i] != 1 or ctx.ambulance.dispatch(i)", "return True",
             ("tests/test_urgent_work.py", "-k", "first_of_ambulance_and_physician")),
    Mutation("nobody_open_for_u1_means_112", "a U1 nobody can go to waits instead of getting the ambulance",
             "if target is not None or ctx.urgency[i] == 1:", "if target is not None:",
             ("tests/test_urgent_work.py", "-k", "means_112")),
    Mutation("first_line_escalation", "a first-line nurse escalates U1-U2 only after her whole contact",
             "check = min(self.escalation_min, hold)", "check = hold",
             ("tests/test_urgent_work.py", "-k", "escalates_urgent_work_after_her_check")),
    Mutation("escalates_setting", "`escalates` ignored: nothing is escalated during the contact",
             "if not resolved and urgency in self.escalates:", "if False:",
             ("tests/test_urgent_work.py", "-k", "escalates_urgent_work_after_her_check")),
    Mutation("stays_on_the_line", "after escalating, the nurse or triagist is free at once (not on the line for the rest)",
             "    if delay > 0:\n        at(env, delay, lambda _e: pool.release(claim))",
             "    if False:\n        at(env, delay, lambda _e: pool.release(claim))",
             ("tests/validation/test_laws.py", "-k", "littles_law and baseline")),
    Mutation("hap_abcd_check", "the HAP car leaves only after the whole triage call",
             "check = min(self.escalation_min, duration)", "check = duration",
             ("tests/test_rules.py", "-k", "after_the_abcd_check")),
    Mutation("escalated_goes_on_at_once", "a nurse-escalated request queues for the HAP triagist again",
             "if ctx.escalated[i] and ctx.urgency[i] <= URGENT_MAX_URGENCY and self.is_open():",
             "if False:",
             ("tests/test_urgent_work.py", "-k", "nurse_escalated_request_at_once")),
    Mutation("bypass", "`bypass` ignored: care staff never call the next step directly",
             "if self.bypass_share[urgency] > 0 and ctx.column(BYPASS)[i] < self.bypass_share[urgency]:",
             "if False:",
             ("tests/test_urgent_work.py", "-k", "passes_the_voorwacht_by")),
    Mutation("car_take_over", "a U1 that finds no car waits instead of taking one on its way to a less urgent visit",
             "take = by_car and ctx.urgency[i] == 1", "take = False",
             ("tests/test_rules.py", "-k", "takes_over_one_still_on_its_way")),
    Mutation("emptied_shift_hands_on", "while a shift is emptied, waiting requests are not offered to another service",
             "if self.recheck and self.moves_at_close is not None and self.level() == 0:", "if False:",
             ("tests/test_urgent_work.py", "-k", "emptied_shift")),
    Mutation("planning_cutoff", "non-acute work asked before the 10:00 cut-off waits for tomorrow's round",
             "day if t - day * MIN_PER_DAY < self.cutoff else day + 1", "day + 1",
             ("tests/test_rule_map.py", "-k", "before_the_cut_off")),
    Mutation("planned_to_meet_its_norm", "planning ignores the request's norm (a U4 waits for the next round)",
             "if planned > self.ctx.deadline[i]:", "if False:",
             ("tests/test_rules.py", "-k", "planning_is_reported")),
    Mutation("seh_referral_by_urgency", "the SEH referral share shifted by one urgency level",
             "if ctx.seh_u[i] < ctx.seh_share[ctx.urgency[i]]:",
             "if ctx.seh_u[i] < ctx.seh_share[min(ctx.urgency[i] + 1, 5)]:",
             ("tests/test_rule_map.py", "-k", "seh_referral")),
    Mutation("downgrade_share", "`downgrade_share` ignored: a passed-on request keeps its urgency",
             "ctx.urgency[i] += 1", "ctx.urgency[i] += 0",
             ("tests/test_rule_map.py", "-k", "downgrade")),
    Mutation("holidays_are_anw", "public holidays are ordinary weekdays (not ANW)",
             "day_type[(day - start).days] = HOLIDAY_DAYTYPE", "pass",
             ("tests/test_rule_map.py", "-k", "holiday")),
    Mutation("first_line_urgent_first", "a first-line block answers U1-U2 in turn with the rest",
             "return 0 if self.ctx.urgency[i] <= URGENT_MAX_URGENCY else 1", "return 1",
             ("tests/test_rule_map.py", "-k", "voorwacht_answers_urgent_calls_first")),
    Mutation("behandelteam_prevents", "proactive care prevents only acute requests, not ANW ones",
             "keep_chance = (1 - prevents_acute * acute) * (1 - prevents_anw * anw)",
             "keep_chance = (1 - prevents_acute * acute)",
             ("tests/test_arrangements.py", "-k", "behandelteam_is_daytime_only")),
    Mutation("sickness_absence", "sickness absence empties no shift",
             "iv[:, 2] = rng.binomial(iv[:, 2].astype(np.int64), 1.0 - absence)", "pass",
             ("tests/test_arrangements.py", "-k", "sickness_absence")),
    Mutation("aanrijdteam_drives_back", "the aanrijdteam nurse is free on site (no drive back)",
             "release_later(env, self.pool, claim, travel)  # drives back", "release_later(env, self.pool, claim, 0.0)  #",
             ("tests/test_rule_map.py", "-k", "driven_back")),
    Mutation("overload_reasons", "a service offered more than its time is not flagged (offered load ignored)",
             '"offered": (mean(pool, "offered_load"),) if mean(pool, "offered_load") >= OVERLOAD_UTILISATION else None,',
             '"offered": None,',
             ("tests/test_urgent_work.py", "-k", "offered_load_counts")),
]


def locate(tree: Path, snippet: str) -> Path:
    """The one file under tree/sim holding `snippet` exactly once; an error otherwise."""
    hits = [(p, p.read_text(encoding="utf-8").count(snippet)) for p in sorted((tree / "sim").rglob("*.py"))]
    hits = [(p, n) for p, n in hits if n]
    if len(hits) != 1 or hits[0][1] != 1:
        where = ", ".join(f"{p.relative_to(tree)} x{n}" for p, n in hits) or "nowhere"
        raise SystemExit(f"mutations: snippet found {where}, not exactly once:\n{snippet}")
    return hits[0][0]


def copy_tree(dest: Path) -> Path:
    """The repository's sim/ and tests/ (plus pyproject.toml and configs/) in dest."""
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", ".pytest_cache")
    for name in ("sim", "tests", "configs", "benchmarks"):
        if (ROOT / name).exists():
            shutil.copytree(ROOT / name, dest / name, ignore=ignore)
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy2(ROOT / name, dest / name)
    return dest


def pytest(tree: Path, args: list[str]) -> tuple[int, str]:
    """Run the fast tests `args` in the copy; the copy's sim/ is imported, not the installed one."""
    env = dict(os.environ, PYTHONPATH=str(tree), PYTHONDONTWRITEBYTECODE="1")
    cmd = [sys.executable, "-m", "pytest", "-q", "-x", "-m", "not slow", "-p", "no:cacheprovider", *args]
    proc = subprocess.run(cmd, cwd=tree, env=env, capture_output=True, text=True)
    last = [line for line in proc.stdout.splitlines() if line.strip()]
    return proc.returncode, last[-1] if last else proc.stderr.strip()[-200:]


def imports_the_copy(tree: Path) -> None:
    env = dict(os.environ, PYTHONPATH=str(tree), PYTHONDONTWRITEBYTECODE="1")
    out = subprocess.run([sys.executable, "-c", "import sim; print(sim.__file__)"], cwd=tree, env=env,
                         capture_output=True, text=True, check=True).stdout.strip()
    if not out.startswith(str(tree)):
        raise SystemExit(f"mutations: the copy imports sim from {out}, not from {tree}")


def union(selected: list[Mutation]) -> list[str]:
    """One pytest call for every selected test: files, and the -k expressions or'ed."""
    files = sorted({a for m in selected for a in m.tests if a.startswith("tests/")})
    ks = [m.tests[m.tests.index("-k") + 1] for m in selected if "-k" in m.tests]
    return [*files, "-k", " or ".join(f"({k})" for k in ks)] if ks else files


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("names", nargs="*", help="rules to break (all when none is named)")
    ap.add_argument("--list", action="store_true", help="only check that every snippet is found once")
    args = ap.parse_args(argv)
    unknown = set(args.names) - {m.name for m in MUTATIONS}
    if unknown:
        raise SystemExit(f"mutations: unknown rule(s) {', '.join(sorted(unknown))}")
    selected = [m for m in MUTATIONS if not args.names or m.name in args.names]
    for m in selected:
        where = locate(ROOT, m.snippet)
        if args.list:
            print(f"{m.name:34} {str(where.relative_to(ROOT)):28} {m.rule}")
    if args.list:
        return 0
    began = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="mgz-mutations-") as tmp:
        tree = copy_tree(Path(tmp))
        imports_the_copy(tree)
        rc, line = pytest(tree, union(selected))
        if rc != 0:
            raise SystemExit(f"mutations: the selected tests fail on the unbroken code: {line}")
        print(f"unbroken: {line}")
        print("| rule | file | caught | fast tests run | seconds |\n|---|---|---|---|---|")
        survived = []
        for m in selected:
            path = locate(tree, m.snippet)
            original = path.read_text(encoding="utf-8")
            path.write_text(original.replace(m.snippet, m.becomes), encoding="utf-8")
            t0 = time.monotonic()
            try:
                rc, line = pytest(tree, m.pytest_args())
            finally:
                path.write_text(original, encoding="utf-8")
            caught = rc == 1  # a test failed; 0 = all passed, anything else = could not run
            if rc not in (0, 1):
                raise SystemExit(f"mutations: {m.name}: pytest could not run (exit {rc}): {line}")
            if not caught:
                survived.append(m.name)
            print(f"| {m.name} | {path.relative_to(tree)} | {'yes' if caught else 'NO'} | "
                  f"{' '.join(m.tests)} | {time.monotonic() - t0:.0f} |", flush=True)
    print(f"\n{len(selected) - len(survived)} of {len(selected)} rule breaks caught by the fast tests "
          f"in {time.monotonic() - began:.0f} s" + (f"; survived: {', '.join(survived)}" if survived else ""))
    return 1 if survived else 0


if __name__ == "__main__":
    sys.exit(main())
