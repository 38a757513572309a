"""The schema editor page's actions: one small function per POSTed `action`, looked up in ACTIONS.

Each parses the form, calls one service and returns an Outcome: the message to show, or a
preview to confirm first, and where on the page to go back to.
"""

import json
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

from django.http import HttpRequest

from config.errors import InvalidInput
from corpus.models import Corpus
from corpus.services import schema_attributes, schema_edit, schema_relations, schema_roles
from corpus.services.schema_common import counts_text

UPLOAD_MAX = 5_000_000  # bytes of schema JSON read from an upload


@dataclass
class Outcome:
    """What an action did: a success message, or a preview to confirm; `after` is `?query#id`."""

    message: str = ""
    preview: dict | None = None
    after: str = ""


def roles_anchor(event_key: str) -> str:
    """Return the query and fragment that open the role editor of `event_key`."""
    return f"?{urlencode({'roles': event_key})}#roles-editor"


def relation_anchor(key: str) -> str:
    """Return the query and fragment that open the editor of relation type `key`."""
    return f"?{urlencode({'relation': key})}#relation-editor"


def _fields(post, names: tuple[str, ...]) -> dict[str, str]:
    return {name: post[name] for name in names if name in post}


def _preview(heading: str, usage: dict, noun: str, what: str, button: str, fields: dict) -> dict:
    text = (
        f"{counts_text(usage, noun)} change. If {fields['new_key']} already exists,"
        f" {what} is merged into it and removed."
    )
    return {"heading": heading, "text": text, "button": button, "fields": fields}


def span_type_save(request: HttpRequest, corpus: Corpus) -> Outcome:
    post, action = request.POST, request.POST.get("action")
    kind = post.get("kind", "")
    label = schema_edit.span_type_save(
        corpus=corpus,
        actor=request.user,
        kind=kind,
        key=post.get("key", "") if action == "save" else None,
        fields=_fields(post, (*schema_edit.EDITABLE, "key")),
    )
    verb = "Saved" if action == "save" else "Added"
    return Outcome(f"{verb} {kind} type {label.key}.")


def label_rename(request: HttpRequest, corpus: Corpus) -> Outcome:
    post = request.POST
    kind, key, new_key = post.get("kind", ""), post.get("key", ""), post.get("new_key", "").strip()
    if post.get("confirm") != "yes":
        usage = schema_edit.label_usage(corpus=corpus, kind=kind, key=key)
        fields = {"action": "rename", "kind": kind, "key": key, "new_key": new_key}
        heading = f"Rename {kind} type {key} to {new_key}?"
        button = "Rename and rewrite annotations"
        return Outcome(preview=_preview(heading, usage, "item", key, button, fields))
    detail = schema_edit.label_rename(
        corpus=corpus, actor=request.user, kind=kind, key=key, new_key=new_key
    )
    return Outcome(detail[0].upper() + detail[1:] + ".")


def label_delete(request: HttpRequest, corpus: Corpus) -> Outcome:
    post = request.POST
    message = schema_edit.label_delete(
        corpus=corpus,
        actor=request.user,
        kind=post.get("kind", ""),
        key=post.get("key", ""),
        with_items=post.get("with_items") == "on",
    )
    return Outcome(message)


