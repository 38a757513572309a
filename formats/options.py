"""What a user can tell readers about their files."""

from dataclasses import dataclass, field

CSV_FIELDS = ("text", "id", "title", "date", "url")


@dataclass
class ReadOptions:
    """Per-import choices for the readers.

    `columns` maps a field of CSV_FIELDS to the CSV column holding it (guessed from the
    header when absent); `text_key` and `label_key` rename doccano's JSON keys.
    """

    columns: dict[str, str] = field(default_factory=dict)
    text_key: str = "text"
    label_key: str = "label"
