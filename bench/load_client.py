"""The simulated annotators of bench.load: asyncio httpx clients that open and save layers.

Every request is timed from sending to its body read and recorded under a kind (trivial,
my-layer, open, save). Each annotator makes a fixed number of rounds; a pair of clients of
one user races stale saves of one layer to check the optimistic locking.
"""

import asyncio
import itertools
import logging
import statistics
import time
from dataclasses import dataclass, field

import httpx
import orjson

LABELS = ["PER", "ORG", "GPE", "LOC", "FAC"]
TIMEOUT_SECONDS = 60.0
# httpx logs every request at INFO, and Django's logging set-up shows INFO.
logging.getLogger("httpx").setLevel(logging.WARNING)


@dataclass
class Tally:
    """Latencies (ms) and unexpected answers per kind of request, and the saves checked."""

    latencies: dict[str, list[float]] = field(default_factory=dict)
    errors: dict[str, list[str]] = field(default_factory=dict)
    lost_saves: list[str] = field(default_factory=list)
    conflicts: dict[str, int] = field(default_factory=dict)
    lateness: list[float] = field(default_factory=list)

    def record(self, kind: str, milliseconds: float | None, problem: str | None = None) -> None:
        """Add one request of `kind`: its latency (None if it never answered), its problem."""
        samples = self.latencies.setdefault(kind, [])
        if milliseconds is not None:
            samples.append(milliseconds)
        if problem is not None:
            self.errors.setdefault(kind, []).append(problem)

    def count(self, name: str) -> None:
        """Count one outcome of the conflict rounds (`races`, `stale_409`, ...)."""
        self.conflicts[name] = self.conflicts.get(name, 0) + 1


@dataclass
class Annotator:
    """One simulated annotator: its token, the documents it works through, what it saved."""

    token: str
    documents: list[int]
    saved: dict[int, dict] = field(default_factory=dict)


def percentiles(samples: list[float]) -> dict[str, float | None]:
    """Return p50, p95 and p99 of `samples` (linear interpolation between ranks)."""
    if not samples:
        return {"p50": None, "p95": None, "p99": None}
    if len(samples) == 1:
        return dict.fromkeys(("p50", "p95", "p99"), samples[0])
    cuts = statistics.quantiles(samples, n=100, method="inclusive")
    return {"p50": cuts[49], "p95": cuts[94], "p99": cuts[98]}


def client_for(base_url: str, token: str) -> httpx.AsyncClient:
    """Return a client of its own (its own connections, as a browser) sending `token`."""
    return httpx.AsyncClient(
        base_url=base_url,
        headers={"Authorization": f"Token {token}"},
        timeout=TIMEOUT_SECONDS,
    )


async def timed(
    tally: Tally,
    kind: str,
    client: httpx.AsyncClient,
    method: str,
    url: str,
    *,
    expect: tuple[int, ...] = (200,),
    body: dict | None = None,
) -> httpx.Response | None:
    """Send one request, record its latency under `kind`; return the response if expected."""
    content = orjson.dumps(body) if body is not None else None
    headers = {"Content-Type": "application/json"} if content is not None else None
    started = time.perf_counter()
    try:
        response = await client.request(method, url, content=content, headers=headers)
    except httpx.HTTPError as error:
        tally.record(kind, None, f"{type(error).__name__}: {error}")
        return None
    milliseconds = (time.perf_counter() - started) * 1000
    if response.status_code not in expect:
        tally.record(kind, milliseconds, f"{response.status_code} {response.text[:200]}")
        return None
    tally.record(kind, milliseconds)
    return response


async def put_json(client: httpx.AsyncClient, url: str, body: dict) -> httpx.Response:
    """PUT `body` as JSON (orjson: the client shares the machine, so spend little)."""
    headers = {"Content-Type": "application/json"}
    return await client.put(url, content=orjson.dumps(body), headers=headers)


