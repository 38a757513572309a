"""Members of a corpus: add, change roles, remove, invite; every change recorded."""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from config.errors import Conflict, InvalidInput, NotFound
from corpus.models import Corpus, Invitation, Membership, MembershipChange

ROLES = [role.value for role in Membership.Role]
Action = MembershipChange.Action


class InvitationClosed(Conflict):
    """The invitation was used, revoked or has expired: it is gone for good."""

    status = 410


def token_hash(token: str) -> str:
    """Return the SHA-256 of an invitation token, as stored."""
    return hashlib.sha256(token.encode()).hexdigest()


def roles_clean(roles: list[str]) -> list[str]:
    """Return `roles` in canonical order, or raise InvalidInput naming the problem."""
    unknown = sorted(set(roles) - set(ROLES))
    if unknown:
        raise InvalidInput(f"roles: unknown role {unknown[0]!r}; choose from {', '.join(ROLES)}.")
    if not roles:
        raise InvalidInput("roles: choose at least one role (owner, annotator or reviewer).")
    return [role for role in ROLES if role in roles]


def _roles_of(corpus: Corpus, user: AbstractBaseUser) -> list[str]:
    held = set(Membership.objects.filter(corpus=corpus, user=user).values_list("role", flat=True))
    return [role for role in ROLES if role in held]


def _record(corpus, actor, member, action, before=(), after=()) -> MembershipChange:
    return MembershipChange.objects.create(
        corpus=corpus,
        actor=actor,
        member=member,
        member_name=member.get_username() if member else "",
        action=action,
        roles_before=list(before),
        roles_after=list(after),
    )


def _user_find(identifier: str) -> AbstractBaseUser:
    """Return the active user whose username or e-mail is `identifier`."""
    identifier = identifier.strip()
    if not identifier:
        raise InvalidInput("user: give a username or an e-mail address.")
    users = get_user_model().objects.filter(is_active=True)
    user = users.filter(username=identifier).first()
    if user is None and "@" in identifier:
        matches = list(users.filter(email__iexact=identifier)[:2])
        if len(matches) > 1:
            raise Conflict(f"user: several accounts use {identifier!r}; give the username.")
        user = matches[0] if matches else None
    if user is None:
        raise NotFound(f"user: no account with the username or e-mail {identifier!r}.")
    return user


def _owners_locked(corpus: Corpus) -> list[int]:
    """Lock the corpus's owner rows and return the owners' user ids."""
    owners = Membership.objects.select_for_update().filter(corpus=corpus, role="owner")
    return list(owners.values_list("user_id", flat=True))


@transaction.atomic
def membership_add(
    *, corpus: Corpus, actor: AbstractBaseUser, identifier: str, roles: list[str]
) -> AbstractBaseUser:
    """Make the user named by username or e-mail a member of `corpus` with `roles`."""
    roles = roles_clean(roles)
    user = _user_find(identifier)
    if _roles_of(corpus, user):
        raise Conflict(
            f"user: {user.get_username()} is already a member; change their roles instead."
        )
    Membership.objects.bulk_create(
        Membership(corpus=corpus, user=user, role=role) for role in roles
    )
    _record(corpus, actor, user, Action.ADDED, after=roles)
    return user


def _member_get(corpus: Corpus, user_id: int) -> tuple[AbstractBaseUser, list[str]]:
    user = get_user_model().objects.filter(pk=user_id).first()
    roles = _roles_of(corpus, user) if user else []
    if not roles:
        raise NotFound(f"member: user {user_id} is not a member of this corpus.")
    return user, roles


@transaction.atomic
def membership_roles_set(
    *, corpus: Corpus, actor: AbstractBaseUser, user_id: int, roles: list[str]
) -> list[str]:
    """Give member `user_id` exactly `roles`; the last owner keeps the owner role."""
    roles = roles_clean(roles)
    owners = _owners_locked(corpus)
    user, before = _member_get(corpus, user_id)
    if "owner" not in roles and owners == [user.pk]:
        raise Conflict(
            f"roles: {user.get_username()} is the last owner and must stay owner; "
            "make someone else owner first."
        )
    if roles == before:
        return roles
    Membership.objects.filter(corpus=corpus, user=user).exclude(role__in=roles).delete()
    Membership.objects.bulk_create(
        Membership(corpus=corpus, user=user, role=role) for role in roles if role not in before
    )
    _record(corpus, actor, user, Action.ROLES_CHANGED, before, roles)
    return roles


