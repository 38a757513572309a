"""Reservations: opening a document holds it, saving renews, finishing lets go; queue orders."""

import threading
from datetime import timedelta

import pytest
from django.db import IntegrityError, connection
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from annotations.models import Annotation, Reservation, Span
from annotations.queue import document_next_for_annotator, reservation_release
from annotations.services.layers import annotator_layer_open, layer_finish, layer_save
from corpus.models import Corpus, Membership
from tests.factories import (
    AnnotationFactory,
    CorpusFactory,
    DocumentFactory,
    UserFactory,
    span_create,
)

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def text(n: int) -> str:
    return f"Kofi Annan arrived in Damascus on Saturday ({n})."


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def documents(corpus):
    return [DocumentFactory(corpus=corpus, text=text(n)) for n in range(4)]


@pytest.fixture
def colleague(corpus):
    """A second annotator of `corpus`."""
    user = UserFactory(username="colin-colleague")
    Membership.objects.create(corpus=corpus, user=user, role=Membership.Role.ANNOTATOR)
    return user


def held_until(document, user):
    return Reservation.objects.get(document=document, user=user).expires_at


def expire(document, user) -> None:
    Reservation.objects.filter(document=document, user=user).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )


def next_for(corpus, user, after: int = 0):
    return document_next_for_annotator(corpus=corpus, user=user, after=after)


def queue_walk(corpus, user) -> list[int]:
    """Return the ids the queue hands `user` one after the other, until it comes round."""
    walked = [next_for(corpus, user).pk]
    while (document := next_for(corpus, user, after=walked[-1])) and document.pk != walked[0]:
        walked.append(document.pk)
    return walked


def test_opening_a_document_holds_it_for_the_corpus_reservation_time(corpus, document, annotator):
    corpus.reservation_minutes = 45
    corpus.save()
    before = timezone.now()
    annotator_layer_open(document=document, user=annotator)
    after = timezone.now()
    assert before + timedelta(minutes=45) <= held_until(document, annotator)
    assert held_until(document, annotator) <= after + timedelta(minutes=45)


def test_the_queue_reserves_what_it_hands_out(corpus, documents, annotator):
    assert next_for(corpus, annotator) == documents[0]
    assert held_until(documents[0], annotator) > timezone.now() + timedelta(minutes=29)


def test_a_held_document_goes_to_nobody_else_until_the_hold_expires(
    corpus, documents, annotator, colleague
):
    first = next_for(corpus, annotator)
    assert next_for(corpus, colleague) == documents[1]
    reservation_release(document=documents[1], user=colleague)
    expire(first, annotator)
    assert next_for(corpus, colleague) == first


def test_your_own_hold_comes_back_first(corpus, documents, annotator):
    annotator_layer_open(document=documents[2], user=annotator)
    assert next_for(corpus, annotator) == documents[2]
    assert next_for(corpus, annotator) == documents[2]


def test_holds_count_with_submitted_layers_against_the_overlap(
    corpus, documents, annotator, reviewer, colleague
):
    corpus.annotators_per_document = 2
    corpus.save()
    document = documents[0]
    annotator_layer_open(document=document, user=annotator)
    assert next_for(corpus, colleague) == document  # one hold, room for two
    reservation_release(document=document, user=colleague)
    annotator_layer_open(document=document, user=reviewer)
    assert next_for(corpus, colleague) == documents[1]  # held by two


def test_a_hold_by_someone_who_submitted_counts_once(corpus, documents, annotator, colleague):
    corpus.annotators_per_document = 2
    corpus.save()
    layer, _ = annotator_layer_open(document=documents[0], user=annotator)
    layer_finish(layer=layer, user=annotator, version=layer.version, status="submitted")
    assert Reservation.objects.filter(user=annotator).exists()  # not let go through the API
    assert next_for(corpus, colleague) == documents[0]


def test_saving_renews_the_hold(corpus, document, annotator):
    layer, _ = annotator_layer_open(document=document, user=annotator)
    Reservation.objects.update(expires_at=timezone.now() + timedelta(minutes=1))
    layer_save(layer=layer, user=annotator, version=layer.version, spans=[], events=[])
    assert held_until(document, annotator) > timezone.now() + timedelta(minutes=29)


