"""Load spaCy pipelines lazily, once per process, with only the components a schema needs."""

import functools
import json
from dataclasses import dataclass
from typing import Any

from spacy.language import Language

from corpus.nlp import events, scores  # noqa: F401  (registers the Goldset factories)

# Components that only the event rules need: the parse, part of speech and lemmas.
EVENT_COMPONENTS = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer")


@dataclass(frozen=True)
class ModelIdentity:
    """The name and version a prediction layer records."""

    name: str
    version: str


def pipeline_load(name: str, *, schema: dict[str, Any] | None = None) -> Language:
    """Return the pipeline `name` set up for `schema` (see `schema_spec`), loaded once.

    Without event types in the schema, only what entities need runs: the entity
    recognizer (it has its own embedding layer) and the sentence recognizer for
    sentence offsets; the tagger, parser and lemmatizer are not even loaded.
    """
    return _pipeline_load(name, json.dumps(schema or {}, sort_keys=True))


@functools.lru_cache(maxsize=4)
def _pipeline_load(name: str, schema_json: str) -> Language:
    import spacy

    _use_fast_ops()
    schema = json.loads(schema_json)
    event_types = schema.get("event_types") or []
    if event_types:
        nlp = spacy.load(name)
    else:
        nlp = spacy.load(name, exclude=list(EVENT_COMPONENTS))
        if "senter" in nlp.component_names:
            nlp.enable_pipe("senter")
    if "ner" in nlp.pipe_names:
        nlp.add_pipe("goldset_entity_scores", after="ner", config={"ner": "ner"})
        nlp.disable_pipe("ner")
    if event_types:
        proposer = nlp.add_pipe("goldset_events", last=True)
        proposer.initialize(
            lambda: [],
            nlp=nlp,
            event_types=event_types,
            entity_labels=schema.get("entity_labels", {}),
            nominals=schema.get("nominals", {}),
        )
    return nlp


@functools.cache
def _use_fast_ops() -> None:
    """Multiply with numpy's BLAS rather than blis where the setting asks for it.

    On the 2-core machines this was measured on, blis ran at a third of OpenBLAS's
    speed; the entities are the same either way (a test holds that).
    """
    from django.conf import settings
    from thinc.api import NumpyOps, set_current_ops

    if not getattr(settings, "SPACY_USE_BLIS", False):
        set_current_ops(NumpyOps(use_blis=False))


@functools.cache
def model_identity(name: str) -> ModelIdentity:
    """Return `en_core_web_sm`-style name and version of pipeline `name`, without loading it."""
    import spacy.util

    meta = spacy.util.get_model_meta(spacy.util.get_package_path(name))
    return ModelIdentity(
        name=f"{meta.get('lang', 'xx')}_{meta.get('name', 'pipeline')}",
        version=str(meta.get("version", "")),
    )
