"""`recover`: run one recovery sweep now and print what it did."""

from django.core.management.base import BaseCommand

from workers.recovery import recovery_sweep


class Command(BaseCommand):
    help = (
        "Close task rows of workers not seen within WORKER_LEASE_SECONDS, run the "
        "WORKER_RECOVERERS, forget day-old heartbeats, and print how many of each."
    )

    def handle(self, **options) -> None:
        done = recovery_sweep()
        for name, count in done.items():
            self.stdout.write(f"{name}: {count}")
