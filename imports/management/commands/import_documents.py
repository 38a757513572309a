"""`manage.py import_documents CORPUS PATH...`: import articles and their annotations."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from config.errors import GoldsetError, InvalidInput
from corpus.models import Corpus
from corpus.services.corpora import corpus_get_or_create, membership_grant
from corpus.services.schemas import schema_get_or_create
from formats.files import ImportSource
from formats.options import ReadOptions
from formats.registry import AUTO, AUTO_HINT, import_choices, import_formats
from imports.services.mapping import label_map_from_json, label_map_parse
from imports.services.run import import_run
from imports.services.summary import ImportOptions, ImportSummary

PROBLEMS_PRINTED = 200


class Command(BaseCommand):
    help = (
        "Import articles (and the annotations they carry) into CORPUS, created when missing,"
        " from files, folders or zip archives. Exits non-zero when a record failed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("corpus", help="corpus slug")
        parser.add_argument("paths", nargs="+", type=Path, help="files, folders or .zip archives")
        parser.add_argument(
            "--format",
            default=AUTO,
            choices=import_choices(),
            help=f"default: {AUTO}, to {AUTO_HINT}; or "
            + ", ".join(f"{format.key}: {format.name}" for format in import_formats()),
        )
        parser.add_argument(
            "--schema",
            help="schema of a new corpus: ace2005 (the default), ontonotes, a schema JSON file"
            " or a brat annotation.conf (default when the files hold one)",
        )
        parser.add_argument(
            "--as",
            dest="layer",
            default="predictions",
            choices=["predictions", "gold"],
            help="what the annotations in the files are (default: predictions to correct)",
        )
        parser.add_argument(
            "--map",
            action="append",
            default=[],
            metavar="SOURCE=TARGET",
            help="read label SOURCE as schema label TARGET (repeatable)",
        )
        parser.add_argument("--label-map", type=Path, help="a JSON object of SOURCE: TARGET")
        parser.add_argument(
            "--add-labels", action="store_true", help="add labels the schema lacks to it"
        )
        for field in ("text", "id", "title", "date", "url"):
            parser.add_argument(f"--{field}-column", help=f"CSV column holding the {field}")
        parser.add_argument("--text-key", default="text", help="doccano: the text's JSON key")
        parser.add_argument("--label-key", default="label", help="doccano: the labels' JSON key")
        parser.add_argument(
            "--keep",
            action="append",
            default=[],
            choices=["id_line", "captions", "trailers"],
            help="keep this boilerplate in the text (repeatable; default: corpus rules)",
        )
        parser.add_argument(
            "--user",
            help="who imports: recorded on the layers, and the owner of a corpus this creates",
        )

    def handle(self, *args, corpus: str, paths: list[Path], **options) -> None:
        try:
            summary = self.run_import(corpus, paths, options)
        except GoldsetError as exc:
            raise CommandError(exc.message) from exc
        self.report(corpus, summary)
        if summary.failed:
            raise CommandError(f"{summary.failed} record(s) could not be imported (listed above)")

    def run_import(self, slug: str, paths: list[Path], options: dict) -> ImportSummary:
        import_options = self.import_options(options)
        with ImportSource(paths) as source:
            corpus = Corpus.objects.filter(slug=slug).select_related("schema").first()
            if corpus is None:
                schema = schema_get_or_create(name_or_path=_schema_choice(options, paths))
                corpus = corpus_get_or_create(slug=slug, schema=schema)
                self.stdout.write(f"Created corpus {slug} with schema {schema.key}")
                if import_options.user is not None:
                    membership_grant(corpus=corpus, user=import_options.user, roles=["owner"])
            elif options["schema"]:
                self.stderr.write(
                    f"{slug} already uses schema {corpus.schema.key}; --schema is ignored"
                )
            printed = 0
            with tqdm(
                total=source.total_bytes,
                desc="Importing",
                unit="B",
                unit_scale=True,
                disable=None,
            ) as bar:

                def progress(summary: ImportSummary) -> None:
                    bar.update(source.bytes_read - bar.n)
                    bar.set_postfix_str(str(summary).split(";")[0], refresh=False)

                def problem(item) -> None:
                    nonlocal printed
                    printed += 1
                    if printed <= PROBLEMS_PRINTED:
                        with bar.external_write_mode():
                            self.stderr.write(f"  {item.severity}: {item}")

                summary = import_run(
                    corpus=corpus,
                    source=source,
                    options=import_options,
                    on_progress=progress,
                    on_problem=problem,
                )
                bar.update(bar.total - bar.n)  # files no reader needs (visual.conf) count too
                return summary

    def import_options(self, options: dict) -> ImportOptions:
        label_map = label_map_parse("\n".join(options["map"]))
        if options["label_map"]:
            label_map = {**_label_map_file(options["label_map"]), **label_map}
        user = None
        if options["user"]:
            user = get_user_model().objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"No user {options['user']!r}")
        columns = {
            field: options[f"{field}_column"]
            for field in ("text", "id", "title", "date", "url")
            if options[f"{field}_column"]
        }
        return ImportOptions(
            format=options["format"],
            read=ReadOptions(
                columns=columns, text_key=options["text_key"], label_key=options["label_key"]
            ),
            layer="gold" if options["layer"] == "gold" else "prediction",
            label_map=label_map,
            add_labels=options["add_labels"],
            cleaning=dict.fromkeys(options["keep"], False) or None,
            user=user,
        )

    def report(self, slug: str, summary: ImportSummary) -> None:
        if summary.failed + summary.warnings > PROBLEMS_PRINTED:
            hidden = summary.failed + summary.warnings - PROBLEMS_PRINTED
            self.stderr.write(f"  … and {hidden} more problems")
        for what, count in sorted(summary.missing.items()):
            self.stderr.write(
                f"Not in the schema: {what}, {count} item(s) left out;"
                " use --map LABEL=SCHEMA_LABEL or --add-labels"
            )
        if summary.added:
            self.stdout.write(f"Added to the schema: {', '.join(summary.added)}")
        self.stdout.write(f"{slug} ({summary.format}): {summary}")


def _schema_choice(options: dict, paths: list[Path]) -> str:
    """The --schema given, else a brat annotation.conf among the paths, else ace2005."""
    if options["schema"]:
        return options["schema"]
    for path in paths:
        conf = path / "annotation.conf" if path.is_dir() else path.parent / "annotation.conf"
        if conf.is_file() and (path.is_dir() or path.suffix == ".ann"):
            return str(conf)
    return "ace2005"


def _label_map_file(path: Path) -> dict[str, str]:
    """Read `--label-map FILE.json` by the rules of `--map` and the form (`label_map_parse`)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, ValueError) as exc:  # ValueError: the file is not UTF-8
        raise CommandError(f"{path}: cannot read the label map ({exc})") from exc
    try:
        return label_map_from_json(text)
    except InvalidInput as exc:
        raise CommandError(f"{path}: {exc.message}") from exc
