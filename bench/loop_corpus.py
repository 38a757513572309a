"""Generated news articles about the Syrian conflict, with full ACE 2005 gold known by construction.

Templates are written in a small markup: `[LABEL text]` is a gold entity mention (nested
mentions nest: `[PER [GPE Syrian] troops]`), `<Type text>` a gold event trigger, `{SLOT}`
a choice from SLOTS (itself markup) or the article's own fixed choice (its place, the
place's province, its envoy). The gold follows the seed gold's guidelines
(tests/data/seed_gold.json): every named and nominal mention, every time expression,
every event mention; pronouns and arguments are not annotated (the seed articles keep
theirs). bench.loop uses it, once Django is set up.
"""

import random
import re
from dataclasses import dataclass

from annotations.content import ArgumentItem, EventItem, LayerContent, SpanItem
from annotations.services.layers.gold import gold_write
from bench.seed_gold import seed_gold
from corpus.models import Corpus, Document
from corpus.models.document import text_sha256
from corpus.services.corpora import corpus_get_or_create
from corpus.services.schemas import schema_get_or_create

SLOT = re.compile(r"\{([A-Z_]+)\}")
Item = tuple[int, int, str]  # (start, end, label or event type)


@dataclass(frozen=True)
class Gold:
    """A document's full gold: spans and triggers (start, end, label), arguments per trigger."""

    title: str
    text: str
    spans: tuple[tuple[int, int, str], ...]
    events: tuple[tuple[int, int, str], ...]
    arguments: tuple[tuple[tuple[str, int, int], ...], ...] = ()  # per event: (role, start, end)


@dataclass(frozen=True)
class Place:
    """A town, district or region: its gold label, what the text calls it, its province."""

    name: str
    label: str
    noun: str
    city: str
    planted: bool = False

    @property
    def markup(self) -> str:
        return f"[{self.label} {self.name}]"


# Planted: names en_core_web_sm 3.8 types wrongly in nearly every context (see bench.loop).
PLANTED = [
    Place("Baba Amr", "GPE", "district", "Homs", planted=True),
    Place("Ain Larose", "GPE", "village", "Idlib", planted=True),
    Place("Jabal al-Zawiya", "LOC", "region", "Idlib", planted=True),
    Place("Jeb al-Jandali", "GPE", "district", "Homs", planted=True),
    Place("Maaret al-Numan", "GPE", "town", "Idlib", planted=True),
    Place("Bab Hud", "GPE", "district", "Homs", planted=True),
    Place("Saraqeb", "GPE", "town", "Idlib", planted=True),
    Place("Khan Sheikhoun", "GPE", "town", "Idlib", planted=True),
    Place("Tal Kalakh", "GPE", "town", "Homs", planted=True),
    Place("Talbiseh", "GPE", "town", "Homs", planted=True),
]
# The others: names the base mostly gets right (a NORP is a GPE in the ACE preset); Douma
# is half and half.
OTHERS = [
    Place("Rastan", "GPE", "town", "Homs"),
    Place("Khalidiya", "GPE", "district", "Homs"),
    Place("Wadi al-Sayeh", "GPE", "district", "Homs"),
    Place("Deir Baalba", "GPE", "district", "Homs"),
    Place("Binnish", "GPE", "town", "Idlib"),
    Place("Ashrafieh", "GPE", "district", "Aleppo"),
    Place("Latakia", "GPE", "city", "Latakia"),
    Place("Douma", "GPE", "town", "Damascus"),
]
PLACES = PLANTED + OTHERS
COUNTRIES = ["Turkey", "Lebanon", "Jordan", "Iraq"]
ENVOYS = [  # (title, name, surname), as markup
    ("international envoy", "Kofi Annan", "Annan"),
    ("[ORG UN] humanitarian chief", "Valerie Amos", "Amos"),
    ("[ORG Arab League] chief", "Nabil Elaraby", "Elaraby"),
    ("[GPE Turkish] Foreign Minister", "Ahmet Davutoglu", "Davutoglu"),
]

