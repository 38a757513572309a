"""Goldset JSONL: one article per line with its annotations, full fidelity."""
