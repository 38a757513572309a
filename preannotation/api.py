"""API: start, follow and resume pre-annotation runs of a corpus."""

from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from annotations.document_selection import selection_parse
from corpus.models import Membership
from corpus.selectors import corpus_get_for_user, corpus_require_role
from preannotation.models import PreannotationFailure, PreannotationRun
from preannotation.selectors import run_get_for_user
from preannotation.services import preannotation_resume, preannotation_start
from preannotation.tasks import run_enqueue

FAILURES_SHOWN = 50

RUN = OpenApiExample(
    "a run",
    value={
        "id": 12,
        "status": "running",
        "pipeline": "en_core_web_sm",
        "model_name": "core_web_sm",
        "model_version": "3.8.0",
        "only_missing": True,
        "total": 1250,
        "processed": 480,
        "failed": 1,
        "entities": 9120,
        "events": 2210,
        "requested_by": "olivia-owner",
        "created_at": "2026-03-02T09:00:00Z",
        "finished_at": None,
        "failures": [
            {"document": 77, "document_name": "reuters-0077", "message": "Text is empty."}
        ],
    },
    response_only=True,
    status_codes=["200", "202"],
)


class FailureOutput(serializers.ModelSerializer):
    document_name = serializers.CharField(source="document.display_name")

    class Meta:
        model = PreannotationFailure
        fields = ["document", "document_name", "message"]


class RunOutput(serializers.ModelSerializer):
    status = serializers.CharField()
    failed = serializers.IntegerField()
    failures = serializers.SerializerMethodField()
    requested_by = serializers.CharField(
        source="requested_by.get_username", allow_null=True, default=None
    )

    class Meta:
        model = PreannotationRun
        fields = [
            "id", "status", "pipeline", "model_name", "model_version", "only_missing", "total",
            "processed", "failed", "entities", "events", "requested_by", "created_at",
            "finished_at", "failures",
        ]  # fmt: skip

    def get_failures(self, run: PreannotationRun) -> list[dict]:
        failures = run.failures.select_related("document")[:FAILURES_SHOWN]
        return FailureOutput(failures, many=True).data


class RunStartInput(serializers.Serializer):
    only_missing = serializers.BooleanField(
        default=False, help_text="only documents without a layer from this model and version"
    )
    documents = serializers.CharField(
        required=False,
        default="",
        allow_blank=True,
        max_length=100_000,
        help_text="only these documents: the document list's query string (q=Homs&state=new)"
        " or ids=3,4,5 (the whole corpus if empty)",
    )


class RunListApi(APIView):
    @extend_schema(
        responses=RunOutput(many=True), examples=[RUN], operation_id="preannotation_runs_list"
    )
    def get(self, request: Request, slug: str) -> Response:
        """List the corpus's pre-annotation runs, newest first (the last 20)."""
        corpus = corpus_get_for_user(user=request.user, slug=slug)
        return Response(RunOutput(corpus.preannotation_runs.all()[:20], many=True).data)

    @extend_schema(
        request=RunStartInput,
        responses={202: RunOutput},
        examples=[
            OpenApiExample(
                "only documents without this model's predictions",
                value={"only_missing": True},
                request_only=True,
            ),
            OpenApiExample(
                "again, on the documents of a search",
                value={"documents": "q=Homs&state=pre-annotated"},
                request_only=True,
            ),
            RUN,
        ],
        operation_id="preannotation_runs_create",
    )
    def post(self, request: Request, slug: str) -> Response:
        """Queue pre-annotation of the corpus, or of a selection of it, for the workers (owners)."""
        corpus = corpus_get_for_user(user=request.user, slug=slug)
        corpus_require_role(user=request.user, corpus=corpus, role=Membership.Role.OWNER)
        data = RunStartInput(data=request.data)
        data.is_valid(raise_exception=True)
        run = preannotation_start(
            corpus=corpus,
            user=request.user,
            only_missing=data.validated_data["only_missing"],
            selection=selection_parse(data.validated_data["documents"]),
        )
        run_enqueue(run)
        return Response(RunOutput(run).data, status=status.HTTP_202_ACCEPTED)


class RunDetailApi(APIView):
    @extend_schema(responses=RunOutput, examples=[RUN], operation_id="preannotation_runs_retrieve")
    def get(self, request: Request, slug: str, pk: int) -> Response:
        """Show a run's progress: documents done out of total, failures, model."""
        run = run_get_for_user(user=request.user, slug=slug, pk=pk)
        return Response(RunOutput(run).data)


class RunResumeApi(APIView):
    @extend_schema(
        request=None,
        responses={202: RunOutput},
        examples=[RUN],
        operation_id="preannotation_runs_resume",
    )
    def post(self, request: Request, slug: str, pk: int) -> Response:
        """Queue again what a run has not done, failed documents included (owners only)."""
        run = run_get_for_user(user=request.user, slug=slug, pk=pk)
        corpus_require_role(user=request.user, corpus=run.corpus, role=Membership.Role.OWNER)
        preannotation_resume(run=run)
        run_enqueue(run)
        run.refresh_from_db()
        return Response(RunOutput(run).data, status=status.HTTP_202_ACCEPTED)
