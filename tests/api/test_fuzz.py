"""Schemathesis fuzzes every operation of /api/schema/ in-process, as the owner, an annotator
and an anonymous caller: no 5xx, and every answer conforms to the schema (status code,
content type, body), errors in the one JSON shape.

Each operation gets FUZZ_EXAMPLES derandomized cases (the same ones on every run): the
schema's own examples and generated data, positive and negative. Most are aimed at the
world's real objects (the persona's own draft, with its current version now and then), so
that bodies and queries reach the code behind the lookups; the rest have generated path
parameters. Every case runs in a savepoint that is rolled back, so what one writes never
changes the next. Every failure is collected, then all are reported at once, each with the
request that caused it. Every query parameter also gets every AWKWARD value ("²", "nan",
30 nines, ...), the inputs parsers get wrong.
"""

import itertools
import os
import re
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
import schemathesis
from django.core.cache import cache
from django.core.signals import got_request_exception, request_finished, request_started
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from rest_framework.response import Response
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from annotations.models import Annotation
from config.wsgi import application
from corpus.api import CorpusDetailApi, CorpusListApi
from tests.api.conftest import World

pytestmark = pytest.mark.django_db

PERSONAS = ["owner", "annotator", "anonymous"]
# Per operation and persona; FUZZ_EXAMPLES=200 digs deeper by hand (same seed, more cases).
EXAMPLES_PER_OPERATION = int(os.environ.get("FUZZ_EXAMPLES", "15"))


def errors_in_the_api_shape(ctx: Any, response: schemathesis.Response, case: Any) -> None:
    """Every error answer on an API URL is the JSON error, even where the schema's checks
    stand back (a path no route matches: schemathesis skips conformance for those)."""
    if response.status_code < 400:
        return
    content_type = response.headers.get("content-type", [""])[0]
    assert content_type.startswith("application/json"), (
        f"{response.status_code} answered with {content_type!r}, not the API's JSON error"
    )
    body = response.json()
    shape = set(body) if isinstance(body, dict) else type(body).__name__
    assert shape == {"message", "extra"}, f"{response.status_code} answered {str(body)[:100]}"


CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    errors_in_the_api_shape,
]
_SCHEMA: dict[str, Any] = {}
# Query values that parsers get wrong: digits `int()` refuses or `float()` accepts, numbers
# past a bigint, a double or a fraction's sum, and text that is no number at all.
AWKWARD = [
    "²", "\u0661\u0662", "\uff11\uff12", "nan", "inf", "-inf", "1e309", "-1", "0x1f", " 7",
    "7 ", "", "9" * 30, "0.5,0.5,nan", "1,1,-1", "0,0,0", "\x00", "[]", "true", "é" * 200,
]  # fmt: skip


@contextmanager
def in_process_requests() -> Iterator[list[str]]:
    """Let requests share the test's connection, as Django's test client does; yield the
    tracebacks of the exceptions views raise."""
    raised: list[str] = []

    def record(sender: Any, **kwargs: Any) -> None:
        raised.append(traceback.format_exc(limit=-8))

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    got_request_exception.connect(record)
    try:
        yield raised
    finally:
        got_request_exception.disconnect(record)
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def api_schema(token: str) -> schemathesis.BaseSchema:
    """Load /api/schema/ as a client does, signed in; fetched once, then reused."""
    if not _SCHEMA:
        with in_process_requests():
            loaded = schemathesis.openapi.from_wsgi(
                "/api/schema/?format=json",
                application,
                headers={"Authorization": f"Token {token}"},
            )
        _SCHEMA.update(loaded.raw_schema)
    schema = schemathesis.openapi.from_dict(_SCHEMA)
    schema.app = application
    return schema


def known_path_parameters(path: str, world: World, persona: str) -> list[dict[str, Any]]:
    """Real values for an operation's path parameters: the world's corpus, documents, ...;
    the persona's own draft first (Hypothesis draws the first choice most), where a layer is
    wanted."""
    names = re.findall(r"{(\w+)}", path)
    ids = world.documents
    if path.startswith("/api/annotations/"):
        ids = world.drafts.get(persona, []) + world.layers
    elif "/preannotation-runs/" in path:
        ids = world.runs
    elif path.startswith("/api/imports/"):
        ids = world.imports
    choices = {"slug": [world.corpus.slug], "id": ids, "version": [1, 2], "number": [1, 2]}
    return [
        dict(zip(names, values, strict=True))
        for values in itertools.product(*(choices[name] for name in names))
    ]


def case_strategy(operation: Any, world: World, persona: str) -> st.SearchStrategy:
    """The schema's examples and generated cases, most of them aimed at real objects."""
    known = st.sampled_from(known_path_parameters(operation.path, world, persona))
    aimed = [*operation.schema.get_strategies_from_examples(operation)]
    generated = []
    for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
        aimed += [operation.as_strategy(mode)] * 2
        generated.append(operation.as_strategy(mode))
    return st.one_of(
        *(st.tuples(case, known, st.booleans()).map(lambda drawn: aim(*drawn)) for case in aimed),
        *generated,
    )


