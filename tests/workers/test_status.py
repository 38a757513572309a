"""Users see when no worker runs: a banner on the corpus and import pages, and GET /api/workers/."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from rest_framework.test import APIClient

from imports.models import ImportJob
from tests.factories import UserFactory
from workers.templatetags.workers import worker_banner

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

BANNER = 'id="worker-banner"'
QUEUED_A_WHILE = timedelta(minutes=2)


def corpus_page(client, user, corpus) -> str:
    client.force_login(user)
    response = client.get(corpus.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def test_banner_says_no_worker_ever_ran_while_a_task_waits(client, owner, corpus, task_row):
    task_row(enqueued=QUEUED_A_WHILE)

    page = corpus_page(client, owner, corpus)

    assert BANNER in page
    assert "None has ever run on this server" in page
    assert "python manage.py workers" in page


def test_banner_says_when_a_worker_was_last_seen(client, annotator, corpus, task_row, beat):
    beat("gone", ago=timedelta(minutes=10))
    task_row(enqueued=QUEUED_A_WHILE)

    page = corpus_page(client, annotator, corpus)

    assert BANNER in page
    assert "The last one was seen 10" in page


def test_task_left_running_by_a_dead_worker_counts_as_waiting(client, owner, corpus, task_row):
    task_row(TaskResultStatus.RUNNING, worker_id="gone", started=timedelta(minutes=5))

    assert BANNER in corpus_page(client, owner, corpus)


def test_no_banner_while_a_worker_is_alive(client, owner, corpus, task_row, beat):
    beat("busy", ago=timedelta(seconds=5))
    task_row(enqueued=QUEUED_A_WHILE)

    assert BANNER not in corpus_page(client, owner, corpus)


def test_no_banner_when_nothing_waits(client, owner, corpus, task_row):
    task_row(TaskResultStatus.SUCCESSFUL, enqueued=QUEUED_A_WHILE)
    task_row(enqueued=timedelta(seconds=1))  # just queued: a worker has not had a chance yet

    assert BANNER not in corpus_page(client, owner, corpus)


def test_banner_costs_one_query_when_nothing_waits_and_two_when_work_does(
    task_row, django_assert_num_queries
):
    with django_assert_num_queries(1):
        assert worker_banner() == {"show": False}
    task_row(enqueued=QUEUED_A_WHILE)
    with django_assert_num_queries(2):
        assert worker_banner()["show"]
    with django_assert_num_queries(0):
        assert worker_banner(finished=True) == {"show": False}


@pytest.mark.parametrize(
    ("status", "shown"), [(ImportJob.Status.QUEUED, True), (ImportJob.Status.DONE, False)]
)
def test_import_page_warns_while_its_job_waits_for_a_worker(client, owner, corpus, status, shown):
    finished_at = timezone.now() if status == ImportJob.Status.DONE else None
    job = ImportJob.objects.create(
        corpus=corpus, created_by=owner, format="auto", status=status, finished_at=finished_at
    )
    client.force_login(owner)

    response = client.get(reverse("import-job-detail", args=[corpus.slug, job.pk]))

    assert (BANNER in response.content.decode()) is shown


def test_workers_api_counts_live_workers_without_hosts_for_members(annotator, beat, task_row):
    beat("busy", ago=timedelta(seconds=5), pid=1234)
    beat("gone", ago=timedelta(minutes=10))
    task_row(enqueued=QUEUED_A_WHILE)
    api = APIClient()
    api.force_authenticate(annotator)

    response = api.get(reverse("api-workers"))

    assert response.status_code == 200
    body = response.json()
    assert body["alive"] == 1
    assert body["tasks_waiting"] == 1
    assert body["lease_seconds"] == 60
    assert body["last_seen"] is not None
    assert "workers" not in body
    assert "1234" not in response.content.decode()


def test_workers_api_lists_each_worker_for_staff(beat):
    beat("busy", ago=timedelta(seconds=5), pid=1234)
    api = APIClient()
    api.force_authenticate(UserFactory(username="ada-admin", is_staff=True))

    body = api.get(reverse("api-workers")).json()

    assert [(w["worker_id"], w["hostname"], w["pid"]) for w in body["workers"]] == [
        ("busy", "box", 1234)
    ]


def test_workers_api_says_when_none_ever_ran(annotator):
    api = APIClient()
    api.force_authenticate(annotator)

    assert api.get(reverse("api-workers")).json() == {
        "alive": 0,
        "last_seen": None,
        "lease_seconds": 60,
        "tasks_waiting": 0,
    }


def test_workers_api_refuses_anonymous_callers(db):
    response = APIClient().get(reverse("api-workers"))

    assert response.status_code in {401, 403}
    assert "message" in response.json()
