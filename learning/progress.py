"""How training reports progress: a step, how much of it is done, out of how much."""

from collections.abc import Callable

Progress = Callable[[str, int, int], None]  # step, done, total
