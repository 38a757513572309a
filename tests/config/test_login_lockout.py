"""Failed sign-ins lock a username and an address out (django-axes), on the login page, the
admin's and the API token endpoint alike, and every refusal says when to retry."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.db.models import F
from django.urls import reverse

from tests.factories import PASSWORD

HOME = "10.0.0.1"
CAFE = "10.0.0.2"
LOGIN = "/accounts/login/"
TOKEN = "/api/auth/token/"


@pytest.fixture(autouse=True)
def _lockout_defaults(settings):
    settings.AXES_FAILURE_LIMIT = 10
    settings.AXES_COOLOFF_TIME = 15 / 60


def sign_in(client, user, password=PASSWORD, address=HOME):
    return client.post(
        LOGIN, {"username": user.username, "password": password}, REMOTE_ADDR=address
    )


def fail(client, user, times, address=HOME):
    for _ in range(times):
        sign_in(client, user, password="wrong", address=address)


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_ten_wrong_passwords_lock_out_the_right_one_and_say_when_to_retry(client, owner):
    fail(client, owner, 10)

    response = sign_in(client, owner)

    assert response.status_code == 429
    assert not signed_in(client)
    assert 14 * 60 < int(response["Retry-After"]) <= 15 * 60
    lockout = response.context["lockout"]
    assert "Sign-in is locked after too many failed attempts. Try again in 15 minutes" in lockout
    form = response.content.decode().split("<form", 1)[1].split("</form>", 1)[0]
    assert lockout in form


def test_the_tenth_failure_already_shows_the_lockout(client, owner):
    fail(client, owner, 9)

    response = sign_in(client, owner, password="wrong")

    assert response.status_code == 429
    assert "Try again in 15 minutes" in response.context["lockout"]


def test_a_success_before_the_limit_clears_the_users_failures(client, owner):
    fail(client, owner, 9)
    assert sign_in(client, owner).status_code == 302
    client.logout()

    fail(client, owner, 9)

    assert sign_in(client, owner).status_code == 302


def test_another_user_from_the_locked_address_is_refused_elsewhere_not(client, owner, annotator):
    fail(client, owner, 10, address=HOME)

    assert sign_in(client, annotator, address=HOME).status_code == 429
    assert sign_in(client, annotator, address=CAFE).status_code == 302


def test_the_locked_user_is_refused_from_another_address(client, owner):
    fail(client, owner, 10, address=HOME)

    response = sign_in(client, owner, address=CAFE)

    assert response.status_code == 429
    assert not signed_in(client)


def test_signing_in_to_ones_own_account_does_not_clear_failures_against_another(
    client, owner, outsider
):
    fail(client, owner, 9, address=HOME)
    assert sign_in(client, outsider, address=HOME).status_code == 302
    client.logout()

    response = sign_in(client, owner, password="wrong", address=HOME)

    assert response.status_code == 429


def test_sign_in_works_again_once_the_cool_off_has_passed(client, owner):
    fail(client, owner, 10)
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=15, seconds=1))

    assert sign_in(client, owner).status_code == 302


def test_attempts_while_locked_do_not_push_the_retry_time_back(client, owner):
    fail(client, owner, 10)
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=10))

    response = sign_in(client, owner, password="wrong")

    assert int(response["Retry-After"]) <= 5 * 60
    assert "Try again in 5 minutes" in response.context["lockout"]


def test_the_admin_login_form_shows_the_lockout(client, owner):
    fail(client, owner, 10)

    response = client.post(
        reverse("admin:login"), {"username": owner.username, "password": PASSWORD}
    )

    assert response.status_code == 429
    assert "Sign-in is locked" in response.content.decode()


def test_the_token_endpoint_trades_a_password_for_the_users_token(client, owner):
    response = client.post(TOKEN, {"username": owner.username, "password": PASSWORD})

    assert response.status_code == 200
    assert response.json()["token"] == owner.auth_token.key
    corpora = client.get("/api/corpora/", HTTP_AUTHORIZATION=f"Token {owner.auth_token.key}")
    assert corpora.status_code == 200


def test_the_token_endpoint_refuses_a_wrong_password_in_json(client, owner):
    response = client.post(TOKEN, {"username": owner.username, "password": "wrong"})

    assert response.status_code == 400
    assert response.json()["message"] == "Wrong username or password."


def test_the_token_endpoint_locks_out_with_retry_after(client, owner):
    for _ in range(10):
        client.post(TOKEN, {"username": owner.username, "password": "wrong"}, REMOTE_ADDR=HOME)

    response = client.post(
        TOKEN, {"username": owner.username, "password": PASSWORD}, REMOTE_ADDR=CAFE
    )

    assert response.status_code == 429
    seconds = int(response["Retry-After"])
    assert 14 * 60 < seconds <= 15 * 60
    body = response.json()
    assert set(body) == {"message", "extra"}
    assert body["message"].startswith("Sign-in is locked after too many failed attempts.")
    assert f"{seconds} seconds" in body["message"]


def test_failures_on_the_login_page_lock_the_token_endpoint_too(client, owner):
    fail(client, owner, 10)

    response = client.post(
        TOKEN, {"username": owner.username, "password": PASSWORD}, REMOTE_ADDR=CAFE
    )

    assert response.status_code == 429
    assert "Retry-After" in response
