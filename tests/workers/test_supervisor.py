"""`manage.py workers` restarts a worker that dies and stops them all on SIGTERM."""

import os
import signal
from pathlib import Path

import pytest
from django_tasks_db.models import DBTaskResult

from tests.workers.conftest import wait_for

pytestmark = pytest.mark.slow


def pids(site) -> set[int]:
    return {pid for _, pid, _ in site.beats()}


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie (dead, not yet reaped by the supervisor) still answers kill(0).
    state = Path(f"/proc/{pid}/stat").read_text().split(") ")[-1][0]
    return state != "Z"


def test_supervisor_restarts_a_killed_worker_and_stops_on_sigterm(site, tmp_path):
    log = tmp_path / "workers.log"
    supervisor = site.start("workers", "--processes", "2", log=log)
    first = wait_for(
        lambda: len(pids(site)) == 2 and pids(site), seconds=60, what=f"two workers ({log})"
    )
    victim = min(first)

    os.kill(victim, signal.SIGKILL)

    now = wait_for(
        lambda: len(pids(site) - first) == 1 and pids(site),
        seconds=60,
        what=f"a new worker after killing {victim} ({log})",
    )
    replacement = (now - first).pop()
    text = log.read_text()
    assert f"(pid {victim}) died (killed by SIGKILL); restarting in 1 s" in text
    assert f"(pid {replacement})" in text
    assert supervisor.poll() is None

    supervisor.send_signal(signal.SIGTERM)

    assert supervisor.wait(30) == 0, log.read_text()
    survivors = [pid for pid in (first - {victim}) | {replacement} if alive(pid)]
    assert survivors == [], f"workers left running after the supervisor stopped: {survivors}"
    assert "all workers stopped" in log.read_text()


def test_workers_stop_when_the_supervisor_is_killed(site, tmp_path):
    """Killed with SIGKILL, the supervisor passes nothing on: its workers (each in a process
    group of its own) stop by themselves rather than run on unsupervised."""
    log = tmp_path / "workers.log"
    supervisor = site.start("workers", "--processes", "2", log=log)
    workers = wait_for(
        lambda: len(pids(site)) == 2 and pids(site), seconds=60, what=f"two workers ({log})"
    )

    supervisor.kill()
    supervisor.wait(30)

    wait_for(
        lambda: not any(alive(pid) for pid in workers),
        seconds=60,
        what=f"workers {sorted(workers)} to stop after their supervisor was killed ({log})",
    )


def test_supervisor_gives_up_on_a_worker_that_keeps_dying(site, tmp_path):
    log = tmp_path / "workers.log"
    # db_worker refuses a negative interval: every worker exits at once with status 2 (usage).
    supervisor = site.start("workers", "--max-restarts", "1", "--interval", "-1", log=log)

    assert supervisor.wait(60) == 1, log.read_text()
    text = log.read_text()
    assert "died (exit status 2); restarting in 1 s (restart 1 in a row)" in text
    assert "not restarted after 1 restarts in a row" in text


def test_a_task_cut_by_kill_9_is_closed_by_the_restarted_worker(site, tmp_path):
    site.env.update(WORKER_LEASE_SECONDS="3", WORKER_SWEEP_SECONDS="1")
    log = tmp_path / "workers.log"
    site.start("workers", log=log)
    task_id = site.enqueue("wait_for_file", str(tmp_path / "never"))
    wait_for(
        lambda: (site.task_status(task_id) or ("",))[0] == "RUNNING",
        seconds=60,
        what=f"{task_id} to start ({log})",
    )
    (victim,) = pids(site)

    os.kill(victim, signal.SIGKILL)

    wait_for(
        lambda: site.task_status(task_id)[0] == "FAILED",
        seconds=60,
        what=f"the restarted worker to close {task_id} ({log})",
    )
    (error,) = site.query(
        f"SELECT exception_class_path, traceback FROM {DBTaskResult._meta.db_table} WHERE id = ?",
        task_id.replace("-", ""),
    )
    assert error[0] == "workers.recovery.WorkerStopped"
    assert "stopped while running this task" in error[1]
    assert len(pids(site) - {victim}) == 1, "a new worker took over"
