"""Every benchmark in bench/, one after another, and one table of their figures: `make bench`.

    .venv/bin/python -m bench [--quick] [--json bench/results.json] [--only import,export]
                              [--postgres URL]

Each benchmark runs in its own process with `--json`, its output kept in a log beside the
results file (bench/logs/NAME.log); a line says when each starts and how it ended. Then
one table: each figure, its baseline measured in the same run, the ratio and the target,
met or NOT met. The results file holds the machine, the settings, every figure and each
benchmark's seconds and exit status. `--quick` runs smaller sizes and leaves out the
annotated import with events and on PostgreSQL, and pre-annotation on PostgreSQL (under 5
minutes in all); its figures show the shape, the full run's are the ones the README quotes.
Exits 1 when a benchmark failed or a target was not met.
"""

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
POSTGRES = "postgres://postgres@127.0.0.1:5432/postgres"


@dataclass(frozen=True)
class Bench:
    """One benchmark: its module, the arguments of a full run and of a quick one."""

    name: str
    module: str
    full: tuple[str, ...] = ()
    quick: tuple[str, ...] | None = ()  # None: left out of --quick
    postgres: bool = False  # takes --postgres URL


BENCHES = (
    Bench("import", "bench.import", ("--articles", "100000"), ("--articles", "10000")),
    Bench(
        "import-annotated",
        "bench.import",
        ("--annotated", "--articles", "100000"),
        ("--annotated", "--articles", "5000"),
    ),
    Bench(
        "import-events",
        "bench.import",
        ("--annotated", "--events", "3", "--articles", "100000"),
        None,
    ),
    Bench(
        "import-annotated-postgres",
        "bench.import",
        ("--annotated", "--articles", "20000"),
        None,
        postgres=True,
    ),
    Bench("export", "bench.export", (), ("--small", "200", "--large", "2000")),
    Bench("preannotate", "bench.preannotate", (), ("--copies", "16", "--long", "2")),
    Bench(
        "preannotate-postgres",
        "bench.preannotate",
        (),
        None,
        postgres=True,
    ),
    Bench("quality", "bench.quality"),
    Bench("editor", "bench.editor", (), ("--runs", "2")),
    Bench("history-size", "bench.revisions", (), ("--saves", "30")),
    Bench("document-list", "bench.document_list", (), ("--documents", "5000", "--repeat", "3")),
    Bench(
        "load",
        "bench.load",
        ("--annotators", "20", "--seconds", "60"),
        ("--annotators", "5", "--seconds", "10"),
        postgres=True,
    ),
    Bench(
        "scale",
        "bench.scale",
        ("--documents", "200000", "--repeat", "11"),  # medians of 11: steadier on a shared machine
        ("--documents", "10000", "--repeat", "3"),
        postgres=True,
    ),
    Bench(
        "concurrency",
        "bench.concurrency",
        (),
        ("--documents", "100", "--annotators", "3"),
        postgres=True,
    ),
    Bench("loop", "bench.loop", (), ("--quick",)),
)


def main() -> None:
    options = _parser().parse_args()
    chosen = _chosen(options.only, quick=options.quick)
    results_path = Path(options.json)
    logs = results_path.parent / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    results = {
        "machine": machine(),
        "quick": options.quick,
        "started": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
        "benches": {},
    }
    started = time.monotonic()
    for number, bench in enumerate(chosen, start=1):
        print(f"[{number}/{len(chosen)}] {bench.name} ...", end=" ", flush=True)
        outcome = bench_run(bench, quick=options.quick, postgres=options.postgres, logs=logs)
        results["benches"][bench.name] = outcome
        shown = "done" if outcome["exit"] == 0 else f"exit {outcome['exit']}"
        print(f"{shown} in {outcome['seconds']:.0f} s (log: {outcome['log']})", flush=True)
    results["seconds"] = round(time.monotonic() - started, 1)
    results_path.write_text(json.dumps(results, indent=2) + "\n")
    lines, all_met = table_lines(results)
    print("\n" + "\n".join(lines))
    print(f"\n{results['seconds']:.0f} s in all; results in {results_path}")
    sys.exit(0 if all_met else 1)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller sizes, under 5 minutes")
    parser.add_argument("--json", default=str(PROJECT_DIR / "bench" / "results.json"))
    parser.add_argument("--only", help="comma-separated benchmark names (default: all)")
    parser.add_argument("--postgres", default=POSTGRES, help="server for the PostgreSQL ones")
    return parser


