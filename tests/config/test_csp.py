"""Every page a person sees carries the Content-Security-Policy (no inline script or style)
and the other security headers, and its HTML holds no inline script or style for it to block.
"""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from corpus.services.members import invitation_create
from imports.models import ImportJob
from tests.factories import UserFactory, prediction_create

# Routes that are not pages: actions that redirect (POST only, or to the next document) and
# downloads. They carry the header too (the middleware adds it to every response).
NOT_PAGES = {"logout", "corpus-annotate", "import-job-problems"}
NOT_PAGES |= {"documents-bulk"}  # a redirect to the action's page
NOT_PAGES |= {"corpus-guidelines-preview"}  # POST only: an HTML fragment for the new-corpus page
NOT_PAGES |= {"layer-editor-data"}  # JSON: what the editor page fetches (test_editor_page_data)
# The persona each page is for when the owner may not open it.
ANNOTATOR_PAGES = {"document-annotate"}
ANONYMOUS_PAGES = {"login"}
ANONYMOUS_PAGES |= {"invitation"}  # the sign-up form of an invitation link
ADMIN_PAGES = {"admin:index", "admin:corpus_corpus_changelist", "admin:corpus_corpus_change"}

POLICY = {
    "default-src": {"'self'"},
    "script-src": {"'self'"},
    "style-src": {"'self'"},
    "img-src": {"'self'", "data:"},
    "connect-src": {"'self'"},
    "object-src": {"'none'"},
    "base-uri": {"'self'"},
    "frame-ancestors": {"'none'"},
    "form-action": {"'self'"},
}
OTHER_HEADERS = {
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def page_urls(*, corpus, document, job) -> dict[str, str]:
    """Every page route, by URL name, for a corpus, one of its documents and an import job."""
    slug = corpus.slug
    in_document = {"slug": slug, "pk": document.pk}
    return {
        "corpus-list": reverse("corpus-list"),
        "corpus-create": reverse("corpus-create"),
        "corpus-detail": reverse("corpus-detail", kwargs={"slug": slug}),
        "corpus-members": reverse("corpus-members", kwargs={"slug": slug}),
        "corpus-schema": reverse("corpus-schema", kwargs={"slug": slug}),
        "invitation": invitation_path(corpus),
        "document-detail": reverse("document-detail", kwargs=in_document),
        "document-annotate": reverse("document-annotate", kwargs=in_document),
        "document-gold-edit": reverse("document-gold-edit", kwargs=in_document),
        "document-review": reverse("document-review", kwargs=in_document),
        "corpus-dashboard": reverse("corpus-dashboard", kwargs={"slug": slug}),
        "corpus-models": reverse("corpus-models", kwargs={"slug": slug}),
        "corpus-import": reverse("corpus-import", kwargs={"slug": slug}),  # with the job list
        "import-job-detail": reverse("import-job-detail", kwargs={"slug": slug, "pk": job.pk}),
        "corpus-export": reverse("corpus-export", kwargs={"slug": slug}),
        "documents-delete": reverse("documents-delete", kwargs={"slug": slug}) + "?documents=",
        "corpus-preannotate": reverse("corpus-preannotate", kwargs={"slug": slug}) + "?documents=",
        "login": reverse("login"),
        "api-docs": reverse("api-docs"),
        "admin:index": reverse("admin:index"),
        "admin:corpus_corpus_changelist": reverse("admin:corpus_corpus_changelist"),
        "admin:corpus_corpus_change": reverse("admin:corpus_corpus_change", args=[corpus.pk]),
    }


def invitation_path(corpus) -> str:
    """The path of a fresh invitation link into `corpus`."""
    _, token = invitation_create(corpus=corpus, actor=None, roles=["annotator"])
    return reverse("invitation", kwargs={"token": token})


def import_job_create(*, corpus, owner) -> ImportJob:
    return ImportJob.objects.create(
        corpus=corpus,
        created_by=owner,
        status="done",
        format="jsonl",
        format_detected="jsonl",
        file_names=["news.jsonl"],
        total_bytes=400,
        bytes_read=400,
        created=2,
        options={"layer": "prediction", "cleaning": {}},
        finished_at=timezone.now(),
    )


def page_route_names() -> set[str]:
    """The names of every route outside the API and the admin."""
    names = set()
    for entry in get_resolver().url_patterns:
        patterns = entry.url_patterns if isinstance(entry, URLResolver) else [entry]
        prefix = str(entry.pattern).lstrip("^")  # re_path patterns start with ^
        if prefix.startswith(("api/", "admin/")):
            continue
        names |= {pattern.name for pattern in patterns if isinstance(pattern, URLPattern)}
    return names


def policy_of(response) -> dict[str, set[str]]:
    directives = [part.split() for part in response["Content-Security-Policy"].split(";")]
    return {words[0]: set(words[1:]) for words in directives if words}


@pytest.fixture
def world(client, corpus, document, owner):
    """The owner's corpus with predictions, a gold layer started and a finished import."""
    prediction_create(document)
    client.force_login(owner)
    client.post(reverse("document-gold-edit", kwargs={"slug": corpus.slug, "pk": document.pk}))
    client.logout()
    return page_urls(
        corpus=corpus, document=document, job=import_job_create(corpus=corpus, owner=owner)
    )


@pytest.fixture
def admin(db):
    return UserFactory(username="ada-admin", is_staff=True, is_superuser=True)


def test_the_page_list_covers_every_page_route(world):
    assert page_route_names() - NOT_PAGES <= set(world)


def test_every_page_has_the_policy_without_inline_script_or_style(
    client, world, owner, annotator, admin
):
    for name, url in world.items():
        persona = (
            None
            if name in ANONYMOUS_PAGES
            else annotator
            if name in ANNOTATOR_PAGES
            else admin
            if name in ADMIN_PAGES
            else owner
        )
        client.logout()
        if persona is not None:
            client.force_login(persona)

        response = client.get(url)

        assert response.status_code == 200, f"{name} ({url}): {response.status_code}"
        assert policy_of(response) == POLICY, name
        for header, value in OTHER_HEADERS.items():
            assert response[header] == value, f"{name}: {header}"
        html = response.content.decode()
        assert not re.search(r"\sstyle\s*=", html), f"{name} has a style attribute"
        assert "<style" not in html, f"{name} has a <style> element"
        for script in re.findall(r"<script\b[^>]*>", html):
            assert "src=" in script or 'type="application/json"' in script, f"{name}: {script}"
        assert not re.search(r"\son[a-z]+\s*=\s*[\"']", html), f"{name} has an event attribute"


def test_swagger_uis_set_up_script_is_a_file(client, owner):
    client.force_login(owner)

    page = client.get(reverse("api-docs")).content.decode()
    script = client.get(reverse("api-docs") + "?script=")

    assert f'src="{reverse("api-docs")}?script="' in page
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle" in script.content.decode()


def test_api_answers_carry_the_policy_too(client, owner):
    client.force_login(owner)

    response = client.get("/api/corpora/")

    assert policy_of(response) == POLICY
