"""API: a corpus's agreement (annotator pairs, models against gold) as JSON or a CSV download."""

import csv
import io

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from review.agreement import ALL_PAIRS, MEASURES, MODEL, PAIR, report_csv_rows
from review.api.examples import AGREEMENT, AGREEMENT_CSV
from review.selectors import corpus_agreement, corpus_get_for_reviewer


class MeasureOutput(serializers.Serializer):
    measure = serializers.ChoiceField(choices=MEASURES)
    label = serializers.CharField(
        allow_null=True,
        help_text="entity type, event type (trigger) or role (argument); null: all labels",
    )
    matched = serializers.IntegerField(allow_null=True, help_text="items both sides have")
    reference_count = serializers.IntegerField(
        allow_null=True, help_text="items of the reference (gold, or the pair's first annotator)"
    )
    other_count = serializers.IntegerField(allow_null=True, help_text="items of the other side")
    precision = serializers.FloatField(
        allow_null=True, help_text="matched / other_count; models only"
    )
    recall = serializers.FloatField(
        allow_null=True, help_text="matched / reference_count; models only"
    )
    f1 = serializers.FloatField(
        allow_null=True,
        help_text="2 * matched / (reference_count + other_count); null when both are empty",
    )
    kappa = serializers.FloatField(
        allow_null=True,
        help_text="token_kappa: Cohen's kappa (per label: that label against the rest); "
        "null when undefined",
    )
    observed = serializers.FloatField(
        allow_null=True, help_text="token_kappa: share of tokens labelled alike"
    )
    tokens = serializers.IntegerField(allow_null=True, help_text="token_kappa: tokens compared")


class ComparisonOutput(serializers.Serializer):
    # A plain string: a choice field named `kind` would collide with the layers' enum.
    kind = serializers.CharField(
        help_text=f"{PAIR}: two annotators; {ALL_PAIRS}: every pair's counts added up; "
        f"{MODEL}: a model against gold"
    )
    reference = serializers.CharField(help_text='an annotator, "gold", or "*" for all pairs')
    other = serializers.CharField(help_text='an annotator, a model name, or "*"')
    documents = serializers.IntegerField(help_text="documents both sides annotated")
    measures = MeasureOutput(many=True)


class AgreementOutput(serializers.Serializer):
    corpus = serializers.CharField()
    measures = serializers.DictField(
        child=serializers.CharField(), help_text="what each measure compares"
    )
    comparisons = ComparisonOutput(many=True)


class AgreementApi(APIView):
    @extend_schema(
        responses=AgreementOutput, examples=[AGREEMENT], operation_id="corpora_agreement"
    )
    def get(self, request: Request, slug: str) -> Response:
        """Agreement per annotator pair and per label, and each model against gold.

        Owners and reviewers only. Measures: entity span F1 (exact and overlap), token
        Cohen's kappa, event trigger F1, argument F1.
        """
        corpus = corpus_get_for_reviewer(user=request.user, slug=slug)
        return Response(AgreementOutput(corpus_agreement(corpus).as_dict()).data)


class AgreementCsvApi(APIView):
    renderer_classes = [JSONRenderer]  # for errors; the answer itself is CSV

    @extend_schema(
        responses={(200, "text/csv"): OpenApiTypes.STR},
        examples=[AGREEMENT_CSV],
        operation_id="corpora_agreement_csv",
    )
    def get(self, request: Request, slug: str) -> HttpResponse:
        """Download the agreement as CSV: one line per comparison, measure and label."""
        corpus = corpus_get_for_reviewer(user=request.user, slug=slug)
        buffer = io.StringIO()
        csv.writer(buffer).writerows(report_csv_rows(corpus_agreement(corpus)))
        response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{corpus.slug}-agreement.csv"'
        return response

    def perform_content_negotiation(self, request: Request, force: bool = False):
        # Whatever Accept asks for (text/csv, */*), the answer is CSV or a JSON error.
        return super().perform_content_negotiation(request, force=True)