def schema_upload(request: HttpRequest, corpus: Corpus) -> Outcome:
    upload = request.FILES.get("schema_file")
    if upload is None:
        raise InvalidInput("schema_file: choose a Goldset schema JSON file to upload.")
    try:
        data = json.loads(upload.read(UPLOAD_MAX + 1)[:UPLOAD_MAX].decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as problem:
        raise InvalidInput(f"schema_file: {upload.name} is not JSON ({problem}).") from problem
    new = schema_edit.corpus_schema_replace(corpus=corpus, actor=request.user, data=data)
    return Outcome(f"Schema replaced by {new.name} ({new.key}).")


def role_add(request: HttpRequest, corpus: Corpus) -> Outcome:
    post, event_key = request.POST, request.POST.get("key", "")
    role = schema_roles.role_add(
        corpus=corpus,
        actor=request.user,
        event_key=event_key,
        fields={"key": post.get("role", ""), **_fields(post, schema_roles.ROLE_EDITABLE)},
        entity_keys=post.getlist("entity_types"),
    )
    return Outcome(f"Added role {role.key} to {event_key}.", after=roles_anchor(event_key))


def role_save(request: HttpRequest, corpus: Corpus) -> Outcome:
    post, event_key = request.POST, request.POST.get("key", "")
    role = schema_roles.role_save(
        corpus=corpus,
        actor=request.user,
        event_key=event_key,
        role_key=post.get("role", ""),
        fields=_fields(post, schema_roles.ROLE_EDITABLE),
        entity_keys=post.getlist("entity_types"),
    )
    fillers = ", ".join(t.key for t in role.entity_types.all()) or "any entity"
    return Outcome(
        f"Role {role.key} of {event_key} takes {fillers}.", after=roles_anchor(event_key)
    )


def role_rename(request: HttpRequest, corpus: Corpus) -> Outcome:
    post = request.POST
    event_key, role_key = post.get("key", ""), post.get("role", "")
    new_key = post.get("new_key", "").strip()
    if post.get("confirm") != "yes":
        usage = schema_roles.role_usage(corpus=corpus, event_key=event_key, role_key=role_key)
        fields = {"action": "role-rename", "key": event_key, "role": role_key, "new_key": new_key}
        heading = f"Rename role {role_key} of {event_key} to {new_key}?"
        button = "Rename and rewrite arguments"
        preview = _preview(heading, usage, "argument", role_key, button, fields)
        return Outcome(preview=preview, after=roles_anchor(event_key))
    detail = schema_roles.role_rename(
        corpus=corpus, actor=request.user, event_key=event_key, role_key=role_key, new_key=new_key
    )
    return Outcome(detail[0].upper() + detail[1:] + ".", after=roles_anchor(event_key))


def role_delete(request: HttpRequest, corpus: Corpus) -> Outcome:
    post, event_key = request.POST, request.POST.get("key", "")
    message = schema_roles.role_delete(
        corpus=corpus,
        actor=request.user,
        event_key=event_key,
        role_key=post.get("role", ""),
        with_arguments=post.get("with_arguments") == "on",
    )
    return Outcome(message, after=roles_anchor(event_key))


def relation_type_save(request: HttpRequest, corpus: Corpus) -> Outcome:
    post, adding = request.POST, request.POST.get("action") == "relation-add"
    relation_type = schema_relations.relation_type_save(
        corpus=corpus,
        actor=request.user,
        key=None if adding else post.get("key", ""),
        fields=_fields(post, (*schema_relations.RELATION_EDITABLE, *(("key",) if adding else ()))),
        arg1_keys=post.getlist("arg1_types"),
        arg2_keys=post.getlist("arg2_types"),
    )
    verb = "Added" if adding else "Saved"
    message = f"{verb} relation type {relation_type.key}."
    return Outcome(message, after=relation_anchor(relation_type.key))


def relation_type_rename(request: HttpRequest, corpus: Corpus) -> Outcome:
    post = request.POST
    key, new_key = post.get("key", ""), post.get("new_key", "").strip()
    if post.get("confirm") != "yes":
        usage = schema_relations.relation_usage(corpus=corpus, key=key)
        fields = {"action": "relation-rename", "key": key, "new_key": new_key}
        heading = f"Rename relation type {key} to {new_key}?"
        button = "Rename and rewrite relations"
        preview = _preview(heading, usage, "relation", key, button, fields)
        return Outcome(preview=preview, after=relation_anchor(key))
    detail = schema_relations.relation_type_rename(
        corpus=corpus, actor=request.user, key=key, new_key=new_key
    )
    return Outcome(detail[0].upper() + detail[1:] + ".", after=relation_anchor(new_key))


def relation_type_delete(request: HttpRequest, corpus: Corpus) -> Outcome:
    post = request.POST
    message = schema_relations.relation_type_delete(
        corpus=corpus,
        actor=request.user,
        key=post.get("key", ""),
        with_relations=post.get("with_relations") == "on",
    )
    return Outcome(message, after="#relation-types")


def attribute_save(request: HttpRequest, corpus: Corpus) -> Outcome:
    post, adding = request.POST, request.POST.get("action") == "attribute-add"
    names = (*schema_attributes.ATTRIBUTE_EDITABLE, "multiple", *(("key",) if adding else ()))
    attribute = schema_attributes.attribute_save(
        corpus=corpus,
        actor=request.user,
        applies_to=None if adding else post.get("kind", ""),
        key=None if adding else post.get("key", ""),
        fields=_fields(post, names),
        values=post.get("values", "").splitlines(),
    )
    verb = "Added" if adding else "Saved"
    message = f"{verb} {attribute.applies_to} attribute {attribute.key}."
    return Outcome(message, after="#attribute-types")


def attribute_delete(request: HttpRequest, corpus: Corpus) -> Outcome:
    post = request.POST
    message = schema_attributes.attribute_delete(
        corpus=corpus,
        actor=request.user,
        applies_to=post.get("kind", ""),
        key=post.get("key", ""),
        with_items=post.get("with_items") == "on",
    )
    return Outcome(message, after="#attribute-types")


ACTIONS: dict[str, Callable[[HttpRequest, Corpus], Outcome]] = {
    "save": span_type_save,
    "add": span_type_save,
    "rename": label_rename,
    "delete": label_delete,
    "upload": schema_upload,
    "role": role_save,
    "role-add": role_add,
    "role-rename": role_rename,
    "role-delete": role_delete,
    "relation-add": relation_type_save,
    "relation-save": relation_type_save,
    "relation-rename": relation_type_rename,
    "relation-delete": relation_type_delete,
    "attribute-add": attribute_save,
    "attribute-save": attribute_save,
    "attribute-delete": attribute_delete,
}


def schema_act(request: HttpRequest, corpus: Corpus) -> Outcome:
    """Run the POSTed action; return its outcome (InvalidInput for an unknown action)."""
    action = request.POST.get("action", "")
    if action not in ACTIONS:
        raise InvalidInput(f"action: unknown action {action[:40]!r}.")
    return ACTIONS[action](request, corpus)
