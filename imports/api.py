"""API: follow an import job (what the status page polls)."""

from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from imports.models import ImportJob
from imports.selectors import import_job_get_for_user


class ImportJobOutput(serializers.ModelSerializer):
    corpus = serializers.CharField(source="corpus.slug")
    # A plain string: a second enum named "status" would collide in the OpenAPI schema.
    status = serializers.CharField(help_text="queued, running, done or failed")
    created_by = serializers.CharField(
        source="created_by.get_username", allow_null=True, default=None
    )
    finished = serializers.BooleanField()
    percent_read = serializers.IntegerField()
    problems_count = serializers.IntegerField(help_text="Problems stored (the CSV lists them).")

    class Meta:
        model = ImportJob
        fields = [
            "id", "corpus", "status", "finished", "format", "format_detected", "file_names",
            "options", "total_bytes", "bytes_read", "percent_read", "created", "duplicates",
            "failed", "warnings", "layers", "problems_count", "message", "created_by",
            "created_at", "started_at", "finished_at",
        ]  # fmt: skip


class ImportJobDetailApi(APIView):
    @extend_schema(
        responses=ImportJobOutput,
        examples=[
            OpenApiExample(
                "an import under way",
                value={
                    "id": 9,
                    "corpus": "news",
                    "status": "running",
                    "finished": False,
                    "format": "auto",
                    "format_detected": "jsonl",
                    "file_names": ["wire-2026-03.jsonl"],
                    "options": {"layer": "prediction", "label_map": {}, "cleaning": {}},
                    "total_bytes": 5242880,
                    "bytes_read": 2621440,
                    "percent_read": 50,
                    "created": 610,
                    "duplicates": 4,
                    "failed": 1,
                    "warnings": 2,
                    "layers": 0,
                    "problems_count": 3,
                    "message": "",
                    "created_by": "olivia-owner",
                    "created_at": "2026-03-02T09:00:00Z",
                    "started_at": "2026-03-02T09:00:02Z",
                    "finished_at": None,
                },
                response_only=True,
            )
        ],
        operation_id="imports_retrieve",
    )
    def get(self, request: Request, pk: int) -> Response:
        """Show an import's progress: status, counts, bytes read of the total (owners)."""
        job = import_job_get_for_user(user=request.user, pk=pk)
        return Response(ImportJobOutput(job).data)
