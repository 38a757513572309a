"""The form that creates a corpus: name, slug, description, schema source, guidelines, settings.

`clean()` turns the schema source into what `corpus_create` takes: a preset's schema, or
schema data read from another corpus, a brat annotation.conf or a Goldset schema JSON file.
Problems with the file are errors on the file field, saying what and where.
"""

import json
from typing import Any

from django import forms
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.text import slugify

from config.errors import InvalidInput
from corpus.cleaning import DEFAULT_RULES, RULE_HELP
from corpus.models import Corpus, LabelSchema, Membership
from corpus.services.schema_check import schema_data_check
from corpus.services.schemas import schema_data_dump, schema_get_or_create, schema_presets
from formats.brat.conf import schema_data_from_conf

SCHEMA_FILE_MAX_BYTES = 2 * 1024 * 1024
GUIDELINES_MAX_LENGTH = 200_000
PRESET_NAMES = {"ace2005": "ACE 2005 preset", "ontonotes": "OntoNotes preset"}
RULE_LABELS = {"id_line": "Id line", "captions": "Photo captions", "trailers": "Site trailers"}
COPY, BRAT, JSON_FILE = "copy", "brat", "json"
FILE_SOURCES = (BRAT, JSON_FILE)


class CorpusCreateForm(forms.Form):
    """What a new corpus is; `schema()` and `settings()` are what `corpus_create` takes."""

    name = forms.CharField(max_length=200)
    slug = forms.CharField(
        max_length=100,
        required=False,
        help_text="Part of the corpus's address. Leave empty to make it of the name.",
    )
    description = forms.CharField(
        required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    schema_source = forms.ChoiceField(label="Schema", widget=forms.RadioSelect)
    copy_from = forms.ModelChoiceField(
        label="Corpus to copy the schema of",
        queryset=Corpus.objects.none(),
        required=False,
        help_text="One of the corpora you own; the copy is this corpus's own.",
    )
    schema_file = forms.FileField(
        label="Schema file",
        required=False,
        help_text="A brat annotation.conf or a Goldset schema JSON file"
        f" (at most {filesizeformat(SCHEMA_FILE_MAX_BYTES)}).",
        widget=forms.FileInput(attrs={"accept": ".conf,.json"}),
    )
    guidelines = forms.CharField(
        required=False,
        max_length=GUIDELINES_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text="Markdown, shown to annotators.",
    )
    annotators_per_document = forms.IntegerField(
        label="Annotators per document",
        min_value=1,
        max_value=20,
        initial=1,
        help_text="How many annotators annotate each document (overlap, for agreement).",
    )
    review_required = forms.BooleanField(
        required=False, help_text="A reviewer approves each document before it is gold."
    )

    def __init__(self, *args: Any, user: AbstractBaseUser, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["schema_source"].choices = [
            *((key, PRESET_NAMES.get(key, key)) for key in schema_presets()),
            (COPY, "A copy of the schema of a corpus you own"),
            (BRAT, "A brat annotation.conf file"),
            (JSON_FILE, "A Goldset schema JSON file"),
        ]
        self.fields["schema_source"].initial = schema_presets()[0]
        self.fields["copy_from"].queryset = Corpus.objects.filter(
            memberships__user=user, memberships__role=Membership.Role.OWNER
        ).distinct()
        for rule in DEFAULT_RULES:
            self.fields[f"rule_{rule}"] = forms.BooleanField(
                label=RULE_LABELS.get(rule, rule),
                help_text=RULE_HELP.get(rule, ""),
                required=False,
                initial=DEFAULT_RULES[rule],
            )

    @property
    def rule_fields(self) -> list[forms.BoundField]:
        return [self[f"rule_{rule}"] for rule in DEFAULT_RULES]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        source = data.get("schema_source")
        if source == COPY and not data.get("copy_from") and "copy_from" not in self.errors:
            self.add_error("copy_from", "Choose the corpus whose schema to copy.")
        if source in FILE_SOURCES and not self.errors.get("schema_file"):
            upload = data.get("schema_file")
            if not upload:
                self.add_error("schema_file", "Choose the schema file to upload.")
            else:
                self._read_file(upload, source)
        return data

    def _read_file(self, upload: Any, source: str) -> None:
        if upload.size > SCHEMA_FILE_MAX_BYTES:
            self.add_error(
                "schema_file",
                f"{upload.name}: {filesizeformat(upload.size)}, over the limit of"
                f" {filesizeformat(SCHEMA_FILE_MAX_BYTES)} for a schema file.",
            )
            return
        try:
            text = upload.read().decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            self.add_error("schema_file", f"{upload.name}: not UTF-8 text ({exc.reason}).")
            return
        try:
            self.schema_data = _schema_data(text, source, upload.name, self.cleaned_data)
        except InvalidInput as error:
            problems = error.extra.get("errors") or []
            messages = [f"{upload.name}: {_problem(item)}" for item in problems]
            self.add_error(
                "schema_file", ValidationError(messages or [f"{upload.name}: {error.message}"])
            )

    def schema(self) -> LabelSchema | dict[str, Any]:
        """Return the chosen schema: a preset's, or schema data to make the corpus's own."""
        source = self.cleaned_data["schema_source"]
        if source == COPY:
            copied = self.cleaned_data["copy_from"].schema
            data = schema_data_dump(copied)
            data["name"] = f"{copied.name} (copy for {self.cleaned_data['name']})"
            return data
        if source in FILE_SOURCES:
            return self.schema_data
        return schema_get_or_create(name_or_path=source)

    def settings(self) -> dict[str, Any]:
        """Return the corpus fields besides name and schema, as `corpus_create` takes them."""
        data = self.cleaned_data
        return {
            "slug": data["slug"],
            "description": data["description"],
            "guidelines": data["guidelines"],
            "annotators_per_document": data["annotators_per_document"],
            "review_required": data["review_required"],
            "cleaning": {rule: data[f"rule_{rule}"] for rule in DEFAULT_RULES},
        }


def _schema_data(text: str, source: str, file_name: str, data: dict) -> dict[str, Any]:
    """Read a brat annotation.conf or schema JSON, checked; raise InvalidInput saying where."""
    if source == BRAT:
        name = data.get("name") or file_name
        key = slugify(data.get("slug") or name) or "brat"
        return schema_data_check(data=schema_data_from_conf(text, key=key, name=f"{name} (brat)"))
    try:
        parsed = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidInput(
            f"line {exc.lineno}, column {exc.colno}: invalid JSON ({exc.msg})"
        ) from exc
    if not isinstance(parsed, dict) or not parsed.get("key") or not parsed.get("name"):
        raise InvalidInput("a schema needs a top-level object with 'key' and 'name'")
    return schema_data_check(data=parsed)


def _problem(item: dict[str, Any]) -> str:
    """One problem of `schema_data_check`: its message names the type and the rule."""
    return str(item.get("message") or f"{item.get('where')} {item.get('field')}: invalid")
