"""Examples for the API schema of corpora: the list, and one corpus with its label schema."""

from drf_spectacular.utils import OpenApiExample

CORPUS = {
    "slug": "news",
    "name": "News 2026",
    "description": "Wire stories about elections and disasters.",
    "schema": "ace2005",
    "document_count": 1250,
}

CORPORA = OpenApiExample("a corpus", value=CORPUS, response_only=True)

CORPUS_DETAIL = OpenApiExample(
    "a corpus with its schema",
    value={
        **CORPUS,
        "guidelines": "Mark every named person; leave pronouns to the second pass.",
        "roles": ["annotator"],
        "label_schema": {
            "key": "ace2005",
            "name": "ACE 2005",
            "description": "Entities and events of the ACE 2005 guidelines.",
            "entity_types": [
                {
                    "key": "PER",
                    "name": "Person",
                    "description": "A person or a group of people.",
                    "examples": ["Kofi Annan", "the protesters"],
                    "color": "#a6cee3",
                    "hotkey": "p",
                    "subtypes": ["Individual", "Group"],
                }
            ],
            "event_types": [
                {
                    "key": "Life.Die",
                    "name": "Die",
                    "group": "Life",
                    "description": "Someone's life ends.",
                    "examples": ["was killed", "died"],
                    "color": "#fb9a99",
                    "hotkey": "d",
                    "roles": [
                        {
                            "key": "Victim",
                            "name": "Victim",
                            "description": "Who died.",
                            "entity_types": ["PER"],
                        }
                    ],
                }
            ],
            "relation_types": [
                {
                    "key": "PHYS.Located",
                    "name": "Located",
                    "group": "PHYS",
                    "description": "A person is physically located at a place.",
                    "examples": [],
                    "color": "#8dd3c7",
                    "hotkey": "l",
                    "arg1_types": ["PER"],
                    "arg2_types": ["FAC", "LOC", "GPE"],
                }
            ],
        },
    },
    response_only=True,
)
