"""Readers that turn files into article records and problems, one module per format."""
