"""Pages: a corpus's members and invitations (owners), and the invitation link (anyone)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from config.errors import GoldsetError, InvalidInput
from corpus.models import Corpus, Membership
from corpus.selectors import corpus_get_for_user, corpus_require_role
from corpus.services import members as services

ROLE_CHOICES = Membership.Role.choices


def _id(request: HttpRequest, field: str) -> int:
    value = request.POST.get(field, "")
    if not value.isdigit():
        raise InvalidInput(f"{field}: expected a number, got {value[:40]!r}.")
    return int(value)


def _act(request: HttpRequest, corpus: Corpus) -> tuple[str, str | None]:
    """Run the POSTed action; return its success message and a new invitation link if any."""
    action, roles = request.POST.get("action", ""), request.POST.getlist("roles")
    common = {"corpus": corpus, "actor": request.user}
    if action == "add":
        user = services.membership_add(
            **common, identifier=request.POST.get("user", ""), roles=roles
        )
        return f"Added {user.get_username()} as {', '.join(services.roles_clean(roles))}.", None
    if action == "roles":
        done = services.membership_roles_set(**common, user_id=_id(request, "member"), roles=roles)
        return f"Roles saved: {', '.join(done)}.", None
    if action == "remove":
        services.membership_remove(**common, user_id=_id(request, "member"))
        return "Member removed.", None
    if action == "invite":
        invitation, token = services.invitation_create(
            **common, roles=roles, note=request.POST.get("note", "")
        )
        link = request.build_absolute_uri(reverse("invitation", kwargs={"token": token}))
        return f"Invitation created as {', '.join(invitation.roles)}.", link
    if action == "revoke":
        services.invitation_revoke(**common, invitation_id=_id(request, "invitation"))
        return "Invitation revoked; its link no longer works.", None
    raise InvalidInput(f"action: unknown action {action[:40]!r}.")


def _members(corpus: Corpus) -> list[dict]:
    rows: dict[int, dict] = {}
    for membership in corpus.memberships.select_related("user").order_by("user__username"):
        row = rows.setdefault(membership.user_id, {"user": membership.user, "roles": []})
        row["roles"].append(membership.role)
    for row in rows.values():
        row["roles"] = [role for role in services.ROLES if role in row["roles"]]
    return list(rows.values())


@require_http_methods(["GET", "POST"])
def corpus_members(request: HttpRequest, slug: str) -> HttpResponse:
    """List members, invitations and the change record; add, change, remove and invite."""
    corpus = corpus_get_for_user(user=request.user, slug=slug)
    corpus_require_role(user=request.user, corpus=corpus, role=Membership.Role.OWNER)
    error, status, link = None, 200, None
    if request.method == "POST":
        try:
            message, link = _act(request, corpus)
        except GoldsetError as problem:
            error, status = problem.message, problem.status
        else:
            if link is None:
                messages.success(request, message)
                return redirect("corpus-members", slug=corpus.slug)
            messages.success(request, message)
    members = _members(corpus)
    context = {
        "corpus": corpus,
        "members": members,
        "owner_count": sum("owner" in row["roles"] for row in members),
        "role_choices": ROLE_CHOICES,
        "invitations": corpus.invitations.select_related("created_by", "used_by")[:50],
        "changes": corpus.member_changes.select_related("actor")[:100],
        "error": error,
        "link": link,
        "invitation_days": settings.INVITATION_DAYS,
        "posted": request.POST if error else {},
    }
    return render(request, "goldset/members.html", context, status=status)


@login_not_required
@require_http_methods(["GET", "POST"])
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """Show an invitation; sign up (or accept, when signed in) into its corpus."""
    context: dict = {"token": token, "error": None}
    try:
        found = services.invitation_get(token=token)
        context["invitation"] = found
        services.invitation_check(found)
        if request.method == "POST":
            signed_in = request.user if request.user.is_authenticated else None
            _, user = services.invitation_accept(
                token=token,
                user=signed_in,
                username=request.POST.get("username", ""),
                password=request.POST.get("password", ""),
                password_again=request.POST.get("password_again", ""),
            )
            if signed_in is None:
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, f"Welcome to {found.corpus.name}.")
            return redirect(found.corpus.get_absolute_url())
    except services.InvitationClosed as problem:
        context.update(closed=problem.message)
        return render(request, "goldset/invitation.html", context, status=410)
    except GoldsetError as problem:
        context.update(error=problem.message, username=request.POST.get("username", ""))
        return render(request, "goldset/invitation.html", context, status=problem.status)
    return render(request, "goldset/invitation.html", context)
