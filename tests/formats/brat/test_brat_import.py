"""The brat reader and the annotation.conf parser: each trap of the format, then real files."""

import re
import zipfile
from pathlib import Path

import pytest

from config.errors import InvalidInput
from corpus.models import AttributeType, EventRole
from corpus.services.schemas import schema_create
from formats.brat.conf import schema_data_from_conf
from formats.brat.reader import read_brat
from formats.files import ImportSource
from formats.options import ReadOptions
from formats.records import ArgumentRecord, ArticleRecord, Problem

# Offsets: Rebels 0-6, attacked 7-15, a 16-17, convoy 18-24, Kabul 28-33, Monday 37-43.
TEXT = "Rebels attacked a convoy in Kabul on Monday."
ENTITIES = "T1\tPER 0 6\tRebels\nT2\tVEH 18 24\tconvoy\nT3\tGPE 28 33\tKabul\n"


def read_all(*paths: Path) -> list[ArticleRecord | Problem]:
    return list(read_brat(ImportSource(list(paths)), ReadOptions()))


def read_one(tmp_path: Path, ann: str | None, text: str = TEXT) -> ArticleRecord:
    """Read a single document `doc.txt` with `ann` (None: no .ann file) written as given."""
    (tmp_path / "doc.txt").write_bytes(text.encode("utf-8"))
    if ann is not None:
        (tmp_path / "doc.ann").write_bytes(ann.encode("utf-8"))
    [record] = read_all(tmp_path)
    assert isinstance(record, ArticleRecord), record
    return record


def messages(record: ArticleRecord) -> list[str]:
    return [problem.message for problem in record.warnings]


def spans(record: ArticleRecord) -> dict[str, tuple[str, int, int]]:
    return {span.ref: (span.label, span.start, span.end) for span in record.annotations.spans}


def events(record: ArticleRecord) -> dict:
    return {event.ref: event for event in record.annotations.events}


# Files: pairing, decoding, what is ignored


def test_a_document_is_its_text_with_the_annotations_beside_it(tmp_path):
    record = read_one(tmp_path, ENTITIES)
    assert record.text == TEXT
    assert record.source == f"{tmp_path.name}/doc.txt"
    assert record.external_id == "doc"
    assert record.metadata == {"brat": {"ann": f"{tmp_path.name}/doc.ann"}}
    assert spans(record) == {"T1": ("PER", 0, 6), "T2": ("VEH", 18, 24), "T3": ("GPE", 28, 33)}
    assert record.annotations.spans[0].line == 1
    assert record.warnings == []


def test_a_missing_ann_is_an_empty_one(tmp_path):
    record = read_one(tmp_path, None)
    assert record.annotations is not None
    assert len(record.annotations) == 0
    assert record.warnings == []


def test_an_empty_ann_gives_no_annotations_and_no_warning(tmp_path):
    record = read_one(tmp_path, "")
    assert len(record.annotations) == 0
    assert record.warnings == []


def test_an_ann_without_its_txt_is_an_error(tmp_path):
    (tmp_path / "lonely.ann").write_text(ENTITIES, encoding="utf-8")
    [problem] = read_all(tmp_path)
    assert problem == Problem(
        f"{tmp_path.name}/lonely.ann", "lonely.ann has no lonely.txt beside it"
    )


def test_conf_files_and_other_files_are_not_documents(tmp_path):
    for name in ("annotation.conf", "visual.conf", "tools.conf", "README.md"):
        (tmp_path / name).write_text("[entities]\nPER\n", encoding="utf-8")
    record = read_one(tmp_path, ENTITIES)
    assert len(record.annotations.spans) == 3


def test_an_empty_txt_is_an_error(tmp_path):
    (tmp_path / "doc.txt").write_text(" \n", encoding="utf-8")
    (tmp_path / "doc.ann").write_text("", encoding="utf-8")
    [problem] = read_all(tmp_path)
    assert problem.severity == "error"
    assert problem.file.endswith("doc.txt")
    assert "empty" in problem.message


def test_an_undecodable_txt_is_an_error_with_its_line(tmp_path):
    (tmp_path / "doc.txt").write_bytes(b"First line.\nSecond \xe9t\xe9 line.\n")
    [problem] = read_all(tmp_path)
    assert problem.severity == "error"
    assert problem.line == 2
    assert "Latin-1" in problem.message


