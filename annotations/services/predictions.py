"""Pre-annotate documents with a spaCy pipeline and store the results as prediction layers."""

from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction

from annotations.models import Annotation, Source, Span
from corpus.models import Corpus, Document, EntityType
from corpus.nlp.analysis import Analysis, analyze
from corpus.nlp.pipeline import ModelIdentity, pipeline_identity, pipeline_load


@dataclass
class PreannotationSummary:
    """What a pre-annotation run did."""

    model: ModelIdentity
    documents: int = 0
    entities: int = 0
    unmapped: Counter[str] = field(default_factory=Counter)

    def __str__(self) -> str:
        text = (
            f"{self.documents} documents pre-annotated with {self.model.name} "
            f"{self.model.version}: {self.entities} entities"
        )
        if self.unmapped:
            dropped = ", ".join(f"{label} {n}" for label, n in self.unmapped.most_common())
            text += f"; model labels without a schema type, dropped: {dropped}"
        return text


def corpus_preannotate(
    *,
    corpus: Corpus,
    model_name: str | None = None,
    batch_size: int | None = None,
    only_missing: bool = False,
    on_document: Callable[[], None] | None = None,
) -> PreannotationSummary:
    """Run the pipeline over `corpus`, replacing this model's prediction layer per document.

    With `only_missing`, documents that already hold a layer from this model and version
    are left alone. Annotator and gold layers are never touched.
    """
    nlp = pipeline_load(model_name or settings.SPACY_MODEL)
    model = pipeline_identity(nlp)
    batch_size = batch_size or settings.PREANNOTATE_BATCH_SIZE
    entity_types = {
        entity_type.key: entity_type for entity_type in corpus.schema.entity_types.all()
    }
    label_map = {
        model_label: entity_type.key
        for entity_type in entity_types.values()
        for model_label in entity_type.spacy_labels
    }
    summary = PreannotationSummary(model=model)
    for batch in _document_batches(corpus, model, only_missing, batch_size):
        analyses = analyze(
            [document.text for document in batch],
            nlp=nlp,
            label_map=label_map,
            batch_size=batch_size,
        )
        for document, analysis in zip(batch, analyses, strict=True):
            prediction_layer_replace(
                document=document, analysis=analysis, model=model, entity_types=entity_types
            )
            summary.documents += 1
            summary.entities += len(analysis.entities)
            summary.unmapped.update(analysis.unmapped)
            if on_document:
                on_document()
    return summary


def documents_to_preannotate(
    corpus: Corpus, *, model_name: str | None = None, only_missing: bool = False
) -> int:
    """Return how many documents a run would process (for progress bars)."""
    model = pipeline_identity(pipeline_load(model_name or settings.SPACY_MODEL))
    return _pending(corpus, model, only_missing).count()


@transaction.atomic
def prediction_layer_replace(
    *,
    document: Document,
    analysis: Analysis,
    model: ModelIdentity,
    entity_types: dict[str, EntityType],
) -> Annotation:
    """Store tokens and sentences, and replace the model's prediction layer, atomically."""
    Document.objects.filter(pk=document.pk).update(
        tokens=[list(pair) for pair in analysis.tokens],
        sentences=[list(pair) for pair in analysis.sentences],
    )
    Annotation.objects.filter(
        document=document, kind=Annotation.Kind.PREDICTION, model_name=model.name
    ).delete()
    layer = Annotation.objects.create(
        document=document,
        kind=Annotation.Kind.PREDICTION,
        model_name=model.name,
        model_version=model.version,
        origin={"model": model.name, "version": model.version},
    )
    Span.objects.bulk_create(
        Span(
            annotation=layer,
            start=mention.start,
            end=mention.end,
            entity_type=entity_types[mention.label],
            source=Source.MODEL,
            score=mention.score,
            attributes={"model_label": mention.model_label},
        )
        for mention in analysis.entities
    )
    return layer


def _pending(corpus: Corpus, model: ModelIdentity, only_missing: bool):
    documents = corpus.documents.order_by("pk")
    if only_missing:
        documents = documents.exclude(
            annotations__kind=Annotation.Kind.PREDICTION,
            annotations__model_name=model.name,
            annotations__model_version=model.version,
        )
    return documents


def _document_batches(
    corpus: Corpus, model: ModelIdentity, only_missing: bool, batch_size: int
) -> Iterator[list[Document]]:
    """Yield documents in primary-key order, a batch at a time (keyset pagination)."""
    last_pk = 0
    pending = _pending(corpus, model, only_missing).only("pk", "text")
    while batch := list(pending.filter(pk__gt=last_pk)[:batch_size]):
        yield batch
        last_pk = batch[-1].pk
