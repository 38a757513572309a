"""One part of a spaCy export: a folder of `.spacy` files, each a public `DocBin`.

A `DocBin` holds every document's token arrays until it is written, so one DocBin per part
would grow with the corpus. Each part is instead a folder, `train.spacy/0000.spacy`,
`train.spacy/0001.spacy`, ..., of at most `DOCS_PER_FILE` documents each, and only one DocBin is
in memory at a time. Each file is `DocBin.to_bytes()` (what `DocBin.to_disk` writes), sent
through the export's sink so that a zip or a download gets the same files as a folder.
`spacy train --paths.train out/train.spacy` reads the folder: spaCy's `Corpus` walks a
directory for its `.spacy` files, sorted by name (`spacy.training.corpus.walk_corpus`).
"""

from collections.abc import Callable
from typing import BinaryIO

from spacy.tokens import Doc, DocBin

# Memory is flat in the corpus size whatever N is; N bounds what one DocBin holds before it
# is written, about 10 KB per 45-token article and 120 KB per 700-token one (the token
# arrays, copied twice more by `to_bytes`). With 100, a file costs at most ~12 MB for long
# articles; 1,000 added 6 MB to the peak of `bench.export` and 10,000 made it grow with the
# corpus. Speed does not depend on N (one `to_bytes` and one file per N documents).
DOCS_PER_FILE = 100

# The token attributes the export's Docs set (ENT_ID: the entity's `T1`). DocBin's default
# list adds tags, lemmas, heads, norms, ... which are always empty here: stored as zeros,
# they read back exactly as leaving them out does, and only make the files larger.
ATTRS = ["ORTH", "SENT_START", "ENT_IOB", "ENT_TYPE", "ENT_ID"]


def docbin_new() -> DocBin:
    """Return an empty DocBin as the export writes it: its attributes and the user data."""
    return DocBin(attrs=ATTRS, store_user_data=True)


class DocBinFolder:
    """Add Docs to `<folder>/0000.spacy`, `<folder>/0001.spacy`, ..., each written when full."""

    def __init__(
        self,
        folder: str,
        *,
        open: Callable[[str], BinaryIO],
        docs_per_file: int = DOCS_PER_FILE,
    ) -> None:
        self.folder = folder
        self.docs_per_file = docs_per_file
        self._open = open
        self._docbin = docbin_new()
        self._written = 0

    def add(self, doc: Doc) -> None:
        self._docbin.add(doc)
        if len(self._docbin) == self.docs_per_file:
            self._write()

    def close(self) -> None:
        """Write the last, partly filled file; an empty part still gets one (empty) file."""
        if len(self._docbin) or not self._written:
            self._write()

    def _write(self) -> None:
        # Four digits keep the files in order for spaCy, which sorts them by name.
        with self._open(f"{self.folder}/{self._written:04d}.spacy") as stream:
            stream.write(self._docbin.to_bytes())
        self._written += 1
        self._docbin = docbin_new()
