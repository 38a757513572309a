"""Page: a corpus's schema editor (owners): labels, roles, relation and attribute types, download.

The actions are in `schema_actions`; this view runs one, then shows the page. An event type's
roles and a relation type's editor open one at a time (`?roles=KEY`, `?relation=KEY`), so the
page stays light for large schemas (ACE 2005 has about 400 roles).
"""

import json

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from config.errors import GoldsetError
from corpus.models import Corpus, Membership
from corpus.models.schema_formats import RELATION_PALETTE
from corpus.schema_actions import schema_act
from corpus.selectors import corpus_get_for_user, corpus_require_role
from corpus.services.schema_common import CONTRAST_MIN, INK, contrast_ratio
from corpus.services.schemas import schema_data_dump


def _form_of(posted: dict, error_fields: dict, *, actions: tuple[str, ...], **identity) -> dict:
    """Return the errors and posted values for the form of `actions` and `identity`, if posted."""
    mine = posted.get("action") in actions and all(
        posted.get(name) == value for name, value in identity.items()
    )
    return {"errors": error_fields, "values": posted} if mine else {"errors": {}, "values": {}}


def _rows(labels, kind: str, posted: dict, error_fields: dict) -> list[dict]:
    rows = []
    for label in labels:
        mine = posted.get("key") == label.key and posted.get("kind") == kind
        rows.append(
            {
                "label": label,
                "contrast": contrast_ratio(label.color),
                "errors": error_fields if mine else {},
                "values": posted if mine and posted.get("action") == "save" else {},
            }
        )
    return rows


def _roles_editor(event_rows: list[dict], open_key: str, posted: dict, errors: dict) -> dict:
    """Return the open event type's role editor: its roles' forms and the add form."""
    event_type = next((row["label"] for row in event_rows if row["label"].key == open_key), None)
    if event_type is None:
        return {}
    roles = []
    for role in event_type.roles.all():
        edit = _form_of(posted, errors, actions=("role",), key=open_key, role=role.key)
        held = {item.key for item in role.entity_types.all()}
        roles.append(
            {
                "role": role,
                "fillers": set(posted["entity_types"]) if edit["values"] else held,
                **edit,
                "rename": _form_of(posted, errors, actions=("role-rename",), role=role.key),
                "delete": _form_of(posted, errors, actions=("role-delete",), role=role.key),
            }
        )
    add = _form_of(posted, errors, actions=("role-add",), key=open_key)
    add["fillers"] = set(posted["entity_types"]) if add["values"] else set()
    return {"event_type": event_type, "roles": roles, "add": add}


def _relation_editor(relation_types, open_key: str, posted: dict, errors: dict) -> dict:
    relation_type = next((item for item in relation_types if item.key == open_key), None)
    if relation_type is None:
        return {}
    edit = _form_of(posted, errors, actions=("relation-save",), key=open_key)
    if edit["values"]:
        arg1, arg2 = set(posted["arg1_types"]), set(posted["arg2_types"])
    else:
        arg1 = {item.key for item in relation_type.arg1_types.all()}
        arg2 = {item.key for item in relation_type.arg2_types.all()}
    return {
        "relation_type": relation_type,
        "arg1": arg1,
        "arg2": arg2,
        **edit,
        "rename": _form_of(posted, errors, actions=("relation-rename",), key=open_key),
        "delete": _form_of(posted, errors, actions=("relation-delete",), key=open_key),
    }


def _context(request: HttpRequest, corpus: Corpus, posted: dict, error_fields: dict) -> dict:
    schema = corpus.schema
    action = posted.get("action", "")
    event_rows = _rows(
        schema.event_types.prefetch_related("roles__entity_types"), "event", posted, error_fields
    )
    roles_open = posted.get("key", "") if action.startswith("role") else ""
    relation_types = list(schema.relation_types.prefetch_related("arg1_types", "arg2_types"))
    relation_open = posted.get("key", "") if action.startswith("relation-") else ""
    lists = {name: request.POST.getlist(name) for name in ("entity_types", "arg1_types")}
    posted = {**posted, **lists, "arg2_types": request.POST.getlist("arg2_types")}
    attributes = []
    for item in schema.attribute_types.all():
        identity = {"kind": item.applies_to, "key": item.key}
        edit = _form_of(posted, error_fields, actions=("attribute-save",), **identity)
        attributes.append(
            {
                "attribute": item,
                **edit,
                "values_text": edit["values"].get("values", "\n".join(item.values)),
                "applies_to": edit["values"].get("applies_to", item.applies_to),
                "delete": _form_of(posted, error_fields, actions=("attribute-delete",), **identity),
            }
        )
    attribute_add = _form_of(posted, error_fields, actions=("attribute-add",))
    attribute_add["values_text"] = attribute_add["values"].get("values", "")
    return {
        "corpus": corpus,
        "schema": schema,
        "shared": bool(schema.preset) or schema.corpora.exclude(pk=corpus.pk).exists(),
        "entity_rows": _rows(schema.entity_types.all(), "entity", posted, error_fields),
        "event_rows": event_rows,
        "entity_keys": list(schema.entity_types.values_list("key", flat=True)),
        "roles_editor": _roles_editor(
            event_rows, roles_open or request.GET.get("roles", ""), posted, error_fields
        ),
        "relation_types": relation_types,
        "relation_rows": [
            {"relation_type": item, "contrast": contrast_ratio(item.color)}
            for item in relation_types
        ],
        "relation_colour_next": RELATION_PALETTE[len(relation_types) % len(RELATION_PALETTE)],
        "relation_editor": _relation_editor(
            relation_types, relation_open or request.GET.get("relation", ""), posted, error_fields
        ),
        "relation_add": _form_of(posted, error_fields, actions=("relation-add",)),
        "attributes": attributes,
        "attribute_add": attribute_add,
        "applies_to": ("entity", "event", "relation", "document"),
        "changes": corpus.schema_changes.select_related("actor")[:100],
        "posted": posted,
        "contrast_min": CONTRAST_MIN,
        "ink": INK,
    }


@require_http_methods(["GET", "POST"])
def corpus_schema(request: HttpRequest, slug: str) -> HttpResponse:
    """Show the corpus's schema; edit it (POST); `?download=json` saves it as schema JSON."""
    corpus = corpus_get_for_user(user=request.user, slug=slug)
    corpus_require_role(user=request.user, corpus=corpus, role=Membership.Role.OWNER)
    if request.GET.get("download") == "json":
        data = json.dumps(schema_data_dump(corpus.schema), indent=2, ensure_ascii=False)
        response = HttpResponse(data, content_type="application/json")
        response["Content-Disposition"] = f'attachment; filename="{corpus.slug}-schema.json"'
        return response
    error, status, preview, error_fields = None, 200, None, {}
    if request.method == "POST":
        try:
            outcome = schema_act(request, corpus)
        except GoldsetError as problem:
            error, status = problem.message, problem.status
            error_fields = problem.extra.get("fields", {})
        else:
            if outcome.preview is None:
                messages.success(request, outcome.message)
                return redirect(reverse("corpus-schema", args=[corpus.slug]) + outcome.after)
            preview = outcome.preview
        corpus.refresh_from_db()
    posted = request.POST.dict() if error or preview else {}
    context = _context(request, corpus, posted, error_fields)
    context.update(error=error, preview=preview)
    return render(request, "goldset/schema.html", context, status=status)
