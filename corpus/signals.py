"""Signals the corpus app sends to the apps built on it, which it may not import (DESIGN.md §2)."""

from django.dispatch import Signal

# Sent after a schema change deleted annotation items (spans or events) of some documents;
# `documents` is the list of their ids. `annotations` refreshes their stored lowest score.
items_deleted = Signal()
