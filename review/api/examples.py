"""Examples for the API schema of review: agreement, the dashboard, the merged view, gold."""

from drf_spectacular.utils import OpenApiExample

from annotations.api.examples import LAYER

AGREEMENT = OpenApiExample(
    "two annotators on entity spans",
    value={
        "corpus": "news",
        "measures": {"entity_exact": "entity spans: same start, end and type"},
        "comparisons": [
            {
                "kind": "pair",
                "reference": "ana-annotator",
                "other": "rita-reviewer",
                "documents": 40,
                "measures": [
                    {
                        "measure": "entity_exact",
                        "label": None,
                        "matched": 180,
                        "reference_count": 200,
                        "other_count": 190,
                        "precision": None,
                        "recall": None,
                        "f1": 0.923,
                        "kappa": None,
                        "observed": None,
                        "tokens": None,
                    }
                ],
            }
        ],
    },
    response_only=True,
)

AGREEMENT_CSV = OpenApiExample(
    "the CSV",
    value=(
        "kind,reference,other,documents,measure,label,matched,reference_count,other_count,"
        "precision,recall,f1,kappa,observed,tokens\r\n"
        "pair,ana-annotator,rita-reviewer,40,entity_exact,,180,200,190,,,0.9231,,,\r\n"
    ),
    media_type="text/csv",
    response_only=True,
)

DASHBOARD = OpenApiExample(
    "a corpus under way",
    value={
        "states": {"new": 900, "pre-annotated": 250, "in progress": 60, "annotated": 30},
        "annotators": [
            {
                "username": "ana-annotator",
                "submitted": 42,
                "draft": 3,
                "skipped": 1,
                "median_seconds": 184.5,
                "per_hour": 12.3,
            }
        ],
        "entities": {"gold": {"PER": 120}, "annotator": {"PER": 410, "GPE": 220}},
        "events": {"gold": {"Life.Die": 8}, "annotator": {"Life.Die": 31}},
        "pairs": [
            {
                "first": "ana-annotator",
                "second": "rita-reviewer",
                "documents": 40,
                "scores": {"entity_exact": 0.923, "token_kappa": 0.88},
            }
        ],
        "models": {"core_web_sm 3.8.0": {"PER": 0.81, "GPE": 0.77}},
    },
    response_only=True,
)

_VOTES = {
    "voters": ["ana-annotator", "model"],
    "agreed": False,
    "disputed": True,
    "attributes": {},
    "note": "",
    "details_from": "ana-annotator",
}

REVIEW = OpenApiExample(
    "a document's candidates",
    value={
        "document": 7,
        "voters": [{"name": "ana-annotator", "layer": 42}, {"name": "model", "layer": 40}],
        "entities": [
            {
                "id": "span:0:10:PER",
                **_VOTES,
                "start": 0,
                "end": 10,
                "label": "PER",
                "text": "Kofi Annan",
                "conflicts": [],
            }
        ],
        "events": [
            {
                "id": "event:11:18:Movement.Transport",
                **_VOTES,
                "trigger_start": 11,
                "trigger_end": 18,
                "type": "Movement.Transport",
                "text": "arrived",
                "conflicts": [],
            }
        ],
        "arguments": [
            {
                "id": "arg:event:11:18:Movement.Transport:Artifact:span:0:10:PER",
                "event": "event:11:18:Movement.Transport",
                "role": "Artifact",
                "span": "span:0:10:PER",
                "target_event": None,
                "voters": ["ana-annotator"],
                "agreed": False,
                "disputed": True,
            }
        ],
        "gold": None,
    },
    response_only=True,
)

ADJUDICATE = [
    OpenApiExample(
        "gold from what two annotators agree on",
        value={"action": "agreed", "k": 2, "version": 0},
        request_only=True,
    ),
    OpenApiExample(
        "gold from one annotator's layer",
        value={"action": "take", "voter": "ana-annotator", "version": 3},
        request_only=True,
    ),
    OpenApiExample(
        "gold as edited",
        value={
            "action": "save",
            "version": 3,
            "spans": [{"id": "n1", "start": 0, "end": 10, "label": "PER"}],
            "events": [],
        },
        request_only=True,
    ),
    OpenApiExample(
        "the gold layer written",
        value={**LAYER, "kind": "gold", "status": "reviewed", "user": "rita-reviewer"},
        response_only=True,
    ),
]
