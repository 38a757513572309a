"""API: the figures of a corpus's dashboard (owners and reviewers)."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from corpus.selectors import corpus_get_for_user
from review.access import corpus_require_reviewing
from review.api.examples import DASHBOARD
from review.dashboard import dashboard_data, dashboard_read


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


class PairOutput(serializers.Serializer):
    first = serializers.CharField()
    second = serializers.CharField()
    documents = serializers.IntegerField(help_text="documents both submitted")
    scores = serializers.DictField(
        child=serializers.FloatField(allow_null=True),
        help_text="overall F1 per measure (kappa for token_kappa); see the agreement API",
    )


class DashboardOutput(serializers.Serializer):
    states = serializers.DictField(
        child=serializers.IntegerField(), help_text="documents per state, in state order"
    )
    annotators = AnnotatorOutput(many=True)
    entities = serializers.DictField(
        child=serializers.DictField(child=serializers.IntegerField()),
        help_text='entities by type, per layer kind: {"gold": {"PER": 12}, "annotator": {...}}',
    )
    events = serializers.DictField(
        child=serializers.DictField(child=serializers.IntegerField()),
        help_text="events by type, per layer kind",
    )
    pairs = PairOutput(many=True)
    models = serializers.DictField(
        child=serializers.DictField(child=serializers.FloatField(allow_null=True)),
        help_text="each model's exact entity F1 per label against gold",
    )


class DashboardApi(APIView):
    @extend_schema(
        responses=DashboardOutput, examples=[DASHBOARD], operation_id="corpora_dashboard"
    )
    def get(self, request: Request, slug: str) -> Response:
        """Show who did what and how fast, and the labels of the finished layers."""
        corpus = corpus_get_for_user(user=request.user, slug=slug)
        corpus_require_reviewing(user=request.user, corpus=corpus)
        return Response(DashboardOutput(dashboard_data(dashboard_read(corpus=corpus))).data)
