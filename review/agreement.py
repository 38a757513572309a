"""Agreement of two layers: entity F1 (exact, overlap), token kappa, trigger and argument F1.

Pure: works on `LayerContent` values and token offsets, never on the database. A
`Comparison` adds up counts document by document, so a corpus is measured with memory
flat in its size: what it keeps grows with the number of labels, not of documents.

Two annotators are compared symmetrically: F1 = 2 * matched / (items of one + items of
the other) is the same whichever is taken as reference, so only F1 is given for a pair.
A model is compared with gold as reference: precision = matched / model's items, recall
= matched / gold's items.
"""

import re
from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from annotations.content import EventItem, LayerContent, SpanItem

ENTITY_EXACT = "entity_exact"
ENTITY_OVERLAP = "entity_overlap"
TOKEN_KAPPA = "token_kappa"
TRIGGER = "trigger"
ARGUMENT = "argument"
MEASURES = (ENTITY_EXACT, ENTITY_OVERLAP, TOKEN_KAPPA, TRIGGER, ARGUMENT)
MEASURE_MEANINGS = {
    ENTITY_EXACT: "entity spans: same start, end and type",
    ENTITY_OVERLAP: "entity spans: same type, offsets overlap (each span matched once)",
    TOKEN_KAPPA: "Cohen's kappa over tokens labelled by the entity type covering them, or O",
    TRIGGER: "event triggers: same start, end and event type",
    ARGUMENT: "arguments: matching event (trigger + type), same role, same filler span",
}

PAIR = "pair"
ALL_PAIRS = "all-pairs"
MODEL = "model"

OUTSIDE = "O"
WORD = re.compile(r"\S+")

Offsets = Sequence[Sequence[int]]


@dataclass(slots=True)
class Matches:
    """How many items two sides agree on, and how many each side holds."""

    matched: int = 0
    reference: int = 0
    other: int = 0

    @property
    def precision(self) -> float | None:
        return self.matched / self.other if self.other else None

    @property
    def recall(self) -> float | None:
        return self.matched / self.reference if self.reference else None

    @property
    def f1(self) -> float | None:
        # 2PR / (P + R) simplifies to this, and it is defined when one side is empty.
        total = self.reference + self.other
        return 2 * self.matched / total if total else None


@dataclass(frozen=True, slots=True)
class MeasureRow:
    """One measure of one comparison, for one label or, with `label` None, all of them."""

    measure: str
    label: str | None
    matched: int | None = None
    reference_count: int | None = None
    other_count: int | None = None
    precision: float | None = None
    recall: float | None = None
    f1: float | None = None
    kappa: float | None = None
    observed: float | None = None
    tokens: int | None = None


@dataclass
class Comparison:
    """Two sides of a corpus (two annotators, or a model and gold), added up over documents.

    `reference` is gold for a model; for a pair of annotators, the first by name.
    """

    kind: str
    reference: str
    other: str
    documents: int = 0
    matches: dict[str, dict[str, Matches]] = field(
        default_factory=lambda: {measure: defaultdict(Matches) for measure in MEASURES}
    )
    token_pairs: Counter[tuple[str, str]] = field(default_factory=Counter)

    def add(self, reference: LayerContent, other: LayerContent, tokens: Offsets) -> None:
        """Count one document that both sides annotated."""
        self.documents += 1
        _tally(self.matches[ENTITY_EXACT], _span_keys(reference), _span_keys(other))
        _tally_overlap(self.matches[ENTITY_OVERLAP], reference.spans, other.spans)
        _tally(self.matches[TRIGGER], _trigger_keys(reference), _trigger_keys(other))
        _tally(self.matches[ARGUMENT], _argument_keys(reference), _argument_keys(other))
        labels = token_labels(reference.spans, tokens), token_labels(other.spans, tokens)
        self.token_pairs.update(zip(*labels, strict=True))

    def merge(self, other: "Comparison") -> None:
        """Add `other`'s counts to these (pooling pairs of annotators)."""
        for measure, by_label in other.matches.items():
            for label, counts in by_label.items():
                mine = self.matches[measure][label]
                mine.matched += counts.matched
                mine.reference += counts.reference
                mine.other += counts.other
        self.token_pairs.update(other.token_pairs)

    def rows(self) -> list[MeasureRow]:
        """Return every measure, all labels first and then each label in name order."""
        rows: list[MeasureRow] = []
        for measure in MEASURES:
            if measure == TOKEN_KAPPA:
                rows.extend(self._kappa_rows())
                continue
            by_label = self.matches[measure]
            total = Matches()
            for counts in by_label.values():
                total.matched += counts.matched
                total.reference += counts.reference
                total.other += counts.other
            rows.append(self._f1_row(measure, None, total))
            rows.extend(self._f1_row(measure, label, by_label[label]) for label in sorted(by_label))
        return rows

    def _f1_row(self, measure: str, label: str | None, counts: Matches) -> MeasureRow:
        directed = self.kind == MODEL
        return MeasureRow(
            measure=measure,
            label=label,
            matched=counts.matched,
            reference_count=counts.reference,
            other_count=counts.other,
            precision=counts.precision if directed else None,
            recall=counts.recall if directed else None,
            f1=counts.f1,
        )

    def _kappa_rows(self) -> Iterator[MeasureRow]:
        pairs = self.token_pairs
        labels = sorted({label for pair in pairs for label in pair} - {OUTSIDE})
        for label in (None, *labels):
            confusion = pairs if label is None else _binary(pairs, label)
            tokens = sum(confusion.values())
            agreed = sum(n for (a, b), n in confusion.items() if a == b)
            yield MeasureRow(
                measure=TOKEN_KAPPA,
                label=label,
                kappa=cohen_kappa(confusion),
                observed=agreed / tokens if tokens else None,
                tokens=tokens,
            )


