"""App configuration for the models a corpus learns from its gold."""

from django.apps import AppConfig


class LearningConfig(AppConfig):
    name = "learning"
    verbose_name = "Learning from gold"
