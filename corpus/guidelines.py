"""Render a corpus's annotation guidelines (Markdown) as safe HTML."""

import markdown
import nh3


def guidelines_html(text: str) -> str:
    """Return `text` rendered from Markdown, with anything but plain formatting removed."""
    if not text.strip():
        return ""
    return nh3.clean(markdown.markdown(text, extensions=["tables", "sane_lists"]))
