"""Page: a corpus's dashboard for owners and reviewers."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.safestring import mark_safe

from corpus.selectors import corpus_get_for_user
from review.access import corpus_require_reviewing
from review.charts import Bar, bar_chart
from review.dashboard import annotator_figures, label_counts


def corpus_dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    """Show who did what and how fast, and the labels of the finished layers, as charts."""
    corpus = corpus_get_for_user(user=request.user, slug=slug)
    corpus_require_reviewing(user=request.user, corpus=corpus)
    annotators = annotator_figures(corpus=corpus)
    labels = label_counts(corpus=corpus)
    charts = {
        "submitted": bar_chart(
            [Bar(person.username, person.submitted) for person in annotators],
            title="Documents submitted per annotator",
        ),
        "pace": bar_chart(
            [
                Bar(person.username, person.per_hour, f"{person.per_hour:.1f} per hour")
                for person in annotators
                if person.per_hour
            ],
            title="Documents per hour of editing, per annotator",
        ),
    }
    for kind, title in (("gold", "in the gold"), ("annotator", "in submitted layers")):
        charts[f"entities_{kind}"] = bar_chart(
            [Bar(label, n) for label, n in labels.entities.get(kind, {}).items()],
            title=f"Entities by type {title}",
        )
        charts[f"events_{kind}"] = bar_chart(
            [Bar(label, n) for label, n in labels.events.get(kind, {}).items()],
            title=f"Events by type {title}",
        )
    context = {
        "corpus": corpus,
        "annotators": annotators,
        # The SVG is built from escaped text only (review.charts).
        "charts": {name: mark_safe(svg) for name, svg in charts.items()},
    }
    return render(request, "review/dashboard.html", context)