def test_saving_renews_an_expired_hold(corpus, document, annotator):
    layer, _ = annotator_layer_open(document=document, user=annotator)
    expire(document, annotator)
    layer_save(layer=layer, user=annotator, version=layer.version, spans=[], events=[])
    assert held_until(document, annotator) > timezone.now()


@pytest.mark.parametrize("action", ["submit", "skip"])
def test_submitting_or_skipping_lets_go_of_the_hold(api, corpus, documents, annotator, action):
    api.force_authenticate(annotator)
    url = reverse("api-my-layer", kwargs={"slug": corpus.slug, "pk": documents[0].pk})
    opened = api.post(url).json()
    assert Reservation.objects.filter(document=documents[0], user=annotator).exists()
    finish_url = reverse(f"api-layer-{action}", kwargs={"pk": opened["id"]})
    response = api.post(finish_url, {"version": opened["version"]}, format="json")
    assert response.status_code == 200
    assert response.json()["next"]["id"] == documents[1].pk
    held = Reservation.objects.filter(user=annotator).values_list("document", flat=True)
    assert list(held) == [documents[1].pk]


def test_asking_for_the_next_after_a_document_lets_go_of_it(corpus, documents, annotator):
    first = next_for(corpus, annotator)
    assert next_for(corpus, annotator, after=first.pk) == documents[1]
    held = Reservation.objects.filter(user=annotator).values_list("document", flat=True)
    assert list(held) == [documents[1].pk]


def test_letting_go_forgets_expired_holds_of_the_document(corpus, document, annotator, colleague):
    annotator_layer_open(document=document, user=colleague)
    expire(document, colleague)
    annotator_layer_open(document=document, user=annotator)
    reservation_release(document=document, user=annotator)
    assert not Reservation.objects.exists()


def test_opening_a_submitted_layer_holds_nothing(corpus, document, annotator):
    layer, _ = annotator_layer_open(document=document, user=annotator)
    layer_finish(layer=layer, user=annotator, version=layer.version, status="submitted")
    reservation_release(document=document, user=annotator)
    annotator_layer_open(document=document, user=annotator)
    assert not Reservation.objects.exists()


def test_the_next_document_api_reserves_it(api, corpus, documents, annotator, colleague):
    url = reverse("api-next-document", kwargs={"slug": corpus.slug})
    api.force_authenticate(annotator)
    assert api.get(url).json()["next"]["id"] == documents[0].pk
    api.force_authenticate(colleague)
    assert api.get(url).json()["next"]["id"] == documents[1].pk


def test_start_annotating_resumes_the_document_you_hold(client, corpus, documents, annotator):
    annotator_layer_open(document=documents[3], user=annotator)
    client.force_login(annotator)
    response = client.get(reverse("corpus-annotate", kwargs={"slug": corpus.slug}))
    assert response.url == reverse(
        "document-annotate", kwargs={"slug": corpus.slug, "pk": documents[3].pk}
    )


def test_the_seeded_random_order_is_stable_and_depends_on_the_seed(corpus, annotator, reviewer):
    documents = [DocumentFactory(corpus=corpus) for _ in range(12)]
    ids = [document.pk for document in documents]
    corpus.queue_order = Corpus.QueueOrder.RANDOM
    corpus.save()
    shuffled = queue_walk(corpus, annotator)
    Reservation.objects.all().delete()
    assert queue_walk(corpus, reviewer) == shuffled
    assert sorted(shuffled) == ids
    assert shuffled != ids
    Reservation.objects.all().delete()
    corpus.queue_seed = 7
    corpus.save()
    reshuffled = queue_walk(corpus, annotator)
    assert sorted(reshuffled) == ids
    assert reshuffled != shuffled


def predicted(document, *scores: float, model_name: str = "test_model") -> Annotation:
    layer = AnnotationFactory(document=document, model_name=model_name)
    for n, score in enumerate(scores):
        span = span_create(layer, n, n + 1, "PER")
        Span.objects.filter(pk=span.pk).update(score=score)
    return layer


