"""API: one document with its text, tokens and visible layers; one layer with its items."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from annotations.models import Annotation, Argument, Event, Span
from annotations.selectors import (
    layer_events,
    layer_get_for_user,
    layer_spans,
    layers_visible_to,
)
from corpus.selectors import document_get_for_user


class LayerSummaryOutput(serializers.ModelSerializer):
    user = serializers.CharField(source="user.get_username", allow_null=True, default=None)

    class Meta:
        model = Annotation
        fields = [
            "id", "kind", "status", "version", "model_name", "model_version", "user",
            "origin", "updated_at",
        ]  # fmt: skip


class DocumentOutput(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    corpus = serializers.CharField(source="corpus.slug")
    external_id = serializers.CharField()
    title = serializers.CharField()
    text = serializers.CharField()
    source = serializers.CharField()
    url = serializers.CharField()
    published = serializers.DateField(allow_null=True)
    metadata = serializers.JSONField()
    tokens = serializers.JSONField()
    sentences = serializers.JSONField()
    layers = LayerSummaryOutput(many=True)


class DocumentDetailApi(APIView):
    @extend_schema(responses=DocumentOutput, operation_id="documents_retrieve")
    def get(self, request: Request, slug: str, pk: int) -> Response:
        """Show a document: text (offsets are code points), tokens, sentences and layers."""
        document = document_get_for_user(user=request.user, slug=slug, pk=pk)
        document.layers = layers_visible_to(user=request.user, document=document)
        return Response(DocumentOutput(document).data)


class SpanOutput(serializers.ModelSerializer):
    label = serializers.CharField(source="entity_type.key")

    class Meta:
        model = Span
        fields = ["id", "start", "end", "label", "source", "score", "attributes", "note"]


class ArgumentOutput(serializers.ModelSerializer):
    role = serializers.CharField(source="role.key")

    class Meta:
        model = Argument
        fields = ["id", "role", "span", "target_event", "index", "source", "score"]


class EventOutput(serializers.ModelSerializer):
    type = serializers.CharField(source="event_type.key")
    arguments = ArgumentOutput(many=True)

    class Meta:
        model = Event
        fields = [
            "id", "type", "trigger_start", "trigger_end", "source", "score", "attributes",
            "note", "arguments",
        ]  # fmt: skip


class LayerOutput(LayerSummaryOutput):
    document = serializers.IntegerField(source="document_id")
    spans = SpanOutput(many=True, source="span_list")
    events = EventOutput(many=True, source="event_list")

    class Meta(LayerSummaryOutput.Meta):
        fields = [*LayerSummaryOutput.Meta.fields, "document", "spans", "events"]


class LayerDetailApi(APIView):
    @extend_schema(responses=LayerOutput, operation_id="annotations_retrieve")
    def get(self, request: Request, pk: int) -> Response:
        """Show one annotation layer with its spans."""
        layer = layer_get_for_user(user=request.user, pk=pk)
        layer.span_list = layer_spans(layer)
        layer.event_list = layer_events(layer)
        return Response(LayerOutput(layer).data)
