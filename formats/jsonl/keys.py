"""The keys of a Goldset JSONL line: what an export writes is what the reader takes as fields.

Any other key of a line is the document's metadata when imported, so a key the export adds
must be added here too (a test compares an exported line with LINE_KEYS).
"""

LINE_KEYS = (
    "id", "title", "url", "published", "text", "metadata",
    "entities", "events", "relations",
    "labels",  # the layer's document labels
    "comments",  # the document's comment thread; not imported (authors are this server's users)
    "goldset",  # what the export records of the database id and the layer; not imported
)  # fmt: skip
ALIASES = ("external_id", "date")  # the reader also takes them for `id` and `published`
ANNOTATION_KEYS = ("entities", "events", "relations")
