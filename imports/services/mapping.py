"""Parse the label mapping an owner writes: one `SOURCE=TARGET` per line."""

from config.errors import InvalidInput


def label_map_parse(text: str) -> dict[str, str]:
    """Return the mapping; raise InvalidInput naming every bad line (1-based)."""
    mapping: dict[str, str] = {}
    errors = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        source, equals, target = line.partition("=")
        if not equals or not source.strip() or not target.strip():
            errors.append(f"line {number}: {line!r} is not SOURCE=TARGET")
        else:
            mapping[source.strip()] = target.strip()
    if errors:
        raise InvalidInput("Label mapping: " + "; ".join(errors), extra={"errors": errors})
    return mapping
