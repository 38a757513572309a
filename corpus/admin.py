"""Admin pages for label schemas, corpora, memberships and documents.

A corpus added here gets the user who adds it as an owner, as one made on the new-corpus page.
A schema edited here is recorded on each corpus using it, as the schema editor records its
edits: what is kept per schema edit (a layer's JSON, a schema's rules) is not used past it.
"""

from typing import Any

from django.contrib import admin
from django.forms.models import BaseInlineFormSet

from corpus.models import (
    AttributeType,
    Corpus,
    Document,
    EntityType,
    EventRole,
    EventType,
    LabelSchema,
    Membership,
    RelationType,
)
from corpus.services.corpora import membership_grant
from corpus.services.schema_common import change_record


class SpanTypeFormSet(BaseInlineFormSet):
    """Refuses two rows of one submission sharing a hotkey (the database would, with a 500)."""

    def clean(self) -> None:
        super().clean()
        holders: dict[str, str] = {}
        for form in self.forms:
            if not form.is_valid() or self._should_delete_form(form):
                continue
            hotkey, key = form.instance.hotkey, form.instance.key
            if hotkey and hotkey in holders:
                form.add_error(
                    "hotkey", f"hotkey {hotkey!r} is already the hotkey of {holders[hotkey]}"
                )
            elif hotkey:
                holders[hotkey] = key


class SchemaEditRecorded(admin.ModelAdmin):
    """Records each save or delete of a schema or of one of its labels, with its inlines."""

    def save_related(self, request, form, formsets, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        self._record(request, form.instance, "edited" if change else "added")

    def delete_model(self, request, obj: Any) -> None:
        corpora, name = _corpora_of(obj), f"{obj._meta.verbose_name} {obj}"
        super().delete_model(request, obj)
        _record(request, corpora, f"deleted {name}")

    def delete_queryset(self, request, queryset) -> None:
        deleted = [(_corpora_of(obj), f"{obj._meta.verbose_name} {obj}") for obj in queryset]
        super().delete_queryset(request, queryset)
        for corpora, name in deleted:
            _record(request, corpora, f"deleted {name}")

    def _record(self, request, obj: Any, done: str) -> None:
        _record(request, _corpora_of(obj), f"{done} {obj._meta.verbose_name} {obj}")


def _corpora_of(obj: Any) -> list[Corpus]:
    """The corpora using the schema of `obj` (a schema, or one of its labels)."""
    schema_id = obj.pk if isinstance(obj, LabelSchema) else obj.schema_id
    return list(Corpus.objects.filter(schema_id=schema_id))


def _record(request, corpora: list[Corpus], what: str) -> None:
    for corpus in corpora:
        change_record(corpus, request.user, "admin", f"{what} in the admin")


class EntityTypeInline(admin.TabularInline):
    model = EntityType
    formset = SpanTypeFormSet
    fields = ["order", "key", "name", "color", "hotkey", "spacy_labels"]
    extra = 0


class AttributeTypeInline(admin.TabularInline):
    model = AttributeType
    fields = ["order", "applies_to", "key", "name", "values", "default"]
    extra = 0


@admin.register(LabelSchema)
class LabelSchemaAdmin(SchemaEditRecorded):
    list_display = ["name", "key", "preset", "created_at"]
    search_fields = ["name", "key"]
    inlines = [EntityTypeInline, AttributeTypeInline]


class EventRoleInline(admin.TabularInline):
    model = EventRole
    fields = ["order", "key", "name", "entity_types", "description"]
    filter_horizontal = ["entity_types"]
    extra = 0


@admin.register(EventType)
class EventTypeAdmin(SchemaEditRecorded):
    list_display = ["key", "name", "group", "schema", "color", "hotkey"]
    list_filter = ["schema", "group"]
    search_fields = ["key", "name"]
    inlines = [EventRoleInline]


@admin.register(EntityType)
class EntityTypeAdmin(SchemaEditRecorded):
    list_display = ["key", "name", "schema", "color", "hotkey"]
    list_filter = ["schema"]
    search_fields = ["key", "name"]


@admin.register(RelationType)
class RelationTypeAdmin(SchemaEditRecorded):
    list_display = ["key", "name", "group", "schema", "color", "hotkey"]
    list_filter = ["schema"]
    filter_horizontal = ["arg1_types", "arg2_types"]


class MembershipInline(admin.TabularInline):
    model = Membership
    autocomplete_fields = ["user"]
    extra = 1


@admin.register(Corpus)
class CorpusAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "slug",
        "schema",
        "annotators_per_document",
        "review_required",
        "annotators_see_gold",
        "queue_order",
        "reservation_minutes",
    ]
    list_filter = ["queue_order", "review_required", "annotators_see_gold"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name", "slug"]
    inlines = [MembershipInline]

    def save_related(self, request, form, formsets, change):
        # After the inlines, so an owner row added there too is not made twice.
        super().save_related(request, form, formsets, change)
        if not change:
            membership_grant(corpus=form.instance, user=request.user, roles=[Membership.Role.OWNER])


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ["__str__", "corpus", "external_id", "source", "created_at"]
    list_filter = ["corpus"]
    search_fields = ["external_id", "title", "source"]
    readonly_fields = ["text", "sha256", "tokens", "sentences", "created_at"]
    show_full_result_count = False

    def get_readonly_fields(self, request, obj=None):
        # The text can be set once, when a document is added here; never changed.
        return self.readonly_fields if obj else ["sha256", "tokens", "sentences", "created_at"]
