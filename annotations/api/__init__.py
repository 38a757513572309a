"""The REST API: one view per action, with its serializers beside it."""
