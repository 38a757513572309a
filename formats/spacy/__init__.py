"""spaCy DocBin: `.spacy` files of tokenised documents."""