def test_an_undecodable_ann_skips_the_document_rather_than_lose_its_annotations(tmp_path):
    (tmp_path / "doc.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "doc.ann").write_bytes(b"T1\tPER 0 6\tRebels\nT2\tX 7 15\tattack\xe9d\n")
    [problem] = read_all(tmp_path)
    assert problem.severity == "error"
    assert problem.file.endswith("doc.ann")
    assert problem.line == 2
    assert "doc.txt is not imported" in problem.message


def test_crlf_files_count_offsets_as_brat_does_with_universal_newlines(tmp_path):
    text = "Rebels attacked.\r\nThey left Kabul.\r\n"
    record = read_one(tmp_path, "T1\tGPE 27 32\tKabul\r\nT2\tPER 0 6\tRebels\r\n", text)
    assert record.text[27:32] == "Kabul"
    assert spans(record) == {"T1": ("GPE", 27, 32), "T2": ("PER", 0, 6)}
    assert record.warnings == []


def test_a_byte_order_mark_counts_as_a_character_in_brat_offsets(tmp_path):
    (tmp_path / "doc.txt").write_bytes(b"\xef\xbb\xbf" + TEXT.encode("utf-8"))
    (tmp_path / "doc.ann").write_text("T1\tPER 1 7\tRebels\n", encoding="utf-8")
    [record] = read_all(tmp_path)
    assert record.text == TEXT
    assert spans(record) == {"T1": ("PER", 0, 6)}
    [warning] = record.warnings
    assert "byte-order mark" in warning.message


def test_code_point_offsets_after_emoji_and_combining_marks(tmp_path):
    text = "🙂 Cafe\u0301 in Kabul"
    record = read_one(tmp_path, "T1\tGPE 11 16\tKabul\nT2\tORG 2 7\tCafe\u0301\n", text)
    assert text[11:16] == "Kabul"
    assert spans(record) == {"T1": ("GPE", 11, 16), "T2": ("ORG", 2, 7)}
    assert record.warnings == []


def test_documents_in_a_zip_pair_by_folder(tmp_path):
    archive = tmp_path / "brat.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("news/doc.txt", TEXT)
        zipped.writestr("news/doc.ann", ENTITIES)
        zipped.writestr("other/doc.txt", TEXT)
    first, second = read_all(archive)
    assert len(first.annotations.spans) == 3
    assert first.metadata == {"brat": {"ann": "brat.zip:news/doc.ann"}}
    assert len(second.annotations) == 0


# Text-bound lines


def test_space_instead_of_tab_is_reported_with_brats_hint(tmp_path):
    record = read_one(tmp_path, "T1 PER 0 6 Rebels\nT2\tGPE 28 33 Kabul\nT3\tVEH 18 24\tconvoy\n")
    assert spans(record) == {"T3": ("VEH", 18, 24)}
    assert [problem.line for problem in record.warnings] == [1, 2]
    assert all(message.endswith("(Using space instead of tab?)") for message in messages(record))
    assert all(problem.file.endswith("doc.ann") for problem in record.warnings)


def test_discontinuous_span_is_kept_whole_with_a_warning(tmp_path):
    record = read_one(tmp_path, ENTITIES + "T4\tVEH 16 17;18 24\ta convoy\n")
    assert spans(record)["T4"] == ("VEH", 16, 24)
    assert messages(record) == ["T4 (line 4): discontinuous span 16-17;18-24 kept as 16-24"]


def test_discontinuous_text_written_without_the_space_is_accepted_as_brat_does(tmp_path):
    record = read_one(tmp_path, "T1\tVEH 16 17;18 24\taconvoy\n")
    assert messages(record) == ["T1 (line 1): discontinuous span 16-17;18-24 kept as 16-24"]


def test_text_that_differs_from_the_document_is_reported_and_offsets_kept(tmp_path):
    record = read_one(tmp_path, "T1\tPER 0 6\tRebel\nT2\tPER 0 6\tRebels and more\n")
    assert spans(record) == {"T1": ("PER", 0, 6), "T2": ("PER", 0, 6)}
    assert messages(record) == [
        "T1 (line 1): text 'Rebel' differs from the document's 'Rebels' at 0-6; offsets kept"
    ]


def test_a_span_without_text_is_kept_with_a_warning(tmp_path):
    record = read_one(tmp_path, "T1\tPER 0 6\n")
    assert spans(record) == {"T1": ("PER", 0, 6)}
    assert "no text after the offsets" in messages(record)[0]


def test_bad_offsets_drop_the_span_and_name_it(tmp_path):
    ann = (
        "T1\tPER 0 6\tRebels\nT2\tGPE 40 99\tx\nT3\tGPE 33 28\tx\nT4\tGPE 7 7\t\nT5\tGPE -1 3\tx\n"
    )
    record = read_one(tmp_path, ann)
    assert list(spans(record)) == ["T1"]
    assert messages(record) == [
        "T2 (line 2): offsets 40-99 are outside the text (44 characters); dropped",
        "T3 (line 3): start 33 is after end 28; dropped",
        "T4 (line 4): zero-length span at 7; dropped",
        "T5 (line 5): offsets -1-3 are outside the text (44 characters); dropped",
    ]
    assert [problem.line for problem in record.warnings] == [2, 3, 4, 5]


def test_duplicate_ids_keep_the_first(tmp_path):
    record = read_one(tmp_path, "T1\tPER 0 6\tRebels\nT1\tGPE 28 33\tKabul\n")
    assert spans(record) == {"T1": ("PER", 0, 6)}
    assert messages(record) == ["T1 (line 2): duplicate id (first on line 1); ignored"]


def test_unparsable_and_unknown_lines_are_reported_not_dropped_silently(tmp_path):
    ann = ENTITIES + "X1\tSomething T1\nnonsense\n\nT9\tPER zero six\tRebels\n"
    record = read_one(tmp_path, ann)
    assert len(record.annotations.spans) == 3
    assert [problem.line for problem in record.warnings] == [4, 5, 7]
    assert "unknown kind of annotation 'X'" in messages(record)[0]
    assert "cannot read 'nonsense'" in messages(record)[1]
    assert messages(record)[2].startswith("T9 (line 7): cannot read 'PER zero six'")


# Events


def test_events_take_their_triggers_offsets_and_triggers_are_not_spans(tmp_path):
    ann = ENTITIES + "T4\tAttack 7 15\tattacked\nE1\tAttack:T4 Attacker:T1 Target:T2 Place:T3\n"
    record = read_one(tmp_path, ann)
    assert "T4" not in spans(record)
    event = events(record)["E1"]
    assert (event.start, event.end, event.label, event.line) == (7, 15, "Attack", 5)
    assert event.arguments == [
        ArgumentRecord("Attacker", "T1"),
        ArgumentRecord("Target", "T2"),
        ArgumentRecord("Place", "T3"),
    ]
    assert record.warnings == []


def test_forward_references_resolve(tmp_path):
    ann = "E1\tAttack:T4 Attacker:T1\nT4\tAttack 7 15\tattacked\nT1\tPER 0 6\tRebels\n"
    record = read_one(tmp_path, ann)
    assert events(record)["E1"].arguments == [ArgumentRecord("Attacker", "T1")]
    assert record.warnings == []


def test_nested_events_take_events_as_arguments(tmp_path):
    text = "Reuters reported that rebels attacked."
    ann = (
        "T1\tORG 0 7\tReuters\nT2\tReport 8 16\treported\nT3\tAttack 29 37\tattacked\n"
        "E1\tReport:T2 Reporter:T1 Event:E2\nE2\tAttack:T3\n"
    )
    record = read_one(tmp_path, ann, text)
    assert events(record)["E1"].arguments == [
        ArgumentRecord("Reporter", "T1"),
        ArgumentRecord("Event", "E2"),
    ]
    assert events(record)["E2"].arguments == []
    assert list(spans(record)) == ["T1"]


def test_several_events_share_a_trigger_and_an_attribute_on_it(tmp_path):
    ann = (
        ENTITIES + "T4\tAttack 7 15\tattacked\nE1\tAttack:T4 Target:T2\nE2\tAttack:T4 Place:T3\n"
        "A1\tNegation T4\n#1\tAnnotatorNotes T4\tone word, two events\n"
    )
    record = read_one(tmp_path, ann)
    first, second = record.annotations.events
    assert (first.start, first.end) == (second.start, second.end) == (7, 15)
    assert first.attributes == second.attributes == {"Negation": True}
    assert first.note == second.note == "one word, two events"
    assert "T4" not in spans(record)


def test_numbered_roles_keep_their_number_even_without_an_unnumbered_partner(tmp_path):
    text = "p53 and MDM2 bind at the site and the domain."
    ann = (
        "T1\tProtein 0 3\tp53\nT2\tProtein 8 12\tMDM2\nT3\tBinding 13 17\tbind\n"
        "T4\tEntity 25 29\tsite\nE1\tBinding:T3 Theme:T1 Theme2:T2 Site2:T4\n"
    )
    record = read_one(tmp_path, ann, text)
    assert events(record)["E1"].arguments == [
        ArgumentRecord("Theme", "T1", 1),
        ArgumentRecord("Theme", "T2", 2),
        ArgumentRecord("Site", "T4", 2),
    ]


def test_an_event_without_a_trigger_is_dropped_with_a_warning(tmp_path):
    record = read_one(tmp_path, ENTITIES + "E1\tAttack Attacker:T1\nE2\tAttack:T9\n")
    assert record.annotations.events == []
    assert messages(record)[0].startswith("E1 (line 4): the event has no TYPE:TRIGGER")
    assert messages(record)[1] == "E2 (line 5): trigger T9 is not defined; event dropped"


def test_an_unknown_argument_is_dropped_and_the_event_kept(tmp_path):
    ann = ENTITIES + "T4\tAttack 7 15\tattacked\nE1\tAttack:T4 Attacker:T1 Target:T8\n"
    record = read_one(tmp_path, ann)
    assert events(record)["E1"].arguments == [ArgumentRecord("Attacker", "T1")]
    assert messages(record) == [
        "E1 (line 5): argument Target:T8: T8 is not defined; argument dropped"
    ]


def test_an_argument_on_a_dropped_span_says_so(tmp_path):
    ann = "T1\tPER 0 99\tRebels\nT4\tAttack 7 15\tattacked\nE1\tAttack:T4 Attacker:T1\n"
    record = read_one(tmp_path, ann)
    assert events(record)["E1"].arguments == []
    assert messages(record)[1] == (
        "E1 (line 3): argument Attacker:T1: T1 (line 1) was not imported; argument dropped"
    )


def test_an_event_whose_type_differs_from_its_trigger_is_kept_with_a_warning(tmp_path):
    record = read_one(tmp_path, "T1\tDie 7 15\tattacked\nE1\tAttack:T1\n")
    assert events(record)["E1"].label == "Attack"
    assert "type Attack differs from its trigger T1's type Die" in messages(record)[0]


def test_an_argument_naming_a_trigger_is_taken_as_its_event(tmp_path):
    text = "Reuters reported the attack."
    ann = (
        "T1\tORG 0 7\tReuters\nT2\tReport 8 16\treported\nT3\tAttack 21 27\tattack\n"
        "E1\tReport:T2 Reporter:T1 Event:T3\nE2\tAttack:T3\n"
    )
    record = read_one(tmp_path, ann, text)
    assert events(record)["E1"].arguments[1] == ArgumentRecord("Event", "E2")
    assert messages(record) == [
        "E1 (line 4): argument Event:T3 names the trigger of E2; taken as E2"
    ]


# Relations, attributes, normalisations, notes, equivalences


def test_relations_accept_the_trailing_tab_and_take_the_first_argument_as_head(tmp_path):
    ann = ENTITIES + "R1\tLocated Arg1:T2 Arg2:T3\t\nR2\tNear Arg2:T3 Arg1:T1\n"
    record = read_one(tmp_path, ann)
    first, second = record.annotations.relations
    assert (first.label, first.head, first.tail, first.ref, first.line) == (
        "Located",
        "T2",
        "T3",
        "R1",
        4,
    )
    assert first.attributes == {}
    assert (second.head, second.tail) == ("T3", "T1")
    assert second.attributes == {"roles": ["Arg2", "Arg1"]}
    assert record.warnings == []


def test_a_relation_to_an_unknown_id_is_dropped_with_a_warning(tmp_path):
    record = read_one(tmp_path, ENTITIES + "R1\tLocated Arg1:T1 Arg2:T7\t\n")
    assert record.annotations.relations == []
    assert messages(record) == [
        "R1 (line 4): argument Arg2:T7: T7 is not defined; relation dropped"
    ]


def test_attributes_binary_valued_with_spaces_and_m_lines(tmp_path):
    ann = (
        ENTITIES + "T4\tAttack 7 15\tattacked\nE1\tAttack:T4\nR1\tLocated Arg1:T2 Arg2:T3\t\n"
        "A1\tMention T1 Nominal\nA2\tComment T3 very likely true\nM1\tNegation E1\n"
        "A3\tstatement R1\nA4\tConfidence T9 High\n"
    )
    record = read_one(tmp_path, ann)
    assert record.annotations.spans[0].attributes == {"Mention": "Nominal"}
    assert record.annotations.spans[2].attributes == {"Comment": "very likely true"}
    assert events(record)["E1"].attributes == {"Negation": True}
    assert record.annotations.relations[0].attributes == {"statement": True}
    assert messages(record) == ["A4 (line 11): target T9 is not defined; ignored"]


def test_attributes_and_notes_may_come_before_their_targets(tmp_path):
    ann = "A1\tstatement R1\n#1\tAnnotatorNotes E1\tcheck\nR1\tLocated Arg1:T2 Arg2:T3\t\n"
    record = read_one(tmp_path, ann + ENTITIES + "E1\tAttack:T4\nT4\tAttack 7 15\tattacked\n")
    assert record.annotations.relations[0].attributes == {"statement": True}
    assert events(record)["E1"].note == "check"
    assert record.warnings == []


def test_normalisations_split_at_the_first_colon(tmp_path):
    record = read_one(tmp_path, ENTITIES + "N1\tReference T1 GO:GO:0005515\tprotein binding\n")
    assert record.annotations.spans[0].attributes == {
        "normalizations": [
            {"type": "Reference", "rid": "GO", "eid": "GO:0005515", "text": "protein binding"}
        ]
    }


def test_notes_keep_leading_spaces_and_join_with_newlines(tmp_path):
    ann = ENTITIES + "#1\tLemma T1\t Rebel\n#2\tAnnotatorNotes T1\tsuspect\ttoo\n"
    record = read_one(tmp_path, ann)
    assert record.annotations.spans[0].note == " Rebel\nsuspect\ttoo"


def test_equivalence_lines_are_reported_not_dropped_silently(tmp_path):
    record = read_one(tmp_path, ENTITIES + "*\tEquiv T1 T2\n")
    assert len(record.annotations.spans) == 3
    [warning] = record.warnings
    assert warning.line == 4
    assert warning.severity == "warning"
    assert warning.message.startswith("equivalence line 4 not imported")


# annotation.conf


def conf(entities: str = "", relations: str = "", events: str = "", attributes: str = "") -> str:
    return (
        f"[entities]\n{entities}\n[relations]\n{relations}\n[events]\n{events}\n"
        f"[attributes]\n{attributes}\n"
    )


def keys(items: list[dict]) -> list[str]:
    return [item["key"] for item in items]


def test_conf_hierarchy_abstract_types_and_groups():
    text = conf(
        entities="!Agent\n\tPerson\n\tOrganization\nGPE\n",
        events="!Life\n\tDie\tVictim:Person\n\t!Personal\n\t\tMarry\tPerson{2}:Person\nReport\n",
    )
    data = schema_data_from_conf(text, key="k", name="N")
    assert keys(data["entity_types"]) == ["Person", "Organization", "GPE"]
    assert [(item["key"], item["group"]) for item in data["event_types"]] == [
        ("Die", "Life"),
        ("Marry", "Personal"),
        ("Report", ""),
    ]


def test_conf_role_typed_with_an_abstract_type_takes_its_children():
    text = conf(entities="!Agent\n\tPerson\n\tOrganization\nGPE\n", events="Hire\tEmployer:Agent\n")
    [hire] = schema_data_from_conf(text, key="k", name="N")["event_types"]
    assert hire["roles"][0]["entity_types"] == ["Person", "Organization"]


def test_conf_cardinalities_are_stripped_from_role_names():
    text = conf(
        entities="Protein\nEntity\n",
        events="Binding\tTheme+:Protein, Site*:Entity, Cause?:Protein, Pair{2}:Protein, "
        "Part{1-3}:Entity, Plain:Protein\n",
    )
    [binding] = schema_data_from_conf(text, key="k", name="N")["event_types"]
    assert keys(binding["roles"]) == ["Theme", "Site", "Cause", "Pair", "Part", "Plain"]


def test_conf_event_fillers_are_left_out_of_entity_types():
    text = conf(
        entities="Protein\n",
        events="Regulation\tTheme:Protein|<EVENT>, Cause?:<EVENT>, Any:<ANY>\n"
        "Expression\tTheme:Protein\nReport\tEvent-Arg:Expression\n",
    )
    regulation, _, report = schema_data_from_conf(text, key="k", name="N")["event_types"]
    assert [role["entity_types"] for role in regulation["roles"]] == [["Protein"], [], ["Protein"]]
    assert report["roles"][0]["entity_types"] == []


def test_conf_macros_apply_in_their_section_only():
    text = conf(
        entities="Person\nGPE\n",
        events="<PG>=Person|GPE\nDie\tVictim:<PG>\n",
        relations="Near\tArg1:<PG>, Arg2:GPE\n",
    )
    with pytest.raises(InvalidInput, match=r"line 6: Arg1 of Near names <PG>.*only in the section"):
        schema_data_from_conf(text, key="k", name="N")
    data = schema_data_from_conf(
        text.replace("Near\tArg1:<PG>", "Near\tArg1:Person"), key="k", name="N"
    )
    assert data["event_types"][0]["roles"][0]["entity_types"] == ["Person", "GPE"]


def test_conf_separators_comments_spans_alias_and_type_aliases():
    text = (
        "# a comment\n[spans]\nProtein|GGP\n----\n  # indented comment\nEntity\n"
        "[relations]\n[events]\nProtein_binding|GO:0005515\tTheme+:Protein\n-----\n[attributes]\n"
    )
    data = schema_data_from_conf(text, key="k", name="N")
    assert keys(data["entity_types"]) == ["Protein", "Entity"]
    assert data["entity_types"][0]["description"] == "Also called GGP in brat."
    assert keys(data["event_types"]) == ["Protein_binding"]


def test_conf_relations_skip_overlap_rules_and_relation_properties():
    text = conf(
        entities="Person\nGPE\nOrganization\n",
        relations="Alias\tArg1:Person, Arg2:Person, <REL-TYPE>:symmetric-transitive\n"
        "<OVERLAP>\tArg1:GPE, Arg2:Organization, <OVL-TYPE>:contain\n"
        "Located\tArg1:Person|Organization, Arg2:GPE\n",
    )
    relations = schema_data_from_conf(text, key="k", name="N")["relation_types"]
    assert [(item["key"], item["arg1_types"], item["arg2_types"]) for item in relations] == [
        ("Alias", ["Person"], ["Person"]),
        ("Located", ["Person", "Organization"], ["GPE"]),
    ]


def test_conf_attributes_binary_valued_and_by_type_list():
    text = conf(
        entities="Person\n",
        events="Die\tVictim:Person\n",
        relations="Knows\tArg1:Person, Arg2:Person\n",
        attributes="Negation\tArg:<EVENT>\nConfidence\tArg:<EVENT>, Value:High|Low\n"
        "Checked\tArg:Person|Die|Knows\nFlag\tArg:<ANY>\n",
    )
    attributes = schema_data_from_conf(text, key="k", name="N")["attribute_types"]
    assert [(item["key"], item["applies_to"], item["values"]) for item in attributes] == [
        ("Negation", "event", []),
        ("Confidence", "event", ["High", "Low"]),
        ("Checked", "entity", []),
        ("Checked", "event", []),
        ("Checked", "relation", []),
        ("Flag", "entity", []),
        ("Flag", "event", []),
        ("Flag", "relation", []),
    ]


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("[entities]\nPerson\n[entitys]\n", r"line 3: unknown section \[entitys\]"),
        ("Person\n[entities]\n", r"line 1: a type before the first \[section\]"),
        (
            conf(entities="Person", events="Die\tVictim Person\n"),
            r"line 6: cannot read 'Victim Person'",
        ),
        (
            conf(entities="Person", events="Die\tVictim:Persn\n"),
            r"line 6: role Victim of Die names Persn",
        ),
        (
            conf(entities="Person", events="Die\tVictim{0}:Person\n"),
            r"line 6: .*impossible cardinality",
        ),
        (
            conf(entities="Person", events="Die\tA:Person, A?:Person\n"),
            r"line 6: Die has the role A twice",
        ),
        (
            conf(entities="Person\nPerson"),
            r"line 3: entity type Person is defined twice \(first on line 2\)",
        ),
        (
            conf(entities="Gr\u00f6\u00dfe"),
            r"line 2: entity type 'Gr\u00f6\u00dfe' cannot be a schema key",
        ),
        (
            conf(entities="Person", relations="Knows\tArg1:Person\n"),
            r"line 4: relation Knows needs two",
        ),
        (conf(attributes="Negation\tValue:Yes|No\n"), r"line 8: attribute Negation needs Arg"),
        (conf(events="<EVENT>=Die\n"), r"line 6: <EVENT> is reserved"),
        (conf(entities="Person", events="Die\tVictim:Person|\n"), r"line 6: empty type"),
    ],
)
def test_conf_errors_name_the_line(text, error):
    with pytest.raises(InvalidInput, match=error) as raised:
        schema_data_from_conf(text, key="k", name="N")
    assert raised.value.extra["line"] == int(re.search(r"line (\d+)", error).group(1))


