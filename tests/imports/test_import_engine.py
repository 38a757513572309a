"""The import engine: Goldset JSONL and CSV, labels onto the schema, layers, cleaning, safety."""

import io
import json
import stat
import zipfile

import pytest
from django.core.management import CommandError, call_command

from annotations.models import Annotation
from corpus.models import Corpus, Document, EntityType

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

ARTICLE = "Rebels attacked a convoy in Kabul on Monday."
ATTACK = {
    "id": "ex1",
    "text": ARTICLE,
    "entities": [
        {"id": "T1", "start": 0, "end": 6, "label": "PER"},
        {"id": "T3", "start": 18, "end": 24, "label": "VEH"},
        {"id": "T4", "start": 28, "end": 33, "label": "GPE"},
    ],
    "events": [
        {
            "id": "E1",
            "type": "Conflict:Attack",
            "trigger": {"start": 7, "end": 15},
            "attributes": {"Tense": "Past"},
            "arguments": [
                {"role": "Attacker", "ref": "T1"},
                {"role": "Target", "ref": "T3"},
                {"role": "Place", "ref": "T4"},
            ],
        }
    ],
}


def run(*args: str) -> tuple[str, str, bool]:
    """Run import_documents; return stdout, stderr and whether it exited with success."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_documents", *args, stdout=out, stderr=err)
    except CommandError as exc:
        err.write(str(exc))
        return out.getvalue(), err.getvalue(), False
    return out.getvalue(), err.getvalue(), True


def write_jsonl(path, *records) -> str:
    lines = [record if isinstance(record, str) else json.dumps(record) for record in records]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


def test_goldset_jsonl_brings_entities_and_an_event_with_its_roles(tmp_path):
    out, _, ok = run("news", write_jsonl(tmp_path / "a.jsonl", ATTACK))
    assert ok
    assert "1 new, 0 duplicate, 0 failed; 1 annotation layer" in out
    layer = Annotation.objects.get()
    assert layer.kind == "prediction"
    assert layer.model_name == "jsonl import"
    event = layer.events.get()
    assert (event.event_type.key, event.trigger_start, event.trigger_end) == (
        "Conflict.Attack",
        7,
        15,
    )
    assert event.attributes == {"Tense": "Past"}
    assert not event.accepted
    roles = {a.role.key: ARTICLE[a.span.start : a.span.end] for a in event.arguments.all()}
    assert roles == {"Attacker": "Rebels", "Target": "convoy", "Place": "Kabul"}


def test_every_bad_record_is_reported_with_its_line_and_the_rest_imported(tmp_path):
    path = write_jsonl(
        tmp_path / "mixed.jsonl",
        {"text": "First good article."},
        "{not json",
        {"title": "no text"},
        {"text": "Bad offsets here.", "entities": [{"start": 5, "end": 2, "label": "PER"}]},
        {"text": "Outside.", "entities": [{"start": 0, "end": 99, "label": "PER"}]},
        {"text": "Last good article."},
    )
    out, err, ok = run("news", path)
    assert not ok
    assert "4 new, 0 duplicate, 2 failed, 2 warnings" in out
    assert "mixed.jsonl, line 2: invalid JSON" in err
    assert "mixed.jsonl, line 3: the record has no text" in err
    assert "mixed.jsonl, line 4: entities[0]: start 5 is not before end 2" in err
    assert "mixed.jsonl, line 5: entities[0]: offsets 0-99 lie outside the text" in err
    assert "2 record(s) could not be imported" in err
    assert Document.objects.count() == 4


def test_reimporting_adds_no_documents_and_replaces_the_imported_predictions(tmp_path):
    run("news", write_jsonl(tmp_path / "a.jsonl", ATTACK))
    changed = {**ATTACK, "entities": ATTACK["entities"][:1], "events": []}
    out, _, _ = run("news", write_jsonl(tmp_path / "a.jsonl", changed))
    assert "0 new, 1 duplicate" in out
    layer = Annotation.objects.get()
    assert list(layer.spans.values_list("entity_type__key", flat=True)) == ["PER"]


def test_unknown_labels_are_reported_then_mapped_or_added(tmp_path):
    record = {"text": ARTICLE, "entities": [{"start": 0, "end": 6, "label": "Militant"}]}
    path = write_jsonl(tmp_path / "a.jsonl", record)
    _, err, ok = run("news", path)
    assert ok
    assert "a.jsonl, line 1: span label 'Militant' is not in the schema: 1 item not imported" in err
    assert not Annotation.objects.exists()

    run("news", path, "--map", "Militant=PER")
    assert Annotation.objects.get().spans.get().entity_type.key == "PER"

    run("other", path, "--schema", "ontonotes", "--add-labels")
    schema = Corpus.objects.get(slug="other").schema
    assert schema.key == "ontonotes-other"
    assert EntityType.objects.filter(schema=schema, key="Militant").exists()
    assert not EntityType.objects.filter(schema__key="ontonotes", key="Militant").exists()


def test_gold_layers_are_accepted_human_work_and_never_overwritten(tmp_path, owner):
    path = write_jsonl(tmp_path / "a.jsonl", ATTACK)
    run("news", path, "--as", "gold", "--user", owner.username)
    assert Corpus.objects.get(slug="news").memberships.get().user == owner
    gold = Annotation.objects.get(kind="gold")
    assert set(gold.spans.values_list("source", "accepted")) == {("human", True)}
    assert gold.revisions.get().snapshot["events"][0]["type"] == "Conflict.Attack"

    _, err, _ = run("news", path, "--as", "gold")
    assert "already has a gold layer; it was left as it is" in err
    assert Annotation.objects.filter(kind="gold").count() == 1


def test_role_fillers_the_schema_refuses_are_left_out_and_said(tmp_path):
    record = {
        **ATTACK,
        "entities": [{**ATTACK["entities"][2], "label": "PER"}, *ATTACK["entities"][:2]],
    }
    _, err, _ = run("news", write_jsonl(tmp_path / "a.jsonl", record))
    assert "role Place of Conflict.Attack takes" in err
    assert "not PER (T4); argument left out" in err
    roles = Annotation.objects.get().events.get().arguments.values_list("role__key", flat=True)
    assert sorted(roles) == ["Attacker", "Target"]


def test_cleaning_shifts_annotations_exactly_and_keeps_the_raw_text(tmp_path):
    raw = "1.992211-557874215\nTanks. Image Credit: AFP\n\nKofi Annan spoke.\n\nMore In: News"
    start = raw.index("Kofi")
    record = {"text": raw, "entities": [{"start": start, "end": start + 10, "label": "PER"}]}
    run("news", write_jsonl(tmp_path / "a.jsonl", record))
    document = Document.objects.get()
    assert document.text == "Kofi Annan spoke."
    assert document.external_id == "1.992211-557874215"
    assert document.metadata["raw_text"] == raw
    assert document.metadata["captions"] == ["Tanks. Image Credit: AFP"]
    span = document.annotations.get().spans.get()
    assert document.text[span.start : span.end] == "Kofi Annan"


def test_annotations_in_the_boilerplate_keep_the_text_untouched(tmp_path):
    raw = "Tanks in Homs. Image Credit: AFP\nBody text."
    record = {"text": raw, "entities": [{"start": 9, "end": 13, "label": "GPE"}]}
    _, err, _ = run("news", write_jsonl(tmp_path / "a.jsonl", record))
    assert "annotations lie in the boilerplate, so the text was kept as it is" in err
    document = Document.objects.get()
    assert document.text == raw
    assert document.annotations.get().spans.get().start == 9


def test_csv_columns_are_guessed_or_chosen_and_the_rest_is_metadata(tmp_path):
    (tmp_path / "news.csv").write_text(
        'headline,story,day,link,section\n"Homs","Shelling in Homs.",2012-03-08,http://x.org/1,World\n'
        '"Empty",,2012-03-09,,World\n',
        encoding="utf-8",
    )
    _, err, ok = run(
        "news", str(tmp_path / "news.csv"), "--text-column", "story", "--date-column", "day"
    )
    assert not ok
    assert "news.csv, line 3: the row has no text (column 'story')" in err
    document = Document.objects.get()
    assert (document.title, document.url, str(document.published)) == (
        "Homs",
        "http://x.org/1",
        "2012-03-08",
    )
    assert document.metadata == {"section": "World"}
    _, err, ok = run("news", str(tmp_path / "news.csv"), "--text-column", "body")
    assert "there is no column 'body' for the text; the header has headline, story" in err


def test_tsv_and_quoted_multiline_fields(tmp_path):
    (tmp_path / "news.tsv").write_text('id\ttext\nA1\t"Line one.\nLine two."\n', encoding="utf-8")
    run("news", str(tmp_path / "news.tsv"))
    document = Document.objects.get()
    assert (document.external_id, document.text) == ("A1", "Line one.\nLine two.")
    assert document.source.endswith("news.tsv, line 2")


def test_the_format_is_detected_and_can_be_overridden(tmp_path):
    (tmp_path / "tagged.txt").write_text("Kofi B-PER\nAnnan I-PER\nspoke O\n", encoding="utf-8")
    out, _, _ = run("news", str(tmp_path / "tagged.txt"))
    assert "news (conll)" in out
    out, _, _ = run("plain", str(tmp_path / "tagged.txt"), "--format", "txt")
    assert "plain (txt)" in out


def zip_with(path, name, content=b"text", *, link=False, size=None):
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("fine.txt", "A fine article.")
        info = zipfile.ZipInfo(name)
        if link:
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
        archive.writestr(info, content, compress_type=zipfile.ZIP_DEFLATED)
    return str(path)


@pytest.mark.parametrize(
    ("member", "kwargs", "message"),
    [
        ("/etc/passwd.txt", {}, "unsafe member path '/etc/passwd.txt'"),
        ("../up.txt", {}, r"unsafe member path '\.\./up\.txt'"),
        ("link.txt", {"link": True}, "member 'link.txt' is a symbolic link"),
        ("bomb.txt", {"content": b"0" * (8 * 1024 * 1024)}, "suspicious compression ratio"),
    ],
)
def test_unsafe_archives_are_refused_before_anything_is_written(tmp_path, member, kwargs, message):
    path = zip_with(tmp_path / "upload.zip", member, **kwargs)
    with pytest.raises(CommandError, match=message):
        call_command("import_documents", "news", path, stdout=io.StringIO(), stderr=io.StringIO())
    assert not Document.objects.exists()


def test_an_archive_with_too_many_members_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr("formats.files.MAX_ARCHIVE_MEMBERS", 3)
    with zipfile.ZipFile(tmp_path / "many.zip", "w") as archive:
        for number in range(4):
            archive.writestr(f"{number}.txt", f"Article {number}.")
    with pytest.raises(CommandError, match="4 members, more than 3"):
        call_command("import_documents", "news", str(tmp_path / "many.zip"), stdout=io.StringIO())
    assert not Document.objects.exists()


def test_crlf_bom_and_nul_are_handled_per_record(tmp_path):
    (tmp_path / "a.jsonl").write_bytes(
        b'\xef\xbb\xbf{"text": "Windows line one."}\r\n{"text": "Two\\u0000"}\r\n'
        b'{"text": "Three.", "metadata": {"x": "\\u0000"}}\r\n'
    )
    out, err, ok = run("news", str(tmp_path / "a.jsonl"))
    assert not ok
    assert "1 new, 0 duplicate, 2 failed" in out
    assert "a.jsonl, line 2: the text holds a NUL character (at 3)" in err
    assert "a.jsonl, line 3: the metadata holds a NUL character" in err
    assert Document.objects.get().text == "Windows line one."


def test_adding_labels_to_a_shared_schema_gives_the_corpus_its_own_copy(tmp_path):
    record = {"text": ARTICLE, "entities": [{"start": 0, "end": 6, "label": "Militant"}]}
    run("news", write_jsonl(tmp_path / "a.jsonl", {"text": "Another article."}))
    out, _, ok = run("second", write_jsonl(tmp_path / "b.jsonl", record), "--add-labels")
    assert ok
    assert "Added to the schema: entity type Militant" in out
    news, second = Corpus.objects.get(slug="news"), Corpus.objects.get(slug="second")
    assert (news.schema.key, second.schema.key) == ("ace2005", "ace2005-second")
    assert second.schema.event_types.count() == news.schema.event_types.count() == 33
    assert not news.schema.entity_types.filter(key="Militant").exists()

    run("news", write_jsonl(tmp_path / "c.jsonl", ATTACK))
    _, err, ok = run("news", write_jsonl(tmp_path / "d.jsonl", record), "--add-labels")
    assert not ok  # the preset stays as shipped, and news has layers in it already
    assert "Schema ace2005 is shared with new corpora, and news already has annotations" in err
    assert not news.schema.entity_types.filter(key="Militant").exists()


def test_empty_files_are_reported_in_every_format(tmp_path):
    for name in ("a.jsonl", "b.csv", "c.conll", "d.txt"):
        (tmp_path / name).write_text("\n" if name == "a.jsonl" else "", encoding="utf-8")
    for name, format in [
        ("a.jsonl", "jsonl"),
        ("b.csv", "csv"),
        ("c.conll", "conll"),
        ("d.txt", "txt"),
    ]:
        _, err, ok = run("news", str(tmp_path / name), "--format", format)
        assert not ok
        assert "empty" in err, name
    (tmp_path / "u16.jsonl").write_bytes('{"text": "x"}\n'.encode("utf-16"))
    _, err, _ = run("news", str(tmp_path / "u16.jsonl"))
    assert err.count("u16.jsonl") == 1
    assert "the file is UTF-16; save it as UTF-8" in err


def test_a_record_over_the_layer_limit_keeps_its_text_and_the_others_their_layers(
    tmp_path, settings
):
    settings.LAYER_MAX_ITEMS = 4  # the attack holds 3 entities, 1 event and 3 arguments
    small = {"id": "ex2", "text": "Rebels fled.", "entities": [ATTACK["entities"][0]]}
    out, err, ok = run("news", write_jsonl(tmp_path / "a.jsonl", ATTACK, small))
    assert ok
    corpus = Corpus.objects.get(slug="news")
    assert corpus.documents.count() == 2
    layers = Annotation.objects.filter(document__corpus=corpus)
    assert list(layers.values_list("document__external_id", flat=True)) == ["ex2"]
    assert "a.jsonl, line 1" in out + err
    assert "at most 4 (LAYER_MAX_ITEMS)" in out + err
