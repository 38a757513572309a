"""Agreement measures on hand-made layers, each answer worked out in the test."""

import csv
import io
from collections import Counter

import pytest

from annotations.content import ArgumentItem, EventItem, LayerContent, SpanItem
from review.agreement import (
    ARGUMENT,
    ENTITY_EXACT,
    ENTITY_OVERLAP,
    MODEL,
    PAIR,
    TOKEN_KAPPA,
    TRIGGER,
    AgreementReport,
    Comparison,
    cohen_kappa,
    document_tokens,
    report_csv_rows,
    token_labels,
)

# "Kofi Annan arrived in Damascus on Saturday." as pre-annotation tokenizes it.
TOKENS = [(0, 4), (5, 10), (11, 18), (19, 21), (22, 30), (31, 33), (34, 42), (42, 43)]


def spans(*items: tuple[int, int, str]) -> LayerContent:
    return LayerContent(
        spans=[SpanItem(f"T{n}", start, end, label) for n, (start, end, label) in enumerate(items)]
    )


def compared(reference: LayerContent, other: LayerContent, *, kind: str = PAIR) -> dict:
    """Compare one document and return its rows by (measure, label)."""
    comparison = Comparison(kind, "a", "b")
    comparison.add(reference, other, TOKENS)
    return {(row.measure, row.label): row for row in comparison.rows()}


def test_exact_span_f1_counts_same_offsets_and_type_per_label_and_overall():
    a = spans((0, 10, "PER"), (22, 30, "GPE"), (34, 42, "PER"))
    b = spans((0, 10, "PER"), (22, 28, "GPE"), (34, 42, "GPE"))
    rows = compared(a, b)
    # Only PER [0,10) is in both: F1 = 2 * 1 / (3 + 3) = 1/3.
    overall = rows[ENTITY_EXACT, None]
    assert (overall.matched, overall.reference_count, overall.other_count) == (1, 3, 3)
    assert overall.f1 == pytest.approx(1 / 3)
    # PER: a has 2, b has 1, 1 shared: 2 * 1 / 3. GPE: a 1, b 2, none shared: 0.
    assert rows[ENTITY_EXACT, "PER"].f1 == pytest.approx(2 / 3)
    assert rows[ENTITY_EXACT, "GPE"].f1 == 0


def test_overlap_span_f1_needs_the_same_type_and_any_shared_character():
    a = spans((0, 10, "PER"), (22, 30, "GPE"), (34, 42, "PER"))
    b = spans((0, 10, "PER"), (22, 28, "GPE"), (34, 42, "GPE"))
    rows = compared(a, b)
    # PER [0,10) = [0,10); GPE [22,30) ~ [22,28); [34,42) is PER in a but GPE in b: no match.
    # F1 = 2 * 2 / (3 + 3) = 2/3; per label PER 2 * 1 / (2 + 1), GPE 2 * 1 / (1 + 2).
    assert rows[ENTITY_OVERLAP, None].matched == 2
    assert rows[ENTITY_OVERLAP, None].f1 == pytest.approx(2 / 3)
    assert rows[ENTITY_OVERLAP, "PER"].f1 == pytest.approx(2 / 3)
    assert rows[ENTITY_OVERLAP, "GPE"].f1 == pytest.approx(2 / 3)


def test_overlap_matches_each_span_once_taking_the_largest_overlap_first():
    a = spans((0, 6, "PER"), (5, 12, "PER"))
    b = spans((4, 12, "PER"))
    # b's [4,12) overlaps [0,6) by 2 and [5,12) by 7: it goes to [5,12), and is used once.
    # F1 = 2 * 1 / (2 + 1) = 2/3, whichever side is the reference.
    for reference, other in ((a, b), (b, a)):
        row = compared(reference, other)[ENTITY_OVERLAP, None]
        assert row.matched == 1
        assert row.f1 == pytest.approx(2 / 3)
    a = spans((0, 10, "PER"), (9, 20, "PER"))
    b = spans((5, 15, "PER"), (0, 4, "PER"))
    # [5,15) overlaps [9,20) by 6 and [0,10) by 5: largest first pairs it with [9,20), which
    # leaves [0,10) to [0,4) (overlap 4): 2 matched, F1 = 2 * 2 / 4 = 1. Pairing [0,10) with
    # [5,15) first would have left [9,20) alone.
    for reference, other in ((a, b), (b, a)):
        assert compared(reference, other)[ENTITY_OVERLAP, None].f1 == 1