def span_label_change(layer: dict, *, turn: int) -> dict:
    """Return the body of a save of `layer` with one span relabelled (none an argument)."""
    used = {argument["span"] for event in layer["events"] for argument in event["arguments"]} | {
        end for relation in layer["relations"] for end in (relation["head"], relation["tail"])
    }
    free = [index for index, span in enumerate(layer["spans"]) if span["id"] not in used]
    index = free[turn % len(free)]
    spans = [dict(span) for span in layer["spans"]]
    label = spans[index]["label"]
    spans[index]["label"] = (
        LABELS[(LABELS.index(label) + 1) % len(LABELS)] if label in LABELS else "PER"
    )
    return {
        "version": layer["version"],
        "spans": spans,
        "events": layer["events"],
        "relations": layer["relations"],
        "labels": layer["labels"],
    }


def span_labels(layer: dict) -> list[tuple[int, int, int, str]]:
    """Return what a save must keep of a layer's spans: id, offsets and label, sorted."""
    return sorted(
        (span["id"], span["start"], span["end"], span["label"]) for span in layer["spans"]
    )


async def trivial_idle(base_url: str, token: str, *, requests: int, tally: Tally) -> None:
    """Time `requests` trivial GETs one after the other on the idle server (after a warm-up)."""
    async with client_for(base_url, token) as client:
        for number in range(requests + 10):
            await timed(
                tally, "idle" if number >= 10 else "warm-up", client, "GET", "/api/corpora/"
            )


async def layer_idle(
    base_url: str, token: str, *, slug: str, document: int, requests: int, tally: Tally
) -> None:
    """Open and save one layer `requests` times each, one request at a time, on the idle
    server: what each costs alone, against the trivial request alone ("idle")."""
    async with client_for(base_url, token) as client:
        layer = await layer_open(client, slug, document, Tally())
        if layer is None:
            tally.record("idle-open", None, "the layer did not open")
            return
        for turn in range(requests):
            await timed(tally, "idle-open", client, "GET", f"/api/annotations/{layer['id']}/")
            saved = await layer_save(client, layer, turn, tally, kind="idle-save")
            layer = saved or layer


async def annotator_run(
    annotator: Annotator,
    client: httpx.AsyncClient,
    *,
    slug: str,
    start: float,
    rounds: int,
    interval: float,
    saves_per_document: int,
    tally: Tally,
) -> None:
    """Make `rounds` rounds `interval` apart from `start` (`time.monotonic()`): a trivial
    GET, then open a document or save.

    The annotator moves to its next document after `saves_per_document` saves; opening is
    `POST my-layer` (the layer is created from the predictions the first time) then `GET`.
    """
    layer, saves, documents = None, 0, itertools.cycle(annotator.documents)
    for turn in range(rounds):
        # A round starts on time, or late when the previous one was still waiting.
        lag = time.monotonic() - (start + turn * interval)
        tally.lateness.append(max(0.0, lag) * 1000)
        await asyncio.sleep(max(0.0, -lag))
        await timed(tally, "trivial", client, "GET", "/api/corpora/")
        if layer is None or saves >= saves_per_document:
            layer, saves = await layer_open(client, slug, next(documents), tally), 0
        elif (saved := await layer_save(client, layer, turn, tally)) is not None:
            layer, saves = saved, saves + 1
            annotator.saved[layer["id"]] = layer


async def layer_open(
    client: httpx.AsyncClient, slug: str, document: int, tally: Tally
) -> dict | None:
    """Open the user's layer of `document` as the editor does: my-layer, then the layer."""
    url = f"/api/corpora/{slug}/documents/{document}/my-layer/"
    mine = await timed(tally, "my-layer", client, "POST", url, expect=(200, 201))
    if mine is None:
        return None
    response = await timed(
        tally, "open", client, "GET", f"/api/annotations/{orjson.loads(mine.content)['id']}/"
    )
    return orjson.loads(response.content) if response is not None else None


