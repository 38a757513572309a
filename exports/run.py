"""Run an export: plan the split, read the layers in batches, hand each document to the writer.

`ExportRun.steps()` yields after every document, so the command line can move its progress
bar and a streamed download can send what the sink holds so far.
"""

import json
from collections.abc import Iterator

from corpus.models import Corpus
from corpus.services.schemas import schema_data_dump
from exports.layers import export_documents, export_plan
from exports.options import ExportOptions
from exports.report import ExportReport
from exports.sinks import ChunkBuffer, NullSink, Sink, ZipSink
from formats.registry import writer_for
from formats.writing import ExportDocument, Target

STREAM_CHUNK = 64 * 1024


def export_target(corpus: Corpus, options: ExportOptions) -> Target:
    """Return what the format writers need to know of `corpus`: its name and schema data."""
    schema = schema_data_dump(corpus.schema) if options.format == "brat" else {}
    return Target(name=corpus.slug, schema={**schema, "key": corpus.schema.key}, snap=options.snap)


class ExportRun:
    def __init__(self, corpus: Corpus, options: ExportOptions, sink: Sink) -> None:
        self.corpus = corpus
        self.options = options
        self.sink = sink
        self.report = ExportReport(format=options.format, source=options.source)
        self.plan = export_plan(corpus, options)
        self.total = sum(len(ids) for ids in self.plan.values())

    def steps(self) -> Iterator[ExportDocument]:
        """Write the export, yielding each document once it is written."""
        writer = writer_for(self.options.format)(
            target=export_target(self.corpus, self.options), report=self.report, sink=self.sink
        )
        writer.begin()
        for split, layer_ids in self.plan.items():
            if split is not None and not layer_ids:
                self.report.warn("empty-split", f"the {split} part has no documents", split=split)
            writer.open_split(split)
            documents = export_documents(layer_ids, self.options, split=split, report=self.report)
            for document in documents:
                self.report.count(document.record, split)
                writer.write(document)
                yield document
            writer.close_split()
        writer.finish()

    def run(self) -> ExportReport:
        for _ in self.steps():
            pass
        self.close()
        return self.report

    def close(self) -> None:
        """Finish the sink; a zip gets `report.json` as its last file."""
        if isinstance(self.sink, ZipSink):
            with self.sink.open("report.json") as stream:
                report = json.dumps(self.report.as_dict(), indent=2, ensure_ascii=False)
                stream.write(report.encode())
        self.sink.close()


def export_preview(corpus: Corpus, options: ExportOptions) -> ExportReport:
    """Run the export without writing anything: the counts and warnings a download would have."""
    return ExportRun(corpus, options, NullSink()).run()


def export_zip_stream(corpus: Corpus, options: ExportOptions) -> Iterator[bytes]:
    """Yield the export as a zip, piece by piece, ending with `report.json`."""
    buffer = ChunkBuffer()
    sink = ZipSink(buffer)
    run = ExportRun(corpus, options, sink)
    started = False
    try:
        for _ in run.steps():
            if buffer.size >= STREAM_CHUNK or (buffer.size and not started):
                started = True
                yield buffer.take()
    except GeneratorExit:  # the download was given up
        sink.abandon()
        raise
    run.close()
    yield buffer.take()
