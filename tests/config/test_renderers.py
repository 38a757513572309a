"""The API's JSON renderer writes what DRF's own wrote, byte for byte, only faster."""

import datetime
import decimal
import uuid

import pytest
from django.utils.translation import gettext_lazy
from rest_framework import renderers
from rest_framework.test import APIClient

from config.renderers import JSONRenderer

UTC = datetime.UTC
ANSWERS = [
    {"created_at": datetime.datetime(2026, 12, 7, 10, 1, 2, 345678, tzinfo=UTC)},
    {"day": datetime.date(2012, 3, 1), "at": datetime.time(9, 30, 15, 120000)},
    {"price": decimal.Decimal("1.10"), "id": uuid.UUID(int=7), "name": gettext_lazy("Name")},
    {"text": "Homs \u2028 line \u2029 paragraph \u00e9 \u0644", "spans": [[0, 4], (5, 9)]},
    {"big": 2**70, "keys": {1: "one"}, "empty": [], "nothing": None, "score": 0.00001},
    [{"id": 1, "label": "PER", "score": 0.93}] * 3,
]


@pytest.mark.parametrize("answer", ANSWERS)
def test_an_answer_is_rendered_as_drf_renders_it(answer):
    assert JSONRenderer().render(answer) == renderers.JSONRenderer().render(answer)


def test_an_indented_answer_is_rendered_as_drf_renders_it():
    media_type = "application/json; indent=2"
    answer = ANSWERS[0] | ANSWERS[3]
    expected = renderers.JSONRenderer().render(answer, media_type)
    assert JSONRenderer().render(answer, media_type) == expected
    assert b'\n  "' in expected


@pytest.mark.django_db
def test_the_api_answers_through_it(owner):
    client = APIClient()
    client.force_authenticate(owner)
    response = client.get("/api/corpora/")
    assert response.status_code == 200
    assert isinstance(response.accepted_renderer, JSONRenderer)
