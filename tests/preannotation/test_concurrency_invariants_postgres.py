"""Two workers pre-annotate a corpus while annotators save its layers: nothing doubled or lost.

The small version of `python -m bench.concurrency`: a run queued twice in batches that do not
line up, a `--missing` run queued behind it, two `manage.py db_worker` processes, and two
annotators using the API from threads meanwhile: one opens and saves document after document,
the other saves one version of a layer from two tabs at once (a barrier lines them up).
"""

import heapq
import itertools
import threading
from dataclasses import dataclass, field

import orjson
import pytest
from django.db import connection, connections
from django_tasks_db.models import DBTaskResult
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from annotations.models import Annotation
from annotations.services.layers.layer_open import annotator_layer_open
from bench.concurrency_client import span_places, span_toggle
from corpus.models import Corpus, Membership
from corpus.services.schemas import schema_get_or_create
from preannotation.models import PreannotationRun
from preannotation.services import preannotation_start, run_batches
from preannotation.tasks import preannotate_batch, run_enqueue
from tests.factories import DocumentFactory, UserFactory
from tests.preannotation.test_workers_postgres import worker

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.model,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
]

DOCUMENTS = 40
PEOPLE = ["Kofi Annan", "Bashar Assad", "Maria Alvarez", "John Okafor"]
PLACES = ["Damascus", "Idlib", "Nairobi", "Manila"]
MAX_ROUNDS = 500  # a guard only: the annotators stop when the workers have


@dataclass
class Tab:
    """An annotator's API client (one per thread), and what each 200 save answered."""

    token: str
    saved: dict[int, dict] = field(default_factory=dict)
    unexpected: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.client = APIClient()
        self.client.credentials(HTTP_AUTHORIZATION=f"Token {self.token}")

    def request(self, method: str, url: str, body: dict | None = None, expect=(200,)):
        """Send one request; return the answer's JSON if its status is expected, else note it."""
        data = {"data": orjson.dumps(body), "content_type": "application/json"} if body else {}
        response = getattr(self.client, method)(url, **data)
        if response.status_code not in expect:
            self.unexpected.append(f"{method} {url}: {response.status_code}")
            return None
        return response.json()