SLOTS = {
    "FORCES": [
        "[PER [GPE Syrian] troops]",
        "[PER [GPE government] forces]",
        "[PER [GPE regime] forces]",
        "[PER [GPE government] troops]",
        "[ORG the army]",
    ],
    "REBELS": [
        "[PER rebels]",
        "[PER armed rebels]",
        "[PER [ORG opposition] fighters]",
        "[PER [ORG Free Syrian Army] fighters]",
        "[PER [ORG army] deserters]",
    ],
    "ATTACK": [
        "<Conflict.Attack shelled>",
        "<Conflict.Attack pounded>",
        "<Conflict.Attack bombarded>",
        "<Conflict.Attack attacked>",
        "<Conflict.Attack stormed>",
    ],
    "DAY": [
        f"[TIMEX2 {day}]"
        for day in ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
    ]
    + ["[TIMEX2 Friday night]", "[TIMEX2 Tuesday morning]"],
    "N": ["seven", "nine", "12", "15", "18", "23", "27", "31", "40"],
    "HUNDREDS": ["200", "500", "1,200", "2,000"],
    "TOTAL": ["8,000", "8,500", "9,000", "9,100"],
    "REFUGEES": ["30,000", "40,000", "55,000"],
    "WEEKS": ["two", "three", "four", "five"],
    "AGENCY": ["[ORG AFP]", "[ORG Reuters]", "the [ORG Associated Press]"],
    "TOWN": [place.markup for place in PLACES],
    "COUNTRY": [f"[GPE {country}]" for country in COUNTRIES],
    "ACTIVIST": [
        "[PER Rami Abdel Rahman]",
        "[PER Abu Rami]",
        "[PER Hadi Abdullah]",
        "[PER Omar Shakir]",
        "[PER Waleed Fares]",
    ],
}

LEADS = [
    "{FORCES} {ATTACK} {PLACE} on {DAY}, <Life.Die killing> [PER at least {N} civilians], "
    "[PER activists] said.",
    "[PER At least {N} people] were <Life.Die killed> in {PLACE} on {DAY} when {FORCES} "
    "{ATTACK} {PLACE_NOUN} for [TIMEX2 a {WEEKS_ORD} day].",
    "{FORCES} <Conflict.Attack stormed> {PLACE}, [GPE a [PER rebel] stronghold] near {CITY}, "
    "on {DAY} after [TIMEX2 {WEEKS} weeks] of <Conflict.Attack shelling>.",
    "Heavy <Conflict.Attack shelling> of {PLACE} <Life.Die killed> [PER {N} people] on {DAY}, "
    "the [ORG Syrian Observatory for Human Rights] said.",
    "[PER Thousands of people] <Movement.Transport fled> {PLACE} on {DAY} as {FORCES} "
    "<Movement.Transport moved> into {PLACE_NOUN}.",
]

