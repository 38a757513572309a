"""A generated news article with predictions, and the same text as a plain page, for bench.editor.

Sentences come from news-like templates whose slots are entity names (`{GPE}`) or event
trigger words (`{Conflict.Attack}`). Every filled slot is a candidate, and a random sample
of the candidates becomes the prediction layer, so a trigger never lies inside a span.
The baseline page shows the same text in the editor's layout, from a minimal HTTP server.
"""

import html
import random
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from annotations.models import Annotation, Argument, Event, Source, Span
from corpus.models import Corpus, Document, EventRole

TOKEN = re.compile(r"\w+(?:[-'.,]\w+)*|\S")
SLOT = re.compile(r"\{([^}]+)\}")

NAMES = {
    label: names.split("; ")
    for label, names in {
        "PER": "Maria Alvarez; John Okafor; Li Wei; Ahmed Karimi; Sofia Rossi; Pieter de Vries; "
        "José Martínez; Anna Kowalski; Kenji Watanabe; Fatima Haddad",
        "ORG": "United Nations; Reuters; Meridian Holdings; Ministry of Defence; Red Crescent; "
        "Northwind Airlines; Atlas Mining; World Health Organization; Supreme Court",
        "GPE": "Brazil; Nairobi; Germany; Ohio; Jakarta; Zürich; São Paulo; Canada; Lagos; Manila",
        "LOC": "Danube; Sahel; North Sea; Andes; Gulf of Aden; Rift Valley",
        "FAC": "Kennedy Airport; Harbour Bridge; Central Station; Route 9; Port Said terminal",
        "TIMEX2": "Monday; Friday; March 3; Tuesday morning; June 14; New Year's Day",
        "MONEY": "$4.2 million; €300,000; 12 billion dollars; $85,000",
        "PERCENT": "3.5 percent; 12%; 40 percent",
        "JOB-TITLE": "minister; spokeswoman; chief executive; mayor; general; judge",
        "WEA": "rockets; rifles; truck bomb; drones; artillery",
        "VEH": "helicopter; convoy; ferry; trucks; cargo plane",
        "CRIME": "fraud; bribery; murder; smuggling; tax evasion",
    }.items()
}
TRIGGERS = {
    "Conflict.Attack": ["attacked", "shelled", "bombed", "raided"],
    "Life.Die": ["killed", "died"],
    "Life.Injure": ["wounded", "injured"],
    "Contact.Meet": ["met", "gathered"],
    "Movement.Transport": ["arrived", "travelled", "returned"],
    "Justice.Arrest-Jail": ["arrested", "detained"],
    "Personnel.Elect": ["elected", "re-elected"],
    "Personnel.End-Position": ["resigned", "quit"],
    "Transaction.Transfer-Money": ["paid", "donated"],
    "Conflict.Demonstrate": ["protested", "marched"],
}
TEMPLATES = [
    "{PER}, the {JOB-TITLE} of {ORG}, said on {TIMEX2} that the talks in {GPE} would go on.",
    "Officials in {GPE} said gunmen {Conflict.Attack} a checkpoint near {FAC} on {TIMEX2}.",
    "At least nine people were {Life.Die} and dozens {Life.Injure} when {WEA} hit {GPE}.",
    "{PER} {Contact.Meet} with leaders of {ORG} in {GPE} to discuss the budget.",
    "The {VEH} {Movement.Transport} in {GPE} from the {LOC} late on {TIMEX2}, {ORG} reported.",
    "Police in {GPE} {Justice.Arrest-Jail} {PER} on suspicion of {CRIME}.",
    "{PER} was {Personnel.Elect} {JOB-TITLE} of {GPE} with {PERCENT} of the vote.",
    "The {JOB-TITLE} {Personnel.End-Position} after {ORG} opened an inquiry into {CRIME}.",
    "{ORG} {Transaction.Transfer-Money} {MONEY} to families along the {LOC}, {PER} said.",
    "Thousands {Conflict.Demonstrate} outside {FAC} in {GPE} on {TIMEX2}.",
    "Shares of {ORG} fell {PERCENT} after the company lost {MONEY} in the quarter.",
    "{PER} told {ORG} that the situation near the {LOC} remained tense.",
    "Analysts said the figures published on {TIMEX2} were better than expected.",
    "It was not immediately clear how many people had been affected by the storm.",
    "A spokesman for {ORG} declined to comment on the report.",
    "The government of {GPE} has promised to rebuild {FAC} by {TIMEX2}.",
    "Residents said the roads between {GPE} and {GPE} were closed for most of the day.",
    "The figures could not be independently verified.",
]
# Sentences as busy as a wire report's lead: three triggers and five or six names each.
BUSY_TEMPLATES = [
    "{PER} {Contact.Meet} {PER} in {GPE} on {TIMEX2}, a day after {WEA} {Conflict.Attack} "
    "{FAC} and {Life.Die} the {JOB-TITLE} of {ORG}.",
    "When {ORG} {Transaction.Transfer-Money} {MONEY} to {GPE}, {PER} {Personnel.End-Position} "
    "and crowds {Conflict.Demonstrate} outside {FAC}.",
    "Police {Justice.Arrest-Jail} {PER} in {GPE} on {TIMEX2} after the {VEH} {Movement.Transport} "
    "from the {LOC} and gunmen {Conflict.Attack} {FAC}.",
    "{PER} was {Personnel.Elect} {JOB-TITLE} of {GPE} on {TIMEX2}; {ORG} said {PERCENT} of "
    "voters {Conflict.Demonstrate} and two were {Life.Injure}.",
    "{WEA} {Conflict.Attack} the {VEH} near {FAC} in {GPE}, {Life.Die} a {JOB-TITLE} of {ORG} "
    "who had {Movement.Transport} on {TIMEX2}.",
]


