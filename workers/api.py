"""API: are background workers running? (what a status page or a monitor polls)"""

from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from workers.selectors import tasks_waiting_for_a_worker, worker_beats, worker_status


class WorkerBeatOutput(serializers.Serializer):
    worker_id = serializers.CharField()
    hostname = serializers.CharField()
    pid = serializers.IntegerField()
    started_at = serializers.DateTimeField()
    last_seen = serializers.DateTimeField()
    task_id = serializers.CharField(help_text="The task result being run; empty when idle.")
    tasks_run = serializers.IntegerField()


class WorkersOutput(serializers.Serializer):
    alive = serializers.IntegerField(help_text="Workers whose heartbeat is within the lease.")
    last_seen = serializers.DateTimeField(
        allow_null=True, help_text="The last heartbeat of any worker; null if none ever ran."
    )
    lease_seconds = serializers.IntegerField(
        help_text="A worker silent this long is taken for dead (WORKER_LEASE_SECONDS)."
    )
    tasks_waiting = serializers.IntegerField(
        help_text="Tasks queued for longer than a heartbeat, or running."
    )
    workers = WorkerBeatOutput(
        many=True, required=False, help_text="Every known worker (staff only)."
    )


EXAMPLE = {
    "alive": 1,
    "last_seen": "2026-12-06T05:00:10Z",
    "lease_seconds": 60,
    "tasks_waiting": 0,
}


class WorkersApi(APIView):
    @extend_schema(
        responses=WorkersOutput,
        operation_id="workers_retrieve",
        description=(
            "How many background workers are alive (a heartbeat within the lease), when one "
            "was last seen and how many tasks wait. Staff also see each worker's host, pid and "
            "current task. No worker alive while tasks wait means imports and pre-annotation "
            "are stuck: start `python manage.py workers`."
        ),
        examples=[OpenApiExample("One worker alive", value=EXAMPLE, response_only=True)],
    )
    def get(self, request: Request) -> Response:
        """Say whether background workers are running (any signed-in user)."""
        status = worker_status()
        data = {
            "alive": status.alive,
            "last_seen": status.last_seen,
            "lease_seconds": int(status.lease.total_seconds()),
            "tasks_waiting": tasks_waiting_for_a_worker(),
        }
        if request.user.is_staff:
            data["workers"] = worker_beats()
        return Response(WorkersOutput(data).data)
