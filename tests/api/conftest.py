"""A corpus worth fuzzing: the ACE schema, documents with predictions, every kind of layer,
an import job and a pre-annotation run, and API tokens for the owner and the annotator."""

from dataclasses import dataclass, field

import pytest
from django.utils import timezone
from rest_framework.authtoken.models import Token

from annotations.services.layers import annotator_layer_open, layer_finish
from corpus.models import Corpus, Membership
from corpus.services.schemas import schema_get_or_create
from imports.models import ImportJob
from preannotation.services import preannotation_start
from tests.factories import CorpusFactory, DocumentFactory, prediction_create

TEXT = "Kofi Annan arrived in Damascus on Saturday."


@dataclass
class World:
    """What the fuzzer may aim at: ids of real objects, per kind of path parameter."""

    corpus: Corpus
    tokens: dict[str, str] = field(default_factory=dict)
    documents: list[int] = field(default_factory=list)
    layers: list[int] = field(default_factory=list)
    drafts: dict[str, list[int]] = field(default_factory=dict)  # layers a persona may edit
    runs: list[int] = field(default_factory=list)
    imports: list[int] = field(default_factory=list)


@pytest.fixture
def world(owner, annotator, reviewer, outsider) -> World:
    corpus = CorpusFactory(schema=schema_get_or_create(name_or_path="ace2005"))
    for user, role in [
        (owner, Membership.Role.OWNER),
        (annotator, Membership.Role.ANNOTATOR),
        (reviewer, Membership.Role.REVIEWER),
    ]:
        Membership.objects.create(corpus=corpus, user=user, role=role)
    world = World(corpus=corpus)
    documents = [DocumentFactory(corpus=corpus, text=f"{TEXT} Day {n}.") for n in range(3)]
    world.documents = [document.pk for document in documents]
    world.layers = [prediction_create(document).pk for document in documents]
    draft, _ = annotator_layer_open(document=documents[0], user=annotator)
    submitted, _ = annotator_layer_open(document=documents[1], user=annotator)
    layer_finish(
        layer=submitted,
        user=annotator,
        version=submitted.version,
        status="submitted",
        accept_pending=True,
    )
    reviewed, _ = annotator_layer_open(document=documents[1], user=reviewer)
    world.layers += [draft.pk, submitted.pk, reviewed.pk]
    world.drafts = {"annotator": [draft.pk], "reviewer": [reviewed.pk]}
    world.runs = [preannotation_start(corpus=corpus, user=owner).pk]
    job = ImportJob.objects.create(
        corpus=corpus,
        created_by=owner,
        status="done",
        format="jsonl",
        file_names=["news.jsonl"],
        created=3,
        finished_at=timezone.now(),
    )
    world.imports = [job.pk]
    world.tokens = {
        "owner": Token.objects.create(user=owner).key,
        "annotator": Token.objects.create(user=annotator).key,
    }
    return world
