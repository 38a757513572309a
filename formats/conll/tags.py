"""CoNLL's tags and document marker, shared by its reader, its writer and the format sniffer.

A tag is `O` (outside every entity) or a prefix, `-` and the entity's label. The reader takes
IOB1, IOB2, BIOES and BILOU; the writer writes IOB2, where `B-` starts every entity.
"""

import re

OUTSIDE = "O"
TAG = re.compile(r"([BIESLU])-(\S+)")  # the prefix and the label
GOES_ON = "IEL"  # prefixes that continue an entity of the same label
CLOSES = "ESLU"  # prefixes whose token is an entity's last
DOCSTART = "-DOCSTART-"  # a line starting with it starts a document, whatever follows
DOCSTART_LINE = f"{DOCSTART} -X- {OUTSIDE} {OUTSIDE}"  # the variant `spacy convert` recognises


def is_tag(text: str) -> bool:
    """Whether `text` is a tag of any of the schemes the reader takes."""
    return text == OUTSIDE or TAG.fullmatch(text) is not None


def begin_tag(label: str) -> str:
    return f"B-{label}"


def inside_tag(label: str) -> str:
    return f"I-{label}"


def continued(tag: str) -> str:
    """Return the IOB2 tag of a token that goes on with `tag`'s entity (`O` stays `O`)."""
    return tag if tag == OUTSIDE else inside_tag(tag.partition("-")[2])
