"""Create corpora and manage who belongs to them."""

from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.utils.text import slugify

from config.errors import InvalidInput
from corpus.cleaning import DEFAULT_RULES
from corpus.models import Corpus, LabelSchema, Membership
from corpus.services.schemas import schema_create


def corpus_get_or_create(*, slug: str, schema: LabelSchema, name: str = "") -> Corpus:
    """Return the corpus with `slug`, creating it with `schema` when it does not exist."""
    if slugify(slug) != slug:
        raise InvalidInput(f"{slug!r} is not a valid corpus slug (try {slugify(slug)!r})")
    corpus, _ = Corpus.objects.get_or_create(
        slug=slug, defaults={"name": name or slug.replace("-", " ").title(), "schema": schema}
    )
    return corpus


def membership_grant(*, corpus: Corpus, user: AbstractBaseUser, roles: list[str]) -> None:
    """Give `user` each of `roles` in `corpus` (granting a role twice changes nothing)."""
    for role in roles:
        if role not in Membership.Role.values:
            raise InvalidInput(f"Unknown role {role!r}: use one of {', '.join(Membership.Role)}")
        Membership.objects.get_or_create(corpus=corpus, user=user, role=role)


# Slugs a corpus may not take: the pages at /corpora/<these>/ are not corpora.
RESERVED_SLUGS = frozenset({"new", "guidelines-preview"})
SLUG_MAX_LENGTH = 100


def corpus_slug_check(*, name: str, slug: str = "") -> str:
    """Return the slug for a new corpus (`slug`, or one made of `name`), or raise InvalidInput."""
    wanted = slug.strip()
    slug = wanted or slugify(name)[:SLUG_MAX_LENGTH].strip("-")
    field = "slug" if wanted else "name"
    if not slug:
        raise InvalidInput(
            "The name has no letters or digits to make a slug of: give a slug",
            extra={"field": "slug"},
        )
    if slugify(slug) != slug or len(slug) > SLUG_MAX_LENGTH:
        raise InvalidInput(
            f"{slug!r} is not a valid slug: use lowercase letters, digits and hyphens, at most"
            f" {SLUG_MAX_LENGTH} characters (try {slugify(slug)[:SLUG_MAX_LENGTH]!r})",
            extra={"field": field},
        )
    if slug in RESERVED_SLUGS or Corpus.objects.filter(slug=slug).exists():
        raise InvalidInput(
            f"The slug {slug!r} is taken: choose another one", extra={"field": "slug"}
        )
    return slug


@transaction.atomic
def corpus_create(
    *,
    name: str,
    schema: LabelSchema | dict[str, Any],
    owner: AbstractBaseUser,
    slug: str = "",
    description: str = "",
    guidelines: str = "",
    annotators_per_document: int = 1,
    review_required: bool = False,
    cleaning: dict[str, bool] | None = None,
) -> Corpus:
    """Create a corpus owned by `owner`, with an existing schema or one made of schema data.

    Schema data (a brat annotation.conf or schema file read, a copy of a schema) is checked
    by `schema_create` and gets a key no other schema has. On any problem nothing is written.
    """
    if not name.strip():
        raise InvalidInput("A corpus needs a name", extra={"field": "name"})
    if annotators_per_document < 1:
        raise InvalidInput(
            "Annotators per document must be at least 1",
            extra={"field": "annotators_per_document"},
        )
    slug = corpus_slug_check(name=name, slug=slug)
    if isinstance(schema, dict):
        data = {**schema, "key": schema_key_free(str(schema.get("key") or slug))}
        schema = schema_create(data=data)
    try:
        with transaction.atomic():  # a savepoint: another request may take the slug first
            corpus = Corpus.objects.create(
                name=name.strip(),
                slug=slug,
                schema=schema,
                description=description,
                guidelines=guidelines,
                annotators_per_document=annotators_per_document,
                review_required=review_required,
                cleaning={"rules": {**DEFAULT_RULES, **(cleaning or {})}},
            )
    except IntegrityError as exc:
        raise InvalidInput(
            f"The slug {slug!r} is taken: choose another one", extra={"field": "slug"}
        ) from exc
    membership_grant(corpus=corpus, user=owner, roles=[Membership.Role.OWNER])
    return corpus


def schema_key_free(key: str) -> str:
    """Return `key` (made a slug), or it with the first free `-2`, `-3`… no schema has."""
    key = (slugify(key) or "schema")[:90]
    candidate, number = key, 1
    while LabelSchema.objects.filter(key=candidate).exists():
        number += 1
        candidate = f"{key}-{number}"
    return candidate
