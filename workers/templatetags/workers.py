"""The "no worker is running" banner, for pages whose work waits on a background worker."""

from django import template

from workers.selectors import tasks_waiting_for_a_worker, worker_status

register = template.Library()


@register.inclusion_tag("workers/status.html")
def worker_banner(*, waiting: bool | None = None, finished: bool | None = None) -> dict:
    """Warn when work waits and no worker was seen within the lease; say how to start one.

    `waiting` says the page's own work waits (an import not finished); `finished=False` says
    the same; with neither, any task queued past a heartbeat or left running counts. One
    query when nothing waits, two when something does.
    """
    if waiting is None:
        waiting = not finished if finished is not None else None
    if waiting is None:
        waiting = tasks_waiting_for_a_worker(limit=1) > 0
    if not waiting:
        return {"show": False}
    status = worker_status()
    return {"show": not status.alive, "status": status}
