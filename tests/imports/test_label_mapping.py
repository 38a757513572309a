"""One label-map parser: the form, `--map` and `--label-map FILE.json` follow the same rules."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from annotations.models import Annotation
from config.errors import InvalidInput
from imports.forms import ImportForm
from imports.services.mapping import label_map_from_json, label_map_parse

pytestmark = pytest.mark.django_db

BAD_LINES = ["Person=PER", "not a mapping", "=ORG", "Person=ORG", "A=B=C"]


def form_errors(corpus, label_map: str) -> list[str]:
    data = {"format": "auto", "layer": "prediction", "label_map": label_map}
    form = ImportForm(data=data, corpus=corpus)
    form.is_valid()
    return form.errors["label_map"]


def command_error(*args: str) -> str:
    with pytest.raises(CommandError) as raised:
        call_command("import_documents", *args, stdout=io.StringIO(), stderr=io.StringIO())
    return str(raised.value)


def test_command_line_and_form_give_the_same_errors_for_the_same_mapping(corpus, tmp_path):
    (tmp_path / "a.txt").write_text("Kofi Annan arrived.", encoding="utf-8")
    maps = [argument for line in BAD_LINES for argument in ("--map", line)]
    errors = form_errors(corpus, "\n".join(BAD_LINES))
    assert errors == [
        "Line 2: “not a mapping” is not SOURCE=TARGET.",
        "Line 3: “=ORG” is not SOURCE=TARGET.",
        "Line 4: Person is already mapped to PER on line 1.",
        "Line 5: “A=B=C” is not SOURCE=TARGET.",
    ]
    assert command_error("news", str(tmp_path), *maps) == "Label mapping: " + " ".join(errors)


def test_parser_error_lists_every_bad_line_for_each_caller():
    with pytest.raises(InvalidInput) as raised:
        label_map_parse("\n".join(BAD_LINES))
    assert len(raised.value.extra["errors"]) == 4
    assert raised.value.message.startswith("Label mapping: Line 2: “not a mapping”")


def test_json_label_map_follows_the_rules_of_the_lines():
    assert label_map_from_json('{"Person": "PER", " Org ": "ORG"}') == {
        "Person": "PER",
        "Org": "ORG",
    }
    written = '{"Person": "PER", "Org": "", "Person": "ORG", "A=B": "C", "GPE": "GPE"}'
    with pytest.raises(InvalidInput) as raised:
        label_map_from_json(written)
    assert raised.value.extra["errors"] == [
        "Entry 2: “Org=” is not SOURCE=TARGET.",
        "Entry 3: Person is already mapped to PER on entry 1.",
        "Entry 4: “A=B=C” is not SOURCE=TARGET.",
    ]


def test_label_map_file_is_named_in_the_command_error(tmp_path):
    (tmp_path / "a.txt").write_text("Kofi Annan arrived.", encoding="utf-8")
    shape = tmp_path / "list.json"
    shape.write_text(json.dumps([["Person", "PER"]]), encoding="utf-8")
    broken = tmp_path / "broken.json"
    broken.write_text("{", encoding="utf-8")
    empty = tmp_path / "empty.json"
    empty.write_text(json.dumps({"Person": ""}), encoding="utf-8")

    message = command_error("news", str(tmp_path / "a.txt"), "--label-map", str(shape))
    assert message == f"{shape}: a label map is a JSON object of source label: schema label"
    message = command_error("news", str(tmp_path / "a.txt"), "--label-map", str(broken))
    assert message.startswith(f"{broken}: cannot read the label map (")
    message = command_error("news", str(tmp_path / "a.txt"), "--label-map", str(empty))
    assert message == f"{empty}: Label mapping: Entry 1: “Person=” is not SOURCE=TARGET."


def test_map_options_override_the_label_map_file(tmp_path):
    entity = {"start": 0, "end": 9, "label": "Militant"}
    record = {"text": "Militants attacked.", "entities": [entity]}
    articles = tmp_path / "a.jsonl"
    articles.write_text(json.dumps(record) + "\n", encoding="utf-8")
    labels = tmp_path / "labels.json"
    labels.write_text(json.dumps({"Militant": "ORG"}), encoding="utf-8")
    call_command(
        "import_documents", "news", str(articles), "--label-map", str(labels),
        "--map", "Militant=PER", stdout=io.StringIO(), stderr=io.StringIO(),
    )  # fmt: skip
    assert Annotation.objects.get().spans.get().entity_type.key == "PER"
