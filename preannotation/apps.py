"""App configuration for pre-annotation."""

from django.apps import AppConfig


class PreannotationConfig(AppConfig):
    name = "preannotation"
    verbose_name = "Pre-annotation"
