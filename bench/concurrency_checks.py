"""What bench.concurrency checks after the run: the database's invariants, each PASS or FAIL."""


def invariants(*, documents: int) -> dict:
    """Query what the database holds after the run (checks a, b, e, f)."""
    from django.db import connection
    from django.db.models import Count
    from django_tasks_db.models import DBTaskResult

    from annotations.models import Annotation
    from preannotation.models import PreannotationRun

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM (SELECT document_id, model_name FROM annotations_annotation "
            "WHERE kind = 'prediction' GROUP BY document_id, model_name HAVING count(*) > 1) d"
        )
        (doubled,) = cursor.fetchone()
    predictions = Annotation.objects.filter(kind=Annotation.Kind.PREDICTION)
    runs = [
        {
            "id": run.pk,
            "only_missing": run.only_missing,
            "total": run.total,
            "processed": run.processed,
            "failed": run.failures.count(),
            "layers": predictions.filter(run=run).count(),
            "finished": run.finished_at is not None,
            "status": run.status,
        }
        for run in PreannotationRun.objects.order_by("pk")
    ]
    per_document = predictions.values("document").annotate(n=Count("pk"))
    return {
        "documents": documents,
        "doubled_predictions": doubled,
        "documents_with_predictions": per_document.count(),
        "runs": runs,
        "tasks": dict(
            DBTaskResult.objects.values_list("status").annotate(n=Count("pk")).order_by()
        ),
    }


def checks(figures: dict) -> dict[str, tuple[bool, str]]:
    """Each invariant: whether it holds, and the numbers that say so."""
    runs, documents = figures["runs"], figures["documents"]
    processed = sum(run["processed"] for run in runs)
    replaced = [run["id"] for run in runs if run["layers"] != run["processed"]]
    conflicts, kinds = figures["conflicts"], figures["kinds"]
    errors = [problem for problems in figures["errors"].values() for problem in problems]
    server = [problem for problem in errors if problem.startswith("5")]
    dropped = [problem for problem in errors if not problem[:1].isdigit()]
    tasks = figures["tasks"]
    return {
        "(a) no document has two prediction layers for one model": (
            figures["doubled_predictions"] == 0,
            f"{figures['doubled_predictions']} (document, model) pairs with more than one layer",
        ),
        "(b) every document pre-annotated exactly once": (
            figures["documents_with_predictions"] == documents
            and processed == documents
            and not replaced,
            f"{figures['documents_with_predictions']} of {documents} documents have a layer; "
            f"runs processed {' + '.join(str(run['processed']) for run in runs)} = {processed}; "
            f"runs whose layers were replaced: {replaced or 'none'}",
        ),
        "(c) no save lost": (
            not figures["lost_saves"] and figures["saved_layers"] > 0,
            f"{kinds['save']['count'] + conflicts['races']} saves answered, "
            f"{figures['saved_layers']} layers read back, {len(figures['lost_saves'])} lost",
        ),
        "(d) every conflict reached its client": (
            conflicts["races"] > 0
            and conflicts["stale_409"] == conflicts["stale_sent"]
            and not conflicts["problems"]
            and not errors,
            f"{conflicts['races']} races, {conflicts['stale_sent']} stale saves, "
            f"{conflicts['stale_409']} answered 409; {len(errors)} unexpected answers "
            f"({len(server)} 5xx, {len(dropped)} connection errors)",
        ),
        "(e) the run records say complete": (
            all(run["finished"] and run["failed"] == 0 for run in runs),
            "; ".join(
                f"run {run['id']}{' (--missing)' if run['only_missing'] else ''}: "
                f"{run['status']}, {run['processed']} of {run['total']}, {run['failed']} failed"
                for run in runs
            ),
        ),
        "(f) every task succeeded, no worker error": (
            set(tasks) == {"SUCCESSFUL"} and not figures["worker_trouble"],
            f"tasks {tasks}; {len(figures['worker_trouble'])} worker log lines of trouble",
        ),
    }


def report(figures: dict) -> bool:
    """Print the figures and each check PASS or FAIL; return whether all passed."""
    print(
        f"\n{figures['documents']} documents pre-annotated in "
        f"{figures['preannotation_seconds']:.1f} s "
        f"({figures['documents_per_second']:.1f} documents/s) while "
        f"{figures['settings']['annotators']} annotators saved; whole bench "
        f"{figures['total_seconds']:.0f} s"
    )
    for line in figures["commands"]:
        print(line)
    print(f"{'request':<12}{'count':>7}{'errors':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}")
    for kind, row in figures["kinds"].items():
        cells = "".join(
            f"{row[p]:>9.1f}" if row[p] is not None else f"{'-':>9}" for p in ("p50", "p95", "p99")
        )
        print(f"{kind:<12}{row['count']:>7}{row['errors']:>8}{cells}")
    for kind, problems in figures["errors"].items():
        print(f"unexpected answers to {kind}: {problems[:5]}")
    for problem in figures["lost_saves"][:10] + figures["conflicts"]["problems"][:10]:
        print(f"problem: {problem}")
    for line in figures["worker_trouble"][:10]:
        print(f"worker log: {line}")
    results = checks(figures)
    figures["checks"] = {name: {"pass": ok, "numbers": n} for name, (ok, n) in results.items()}
    print()
    for name, (ok, numbers) in results.items():
        print(f"{'PASS' if ok else 'FAIL'} {name}: {numbers}")
    return all(ok for ok, _ in results.values())
