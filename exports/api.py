"""API: preview a corpus export (counts and warnings) and download it as a streamed zip."""

from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.http import StreamingHttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import APISettings
from rest_framework.views import APIView

from annotations.document_selection import (
    DocumentSelection,
    selection_documents,
    selection_parse,
)
from config.errors import InvalidInput
from corpus.models import Corpus, Membership
from corpus.selectors import corpus_get_for_user, corpus_require_role
from exports.api_examples import DOWNLOAD, PREVIEW
from exports.options import (
    SNAPS,
    SOURCES,
    STATUSES,
    ExportOptions,
    ExportOptionsError,
    split_parse,
)
from exports.run import export_preview, export_zip_stream
from formats.registry import EXPORT_DEFAULT, export_choices


def _choice(choices: tuple[str, ...], **kwargs: Any) -> serializers.ChoiceField:
    message = f'"{{input}}" is not one of {", ".join(choices)}.'
    return serializers.ChoiceField(
        choices=choices, error_messages={"invalid_choice": message}, **kwargs
    )


class ExportInput(serializers.Serializer):
    """The query string of an export; `status` and `label` may be repeated."""

    format = _choice(export_choices(), default=EXPORT_DEFAULT)
    source = _choice(SOURCES, default="gold", help_text="gold, submitted or predictions")
    annotator = serializers.CharField(
        required=False,
        default="",
        allow_blank=True,
        help_text="with source=submitted: only this user's layers (else the latest per document)",
    )
    status = serializers.ListField(
        child=_choice(STATUSES), default=list, help_text="layer statuses to keep (all if none)"
    )
    label = serializers.ListField(
        child=serializers.CharField(max_length=100),
        default=list,
        help_text="entity and event types to keep (all if none)",
    )
    split = serializers.CharField(
        required=False,
        default="",
        allow_blank=True,
        help_text="train,dev[,test] fractions such as 0.8,0.1,0.1 (none if empty)",
    )
    seed = serializers.IntegerField(default=0, help_text="seed of the split")
    snap = _choice(
        SNAPS,
        default="none",
        help_text="spans off token boundaries: left out, expanded, contracted",
    )
    accepted_only = serializers.BooleanField(
        default=False,
        help_text="leave out predictions nobody accepted (warnings of kind not-accepted)",
    )

    documents = serializers.CharField(
        required=False,
        default="",
        allow_blank=True,
        help_text="only these documents: the document list's query string (q=Homs&state=reviewed)"
        " or ids=3,4,5 (all if empty)",
    )

    def validate_documents(self, value: str) -> DocumentSelection:
        try:
            selection = selection_parse(value)
            selection_documents(corpus=self.context["corpus"], selection=selection)  # ids exist
        except InvalidInput as error:
            raise serializers.ValidationError(error.message.removeprefix("documents: ")) from None
        return selection

    def validate_split(self, value: str) -> tuple[float, ...]:
        try:
            return split_parse(value)
        except ExportOptionsError as error:
            raise serializers.ValidationError(str(error)) from None

    def validate_label(self, value: list[str]) -> list[str]:
        if not value:
            return value
        schema = self.context["corpus"].schema
        known = {*schema.entity_types.values_list("key", flat=True)}
        known |= {*schema.event_types.values_list("key", flat=True)}
        unknown = sorted(set(value) - known)
        if unknown:
            raise serializers.ValidationError(
                f"{unknown[0]!r} is not an entity or event type of this corpus's schema"
            )
        return value

    def validate_annotator(self, value: str) -> str:
        corpus = self.context["corpus"]
        # Former members keep their layers, so having annotated here is enough.
        known = (
            get_user_model()
            .objects.filter(username=value)
            .filter(Q(memberships__corpus=corpus) | Q(annotations__document__corpus=corpus))
        )
        if value and not known.exists():
            raise serializers.ValidationError(f"{value!r} has not annotated this corpus")
        return value

    def validate(self, data: dict[str, Any]) -> dict[str, Any]:
        # The fields are checked one by one above; what is left is the annotator's rule.
        try:
            data["options"] = ExportOptions(
                format=data["format"],
                source=data["source"],
                annotator=data["annotator"],
                statuses=frozenset(data["status"]),
                labels=frozenset(data["label"]),
                split=data["split"],
                seed=data["seed"],
                snap=data["snap"],
                accepted_only=data["accepted_only"],
                documents=data["documents"],
            )
        except ExportOptionsError as error:
            raise serializers.ValidationError({"annotator": str(error)}) from None
        return data