@pytest.fixture
def news():
    if connection.vendor != "postgresql":
        pytest.skip("runs on PostgreSQL (the second pass of `make test`)")
    corpus = Corpus.objects.create(
        slug="news", name="News", schema=schema_get_or_create(name_or_path="ace2005")
    )
    names = {}
    for n in range(DOCUMENTS):
        person, place = PEOPLE[n % 4], PLACES[n // 4 % 4]
        text = f"{person} arrived in {place} on Monday, report {n} said."
        document = DocumentFactory(corpus=corpus, text=text)
        start = text.index(place)
        names[document.pk] = [(0, len(person), "PER"), (start, start + len(place), "GPE")]
    return corpus, names


def annotator_of(corpus: Corpus, name: str):
    """A new annotator of `corpus` and its API token."""
    user = UserFactory(username=name)
    Membership.objects.create(corpus=corpus, user=user, role=Membership.Role.ANNOTATOR)
    return user, Token.objects.create(user=user).key


def in_thread(target, *args) -> threading.Thread:
    def body():
        try:
            target(*args)
        finally:
            connections.close_all()

    thread = threading.Thread(target=body)
    thread.start()
    return thread


def open_and_save(annotator: Tab, slug: str, names: dict, done: threading.Event) -> None:
    """Open each document in turn and save it twice; the second save is also sent stale."""
    for turn, pk in enumerate(itertools.islice(itertools.cycle(names), MAX_ROUNDS)):
        if done.is_set():
            return
        url = f"/api/corpora/{slug}/documents/{pk}/my-layer/"
        mine = annotator.request("post", url, expect=(200, 201))
        layer = mine and annotator.request("get", f"/api/annotations/{mine['id']}/")
        for step in range(2):
            if not layer:
                break
            body = span_toggle(layer, names[pk], turn=turn + step)
            saved = annotator.request("put", f"/api/annotations/{layer['id']}/", body)
            if saved and span_places(saved["spans"]) != span_places(body["spans"]):
                annotator.unexpected.append(f"layer {layer['id']}: answered another content")
            if saved:
                annotator.saved[saved["id"]] = saved
            layer = saved
        if layer:
            annotator.request("put", f"/api/annotations/{layer['id']}/", body, expect=(409,))


def tab_race(tab: Tab, side: int, layer_id: int, names, barrier, stop) -> list[int]:
    """Load the layer, wait for the other tab, save a change of the same version at once;
    round after round until `stop` says the workers are done. Return the statuses."""
    url, codes = f"/api/annotations/{layer_id}/", []
    for turn in range(MAX_ROUNDS):
        layer = tab.request("get", url)
        barrier.wait()  # both tabs loaded it
        if stop["now"]:
            return codes
        body = span_toggle(layer, names, turn=2 * turn + side)
        response = tab.client.put(url, orjson.dumps(body), content_type="application/json")
        codes.append(response.status_code)
        if response.status_code == 200:
            tab.saved[layer_id] = response.json()
        elif response.status_code == 409:
            tab.request("put", url, body, expect=(409,))  # the stale retry, 409 again
        barrier.wait()  # both answered
    return codes


def test_workers_and_annotators_at_once_double_nothing_and_lose_nothing(news, settings):
    settings.API_WRITE_RATE = "100000/min"  # the annotators here save as fast as they can
    corpus, names = news
    documents = list(names)
    plain_user, plain_token = annotator_of(corpus, "olga")
    racer_user, racer_token = annotator_of(corpus, "rafael")
    for pk in documents[::7]:  # layers opened before any prediction
        annotator_layer_open(document=corpus.documents.get(pk=pk), user=plain_user)
    contested = corpus.documents.get(pk=documents[5])
    layer_id = annotator_layer_open(document=contested, user=racer_user)[0].pk

    run = preannotation_start(corpus=corpus)
    deliveries = [run_batches(run, batch_size=size) for size in (4, 3)]
    for batch in heapq.merge(*deliveries, key=lambda batch: batch[0]):
        preannotate_batch.enqueue(run.pk, batch)
    PreannotationRun.objects.filter(pk=run.pk).update(in_background=True, attempts=1)
    missing = preannotation_start(corpus=corpus, only_missing=True)
    run_enqueue(missing)  # transaction=True: queued at once, behind the first run

    done, stop = threading.Event(), {"now": False}
    barrier = threading.Barrier(2, action=lambda: stop.update(now=done.is_set()))
    plain, racer_saved = Tab(plain_token), {}
    tabs = [Tab(racer_token, saved=racer_saved) for _ in (0, 1)]
    codes: list[list[int]] = [[], []]

    def race(side: int) -> None:
        codes[side] = tab_race(tabs[side], side, layer_id, names[documents[5]], barrier, stop)

    threads = [in_thread(open_and_save, plain, corpus.slug, names, done)]
    threads += [in_thread(race, side) for side in (0, 1)]
    workers = [worker(), worker()]
    outputs = [process.communicate(timeout=300)[0] for process in workers]
    done.set()
    for thread in threads:
        thread.join()

    assert [process.returncode for process in workers] == [0, 0], outputs
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}
    predictions = Annotation.objects.filter(kind="prediction")
    assert predictions.values("document").distinct().count() == predictions.count() == DOCUMENTS
    run.refresh_from_db(), missing.refresh_from_db()
    assert (run.processed, run.status) == (DOCUMENTS, "done")
    assert (missing.processed, missing.status) == (0, "done")
    assert predictions.filter(run=run).count() == DOCUMENTS
    races = list(zip(*codes, strict=True))
    assert races
    assert all(sorted(race) == [200, 409] for race in races), races
    assert [tab.unexpected for tab in (plain, *tabs)] == [[], [], []]
    for tab in (plain, tabs[0]):  # every layer holds its last save
        assert tab.saved
        for layer, answered in tab.saved.items():
            held = tab.request("get", f"/api/annotations/{layer}/")
            assert (held["version"], held["spans"]) == (answered["version"], answered["spans"])
