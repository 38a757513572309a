"""CSV and TSV: one article per row."""