def _chosen(only: str | None, *, quick: bool) -> list[Bench]:
    if not only:
        return [bench for bench in BENCHES if not quick or bench.quick is not None]
    names = only.split(",")
    unknown = sorted(set(names) - {bench.name for bench in BENCHES})
    if unknown:
        known = ", ".join(bench.name for bench in BENCHES)
        sys.exit(f"Unknown benchmark {', '.join(unknown)}: choose among {known}")
    return [bench for bench in BENCHES if bench.name in names]


def bench_run(bench: Bench, *, quick: bool, postgres: str, logs: Path) -> dict:
    """Run one benchmark in a child process; return its figures, seconds and exit status."""
    log = logs / f"{bench.name}.log"
    with tempfile.TemporaryDirectory() as scratch:
        figures_path = Path(scratch) / "figures.json"
        sizes = bench.full if not quick or bench.quick is None else bench.quick
        command = [sys.executable, "-m", bench.module, *sizes]
        if bench.postgres:
            command += ["--postgres", postgres]
        command += ["--json", str(figures_path)]
        started = time.monotonic()
        with log.open("w") as out:
            out.write(" ".join(command[1:]) + "\n\n")
            out.flush()
            process = subprocess.run(command, cwd=PROJECT_DIR, stdout=out, stderr=subprocess.STDOUT)
        seconds = time.monotonic() - started
        figures = []
        if figures_path.exists():
            figures = json.loads(figures_path.read_text()).get("figures", [])
    return {
        "command": " ".join(["python", *command[1:-2]]),
        "exit": process.returncode,
        "seconds": round(seconds, 1),
        "log": str(log.relative_to(PROJECT_DIR) if log.is_relative_to(PROJECT_DIR) else log),
        "figures": figures,
    }


def table_lines(results: dict) -> tuple[list[str], bool]:
    """The table of every figure; and whether every benchmark ran and every target was met."""
    header = f"{'figure':64} {'value':>12} {'baseline':>12} {'ratio':>7}  {'target':<16} met"
    lines, all_met = [header, "-" * len(header)], True
    for name, outcome in results["benches"].items():
        if outcome["exit"] != 0 and not outcome["figures"]:
            lines.append(f"{name:64} FAILED (exit {outcome['exit']}; see {outcome['log']})")
            all_met = False
        for figure in outcome["figures"]:
            met = {True: "met", False: "NOT met", None: ""}[figure["met"]]
            all_met = all_met and figure["met"] is not False
            lines.append(
                f"{figure['name'][:64]:64} {_value(figure['value'], figure['unit']):>12} "
                f"{_value(figure['baseline_value'], figure['unit']):>12} "
                f"{_number(figure['ratio']):>7}  {figure['target']:<16} {met}"
            )
    return lines, all_met


def _value(number: float | None, unit: str) -> str:
    if number is None:
        return "-"
    if unit == "pass":
        return "pass" if number else "fail"
    return f"{_number(number)} {_UNITS.get(unit, unit)}"


_UNITS = {"documents/s": "doc/s", "articles/s": "art/s", "frames": "fr"}


def _number(number: float | None) -> str:
    if number is None:
        return "-"
    if abs(number) >= 100:
        return f"{number:,.0f}"
    return f"{number:.2f}" if abs(number) >= 0.1 or number == 0 else f"{number:.2g}"


def machine() -> dict:
    """What the figures were measured on."""
    memory_kb = 0
    with Path("/proc/meminfo").open() as meminfo:
        for line in meminfo:
            if line.startswith("MemTotal:"):
                memory_kb = int(line.split()[1])
    model = ""
    with Path("/proc/cpuinfo").open() as cpuinfo:
        for line in cpuinfo:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    return {
        "cpu": model,
        "cores": os.cpu_count(),
        "memory_gb": round(memory_kb / 1024 / 1024, 1),
        "python": platform.python_version(),
        "system": platform.platform(),
        "load_average": os.getloadavg()[0],
    }


if __name__ == "__main__":
    main()
