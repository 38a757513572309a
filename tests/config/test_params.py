"""Query and form parameters: ASCII digits and finite numbers only, within limits, named."""

import io
import json

import orjson
import pytest

from config.errors import InvalidInput
from config.params import (
    MAX_ID,
    boolean_parse,
    cursor_parse,
    fractions_parse,
    integer_parse,
    number_parse,
)
from config.parsers import JSONParser, json_depth, json_depth_check, json_value_depth_check

ARABIC_ONE = "\u0661"  # int() and float() read it as 1

NOT_WHOLE_NUMBERS = [
    "²",
    ARABIC_ONE,
    "1.5",
    "1e3",
    " 1",
    "1 ",
    "+1",
    "0x10",
    "1_000",
    "nan",
    "inf",
    "abc",
]


@pytest.mark.parametrize("raw", NOT_WHOLE_NUMBERS)
def test_an_integer_is_ascii_digits_only(raw):
    with pytest.raises(InvalidInput) as caught:
        integer_parse(raw, name="k")
    assert (
        caught.value.message == f"k {raw!r}: use a whole number from 0 to {MAX_ID}, in digits 0-9."
    )
    assert caught.value.extra == {"field": "k"}


def test_an_integer_outside_its_limits_names_them():
    with pytest.raises(InvalidInput, match=r"^k '-1': use a whole number from 0 to 10\.$"):
        integer_parse("-1", name="k", maximum=10)
    with pytest.raises(InvalidInput, match=r"^k '11': use a whole number from 1 to 10\.$"):
        integer_parse("11", name="k", minimum=1, maximum=10)
    assert integer_parse("-3", name="k", minimum=-5) == -3


def test_a_huge_integer_is_refused_without_parsing_it():
    with pytest.raises(InvalidInput, match=f"from 0 to {MAX_ID}"):
        integer_parse(str(MAX_ID + 1), name="after")
    with pytest.raises(InvalidInput) as caught:
        integer_parse("9" * 5000, name="after")  # int() itself refuses 4,300 digits
    assert caught.value.message.startswith("after '9999999999")
    assert "…'" in caught.value.message
    assert len(caught.value.message) < 200


def test_an_absent_integer_is_the_default_or_required():
    assert integer_parse(None, name="k", default=3) == 3
    assert integer_parse("", name="k", default=3) == 3
    with pytest.raises(InvalidInput, match=r"^version is required\.$"):
        integer_parse(None, name="version")


@pytest.mark.parametrize(("raw", "value"), [(None, 0), ("", 0), ("0", 0), ("42", 42)])
def test_a_cursor_is_a_row_id_or_the_start(raw, value):
    assert cursor_parse(raw) == value


@pytest.mark.parametrize("raw", ["²", "-1", "1e309", "nan", "inf", " 1", str(MAX_ID + 1)])
def test_a_bad_cursor_names_after(raw):
    with pytest.raises(InvalidInput) as caught:
        cursor_parse(raw)
    assert caught.value.message.startswith(f"after {raw!r}: use a whole number")
    assert caught.value.extra == {"field": "after"}


@pytest.mark.parametrize(
    ("raw", "value"), [("0.5", 0.5), ("-2", -2.0), ("1e-3", 0.001), (".5", 0.5)]
)
def test_a_number_is_a_finite_decimal(raw, value):
    assert number_parse(raw, name="score") == value


@pytest.mark.parametrize(
    "raw", ["nan", "NaN", "inf", "-Infinity", "²", ARABIC_ONE, " 1", "1_0", "0x1"]
)
def test_a_number_is_ascii_and_not_nan_or_infinite(raw):
    with pytest.raises(
        InvalidInput, match=r"use a decimal number such as 0\.5, in digits 0-9"
    ) as caught:
        number_parse(raw, name="score")
    assert caught.value.extra == {"field": "score"}


