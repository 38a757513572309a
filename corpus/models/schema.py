"""Label schemas: the entity, event, role, relation and attribute types a corpus uses.

The fields' formats are in `schema_formats`: `clean_fields` applies them (the admin's forms),
check constraints hold their shapes whatever writes, and `corpus.services.schema_check`
checks whole schema files.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from corpus.models.schema_formats import (
    COLOUR_DEFAULT,
    SCHEMA_KEY,
    FormatError,
    attribute_default_clean,
    attribute_values_clean,
    colour_check,
    colour_clean,
    formats_apply,
    hotkey_check,
    hotkey_clean,
    key_check,
    key_clean,
    name_clean,
    relation_hotkey_clean,
)


class LabelSchema(models.Model):
    """A named set of label types; corpora share schemas."""

    key = models.SlugField(max_length=100, unique=True)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    preset = models.CharField(max_length=50, blank=True, help_text="Preset it was loaded from.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [key_check("schema_key")]

    def __str__(self) -> str:
        return self.name

    def clean_fields(self, exclude=None) -> None:
        formats_apply(
            self,
            exclude,
            super().clean_fields,
            key=lambda key: key_clean(key, pattern=SCHEMA_KEY, rule="letters, digits, _ and -"),
            name=lambda name: name_clean(name, default=self.key),
        )


class KeyAndName:
    """Model fields `key` and `name` checked (and normalised) by the schema's format rules."""

    def clean_fields(self, exclude=None) -> None:
        formats_apply(
            self,
            exclude,
            super().clean_fields,
            key=key_clean,
            name=lambda name: name_clean(name, default=self.key),
        )


class LabelType(KeyAndName, models.Model):
    """What entity, event and relation types share: a stable key and its display data."""

    key = models.CharField(max_length=100)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    examples = models.JSONField(default=list, blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True
        ordering = ["order", "key"]

    def __str__(self) -> str:
        return self.key


class SpanType(LabelType):
    """A type spans take (entities, event triggers): drawn in a colour, chosen with a hotkey."""

    color = models.CharField(max_length=7, default=COLOUR_DEFAULT, help_text="#rrggbb")
    hotkey = models.CharField(
        max_length=1, blank=True, help_text="One letter or digit; not A, E or R."
    )

    class Meta(LabelType.Meta):
        abstract = True

    def clean_fields(self, exclude=None) -> None:
        formats_apply(
            self, exclude, super().clean_fields, color=colour_clean, hotkey=self._hotkey_free
        )

    def _hotkey_free(self, value: object) -> str:
        hotkey = hotkey_clean(value)
        if hotkey and self.schema_id:
            for model in (EntityType, EventType):
                holder = model.objects.filter(schema_id=self.schema_id, hotkey=hotkey)
                if isinstance(self, model) and self.pk:
                    holder = holder.exclude(pk=self.pk)
                holder = holder.values_list("key", flat=True).first()
                if holder is not None:
                    kind = model._meta.verbose_name
                    raise FormatError(f"hotkey {hotkey!r} is already the hotkey of {kind} {holder}")
        return hotkey


class EntityType(SpanType):
    """An entity label (`PER`); `spacy_labels` are the model labels that map onto it."""

    schema = models.ForeignKey(LabelSchema, on_delete=models.CASCADE, related_name="entity_types")
    spacy_labels = models.JSONField(default=list, blank=True)
    subtypes = models.JSONField(default=list, blank=True)
    nominals = models.JSONField(
        default=list,
        blank=True,
        help_text='Common-noun heads of this type ("civilians" is PER) that may fill roles.',
    )

    class Meta(SpanType.Meta):
        constraints = [
            models.UniqueConstraint(fields=["schema", "key"], name="entitytype_unique_key"),
            models.UniqueConstraint(
                fields=["schema", "hotkey"],
                condition=~Q(hotkey=""),
                name="entitytype_unique_hotkey",
            ),
            key_check("entitytype_key"),
            colour_check("entitytype_color"),
            hotkey_check("entitytype_hotkey"),
        ]


class EventType(SpanType):
    """An event type (`Conflict.Attack`) with its trigger lexicon and roles."""

    schema = models.ForeignKey(LabelSchema, on_delete=models.CASCADE, related_name="event_types")
    group = models.CharField(max_length=100, blank=True)
    triggers = models.JSONField(
        default=list, blank=True, help_text='Lexicon entries: {"lemma": ..., "pos": [...]}.'
    )

    class Meta(SpanType.Meta):
        constraints = [
            models.UniqueConstraint(fields=["schema", "key"], name="eventtype_unique_key"),
            models.UniqueConstraint(
                fields=["schema", "hotkey"],
                condition=~Q(hotkey=""),
                name="eventtype_unique_hotkey",
            ),
            key_check("eventtype_key"),
            colour_check("eventtype_color"),
            hotkey_check("eventtype_hotkey"),
        ]


class EventRole(KeyAndName, models.Model):
    """A role of an event type (`Attacker`) and the entity types that may fill it."""

    event_type = models.ForeignKey(EventType, on_delete=models.CASCADE, related_name="roles")
    key = models.CharField(max_length=100)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    entity_types = models.ManyToManyField(EntityType, related_name="roles", blank=True)
    syntax = models.JSONField(
        default=list,
        blank=True,
        help_text='Grammatical slots the role takes: "subj", "obj", "prep:with", "place", "time".',
    )
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "key"]
        constraints = [
            models.UniqueConstraint(fields=["event_type", "key"], name="eventrole_unique_key"),
            key_check("eventrole_key"),
        ]

    def __str__(self) -> str:
        return f"{self.event_type.key}/{self.key}"


