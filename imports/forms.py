"""The upload form of an import: files, format, what annotations are, labels, columns, cleaning."""

from pathlib import PurePosixPath
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat

from corpus.cleaning import DEFAULT_RULES, RULE_HELP
from corpus.models import Corpus
from formats.options import CSV_FIELDS
from formats.reading import FORMATS

ACCEPTED_SUFFIXES = (
    ".txt", ".zip", ".jsonl", ".json", ".csv", ".tsv", ".ann", ".conf", ".conll", ".iob", ".bio",
)  # fmt: skip
FORMAT_HINTS = {
    "auto": "detect from the files' names and contents",
    "txt": "one article per .txt file",
    "jsonl": "one JSON object per line with text (and id, title, date, url)",
    "csv": "a table with a header row (.csv or .tsv); columns below",
    "brat": "brat standoff: .txt and .ann pairs (and annotation.conf), as files or a zip",
    "doccano": "doccano JSONL: text with label or entities",
    "prodigy": "Prodigy JSONL: text with spans",
    "conll": "CoNLL: a token and its BIO tag per line, blank lines between sentences",
}
LAYER_CHOICES = [
    ("prediction", "Predictions to correct (annotators start from them)"),
    ("gold", "Gold (already reviewed)"),
]
RULE_LABELS = {"id_line": "Id line", "captions": "Photo captions", "trailers": "Site trailers"}
LABEL_MAP_MAX_LENGTH = 100_000


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


def label_map_parse(text: str) -> dict[str, str]:
    """Parse `SOURCE=TARGET` lines (blank lines and `#` comments allowed) into a mapping.

    Raises ValidationError listing every bad line by its number.
    """
    mapping: dict[str, str] = {}
    seen_on: dict[str, int] = {}
    errors = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        source, equals, target = (part.strip() for part in line.partition("="))
        if not equals or not source or not target or "=" in target:
            errors.append(f"Line {number}: “{line}” is not SOURCE=TARGET.")
        elif source in mapping and mapping[source] != target:
            errors.append(
                f"Line {number}: {source} is already mapped to {mapping[source]}"
                f" on line {seen_on[source]}."
            )
        else:
            mapping[source] = target
            seen_on.setdefault(source, number)
    if errors:
        raise ValidationError(errors)
    return mapping


class ImportForm(forms.Form):
    """What to import into a corpus and how; `job_options()` is what the job stores."""

    files = MultipleFileField(
        allow_empty_file=True,  # a brat .ann of an article without annotations is empty
        help_text="Text, JSONL, CSV, brat (.txt with .ann), CoNLL files, or a zip of them.",
    )
    format = forms.ChoiceField(
        choices=[(name, f"{name}: {FORMAT_HINTS.get(name, '')}") for name in FORMATS],
        initial="auto",
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
            raise ValidationError(
                f"The files add up to more than the upload limit of {filesizeformat(limit)}."
                " Upload fewer at a time, or import them with manage.py import_documents."
            )
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
        return label_map_parse(self.cleaned_data["label_map"])

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
