"""The generated corpora of bench.scale: the same people's work on a small and a large one."""

import pytest

from annotations.models import Annotation
from bench import corpora

pytestmark = pytest.mark.django_db


def test_a_larger_generated_corpus_has_the_same_peoples_work(monkeypatch, capsys):
    monkeypatch.setattr(corpora, "BATCH", 200)  # inserted in batches, as 200,000 are
    people = corpora.people_create()
    work = {}
    for slug, count in {"one-batch": 200, "two-batches": 400}.items():
        corpus = corpora.corpus_generate(slug, count, humans=10, people=people)
        layers = Annotation.objects.filter(document__corpus=corpus)
        work[slug] = {
            kind: layers.filter(kind=kind).values("document").distinct().count()
            for kind in ("annotator", "gold")
        }
        assert corpus.documents.count() == count
        assert layers.filter(kind="prediction").count() == count // 10
    assert work["one-batch"] == work["two-batches"] == {"annotator": 12, "gold": 5}