@dataclass
class Article:
    """The text with its tokens and sentences, and the predicted spans and triggers."""

    text: str
    tokens: list[list[int]]
    sentences: list[list[int]]
    spans: list[tuple[int, int, str]]
    triggers: list[tuple[int, int, str]]


def article_generate(
    *, tokens: int, spans: int, events: int, busy: float = 0.0, seed: int = 7
) -> Article:
    """Return an article of about `tokens` tokens with `spans` spans and `events` triggers.

    A `busy` share of the sentences come from BUSY_TEMPLATES, for articles as dense in
    entities and events as an annotated wire report.
    """
    rng = random.Random(seed)
    text, sentences, names, words, count = "", [], [], [], 0
    while count < tokens:
        for number in range(rng.randint(3, 6)):
            text += " " if number else ("\n\n" if text else "")
            start = len(text)
            templates = BUSY_TEMPLATES if busy and rng.random() < busy else TEMPLATES
            for piece in SLOT.split(rng.choice(templates)):
                if piece in NAMES or piece in TRIGGERS:
                    filler = rng.choice(NAMES.get(piece) or TRIGGERS[piece])
                    found = names if piece in NAMES else words
                    found.append((len(text), len(text) + len(filler), piece))
                    piece = filler
                text += piece
            sentences.append([start, len(text)])
            count += len(TOKEN.findall(text, start))
    if len(names) < spans or len(words) < events:
        raise SystemExit(f"Only {len(names)} names and {len(words)} trigger words: ask for fewer.")
    return Article(
        text=text,
        tokens=[[match.start(), match.end()] for match in TOKEN.finditer(text)],
        sentences=sentences,
        spans=sorted(rng.sample(names, spans)),
        triggers=sorted(rng.sample(words, events)),
    )


