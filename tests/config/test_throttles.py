"""API writes are throttled per user at API_WRITE_RATE; reads are not, and a 429 says when
to retry, in its message and its Retry-After header."""

import pytest
from rest_framework.test import APIClient

from config import settings as project_settings
from config.throttles import client_address


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture(autouse=True)
def _three_writes_a_minute(settings):
    settings.API_WRITE_RATE = "3/min"


def open_layer(api, user, document):
    api.force_authenticate(user)
    return api.post(f"/api/corpora/{document.corpus.slug}/documents/{document.pk}/my-layer/")


def test_the_write_past_the_rate_is_refused_with_retry_after(api, annotator, document):
    for _ in range(3):
        assert open_layer(api, annotator, document).status_code in {200, 201}

    response = open_layer(api, annotator, document)

    assert response.status_code == 429
    seconds = int(response["Retry-After"])
    assert 0 < seconds <= 60
    body = response.json()
    assert set(body) == {"message", "extra"}
    assert f"Expected available in {seconds} seconds" in body["message"]
    assert 0 < body["extra"]["retry_after"] <= seconds  # the editor's autosave waits this long


def test_reads_are_not_throttled(api, annotator, document):
    for _ in range(3):
        open_layer(api, annotator, document)

    for _ in range(10):
        response = api.get(f"/api/corpora/{document.corpus.slug}/documents/{document.pk}/")
        assert response.status_code == 200


def test_another_users_writes_are_counted_apart(api, annotator, reviewer, document):
    for _ in range(4):
        open_layer(api, annotator, document)

    assert open_layer(api, reviewer, document).status_code in {200, 201}


def test_the_default_rate_leaves_room_for_the_editors_autosave():
    # The editor saves 0.7 s after the last change at the soonest: at most 86 a minute.
    count, period = project_settings.API_WRITE_RATE.split("/")
    assert period.startswith("m")
    assert int(count) >= 2 * 86


def test_behind_a_proxy_the_forwarded_address_is_the_clients(rf, settings):
    request = rf.get("/", REMOTE_ADDR="10.0.0.9", HTTP_X_FORWARDED_FOR="203.0.113.7, 10.0.0.5")

    settings.TRUSTED_PROXY_COUNT = 0
    assert client_address(request) == "10.0.0.9"
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_address(request) == "203.0.113.7"
