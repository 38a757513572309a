"""Keep N worker processes running: restart any that dies, stop them all on a signal."""

import ctypes
import logging
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

logger = logging.getLogger("workers")

FIRST_BACKOFF = 1.0  # seconds before restarting a worker that died; doubles up to MAX_BACKOFF
MAX_BACKOFF = 30.0
HEALTHY_AFTER = 60.0  # a worker that ran this long resets its backoff and restart count
POLL = 0.2
PR_SET_PDEATHSIG = 1  # Linux prctl(2): the signal a process gets when its parent dies


@dataclass
class Slot:
    """One worker place: the process filling it, and how its restarts are going."""

    number: int
    process: subprocess.Popen | None = None
    started: float = 0.0
    backoff: float = FIRST_BACKOFF
    restarts_in_a_row: int = 0
    restart_at: float | None = None
    given_up: bool = False
    exits: list[int] = field(default_factory=list)


class Supervisor:
    """Start `processes` workers with `command` and keep them alive until told to stop."""

    def __init__(self, *, command: list[str], processes: int, max_restarts: int | None) -> None:
        self.command = command
        self.slots = [Slot(number) for number in range(1, processes + 1)]
        self.max_restarts = max_restarts
        self.stopping = False
        self.signals = 0

    def run(self) -> int:
        """Supervise until every worker has exited; return the exit status for the supervisor."""
        self._handle_signals()
        for slot in self.slots:
            self._start(slot)
        while any(slot.process or slot.restart_at is not None for slot in self.slots):
            now = time.monotonic()
            for slot in self.slots:
                if slot.process is not None and slot.process.poll() is not None:
                    self._exited(slot, now)
                elif slot.restart_at is not None and now >= slot.restart_at and not self.stopping:
                    self._start(slot)
            time.sleep(POLL)
        failed = any(slot.given_up for slot in self.slots)
        why = "a worker kept dying" if failed else "all workers stopped"
        logger.info("Supervisor exiting: %s", why)
        return 1 if failed else 0

    def _start(self, slot: Slot) -> None:
        slot.restart_at = None
        # A process group of its own: Ctrl+C reaches the supervisor, which passes it on once.
        slot.process = subprocess.Popen(
            self.command, process_group=0, preexec_fn=_stop_with(os.getpid())
        )
        slot.started = time.monotonic()
        logger.info("Started worker %d (pid %d)", slot.number, slot.process.pid)

    def _exited(self, slot: Slot, now: float) -> None:
        code = slot.process.returncode
        pid = slot.process.pid
        slot.process = None
        status = f"killed by {signal.Signals(-code).name}" if code < 0 else f"exit status {code}"
        if self.stopping or code == 0:
            logger.info("Worker %d (pid %d) stopped: %s", slot.number, pid, status)
            return
        if now - slot.started >= HEALTHY_AFTER:
            slot.backoff, slot.restarts_in_a_row = FIRST_BACKOFF, 0
        if self.max_restarts is not None and slot.restarts_in_a_row >= self.max_restarts:
            slot.given_up = True
            logger.error(
                "Worker %d (pid %d) died (%s); not restarted after %d restarts in a row",
                slot.number,
                pid,
                status,
                slot.restarts_in_a_row,
            )
            return
        slot.restarts_in_a_row += 1
        slot.restart_at = now + slot.backoff
        logger.warning(
            "Worker %d (pid %d) died (%s); restarting in %.0f s (restart %d in a row)",
            slot.number,
            pid,
            status,
            slot.backoff,
            slot.restarts_in_a_row,
        )
        slot.backoff = min(slot.backoff * 2, MAX_BACKOFF)

    def _handle_signals(self) -> None:
        signal.signal(signal.SIGTERM, self._forward)
        # A shell starts background jobs with SIGINT ignored (`make run`): keep it so.
        if signal.getsignal(signal.SIGINT) is not signal.SIG_IGN:
            signal.signal(signal.SIGINT, self._forward)

    def _forward(self, signum: int, frame) -> None:
        self.stopping = True
        self.signals += 1
        for slot in self.slots:
            slot.restart_at = None
            if slot.process is not None and slot.process.poll() is None:
                slot.process.send_signal(signum)
        how = "finishing their current task" if self.signals == 1 else "terminating their tasks"
        logger.warning("Received %s: workers are %s", signal.strsignal(signum), how)


def _stop_with(supervisor_pid: int):
    """What a new worker runs before the worker command, on Linux: get SIGTERM when the
    supervisor dies, as when it is killed with SIGKILL and cannot pass a signal on, so no
    worker runs on unsupervised (another supervisor would start workers beside it)."""
    if not sys.platform.startswith("linux"):
        return None
    prctl = ctypes.CDLL(None, use_errno=True).prctl  # looked up here, not in the forked child
    sigterm = int(signal.SIGTERM)

    def stop_with_the_supervisor() -> None:
        prctl(PR_SET_PDEATHSIG, sigterm)
        if os.getppid() != supervisor_pid:  # it died before that call
            os._exit(1)

    return stop_with_the_supervisor


def worker_command(*, manage_py: Path, extra: list[str], backend: str = "database") -> list[str]:
    """The command line of one supervised worker of the task backend ("database": db_worker,
    "rq": rq_worker): this Python, this project, no autoreload."""
    if backend == "rq":
        return [sys.executable, str(manage_py), "rq_worker", *extra]
    return [sys.executable, str(manage_py), "db_worker", "--no-reload", *extra]
