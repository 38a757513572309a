"""Run management commands as a user would and read what they print; write JSONL inputs."""

import io
import json
from pathlib import Path

from django.core.management import call_command


def command(name: str, *args: str) -> str:
    """Run `manage.py name args...` and return what it printed."""
    out = io.StringIO()
    call_command(name, *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def write_jsonl(path: Path, records: list[dict]) -> str:
    """Write `records` one per line to `path`; return the path as a command argument."""
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), "utf-8")
    return str(path)
