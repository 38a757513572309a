"""Annotation layers (predictions, annotators, gold), their spans and events, pages and API."""
