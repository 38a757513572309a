"""API: open your own layer of a document, submit or skip it, its revisions, the next document."""

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from annotations.api import examples
from annotations.api.layer_answer import layer_answer
from annotations.api.layer_detail import LayerOutput, request_object
from annotations.history import revision_get, revision_list, revision_snapshot
from annotations.models import Annotation, Revision
from annotations.queue import (
    corpus_require_annotating,
    document_next_for_annotator,
    reservation_release,
)
from annotations.selectors import keyset_cursor, layer_get_for_user
from annotations.services.layers import annotator_layer_open, layer_finish
from config.openapi import STALE_VERSION, error
from config.parsers import JSONParser
from corpus.models import Corpus, Document
from corpus.selectors import corpus_get_for_user, document_get_for_user


class NextDocumentOutput(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    url = serializers.CharField(help_text="the editor page of the document")


class NextOutput(serializers.Serializer):
    next = NextDocumentOutput(allow_null=True)


def next_output(corpus: Corpus, document: Document | None) -> dict | None:
    """Return how the API names the next document to annotate: id, title and editor URL."""
    if document is None:
        return None
    return {
        "id": document.pk,
        "title": document.display_name,
        "url": reverse("document-annotate", kwargs={"slug": corpus.slug, "pk": document.pk}),
    }


class MyLayerApi(APIView):
    @extend_schema(
        request=None,
        responses={200: LayerOutput, 201: LayerOutput},
        examples=[examples.LAYER_RESPONSE],
        operation_id="documents_my_layer",
    )
    def post(self, request: Request, slug: str, pk: int) -> Response:
        """Open your own layer of the document (annotators and reviewers), and reserve it.

        The first time it is a copy of the newest predictions (201); after that it is the
        layer as you left it (200). While your layer is a draft, opening it holds the document
        for you for the corpus's reservation time (saving renews it; submit or skip lets go).
        """
        document = document_get_for_user(user=request.user, slug=slug, pk=pk, tokens=False)
        layer, created = annotator_layer_open(document=document, user=request.user)
        code = status.HTTP_201_CREATED if created else status.HTTP_200_OK
        return layer_answer(request, layer, status=code)


class FinishInput(serializers.Serializer):
    version = serializers.IntegerField(help_text="the version you loaded; save first")


class SubmitInput(FinishInput):
    accept_pending = serializers.BooleanField(
        required=False,
        default=False,
        help_text="accept every prediction not yet accepted, then submit (else 409 with the count)",
    )


class FinishOutput(NextOutput):
    status = serializers.CharField()
    version = serializers.IntegerField()


class LayerFinishApi(APIView):
    parser_classes = [JSONParser]
    finish_as: str

    def post(self, request: Request, pk: int) -> Response:
        layer = layer_get_for_user(user=request.user, pk=pk)
        body = request_object(request)
        endorsement = {}
        if self.finish_as == Annotation.Status.SUBMITTED:
            endorsement["accept_pending"] = body.get("accept_pending", False)
        layer = layer_finish(
            layer=layer,
            user=request.user,
            version=body.get("version"),
            status=self.finish_as,
            **endorsement,
        )
        reservation_release(document=layer.document, user=request.user)
        corpus = layer.document.corpus
        document = document_next_for_annotator(
            corpus=corpus, user=request.user, after=layer.document_id
        )
        return Response(
            {
                "status": layer.status,
                "version": layer.version,
                "next": next_output(corpus, document),
            }
        )


class LayerSubmitApi(LayerFinishApi):
    finish_as = Annotation.Status.SUBMITTED

    @extend_schema(
        request=SubmitInput,
        responses={
            200: FinishOutput,
            409: error(
                "The layer was saved since (as on PUT), or predictions wait to be accepted "
                "(`extra.pending`) and `accept_pending` is not true.",
                "3 predictions not reviewed: accept them all and submit, or go back.",
                pending=3,
            ),
        },
        examples=[examples.SUBMIT, examples.FINISHED],
        operation_id="annotations_submit",
    )
    def post(self, request: Request, pk: int) -> Response:
        """Submit your layer as saved at `version`; answer with the next document to do.

        Submitting endorses every item: while predictions wait to be accepted the answer is
        409 with their number in `extra.pending`, unless `accept_pending` is true, which
        accepts them all first (the layer's next version, recorded in its `origin`).
        """
        return super().post(request, pk)


class LayerSkipApi(LayerFinishApi):
    finish_as = Annotation.Status.SKIPPED

    @extend_schema(
        request=FinishInput,
        responses={200: FinishOutput, 409: STALE_VERSION},
        examples=[examples.FINISH, examples.FINISHED],
        operation_id="annotations_skip",
    )
    def post(self, request: Request, pk: int) -> Response:
        """Skip the document, leaving your layer as saved at `version`; answer with the next."""
        return super().post(request, pk)


class RevisionSummaryOutput(serializers.ModelSerializer):
    user = serializers.CharField(source="user.get_username", allow_null=True, default=None)
    spans = serializers.IntegerField(source="span_count")
    events = serializers.IntegerField(source="event_count")

    class Meta:
        model = Revision
        fields = ["version", "user", "created_at", "spans", "events"]


class RevisionOutput(serializers.ModelSerializer):
    user = serializers.CharField(source="user.get_username", allow_null=True, default=None)
    snapshot = serializers.SerializerMethodField(
        help_text="the layer's content then, in the format GET and PUT use"
    )

    class Meta:
        model = Revision
        fields = ["version", "user", "created_at", "snapshot"]

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_snapshot(self, revision: Revision) -> dict:
        return revision_snapshot(revision)


class RevisionListApi(APIView):
    @extend_schema(
        responses=RevisionSummaryOutput(many=True),
        examples=[examples.REVISIONS],
        operation_id="annotations_revisions_list",
    )
    def get(self, request: Request, pk: int) -> Response:
        """List the layer's saved versions, newest first, with how many spans and events."""
        layer = layer_get_for_user(user=request.user, pk=pk)
        return Response(RevisionSummaryOutput(revision_list(layer=layer), many=True).data)


class RevisionDetailApi(APIView):
    @extend_schema(
        responses=RevisionOutput,
        examples=[examples.REVISION],
        operation_id="annotations_revisions_retrieve",
    )
    def get(self, request: Request, pk: int, version: int) -> Response:
        """Show the layer's content as saved at `version`, in the format GET and PUT use."""
        layer = layer_get_for_user(user=request.user, pk=pk)
        return Response(RevisionOutput(revision_get(layer=layer, version=version)).data)


class NextDocumentApi(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter(
                "after",
                {"type": "integer", "minimum": 0, "maximum": 2**63 - 1},
                description="the document you are on; 0 to start",
            )
        ],
        responses=NextOutput,
        examples=[examples.NEXT],
        operation_id="corpora_next_document",
    )
    def get(self, request: Request, slug: str) -> Response:
        """Name and reserve the next document for you to annotate after `after`, or null.

        A document you hold comes back first; then the corpus's queue order after `after`,
        wrapping round. Asking for the one after `after` lets go of your hold on `after`.
        """
        corpus = corpus_get_for_user(user=request.user, slug=slug)
        corpus_require_annotating(user=request.user, corpus=corpus)
        document = document_next_for_annotator(
            corpus=corpus, user=request.user, after=keyset_cursor(request.query_params.get("after"))
        )
        return Response({"next": next_output(corpus, document)})
