"""spaCy DocBin export: folders `spacy train` and `spacy debug data` accept, holding everything.

Entities go to doc.ents (without overlaps) and doc.spans["sc"] (all), triggers to
doc.spans["events"], arguments and relations to doc.user_data; each part of the split is a
folder of `.spacy` files written by spaCy's own DocBin, a few documents each.
"""

import io
import json
import math
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import spacy
from spacy.tokens import Doc, DocBin, Span
from spacy.training import Corpus as SpacyCorpus
from spacy.vocab import Vocab

from corpus.models import Corpus, Document
from exports.options import ExportOptions
from exports.run import export_preview
from formats.spacy.docbin import DOCS_PER_FILE, DocBinFolder, docbin_new
from tests.commands import command

pytestmark = [pytest.mark.django_db]

ATTACK = "Rebels attacked Homs on Monday.\n\nThe U.N. said 3 civilians died there."
# The import trims " \t\r\n" at the edges, not non-breaking spaces.
ODD = "\u00a0Protesters\u00a0gathered in  Daraa 🙂.\n\n\tPolice fired  \u00a0 at them. \u00a0"


def entity(text: str, words: str, label: str, key: str, *, after: int = 0) -> dict:
    start = text.index(words, after)
    return {"id": key, "start": start, "end": start + len(words), "label": label}


def trigger(text: str, words: str) -> dict:
    start = text.index(words)
    return {"start": start, "end": start + len(words)}


def attack_record() -> dict:
    return {
        "id": "attack",
        "text": ATTACK,
        "entities": [
            entity(ATTACK, "Rebels", "PER", "T1"),
            entity(ATTACK, "Homs", "GPE", "T2"),
            entity(ATTACK, "Monday", "TIMEX2", "T3"),
            entity(ATTACK, "The U.N.", "ORG", "T4"),
            entity(ATTACK, "U.N.", "GPE", "T5"),
            entity(ATTACK, "civilians", "PER", "T6"),
        ],
        "events": [
            {
                "id": "E1",
                "type": "Conflict.Attack",
                "trigger": trigger(ATTACK, "attacked"),
                "arguments": [
                    {"role": "Attacker", "ref": "T1"},
                    {"role": "Place", "ref": "T2"},
                    {"role": "Time-Within", "ref": "T3"},
                ],
            },
            {
                "id": "E2",
                "type": "Life.Die",
                "trigger": trigger(ATTACK, "died"),
                "arguments": [{"role": "Victim", "ref": "T6"}, {"role": "Agent", "ref": "E1"}],
            },
        ],
        "relations": [{"type": "PHYS.Located", "head": "T1", "tail": "T2"}],
    }


def import_gold(tmp_path: Path, owner, records: list[dict]) -> None:
    path = tmp_path / "gold.jsonl"
    lines = "".join(json.dumps(record, ensure_ascii=False) + "\n" for record in records)
    path.write_text(lines, encoding="utf-8")
    command("import_documents", "news", str(path), "--as", "gold", "--user", owner.username)


def export(out: Path, *args: str) -> dict:
    """Export the corpus `news` as spaCy to `out` and return the report."""
    report = out.parent / f"{out.name}-report.json"
    options = ("--format", "spacy", "--out", str(out), "--report", str(report), *args)
    command("export_corpus", "news", *options)
    return json.loads(report.read_text(encoding="utf-8"))


def docs_in(data: bytes) -> list[Doc]:
    return list(DocBin().from_bytes(data).get_docs(Vocab()))


def docs_in_folder(folder: Path) -> list[Doc]:
    """Read a part's `.spacy` files in name order, as spaCy's Corpus does."""
    files = sorted(folder.glob("*.spacy"))
    assert files, f"no .spacy file in {folder}"
    return [doc for path in files for doc in docs_in(path.read_bytes())]


def by_id(docs: list[Doc]) -> dict[str, Doc]:
    return {doc.user_data["id"]: doc for doc in docs}


def spans(group) -> list[tuple[str, str]]:
    return [(span.text, span.label_) for span in group]


class Collected(io.BytesIO):
    """A file of the export kept in `files` when it is closed, as a sink would write it."""

    def __init__(self, files: dict[str, bytes], name: str) -> None:
        super().__init__()
        self.files, self.name = files, name

    def close(self) -> None:
        self.files[self.name] = self.getvalue()
        super().close()