def test_cohen_kappa_of_the_textbook_example():
    # 50 items: both yes 20, both no 15, a yes b no 5, a no b yes 10.
    # p_o = 35/50 = 0.7; a says yes 25/50, b 30/50: p_e = 0.5 * 0.6 + 0.5 * 0.4 = 0.5.
    # kappa = (0.7 - 0.5) / (1 - 0.5) = 0.4.
    confusion = Counter({("yes", "yes"): 20, ("no", "no"): 15, ("yes", "no"): 5, ("no", "yes"): 10})
    assert cohen_kappa(confusion) == pytest.approx(0.4)


def test_cohen_kappa_is_undefined_without_items_or_with_one_label_for_everything():
    assert cohen_kappa(Counter()) is None
    assert cohen_kappa(Counter({("O", "O"): 8})) is None
    assert cohen_kappa(Counter({("PER", "PER"): 2, ("O", "O"): 6})) == 1


def test_token_kappa_labels_each_token_by_the_entity_covering_it():
    a = spans((0, 10, "PER"), (22, 30, "GPE"))
    b = spans((0, 4, "PER"), (22, 33, "GPE"))
    rows = compared(a, b)
    # Tokens:  Kofi Annan arrived in Damascus on  Saturday .
    #      a:  PER  PER   O       O  GPE      O   O        O
    #      b:  PER  O     O       O  GPE      GPE O        O
    # n = 8, alike 6: p_o = 6/8. a: PER 2, GPE 1, O 5; b: PER 1, GPE 2, O 5.
    # p_e = (2*1 + 1*2 + 5*5) / 64 = 29/64; kappa = (6/8 - 29/64) / (1 - 29/64) = 19/35.
    overall = rows[TOKEN_KAPPA, None]
    assert overall.tokens == 8
    assert overall.observed == pytest.approx(6 / 8)
    assert overall.kappa == pytest.approx(19 / 35)
    # PER against the rest: (PER,PER) 1, (PER,O) 1, (O,O) 6; a: PER 2, O 6; b: PER 1, O 7.
    # p_o = 7/8, p_e = (2*1 + 6*7) / 64 = 44/64; kappa = (56 - 44) / (64 - 44) = 12/20.
    assert rows[TOKEN_KAPPA, "PER"].kappa == pytest.approx(12 / 20)


def test_longest_span_labels_nested_tokens_and_partly_covered_tokens_count():
    labels = token_labels(
        [SpanItem(1, 5, 10, "GPE"), SpanItem(2, 0, 10, "PER"), SpanItem(3, 24, 26, "GPE")], TOKENS
    )
    assert labels == ["PER", "PER", "O", "O", "GPE", "O", "O", "O"]


def test_documents_without_tokens_fall_back_to_whitespace_words():
    assert document_tokens(None, "a  bc\nd") == [(0, 1), (3, 5), (6, 7)]
    assert document_tokens([[0, 2]], "ab cd") == [[0, 2]]


def die(trigger: tuple[int, int], event_id="E1", type="Life.Die", **fillers) -> EventItem:
    arguments = [ArgumentItem(role, span=span) for role, span in fillers.items()]
    return EventItem(event_id, type, *trigger, arguments=arguments)


def test_trigger_and_argument_f1_need_the_event_role_and_filler_span_to_match():
    # "A soldier died in Homs."  soldier [2,9), died [10,14), in Homs [15,22), Homs [18,22)
    soldier, homs, in_homs = (2, 9, "PER"), (18, 22, "GPE"), (15, 22, "GPE")
    a = spans(soldier, homs)
    a.events = [die((10, 14), Victim="T0", Place="T1")]
    b = spans(soldier, in_homs)
    b.events = [
        die((10, 14), Victim="T0", Place="T1"),
        die((10, 14), "E2", "Conflict.Attack", Attacker="T0"),
    ]
    rows = compared(a, b)
    # Triggers: Die [10,14) in both, Attack only in b: 2 * 1 / (1 + 2) = 2/3.
    assert rows[TRIGGER, None].f1 == pytest.approx(2 / 3)
    assert rows[TRIGGER, "Life.Die"].f1 == 1
    assert rows[TRIGGER, "Conflict.Attack"].f1 == 0
    # Arguments: Victim=soldier in both; Place is [18,22) in a, [15,22) in b; Attacker only
    # in b. F1 = 2 * 1 / (2 + 3) = 0.4; per role Victim 1, Place 0, Attacker 0.
    assert rows[ARGUMENT, None].f1 == pytest.approx(0.4)
    assert {label: rows[ARGUMENT, label].f1 for label in ("Victim", "Place", "Attacker")} == {
        "Victim": 1,
        "Place": 0,
        "Attacker": 0,
    }


