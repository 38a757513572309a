"""Layers for the agreement tests: two annotators who differ on Kofi Annan, gold and a model.

On "Kofi Annan arrived in Damascus on Saturday." (no stored tokens: the whitespace words
Kofi, Annan, arrived, in, Damascus, on, Saturday. are the 7 tokens):

- ana (and gold): PER [0,10) "Kofi Annan", GPE [22,30), Life.Die [11,18) with Victim
  = "Kofi Annan" and Place = Damascus;
- bo (and the model "test_model"): PER [0,4) "Kofi" instead, the rest the same.

Worked out for the pair, and for the model against gold:
- entity exact: GPE shared, PER not: matched 1 of 2 and 2, F1 = 2 * 1 / 4 = 0.5
  (model: P = 1/2, R = 1/2);
- entity overlap: both overlap: F1 = 2 * 2 / 4 = 1;
- tokens: ana PER PER O O GPE O O, bo PER O O O GPE O O: 6 of 7 alike; ana PER 2, O 4,
  GPE 1; bo PER 1, O 5, GPE 1: kappa = (7*6 - (2*1 + 4*5 + 1*1)) / (49 - 23) = 19/26;
- triggers: Life.Die [11,18) in both: F1 = 1;
- arguments: Place shared, Victim's filler differs: F1 = 2 * 1 / 4 = 0.5.
"""

from annotations.content import ArgumentItem, EventItem, LayerContent, SpanItem
from annotations.labels import LabelIndex
from annotations.models import Annotation
from annotations.services.content import layer_content_write
from corpus.models import Document

TEXT = "Kofi Annan arrived in Damascus on Saturday."
KAPPA = 19 / 26


def annan(person_end: int) -> LayerContent:
    return LayerContent(
        spans=[SpanItem("T1", 0, person_end, "PER"), SpanItem("T2", 22, 30, "GPE")],
        events=[
            EventItem(
                "E1",
                "Life.Die",
                11,
                18,
                arguments=[ArgumentItem("Victim", span="T1"), ArgumentItem("Place", span="T2")],
            )
        ],
    )


def layer_add(document: Document, content: LayerContent, **fields) -> Annotation:
    layer = Annotation.objects.create(document=document, **fields)
    layer_content_write(layer, content, labels=LabelIndex.of(document.corpus.schema))
    return layer


def annotated(document: Document, ana, bo) -> None:
    """Give `document` both annotators' submitted layers, gold, and the model's layer."""
    submitted = {"kind": Annotation.Kind.ANNOTATOR, "status": Annotation.Status.SUBMITTED}
    layer_add(document, annan(10), user=ana, **submitted)
    layer_add(document, annan(4), user=bo, **submitted)
    layer_add(document, annan(10), kind=Annotation.Kind.GOLD, status=Annotation.Status.REVIEWED)
    layer_add(document, annan(4), kind=Annotation.Kind.PREDICTION, model_name="test_model")
