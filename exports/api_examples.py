"""Examples for the API schema of exports: a preview's report, and a download's query."""

from drf_spectacular.utils import OpenApiExample, OpenApiParameter

PREVIEW = OpenApiExample(
    "an export's report",
    value={
        "format": "conll",
        "source": "gold",
        "documents": {"train": 80, "dev": 10, "test": 10},
        "total_documents": 100,
        "entities": {"PER": 412, "GPE": 260},
        "events": {"Life.Die": 38},
        "arguments": {"Victim": 35, "Place": 21},
        "relations": {},
        "warning_counts": {
            "misaligned": {"count": 1, "meaning": "spans that do not fall on token boundaries"}
        },
        "warnings": [
            {
                "kind": "misaligned",
                "document": "reuters-0042",
                "message": "entity PER 0-9 ends inside a token",
                "split": "train",
            }
        ],
        "warnings_listed": 1,
        "warnings_total": 1,
        "files": ["train.conll", "dev.conll", "test.conll", "report.json"],
    },
    response_only=True,
)

# The download's answer is a zip: its example is the query that asks for one.
DOWNLOAD = [
    OpenApiExample("CoNLL", value="conll", parameter_only=("format", OpenApiParameter.QUERY)),
    OpenApiExample(
        "80/10/10", value="0.8,0.1,0.1", parameter_only=("split", OpenApiParameter.QUERY)
    ),
]
