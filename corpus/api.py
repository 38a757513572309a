"""API: the corpora a user belongs to, with their label schemas and your roles."""

from django.db.models import Count
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from corpus.api_examples import CORPORA, CORPUS_DETAIL
from corpus.models import EntityType, EventRole, EventType, LabelSchema, RelationType
from corpus.selectors import corpora_for_user, corpus_get_for_user, user_roles


class CorpusOutput(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()
    description = serializers.CharField()
    schema = serializers.CharField(source="schema.key")
    document_count = serializers.IntegerField()


class CorpusListApi(APIView):
    @extend_schema(
        responses=CorpusOutput(many=True), examples=[CORPORA], operation_id="corpora_list"
    )
    def get(self, request: Request) -> Response:
        """List the corpora you belong to."""
        corpora = (
            corpora_for_user(request.user)
            .select_related("schema")
            .annotate(document_count=Count("documents", distinct=True))
        )
        return Response(CorpusOutput(corpora, many=True).data)


class EntityTypeOutput(serializers.ModelSerializer):
    class Meta:
        model = EntityType
        fields = ["key", "name", "description", "examples", "color", "hotkey", "subtypes"]


class RoleOutput(serializers.ModelSerializer):
    entity_types = serializers.SlugRelatedField(slug_field="key", many=True, read_only=True)

    class Meta:
        model = EventRole
        fields = ["key", "name", "description", "entity_types"]


class EventTypeOutput(serializers.ModelSerializer):
    roles = RoleOutput(many=True)

    class Meta:
        model = EventType
        fields = ["key", "name", "group", "description", "examples", "color", "hotkey", "roles"]


class RelationTypeOutput(serializers.ModelSerializer):
    """A relation type: its colour, its hotkey in the relation type chooser, and the entity
    types its head (arg1_types) and tail (arg2_types) take (empty: any)."""

    arg1_types = serializers.SlugRelatedField(slug_field="key", many=True, read_only=True)
    arg2_types = serializers.SlugRelatedField(slug_field="key", many=True, read_only=True)

    class Meta:
        model = RelationType
        fields = ["key", "name", "group", "description", "examples", "color", "hotkey"]
        fields += ["arg1_types", "arg2_types"]


class SchemaOutput(serializers.ModelSerializer):
    entity_types = EntityTypeOutput(many=True)
    event_types = EventTypeOutput(many=True)
    relation_types = RelationTypeOutput(many=True)

    class Meta:
        model = LabelSchema
        fields = ["key", "name", "description", "entity_types", "event_types", "relation_types"]


class CorpusDetailOutput(CorpusOutput):
    guidelines = serializers.CharField()
    roles = serializers.ListField(child=serializers.CharField())
    label_schema = SchemaOutput(source="schema")
    document_count = serializers.IntegerField(source="documents.count")


class CorpusDetailApi(APIView):
    @extend_schema(
        responses=CorpusDetailOutput, examples=[CORPUS_DETAIL], operation_id="corpora_retrieve"
    )
    def get(self, request: Request, slug: str) -> Response:
        """Show a corpus with its full label schema and your roles in it."""
        corpus = corpus_get_for_user(user=request.user, slug=slug)
        corpus.schema = LabelSchema.objects.prefetch_related(
            "entity_types",
            "event_types__roles__entity_types",
            "relation_types__arg1_types",
            "relation_types__arg2_types",
        ).get(pk=corpus.schema_id)
        corpus.roles = sorted(user_roles(user=request.user, corpus=corpus))
        return Response(CorpusDetailOutput(corpus).data)
