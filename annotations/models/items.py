"""What a layer holds: entity spans, events with arguments, and relations."""

from django.db import models
from django.db.models import F, Q

from annotations.models.layer import Annotation
from corpus.models import EntityType, EventRole, EventType, RelationType


class Source(models.TextChoices):
    """Who proposed an item: a model (with a score) or a person."""

    MODEL = "model"
    HUMAN = "human"


def score_is_probability() -> Q:
    """Return a condition: the score is empty or lies in (0, 1]."""
    return Q(score__isnull=True) | Q(score__gt=0, score__lte=1)


class Span(models.Model):
    """An entity mention: `[start, end)` in code points of the document text."""

    annotation = models.ForeignKey(Annotation, on_delete=models.CASCADE, related_name="spans")
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    entity_type = models.ForeignKey(EntityType, on_delete=models.PROTECT, related_name="spans")
    source = models.CharField(max_length=5, choices=Source.choices, default=Source.HUMAN)
    score = models.FloatField(null=True, blank=True)
    accepted = models.BooleanField(
        default=False, help_text="A person confirmed it; always true for human items."
    )
    attributes = models.JSONField(default=dict, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["annotation", "start", "-end"]
        constraints = [
            models.CheckConstraint(
                condition=Q(start__gte=0) & Q(start__lt=F("end")), name="span_offsets_ordered"
            ),
            models.CheckConstraint(condition=score_is_probability(), name="span_score_range"),
            models.CheckConstraint(condition=Q(source__in=["model", "human"]), name="span_source"),
            models.UniqueConstraint(
                fields=["annotation", "start", "end", "entity_type"], name="span_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.entity_type.key} [{self.start}, {self.end})"


class Event(models.Model):
    """An event mention: a trigger `[trigger_start, trigger_end)` of an event type."""

    annotation = models.ForeignKey(Annotation, on_delete=models.CASCADE, related_name="events")
    trigger_start = models.PositiveIntegerField()
    trigger_end = models.PositiveIntegerField()
    event_type = models.ForeignKey(EventType, on_delete=models.PROTECT, related_name="events")
    source = models.CharField(max_length=5, choices=Source.choices, default=Source.HUMAN)
    score = models.FloatField(null=True, blank=True)
    accepted = models.BooleanField(
        default=False, help_text="A person confirmed it; always true for human items."
    )
    attributes = models.JSONField(
        default=dict, blank=True, help_text="Polarity, modality, tense, genericity, ..."
    )
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["annotation", "trigger_start", "-trigger_end"]
        constraints = [
            models.CheckConstraint(
                condition=Q(trigger_start__gte=0) & Q(trigger_start__lt=F("trigger_end")),
                name="event_trigger_ordered",
            ),
            models.CheckConstraint(condition=score_is_probability(), name="event_score_range"),
            models.CheckConstraint(condition=Q(source__in=["model", "human"]), name="event_source"),
        ]

    def __str__(self) -> str:
        return f"{self.event_type.key} [{self.trigger_start}, {self.trigger_end})"


class Argument(models.Model):
    """A role of an event filled by a span or by another event of the same layer.

    `index` numbers repeated fillers of one role (brat's Theme, Theme2, ...), starting at 1.
    The same-layer rule is enforced by database triggers (see the migration).
    """

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="arguments")
    role = models.ForeignKey(EventRole, on_delete=models.PROTECT, related_name="arguments")
    span = models.ForeignKey(
        Span, on_delete=models.CASCADE, null=True, blank=True, related_name="arguments"
    )
    target_event = models.ForeignKey(
        Event, on_delete=models.CASCADE, null=True, blank=True, related_name="used_as_argument"
    )
    index = models.PositiveSmallIntegerField(default=1)
    source = models.CharField(max_length=5, choices=Source.choices, default=Source.HUMAN)
    score = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["event", "role", "index"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(span__isnull=False) & Q(target_event__isnull=True))
                | (Q(span__isnull=True) & Q(target_event__isnull=False)),
                name="argument_one_filler",
            ),
            models.CheckConstraint(
                condition=~Q(target_event=F("event")), name="argument_not_own_event"
            ),
            models.CheckConstraint(condition=Q(index__gte=1), name="argument_index_from_one"),
            models.CheckConstraint(condition=score_is_probability(), name="argument_score_range"),
            models.UniqueConstraint(
                fields=["event", "role", "span"],
                condition=Q(span__isnull=False),
                name="argument_unique_span",
            ),
            models.UniqueConstraint(
                fields=["event", "role", "target_event"],
                condition=Q(target_event__isnull=False),
                name="argument_unique_event",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.role.key} of {self.event}"


class Relation(models.Model):
    """A typed, directed relation between two spans of the same layer."""

    annotation = models.ForeignKey(Annotation, on_delete=models.CASCADE, related_name="relations")
    relation_type = models.ForeignKey(
        RelationType, on_delete=models.PROTECT, related_name="relations"
    )
    head = models.ForeignKey(Span, on_delete=models.CASCADE, related_name="relations_as_head")
    tail = models.ForeignKey(Span, on_delete=models.CASCADE, related_name="relations_as_tail")
    source = models.CharField(max_length=5, choices=Source.choices, default=Source.HUMAN)
    score = models.FloatField(null=True, blank=True)
    attributes = models.JSONField(default=dict, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["annotation", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(head=F("tail")), name="relation_two_spans"),
            models.CheckConstraint(condition=score_is_probability(), name="relation_score_range"),
            models.UniqueConstraint(
                fields=["relation_type", "head", "tail"], name="relation_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.relation_type.key}({self.head_id}, {self.tail_id})"
