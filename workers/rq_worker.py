"""The RQ worker of the "rq" task backend: runs tasks in its own process and beats like db_worker.

RQ's `SimpleWorker` runs each job in the worker process itself (no fork per job), as
`db_worker` does, so a loaded spaCy pipeline serves every task and `kill -9` of the worker
stops its task too. The same heartbeat thread as `db_worker`'s writes its WorkerBeat (the
status page, `task_alive`) and runs the recovery sweep; while a job runs it also keeps RQ's
own heartbeats of the worker and the job, so RQ never takes a long task for abandoned.
When it stops it ends its thread listening for RQ's commands without waiting on it for long.
"""

import logging

from django.db import close_old_connections, connection
from rq.exceptions import StopRequested
from rq.job import Job
from rq.queue import Queue
from rq.worker import SimpleWorker, WorkerStatus

from workers.heartbeat import Heartbeat

logger = logging.getLogger("workers")

STOP_CHECK_SECONDS = 5  # the longest a waiting worker takes to see that it should stop


class RQHeartbeat(Heartbeat):
    """The worker's WorkerBeat and sweeps, plus RQ's heartbeats of the job it runs."""

    def __init__(self, *, worker: "SupervisedRQWorker") -> None:
        super().__init__(worker_id=worker.name)
        self.worker = worker

    def beat(self) -> None:
        super().beat()
        running = self.worker.running
        if running is not None:
            self._guarded(
                "keeping RQ's heartbeat", lambda: self.worker.maintain_heartbeats(*running)
            )


class SupervisedRQWorker(SimpleWorker):
    """RQ's in-process worker, with the heartbeat thread of `workers.heartbeat`."""

    running = None  # (job, execution) while a job runs

    def work(self, *args, **kwargs) -> bool:
        self.beats = RQHeartbeat(worker=self)
        # An in-memory database (the test suite's) is seen by this process only: no one to
        # tell, and a second connection in a thread would contend for its shared cache.
        if not (connection.vendor == "sqlite" and connection.is_in_memory_db()):
            self.beats.start()
        try:
            return super().work(*args, **kwargs)
        finally:
            self.beats.stop()

    def _shutdown(self) -> None:
        """Stop at once on SIGTERM unless a job runs here now.

        RQ reads its worker state, which can still say busy while the worker already waits
        in Redis for its next job, and then stops only after that wait; whether a job runs is
        known here for certain.
        """
        self._stop_requested = True  # read before the next wait for a job, should the raise be lost
        if self.running is None:
            raise StopRequested()
        super()._shutdown()

    @property
    def dequeue_timeout(self) -> int:
        """Wait for a job in spans of at most STOP_CHECK_SECONDS, so a stop is seen that soon.

        Python runs signal handlers in the main thread only: a SIGTERM that the kernel hands
        to the heartbeat or listener thread is acted on when the main thread's wait ends.
        """
        return min(STOP_CHECK_SECONDS, super().dequeue_timeout)

    def unsubscribe(self) -> None:
        """Stop the thread listening for RQ's commands (shutdown, kill-horse) in Redis.

        RQ sends UNSUBSCRIBE, whose reply wakes that thread, and only then tells it to stop and
        waits for it (redis-py 8.2's `stop()` waits with no limit). A thread that read the
        reply before it was told went back to waiting for a message, for up to RQ's 60 s, and
        the worker outlived its SIGTERM by a minute. Told first, the thread ends on the reply.
        """
        listener = self.pubsub_thread
        if listener is None:
            return
        try:
            listener.stop(timeout=0)  # tell it, without waiting (redis-py 8.2 and later)
        except TypeError:  # an earlier redis-py: stop() only tells it
            listener.stop()
        if listener.is_alive():
            self.pubsub.unsubscribe()
            listener.join(STOP_CHECK_SECONDS)
        if not listener.is_alive():  # never close the connection under a thread reading it
            self.pubsub.close()

    def execute_job(self, job: Job, queue: Queue) -> None:
        """Run `job` here (as SimpleWorker does), telling the heartbeat which task it is."""
        self.beats.task_id = job.id
        close_old_connections()  # as db_worker does around each task
        try:
            execution = self.prepare_execution(job)
            self.running = (job, execution)
            self.perform_job(job, queue, execution)
            self.set_state(WorkerStatus.IDLE)
        finally:
            self.running = None
            close_old_connections()
            self.beats.task_id = ""
            self.beats.tasks_run += 1
