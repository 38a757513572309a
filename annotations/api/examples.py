"""Examples for the API schema of documents and layers: what a client sends and gets back."""

from drf_spectacular.utils import OpenApiExample

TEXT = "Kofi Annan arrived in Damascus on Saturday."

SPAN = {
    "id": 11,
    "start": 0,
    "end": 10,
    "label": "PER",
    "source": "human",
    "score": None,
    "accepted": True,
    "attributes": {"Mention": "NAM"},
    "note": "",
}
EVENT = {
    "id": 3,
    "type": "Movement.Transport",
    "trigger_start": 11,
    "trigger_end": 18,
    "source": "model",
    "score": 0.81,
    "accepted": True,
    "attributes": {"Polarity": "Positive"},
    "note": "",
    "arguments": [
        {
            "id": 5,
            "role": "Artifact",
            "span": 11,
            "target_event": None,
            "index": 0,
            "source": "human",
            "score": None,
        }
    ],
}
LAYER_SUMMARY = {
    "id": 42,
    "kind": "annotator",
    "status": "draft",
    "version": 4,
    "model_name": "",
    "model_version": "",
    "user": "ana-annotator",
    "origin": {
        "copied_from": {
            "layer": 40,
            "kind": "prediction",
            "model_name": "core_web_sm",
            "model_version": "3.8.0",
            "version": 1,
        }
    },
    "updated_at": "2026-03-02T10:15:00Z",
}
DAMASCUS = {**SPAN, "id": 12, "start": 22, "end": 30, "label": "GPE", "attributes": {}}
RELATION = {
    "id": 2,
    "type": "Located",
    "head": 11,
    "tail": 12,
    "source": "human",
    "score": None,
    "attributes": {},
    "note": "",
}
LAYER = {
    **LAYER_SUMMARY,
    "document": 7,
    "spans": [SPAN, DAMASCUS],
    "events": [EVENT],
    "relations": [RELATION],
    "labels": {"Topic": ["conflict"], "Breaking": True},
}

LAYER_RESPONSE = OpenApiExample("a layer", value=LAYER, response_only=True)
LAYER_SAVED = OpenApiExample(
    "a layer saved",
    value={**LAYER, "ids": {"spans": {"n1": 12}, "events": {}, "relations": {}}},
    response_only=True,
)

LAYER_SAVE = OpenApiExample(
    "save: keep a span, add one, refer to it from an argument",
    value={
        "version": 4,
        "spans": [
            {"id": 11, "start": 0, "end": 10, "label": "PER"},
            {"id": "n1", "start": 22, "end": 30, "label": "GPE", "attributes": {}},
        ],
        "events": [
            {
                "id": 3,
                "type": "Movement.Transport",
                "trigger_start": 11,
                "trigger_end": 18,
                "arguments": [
                    {"role": "Artifact", "span": 11},
                    {"role": "Destination", "span": "n1"},
                ],
            }
        ],
    },
    request_only=True,
)

LAYER_SAVE_RELATIONS = OpenApiExample(
    "save with relations: they replace the layer's (leave the key out to keep them)",
    value={
        "version": 4,
        "spans": [
            {"id": 11, "start": 0, "end": 10, "label": "PER"},
            {"id": "n1", "start": 22, "end": 30, "label": "GPE"},
        ],
        "events": [],
        "relations": [{"id": "n2", "type": "Located", "head": 11, "tail": "n1"}],
    },
    request_only=True,
)

LAYER_SAVE_LABELS = OpenApiExample(
    "save document labels: they replace the layer's (leave the key out to keep them)",
    value={
        "version": 5,
        "spans": [{"id": 11, "start": 0, "end": 10, "label": "PER"}],
        "events": [],
        "labels": {"Topic": ["conflict", "aid"], "Breaking": False},
    },
    request_only=True,
)

LAYER_PATCH = OpenApiExample(
    "patch: relabel a span, add one that an event's new argument names, drop a span",
    value={
        "version": 4,
        "spans": {
            "put": [
                {"id": 11, "start": 0, "end": 10, "label": "ORG"},
                {"id": "n1", "start": 22, "end": 30, "label": "GPE"},
            ],
            "drop": [12],
        },
        "events": {
            "put": [
                {
                    "id": 3,
                    "type": "Movement.Transport",
                    "trigger_start": 11,
                    "trigger_end": 18,
                    "arguments": [{"role": "Destination", "span": "n1"}],
                }
            ]
        },
    },
    request_only=True,
)

LAYER_PATCHED = OpenApiExample(
    "patched",
    value={
        "id": 42,
        "version": 5,
        "updated_at": "2026-03-02T10:15:00+00:00",
        "ids": {"spans": {"n1": 1207}, "events": {}, "relations": {}},
    },
    response_only=True,
)

DOCUMENT_PAGE = OpenApiExample(
    "a page of documents",
    value={
        "results": [
            {
                "id": 7,
                "external_id": "reuters-0042",
                "title": "Annan in Damascus",
                "source": "Reuters",
                "characters": 43,
                "preview": TEXT,
                "status": "in progress",
                "state": "in progress",
                "entity_count": 2,
                "event_count": 1,
            }
        ],
        "next_after": 7,
    },
    response_only=True,
)

DOCUMENT = OpenApiExample(
    "a document",
    value={
        "id": 7,
        "corpus": "news",
        "external_id": "reuters-0042",
        "title": "Annan in Damascus",
        "text": TEXT,
        "source": "Reuters",
        "url": "https://example.org/annan",
        "published": "2026-03-01",
        "metadata": {"section": "world"},
        "tokens": [[0, 4], [5, 10], [11, 18], [19, 21], [22, 30], [31, 33], [34, 42], [42, 43]],
        "sentences": [[0, 43]],
        "layers": [LAYER_SUMMARY],
    },
    response_only=True,
)

FINISH = OpenApiExample("the version you saved", value={"version": 4}, request_only=True)
SUBMIT = OpenApiExample(
    "submit, accepting the predictions left",
    value={"version": 4, "accept_pending": True},
    request_only=True,
)
FINISHED = OpenApiExample(
    "submitted; the next document",
    value={
        "status": "submitted",
        "version": 5,
        "next": {"id": 8, "title": "Floods in Dhaka", "url": "/corpora/news/documents/8/annotate/"},
    },
    response_only=True,
)
NEXT = OpenApiExample(
    "the next document",
    value={
        "next": {"id": 8, "title": "Floods in Dhaka", "url": "/corpora/news/documents/8/annotate/"}
    },
    response_only=True,
)
REVISIONS = OpenApiExample(
    "a revision",
    value={
        "version": 4,
        "user": "ana-annotator",
        "created_at": "2026-03-02T10:15:00Z",
        "spans": 2,
        "events": 1,
    },
    response_only=True,
)
REVISION = OpenApiExample(
    "a revision's content",
    value={
        "version": 4,
        "user": "ana-annotator",
        "created_at": "2026-03-02T10:15:00Z",
        "snapshot": {"spans": [SPAN], "events": [EVENT]},
    },
    response_only=True,
)
