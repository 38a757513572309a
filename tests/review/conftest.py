"""Two annotators' submitted layers on the `document` fixture, for review tests."""

import pytest

from annotations.content import ArgumentItem, LayerContent, SpanItem
from corpus.models import Membership
from tests.factories import UserFactory
from tests.review.submitted import death, submitted_layer

# "Kofi Annan arrived in Damascus on Saturday."


@pytest.fixture
def ben(corpus):
    """A second annotator."""
    user = UserFactory(username="ben-annotator")
    Membership.objects.create(corpus=corpus, user=user, role=Membership.Role.ANNOTATOR)
    return user


@pytest.fixture
def layers(document, annotator, ben):
    """Ana: Annan PER, Damascus GPE, the death with Victim and Place. Ben: Damascus PER, Victim."""
    ana_layer = submitted_layer(
        document,
        annotator,
        LayerContent(
            spans=[
                SpanItem(id="a", start=0, end=10, label="PER"),
                SpanItem(id="d", start=22, end=30, label="GPE"),
            ],
            events=[death(ArgumentItem("Victim", span="a"), ArgumentItem("Place", span="d"))],
        ),
    )
    ben_layer = submitted_layer(
        document,
        ben,
        LayerContent(
            spans=[
                SpanItem(id="a", start=0, end=10, label="PER"),
                SpanItem(id="d", start=22, end=30, label="PER"),
            ],
            events=[death(ArgumentItem("Victim", span="a"))],
        ),
    )
    return {"ana-annotator": ana_layer.pk, "ben-annotator": ben_layer.pk}
