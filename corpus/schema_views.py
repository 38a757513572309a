"""Page: a corpus's schema editor (owners): edit and add labels, rename, merge, delete, download."""

import json

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from config.errors import GoldsetError, InvalidInput
from corpus.models import Corpus, Membership
from corpus.selectors import corpus_get_for_user, corpus_require_role
from corpus.services import schema_edit as services
from corpus.services.schemas import schema_data_dump

UPLOAD_MAX = 5_000_000  # bytes of schema JSON read from an upload


def _act(request: HttpRequest, corpus: Corpus) -> tuple[str | None, dict | None]:
    """Run the POSTed action; return its success message, or a preview to confirm first."""
    post, actor = request.POST, request.user
    action, kind, key = post.get("action", ""), post.get("kind", ""), post.get("key", "")
    if action in ("save", "add"):
        fields = {name: post[name] for name in (*services.EDITABLE, "key") if name in post}
        label = services.span_type_save(
            corpus=corpus,
            actor=actor,
            kind=kind,
            key=key if action == "save" else None,
            fields=fields,
        )
        verb = "Saved" if action == "save" else "Added"
        return f"{verb} {kind} type {label.key}.", None
    if action == "rename":
        new_key = post.get("new_key", "").strip()
        if post.get("confirm") != "yes":
            usage = services.label_usage(corpus=corpus, kind=kind, key=key)
            return None, {"kind": kind, "key": key, "new_key": new_key, **usage}
        detail = services.label_rename(
            corpus=corpus, actor=actor, kind=kind, key=key, new_key=new_key
        )
        return detail[0].upper() + detail[1:] + ".", None
    if action == "delete":
        message = services.label_delete(
            corpus=corpus,
            actor=actor,
            kind=kind,
            key=key,
            with_items=post.get("with_items") == "on",
        )
        return message, None
    if action == "role":
        keys = services.role_fillers_set(
            corpus=corpus,
            actor=actor,
            event_key=key,
            role_key=post.get("role", ""),
            entity_keys=post.getlist("entity_types"),
        )
        return f"Role {post.get('role')} of {key} takes {', '.join(keys) or 'any entity'}.", None
    if action == "upload":
        upload = request.FILES.get("schema_file")
        if upload is None:
            raise InvalidInput("schema_file: choose a Goldset schema JSON file to upload.")
        try:
            data = json.loads(upload.read(UPLOAD_MAX + 1)[:UPLOAD_MAX].decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as problem:
            raise InvalidInput(f"schema_file: {upload.name} is not JSON ({problem}).") from problem
        new = services.corpus_schema_replace(corpus=corpus, actor=actor, data=data)
        return f"Schema replaced by {new.name} ({new.key}).", None
    raise InvalidInput(f"action: unknown action {action[:40]!r}.")


def _rows(labels, kind: str, posted: dict, error_fields: dict) -> list[dict]:
    rows = []
    for label in labels:
        mine = posted.get("key") == label.key and posted.get("kind") == kind
        rows.append(
            {
                "label": label,
                "contrast": services.contrast_ratio(label.color),
                "errors": error_fields if mine else {},
                "values": posted if mine and posted.get("action") == "save" else {},
            }
        )
    return rows


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
            message, preview = _act(request, corpus)
        except GoldsetError as problem:
            error, status = problem.message, problem.status
            error_fields = problem.extra.get("fields", {})
        else:
            if preview is None:
                messages.success(request, message)
                return redirect("corpus-schema", slug=corpus.slug)
        corpus.refresh_from_db()
    schema = corpus.schema
    posted = request.POST.dict() if error else {}
    event_types = schema.event_types.prefetch_related("roles__entity_types")
    context = {
        "corpus": corpus,
        "schema": schema,
        "shared": bool(schema.preset) or schema.corpora.exclude(pk=corpus.pk).exists(),
        "entity_rows": _rows(schema.entity_types.all(), "entity", posted, error_fields),
        "event_rows": _rows(event_types, "event", posted, error_fields),
        "entity_keys": list(schema.entity_types.values_list("key", flat=True)),
        "relation_types": schema.relation_types.prefetch_related("arg1_types", "arg2_types"),
        "attribute_types": schema.attribute_types.all(),
        "changes": corpus.schema_changes.select_related("actor")[:100],
        "error": error,
        "preview": preview,
        "posted": posted,
        "contrast_min": services.CONTRAST_MIN,
        "ink": services.INK,
    }
    return render(request, "goldset/schema.html", context, status=status)