# Conformance: the real files


def expected_annotations(ann: str) -> dict:
    """Read a .ann the simplest way, for files written by brat itself (no traps)."""
    rows = [line.split("\t") for line in ann.splitlines() if line]
    triggers = {row[1].split()[0].split(":")[1] for row in rows if row[0].startswith("E")}
    expected = {"spans": {}, "events": {}, "relations": {}, "attributes": [], "notes": []}
    bounds = {}
    for row in rows:
        kind, fields = row[0][0], row[1].split()
        if kind == "T":
            label, start, end = fields[0], int(fields[1]), int(fields[2])
            bounds[row[0]] = (start, end, row[2])
            if row[0] not in triggers:
                expected["spans"][row[0]] = (label, start, end)
    for row in rows:
        kind, fields = row[0][0], row[1].split()
        if kind == "E":
            label, trigger = fields[0].split(":")
            arguments = []
            for field in fields[1:]:
                role, ref = field.split(":")
                name, number = re.fullmatch(r"(.*?)(\d*)", role).groups()
                arguments.append((name, int(number or 1), ref))
            start, end, _ = bounds[trigger]
            expected["events"][row[0]] = (label, start, end, sorted(arguments))
        elif kind == "R":
            heads = [field.split(":")[1] for field in fields[1:]]
            expected["relations"][row[0]] = (fields[0], heads[0], heads[1])
        elif kind == "A":
            value = fields[2] if len(fields) > 2 else True
            expected["attributes"].append((fields[1], fields[0], value))
        elif kind == "#":
            expected["notes"].append((fields[1], row[2]))
    return {"bounds": bounds, **expected}


