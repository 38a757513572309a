"""Corpora, label schemas, documents, import and spaCy analysis (never imports annotations)."""
