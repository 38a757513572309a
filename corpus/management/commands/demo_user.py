"""`manage.py demo_user`: create the local demo account and print its login."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from corpus.models import Corpus, Membership
from corpus.services.corpora import membership_grant

DEMO_USERNAME = "demo"
DEMO_PASSWORD = "goldset-demo"
# With --team: two annotators and a reviewer, to try overlap, agreement and review.
TEAM = {
    "ana": Membership.Role.ANNOTATOR,
    "ben": Membership.Role.ANNOTATOR,
    "rita": Membership.Role.REVIEWER,
}


class Command(BaseCommand):
    help = "Create the demo account (owner, annotator and reviewer of the seeds corpus)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--force", action="store_true", help="allow it with DEBUG off")
        parser.add_argument(
            "--team",
            action="store_true",
            help="also annotators ana and ben and reviewer rita (same password), and make the"
            " seeds corpus want two annotators per document and a review",
        )

    def handle(self, *args, force: bool, team: bool, **options) -> None:
        if not settings.DEBUG and not force:
            raise CommandError("Refusing to create a demo account with DEBUG off (--force).")
        superuser = {"is_staff": True, "is_superuser": True}
        accounts = {DEMO_USERNAME: (superuser, list(Membership.Role.values))}
        if team:
            accounts.update({name: ({}, [role]) for name, role in TEAM.items()})
        seeds = list(Corpus.objects.filter(slug="seeds"))
        for username, (flags, roles) in accounts.items():
            user, created = get_user_model().objects.get_or_create(
                username=username, defaults=flags
            )
            if created:
                user.set_password(DEMO_PASSWORD)
                user.save()
            for corpus in seeds:
                membership_grant(corpus=corpus, user=user, roles=roles)
        if team:
            Corpus.objects.filter(slug="seeds").update(
                annotators_per_document=2, review_required=True
            )
        names = ", ".join(repr(name) for name in accounts)
        self.stdout.write(
            self.style.SUCCESS(f"Demo login: username {names}, password {DEMO_PASSWORD!r}")
            if team
            else self.style.SUCCESS(
                f"Demo login: username {DEMO_USERNAME!r}, password {DEMO_PASSWORD!r}"
            )
        )
