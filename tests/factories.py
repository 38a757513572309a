"""Factories for users, schemas, corpora, documents and annotation layers."""

import factory
from django.contrib.auth import get_user_model

from annotations.models import Annotation, Argument, Event, Source, Span
from annotations.scores import document_scores_refresh
from corpus.models import Corpus, Document, EntityType, EventRole, EventType, LabelSchema

PASSWORD = "correct horse battery staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password(PASSWORD)


class LabelSchemaFactory(factory.django.DjangoModelFactory):
    """A tiny schema: PER, GPE and one event type, Life.Die, with Victim and Place."""

    class Meta:
        model = LabelSchema
        skip_postgeneration_save = True

    key = factory.Sequence(lambda n: f"tiny-{n}")
    name = factory.Sequence(lambda n: f"Tiny schema {n}")

    @factory.post_generation
    def types(schema, create, extracted, **kwargs):
        per = EntityType.objects.create(
            schema=schema, key="PER", name="Person", color="#a6cee3", spacy_labels=["PERSON"]
        )
        gpe = EntityType.objects.create(
            schema=schema,
            key="GPE",
            name="Geo-political entity",
            color="#fdbf6f",
            spacy_labels=["GPE"],
            order=1,
        )
        die = EventType.objects.create(schema=schema, key="Life.Die", name="Die", group="Life")
        EventRole.objects.create(event_type=die, key="Victim", name="Victim").entity_types.set(
            [per]
        )
        EventRole.objects.create(
            event_type=die, key="Place", name="Place", order=1
        ).entity_types.set([gpe])


class CorpusFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Corpus

    name = factory.Sequence(lambda n: f"Corpus {n}")
    slug = factory.Sequence(lambda n: f"corpus-{n}")
    schema = factory.SubFactory(LabelSchemaFactory)


class DocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Document

    corpus = factory.SubFactory(CorpusFactory)
    text = factory.Sequence(lambda n: f"Article number {n} about Damascus.")
    external_id = factory.Sequence(lambda n: f"doc-{n}")


class AnnotationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Annotation

    document = factory.SubFactory(DocumentFactory)
    kind = Annotation.Kind.PREDICTION
    model_name = "test_model"
    model_version = "1.0"


def span_create(layer: Annotation, start: int, end: int, key: str) -> Span:
    """Create a span of entity type `key` (from the layer's corpus schema)."""
    entity_type = layer.document.corpus.schema.entity_types.get(key=key)
    return Span.objects.create(annotation=layer, start=start, end=end, entity_type=entity_type)


def event_create(layer: Annotation, start: int, end: int, key: str, **fillers: Span) -> Event:
    """Create an event of type `key` with a trigger and arguments given as role=span."""
    event_type = layer.document.corpus.schema.event_types.get(key=key)
    event = Event.objects.create(
        annotation=layer, trigger_start=start, trigger_end=end, event_type=event_type
    )
    for role, span in fillers.items():
        Argument.objects.create(event=event, role=event_type.roles.get(key=role), span=span)
    return event


def prediction_create(document: Document, model_name: str = "test_model") -> Annotation:
    """Create a model's layer on "Kofi Annan arrived in Damascus ...": two spans, one event."""
    layer = AnnotationFactory(document=document, model_name=model_name)
    annan = span_create(layer, 0, 10, "PER")
    damascus = span_create(layer, 22, 30, "GPE")
    event = event_create(layer, 11, 18, "Life.Die", Victim=annan, Place=damascus)
    model = {"source": Source.MODEL, "score": 0.9}
    Span.objects.filter(annotation=layer).update(**model)
    Event.objects.filter(pk=event.pk).update(**model)
    Argument.objects.filter(event=event).update(**model)
    document_scores_refresh([document.pk])
    return layer