async def layer_save(
    client: httpx.AsyncClient, layer: dict, turn: int, tally: Tally, *, kind: str = "save"
) -> dict | None:
    """Save `layer` with one label changed as the editor does (a PATCH of the changed span);
    return the layer as the client now holds it."""
    body = span_label_change(layer, turn=turn)
    changed = [span for span, was in zip(body["spans"], layer["spans"], strict=True) if span != was]
    patch = {"version": body["version"], "spans": {"put": changed}}
    response = await timed(
        tally, kind, client, "PATCH", f"/api/annotations/{layer['id']}/", body=patch
    )
    if response is None:
        return None
    answer = orjson.loads(response.content)
    if answer["version"] != body["version"] + 1:
        tally.lost_saves.append(f"layer {layer['id']}: the save answer is not what was sent")
    return {**body, "id": layer["id"], "version": answer["version"]}


async def annotator_verify(annotator: Annotator, *, base_url: str, tally: Tally) -> None:
    """Check that each layer the annotator saved holds its last save (after the run)."""
    async with client_for(base_url, annotator.token) as client:
        for layer_id, saved in annotator.saved.items():
            response = await timed(tally, "verify", client, "GET", f"/api/annotations/{layer_id}/")
            if response is None:
                continue
            held = orjson.loads(response.content)
            if held["version"] != saved["version"] or span_labels(held) != span_labels(saved):
                tally.lost_saves.append(f"layer {layer_id}: the server lost the last save")


async def conflict_run(
    pair: tuple[httpx.AsyncClient, httpx.AsyncClient],
    *,
    layer_id: int,
    start: float,
    rounds: int,
    interval: float,
    tally: Tally,
) -> None:
    """Race two clients of one user saving one layer, `rounds` times `interval` apart from
    `start` (`time.monotonic()`).

    Each round both load the layer and save different changes at once: exactly one save
    must be answered 200 and the other 409; the loser's retry with its stale version must
    be 409 again; the layer must then hold the winner's change (else a lost save).
    """
    first, second = pair
    for turn in range(rounds):
        await asyncio.sleep(max(0.0, start + turn * interval - time.monotonic()))
        try:
            await conflict_round(first, second, layer_id=layer_id, turn=turn, tally=tally)
        except httpx.HTTPError as error:
            tally.record("conflict", None, f"{type(error).__name__}: {error}")


async def conflict_round(
    first: httpx.AsyncClient, second: httpx.AsyncClient, *, layer_id: int, turn: int, tally: Tally
) -> None:
    """One race of two saves of the same version of a layer; count and check its outcome."""
    url = f"/api/annotations/{layer_id}/"
    loaded = await asyncio.gather(*(client.get(url) for client in (first, second)))
    if failed := [response.status_code for response in loaded if response.status_code != 200]:
        tally.record("conflict", None, f"loading the layer answered {failed}")
        return
    bodies = [
        span_label_change(orjson.loads(response.content), turn=2 * turn + side)
        for side, response in enumerate(loaded)
    ]
    if bodies[0]["version"] != bodies[1]["version"]:
        tally.count("skipped")  # a save slipped between the two loads: no race this round
        return
    answers = await asyncio.gather(
        *(put_json(client, url, body) for client, body in zip((first, second), bodies, strict=True))
    )
    codes = sorted(answer.status_code for answer in answers)
    tally.count("races")
    if codes != [200, 409]:
        tally.lost_saves.append(f"race {turn}: answered {codes}, not one 200 and one 409")
        return
    loser = 0 if answers[0].status_code == 409 else 1
    retry = await put_json((first, second)[loser], url, bodies[loser])
    tally.count("stale_409" if retry.status_code == 409 else "stale_not_409")
    if retry.status_code != 409:
        tally.lost_saves.append(f"race {turn}: a stale retry was answered {retry.status_code}")
    held = orjson.loads((await first.get(url)).content)
    if span_labels(held) != span_labels(bodies[1 - loser]):
        tally.lost_saves.append(f"race {turn}: the layer does not hold the winning save")