def test_docbin_folder_writes_numbered_docbins_of_at_most_n_docs_that_lose_nothing():
    vocab = Vocab()
    docs = []
    for number in range(7):
        words = ["Homs", "\n\n", "was", "shelled", "🙂"] * (number + 1)
        starts = [n % 5 == 0 for n in range(len(words))]
        spaces = [n % 3 == 0 for n in range(len(words))]
        doc = Doc(vocab, words=words, spaces=spaces, sent_starts=starts)
        doc.set_ents([Span(doc, 0, 1, "GPE", span_id="T1")], default="outside")
        doc.spans["sc"] = [Span(doc, 0, 2, "X", span_id="T2"), Span(doc, 0, 1, "GPE", span_id="T1")]
        doc.spans["events"] = [Span(doc, 3, 4, "Conflict.Attack", span_id="E1")]
        doc.user_data["id"] = f"doc-{number}"
        doc.user_data["events"] = [{"id": "E1", "arguments": [{"role": "Place", "entity": "T1"}]}]
        docs.append(doc)
    files: dict[str, bytes] = {}
    folder = DocBinFolder("train", open=lambda name: Collected(files, name), docs_per_file=3)
    for doc in docs:
        folder.add(doc)
    folder.close()

    assert list(files) == ["train/0000.spacy", "train/0001.spacy", "train/0002.spacy"]
    assert [len(docs_in(data)) for data in files.values()] == [3, 3, 1]
    read = [doc for data in files.values() for doc in docs_in(data)]
    # What DocBin's default attributes would keep, the export's shorter list keeps too.
    full = docs_in(DocBin(store_user_data=True, docs=docs).to_bytes())
    assert [doc.user_data["id"] for doc in read] == [f"doc-{number}" for number in range(7)]
    for doc, expected in zip(read, full, strict=True):
        assert doc.to_json() == expected.to_json()
        assert doc.user_data == expected.user_data
        assert [t.ent_id_ for t in doc] == [t.ent_id_ for t in expected]
        for key in ("sc", "events"):
            ids = [(span.id_, span.label_) for span in doc.spans[key]]
            assert ids == [(span.id_, span.label_) for span in expected.spans[key]]


def test_an_empty_docbin_folder_still_gets_one_empty_docbin():
    files: dict[str, bytes] = {}
    DocBinFolder("dev", open=lambda name: Collected(files, name)).close()

    assert files == {"dev/0000.spacy": docbin_new().to_bytes()}


def test_spacy_corpus_reads_the_folder_in_file_order(tmp_path):
    vocab = Vocab()
    folder = DocBinFolder("train", open=lambda name: _opened(tmp_path / name), docs_per_file=2)
    for number in range(5):
        doc = Doc(vocab, words=["Homs", f"{number}"])
        doc.user_data["id"] = f"doc-{number}"
        folder.add(doc)
    folder.close()

    nlp = spacy.blank("en")
    examples = list(SpacyCorpus(tmp_path / "train", shuffle=False)(nlp))
    assert len(list((tmp_path / "train").glob("*.spacy"))) == 3
    assert [example.reference.text for example in examples] == [
        f"Homs {number} " for number in range(5)
    ]


def _opened(path: Path):
    path.parent.mkdir(parents=True, exist_ok=True)
    return path.open("wb")


