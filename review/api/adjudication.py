"""API: a document's layers merged into candidates for review, and writing its gold layer."""

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from annotations.api.layer_answer import layer_output
from annotations.api.layer_detail import EventInput, LayerOutput, SpanInput, request_object
from annotations.models import Annotation
from annotations.services.content import layer_content_read
from annotations.services.layers.fields import is_integer
from annotations.services.layers.payload import layer_content_parse
from annotations.services.layers.schema_rules import SchemaRules
from config.errors import InvalidInput
from config.openapi import STALE_VERSION
from config.parsers import JSONParser
from corpus.models import Document
from review.adjudication_selectors import (
    ReviewSources,
    document_get_for_reviewer,
    review_sources,
)
from review.api.examples import ADJUDICATE, REVIEW
from review.merge import (
    Candidate,
    Candidates,
    candidate_id,
    content_from,
    layers_merge,
    select_agreed,
    select_voter,
)
from review.services import gold_adjudicate

ACTIONS = ("agreed", "take", "save")


class VoterOutput(serializers.Serializer):
    name = serializers.CharField(help_text='a username, or "model" for the newest predictions')
    layer = serializers.IntegerField(help_text="the layer's id")


class CandidateOutput(serializers.Serializer):
    id = serializers.CharField(help_text="stable id; usable as an item id when saving")
    voters = serializers.ListField(child=serializers.CharField())
    agreed = serializers.BooleanField(help_text="every annotator has it")
    disputed = serializers.BooleanField(help_text="some annotators have it, not all")
    attributes = serializers.DictField(help_text="the first voter's (details_from)")
    note = serializers.CharField(allow_blank=True)
    details_from = serializers.CharField()


class EntityCandidateOutput(CandidateOutput):
    start = serializers.IntegerField()
    end = serializers.IntegerField()
    label = serializers.CharField()
    text = serializers.CharField()
    conflicts = serializers.ListField(
        child=serializers.CharField(), help_text="other labels on the same offsets"
    )


class EventCandidateOutput(CandidateOutput):
    trigger_start = serializers.IntegerField()
    trigger_end = serializers.IntegerField()
    type = serializers.CharField()
    text = serializers.CharField()
    conflicts = serializers.ListField(
        child=serializers.CharField(), help_text="other event types on the same trigger"
    )


class ArgumentCandidateOutput(serializers.Serializer):
    id = serializers.CharField()
    event = serializers.CharField(help_text="id of the event candidate")
    role = serializers.CharField()
    span = serializers.CharField(allow_null=True, help_text="id of the entity candidate, or:")
    target_event = serializers.CharField(allow_null=True, help_text="id of the event candidate")
    voters = serializers.ListField(child=serializers.CharField())
    agreed = serializers.BooleanField()
    disputed = serializers.BooleanField()


class ReviewOutput(serializers.Serializer):
    document = serializers.IntegerField()
    voters = VoterOutput(many=True)
    entities = EntityCandidateOutput(many=True)
    events = EventCandidateOutput(many=True)
    arguments = ArgumentCandidateOutput(many=True)
    gold = LayerOutput(allow_null=True)


class ReviewInput(serializers.Serializer):
    """The body of an adjudication, for the schema only: the view checks it."""

    action = serializers.ChoiceField(
        ACTIONS,
        help_text="agreed: what at least k annotators have; take: all of one voter; "
        "save: the spans and events sent",
    )
    k = serializers.IntegerField(
        required=False, min_value=1, help_text="agreed: at least this many"
    )
    voter = serializers.CharField(
        required=False, max_length=150, help_text='take: a username or "model"'
    )
    version = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=0,
        help_text="the gold version you loaded (0 or null: there was none); "
        "required for save, optional otherwise",
    )
    spans = SpanInput(many=True, required=False)
    events = EventInput(many=True, required=False)


