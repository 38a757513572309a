"""API: train a corpus's model from its gold, follow the training, compare and activate versions."""

from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from corpus.models import Membership
from corpus.selectors import corpus_get_for_user, corpus_require_role
from learning.models import ModelVersion
from learning.selectors import model_version_get_for_user
from learning.services import model_activate, training_start
from learning.tasks import training_enqueue

VERSION = OpenApiExample(
    "a trained version",
    value={
        "number": 3,
        "status": "proposed",
        "active": False,
        "base_model": "core_web_sm 3.8.0",
        "fingerprint": "5d41402abc4b2a76b9719d911017c592…",
        "gold_documents": 40,
        "held_out_documents": 8,
        "message": "Better: F1 0.781 against 0.642 for the active v2 on 8 held-out documents "
        "(+0.139).",
        "scores": {"documents": 8, "base": "…", "current": "…", "candidate": "…"},
        "progress": {},
        "seconds": 41.2,
        "requested_by": "olivia-owner",
        "created_at": "2026-03-02T09:00:00Z",
        "finished_at": "2026-03-02T09:00:41Z",
    },
    response_only=True,
    status_codes=["200", "202"],
)


class VersionOutput(serializers.ModelSerializer):
    gold_documents = serializers.SerializerMethodField()
    held_out_documents = serializers.SerializerMethodField()
    requested_by = serializers.CharField(
        source="requested_by.get_username", allow_null=True, default=None
    )

    class Meta:
        model = ModelVersion
        fields = [
            "number", "status", "active", "base_model", "fingerprint", "gold_documents",
            "held_out_documents", "message", "scores", "progress", "seconds", "requested_by",
            "created_at", "finished_at",
        ]  # fmt: skip

    def get_gold_documents(self, version: ModelVersion) -> int:
        return len(version.gold)

    def get_held_out_documents(self, version: ModelVersion) -> int:
        return sum(1 for *_, held in version.gold if held)


class TrainInput(serializers.Serializer):
    activate_if_better = serializers.BooleanField(
        default=False, help_text="activate it when it beats the active version on held-out gold"
    )


class VersionListApi(APIView):
    @extend_schema(responses=VersionOutput(many=True), examples=[VERSION])
    def get(self, request: Request, slug: str) -> Response:
        """List the corpus's model versions, newest first, with their held-out scores."""
        corpus = corpus_get_for_user(user=request.user, slug=slug)
        return Response(VersionOutput(corpus.model_versions.all()[:50], many=True).data)

    @extend_schema(request=TrainInput, responses={202: VersionOutput}, examples=[VERSION])
    def post(self, request: Request, slug: str) -> Response:
        """Train the next version from the corpus's reviewed gold, in the background (owners)."""
        corpus = corpus_get_for_user(user=request.user, slug=slug)
        corpus_require_role(user=request.user, corpus=corpus, role=Membership.Role.OWNER)
        data = TrainInput(data=request.data)
        data.is_valid(raise_exception=True)
        version = training_start(corpus=corpus, user=request.user)
        training_enqueue(version, activate_if_better=data.validated_data["activate_if_better"])
        return Response(VersionOutput(version).data, status=status.HTTP_202_ACCEPTED)


class VersionDetailApi(APIView):
    @extend_schema(responses=VersionOutput, examples=[VERSION])
    def get(self, request: Request, slug: str, number: int) -> Response:
        """Show one version: its training progress, then its scores and verdict."""
        version = model_version_get_for_user(user=request.user, slug=slug, number=number)
        return Response(VersionOutput(version).data)


class VersionActivateApi(APIView):
    @extend_schema(request=None, responses=VersionOutput, examples=[VERSION])
    def post(self, request: Request, slug: str, number: int) -> Response:
        """Make this version pre-annotate the corpus from now on (owners)."""
        version = model_version_get_for_user(user=request.user, slug=slug, number=number)
        corpus_require_role(user=request.user, corpus=version.corpus, role=Membership.Role.OWNER)
        return Response(VersionOutput(model_activate(version=version)).data)
