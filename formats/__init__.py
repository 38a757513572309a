"""Pure readers and writers of interchange formats, one folder per format (no ORM)."""
