"""The members page: owners add, change and remove members and invite people by link.

Personas: owner (Olivia), annotator (Ana), reviewer (Rita) and outsider (Oscar) on one corpus.
Every case names the status it expects; a 500 would fail it.
"""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from corpus.models import Invitation, Membership, MembershipChange
from corpus.services.members import invitation_create, token_hash
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

NEW_PASSWORD = "a long enough passphrase 42"


@pytest.fixture
def members_url(corpus) -> str:
    return reverse("corpus-members", kwargs={"slug": corpus.slug})


@pytest.fixture
def as_owner(client, owner):
    client.force_login(owner)
    return client


def roles_of(corpus, user) -> set[str]:
    return set(Membership.objects.filter(corpus=corpus, user=user).values_list("role", flat=True))


def invite(corpus, owner, roles=("annotator",)) -> str:
    """Return the path of a fresh invitation link."""
    _, token = invitation_create(corpus=corpus, actor=owner, roles=list(roles))
    return reverse("invitation", kwargs={"token": token})


def test_the_corpus_page_links_to_members_for_owners_only(client, corpus, owner, annotator):
    for user, shown in ((owner, True), (annotator, False)):
        client.force_login(user)
        page = client.get(corpus.get_absolute_url()).content.decode()
        assert (reverse("corpus-members", kwargs={"slug": corpus.slug}) in page) is shown


def test_the_page_lists_members_with_their_roles(as_owner, members_url):
    response = as_owner.get(members_url)

    assert response.status_code == 200
    page = response.content.decode()
    for name in ("olivia-owner", "ana-annotator", "rita-reviewer"):
        assert name in page
    assert "oscar-outsider" not in page


def test_outsiders_get_404_and_other_members_403(
    client, members_url, annotator, reviewer, outsider
):
    for user, status in ((outsider, 404), (annotator, 403), (reviewer, 403)):
        client.force_login(user)
        assert client.get(members_url).status_code == status, user
        post = client.post(members_url, {"action": "remove", "member": user.pk})
        assert post.status_code == status, user


def test_an_owner_adds_a_user_by_username_and_by_email(as_owner, members_url, corpus, owner):
    bea = UserFactory(username="bea", email="bea@example.org")
    carl = UserFactory(username="carl", email="carl@example.org")

    by_name = as_owner.post(members_url, {"action": "add", "user": "bea", "roles": ["annotator"]})
    by_mail = as_owner.post(
        members_url,
        {"action": "add", "user": "Carl@Example.org", "roles": ["reviewer", "annotator"]},
    )

    assert (by_name.status_code, by_mail.status_code) == (302, 302)
    assert roles_of(corpus, bea) == {"annotator"}
    assert roles_of(corpus, carl) == {"annotator", "reviewer"}
    page = as_owner.get(members_url).content.decode()
    assert "Added carl as annotator, reviewer." in page
    latest = MembershipChange.objects.filter(corpus=corpus).first()
    assert (latest.actor, latest.member, latest.action) == (owner, carl, "added")
    assert latest.roles_after == ["annotator", "reviewer"]


@pytest.mark.parametrize(
    ("form", "status", "message"),
    [
        ({"user": "nobody", "roles": ["annotator"]}, 404, "no account with the username"),
        ({"user": "ana-annotator", "roles": ["annotator"]}, 409, "already a member"),
        ({"user": "oscar-outsider"}, 400, "choose at least one role"),
        ({"user": "oscar-outsider", "roles": ["admin"]}, 400, "unknown role &#x27;admin&#x27;"),
        ({"user": "", "roles": ["annotator"]}, 400, "give a username or an e-mail"),
    ],
    ids=["unknown user", "member already", "no roles", "bad role", "empty"],
)
def test_adding_badly_says_why_on_the_page(as_owner, members_url, corpus, form, status, message):
    response = as_owner.post(members_url, {"action": "add", **form})

    assert response.status_code == status
    assert message in response.content.decode()
    assert not MembershipChange.objects.filter(corpus=corpus).exists()


def test_an_owner_changes_roles_and_removes_a_member(
    as_owner, members_url, corpus, annotator, reviewer
):
    changed = as_owner.post(
        members_url, {"action": "roles", "member": annotator.pk, "roles": ["reviewer", "owner"]}
    )
    removed = as_owner.post(members_url, {"action": "remove", "member": reviewer.pk})

    assert (changed.status_code, removed.status_code) == (302, 302)
    assert roles_of(corpus, annotator) == {"owner", "reviewer"}
    assert roles_of(corpus, reviewer) == set()
    removal, change = MembershipChange.objects.filter(corpus=corpus)[:2]
    assert (removal.action, removal.member_name, removal.roles_before) == (
        "removed",
        "rita-reviewer",
        ["reviewer"],
    )
    assert (change.roles_before, change.roles_after) == (["annotator"], ["owner", "reviewer"])
    page = as_owner.get(members_url).content.decode()
    # Newest first.
    assert page.index("removed rita-reviewer") < page.index("changed the roles of ana-annotator")


def test_the_last_owner_is_neither_removed_nor_demoted(as_owner, members_url, corpus, owner):
    removed = as_owner.post(members_url, {"action": "remove", "member": owner.pk})
    demoted = as_owner.post(
        members_url, {"action": "roles", "member": owner.pk, "roles": ["annotator"]}
    )

    assert (removed.status_code, demoted.status_code) == (409, 409)
    assert "last owner and cannot be removed" in removed.content.decode()
    assert "last owner and must stay owner" in demoted.content.decode()
    assert roles_of(corpus, owner) == {"owner"}


def test_with_a_second_owner_the_first_may_leave(as_owner, members_url, corpus, owner, annotator):
    as_owner.post(members_url, {"action": "roles", "member": annotator.pk, "roles": ["owner"]})

    response = as_owner.post(members_url, {"action": "remove", "member": owner.pk})

    assert response.status_code == 302
    assert roles_of(corpus, owner) == set()


@pytest.mark.parametrize(
    "form",
    [
        {"action": "roles", "member": "12345", "roles": ["annotator"]},
        {"action": "roles", "member": "x", "roles": ["annotator"]},
        {"action": "remove"},
        {"action": "roles", "member": "OWNER", "roles": []},
        {"action": "revoke", "invitation": "999"},
        {"action": "explode"},
        {},
    ],
)
def test_bad_forms_never_give_a_500(as_owner, members_url, form):
    response = as_owner.post(members_url, form)

    assert response.status_code in (400, 404, 409)
    assert 'role="alert"' in response.content.decode()


def test_an_invitation_link_is_shown_once_and_stored_hashed(as_owner, members_url, corpus):
    response = as_owner.post(
        members_url, {"action": "invite", "roles": ["reviewer"], "note": "dana@example.org"}
    )

    assert response.status_code == 200
    link = response.context["link"]
    token = link.rstrip("/").rsplit("/", 1)[-1]
    invitation = Invitation.objects.get(corpus=corpus)
    assert invitation.token_hash == token_hash(token) != token
    assert (invitation.roles, invitation.note, invitation.state) == (
        ["reviewer"],
        "dana@example.org",
        "pending",
    )
    assert token not in as_owner.get(members_url).content.decode()


def test_signing_up_through_an_invitation_joins_the_corpus(client, corpus, owner):
    url = invite(corpus, owner, roles=("annotator", "reviewer"))

    shown = client.get(url)
    joined = client.post(
        url, {"username": "dana", "password": NEW_PASSWORD, "password_again": NEW_PASSWORD}
    )

    assert shown.status_code == 200
    assert "Join" in shown.content.decode()
    assert joined.status_code == 302
    assert joined["Location"] == corpus.get_absolute_url()
    dana = get_user_model().objects.get(username="dana")
    assert dana.check_password(NEW_PASSWORD)
    assert roles_of(corpus, dana) == {"annotator", "reviewer"}
    assert client.get(corpus.get_absolute_url()).status_code == 200  # signed in
    change = MembershipChange.objects.filter(corpus=corpus).first()
    assert (change.action, change.member, change.roles_after) == (
        "joined",
        dana,
        ["annotator", "reviewer"],
    )


def test_a_signed_in_user_accepts_an_invitation(client, corpus, owner, outsider):
    url = invite(corpus, owner)
    client.force_login(outsider)

    assert "Accept the invitation" in client.get(url).content.decode()
    assert client.post(url).status_code == 302
    assert roles_of(corpus, outsider) == {"annotator"}


def test_a_used_invitation_is_refused_with_410(client, corpus, owner, outsider):
    url = invite(corpus, owner)
    client.force_login(outsider)
    client.post(url)
    client.logout()

    again = client.post(
        url, {"username": "eve", "password": NEW_PASSWORD, "password_again": NEW_PASSWORD}
    )

    assert again.status_code == 410
    assert "was used" in again.content.decode()
    assert not get_user_model().objects.filter(username="eve").exists()


def test_an_expired_or_revoked_invitation_is_refused_with_410(
    as_owner, client, members_url, corpus, owner
):
    expired, revoked = invite(corpus, owner), invite(corpus, owner)
    first, second = Invitation.objects.order_by("id")
    first.expires_at = timezone.now() - timedelta(minutes=1)
    first.save()
    revoking = as_owner.post(members_url, {"action": "revoke", "invitation": second.pk})
    assert revoking.status_code == 302
    as_owner.logout()

    for url, word in ((expired, "has expired"), (revoked, "was revoked")):
        response = client.get(url)
        assert response.status_code == 410, url
        assert word in response.content.decode()
    assert MembershipChange.objects.filter(action="invitation_revoked").count() == 1


@pytest.mark.parametrize(
    ("form", "status", "message"),
    [
        ({"username": "", "password": NEW_PASSWORD}, 400, "choose a username"),
        ({"username": "ana-annotator", "password": NEW_PASSWORD}, 409, "is taken"),
        ({"username": "bad name!", "password": NEW_PASSWORD}, 400, "username:"),
        ({"username": "fred", "password": "123"}, 400, "password:"),
        ({"username": "fred", "password": NEW_PASSWORD, "password_again": "x"}, 400, "differ"),
    ],
    ids=["no username", "taken", "bad username", "weak password", "mismatch"],
)
def test_a_bad_sign_up_says_why_and_keeps_the_invitation(
    client, corpus, owner, form, status, message
):
    url = invite(corpus, owner)
    form = {"password_again": form["password"], **form}

    response = client.post(url, form)

    assert response.status_code == status
    assert message in response.content.decode()
    assert Invitation.objects.get().state == "pending"


def test_an_unknown_token_gives_404_not_500(client):
    response = client.get(reverse("invitation", kwargs={"token": "not-a-token"}))

    assert response.status_code == 404
    assert "not a Goldset invitation" in response.content.decode()


def test_the_page_takes_the_same_queries_however_many_members(
    as_owner, members_url, corpus, owner, django_assert_max_num_queries
):
    for number in range(20):
        member = UserFactory(username=f"member{number}")
        Membership.objects.create(corpus=corpus, user=member, role="annotator")
        invitation_create(corpus=corpus, actor=owner, roles=["annotator"])

    with django_assert_max_num_queries(10):
        response = as_owner.get(members_url)

    assert response.status_code == 200
    assert "member19" in response.content.decode()
