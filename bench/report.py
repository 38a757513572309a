"""Figures a benchmark reports to `make bench`: each value, its baseline, the ratio and the target.

A benchmark run with `--json PATH` writes {"figures": [...], "settings": {...}} there; the
runner (`python -m bench`) collects every file into one table and one results file. A figure
is a plain dict so the JSON reads without this module:

    name            what was measured ("import 10,000 annotated articles")
    value, unit     Goldset's figure
    baseline        what it is compared with, measured in the same run ("raw sqlite3")
    baseline_value  the baseline's figure, in the same unit (None for an absolute target)
    ratio           value / baseline_value, or as the benchmark defines it (None if absolute)
    target          the target as text ("ratio >= 0.5", "<= 60 s")
    met             whether it was met (None when the figure has no target)
"""

import json
import operator
from pathlib import Path

_COMPARE = {">=": operator.ge, "<=": operator.le}


def ratio_figure(
    name: str,
    value: float,
    baseline_value: float,
    *,
    unit: str,
    baseline: str,
    target: tuple[str, float] | None = None,
    ratio: float | None = None,
) -> dict:
    """A figure compared with a baseline; `target` is (">=" or "<=", bound) on the ratio.

    The ratio is value / baseline_value unless given (a rate's ratio, where higher is better,
    is the benchmark's to define).
    """
    if ratio is None:
        ratio = value / baseline_value if baseline_value else None
    return _figure(name, value, unit, baseline, baseline_value, ratio, target, on=ratio)


def absolute_figure(
    name: str, value: float, *, unit: str, target: tuple[str, float] | None = None
) -> dict:
    """A figure with an absolute target on its own value (seconds, MB, a count)."""
    return _figure(name, value, unit, None, None, None, target, on=value)


def check_figure(name: str, passed: bool | None, *, detail: str = "") -> dict:
    """A pass/fail check (no save lost, no duplicate layer): met is whether it passed, None
    when the run did not reach it."""
    figure = _figure(name, float(bool(passed)), "pass", None, None, None, None, on=None)
    return {**figure, "target": "passes", "met": passed, "detail": detail}


def _figure(name, value, unit, baseline, baseline_value, ratio, target, *, on) -> dict:
    met = None
    shown = ""
    if target is not None:
        sign, bound = target
        subject = "ratio" if ratio is not None else unit
        shown = f"{subject} {sign} {bound:g}"
        met = bool(on is not None and _COMPARE[sign](on, bound))
    return {
        "name": name,
        "value": _rounded(value),
        "unit": unit,
        "baseline": baseline,
        "baseline_value": _rounded(baseline_value),
        "ratio": _rounded(ratio),
        "target": shown,
        "met": met,
    }


def _rounded(number: float | None) -> float | None:
    return None if number is None else float(f"{number:.4g}")


def figures_write(path: str | Path | None, figures: list[dict], **settings) -> None:
    """Write `figures` and the run's settings to `path` (nothing when path is None)."""
    if path is None:
        return
    Path(path).write_text(json.dumps({"figures": figures, "settings": settings}, indent=2) + "\n")
