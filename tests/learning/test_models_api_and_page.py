"""Owners train, compare and activate model versions from the API and the models page."""

import pytest
from django.conf import settings
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from learning.models import ModelVersion
from preannotation.services import corpus_model_identity
from tests.learning.versions import version_trained


@pytest.fixture
def trained(corpus):
    return version_trained(corpus)


def test_owner_starts_training_through_the_api_for_a_worker(
    client, owner, corpus, gold, django_capture_on_commit_callbacks
):
    client.force_login(owner)
    url = reverse("api-model-list", kwargs={"slug": corpus.slug})

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"activate_if_better": True}, content_type="application/json")

    assert response.status_code == 202
    assert response.json()["number"] == 1
    assert response.json()["status"] == "training"
    task = DBTaskResult.objects.get()
    assert task.args_kwargs["args"][1] is True  # activate if better


def test_a_second_training_waits_for_the_first(client, owner, corpus, gold):
    client.force_login(owner)
    url = reverse("api-model-list", kwargs={"slug": corpus.slug})
    client.post(url, {}, content_type="application/json")

    response = client.post(url, {}, content_type="application/json")

    assert response.status_code == 400
    assert "training already" in response.json()["message"]


def test_training_without_gold_is_refused_with_what_to_do(client, owner, corpus):
    client.force_login(owner)

    response = client.post(reverse("api-model-list", kwargs={"slug": corpus.slug}), {})

    assert response.status_code == 400
    assert "no reviewed gold layer yet" in response.json()["message"]


def test_only_owners_train_and_activate(client, annotator, corpus, gold, trained):
    client.force_login(annotator)
    train = client.post(reverse("api-model-list", kwargs={"slug": corpus.slug}), {})
    activate = client.post(reverse("api-model-activate", kwargs={"slug": corpus.slug, "number": 1}))

    assert train.status_code == activate.status_code == 403
    assert not ModelVersion.objects.filter(active=True).exists()


def test_members_list_versions_with_their_scores(client, annotator, corpus, trained):
    client.force_login(annotator)

    versions = client.get(reverse("api-model-list", kwargs={"slug": corpus.slug})).json()

    assert [version["number"] for version in versions] == [1]
    assert versions[0]["gold_documents"] == 8
    assert versions[0]["held_out_documents"] == 2
    assert versions[0]["scores"]["candidate"]["entities"]["labels"]["GPE"]["f1"] == 1.0


def test_activating_a_version_names_it_in_the_next_runs_model_version(
    client, owner, corpus, trained
):
    client.force_login(owner)
    second = ModelVersion.objects.create(
        corpus=corpus, number=2, status=ModelVersion.Status.NOT_BETTER, active=True
    )

    response = client.post(reverse("api-model-activate", kwargs={"slug": corpus.slug, "number": 1}))

    assert response.status_code == 200
    assert response.json()["active"] is True
    second.refresh_from_db()
    assert not second.active
    assert corpus_model_identity(settings.SPACY_MODEL, trained).version.endswith("+v1")


def test_models_page_compares_versions_per_label_and_owner_activates(
    client, owner, corpus, trained
):
    client.force_login(owner)
    url = reverse("corpus-models", kwargs={"slug": corpus.slug})

    page = client.get(url).content.decode()

    assert "Better: F1 1.000 against 0.125" in page
    assert "1 name, 0 trigger words, 0 rejected" in page
    assert '<th scope="col">v1</th><th scope="col">base pipeline</th>' in page
    assert "<strong>1.000</strong></td><td>0.222</td>" in page  # GPE: v1 beats the base
    calibration = page[page.index('id="calibration"') :]
    assert '<th scope="row">Entities</th><td class="num">48</td><td class="num">0.410</td>' in (
        calibration
    )
    assert "<strong>0.050</strong>" in calibration  # GPE, after
    assert "Event triggers" not in calibration  # nothing scored to calibrate
    response = client.post(url, {"activate": "1"}, follow=True)
    assert "Model v1 now pre-annotates" in response.content.decode()
    trained.refresh_from_db()
    assert trained.active
    corpus_page = client.get(corpus.get_absolute_url()).content.decode()
    assert "pre-annotation uses model v1, learned from 8 gold documents" in corpus_page


def test_models_page_shows_training_progress_and_refreshes(client, reviewer, corpus):
    ModelVersion.objects.create(
        corpus=corpus,
        number=1,
        progress={"step": "running the base pipeline on the gold", "done": 3, "total": 8},
    )
    client.force_login(reviewer)

    page = client.get(reverse("corpus-models", kwargs={"slug": corpus.slug})).content.decode()

    assert '<meta http-equiv="refresh" content="3">' in page
    assert '<progress id="training-bar" max="8" value="3">' in page
    assert "running the base pipeline on the gold: 3 of 8" in page
    assert "Train a new version" not in page  # reviewers follow, owners act


def test_outsiders_do_not_see_a_corpus_models(client, outsider, corpus, trained):
    client.force_login(outsider)

    page = client.get(reverse("corpus-models", kwargs={"slug": corpus.slug}))
    api = client.get(reverse("api-model-detail", kwargs={"slug": corpus.slug, "number": 1}))

    assert page.status_code == api.status_code == 404