def test_a_number_too_large_for_a_float_is_refused():
    with pytest.raises(InvalidInput, match=r"^score '1e309': use a finite number\.$"):
        number_parse("1e309", name="score")
    with pytest.raises(InvalidInput, match=r"^score '2': use a number from 0 to 1\.$"):
        number_parse("2", name="score", minimum=0, maximum=1)
    with pytest.raises(InvalidInput, match="score is required"):
        number_parse("", name="score")


@pytest.mark.parametrize(
    ("raw", "parts"),
    [
        ("0.8,0.1,0.1", (0.8, 0.1, 0.1)),
        ("80,10,10", (0.8, 0.1, 0.1)),
        ("0.9 0.1", (0.9, 0.1)),
        ("", ()),
    ],
)
def test_fractions_or_percentages_add_up_to_one(raw, parts):
    assert fractions_parse(raw, name="split") == pytest.approx(parts)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("nan,0.5,0.5", "split 'nan,0.5,0.5': write fractions such as 0.8,0.1,0.1."),
        ("inf,0.5", "split 'inf,0.5': write fractions such as 0.8,0.1,0.1."),
        ("1e309,0", "split '1e309,0': write fractions such as 0.8,0.1,0.1."),
        ("²,0.5", "split '²,0.5': write fractions such as 0.8,0.1,0.1."),
        ("-0.5,1.5", "split: parts cannot be negative"),
        ("0.5,0.2", "split: the parts add up to 0.7, not 1"),
    ],
)
def test_bad_fractions_name_the_parameter(raw, message):
    with pytest.raises(InvalidInput) as caught:
        fractions_parse(raw, name="split")
    assert caught.value.message == message
    assert caught.value.extra == {"field": "split"}


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("1", True),
        ("on", True),
        ("True", True),
        ("0", False),
        ("off", False),
        (None, False),
        ("", False),
    ],
)
def test_a_boolean_is_a_yes_or_no_word(raw, value):
    assert boolean_parse(raw, name="only_missing") is value


@pytest.mark.parametrize("raw", ["²", "2", "maybe", " 1", "-1"])
def test_a_boolean_refuses_other_words(raw):
    with pytest.raises(
        InvalidInput, match=rf"^only_missing {raw!r}: use true or false \(1 or 0\)\.$"
    ):
        boolean_parse(raw, name="only_missing")


@pytest.mark.parametrize(
    ("text", "depth"),
    [
        ("{}", 1),
        ('{"spans": [{"attributes": {"a": [1]}}]}', 5),
        ('["[[[[", "\\"[[[", {"a": "}}}"}]', 2),
        ("1", 0),
        ("[" * 1000, 1000),
    ],
)
def test_json_depth_counts_brackets_outside_strings(text, depth):
    assert json_depth(text) == depth


@pytest.mark.parametrize(
    ("text", "depth"),
    [("{}", 1), ('{"spans": [{"attributes": {"a": [1]}}]}', 5), ('["[[[[", {"a": []}]', 3)],
)
def test_a_parsed_body_is_as_deep_as_its_text(text, depth):
    json_value_depth_check(orjson.loads(text), limit=depth)
    with pytest.raises(InvalidInput, match=f"deeper than {depth - 1} levels"):
        json_value_depth_check(orjson.loads(text), limit=depth - 1)


@pytest.mark.parametrize(
    "text", ['{"id": 1180591620717411303424}', '{"note": "\\ud800 alone"}', '{"a": [1.5, "é"]}']
)
def test_the_api_parser_reads_bodies_as_the_standard_library_does(text):
    parsed = JSONParser().parse(io.BytesIO(text.encode()), "application/json", {})
    assert parsed == json.loads(text)
    assert type(parsed[next(iter(parsed))]) is type(json.loads(text)[next(iter(parsed))])


def test_json_deeper_than_the_limit_is_refused_naming_it():
    json_depth_check("[" * 3 + "]" * 3, limit=3)
    with pytest.raises(InvalidInput, match="deeper than 3 levels") as caught:
        json_depth_check("[" * 4 + "]" * 4, limit=3)
    assert caught.value.extra == {"limit": 3}
