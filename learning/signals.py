"""Signals of the learning app, for the apps above it (pre-annotation re-scores on them)."""

from django.dispatch import Signal

# Sent with `corpus` when the version that pre-annotates it changes (activated, or back to
# the base pipeline), inside the transaction that changes it.
corpus_model_changed = Signal()