class RelationType(LabelType):
    """A binary relation type between two entity spans, drawn as arcs in its colour.

    Its hotkey chooses it while a relation's type is chosen (after "-"), so it is unique among
    the schema's relation types only, and may be a key entity or event types use.
    """

    schema = models.ForeignKey(LabelSchema, on_delete=models.CASCADE, related_name="relation_types")
    group = models.CharField(max_length=100, blank=True)
    arg1_types = models.ManyToManyField(EntityType, related_name="+", blank=True)
    arg2_types = models.ManyToManyField(EntityType, related_name="+", blank=True)
    color = models.CharField(max_length=7, default=COLOUR_DEFAULT, help_text="#rrggbb")
    hotkey = models.CharField(
        max_length=1,
        blank=True,
        help_text="One letter or digit, pressed while choosing a relation's type.",
    )

    class Meta(LabelType.Meta):
        constraints = [
            models.UniqueConstraint(fields=["schema", "key"], name="relationtype_unique_key"),
            models.UniqueConstraint(
                fields=["schema", "hotkey"],
                condition=~Q(hotkey=""),
                name="relationtype_unique_hotkey",
            ),
            key_check("relationtype_key"),
            colour_check("relationtype_color"),
            hotkey_check("relationtype_hotkey"),
        ]

    def clean_fields(self, exclude=None) -> None:
        formats_apply(
            self, exclude, super().clean_fields, color=colour_clean, hotkey=self._hotkey_free
        )

    def _hotkey_free(self, value: object) -> str:
        hotkey = relation_hotkey_clean(value)
        if hotkey and self.schema_id:
            holder = RelationType.objects.filter(schema_id=self.schema_id, hotkey=hotkey)
            holder = holder.exclude(pk=self.pk) if self.pk else holder
            holder = holder.values_list("key", flat=True).first()
            if holder is not None:
                raise FormatError(
                    f"hotkey {hotkey!r} is already the hotkey of relation type {holder}"
                )
        return hotkey


class AttributeType(models.Model):
    """An attribute of entities, events, relations or whole documents (a document label).

    Binary (yes/no) or with a closed set of values. A document label (applies to `document`)
    is chosen per layer: one value, or several when `multiple` is set.
    """

    class AppliesTo(models.TextChoices):
        ENTITY = "entity"
        EVENT = "event"
        RELATION = "relation"
        DOCUMENT = "document"

    schema = models.ForeignKey(
        LabelSchema, on_delete=models.CASCADE, related_name="attribute_types"
    )
    key = models.CharField(max_length=100)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    applies_to = models.CharField(max_length=10, choices=AppliesTo.choices)
    values = models.JSONField(default=list, blank=True, help_text="Empty for a binary attribute.")
    default = models.CharField(max_length=100, blank=True)
    multiple = models.BooleanField(
        default=False, help_text="Document labels with values: a document may take several."
    )
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["applies_to", "order", "key"]
        constraints = [
            models.UniqueConstraint(
                fields=["schema", "applies_to", "key"], name="attributetype_unique_key"
            ),
            key_check("attributetype_key"),
        ]

    def __str__(self) -> str:
        return f"{self.applies_to}:{self.key}"

    def clean_fields(self, exclude=None) -> None:
        formats_apply(
            self,
            exclude,
            super().clean_fields,
            key=key_clean,
            name=lambda name: name_clean(name, default=self.key),
            values=attribute_values_clean,
            default=lambda default: attribute_default_clean(default, values=self.values),
        )

    def clean(self) -> None:
        if self.multiple and (self.applies_to != self.AppliesTo.DOCUMENT or not self.values):
            raise ValidationError(
                {"multiple": "only a document label with values may take several of them"}
            )