def test_an_argument_of_an_event_with_another_trigger_does_not_match():
    a = spans((2, 9, "PER"))
    a.events = [die((10, 14), Victim="T0")]
    b = spans((2, 9, "PER"))
    b.events = [die((11, 14), Victim="T0")]
    assert compared(a, b)[ARGUMENT, None].matched == 0


def test_nested_event_fillers_match_by_the_target_events_trigger_and_type():
    def layer(target_type: str, ids: tuple[str, str]) -> LayerContent:
        inner = EventItem(ids[0], target_type, 10, 14)
        outer = EventItem(
            ids[1], "Justice.Arrest", 30, 38, arguments=[ArgumentItem("Crime", target_event=ids[0])]
        )
        return LayerContent(events=[inner, outer])

    # Ids differ between layers; the target event's trigger and type are what count.
    assert (
        compared(layer("Life.Die", ("E1", "E2")), layer("Life.Die", (7, 8)))[
            ARGUMENT, "Crime"
        ].matched
        == 1
    )
    assert (
        compared(layer("Life.Die", ("E1", "E2")), layer("Conflict.Attack", (7, 8)))[
            ARGUMENT, "Crime"
        ].matched
        == 0
    )


def test_model_against_gold_gives_precision_and_recall_a_pair_only_f1():
    gold = spans((0, 10, "PER"), (22, 30, "GPE"), (34, 42, "PER"))
    model = spans((0, 10, "PER"), (22, 30, "GPE"), (11, 18, "PER"), (0, 4, "PER"))
    row = compared(gold, model, kind=MODEL)[ENTITY_EXACT, None]
    # 2 shared; P = 2/4, R = 2/3, F1 = 2 * 2 / (3 + 4) = 4/7.
    assert (row.precision, row.recall, row.f1) == pytest.approx((0.5, 2 / 3, 4 / 7))
    # PER: gold 2, model 3, shared 1: P 1/3, R 1/2.
    per = compared(gold, model, kind=MODEL)[ENTITY_EXACT, "PER"]
    assert (per.precision, per.recall) == pytest.approx((1 / 3, 1 / 2))
    pair = compared(gold, model)[ENTITY_EXACT, None]
    assert (pair.precision, pair.recall, pair.f1) == (None, None, pytest.approx(4 / 7))
    assert compared(model, gold)[ENTITY_EXACT, None].f1 == pytest.approx(4 / 7)


def test_counts_add_up_over_documents_and_pooled_pairs():
    comparison = Comparison(PAIR, "a", "b")
    comparison.add(spans((0, 10, "PER")), spans((0, 10, "PER")), TOKENS)
    comparison.add(spans((22, 30, "GPE")), spans(), TOKENS)
    # 1 shared of 2 + 1 items: F1 = 2 * 1 / 3.
    rows = {(row.measure, row.label): row for row in comparison.rows()}
    assert comparison.documents == 2
    assert rows[ENTITY_EXACT, None].f1 == pytest.approx(2 / 3)
    assert rows[TOKEN_KAPPA, None].tokens == 16
    pooled = Comparison("all-pairs", "*", "*")
    pooled.merge(comparison)
    pooled.merge(comparison)
    assert {(row.measure, row.label): row for row in pooled.rows()}[ENTITY_EXACT, None].matched == 2


def test_empty_sides_give_no_f1_and_the_csv_has_one_line_per_measure_and_label():
    comparison = Comparison(PAIR, "ana", "bo")
    comparison.add(spans((0, 10, "PER")), spans((0, 10, "PER")), TOKENS)
    rows = {(row.measure, row.label): row for row in comparison.rows()}
    assert rows[TRIGGER, None].f1 is None
    lines = list(csv.reader(io.StringIO(_csv(AgreementReport("c", [comparison])))))
    assert lines[0][:6] == ["kind", "reference", "other", "documents", "measure", "label"]
    assert lines[2][:9] == ["pair", "ana", "bo", "1", ENTITY_EXACT, "PER", "1", "1", "1"]
    assert lines[2][11] == "1.0000"
    # entity_exact, entity_overlap: all + PER; token_kappa: all + PER; trigger, argument: all.
    assert len(lines) == 1 + 2 + 2 + 2 + 1 + 1


def _csv(report: AgreementReport) -> str:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(report_csv_rows(report))
    return buffer.getvalue()
