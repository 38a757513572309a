"""`manage.py review CORPUS --auto-merge K`: gold by agreement, document by document."""

import pytest
from django.core.management import CommandError

from annotations.content import ArgumentItem, EventItem, LayerContent, SpanItem
from annotations.models import Annotation
from corpus.models import Membership
from tests.commands import command
from tests.factories import DocumentFactory, UserFactory
from tests.layers import spans_of
from tests.review.submitted import submitted_layer

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

TEXT = "Kofi Annan arrived in Damascus on Saturday."


def annan_and(label: str, *, victim: bool = True) -> LayerContent:
    """Annan PER, Damascus as `label`, the death (with Annan as Victim)."""
    arguments = [ArgumentItem("Victim", span="a")] if victim else []
    return LayerContent(
        spans=[
            SpanItem(id="a", start=0, end=10, label="PER"),
            SpanItem(id="d", start=22, end=30, label=label),
        ],
        events=[
            EventItem(
                id="e", type="Life.Die", trigger_start=11, trigger_end=18, arguments=arguments
            )
        ],
    )


@pytest.fixture
def annotated(corpus, annotator):
    """Three documents: two annotated twice (agreeing, then not on Damascus), one once."""
    ben = UserFactory(username="ben-annotator")
    Membership.objects.create(corpus=corpus, user=ben, role=Membership.Role.ANNOTATOR)
    agreeing = DocumentFactory(corpus=corpus, text=f"{TEXT} One.", external_id="agreeing")
    submitted_layer(agreeing, annotator, annan_and("GPE"))
    submitted_layer(agreeing, ben, annan_and("GPE"))
    split = DocumentFactory(corpus=corpus, text=f"{TEXT} Two.", external_id="split")
    submitted_layer(split, annotator, annan_and("GPE"))
    submitted_layer(split, ben, annan_and("PER", victim=False))
    once = DocumentFactory(corpus=corpus, text=f"{TEXT} Three.", external_id="once")
    submitted_layer(once, annotator, annan_and("GPE"))
    return {"agreeing": agreeing, "split": split, "once": once}


def gold(document) -> Annotation | None:
    return Annotation.objects.filter(document=document, kind=Annotation.Kind.GOLD).first()


def test_auto_merge_writes_gold_where_k_agree_and_lists_what_it_could_not_decide(corpus, annotated):
    out = command("review", corpus.slug, "--auto-merge", "2")
    assert out.splitlines() == [
        "agreeing (2 submitted): gold 2 entities, 1 event, 1 argument; 0 undecided",
        "split (2 submitted): gold 1 entity, 1 event, 0 arguments; 3 undecided",
        '    undecided entity GPE 22-30 "Damascus" (ana-annotator)',
        '    undecided entity PER 22-30 "Damascus" (ben-annotator)',
        '    undecided argument Life.Die "arrived" Victim = "Kofi Annan" (ana-annotator)',
        "2 documents adjudicated by 2-agreement, 0 already reviewed (skipped; --force redoes "
        "them), 3 items undecided.",
    ]
    assert spans_of(gold(annotated["agreeing"])) == {
        (0, 10, "PER", "Kofi Annan"),
        (22, 30, "GPE", "Damascus"),
    }
    assert spans_of(gold(annotated["split"])) == {(0, 10, "PER", "Kofi Annan")}
    assert gold(annotated["once"]) is None
    assert gold(annotated["split"]).origin["adjudicated_by"] == "manage.py review"


def test_auto_merge_skips_reviewed_documents_unless_forced(corpus, annotated, reviewer):
    command("review", corpus.slug, "--auto-merge", "2")
    again = command("review", corpus.slug, "--auto-merge", "2")
    assert "agreeing (2 submitted): skipped, already reviewed" in again
    assert again.splitlines()[-1].startswith("0 documents adjudicated by 2-agreement, 2 already")
    assert gold(annotated["split"]).version == 1
    forced = command(
        "review", corpus.slug, "--auto-merge", "2", "--force", "--user", reviewer.username
    )
    assert forced.splitlines()[-1].startswith("2 documents adjudicated")
    split = gold(annotated["split"])
    assert (split.version, split.origin["adjudicated_by"]) == (2, "rita-reviewer")


def test_auto_merge_as_someone_who_may_not_review_is_refused(corpus, annotated, annotator):
    with pytest.raises(CommandError, match="Only a corpus owner or reviewer"):
        command("review", corpus.slug, "--auto-merge", "1", "--user", annotator.username)
    assert not Annotation.objects.filter(kind=Annotation.Kind.GOLD).exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("nope", "--auto-merge", "2"), "No corpus 'nope'"),
        (("{slug}", "--auto-merge", "0"), "K must be 1 or more"),
        (("{slug}", "--auto-merge", "2", "--user", "nobody"), "No user 'nobody'"),
    ],
)
def test_auto_merge_names_what_is_wrong(corpus, args, message):
    with pytest.raises(CommandError, match=message):
        command("review", *(arg.format(slug=corpus.slug) for arg in args))
