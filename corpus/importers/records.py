"""What readers produce: article records to import, and problems to report."""

import datetime
from dataclasses import dataclass, field
from typing import Any


@dataclass
class ArticleRecord:
    """One article read from a file, before cleaning."""

    text: str
    source: str
    external_id: str = ""
    title: str = ""
    url: str = ""
    published: datetime.date | None = None
    metadata: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Problem:
    """Something wrong with one record: where it is and what is wrong."""

    file: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.file}, line {self.line}" if self.line else self.file
        return f"{where}: {self.message}"