BODY = [
    "[PER Activists] said [PER snipers] <Conflict.Attack fired> on [PER families] trying to "
    "<Movement.Transport leave> {PLACE}.",
    "[PER A doctor] in {PLACE} told {AGENCY} that [FAC the field hospital] had run out of "
    "medicine.",
    "[PER {N} people] were <Life.Injure wounded> in the <Conflict.Attack shelling>, among them "
    "[PER {N} children].",
    "The [ORG Red Crescent] said it had been refused access to {PLACE} for "
    "[TIMEX2 a {WEEKS_ORD} day].",
    "[PER {ENVOY_TITLE}] [PER {ENVOY}] is due to <Movement.Transport arrive> in [GPE Damascus] "
    "on {DAY} for <Contact.Meet talks> with [PER President] [PER Bashar Assad].",
    "[PER {ENVOY_SHORT}] <Contact.Meet met> [PER [GPE Arab] foreign ministers] in "
    "[GPE Cairo] on {DAY}.",
    "[ORG The state news agency] [ORG SANA] said [PER security forces] <Life.Die killed> "
    "[PER {N} gunmen] in {PLACE} and <Justice.Arrest-Jail arrested> [PER {N} others].",
    "[PER Rebels] said they had <Conflict.Attack ambushed> [VEH an [ORG army] convoy] near {TOWN}.",
    "[PER Thousands] <Conflict.Demonstrate protested> in {TOWN} after [TIMEX2 Friday] prayers, "
    "calling for [PER Assad] to <Personnel.End-Position step down>.",
    "[PER Protesters] <Conflict.Demonstrate took to the streets> in {TOWN} and {TOWN}, "
    "[PER activists] said.",
    "[PER An [ORG army] officer] and [PER {N} soldiers] <Personnel.End-Position defected> to "
    "[ORG the opposition] in {TOWN} on {DAY}.",
    "The [ORG United Nations] says [PER more than {TOTAL} people] have <Life.Die died> since "
    "[TIMEX2 March 2011], when <Conflict.Demonstrate protests> against [GPE the regime] began.",
    "[GPE Damascus] says [PER more than {HUNDREDS} soldiers] have been <Life.Die killed> by "
    "[PER armed gangs] in [TIMEX2 the past year].",
    "[PER Refugees] who <Movement.Transport crossed> into {COUNTRY} on {DAY} said "
    "[PER their relatives] were still trapped in {PLACE}.",
    "[PER Witnesses] said [VEH tanks] had been <Movement.Transport deployed> on "
    "[FAC the main road] into {PLACE_NOUN}.",
    "The <Conflict.Attack assault> on {PLACE} began after {REBELS} <Conflict.Attack overran> "
    "[FAC an [ORG army] checkpoint] on {DAY}.",
    "[PER A resident] said [PER people] were hiding in [FAC basements] as [WEA rockets] "
    "<Conflict.Attack hit> [FAC the market].",
    "The figures could not be independently verified because [GPE Syria] restricts access for "
    "[PER foreign journalists].",
    "[PER [GPE Russian] Foreign Minister] [PER Sergei Lavrov] said on {DAY} that [GPE Moscow] "
    "would oppose any foreign <Conflict.Attack intervention> in [GPE Syria].",
    "[GPE Turkey] said [PER more than {HUNDREDS} Syrians] had <Movement.Transport crossed> "
    "[LOC the border] since {DAY}.",
    "The [ORG Syrian National Council], [ORG the main [ORG opposition] bloc], urged the "
    "[ORG UN Security Council] to act.",
    "The [ORG Free Syrian Army] said [PER its fighters] had <Movement.Transport withdrawn> "
    "from {PLACE} to spare [PER the remaining civilians].",
    "[ORG Aid agencies] said [PER thousands of families] in {PLACE} had no electricity or water.",
    "Amateur video posted online showed smoke rising over [FAC buildings] in {PLACE}.",
    "[ORG Human Rights Watch] accused [PER [GPE Syrian] forces] of "
    "<Justice.Execute <Life.Die executing>> [PER {N} men] in {TOWN} in [TIMEX2 March].",
    "The [ORG UN] estimates that [PER {REFUGEES} Syrians] have <Movement.Transport fled> to "
    "[GPE neighbouring countries].",
    "Telephone and internet lines to {PLACE} were cut on {DAY}, [PER activists] said.",
    "[PER A [ORG Red Crescent] volunteer] was <Life.Injure wounded> when [PER snipers] opened "
    "<Conflict.Attack fire> on [VEH an ambulance] in {PLACE}.",
    "[PER Residents] said [PER [ORG army] snipers] were posted on [FAC rooftops] around "
    "[FAC the hospital].",
    "The reports could not be independently confirmed.",
    "The <Conflict.Attack fighting> spread to {TOWN} late on {DAY}, {AGENCY} reported.",
    "[PER [GPE Syrian] officials] <Contact.Meet met> [PER [ORG Red Crescent] representatives] "
    "in [GPE Damascus] on {DAY} to discuss the <Movement.Transport evacuation> of "
    "[PER <Life.Injure injured> civilians].",
    "[ORG The [GPE Syrian] army] has been <Conflict.Attack besieging> {PLACE} for "
    "[TIMEX2 {WEEKS} weeks].",
    "[GPE Saudi Arabia] and [GPE Qatar] have <Transaction.Transfer-Money donated> "
    "[MONEY $10 million] to [ORG the opposition].",
    "[PER [ORG UN] monitors] <Movement.Transport toured> {PLACE} on {DAY} and "
    "<Contact.Meet met> [PER residents].",
    "[WEA Shells] <Conflict.Attack fired> from [GPE Syria] landed in "
    "[GPE a [GPE Lebanese] village] on {DAY}, [PER a [GPE Lebanese] security official] said.",
    "[PER Assad] has vowed to <Conflict.Attack crush> [PER the armed groups], which he says are "
    "backed by [GPE foreign powers].",
    "[FAC Schools] and [FAC shops] in {PLACE} have stayed closed since [TIMEX2 last week].",
    "The [ORG Interior Ministry] released a statement saying [PER {N} wanted men] had been "
    "<Justice.Arrest-Jail detained> in {TOWN}.",
    "[PER A [ORG Free Syrian Army] commander], who declined to be named, said [PER his men] "
    "were running out of ammunition.",
    "{ACTIVIST}, [PER an activist] in {PLACE}, said [PER {N} bodies] had been found in "
    "[FAC a mosque].",
    "The [ORG Syrian Observatory for Human Rights], based in [GPE Britain], said [PER {N} "
    "soldiers] were also <Life.Die killed> in <Conflict.Attack clashes> with "
    "[PER [ORG army] deserters] in {TOWN}.",
    "[PER Families] <Movement.Transport fled> {PLACE_NOUN} on [VEH trucks] and "
    "[VEH motorbikes], carrying what they could.",
    "[PER {ENVOY_SHORT}] will report to the [ORG UN Security Council] on {DAY}.",
    "{PLACE} lies in [GPE the province] of {CITY}, [GPE one of the centres] of "
    "[ORG the opposition].",
]
ORDINALS = ["second", "third", "fourth", "fifth", "sixth"]


