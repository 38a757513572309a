"""A throwaway SQLite database for a benchmark: Django set up on it and migrated."""

import os
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent


@contextmanager
def throwaway_database() -> Iterator[Path]:
    """Point Django at a new database in a temporary folder, migrate it, yield the folder.

    Worker or server processes started inside inherit DATABASE_URL from the environment.
    """
    with tempfile.TemporaryDirectory() as directory:
        os.environ["DATABASE_URL"] = f"sqlite:///{directory}/bench.sqlite3"
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
        sys.path.insert(0, str(PROJECT_DIR))
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        yield Path(directory)
