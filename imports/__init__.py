"""Imports: read files into a corpus, with the annotations they carry, in the background."""