def articles_generate(count: int, *, seed: int) -> list[Gold]:
    """Return `count` distinct articles of 8 to 15 sentences, the same for the same seed."""
    rng = random.Random(seed)
    articles: dict[str, Gold] = {}
    while len(articles) < count:
        article = article_generate(rng, number=len(articles) + 1)
        articles.setdefault(article.text, article)
    return list(articles.values())


def article_generate(rng: random.Random, *, number: int) -> Gold:
    """One article: a lead, then 7 to 14 body sentences, with paragraph breaks at random."""
    place = rng.choice(PLACES)
    envoy = rng.choice(ENVOYS)
    fixed = {
        "PLACE": place.markup,
        "PLACE_NOUN": f"[{place.label} the {place.noun}]",
        "CITY": f"[GPE {place.city}]",
        "ENVOY_TITLE": envoy[0],
        "ENVOY": envoy[1],
        "ENVOY_SHORT": envoy[2],
        "WEEKS_ORD": rng.choice(ORDINALS),
    }
    sentences = [rng.choice(LEADS), *rng.sample(BODY, rng.randint(7, 14))]
    markup = ""
    for index, template in enumerate(sentences):
        if index:
            markup += "\n\n" if rng.random() < 0.4 else " "
        markup += _capitalised(_expand(template, fixed, rng))
    text, spans, events = markup_parse(markup)
    return Gold(f"{place.name}: report {number}", text, spans, events)


def _expand(template: str, fixed: dict[str, str], rng: random.Random) -> str:
    def fill(match: re.Match[str]) -> str:
        key = match.group(1)
        return _expand(fixed[key] if key in fixed else rng.choice(SLOTS[key]), fixed, rng)

    return SLOT.sub(fill, template)


def _capitalised(markup: str) -> str:
    """The sentence with its first letter of text (not of a label) in upper case."""
    index = 0
    while markup[index] in "[<":  # skip the label that follows the bracket
        index = markup.index(" ", index) + 1
    return markup[:index] + markup[index].upper() + markup[index + 1 :]


