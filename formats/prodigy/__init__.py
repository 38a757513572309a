"""Prodigy JSONL: answered tasks with spans and relations."""
