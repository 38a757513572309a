"""The upload form of an import: files, format, what annotations are, labels, columns, cleaning."""

from pathlib import PurePosixPath
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat

from config.errors import InvalidInput
from corpus.cleaning import DEFAULT_RULES, RULE_HELP
from corpus.models import Corpus
from formats.options import CSV_FIELDS
from formats.registry import AUTO, AUTO_HINT, import_formats
from imports.services.mapping import label_map_parse

ACCEPTED_SUFFIXES = (
    ".txt", ".zip", ".jsonl", ".json", ".csv", ".tsv", ".ann", ".conf", ".conll", ".iob", ".bio",
)  # fmt: skip
LAYER_CHOICES = [
    ("prediction", "Predictions to correct (annotators start from them)"),
    ("gold", "Gold (already reviewed)"),
]
RULE_LABELS = {"id_line": "Id line", "captions": "Photo captions", "trailers": "Site trailers"}
LABEL_MAP_MAX_LENGTH = 100_000


def upload_limit_message(limit: int) -> str:
    return (
        f"The files add up to more than the upload limit of {filesizeformat(limit)}."
        " Upload fewer at a time, or import them with manage.py import_documents."
    )


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """A file field that takes several files (`<input type=file multiple>`)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        accept = ",".join(ACCEPTED_SUFFIXES)
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": accept}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list:
        clean_one = super().clean
        if isinstance(data, list | tuple):
            return [clean_one(item, initial) for item in data]
        cleaned = clean_one(data, initial)
        return [cleaned] if cleaned else []


class ImportForm(forms.Form):
    """What to import into a corpus and how; `job_options()` is what the job stores."""

    files = MultipleFileField(
        allow_empty_file=True,  # a brat .ann of an article without annotations is empty
        help_text="Text, JSONL, CSV, brat (.txt with .ann), CoNLL files, or a zip of them.",
    )
    format = forms.ChoiceField(
        choices=[
            (AUTO, f"{AUTO}: {AUTO_HINT}"),
            *((format.key, f"{format.key}: {format.import_hint}") for format in import_formats()),
        ],
        initial=AUTO,
    )
    layer = forms.ChoiceField(
        label="Annotations in the files are",
        choices=LAYER_CHOICES,
        initial="prediction",
        widget=forms.RadioSelect,
    )
    label_map = forms.CharField(
        label="Label mapping",
        required=False,
        max_length=LABEL_MAP_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4, "placeholder": "Person=PER\nOrganization=ORG"}),
        help_text="One SOURCE=TARGET per line: renames the files' labels to the schema's keys.",
    )
    add_labels = forms.BooleanField(
        label="Add missing labels to the schema",
        required=False,
        help_text="Otherwise items whose labels the schema lacks are left out, with a warning.",
    )
    column_text = forms.CharField(label="Text column", required=False, max_length=200)
    column_id = forms.CharField(label="Id column", required=False, max_length=200)
    column_title = forms.CharField(label="Title column", required=False, max_length=200)
    column_date = forms.CharField(label="Date column", required=False, max_length=200)
    column_url = forms.CharField(label="URL column", required=False, max_length=200)

    def __init__(self, *args: Any, corpus: Corpus, limit_exceeded: bool = False, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.limit_exceeded = limit_exceeded
        if limit_exceeded:
            self.fields["files"].required = False  # the files were dropped, not forgotten
        rules = {**DEFAULT_RULES, **((corpus.cleaning or {}).get("rules") or {})}
        for rule in DEFAULT_RULES:
            self.fields[f"rule_{rule}"] = forms.BooleanField(
                label=RULE_LABELS.get(rule, rule),
                help_text=RULE_HELP.get(rule, ""),
                required=False,
                initial=bool(rules[rule]),
            )

    @property
    def column_fields(self) -> list[forms.BoundField]:
        return [self[f"column_{name}"] for name in CSV_FIELDS]

    @property
    def rule_fields(self) -> list[forms.BoundField]:
        return [self[f"rule_{rule}"] for rule in DEFAULT_RULES]

    def clean_files(self) -> list:
        files = self.cleaned_data["files"]
        limit = settings.UPLOAD_MAX_BYTES
        if self.limit_exceeded or sum(upload.size for upload in files) > limit:
            raise ValidationError(upload_limit_message(limit))
        refused = [
            upload.name
            for upload in files
            if PurePosixPath((upload.name or "").lower()).suffix not in ACCEPTED_SUFFIXES
        ]
        if refused:
            raise ValidationError(
                f"Not a file Goldset imports: {', '.join(refused)}."
                f" Use {' '.join(ACCEPTED_SUFFIXES)} files."
            )
        return files

    def clean_label_map(self) -> dict[str, str]:
        try:
            return label_map_parse(self.cleaned_data["label_map"])
        except InvalidInput as error:
            raise ValidationError(error.extra["errors"]) from None

    def job_options(self) -> dict[str, Any]:
        """Return the options an ImportJob keeps (see imports.jobs.import_options)."""
        data = self.cleaned_data
        return {
            "layer": data["layer"],
            "label_map": data["label_map"],
            "add_labels": data["add_labels"],
            "columns": {
                name: data[f"column_{name}"].strip()
                for name in CSV_FIELDS
                if data[f"column_{name}"].strip()
            },
            "cleaning": {rule: data[f"rule_{rule}"] for rule in DEFAULT_RULES},
        }
