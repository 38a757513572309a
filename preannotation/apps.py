"""App configuration for pre-annotation."""

from django.apps import AppConfig


class PreannotationConfig(AppConfig):
    name = "preannotation"
    verbose_name = "Pre-annotation"

    def ready(self) -> None:
        from preannotation import receivers  # noqa: F401  (connects the re-scoring)
