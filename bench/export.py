"""Memory and speed of exporting, 10,000 documents against 1,000 in the same run.

    .venv/bin/python -m bench.export [--small 1000] [--large 10000] [--formats spacy,jsonl,...]

1. Imports `--large` generated gold articles (entities and an attack event each) into one
   corpus and the first `--small` of them into another, in a throwaway SQLite database.
2. For each format, exports both corpora with `manage.py export_corpus --split 0.8,0.1,0.1`
   in child processes with DEBUG off, and reads each child's peak resident memory.

Prints, per format, documents per second and peak memory for both, and the memory ratio
large/small (target: at most 1.2, i.e. memory flat in the number of documents).
"""

import argparse
import io
import json
import random
import tempfile
from pathlib import Path

from bench.database import child_run, throwaway_database
from bench.report import absolute_figure, figures_write, ratio_figure

FORMATS = ("jsonl", "spacy", "doccano", "conll", "brat", "dygiepp")
PLACES = ["Homs", "Idlib", "Hama", "Aleppo", "Daraa", "Damascus", "Rastan", "Yabrud"]
PEOPLE = ["Kofi Annan", "Bashar al-Assad", "Ban Ki-moon", "Valerie Amos", "Ahmet Davutoglu"]

EXPORT = """
import django, resource, sys, time
django.setup()
from django.core.management import call_command
started = time.perf_counter()
call_command("export_corpus", sys.argv[1], "--format", sys.argv[2], "--out", sys.argv[3],
             "--split", "0.8,0.1,0.1", verbosity=0, stdout=open("/dev/null", "w"))
elapsed = time.perf_counter() - started
print(elapsed, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, default=1_000)
    parser.add_argument("--large", type=int, default=10_000)
    parser.add_argument("--formats", default=",".join(FORMATS))
    parser.add_argument("--json", help="write the figures to this file (for `make bench`)")
    options = parser.parse_args()
    with throwaway_database() as directory:
        run(options, directory)


def run(options: argparse.Namespace, directory: Path) -> None:
    from django.core.management import call_command

    for slug, count in (("small", options.small), ("large", options.large)):
        path = directory / f"{slug}.jsonl"
        gold_articles_write(path, count)
        call_command("import_documents", slug, str(path), "--as", "gold", stdout=io.StringIO())
    print(f"{options.small:,} and {options.large:,} gold articles, each with 4 entities, 1 event")
    figures = []
    for format in options.formats.split(","):
        results = {}
        with tempfile.TemporaryDirectory(dir=directory) as scratch:
            for slug in ("small", "large"):
                out = str(Path(scratch) / slug)
                results[slug] = child_run(EXPORT, slug, format, out)
        (small_s, small_kb), (large_s, large_kb) = results["small"], results["large"]
        print(
            f"{format:8} {options.small / small_s:7,.0f} and {options.large / large_s:7,.0f}"
            f" documents/s; peak {small_kb / 1024:4.0f} MB and {large_kb / 1024:4.0f} MB:"
            f" ratio {large_kb / small_kb:.2f} (target at most 1.2)"
        )
        figures.append(
            ratio_figure(
                f"export {options.large:,} documents as {format}: peak memory",
                large_kb / 1024,
                small_kb / 1024,
                unit="MB",
                baseline=f"{options.small:,} documents",
                target=("<=", 1.2),
            )
        )
        figures.append(
            absolute_figure(
                f"export as {format}: speed", options.large / large_s, unit="documents/s"
            )
        )
    figures_write(options.json, figures, small=options.small, large=options.large)


def gold_articles_write(path: Path, count: int) -> None:
    """Write `count` articles with entities and a Conflict.Attack event, the same for a seed."""
    rng = random.Random(7)
    with path.open("w", encoding="utf-8") as out:
        for number in range(count):
            out.write(json.dumps(gold_article(number, rng)) + "\n")


def gold_article(number: int, rng: random.Random) -> dict:
    place, other = rng.sample(PLACES, 2)
    person = rng.choice(PEOPLE)
    first = f"Government forces attacked {place} on day {number}, activists said."
    second = f"{person} said the fighting near {other} had to stop."
    third = f"At least {rng.randint(2, 90)} people were killed, according to the observatory."
    text = " ".join((first, second, third))
    forces = (0, len("Government forces"))
    trigger = text.index("attacked")
    target = text.index(place)
    speaker = len(first) + 1
    near = text.index(other, speaker)
    return {
        "id": f"bench-{number}",
        "title": f"Fighting in {place} ({number})",
        "text": text,
        "entities": [
            {"id": "T1", "start": forces[0], "end": forces[1], "label": "ORG"},
            {"id": "T2", "start": target, "end": target + len(place), "label": "GPE"},
            {"id": "T3", "start": speaker, "end": speaker + len(person), "label": "PER"},
            {"id": "T4", "start": near, "end": near + len(other), "label": "GPE"},
        ],
        "events": [
            {
                "id": "E1",
                "type": "Conflict.Attack",
                "trigger": {"start": trigger, "end": trigger + len("attacked")},
                "arguments": [{"role": "Attacker", "ref": "T1"}, {"role": "Place", "ref": "T2"}],
            }
        ],
    }


if __name__ == "__main__":
    main()
