"""The dashboard's pictures: one SVG chart per figure (see review.charts)."""

from html import escape

from review.agreement import ENTITY_EXACT, TOKEN_KAPPA
from review.charts import Bar, bar_chart, heat_map
from review.dashboard import Dashboard

HEAT_MAPS = ((ENTITY_EXACT, "Entity F1 (exact)"), (TOKEN_KAPPA, "Token kappa"))
LAYER_KINDS = (("gold", "in the gold"), ("annotator", "in submitted layers"))


def dashboard_charts(dashboard: Dashboard) -> dict[str, str]:
    """Return the dashboard's charts by name, as SVG built from escaped text only."""
    people = dashboard.annotators
    charts = {
        "states": bar_chart(
            [Bar(state, n) for state, n in dashboard.states.items()], title="Documents by state"
        ),
        "submitted": bar_chart(
            [Bar(person.username, person.submitted) for person in people],
            title="Documents submitted per annotator",
        ),
        "pace": bar_chart(
            [
                Bar(person.username, person.per_hour, f"{person.per_hour:.1f} per hour")
                for person in people
                if person.per_hour
            ],
            title="Documents per hour of editing, per annotator",
        ),
    }
    names = sorted({name for pair in dashboard.pairs for name in (pair.first, pair.second)})
    for measure, title in HEAT_MAPS:
        scores = {}
        for pair in dashboard.pairs:
            score = pair.scores.get(measure)
            scores[pair.first, pair.second] = scores[pair.second, pair.first] = score
        charts[f"heat_{measure}"] = heat_map(names, scores, title=f"{title} between annotators")
    for kind, title in LAYER_KINDS:
        charts[f"entities_{kind}"] = bar_chart(
            [Bar(label, n) for label, n in dashboard.labels.entities.get(kind, {}).items()],
            title=f"Entities by type {title}",
        )
        charts[f"events_{kind}"] = bar_chart(
            [Bar(label, n) for label, n in dashboard.labels.events.get(kind, {}).items()],
            title=f"Events by type {title}",
        )
    charts["models"] = "".join(
        f'<p class="meta">{escape(model)}</p>'
        + bar_chart(
            [
                Bar(label, f1 or 0, "n/a" if f1 is None else f"{f1:.2f}")
                for label, f1 in by_label.items()
            ],
            title=f"{model} against gold: entity F1 per label",
        )
        for model, by_label in dashboard.models.items()
    )
    return charts