def article_seed(*, corpus: Corpus, article: Article, seed: int = 7) -> Document:
    """Store `article` in `corpus` with a prediction layer; each event gets 1-3 arguments."""
    rng = random.Random(seed)
    entity_types = {item.key: item for item in corpus.schema.entity_types.all()}
    event_types = {item.key: item for item in corpus.schema.event_types.all()}
    roles: dict[int, list[tuple[EventRole, set[str]]]] = {}
    for role in EventRole.objects.filter(event_type__schema=corpus.schema).prefetch_related(
        "entity_types"
    ):
        allowed = {entity_type.key for entity_type in role.entity_types.all()}
        roles.setdefault(role.event_type_id, []).append((role, allowed))
    document = Document.objects.create(
        corpus=corpus,
        title="A long generated article",
        text=article.text,
        tokens=article.tokens,
        sentences=article.sentences,
        source="bench.editor",
    )
    layer = Annotation.objects.create(
        document=document, kind=Annotation.Kind.PREDICTION, model_name="bench", model_version="1"
    )
    spans = Span.objects.bulk_create(
        Span(
            annotation=layer,
            start=start,
            end=end,
            entity_type=entity_types[label],
            source=Source.MODEL,
            score=round(rng.uniform(0.3, 1.0), 3),
            attributes={"model_label": (entity_types[label].spacy_labels or [label])[0]},
        )
        for start, end, label in article.spans
    )
    events = Event.objects.bulk_create(
        Event(
            annotation=layer,
            trigger_start=start,
            trigger_end=end,
            event_type=event_types[kind],
            source=Source.MODEL,
            score=round(rng.uniform(0.3, 1.0), 3),
        )
        for start, end, kind in article.triggers
    )
    arguments = []
    for event in events:
        wanted, filled = rng.randint(1, 3), {}
        # The nearest spans whose type a still empty role of the event allows.
        for span in sorted(spans, key=lambda span: abs(span.start - event.trigger_start))[:50]:
            role = next(
                (
                    role
                    for role, allowed in roles[event.event_type_id]
                    if role.key not in filled and span.entity_type.key in allowed
                ),
                None,
            )
            if role is not None:
                filled[role.key] = Argument(
                    event=event, role=role, span=span, source=Source.MODEL, score=0.8
                )
            if len(filled) == wanted:
                break
        arguments.extend(filled.values())
    Argument.objects.bulk_create(arguments)
    return document


def article_corpus_seed(*, tokens: int, spans: int, events: int, busy: float, password: str):
    """Create an annotator, an ACE 2005 corpus and the generated document; return both."""
    from django.contrib.auth import get_user_model

    from corpus.services.corpora import corpus_get_or_create, membership_grant
    from corpus.services.schemas import schema_get_or_create

    user = get_user_model().objects.create_user(username="annotator", password=password)
    schema = schema_get_or_create(name_or_path="ace2005")
    corpus = corpus_get_or_create(slug="bench-editor", schema=schema, name="Editor benchmark")
    membership_grant(corpus=corpus, user=user, roles=["annotator"])
    article = article_generate(tokens=tokens, spans=spans, events=events, busy=busy)
    return article_seed(corpus=corpus, article=article), user


def article_static_page(document: Document, *, css: str) -> bytes:
    """The document's text as a plain page in the editor's layout, a word in the middle wrapped.

    Pressing any key toggles a class on that word; the "static-page-ready" and "-drawn" marks
    are set by an inline script at the end of the body, once the text is in the DOM.
    """
    middle = len(document.tokens) // 2
    start, end = next((s, e) for s, e in document.tokens[middle:] if document.text[s:e].isalpha())
    before, word, after = (
        html.escape(part)
        for part in (document.text[:start], document.text[start:end], document.text[end:])
    )
    text = f'{before}<span id="word">{word}</span>{after}'
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Static baseline</title>
<link rel="stylesheet" href="{css}"><style>.on {{ background: #fdbf6f; }}</style></head>
<body><main><div class="document-layout"><article class="document">
<h1>{html.escape(document.title)}</h1>
<div class="article-text" style="white-space: pre-wrap">{text}</div>
</article></div></main>
<script>
document.addEventListener("keydown", () => document.getElementById("word").classList.toggle("on"));
performance.mark("static-page-ready");
performance.mark("static-page-drawn");
</script></body></html>""".encode()


@contextmanager
def static_server(page: bytes) -> Iterator[str]:
    """Serve `page` at every path from a thread, without cache validators (as Django's pages)."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(page)))
            self.end_headers()
            self.wfile.write(page)

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()
