"""API: delete a selection of a corpus's documents, after reading what it removes (owners)."""

from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from annotations.document_selection import MAX_LENGTH, selection_parse
from annotations.services.document_delete import documents_delete, documents_delete_preview
from config.openapi import error
from config.parsers import JSONParser
from corpus.models import Membership
from corpus.selectors import corpus_get_for_user, corpus_require_role

DOCUMENTS_HELP = (
    "the documents: the document list's query string (q=Homs&state=new) or ids=3,4,5;"
    " empty means every document of the corpus"
)


class DeletePreviewOutput(serializers.Serializer):
    documents = serializers.IntegerField(help_text="pass this as `expected` to delete them")
    predictions = serializers.IntegerField()
    annotator_layers = serializers.IntegerField()
    gold_layers = serializers.IntegerField()
    reviewed = serializers.IntegerField(help_text="gold layers reviewed")
    entities = serializers.IntegerField()
    events = serializers.IntegerField()


class DeleteInput(serializers.Serializer):
    documents = serializers.CharField(
        allow_blank=True, max_length=MAX_LENGTH, help_text=DOCUMENTS_HELP
    )
    expected = serializers.IntegerField(
        min_value=1, help_text="the number of documents the preview counted; 409 if it changed"
    )


class DeleteOutput(serializers.Serializer):
    deleted = serializers.IntegerField()


class DocumentDeleteApi(APIView):
    parser_classes = [JSONParser]

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "documents",
                {"type": "string", "maxLength": MAX_LENGTH},
                description=DOCUMENTS_HELP,
                examples=[OpenApiExample("a search", value="q=draft&state=new")],
            )
        ],
        responses=DeletePreviewOutput,
        examples=[
            OpenApiExample(
                "twelve new documents",
                value={
                    "documents": 12,
                    "predictions": 12,
                    "annotator_layers": 0,
                    "gold_layers": 0,
                    "reviewed": 0,
                    "entities": 187,
                    "events": 41,
                },
                response_only=True,
            )
        ],
        operation_id="documents_delete_preview",
    )
    def get(self, request: Request, slug: str) -> Response:
        """Count what deleting the selected documents would remove; nothing is deleted."""
        corpus = corpus_get_for_user(user=request.user, slug=slug)
        corpus_require_role(user=request.user, corpus=corpus, role=Membership.Role.OWNER)
        selection = selection_parse(request.query_params.get("documents"))
        preview = documents_delete_preview(corpus=corpus, selection=selection)
        return Response(DeletePreviewOutput(preview.as_dict()).data)

    @extend_schema(
        request=DeleteInput,
        responses={
            200: DeleteOutput,
            409: error(
                "The selection holds another number of documents than `expected` now"
                " (`extra.documents`); nothing was deleted.",
                "The selection holds 11 documents now, not the 12 you confirmed; look at the"
                " preview again.",
                field="expected",
                documents=11,
            ),
        },
        examples=[
            OpenApiExample(
                "the new documents matching a search",
                value={"documents": "q=draft&state=new", "expected": 12},
                request_only=True,
            )
        ],
        operation_id="documents_delete",
    )
    def post(self, request: Request, slug: str) -> Response:
        """Delete the selected documents with their layers, once `expected` matches the count.

        409 when the selection holds another number of documents than `expected` (read the
        preview again); nothing is deleted then.
        """
        corpus = corpus_get_for_user(user=request.user, slug=slug)
        corpus_require_role(user=request.user, corpus=corpus, role=Membership.Role.OWNER)
        data = DeleteInput(data=request.data)
        data.is_valid(raise_exception=True)
        deleted = documents_delete(
            corpus=corpus,
            selection=selection_parse(data.validated_data["documents"]),
            expected=data.validated_data["expected"],
            actor=request.user,
        )
        return Response({"deleted": deleted})
