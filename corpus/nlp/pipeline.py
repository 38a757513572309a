"""Load spaCy pipelines lazily, once per process, and name them."""

import functools
from dataclasses import dataclass

from spacy.language import Language


@dataclass(frozen=True)
class ModelIdentity:
    """The name and version a prediction layer records."""

    name: str
    version: str


@functools.cache
def pipeline_load(name: str) -> Language:
    """Return the installed pipeline `name`, loading it on first use in this process."""
    import spacy

    return spacy.load(name)


def pipeline_identity(nlp: Language) -> ModelIdentity:
    """Return `en_core_web_sm`-style name and version from the pipeline's meta."""
    meta = nlp.meta
    return ModelIdentity(
        name=f"{meta.get('lang', 'xx')}_{meta.get('name', 'pipeline')}",
        version=str(meta.get("version", "")),
    )