@dataclass
class AgreementReport:
    """A corpus's comparisons: annotator pairs, all pairs pooled, each model against gold."""

    corpus: str
    comparisons: list[Comparison]

    def as_dict(self) -> dict:
        return {
            "corpus": self.corpus,
            "measures": MEASURE_MEANINGS,
            "comparisons": [
                {
                    "kind": comparison.kind,
                    "reference": comparison.reference,
                    "other": comparison.other,
                    "documents": comparison.documents,
                    "measures": [_row_dict(row) for row in comparison.rows()],
                }
                for comparison in self.comparisons
            ],
        }


CSV_COLUMNS = (
    "kind", "reference", "other", "documents", "measure", "label", "matched",
    "reference_count", "other_count", "precision", "recall", "f1", "kappa", "observed", "tokens",
)  # fmt: skip


def report_csv_rows(report: AgreementReport) -> Iterator[list[str]]:
    """Yield the header and one line per comparison, measure and label (label empty: all)."""
    yield list(CSV_COLUMNS)
    for comparison in report.comparisons:
        head = [comparison.kind, comparison.reference, comparison.other, comparison.documents]
        for row in comparison.rows():
            values = [*head, *_row_dict(row).values()]
            yield ["" if value is None else _cell(value) for value in values]


def _cell(value: object) -> str:
    return f"{value:.4f}" if isinstance(value, float) else str(value)


def _row_dict(row: MeasureRow) -> dict:
    return {name: getattr(row, name) for name in MeasureRow.__slots__}


def cohen_kappa(confusion: Counter[tuple[str, str]]) -> float | None:
    """Return Cohen's kappa of two raters from how often they gave each pair of labels.

    kappa = (p_o - p_e) / (1 - p_e), with p_o the share of items labelled alike and p_e =
    sum over labels of (share rater A gave it) * (share rater B gave it). Multiplied by n²
    it is (n * agreed - S) / (n² - S), S = sum of A's count * B's count per label, which
    is exact in integers. None when undefined: no items, or both raters gave one label to
    everything (p_e = 1).
    """
    n = sum(confusion.values())
    first: Counter[str] = Counter()
    second: Counter[str] = Counter()
    agreed = 0
    for (a, b), count in confusion.items():
        first[a] += count
        second[b] += count
        agreed += count if a == b else 0
    chance = sum(count * second[label] for label, count in first.items())
    if n == 0 or chance == n * n:
        return None
    return (n * agreed - chance) / (n * n - chance)


def _binary(confusion: Counter[tuple[str, str]], label: str) -> Counter[tuple[str, str]]:
    """Collapse a confusion to `label` against everything else (per-label kappa)."""
    binary: Counter[tuple[str, str]] = Counter()
    for (a, b), count in confusion.items():
        binary[a if a == label else OUTSIDE, b if b == label else OUTSIDE] += count
    return binary