def test_least_confident_first_puts_the_lowest_mean_score_first(corpus, annotator):
    sure, unsure, bare, middling, rescored = (
        DocumentFactory(corpus=corpus, text=text(n)) for n in range(5)
    )
    predicted(sure, 0.9, 0.95)
    predicted(unsure, 0.3)
    predicted(middling, 0.2, 0.8)
    old = predicted(rescored, 0.1, model_name="old_model")
    newest = predicted(rescored, 0.7, model_name="new_model")
    Annotation.objects.filter(pk=old.pk).update(updated_at=newest.updated_at - timedelta(hours=1))
    corpus.queue_order = Corpus.QueueOrder.LEAST_CONFIDENT
    corpus.save()
    assert queue_walk(corpus, annotator) == [
        unsure.pk,
        middling.pk,
        rescored.pk,
        sure.pk,
        bare.pk,
    ]


def test_a_reservation_time_must_be_positive(corpus):
    with pytest.raises(IntegrityError):
        Corpus.objects.filter(pk=corpus.pk).update(reservation_minutes=0)


def test_the_corpus_admin_shows_the_queue_settings(client, corpus):
    client.force_login(UserFactory(username="ada-admin", is_staff=True, is_superuser=True))
    change = client.get(reverse("admin:corpus_corpus_change", args=[corpus.pk])).content.decode()
    for field in ("reservation_minutes", "queue_order", "queue_seed"):
        assert f'name="{field}"' in change
    listing = client.get(reverse("admin:corpus_corpus_changelist")).content.decode()
    assert "Least confident first" in listing  # the order filter


@pytest.mark.django_db(transaction=True)
def test_annotators_asking_at_once_get_different_documents():
    """N annotators ask the API for the next document at the same moment: N documents."""
    if connection.vendor != "postgresql":
        pytest.skip("needs concurrent connections (the PostgreSQL pass)")
    corpus = corpus_with_annotators(annotators=6)
    for n in range(6):
        DocumentFactory(corpus=corpus, text=text(n))
    got = ask_at_once(corpus, [m.user for m in corpus.memberships.all()])
    assert len(set(got)) == 6
    assert None not in got
    assert Reservation.objects.count() == 6


@pytest.mark.django_db(transaction=True)
def test_annotators_asking_at_once_fill_the_overlap_and_no_more():
    """With room for two per document, five annotators at once fill two documents exactly."""
    if connection.vendor != "postgresql":
        pytest.skip("needs concurrent connections (the PostgreSQL pass)")
    corpus = corpus_with_annotators(annotators=5)
    corpus.annotators_per_document = 2
    corpus.save()
    first, second = (DocumentFactory(corpus=corpus, text=text(n)) for n in range(2))
    got = ask_at_once(corpus, [m.user for m in corpus.memberships.all()])
    assert sorted(got, key=lambda pk: pk or 0) == [None, first.pk, first.pk, second.pk, second.pk]


def corpus_with_annotators(*, annotators: int) -> Corpus:
    corpus = CorpusFactory()
    for n in range(annotators):
        user = UserFactory(username=f"annotator-{n}")
        Membership.objects.create(corpus=corpus, user=user, role=Membership.Role.ANNOTATOR)
    return corpus


def ask_at_once(corpus: Corpus, users: list) -> list[int | None]:
    """Ask the next-document API as every user, each in a thread with its own connection."""
    url = reverse("api-next-document", kwargs={"slug": corpus.slug})
    start = threading.Barrier(len(users))
    answers: list[int | None] = []
    problems: list[BaseException] = []

    def ask(user) -> None:
        try:
            api = APIClient()
            api.force_authenticate(user)
            start.wait()
            response = api.get(url)
            assert response.status_code == 200, response.content
            answer = response.json()["next"]
            answers.append(answer and answer["id"])
        except BaseException as exc:  # reported by the main thread
            problems.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=ask, args=(user,)) for user in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not problems
    return answers