def test_round_trip_keeps_entities_overlaps_triggers_arguments_and_relations(tmp_path, owner):
    import_gold(tmp_path, owner, [attack_record()])
    report = export(tmp_path / "out")

    (doc,) = docs_in_folder(tmp_path / "out" / "news.spacy")
    assert doc.text == ATTACK
    assert doc.user_data["id"] == "attack"
    kept = [("Rebels", "PER"), ("Homs", "GPE"), ("Monday", "TIMEX2"), ("The U.N.", "ORG")]
    assert spans(doc.ents) == [*kept, ("civilians", "PER")]
    assert all(token.ent_iob_ == "O" for token in doc if not token.ent_type_)
    assert sorted(spans(doc.spans["sc"])) == sorted([*spans(doc.ents), ("U.N.", "GPE")])
    assert spans(doc.spans["events"]) == [("attacked", "Conflict.Attack"), ("died", "Life.Die")]
    assert [span.id_ for span in doc.spans["events"]] == ["E1", "E2"]
    assert [sentence.text for sentence in doc.sents] == [
        "Rebels attacked Homs on Monday.\n\n",
        "The U.N. said 3 civilians died there.",
    ]

    sc = {span.id_: span for span in doc.spans["sc"]}
    attack, death = doc.user_data["events"]
    assert attack["type"] == "Conflict.Attack"
    assert ATTACK[slice(*attack["trigger"])] == "attacked"
    fillers = [(a["role"], sc[a["entity"]].text, a["label"]) for a in attack["arguments"]]
    assert fillers == [
        ("Attacker", "Rebels", "PER"),
        ("Place", "Homs", "GPE"),
        ("Time-Within", "Monday", "TIMEX2"),
    ]
    roles = {argument["role"]: argument for argument in death["arguments"]}
    victim, agent = roles["Victim"], roles["Agent"]
    assert ATTACK[victim["start"] : victim["end"]] == "civilians"
    assert agent == {"role": "Agent", "event": attack["id"]}
    (located,) = doc.user_data["relations"]
    assert located["type"] == "PHYS.Located"
    assert (sc[located["head"]["entity"]].text, sc[located["tail"]["entity"]].text) == (
        "Rebels",
        "Homs",
    )

    assert report["warning_counts"]["overlap"]["count"] == 1
    (overlap,) = [w for w in report["warnings"] if w["kind"] == "overlap"]
    assert (overlap["text"], overlap["document"]) == ("U.N.", "attack")
    assert "overlaps ORG 'The U.N.': it is in doc.spans['sc']" in overlap["message"]


def test_misaligned_entity_is_expanded_with_snap_expand_and_reported(tmp_path, owner):
    text = "Assad's forces shelled Homs."
    assa = {"id": "T1", "start": 0, "end": 4, "label": "PER"}
    homs = entity(text, "Homs", "GPE", "T2")
    located = {"type": "PHYS.Located", "head": "T1", "tail": "T2"}
    record = {"id": "m", "text": text, "entities": [assa, homs], "relations": [located]}
    import_gold(tmp_path, owner, [record])

    report = export(tmp_path / "expanded", "--snap", "expand")
    (doc,) = docs_in_folder(tmp_path / "expanded" / "news.spacy")
    assert spans(doc.ents) == [("Assad", "PER"), ("Homs", "GPE")]
    assert doc.user_data["relations"][0]["head"]["end"] == len("Assad")
    (warning,) = report["warnings"]
    assert warning["kind"] == "misaligned"
    assert (warning["text"], warning["outcome"]) == ("Assa", "expand")

    report = export(tmp_path / "strict")
    (doc,) = docs_in_folder(tmp_path / "strict" / "news.spacy")
    assert spans(doc.ents) == [("Homs", "GPE")]
    assert doc.user_data["relations"] == ()
    assert [w["kind"] for w in report["warnings"]] == ["misaligned", "dropped-argument"]
    assert "PHYS.Located R1 left out: its head T1 was" in report["warnings"][1]["message"]


def test_stored_tokens_are_used_and_documents_without_them_are_tokenised(tmp_path, owner):
    text, fresh = "Fighters carried AK47s.", "Soldiers carried AK47s."
    stored = {"id": "stored", "text": text, "entities": [entity(text, "AK47", "WEA", "T1")]}
    tokenised = {"id": "fresh", "text": fresh, "entities": [entity(fresh, "AK47s", "WEA", "T1")]}
    import_gold(tmp_path, owner, [stored, tokenised])
    Document.objects.filter(external_id="stored").update(
        tokens=[[0, 8], [9, 16], [17, 21], [21, 22], [22, 23]], sentences=[[0, 23]]
    )

    report = export(tmp_path / "out")

    docs = by_id(docs_in_folder(tmp_path / "out" / "news.spacy"))
    assert [token.text for token in docs["stored"]] == ["Fighters", "carried", "AK47", "s", "."]
    assert spans(docs["stored"].ents) == [("AK47", "WEA")]
    assert [token.text for token in docs["fresh"]] == ["Soldiers", "carried", "AK47s", "."]
    assert spans(docs["fresh"].ents) == [("AK47s", "WEA")]
    assert report["warnings_total"] == 0


