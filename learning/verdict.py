"""Whether a new version beats the one pre-annotating now, on the same held-out gold."""

from learning.models import ModelVersion


def combined_f1(scores: dict) -> float:
    """F1 of entities and triggers together (micro), from `evaluate`'s counts."""
    tp = fp = fn = 0
    for part in ("entities", "triggers"):
        micro = scores[part]["micro"]
        tp, fp, fn = tp + micro["tp"], fp + micro["fp"], fn + micro["fn"]
    return round(2 * tp / (2 * tp + fp + fn), 4) if tp else 0.0


def verdict(scores: dict, current: ModelVersion | None, held: int) -> tuple[str, str]:
    """The status and message of a version scored `scores` (`candidate`, and `current` or
    `base`): proposed only when strictly better than the active version (or the base)."""
    against = "current" if current is not None else "base"
    name = f"the active v{current.number}" if current is not None else "the base pipeline"
    ours, theirs = combined_f1(scores["candidate"]), combined_f1(scores[against])
    judged = f"F1 {ours:.3f} against {theirs:.3f} for {name} on {held} held-out documents"
    if ours > theirs:
        return ModelVersion.Status.PROPOSED, f"Better: {judged} (+{ours - theirs:.3f})."
    return ModelVersion.Status.NOT_BETTER, f"Not better: {judged}."
