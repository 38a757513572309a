"""API: a corpus's documents with their status, one document with its visible layers, one layer."""

from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from annotations.api import examples
from annotations.document_search import (
    MAX_NAME,
    MAX_QUERY,
    SORTS,
    document_search_page,
    document_search_parse,
)
from annotations.models import Annotation
from annotations.selectors import (
    DocumentState,
    layers_visible_to,
)
from corpus.selectors import corpus_get_for_user, document_get_for_user


class DocumentRowOutput(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    external_id = serializers.CharField()
    title = serializers.CharField()
    source = serializers.CharField()
    characters = serializers.IntegerField()
    preview = serializers.CharField()
    status = serializers.CharField(
        help_text="deprecated, use state: new, pre-annotated, in progress, submitted or gold"
    )
    state = serializers.ChoiceField(
        DocumentState.ALL,
        help_text="new, pre-annotated, in progress, annotated (enough layers submitted), reviewed",
    )
    entity_count = serializers.IntegerField()
    event_count = serializers.IntegerField()


class DocumentPageOutput(serializers.Serializer):
    results = DocumentRowOutput(many=True, source="documents")
    next_after = serializers.IntegerField(allow_null=True)


class DocumentListApi(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter(
                "after",
                {"type": "integer", "minimum": 0, "maximum": 2**63 - 1},
                description="id of the last document seen (`next_after` of the page before)",
            ),
            OpenApiParameter(
                "q",
                {"type": "string", "maxLength": MAX_QUERY},
                description="words to find in the title, external id, text or metadata",
                examples=[OpenApiExample("words", value="earthquake Chile")],
            ),
            OpenApiParameter(
                "state", str, enum=DocumentState.ALL, description="only documents in this state"
            ),
            OpenApiParameter(
                "annotator",
                {"type": "string", "maxLength": MAX_NAME},
                description="only documents with a layer by this username",
            ),
            OpenApiParameter(
                "label",
                {"type": "string", "maxLength": MAX_NAME},
                description="only documents with a span of this entity type key (any layer)",
            ),
            OpenApiParameter(
                "event_type",
                {"type": "string", "maxLength": MAX_NAME},
                description="only documents with an event of this type key (any layer)",
            ),
            OpenApiParameter(
                "score_below",
                {"type": "number", "minimum": 0, "maximum": 1},
                description="only documents with a predicted span or event scored below this",
            ),
            OpenApiParameter(
                "sort",
                str,
                enum=SORTS,
                description="order (id, the default), title, imported (newest first) or "
                "score (lowest prediction score first, unscored last)",
            ),
        ],
        responses=DocumentPageOutput,
        examples=[examples.DOCUMENT_PAGE],
        operation_id="documents_list",
    )
    def get(self, request: Request, slug: str) -> Response:
        """List a corpus's documents, 50 at a time; pass `next_after` as `after`.

        `q` searches title, external id, text and metadata; `state`, `annotator`, `label`,
        `event_type` and `score_below` filter; `sort` orders. Keep the same parameters when
        passing `after`. A bad value is a 400 naming the parameter.
        """
        corpus = corpus_get_for_user(user=request.user, slug=slug)
        search, after = document_search_parse(request.query_params)
        page = document_search_page(corpus=corpus, search=search, after=after)
        return Response(DocumentPageOutput(page).data)


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
    @extend_schema(
        responses=DocumentOutput, examples=[examples.DOCUMENT], operation_id="documents_retrieve"
    )
    def get(self, request: Request, slug: str, pk: int) -> Response:
        """Show a document: text (offsets are code points), tokens, sentences and layers."""
        document = document_get_for_user(user=request.user, slug=slug, pk=pk)
        document.layers = layers_visible_to(user=request.user, document=document)
        return Response(DocumentOutput(document).data)