def test_text_with_non_breaking_spaces_newlines_and_emoji_survives_exactly(tmp_path, owner):
    entities = [entity(ODD, "Daraa", "GPE", "T1"), entity(ODD, "Police", "ORG", "T2")]
    import_gold(tmp_path, owner, [{"id": "odd", "text": ODD, "entities": entities}])

    export(tmp_path / "out")

    (doc,) = docs_in_folder(tmp_path / "out" / "news.spacy")
    assert doc.text == Document.objects.get(external_id="odd").text == ODD
    # Whitespace is split as spaCy's own tokenizer splits it, so tokens line up in training.
    expected = spacy.blank("en")(ODD)
    assert [(t.text, t.whitespace_) for t in doc] == [(t.text, t.whitespace_) for t in expected]
    assert spans(doc.ents) == [("Daraa", "GPE"), ("Police", "ORG")]


def test_preview_counts_overlaps_without_writing_a_file(tmp_path, owner):
    import_gold(tmp_path, owner, [attack_record()])

    report = export_preview(Corpus.objects.get(slug="news"), ExportOptions(format="spacy"))

    assert report.warning_counts["overlap"] == 1
    assert report.files == ["news.spacy/0000.spacy"]
    assert list(tmp_path.rglob("*.spacy")) == []


def test_split_parts_and_an_empty_part_are_docbins(tmp_path, owner):
    import_gold(tmp_path, owner, [attack_record()])

    report = export(tmp_path / "parts", "--split", "0.5,0.5")

    files = {name: (tmp_path / "parts" / name).read_bytes() for name in report["files"]}
    assert sorted(files) == ["dev.spacy/0000.spacy", "train.spacy/0000.spacy"]
    sizes = sorted(len(docs_in(data)) for data in files.values())
    assert sizes == [0, 1]
    (empty,) = [data for data in files.values() if not docs_in(data)]
    assert empty == docbin_new().to_bytes()
    assert report["warning_counts"]["empty-split"]["count"] == 1


def test_zip_holds_the_docbin_folder(tmp_path, owner):
    import_gold(tmp_path, owner, [attack_record()])

    export(tmp_path / "news.zip")

    with zipfile.ZipFile(tmp_path / "news.zip") as archive:
        (doc,) = docs_in(archive.read("news.spacy/0000.spacy"))
    assert doc.text == ATTACK


# A few steps: the test is about spaCy accepting the data, not about the model.
TRAINING = ["--training.max_steps=6", "--training.eval_frequency=3", "--training.patience=0"]


@pytest.mark.slow
def test_spacy_train_and_debug_data_accept_the_export(tmp_path, owner):
    records = [attack_record()]
    towns = ("Aleppo", "Idlib", "Hama", "Daraa", "Raqqa", "Latakia", "Tartus", "Deir ez-Zor")
    for number in range(150):
        town, other = towns[number % 8], towns[(number // 8) % 8]
        text = f"Gunmen attacked {town} on day {number}.\nThe army said {number} soldiers died."
        if number % 3:
            text += f" Residents fled to {other}."
        entities = [
            entity(text, town, "GPE", "T1"),
            entity(text, "army", "ORG", "T2"),
            entity(text, "soldiers", "PER", "T3"),
        ]
        if number % 3:
            entities.append(entity(text, other, "GPE", "T4", after=text.index("fled")))
        records.append({"id": f"doc-{number}", "text": text, "entities": entities})
    import_gold(tmp_path, owner, records)
    # `spacy debug data` fails a blank pipeline with fewer than 100 training documents.
    export(tmp_path / "data", "--split", "0.8,0.2", "--seed", "7")
    train, dev = tmp_path / "data" / "train.spacy", tmp_path / "data" / "dev.spacy"
    in_train = len(docs_in_folder(train))
    assert in_train >= 100
    # More than one file when the part is larger than a file (so spaCy reads a real folder).
    assert len(list(train.glob("*.spacy"))) == math.ceil(in_train / DOCS_PER_FILE)
    assert docs_in_folder(dev)
    config = tmp_path / "config.cfg"
    spacy_cli("init", "config", str(config), "--lang", "en", "--pipeline", "ner,spancat")
    paths = ("--paths.train", str(train), "--paths.dev", str(dev))

    debug = spacy_cli("debug", "data", str(config), *paths)
    for label in ("GPE", "ORG", "PER"):
        assert f"label '{label}'" in debug

    out = tmp_path / "model"
    spacy_cli("train", str(config), "--output", str(out), *paths, *TRAINING)
    assert (out / "model-last" / "meta.json").exists()
    nlp = spacy.load(out / "model-last")
    assert {"GPE", "ORG", "PER"} <= set(nlp.get_pipe("ner").labels)


def spacy_cli(*args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "spacy", *args], capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout
