"""`demo_user` makes the demo login, and with --team two annotators and a reviewer."""

import pytest
from django.contrib.auth import authenticate
from django.core.management.base import CommandError

from corpus.models import Membership
from tests.commands import command
from tests.factories import CorpusFactory


@pytest.fixture
def seeds(db):
    return CorpusFactory(slug="seeds")


def roles_of(corpus, username: str) -> set[str]:
    memberships = Membership.objects.filter(corpus=corpus, user__username=username)
    return set(memberships.values_list("role", flat=True))


def test_the_demo_login_owns_annotates_and_reviews_the_seeds(seeds, settings, rf):
    settings.DEBUG = True

    printed = command("demo_user")

    assert "username 'demo', password 'goldset-demo'" in printed
    # django-axes checks every sign-in against its lockouts, so it needs the request.
    signing_in = rf.post("/accounts/login/")
    assert authenticate(signing_in, username="demo", password="goldset-demo") is not None
    assert roles_of(seeds, "demo") == {"owner", "annotator", "reviewer"}


def test_a_team_gets_two_annotators_a_reviewer_overlap_two_and_review(seeds, settings, rf):
    settings.DEBUG = True

    printed = command("demo_user", "--team")
    command("demo_user", "--team")  # again: nothing twice

    assert "'ana', 'ben', 'rita'" in printed
    assert roles_of(seeds, "ana") == roles_of(seeds, "ben") == {"annotator"}
    assert roles_of(seeds, "rita") == {"reviewer"}
    signing_in = rf.post("/accounts/login/")
    assert authenticate(signing_in, username="rita", password="goldset-demo") is not None
    seeds.refresh_from_db()
    assert (seeds.annotators_per_document, seeds.review_required) == (2, True)
    assert Membership.objects.filter(corpus=seeds).count() == 6


def test_no_demo_login_with_debug_off(seeds, settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="DEBUG off"):
        command("demo_user")
