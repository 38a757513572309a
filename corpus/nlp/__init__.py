"""spaCy analysis: pure functions from text to tokens, sentences and entities (no ORM)."""