def markup_parse(markup: str) -> tuple[str, tuple[Item, ...], tuple[Item, ...]]:
    """Return the plain text of `markup` with its gold spans and triggers, in text order."""
    text: list[str] = []
    length = 0
    opened: list[tuple[str, str, int]] = []  # (closing bracket, label, start)
    spans: list[Item] = []
    events: list[Item] = []
    index = 0
    while index < len(markup):
        character = markup[index]
        if character in "[<":
            label_end = markup.index(" ", index)
            opened.append(("]" if character == "[" else ">", markup[index + 1 : label_end], length))
            index = label_end + 1
            continue
        if opened and character == opened[-1][0]:
            closing, label, start = opened.pop()
            (spans if closing == "]" else events).append((start, length, label))
        elif character in "[]<>":
            raise ValueError(f"unbalanced markup at {index}: {markup!r}")
        else:
            text.append(character)
            length += 1
        index += 1
    if opened:
        raise ValueError(f"unclosed markup: {markup!r}")
    if len(set(spans)) < len(spans) or len(set(events)) < len(events):
        raise ValueError(f"a mention marked twice: {markup!r}")
    return "".join(text), tuple(sorted(spans)), tuple(sorted(events))


def planted_occurrences(article_text: str, spans: tuple[Item, ...]) -> list[tuple[Item, Place]]:
    """The gold spans of `article_text` that are planted names, with their place."""
    planted = {place.name: place for place in PLACES if place.planted}
    return [
        (span, planted[article_text[span[0] : span[1]]])
        for span in spans
        if article_text[span[0] : span[1]] in planted
    ]


def corpus_build(*, documents: int, seed: int) -> tuple[Corpus, list[Document], list[Gold]]:
    """An ACE 2005 corpus of the two seed articles, then generated ones, without gold yet.

    Returns the corpus, its documents and their gold, in the order the gold is revealed.
    """
    schema = schema_get_or_create(name_or_path="ace2005")
    corpus = corpus_get_or_create(slug="bench-loop", schema=schema, name="Learning loop")
    golds = seed_golds()
    golds += articles_generate(documents - len(golds), seed=seed)
    rows = Document.objects.bulk_create(
        Document(
            corpus=corpus,
            title=gold.title,
            text=gold.text,
            sha256=text_sha256(gold.text),  # bulk_create skips save(), which sets it
            source="bench.loop",
        )
        for gold in golds
    )
    return corpus, rows, golds


def seed_golds() -> list[Gold]:
    """The seed articles with their hand-written gold (bench.seed_gold), arguments included."""
    return [
        Gold(
            title=document.source,
            text=document.text,
            spans=tuple((e.start, e.end, e.label) for e in document.entities),
            events=tuple((e.start, e.end, e.type) for e in document.events),
            arguments=tuple(
                tuple((a.role, a.start, a.end) for a in event.arguments)
                for event in document.events
            ),
        )
        for document in seed_gold()
    ]


def gold_reveal(document: Document, gold: Gold, *, round_number: int) -> None:
    """Write `gold` as the document's gold layer, reviewed, as a reviewer's adjudication does."""
    span_ids = {(start, end): f"s{index}" for index, (start, end, _) in enumerate(gold.spans)}
    arguments = gold.arguments or tuple(() for _ in gold.events)
    content = LayerContent(
        spans=[
            SpanItem(id=f"s{i}", start=s, end=e, label=label)
            for i, (s, e, label) in enumerate(gold.spans)
        ],
        events=[
            EventItem(
                id=f"e{index}",
                type=kind,
                trigger_start=start,
                trigger_end=end,
                arguments=[ArgumentItem(role=role, span=span_ids[s, e]) for role, s, e in roles],
            )
            for index, ((start, end, kind), roles) in enumerate(
                zip(gold.events, arguments, strict=True)
            )
        ],
    )
    gold_write(
        document=document,
        content=content,
        origin={"bench": "loop", "round": round_number},
        user=None,
    )
