"""API: one annotation layer, its items in the exchange format: read, save whole (PUT), patch."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from annotations.api import examples
from annotations.api.documents import LayerSummaryOutput
from annotations.api.layer_answer import layer_answer, layer_output
from annotations.layer_json import layer_content_json
from annotations.models import Annotation, Source
from annotations.selectors import layer_get_for_user
from annotations.services.layers import layer_save
from annotations.services.layers.layer_patch import layer_patch
from config.errors import InvalidInput
from config.openapi import STALE_VERSION
from config.parsers import JSONParser


class SpanOutput(serializers.Serializer):
    id = serializers.IntegerField()
    start = serializers.IntegerField()
    end = serializers.IntegerField()
    label = serializers.CharField(help_text="an entity type key of the corpus schema")
    source = serializers.ChoiceField(Source.choices)
    score = serializers.FloatField(allow_null=True)
    accepted = serializers.BooleanField()
    attributes = serializers.DictField()
    note = serializers.CharField()


class ArgumentOutput(serializers.Serializer):
    id = serializers.IntegerField()
    role = serializers.CharField()
    span = serializers.IntegerField(allow_null=True)
    target_event = serializers.IntegerField(allow_null=True)
    index = serializers.IntegerField()
    source = serializers.ChoiceField(Source.choices)
    score = serializers.FloatField(allow_null=True)


class EventOutput(serializers.Serializer):
    id = serializers.IntegerField()
    type = serializers.CharField(help_text="an event type key of the corpus schema")
    trigger_start = serializers.IntegerField()
    trigger_end = serializers.IntegerField()
    source = serializers.ChoiceField(Source.choices)
    score = serializers.FloatField(allow_null=True)
    accepted = serializers.BooleanField()
    attributes = serializers.DictField()
    note = serializers.CharField()
    arguments = ArgumentOutput(many=True)


class RelationOutput(serializers.Serializer):
    id = serializers.IntegerField()
    type = serializers.CharField(help_text="a relation type key of the corpus schema")
    head = serializers.IntegerField(help_text="id of the span the relation goes from")
    tail = serializers.IntegerField(help_text="id of the span the relation goes to")
    source = serializers.ChoiceField(Source.choices)
    score = serializers.FloatField(allow_null=True)
    attributes = serializers.DictField()
    note = serializers.CharField()


class LayerOutput(LayerSummaryOutput):
    document = serializers.IntegerField(source="document_id")
    spans = SpanOutput(many=True)
    events = EventOutput(many=True)
    relations = RelationOutput(many=True)
    labels = serializers.DictField(
        help_text="document labels: {label: [values]} for a label with values, {label: "
        "true/false} for a yes/no one (the schema's document attributes)"
    )

    class Meta(LayerSummaryOutput.Meta):
        fields = [
            *LayerSummaryOutput.Meta.fields,
            *("document", "spans", "events", "relations", "labels"),
        ]


class ArgumentInput(serializers.Serializer):
    role = serializers.CharField(max_length=100, help_text="a role of the event's type")
    span = serializers.JSONField(required=False, help_text="id of a span in this body, or:")
    target_event = serializers.JSONField(required=False, help_text="id of an event in this body")
    source = serializers.ChoiceField(Source.choices, default=Source.HUMAN)
    score = serializers.FloatField(allow_null=True, default=None)


class SpanInput(serializers.Serializer):
    id = serializers.JSONField(required=False, help_text="the id from GET, or a new one: n7")
    start = serializers.IntegerField(min_value=0, help_text="offset in code points")
    end = serializers.IntegerField(min_value=1, help_text="after start, within the text")
    label = serializers.CharField(
        max_length=100, help_text="an entity type key of the corpus schema"
    )
    source = serializers.ChoiceField(Source.choices, default=Source.HUMAN)
    score = serializers.FloatField(allow_null=True, default=None)
    accepted = serializers.BooleanField(required=False, help_text="always true for human items")
    attributes = serializers.DictField(default=dict)
    note = serializers.CharField(default="", allow_blank=True)


class EventInput(serializers.Serializer):
    id = serializers.JSONField(required=False, help_text="the id from GET, or a new one: n7")
    type = serializers.CharField(max_length=100, help_text="an event type key of the corpus schema")
    trigger_start = serializers.IntegerField(min_value=0)
    trigger_end = serializers.IntegerField(min_value=1)
    source = serializers.ChoiceField(Source.choices, default=Source.HUMAN)
    score = serializers.FloatField(allow_null=True, default=None)
    accepted = serializers.BooleanField(required=False, help_text="always true for human items")
    attributes = serializers.DictField(default=dict)
    note = serializers.CharField(default="", allow_blank=True)
    arguments = ArgumentInput(many=True, default=list)


class RelationInput(serializers.Serializer):
    id = serializers.JSONField(required=False, help_text="the id from GET, or a new one: n7")
    type = serializers.CharField(
        max_length=100, help_text="a relation type key of the corpus schema"
    )
    head = serializers.JSONField(
        help_text="id of a span in this body: where the relation goes from"
    )
    tail = serializers.JSONField(help_text="id of another span in this body: where it goes to")
    source = serializers.ChoiceField(Source.choices, default=Source.HUMAN)
    score = serializers.FloatField(allow_null=True, default=None)
    attributes = serializers.DictField(default=dict)
    note = serializers.CharField(default="", allow_blank=True)


class LayerInput(serializers.Serializer):
    """The body of a save, for the schema only: layer_save checks it and lists every problem."""

    version = serializers.IntegerField(min_value=1, help_text="the version you loaded")
    spans = SpanInput(many=True)
    events = EventInput(many=True)
    relations = RelationInput(
        many=True,
        required=False,
        help_text="optional. Sent, it replaces the layer's relations. Left out, the layer "
        "keeps the relations whose two spans are sent back with their ids (clients written "
        "before relations joined the format lose none).",
    )
    labels = serializers.DictField(
        required=False,
        help_text="optional. Sent, it replaces the layer's document labels ({label: [values]}"
        " or {label: true/false}); left out, they are kept.",
    )


class ItemsPatchInput(serializers.Serializer):
    put = serializers.ListField(
        child=serializers.DictField(),
        required=False,
        help_text="items added or replaced, in the format of PUT; an id of the layer's replaces "
        "that item, a new string id (n7) adds one",
    )
    drop = serializers.ListField(
        child=serializers.IntegerField(), required=False, help_text="ids of items removed"
    )


class LayerPatchInput(serializers.Serializer):
    """The body of a patch, for the schema only: layer_patch checks it and lists every problem."""

    version = serializers.IntegerField(min_value=1, help_text="the version you loaded")
    spans = ItemsPatchInput(required=False)
    events = ItemsPatchInput(required=False)
    relations = ItemsPatchInput(required=False)
    labels = serializers.DictField(
        required=False, help_text="optional. Sent, it replaces the document labels."
    )


WRITTEN_IDS = "by kind, the id each new item's key became: {spans: {n7: 1207}}"


class LayerSavedOutput(LayerOutput):
    ids = serializers.DictField(help_text=WRITTEN_IDS)

    class Meta(LayerOutput.Meta):
        fields = [*LayerOutput.Meta.fields, "ids"]


class LayerPatchOutput(serializers.Serializer):
    id = serializers.IntegerField()
    version = serializers.IntegerField()
    updated_at = serializers.DateTimeField()
    ids = serializers.DictField(help_text=WRITTEN_IDS)


class LayerDetailApi(APIView):
    parser_classes = [JSONParser]

    @extend_schema(
        responses=LayerOutput,
        examples=[examples.LAYER_RESPONSE],
        operation_id="annotations_retrieve",
    )
    def get(self, request: Request, pk: int) -> Response:
        """Show one annotation layer with its spans, events and relations."""
        return layer_answer(request, layer_get_for_user(user=request.user, pk=pk))

    @extend_schema(
        request=LayerInput,
        responses={200: LayerSavedOutput, 409: STALE_VERSION},
        examples=[
            examples.LAYER_SAVE,
            examples.LAYER_SAVE_RELATIONS,
            examples.LAYER_SAVE_LABELS,
            examples.LAYER_SAVED,
        ],
        operation_id="annotations_update",
    )
    def put(self, request: Request, pk: int) -> Response:
        """Replace the layer's items, if it is still at the version you loaded.

        Send back what GET gave, edited; new items take string ids ("n7"), which arguments
        and relations may refer to. `relations` is optional: without it the layer keeps its
        relations between spans sent back with their ids; with it they are replaced, and
        each relation's type must take its head's and tail's entity types. A stale version
        gets 409 with the current one in `extra`; invalid items get 400 with every problem
        in `extra.errors` as {"field", "message"} (`relations[0].head`, say). `labels` (the
        document labels) is optional too: left out, they are kept. The answer is the layer as
        saved, with `ids`: the id each new item's key became. PATCH saves only what changed.
        """
        layer = layer_get_for_user(user=request.user, pk=pk)
        body = request_object(request)
        layer = layer_save(layer=layer, user=request.user, **_content_sent(body))
        return Response({**layer_output(layer), "ids": _written_ids(layer)})

    @extend_schema(
        request=LayerPatchInput,
        responses={200: LayerPatchOutput, 409: STALE_VERSION},
        examples=[examples.LAYER_PATCH, examples.LAYER_PATCHED],
        operation_id="annotations_partial_update",
    )
    def patch(self, request: Request, pk: int) -> Response:
        """Save what changed: items put (added or replaced by id) and dropped, by kind.

        The editor's save: a patch costs what it changes where PUT costs the whole layer.
        Items not named stay as they are; an item of the layer named in `put` is replaced,
        any other id adds one, and `ids` in the answer gives the database id each new
        item's key became. What refers to an item changed or dropped is checked again:
        dropping a span an argument fills is refused unless the patch changes that event
        too. Locking, 409 and 400 as PUT; problems name their place in the patch
        (`spans.put[1].label`) or the layer's item checked again (`events[id=40]`).
        """
        layer = layer_get_for_user(user=request.user, pk=pk)
        body = request_object(request)
        layer = layer_patch(layer=layer, user=request.user, **_content_sent(body))
        layer_content_json(layer)  # kept for the next open of this version
        return Response(
            {
                "id": layer.pk,
                "version": layer.version,
                "updated_at": layer.updated_at,
                "ids": _written_ids(layer),
            }
        )


def _content_sent(body: dict) -> dict:
    """The fields of a save's body (PUT or PATCH) as the service takes them; None if left out."""
    return {name: body.get(name) for name in ("version", "spans", "events", "relations", "labels")}


def _written_ids(layer: Annotation) -> dict[str, dict[str, int]]:
    """By kind, the database id each item sent under another key (a new item's "n7") got."""
    return {
        kind: {str(key): pk for key, pk in written.items() if isinstance(key, str | int)}
        for kind, written in layer.written_ids.items()
    }


def request_object(request: Request) -> dict:
    """Return the JSON object a request sent, or raise InvalidInput."""
    if not isinstance(request.data, dict):
        raise InvalidInput("Send a JSON object as the request body.")
    return request.data
