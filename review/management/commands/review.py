"""`manage.py review CORPUS --auto-merge K`: adjudicate annotated documents by K-agreement."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from config.errors import GoldsetError
from corpus.models import Corpus
from review.merge import Candidate
from review.services import MergeOutcome, corpus_auto_merge

UNDECIDED_SHOWN = 10
SINGULAR = {"entities": "entity", "events": "event", "arguments": "argument"}


class Command(BaseCommand):
    help = (
        "Write the gold layer of every document of CORPUS with at least K submitted layers: "
        "the entities, events and arguments at least K annotators agree on."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("corpus", help="corpus slug")
        parser.add_argument(
            "--auto-merge",
            type=int,
            required=True,
            metavar="K",
            help="keep what at least K annotators have; documents with fewer layers wait",
        )
        parser.add_argument(
            "--force", action="store_true", help="also redo documents already reviewed"
        )
        parser.add_argument(
            "--user", default="", help="adjudicate as this owner or reviewer (recorded as such)"
        )

    def handle(self, *args, corpus: str, auto_merge: int, force: bool, user: str, **options):
        found = Corpus.objects.filter(slug=corpus).first()
        if found is None:
            raise CommandError(f"No corpus {corpus!r}")
        reviewer = None
        if user:
            reviewer = get_user_model().objects.filter(username=user).first()
            if reviewer is None:
                raise CommandError(f"No user {user!r}")
        try:
            report = corpus_auto_merge(corpus=found, k=auto_merge, user=reviewer, force=force)
        except GoldsetError as exc:
            raise CommandError(exc.message) from exc
        for outcome in report.outcomes:
            self.stdout.write(_outcome_line(outcome))
            for candidate in outcome.undecided[:UNDECIDED_SHOWN]:
                self.stdout.write(f"    undecided {_candidate_text(outcome, candidate)}")
            if len(outcome.undecided) > UNDECIDED_SHOWN:
                self.stdout.write(f"    … and {len(outcome.undecided) - UNDECIDED_SHOWN} more")
        self.stdout.write(
            f"{report.adjudicated} document{'s' * (report.adjudicated != 1)} adjudicated "
            f"by {report.k}-agreement, {report.skipped} already reviewed (skipped; --force "
            f"redoes them), {report.undecided} item{'s' * (report.undecided != 1)} undecided."
        )


def _outcome_line(outcome: MergeOutcome) -> str:
    document = outcome.document
    name = f"{document.external_id or document.pk} ({outcome.submitted} submitted)"
    if not outcome.adjudicated:
        return f"{name}: skipped, already reviewed"
    counts = ", ".join(
        f"{count} {SINGULAR[kind] if count == 1 else kind}"
        for kind, count in outcome.counts.items()
    )
    return f"{name}: gold {counts}; {len(outcome.undecided)} undecided"


def _candidate_text(outcome: MergeOutcome, candidate: Candidate) -> str:
    """Return an undecided item as a person reads it: kind, label, text and who has it."""
    text = outcome.document.text
    who = ", ".join(candidate.voters)
    if candidate.kind == "argument":
        (start, end, event_type), role, (_, (fstart, fend, _label)) = candidate.key
        return f'argument {event_type} "{text[start:end]}" {role} = "{text[fstart:fend]}" ({who})'
    start, end, label = candidate.key
    return f'{candidate.kind} {label} {start}-{end} "{text[start:end]}" ({who})'
