"""Bad input is a 4xx naming what is wrong, never a 500, and never an HTML page on the API.

The reproductions of issue 15: `?after=²` (`str.isdigit()` accepts it, `int()` does not),
`resume=²`, a body nested 100,000 deep, an 11 MB PUT, `split=nan,0.5,0.5`.
"""

import json
import time

import pytest
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation, TooManyFieldsSent
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import UnreadablePostError
from django.urls import reverse
from rest_framework.test import APIClient

from annotations.models import Annotation
from config.error_views import bad_request
from tests.factories import AnnotationFactory

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

AFTER_MESSAGE = "after '²': use a whole number from 0 to 9223372036854775807, in digits 0-9."


@pytest.fixture
def api(annotator):
    client = APIClient()
    client.force_authenticate(annotator)
    return client


@pytest.fixture
def layer(document, annotator):
    return AnnotationFactory(
        document=document,
        kind=Annotation.Kind.ANNOTATOR,
        user=annotator,
        model_name="",
        model_version="",
    )


def layer_url(layer) -> str:
    return reverse("api-layer-detail", kwargs={"pk": layer.pk})


def assert_json_error(response, status: int) -> dict:
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert set(body) == {"message", "extra"}
    return body


@pytest.mark.parametrize("name", ["api-document-list", "api-next-document"])
def test_a_cursor_that_is_not_ascii_digits_is_a_400_naming_after(api, corpus, name):
    url = reverse(name, kwargs={"slug": corpus.slug})
    body = assert_json_error(api.get(url, {"after": "²"}), 400)
    assert body == {"message": AFTER_MESSAGE, "extra": {"field": "after"}}


def test_a_cursor_too_large_for_an_id_is_a_400(api, corpus):
    url = reverse("api-document-list", kwargs={"slug": corpus.slug})
    body = assert_json_error(api.get(url, {"after": "9" * 30}), 400)
    assert body["message"].endswith("use a whole number from 0 to 9223372036854775807.")


def test_a_good_cursor_still_pages(api, corpus, document):
    url = reverse("api-document-list", kwargs={"slug": corpus.slug})
    assert [row["id"] for row in api.get(url, {"after": "0"}).json()["results"]] == [document.pk]
    assert api.get(url, {"after": str(document.pk)}).json()["results"] == []


def test_the_corpus_page_says_what_is_wrong_with_its_cursor(client, annotator, corpus):
    client.force_login(annotator)
    response = client.get(reverse("corpus-detail", kwargs={"slug": corpus.slug}), {"after": "²"})
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert "<h1>Bad request</h1>" in page
    assert "after &#x27;²&#x27;: use a whole number from 0 to 9223372036854775807" in page


def test_resuming_a_run_that_is_not_a_number_is_a_400_naming_resume(client, owner, corpus):
    client.force_login(owner)
    url = reverse("corpus-preannotate", kwargs={"slug": corpus.slug})
    response = client.post(url, {"resume": "²"})
    assert response.status_code == 400
    assert "resume &#x27;²&#x27;: use a whole number from 1 to" in response.content.decode()


def test_a_review_form_number_that_is_not_ascii_digits_is_a_400(client, reviewer, document):
    client.force_login(reviewer)
    url = reverse("document-review", kwargs={"slug": document.corpus.slug, "pk": document.pk})
    response = client.post(url, {"action": "agreed", "k": "²", "version": "0"})
    assert response.status_code == 400
    assert "k &#x27;²&#x27;: use a whole number" in response.content.decode()


def test_a_split_that_is_not_finite_is_a_400_naming_split(client, owner, corpus):
    client.force_login(owner)
    url = reverse("api-corpus-export-preview", kwargs={"slug": corpus.slug})
    body = assert_json_error(client.get(url, {"split": "nan,0.5,0.5"}), 400)
    assert body["message"] == "split 'nan,0.5,0.5': write fractions such as 0.8,0.1,0.1."
    assert set(body["extra"]["fields"]) == {"split"}


def test_a_body_nested_100000_deep_is_refused_quickly(api, layer):
    started = time.monotonic()
    response = api.put(
        layer_url(layer), "[" * 100_000 + "]" * 100_000, content_type="application/json"
    )
    assert time.monotonic() - started < 5
    body = assert_json_error(response, 400)
    assert body == {
        "message": "The JSON nests arrays and objects deeper than 32 levels (JSON_MAX_DEPTH).",
        "extra": {"limit": 32},
    }


@pytest.mark.parametrize("depth", [33, 2_000])
def test_a_body_one_level_too_deep_is_refused_as_a_deep_one(api, layer, depth):
    # 33 levels orjson parses, and the depth of what it read is refused; 2,000 it does not.
    body = assert_json_error(
        api.put(layer_url(layer), "[" * depth + "]" * depth, content_type="application/json"),
        400,
    )
    assert body["extra"] == {"limit": 32}


def test_brackets_inside_strings_do_not_count_as_depth(api, layer):
    note = "[[[[{{{{" * 20
    payload = {"version": 1, "spans": [], "events": [], "note": note}
    response = api.put(layer_url(layer), json.dumps(payload), content_type="application/json")
    assert response.status_code == 200, response.content[:300]


