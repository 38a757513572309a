"""`manage.py demo_user`: create the local demo account and print its login."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from corpus.models import Corpus, Membership
from corpus.services.corpora import membership_grant

DEMO_USERNAME = "demo"
DEMO_PASSWORD = "goldset-demo"


class Command(BaseCommand):
    help = "Create the demo account (owner, annotator and reviewer of the seeds corpus)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--force", action="store_true", help="allow it with DEBUG off")

    def handle(self, *args, force: bool, **options) -> None:
        if not settings.DEBUG and not force:
            raise CommandError("Refusing to create a demo account with DEBUG off (--force).")
        user, created = get_user_model().objects.get_or_create(
            username=DEMO_USERNAME, defaults={"is_staff": True, "is_superuser": True}
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        for corpus in Corpus.objects.filter(slug="seeds"):
            membership_grant(corpus=corpus, user=user, roles=list(Membership.Role.values))
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo login: username {DEMO_USERNAME!r}, password {DEMO_PASSWORD!r}"
            )
        )
