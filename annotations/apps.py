"""App configuration for annotation layers."""

from django.apps import AppConfig


class AnnotationsConfig(AppConfig):
    name = "annotations"
    verbose_name = "Annotations"

    def ready(self) -> None:
        from annotations.scores import items_deleted_refresh
        from corpus.signals import items_deleted

        items_deleted.connect(items_deleted_refresh, dispatch_uid="annotations-scores")
