"""Admin pages for import jobs and the problems they met."""

from django.contrib import admin

from imports.models import ImportJob, ImportProblem


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    list_display = [
        "__str__", "status", "format", "format_detected", "created", "duplicates", "failed",
        "warnings", "layers", "created_by", "created_at",
    ]  # fmt: skip
    list_filter = ["status", "format", "corpus"]
    raw_id_fields = ["corpus", "created_by"]
    readonly_fields = ["task_id", "created_at", "started_at", "finished_at"]


@admin.register(ImportProblem)
class ImportProblemAdmin(admin.ModelAdmin):
    # Not an inline of the job: a job may hold many thousands of problems.
    list_display = ["job", "file", "line", "severity", "message"]
    list_filter = ["severity"]
    list_select_related = ["job__corpus"]
    raw_id_fields = ["job"]
    search_fields = ["file", "message"]