def test_an_11_mb_put_is_a_413_json_error_naming_the_limit(api, layer):
    payload = json.dumps({"version": 1, "spans": [], "events": [], "pad": "x" * (11 * 1024 * 1024)})
    body = assert_json_error(
        api.put(layer_url(layer), payload, content_type="application/json"), 413
    )
    assert body == {
        "message": "The request body is larger than the limit of 10.0 MB"
        " (DATA_UPLOAD_MAX_MEMORY_SIZE).",
        "extra": {"limit": 10 * 1024 * 1024},
    }


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        (b"{", "The request body is not valid JSON: Expecting property name enclosed in double"),
        (b'{"version": NaN}', "The request body is not valid JSON: NaN is not a JSON number"),
        (b"\xff\xfe{}", "The request body is not valid utf-8: byte 0 cannot be read."),
    ],
)
def test_a_body_that_is_not_json_is_a_400_json_error(api, layer, payload, message):
    response = api.put(layer_url(layer), payload, content_type="application/json")
    assert assert_json_error(response, 400)["message"].startswith(message)


def test_a_body_of_another_type_is_a_415_json_error(api, layer):
    response = api.put(layer_url(layer), "version=1", content_type="text/plain")
    assert (
        assert_json_error(response, 415)["message"]
        == 'Unsupported media type "text/plain" in request.'
    )


def test_a_malformed_multipart_body_is_a_400_json_error(api, corpus, owner):
    api.force_authenticate(owner)
    url = reverse("api-run-list", kwargs={"slug": corpus.slug})
    response = api.generic("POST", url, b"--x\r\nnot a part", content_type="multipart/form-data")
    assert assert_json_error(response, 400)["message"].startswith("Multipart form parse error")


def test_too_many_form_fields_is_a_400_json_error(api, corpus, owner, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 10
    api.force_authenticate(owner)
    url = reverse("api-run-list", kwargs={"slug": corpus.slug})
    fields = "&".join(f"f{number}=1" for number in range(20))
    response = api.generic("POST", url, fields, content_type="application/x-www-form-urlencoded")
    body = assert_json_error(response, 400)
    assert body == {
        "message": "The request sends more than 10 fields (DATA_UPLOAD_MAX_NUMBER_FIELDS).",
        "extra": {"limit": 10},
    }


@pytest.mark.parametrize("debug", [False, True])
def test_an_unknown_api_url_is_a_404_json_error(api, settings, debug):
    settings.DEBUG = debug  # `make run` debugs: still no debug page listing the routes
    body = assert_json_error(api.get("/api/no-such-thing/"), 404)
    assert body == {"message": "No API endpoint at /api/no-such-thing/.", "extra": {}}


def test_a_method_the_api_does_not_take_is_a_405_json_error(api, layer):
    assert assert_json_error(api.delete(layer_url(layer)), 405)["message"] == (
        'Method "DELETE" not allowed.'
    )


def test_a_page_form_over_the_size_limit_is_a_413_page_naming_it(client, owner, corpus, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    client.force_login(owner)
    url = reverse("corpus-preannotate", kwargs={"slug": corpus.slug})
    response = client.post(url, {"only_missing": "1", "pad": "x" * 2000})
    assert response.status_code == 413
    page = response.content.decode()
    assert "<h1>Request too large</h1>" in page
    assert "larger than the limit of 1000" in page
    assert "(DATA_UPLOAD_MAX_MEMORY_SIZE)" in page


def test_an_unknown_page_is_still_an_html_404(client, owner):
    client.force_login(owner)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_a_multipart_body_over_the_size_limit_is_a_413_json_error(api, corpus, owner, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    api.force_authenticate(owner)
    url = reverse("api-run-list", kwargs={"slug": corpus.slug})
    upload = SimpleUploadedFile("big.txt", b"x" * 5000)
    body = assert_json_error(api.post(url, {"only_missing": "true", "file": upload}), 413)
    assert body["message"] == (
        "The request body is larger than the limit of 1000 bytes (DATA_UPLOAD_MAX_MEMORY_SIZE)."
    )


@pytest.mark.parametrize(
    ("error", "status", "message"),
    [
        (RequestDataTooBig(), 413, "The request body is larger than the limit of 10.0 MB"),
        (TooManyFieldsSent(), 400, "The request sends more than 1000 fields"),
        (UnreadablePostError(), 400, "The request body could not be read: it was cut short."),
        (SuspiciousOperation(), 400, "The request was refused as malformed."),
    ],
)
def test_a_body_refused_before_an_api_view_runs_is_a_json_error(rf, error, status, message):
    response = bad_request(rf.post("/api/annotations/1/"), error)
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    assert json.loads(response.content)["message"].startswith(message)


def test_a_body_refused_before_a_page_view_runs_is_a_small_page(rf):
    response = bad_request(rf.post("/accounts/login/"), RequestDataTooBig())
    assert response.status_code == 413
    assert "<h1>Request too large</h1>" in response.content.decode()


def test_an_upload_whose_length_is_far_over_the_limit_is_a_413_before_reading(
    client, owner, corpus, settings
):
    settings.UPLOAD_MAX_BYTES = 100
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000  # what the form's other fields may add
    client.force_login(owner)
    url = reverse("corpus-import", kwargs={"slug": corpus.slug})
    response = client.post(url, {"files": [SimpleUploadedFile("a.txt", b"x" * 5000)]})
    assert response.status_code == 413
    assert "more than the upload limit of 100\xa0bytes" in response.content.decode()
    assert not corpus.import_jobs.exists()
