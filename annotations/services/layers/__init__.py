"""Annotation layers edited by people: open a copy of the predictions, save, submit or skip."""

from annotations.services.layers.layer_open import annotator_layer_open
from annotations.services.layers.layer_save import layer_finish, layer_save
from annotations.services.layers.snapshot import layer_snapshot

__all__ = ["annotator_layer_open", "layer_finish", "layer_save", "layer_snapshot"]
