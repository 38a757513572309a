"""Create corpora and manage who belongs to them."""

from django.contrib.auth.models import AbstractBaseUser
from django.utils.text import slugify

from config.errors import InvalidInput
from corpus.models import Corpus, LabelSchema, Membership


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
