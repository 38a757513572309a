"""Label schemas: the entity, event, role, relation and attribute types a corpus uses."""

from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q

color_validator = RegexValidator(r"^#[0-9a-fA-F]{6}$", "Use a colour like #a6cee3.")
key_validator = RegexValidator(
    r"^[A-Za-z0-9][A-Za-z0-9_.:\-]*$", "Use letters, digits and _ . : - (no spaces)."
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

    def __str__(self) -> str:
        return self.name


class LabelType(models.Model):
    """What entity, event and relation types share: a stable key and its display data."""

    key = models.CharField(max_length=100, validators=[key_validator])
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    examples = models.JSONField(default=list, blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True
        ordering = ["order", "key"]

    def __str__(self) -> str:
        return self.key


class EntityType(LabelType):
    """An entity label (`PER`); `spacy_labels` are the model labels that map onto it."""

    schema = models.ForeignKey(LabelSchema, on_delete=models.CASCADE, related_name="entity_types")
    color = models.CharField(max_length=7, default="#dddddd", validators=[color_validator])
    hotkey = models.CharField(max_length=1, blank=True)
    spacy_labels = models.JSONField(default=list, blank=True)
    subtypes = models.JSONField(default=list, blank=True)
    nominals = models.JSONField(
        default=list,
        blank=True,
        help_text='Common-noun heads of this type ("civilians" is PER) that may fill roles.',
    )

    class Meta(LabelType.Meta):
        constraints = [
            models.UniqueConstraint(fields=["schema", "key"], name="entitytype_unique_key"),
            models.UniqueConstraint(
                fields=["schema", "hotkey"],
                condition=~Q(hotkey=""),
                name="entitytype_unique_hotkey",
            ),
        ]


class EventType(LabelType):
    """An event type (`Conflict.Attack`) with its trigger lexicon and roles."""

    schema = models.ForeignKey(LabelSchema, on_delete=models.CASCADE, related_name="event_types")
    group = models.CharField(max_length=100, blank=True)
    color = models.CharField(max_length=7, default="#dddddd", validators=[color_validator])
    hotkey = models.CharField(max_length=1, blank=True)
    triggers = models.JSONField(
        default=list, blank=True, help_text='Lexicon entries: {"lemma": ..., "pos": [...]}.'
    )

    class Meta(LabelType.Meta):
        constraints = [
            models.UniqueConstraint(fields=["schema", "key"], name="eventtype_unique_key"),
            models.UniqueConstraint(
                fields=["schema", "hotkey"],
                condition=~Q(hotkey=""),
                name="eventtype_unique_hotkey",
            ),
        ]


class EventRole(models.Model):
    """A role of an event type (`Attacker`) and the entity types that may fill it."""

    event_type = models.ForeignKey(EventType, on_delete=models.CASCADE, related_name="roles")
    key = models.CharField(max_length=100, validators=[key_validator])
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
            models.UniqueConstraint(fields=["event_type", "key"], name="eventrole_unique_key")
        ]

    def __str__(self) -> str:
        return f"{self.event_type.key}/{self.key}"


class RelationType(LabelType):
    """A binary relation type between two entity spans."""

    schema = models.ForeignKey(LabelSchema, on_delete=models.CASCADE, related_name="relation_types")
    group = models.CharField(max_length=100, blank=True)
    arg1_types = models.ManyToManyField(EntityType, related_name="+", blank=True)
    arg2_types = models.ManyToManyField(EntityType, related_name="+", blank=True)

    class Meta(LabelType.Meta):
        constraints = [
            models.UniqueConstraint(fields=["schema", "key"], name="relationtype_unique_key")
        ]


class AttributeType(models.Model):
    """An attribute of entities, events or relations, binary or with a closed set of values."""

    class AppliesTo(models.TextChoices):
        ENTITY = "entity"
        EVENT = "event"
        RELATION = "relation"

    schema = models.ForeignKey(
        LabelSchema, on_delete=models.CASCADE, related_name="attribute_types"
    )
    key = models.CharField(max_length=100, validators=[key_validator])
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    applies_to = models.CharField(max_length=10, choices=AppliesTo.choices)
    values = models.JSONField(default=list, blank=True, help_text="Empty for a binary attribute.")
    default = models.CharField(max_length=100, blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["applies_to", "order", "key"]
        constraints = [
            models.UniqueConstraint(
                fields=["schema", "applies_to", "key"], name="attributetype_unique_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.applies_to}:{self.key}"