def document_tokens(tokens: Offsets | None, text: str) -> Offsets:
    """Return the document's stored tokens, or whitespace-separated words when it has none.

    Documents are tokenized by pre-annotation; an imported document never pre-annotated has
    no tokens, and its kappa is then over the runs of non-space characters of its text.
    """
    if tokens:
        return tokens
    return [match.span() for match in WORD.finditer(text)]


def token_labels(spans: Sequence[SpanItem], tokens: Offsets) -> list[str]:
    """Return each token's label: the type of an entity span covering it, or O.

    A span covers a token when their offsets overlap. Where spans nest or cross, the
    longest span (the earliest of equally long ones) gives the label.
    """
    labels = [OUTSIDE] * len(tokens)
    starts = [start for start, _ in tokens]
    ends = [end for _, end in tokens]
    for span in sorted(spans, key=lambda span: (span.start - span.end, span.start, span.label)):
        # Tokens that end after the span starts and start before it ends.
        for index in range(bisect_right(ends, span.start), bisect_left(starts, span.end)):
            if labels[index] == OUTSIDE:
                labels[index] = span.label
    return labels


def _tally(counts: dict[str, Matches], reference: Counter, other: Counter) -> None:
    """Add exact matches of keys whose first element is the label (as multisets)."""
    for key, n in reference.items():
        counts[key[0]].reference += n
    for key, n in other.items():
        counts[key[0]].other += n
    for key, n in (reference & other).items():
        counts[key[0]].matched += n


def _tally_overlap(
    counts: dict[str, Matches], reference: Sequence[SpanItem], other: Sequence[SpanItem]
) -> None:
    """Add spans that match by overlap: same label, overlapping offsets, each matched once.

    Candidate pairs are taken greedily, the largest overlap first; ties go to the pair
    whose offsets differ least, so either side may be the reference.
    """
    for span in reference:
        counts[span.label].reference += 1
    for span in other:
        counts[span.label].other += 1
    by_label: dict[str, list[SpanItem]] = defaultdict(list)
    for span in other:
        by_label[span.label].append(span)
    for label, others in by_label.items():
        others.sort(key=lambda span: span.start)
        starts = [span.start for span in others]
        longest = max(span.end - span.start for span in others)
        candidates = []
        for i, mine in enumerate(reference):
            if mine.label != label:
                continue
            # Only spans starting within `longest` before this one's start can reach it.
            reach = bisect_right(starts, mine.start - longest), bisect_left(starts, mine.end)
            for j in range(*reach):
                theirs = others[j]
                overlap = min(mine.end, theirs.end) - max(mine.start, theirs.start)
                if overlap > 0:
                    distance = abs(mine.start - theirs.start) + abs(mine.end - theirs.end)
                    candidates.append((-overlap, distance, i, j))
        candidates.sort()
        taken_mine: set[int] = set()
        taken_theirs: set[int] = set()
        for _, _, i, j in candidates:
            if i not in taken_mine and j not in taken_theirs:
                taken_mine.add(i)
                taken_theirs.add(j)
        counts[label].matched += len(taken_mine)


def _span_keys(content: LayerContent) -> Counter:
    return Counter((span.label, span.start, span.end) for span in content.spans)


def _trigger_keys(content: LayerContent) -> Counter:
    return Counter(_trigger(event) for event in content.events)


def _trigger(event: EventItem) -> tuple[str, int, int]:
    return (event.type, event.trigger_start, event.trigger_end)


def _argument_keys(content: LayerContent) -> Counter:
    """Key each argument by role, its event's trigger and type, and its filler's offsets.

    A nested event as filler is keyed by its trigger and type.
    """
    spans = {span.id: ("span", span.start, span.end) for span in content.spans}
    events = {event.id: ("event", *_trigger(event)) for event in content.events}
    keys: Counter = Counter()
    for event in content.events:
        for argument in event.arguments:
            if argument.span is not None:
                filler = spans.get(argument.span)
            else:
                filler = events.get(argument.target_event)
            if filler is not None:
                keys[argument.role, *_trigger(event), filler] += 1
    return keys
