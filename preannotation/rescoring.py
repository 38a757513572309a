"""Re-score a corpus when the model that pre-annotates it changes (CORPUS_MODEL_CHANGED)."""

from annotations.document_selection import selection_parse
from config.errors import InvalidInput
from corpus.models import Corpus
from preannotation.services import preannotation_start
from preannotation.tasks import run_enqueue

# Documents nobody has started: their predictions (and so their place in a least-confident
# queue) come from the new model. Annotator and gold layers are never touched anyway.
UNSTARTED = "state=pre-annotated"


def corpus_rescore(*, corpus: Corpus) -> None:
    """Queue a run over the unstarted pre-annotated documents without the new model's layer.

    The run is an ordinary one (`only_missing`): resumable, recovered after a crash, and a
    second call does only what the first has not.
    """
    try:
        run = preannotation_start(
            corpus=corpus, only_missing=True, selection=selection_parse(UNSTARTED)
        )
    except InvalidInput:
        return  # nothing pre-annotated yet, or everything already has the new predictions
    run_enqueue(run)
