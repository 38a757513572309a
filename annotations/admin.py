"""Admin pages for annotation layers, their items and revisions."""

from django.contrib import admin

from annotations.models import Annotation, Argument, Event, Relation, Revision, Span


class SpanInline(admin.TabularInline):
    model = Span
    fields = ["start", "end", "entity_type", "source", "score", "note"]
    raw_id_fields = ["entity_type"]
    extra = 0


class EventInline(admin.TabularInline):
    model = Event
    fields = ["trigger_start", "trigger_end", "event_type", "source", "score", "attributes"]
    raw_id_fields = ["event_type"]
    show_change_link = True
    extra = 0


@admin.register(Annotation)
class AnnotationAdmin(admin.ModelAdmin):
    list_display = ["__str__", "kind", "status", "version", "model_name", "user", "updated_at"]
    list_filter = ["kind", "status", "document__corpus"]
    raw_id_fields = ["document", "user"]
    search_fields = ["document__external_id", "model_name", "user__username"]
    inlines = [SpanInline, EventInline]


class ArgumentInline(admin.TabularInline):
    model = Argument
    fk_name = "event"
    fields = ["role", "span", "target_event", "index", "source", "score"]
    raw_id_fields = ["role", "span", "target_event"]
    extra = 0


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["__str__", "annotation", "source", "score"]
    raw_id_fields = ["annotation", "event_type"]
    inlines = [ArgumentInline]


@admin.register(Relation)
class RelationAdmin(admin.ModelAdmin):
    list_display = ["__str__", "annotation"]
    raw_id_fields = ["annotation", "relation_type", "head", "tail"]


@admin.register(Revision)
class RevisionAdmin(admin.ModelAdmin):
    list_display = ["annotation", "version", "chain", "span_count", "user", "created_at"]
    raw_id_fields = ["annotation", "user"]
    readonly_fields = ["snapshot", "delta", "chain", "chain_bytes", "digest"]