def check_conformance(record: ArticleRecord, ann: str) -> None:
    expected = expected_annotations(ann)
    got = record.annotations
    for ref, (start, end, text) in expected["bounds"].items():
        assert record.text[start:end] == text, ref
    assert spans(record) == expected["spans"]
    assert {
        event.ref: (
            event.label,
            event.start,
            event.end,
            sorted((argument.role, argument.index, argument.ref) for argument in event.arguments),
        )
        for event in got.events
    } == expected["events"]
    assert {
        relation.ref: (relation.label, relation.head, relation.tail) for relation in got.relations
    } == expected["relations"]
    items = {item.ref: item for item in [*got.spans, *got.events, *got.relations]}
    for target, name, value in expected["attributes"]:
        assert items[target].attributes[name] == value
    for target, text in expected["notes"]:
        assert text in items[target].note.split("\n")
    equivalences = sum(1 for line in ann.splitlines() if line.startswith("*\t"))
    assert len(record.warnings) == equivalences, record.warnings
    assert all("equivalence" in problem.message for problem in record.warnings)


@pytest.mark.parametrize("folder", ["brat-news-tutorial", "brat-pie-datasets-fixtures/train"])
def test_every_real_document_reads_as_its_lines_say(testdata, folder):
    records = read_all(testdata / folder)
    anns = sorted((testdata / folder).glob("*.ann"))
    assert [record.external_id for record in records] == [path.stem for path in anns]
    for record, path in zip(records, anns, strict=True):
        assert isinstance(record, ArticleRecord), record
        assert record.metadata["brat"]["ann"].endswith(path.name)
        check_conformance(record, path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def news(testdata) -> dict[str, ArticleRecord]:
    return {record.external_id: record for record in read_all(testdata / "brat-news-tutorial")}


def test_news_forward_references_resolve(news):
    merger = events(news["080-event-annotation"])["E2"]
    assert merger.arguments == [
        ArgumentRecord("Org-Arg", "T4", 1),
        ArgumentRecord("Org-Arg", "T5", 2),
    ]
    assert news["080-event-annotation"].text[merger.start : merger.end] == "merged"


def test_news_events_carry_confidence_attributes(news):
    confidence = {
        ref: event.attributes.get("Confidence")
        for ref, event in events(news["100-attribute_annotation"]).items()
    }
    assert confidence == {
        "E1": "Neutral",
        "E2": "Low",
        "E3": "Neutral",
        "E4": "Neutral",
        "E5": "High",
        "E6": None,
        "E7": None,
        "E8": None,
        "E9": None,
        "E10": None,
    }
    assert news["100-attribute_annotation"].annotations.spans[0].attributes == {"Individual": True}


def test_news_notes_and_a_three_way_merger(news):
    record = news["110-note_annotation"]
    assert record.annotations.spans[0].ref == "T1"
    assert record.annotations.spans[0].note == "Should fictional places be annotated?"
    merger = events(record)["E1"]
    assert [(argument.role, argument.index) for argument in merger.arguments] == [
        ("Org-Arg", 1),
        ("Org-Arg", 2),
        ("Org-Arg", 3),
    ]
    assert (
        record.annotations.relations[0].note == "Should this be marked? It's not explicitly stated."
    )


def test_news_normalisation_and_nested_reports(news):
    [person] = [span for span in news["000-introduction"].annotations.spans if span.ref == "T5"]
    assert person.attributes["normalizations"] == [
        {
            "type": "Reference",
            "rid": "Wikipedia",
            "eid": "64488",
            "text": "Carlos Salinas de Gortari",
        }
    ]
    reports = events(news["090-event_structures"])
    assert ArgumentRecord("Event-Arg", "E4") in reports["E3"].arguments
    assert ArgumentRecord("Event-Arg", "E6") in reports["E5"].arguments


def test_news_empty_ann_files_give_records_without_annotations(news):
    for name in ("010-navigation", "020-top_bar", "030-login", "999-complete"):
        assert news[name].annotations is not None
        assert len(news[name].annotations) == 0
        assert news[name].warnings == []


def test_pie_fixture_attribute_on_a_relation(testdata):
    _, second = read_all(testdata / "brat-pie-datasets-fixtures" / "train")
    assert second.annotations.relations[0].attributes == {"statement": True}
    assert second.annotations.spans[0].attributes == {"factuality": "actual"}


def news_conf(testdata) -> dict:
    text = (testdata / "brat-news-tutorial" / "annotation.conf").read_text(encoding="utf-8")
    return schema_data_from_conf(text, key="brat-news", name="brat news tutorial")


def test_news_conf_types(testdata):
    data = news_conf(testdata)
    assert keys(data["entity_types"]) == ["Person", "Organization", "GPE", "Money"]
    assert [(item["key"], item["group"]) for item in data["event_types"]] == [
        ("Be-born", "Life"),
        ("Marry", "Life"),
        ("Divorce", "Life"),
        ("Die", "Life"),
        ("Transfer-ownership", "Transaction"),
        ("Transfer-money", "Transaction"),
        ("Start-org", "Business"),
        ("Merge-org", "Business"),
        ("End-org", "Business"),
        ("Report", ""),
    ]
    report = data["event_types"][-1]
    assert report["roles"] == [
        {
            "key": "Reporter-Arg",
            "name": "Reporter-Arg",
            "entity_types": ["Person", "Organization", "GPE"],
        },
        {"key": "Event-Arg", "name": "Event-Arg", "entity_types": []},
    ]
    marry = data["event_types"][1]
    assert [role["key"] for role in marry["roles"]] == ["Person-Arg", "Place-Arg"]
    assert [
        (item["key"], item["arg1_types"], item["arg2_types"]) for item in data["relation_types"]
    ] == [
        ("Located", ["Person"], ["GPE"]),
        ("Geographical_part", ["GPE"], ["GPE"]),
        ("Family", ["Person"], ["Person"]),
        ("Employment", ["Person"], ["GPE"]),
        ("Ownership", ["Person"], ["Organization"]),
        ("Origin", ["Organization"], ["GPE"]),
        ("Alias", ["Person"], ["Person"]),
    ]
    assert [
        (item["key"], item["applies_to"], item["values"]) for item in data["attribute_types"]
    ] == [
        ("Individual", "entity", []),
        ("Mention", "entity", ["Name", "Nominal", "Other"]),
        ("Negation", "event", []),
        ("Confidence", "event", ["High", "Neutral", "Low"]),
    ]


@pytest.mark.django_db
def test_news_conf_is_accepted_by_schema_create(testdata):
    schema = schema_create(data=news_conf(testdata))
    assert schema.entity_types.count() == 4
    assert schema.event_types.count() == 10
    assert schema.relation_types.count() == 7
    die = EventRole.objects.get(event_type__schema=schema, event_type__key="Die", key="Agent-Arg")
    assert sorted(die.entity_types.values_list("key", flat=True)) == [
        "GPE",
        "Organization",
        "Person",
    ]
    confidence = AttributeType.objects.get(schema=schema, key="Confidence")
    assert (confidence.applies_to, confidence.values) == ("event", ["High", "Neutral", "Low"])
