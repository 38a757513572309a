"""Admin pages for label schemas, corpora, memberships and documents.

A corpus added here gets the user who adds it as an owner, as one made on the new-corpus page.
"""

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
class LabelSchemaAdmin(admin.ModelAdmin):
    list_display = ["name", "key", "preset", "created_at"]
    search_fields = ["name", "key"]
    inlines = [EntityTypeInline, AttributeTypeInline]


class EventRoleInline(admin.TabularInline):
    model = EventRole
    fields = ["order", "key", "name", "entity_types", "description"]
    filter_horizontal = ["entity_types"]
    extra = 0


@admin.register(EventType)
class EventTypeAdmin(admin.ModelAdmin):
    list_display = ["key", "name", "group", "schema", "color", "hotkey"]
    list_filter = ["schema", "group"]
    search_fields = ["key", "name"]
    inlines = [EventRoleInline]


@admin.register(EntityType)
class EntityTypeAdmin(admin.ModelAdmin):
    list_display = ["key", "name", "schema", "color", "hotkey"]
    list_filter = ["schema"]
    search_fields = ["key", "name"]


@admin.register(RelationType)
class RelationTypeAdmin(admin.ModelAdmin):
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
