"""Read typed settings from the environment."""

import os
import secrets
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off", ""}


def env_bool(name: str, *, default: bool) -> bool:
    """Return the boolean value of `name`, refusing words that are neither true nor false."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    word = raw.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean (use true or false)")


def env_list(name: str, *, default: list[str]) -> list[str]:
    """Return a comma-separated list from `name`."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_int(name: str, *, default: int) -> int:
    """Return the integer value of `name`."""
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not an integer") from None


def secret_key(*, local: bool, key_file: Path) -> str:
    """Return SECRET_KEY; for local use, generate one once and keep it in `key_file`."""
    key = os.environ.get("SECRET_KEY", "").strip()
    if key:
        return key
    if not local:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off and ALLOWED_HOSTS names hosts beyond "
            "this machine (production)."
        )
    if key_file.exists():
        return key_file.read_text().strip()
    key = secrets.token_urlsafe(50)
    key_file.write_text(key + "\n")
    key_file.chmod(0o600)
    return key