def aim(case: schemathesis.Case, values: dict[str, Any], current: bool) -> schemathesis.Case:
    """Point `case` at real objects; with `current`, send the layer's current version too,
    so that a body gets past the version check to the save."""
    if values:
        case.path_parameters = {**(case.path_parameters or {}), **values}
    if current and isinstance(case.body, dict) and "version" in case.body:
        layer = Annotation.objects.filter(pk=values.get("id")).first()
        if case.path.startswith("/api/annotations/") and layer is not None:
            case.body = {**case.body, "version": layer.version}
    return case


def request_line(case: schemathesis.Case) -> str:
    curl = case.as_curl_command()
    return curl if len(curl) < 400 else f"{curl[:400]}..."


def summary(case: schemathesis.Case, response: Any, failures: FailureGroup) -> str:
    """One line per failure, the answer's status and start, then the request."""
    lines = [
        f"- {failure.title}: {' '.join(failure.message.split())[:300]}"
        for failure in failures.exceptions
    ]
    body = response.text[:200].replace("\n", " ")
    return "\n".join([*lines, f"  [{response.status_code}] {body}", f"  {request_line(case)}"])


def call_and_check(case: schemathesis.Case, headers: dict[str, str]) -> list[str]:
    """Send `case` in a savepoint rolled back afterwards; return what went wrong."""
    found = []
    with in_process_requests() as raised, transaction.atomic():
        try:
            response = case.call(headers=headers)
            case.validate_response(response, checks=CHECKS, headers=headers)
        except FailureGroup as failures:
            found.append(summary(case, response, failures))
        except Exception:
            found.append(f"{request_line(case)}\n{traceback.format_exc(limit=-8)}")
        found.extend(raised)
        transaction.set_rollback(True)
    return found


def headers_of(world: World, persona: str) -> dict[str, str]:
    # Uncompressed answers: schemathesis's WSGI transport does not gunzip what it asked for
    # (GZipMiddleware compresses for clients that accept it; HTTP clients unpack it).
    token = world.tokens.get(persona)
    identity = {"Accept-Encoding": "identity"}
    return {**identity, "Authorization": f"Token {token}"} if token else identity


def fuzz(operation: Any, world: World, persona: str) -> list[str]:
    """Run a few examples of `operation`; return what went wrong, one report per example."""
    found: list[str] = []
    headers = headers_of(world, persona)

    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=case_strategy(operation, world, persona))
    def run(case: schemathesis.Case) -> None:
        found.extend(call_and_check(case, headers))

    run()
    return found


def distinct(found: list[str]) -> list[str]:
    """The reports whose failure lines differ (the requests differ anyway)."""
    seen, kept = set(), []
    for report in found:
        key = re.sub(r"\d+", "N", report.split("\n  [")[0])[:200]
        if key not in seen:
            seen.add(key)
            kept.append(report)
    return kept


@pytest.mark.slow
@pytest.mark.parametrize("persona", PERSONAS)
def test_every_operation_answers_within_its_schema(persona: str, world: World) -> None:
    cache.clear()  # throttle counts of earlier tests' users, who had the same ids
    schema = api_schema(world.tokens["owner"])
    problems = {}
    for result in schema.get_all_operations():
        operation = result.ok()
        found = fuzz(operation, world, persona)
        if found:
            problems[operation.label] = found
    report = "\n\n".join(
        f"== {label} ({len(found)} of {EXAMPLES_PER_OPERATION})\n" + "\n".join(distinct(found)[:3])
        for label, found in problems.items()
    )
    assert not problems, report


@pytest.mark.postgres
@pytest.mark.parametrize("persona", ["owner", "annotator"])
def test_every_awkward_value_of_every_query_parameter_gets_an_answer_within_the_schema(
    persona: str, world: World
) -> None:
    schema = api_schema(world.tokens["owner"])
    problems = []
    for result in schema.get_all_operations():
        operation = result.ok()
        [path_parameters, *_] = known_path_parameters(operation.path, world, persona)
        for name, value in itertools.product([p.name for p in operation.query], AWKWARD):
            case = operation.Case(path_parameters=path_parameters, query={name: value})
            problems += call_and_check(case, headers_of(world, persona))
    assert not problems, "\n\n".join(problems[:10])


def test_the_fuzzer_reports_a_server_error_and_an_answer_off_the_schema(world, monkeypatch):
    schema = api_schema(world.tokens["owner"])

    def crash(*args: Any, **kwargs: Any) -> None:
        raise ZeroDivisionError("planted")

    monkeypatch.setattr(CorpusListApi, "get", crash)
    monkeypatch.setattr(CorpusDetailApi, "get", lambda *args, **kwargs: Response({"slug": 1}))
    crashed = "\n".join(fuzz(schema["/api/corpora/"]["GET"], world, "owner"))
    assert "Server error" in crashed
    assert "ZeroDivisionError: planted" in crashed
    off_schema = fuzz(schema["/api/corpora/{slug}/"]["GET"], world, "owner")
    assert any("Response violates schema" in report for report in off_schema)
