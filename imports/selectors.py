"""Permission-aware reads of import jobs: only a corpus's owners see its imports."""

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Count, QuerySet

from config.errors import Forbidden, NotFound
from corpus.models import Corpus, Membership
from corpus.selectors import user_roles
from imports.models import ImportJob, ImportProblem

RECENT_JOBS = 10


def import_job_get_for_user(
    *, user: AbstractBaseUser, pk: int, slug: str | None = None
) -> ImportJob:
    """Return import job `pk` (of corpus `slug` when given) with its `problems_count`.

    Raises NotFound unless `user` is a member of the job's corpus, Forbidden unless an owner.
    """
    jobs = ImportJob.objects.select_related("corpus", "created_by").annotate(
        problems_count=Count("problems")
    )
    if slug is not None:
        jobs = jobs.filter(corpus__slug=slug)
    job = jobs.filter(pk=pk).first()
    roles = user_roles(user=user, corpus=job.corpus) if job else set()
    if not roles:
        raise NotFound(f"No import {pk}.")
    if Membership.Role.OWNER not in roles:
        raise Forbidden("Only a corpus owner can see its imports.")
    return job


def corpus_recent_imports(corpus: Corpus, *, limit: int = RECENT_JOBS) -> QuerySet[ImportJob]:
    """Return the corpus's latest import jobs, newest first."""
    return corpus.import_jobs.select_related("created_by")[:limit]


def import_job_problems(job: ImportJob) -> QuerySet[ImportProblem]:
    """Return a job's problems in the order they were met."""
    return job.problems.order_by("id")
