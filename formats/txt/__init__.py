"""Plain text: one article per `.txt` file."""
