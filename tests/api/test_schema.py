"""The API schema documents every operation: what it does, an example, the error answers in
one shape; drf-spectacular generates it without a warning and it is valid OpenAPI."""

from typing import Any

import jsonschema
import pytest
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema

from config.openapi import ERROR_REF

METHODS = {"get", "put", "post", "patch", "delete"}


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    GENERATOR_STATS.reset()
    generated = SchemaGenerator().get_schema(request=None, public=True)
    warnings = GENERATOR_STATS._warn_cache | GENERATOR_STATS._error_cache
    assert not warnings, "drf-spectacular: " + "; ".join(map(str, warnings))
    return generated


def operations(schema: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    return [
        (f"{method.upper()} {path}", operation)
        for path, methods in schema["paths"].items()
        for method, operation in methods.items()
        if method in METHODS
    ]


def has_example(operation: dict[str, Any]) -> bool:
    """An example of the body sent, of a 2xx answer, or of the query (for a download)."""
    contents = [*operation.get("requestBody", {}).get("content", {}).values()]
    for status, response in operation["responses"].items():
        if status.startswith("2"):
            contents += response.get("content", {}).values()
    parameters = operation.get("parameters", [])
    return any("examples" in content or "example" in content for content in contents) or any(
        "examples" in parameter for parameter in parameters
    )


def test_the_schema_is_valid_openapi(schema):
    validate_schema(schema)


def test_every_operation_says_what_it_does_and_shows_an_example(schema):
    listed = operations(schema)
    undescribed = [label for label, operation in listed if not operation.get("description")]
    unexampled = [label for label, operation in listed if not has_example(operation)]
    assert undescribed == []
    assert unexampled == []
    assert len(listed) >= 24


def test_every_error_answer_has_the_one_error_shape(schema):
    error = schema["components"]["schemas"]["Error"]
    assert error["required"] == ["message", "extra"]
    assert error["properties"]["message"]["type"] == "string"
    assert error["properties"]["extra"]["type"] == "object"
    for label, operation in operations(schema):
        errors = {s: r for s, r in operation["responses"].items() if s.startswith(("4", "5"))}
        assert "400" in errors or not operation.get("requestBody"), label
        if "{" in label:
            assert "404" in errors, label
        for status, response in errors.items():
            assert response.get("description"), (label, status)
            assert response["content"]["application/json"]["schema"] == ERROR_REF, (label, status)


def test_signing_out_or_lacking_the_role_is_documented_where_it_can_happen(schema):
    signed_in = [
        label
        for label, operation in operations(schema)
        if {"tokenAuth": []} in operation.get("security", [])
    ]
    assert len(signed_in) >= 20
    for label, operation in operations(schema):
        if label in signed_in:
            assert "403" in operation["responses"], label


def test_path_parameters_say_what_the_routes_match(schema):
    for label, operation in operations(schema):
        for parameter in operation.get("parameters", []):
            if parameter["in"] == "path" and parameter["schema"]["type"] == "integer":
                assert parameter["schema"]["minimum"] == 0, label
            elif parameter["in"] == "path":
                assert parameter["schema"]["pattern"] == "^[-a-zA-Z0-9_]+$", label


def json_schema(node: Any) -> Any:
    """OpenAPI 3.0 to JSON Schema, as far as examples need: `nullable` becomes a null type."""
    if isinstance(node, list):
        return [json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    converted = {key: json_schema(value) for key, value in node.items() if key != "nullable"}
    if node.get("nullable"):
        return {"anyOf": [converted, {"type": "null"}]}
    return converted


def test_every_example_fits_the_schema_it_illustrates(schema):
    components = json_schema(schema["components"])
    checked = 0
    for label, operation in operations(schema):
        contents = [("request", operation.get("requestBody", {}).get("content", {}))]
        contents += [(status, r.get("content", {})) for status, r in operation["responses"].items()]
        for where, content in contents:
            for media_type, media in content.items():
                validator = jsonschema.Draft7Validator(
                    {"allOf": [json_schema(media.get("schema", {}))], "components": components}
                )
                for name, example in media.get("examples", {}).items():
                    if media_type.startswith("application/json"):
                        errors = [e.message for e in validator.iter_errors(example["value"])]
                        assert errors == [], (label, where, name)
                        checked += 1
    assert checked >= 40