def export_request(request: Request, slug: str) -> tuple[Corpus, ExportOptions]:
    """Return the corpus (owners only) and the options the query string asks for.

    Raises InvalidInput whose message names every bad field, so a page can show it as is.
    """
    corpus = corpus_get_for_user(user=request.user, slug=slug)
    corpus_require_role(user=request.user, corpus=corpus, role=Membership.Role.OWNER)
    data = ExportInput(data=request.query_params, context={"corpus": corpus})
    if not data.is_valid():
        problems = [_named(field, _first(detail)) for field, detail in data.errors.items()]
        raise InvalidInput(" ".join(problems), extra={"fields": data.errors})
    return corpus, data.validated_data["options"]


def _first(detail: Any) -> str:
    """Return the first message of a field's errors (lists of items nest them by index)."""
    while isinstance(detail, dict | list):
        detail = next(iter(detail.values())) if isinstance(detail, dict) else detail[0]
    return str(detail)


def _named(field: str, message: str) -> str:
    # The options' own messages already start with the field ("split: ...").
    message = message.rstrip(".") + "."
    return message if message.startswith(field) else f"{field}: {message}"


def export_filename(corpus: Corpus, options: ExportOptions) -> str:
    """`<slug>-<format>.zip`, with the source when it is not gold."""
    source = "" if options.source == "gold" else f"-{options.source}"
    return f"{corpus.slug}-{options.format}{source}.zip"


class WarningKindOutput(serializers.Serializer):
    count = serializers.IntegerField()
    meaning = serializers.CharField()


class ExportReportOutput(serializers.Serializer):
    format = serializers.CharField()
    source = serializers.CharField()
    documents = serializers.DictField(
        child=serializers.IntegerField(), help_text='documents per part ("all" without a split)'
    )
    total_documents = serializers.IntegerField()
    entities = serializers.DictField(child=serializers.IntegerField(), help_text="by type")
    events = serializers.DictField(child=serializers.IntegerField(), help_text="by type")
    arguments = serializers.DictField(child=serializers.IntegerField(), help_text="by role")
    relations = serializers.DictField(child=serializers.IntegerField(), help_text="by type")
    warning_counts = serializers.DictField(
        child=WarningKindOutput(), help_text="by kind, with what the kind means"
    )
    warnings = serializers.ListField(
        child=serializers.DictField(),
        help_text="the first 1000: kind, document, message, split and where in the text",
    )
    warnings_listed = serializers.IntegerField()
    warnings_total = serializers.IntegerField()
    files = serializers.ListField(child=serializers.CharField(), help_text="files of the zip")


class ExportNegotiation(DefaultContentNegotiation):
    """Choose the renderer from Accept only: `?format=` names the export format here."""

    settings = APISettings(user_settings={"URL_FORMAT_OVERRIDE": None})


class ExportPreviewApi(APIView):
    content_negotiation_class = ExportNegotiation

    @extend_schema(
        parameters=[ExportInput],
        responses=ExportReportOutput,
        examples=[PREVIEW],
        operation_id="corpora_export_preview",
    )
    def get(self, request: Request, slug: str) -> Response:
        """Count what an export would hold, and every warning it would give (owners only)."""
        corpus, options = export_request(request, slug)
        return Response(ExportReportOutput(export_preview(corpus, options).as_dict()).data)


class ExportApi(APIView):
    content_negotiation_class = ExportNegotiation
    renderer_classes = [JSONRenderer]  # for errors; the export itself is a zip

    @extend_schema(
        parameters=[ExportInput],
        responses={(200, "application/zip"): OpenApiTypes.BINARY},
        examples=DOWNLOAD,
        operation_id="corpora_export",
    )
    def get(self, request: Request, slug: str) -> StreamingHttpResponse:
        """Download the export as a zip of its files and report.json, streamed (owners only)."""
        corpus, options = export_request(request, slug)
        # A generator: the export runs as the response is sent, so the download starts at once.
        response = StreamingHttpResponse(
            export_zip_stream(corpus, options), content_type="application/zip"
        )
        response["Content-Disposition"] = (
            f'attachment; filename="{export_filename(corpus, options)}"'
        )
        return response

    def perform_content_negotiation(self, request: Request, force: bool = False):
        # Whatever Accept asks for (application/zip, */*), the answer is a zip or a JSON error.
        return super().perform_content_negotiation(request, force=True)
