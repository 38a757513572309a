"""Exporters: a corpus's chosen layers as training data, streamed document by document."""