@transaction.atomic
def membership_remove(*, corpus: Corpus, actor: AbstractBaseUser, user_id: int) -> None:
    """Remove member `user_id` from `corpus`, unless they are its last owner."""
    owners = _owners_locked(corpus)
    user, before = _member_get(corpus, user_id)
    if owners == [user.pk]:
        raise Conflict(
            f"member: {user.get_username()} is the last owner and cannot be removed; "
            "make someone else owner first."
        )
    Membership.objects.filter(corpus=corpus, user=user).delete()
    _record(corpus, actor, user, Action.REMOVED, before=before)


@transaction.atomic
def invitation_create(
    *, corpus: Corpus, actor: AbstractBaseUser, roles: list[str], note: str = ""
) -> tuple[Invitation, str]:
    """Create a single-use invitation with `roles`; return it and its token (shown once)."""
    roles = roles_clean(roles)
    note = note.strip()
    if len(note) > 300:
        raise InvalidInput(f"note: at most 300 characters, got {len(note)}.")
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        corpus=corpus,
        token_hash=token_hash(token),
        roles=roles,
        note=note,
        created_by=actor,
        expires_at=timezone.now() + timedelta(days=settings.INVITATION_DAYS),
    )
    _record(corpus, actor, None, Action.INVITED, after=roles)
    return invitation, token


def invitation_get(*, token: str, lock: bool = False) -> Invitation:
    """Return the invitation of `token`, or raise NotFound."""
    invitations = Invitation.objects.select_related("corpus")
    if lock:
        invitations = invitations.select_for_update(of=("self",))
    invitation = invitations.filter(token_hash=token_hash(token)).first()
    if invitation is None:
        raise NotFound(
            "invitation: this link is not a Goldset invitation; check it was copied whole."
        )
    return invitation


def invitation_check(invitation: Invitation) -> None:
    """Raise InvitationClosed unless `invitation` can still be accepted."""
    state = invitation.state
    if state != "pending":
        raise InvitationClosed(
            f"invitation: this link {'has ' if state == 'expired' else 'was '}{state}; "
            "ask the corpus owner for a new one.",
            extra={"state": state},
        )


def _user_create(username: str, password: str, password_again: str) -> AbstractBaseUser:
    User = get_user_model()
    username = username.strip()
    if not username:
        raise InvalidInput("username: choose a username.")
    try:
        User.username_validator(username)
        User._meta.get_field("username").run_validators(username)
    except ValidationError as error:
        raise InvalidInput(f"username: {' '.join(error.messages)}") from error
    if User.objects.filter(username__iexact=username).exists():
        raise Conflict(f"username: {username!r} is taken; choose another or sign in.")
    if password != password_again:
        raise InvalidInput("password: the two passwords differ.")
    try:
        validate_password(password, user=User(username=username))
    except ValidationError as error:
        raise InvalidInput(f"password: {' '.join(error.messages)}") from error
    return User.objects.create_user(username=username, password=password)


@transaction.atomic
def invitation_accept(
    *,
    token: str,
    user: AbstractBaseUser | None = None,
    username: str = "",
    password: str = "",
    password_again: str = "",
) -> tuple[Invitation, AbstractBaseUser]:
    """Accept an invitation as `user`, or sign up a new user; return the invitation and user."""
    invitation = invitation_get(token=token, lock=True)
    invitation_check(invitation)
    corpus = invitation.corpus
    if user is None:
        user = _user_create(username, password, password_again)
    before = _roles_of(corpus, user)
    added = [role for role in invitation.roles if role not in before]
    Membership.objects.bulk_create(
        Membership(corpus=corpus, user=user, role=role) for role in added
    )
    invitation.used_at = timezone.now()
    invitation.used_by = user
    invitation.save(update_fields=["used_at", "used_by"])
    after = [role for role in ROLES if role in before or role in added]
    _record(corpus, user, user, Action.JOINED, before, after)
    return invitation, user


@transaction.atomic
def invitation_revoke(*, corpus: Corpus, actor: AbstractBaseUser, invitation_id: int) -> None:
    """Revoke a pending invitation of `corpus` so its link no longer works."""
    invitation = (
        Invitation.objects.select_for_update().filter(corpus=corpus, pk=invitation_id).first()
    )
    if invitation is None:
        raise NotFound(f"invitation: no invitation {invitation_id} in this corpus.")
    if invitation.state != "pending":
        raise Conflict(f"invitation: invitation {invitation_id} is {invitation.state} already.")
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    _record(corpus, actor, None, Action.INVITATION_REVOKED, before=invitation.roles)
