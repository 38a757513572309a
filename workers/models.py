"""Worker heartbeats: which background workers are alive and what each is running."""

from django.db import models


class WorkerBeat(models.Model):
    """The last sign of life of one `db_worker` process (one row per worker id)."""

    worker_id = models.CharField(max_length=64, unique=True)
    hostname = models.CharField(max_length=255, blank=True)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    last_seen = models.DateTimeField(db_index=True)
    task_id = models.CharField(max_length=64, blank=True)  # the task result being run, if any
    tasks_run = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-last_seen"]

    def __str__(self) -> str:
        return f"{self.worker_id} ({self.hostname}:{self.pid})"


class SweepLock(models.Model):
    """A single row a recovery sweep locks so that only one worker sweeps at a time."""

    last_run_at = models.DateTimeField(null=True)

    def __str__(self) -> str:
        return f"recovery sweep lock (last run {self.last_run_at})"
