"""API: the figures of a corpus's dashboard (owners and reviewers)."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from corpus.selectors import corpus_get_for_user
from review.access import corpus_require_reviewing
from review.dashboard import dashboard_data


class AnnotatorOutput(serializers.Serializer):
    username = serializers.CharField()
    submitted = serializers.IntegerField()
    draft = serializers.IntegerField()
    skipped = serializers.IntegerField()
    median_seconds = serializers.FloatField(
        allow_null=True, help_text="median time from opening a document to its last save"
    )
    per_hour = serializers.FloatField(
        allow_null=True, help_text="documents submitted per hour of editing"
    )


class DashboardOutput(serializers.Serializer):
    annotators = AnnotatorOutput(many=True)
    entities = serializers.DictField(
        child=serializers.DictField(child=serializers.IntegerField()),
        help_text='entities by type, per layer kind: {"gold": {"PER": 12}, "annotator": {...}}',
    )
    events = serializers.DictField(
        child=serializers.DictField(child=serializers.IntegerField()),
        help_text="events by type, per layer kind",
    )


class DashboardApi(APIView):
    @extend_schema(responses=DashboardOutput, operation_id="corpora_dashboard")
    def get(self, request: Request, slug: str) -> Response:
        """Show who did what and how fast, and the labels of the finished layers."""
        corpus = corpus_get_for_user(user=request.user, slug=slug)
        corpus_require_reviewing(user=request.user, corpus=corpus)
        return Response(DashboardOutput(dashboard_data(corpus=corpus)).data)
