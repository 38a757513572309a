"""Every awkward request body gets the API's JSON answer, never a 5xx: numbers past a bigint
or a double, wrong types where ids, lists and flags go, NUL characters (PostgreSQL refuses
them in text), invalid JSON, deep nesting; on every endpoint that takes a body."""

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from tests.api.conftest import World
from tests.api.test_fuzz import in_process_requests

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

SPAN = b'"start": 0, "end": 4, "label": "PER"'
AWKWARD_BODIES = [
    b'{"version": 1e400}', b'{"version": 99999999999999999999999}', b'{"version": -1}',
    b'{"version": 1.5}', b'{"version": true}', b'{"version": "1"}', b"[]", b'"x"', b"null",
    b'{"version": 1, "spans": {}}', b'{"version": 1, "spans": [null], "events": [null]}',
    b'{"version": 1, "spans": [{"start": 1e400, "end": 2, "label": "PER"}], "events": []}',
    b'{"version": 1, "spans": [{"start": 99999999999999999999999, "end": 2, "label": "PER"}]}',
    b'{"version": 1, "spans": [], "events": [{"arguments": [null]}]}',
    b'{"version": 1, "spans": [{"id": [], ' + SPAN + b"}], " + b'"events": []}',
    b'{"version": 1, "spans": [{"id": {}, "attributes": [], ' + SPAN + b'}], "events": []}',
    b'{"version": 1, "spans": [{"score": 1e400, "note": null, ' + SPAN + b'}], "events": []}',
    b'{"version": 1, "spans": [{"start": 0, "end": 4, "label": "\\u0000"}], "events": []}',
    b'{"action": "agreed", "k": 1e400}', b'{"action": "agreed", "k": 99999999999999999999999}',
    b'{"action": "take", "voter": []}', b'{"action": []}', b'{"action": "save", "version": 1e400}',
    b'{"action": "save", "version": 0, "spans": [{"id": "n\\u0000", ' + SPAN + b'}], "events": []}',
    b'{"only_missing": "yes"}', b'{"version": 1, "accept_pending": []}',
    b'{"username": "\\u0000", "password": "x"}', b"\xff\xfe", b'{"version": NaN}',
    b'{"version": 1, "spans": {"put": [{"id": [], ' + SPAN + b"}]}}",
    b'{"version": 1, "spans": {"put": null, "drop": [1e400]}}', b'{"version": 1, "spans": []}',
    b'{"version": 1, "spans": {"drop": [99999999999999999999999]}, "events": {"x": []}}',
    b'{"version": 1, "events": {"put": [{"id": "e1", "arguments": [null]}]}}',
    b'{"version": 1, "relations": {"put": [{"id": "r1", "head": [], "tail": {}}]}}',
    b"[" * 5000 + b"]" * 5000,
]  # fmt: skip


@pytest.mark.parametrize("persona", ["owner", "annotator"])
def test_every_awkward_body_gets_a_json_answer_not_a_server_error(persona: str, world: World):
    cache.clear()  # write throttle counts of earlier tests' users, who had the same ids
    client = APIClient(raise_request_exception=False)  # a 500 is reported, with the others
    client.credentials(HTTP_AUTHORIZATION=f"Token {world.tokens[persona]}")
    layer, slug, document = world.drafts["annotator"][0], world.corpus.slug, world.documents[0]
    endpoints = [
        ("put", f"/api/annotations/{layer}/"),
        ("patch", f"/api/annotations/{layer}/"),
        ("post", f"/api/annotations/{layer}/submit/"),
        ("post", f"/api/annotations/{layer}/skip/"),
        ("post", f"/api/corpora/{slug}/documents/{document}/review/"),
        ("post", f"/api/corpora/{slug}/preannotation-runs/"),
        ("post", "/api/auth/token/"),
    ]
    problems = []
    for (method, url), body in [(e, b) for e in endpoints for b in AWKWARD_BODIES]:
        with in_process_requests() as raised:
            response = getattr(client, method)(url, body, content_type="application/json")
        if response.status_code >= 500 or raised or response["Content-Type"] != "application/json":
            problems.append(f"{method} {url} {body[:80]!r}: {response.status_code} {raised}")
    assert problems == []
