"""The schema data the pipeline needs, from schema data in the preset file format (no ORM).

`corpus.selectors.schema_pipeline_spec` passes a stored schema through the same function.
"""

from typing import Any


def preset_pipeline_spec(data: dict[str, Any]) -> dict[str, Any]:
    """Return `{"entity_labels", "nominals", "event_types"}` from schema file data."""
    entity_types = data.get("entity_types", [])
    return {
        "entity_labels": {
            model_label: entity_type["key"]
            for entity_type in entity_types
            for model_label in entity_type.get("spacy_labels", [])
        },
        "nominals": {
            entity_type["key"]: entity_type["nominals"]
            for entity_type in entity_types
            if entity_type.get("nominals")
        },
        "event_types": [
            {
                "key": event_type["key"],
                "triggers": event_type["triggers"],
                "roles": [
                    {
                        "key": role["key"],
                        "entity_types": sorted(role.get("entity_types", [])),
                        "syntax": role.get("syntax", []),
                    }
                    for role in event_type.get("roles", [])
                ],
            }
            for event_type in data.get("event_types", [])
            if event_type.get("triggers")
        ],
    }