class DocumentReviewApi(APIView):
    parser_classes = [JSONParser]

    @extend_schema(
        responses=ReviewOutput, examples=[REVIEW], operation_id="documents_review_retrieve"
    )
    def get(self, request: Request, slug: str, pk: int) -> Response:
        """Show the document's submitted layers (and the model's) merged, and its gold layer.

        Owners and reviewers only. Each entity, event and argument lists who has it;
        `agreed` when every annotator does, `disputed` when some do.
        """
        document = document_get_for_reviewer(user=request.user, slug=slug, pk=pk)
        sources = review_sources(document=document)
        return Response(review_output(document, sources, layers_merge(sources.contents)))

    @extend_schema(
        request=ReviewInput,
        responses={200: LayerOutput, 409: STALE_VERSION},
        examples=ADJUDICATE,
        operation_id="documents_review",
    )
    def post(self, request: Request, slug: str, pk: int) -> Response:
        """Write the gold layer: what k annotators agree on, all of one voter, or the body's items.

        Saving with a stale `version` gets 409 with the current one in `extra`; invalid
        items get 400 with every problem in `extra.errors`.
        """
        document = document_get_for_reviewer(user=request.user, slug=slug, pk=pk)
        body = request_object(request)
        action = body.get("action")
        if action not in ACTIONS:
            raise InvalidInput(f"action must be one of {', '.join(ACTIONS)}.")
        version = _version(body.get("version"), required=action == "save")
        sources = review_sources(document=document)
        if action == "save":
            rules = SchemaRules.of(document.corpus.schema)
            layer = sources.gold or Annotation(document=document, kind=Annotation.Kind.GOLD)
            content = layer_content_parse(
                layer=layer,
                version=version or 1,
                spans=body.get("spans"),
                events=body.get("events"),
                rules=rules,
                held=layer_content_read(sources.gold) if sources.gold else None,
            )
            method = "edited"
        else:
            candidates = layers_merge(sources.contents)
            chosen, method = _chosen(candidates, action, body)
            content = content_from(chosen)
        gold = gold_adjudicate(
            document=document,
            user=request.user,
            content=content,
            version=version,
            sources=sources.layer_ids,
            method=method,
        )
        return Response(layer_output(gold))


def _version(raw: Any, *, required: bool) -> int | None:
    if raw is None and not required:
        return None
    if raw is None or not is_integer(raw) or raw < 0:
        message = "version must be the gold version you loaded, or 0 when there was none."
        raise InvalidInput(message, extra={"errors": [{"field": "version", "message": message}]})
    return raw


def _chosen(candidates: Candidates, action: str, body: dict) -> tuple[Candidates, str]:
    if action == "agreed":
        k = body.get("k", len(candidates.humans))
        if not is_integer(k) or k < 1:
            message = "k must be a whole number, 1 or more."
            raise InvalidInput(message, extra={"errors": [{"field": "k", "message": message}]})
        return select_agreed(candidates, k), f"agreed by at least {k}"
    voter = body.get("voter")
    if voter not in candidates.voters:
        message = f"No layer of {voter!r} to take; the voters are {', '.join(candidates.voters)}."
        if not candidates.voters:
            message = "This document has no submitted layer or prediction to take."
        raise InvalidInput(message, extra={"errors": [{"field": "voter", "message": message}]})
    return select_voter(candidates, voter), f"all of {voter}"


def review_output(document: Document, sources: ReviewSources, candidates: Candidates) -> dict:
    """Return the merged view of a document as the API shows it."""
    text = document.text
    return {
        "document": document.pk,
        "voters": [{"name": name, "layer": pk} for name, pk in sources.layer_ids.items()],
        "entities": [
            {
                **_votes(candidate),
                "start": candidate.key[0],
                "end": candidate.key[1],
                "label": candidate.key[2],
                "text": text[candidate.key[0] : candidate.key[1]],
                "conflicts": list(candidate.conflicts),
            }
            for candidate in candidates.entities
        ],
        "events": [
            {
                **_votes(candidate),
                "trigger_start": candidate.key[0],
                "trigger_end": candidate.key[1],
                "type": candidate.key[2],
                "text": text[candidate.key[0] : candidate.key[1]],
                "conflicts": list(candidate.conflicts),
            }
            for candidate in candidates.events
        ],
        "arguments": [_argument(candidate) for candidate in candidates.arguments],
        "gold": None if sources.gold is None else layer_output(sources.gold),
    }


def _votes(candidate: Candidate) -> dict:
    return {
        "id": candidate.id,
        "voters": list(candidate.voters),
        "agreed": candidate.agreed,
        "disputed": candidate.disputed,
        "attributes": candidate.attributes,
        "note": candidate.note,
        "details_from": candidate.details_from,
    }


def _argument(candidate: Candidate) -> dict:
    event, role, (filler_kind, filler) = candidate.key
    filler_id = candidate_id("entity" if filler_kind == "span" else "event", filler)
    return {
        "id": candidate.id,
        "event": candidate_id("event", event),
        "role": role,
        "span": filler_id if filler_kind == "span" else None,
        "target_event": filler_id if filler_kind == "event" else None,
        "voters": list(candidate.voters),
        "agreed": candidate.agreed,
        "disputed": candidate.disputed,
    }
