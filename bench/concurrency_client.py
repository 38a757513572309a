"""The simulated annotators of bench.concurrency: they open and save layers where the workers write.

Each annotator follows the pre-annotation front (`Front.processed`, the documents written so
far, in id order as the workers take them) and opens a document just ahead of it, so its
prediction layer is often written while the annotator holds the document. It saves the layer
a few times (one name span added or taken away each time); every `race_every`-th save is a
deliberate race: two tabs of the annotator load the layer and save different changes of the
same version at once, and exactly one must get 200, the other 409 naming the winner's
version, and the loser's retry with its stale version 409 again. What each 200 answered is
kept for the read-back after the run (`bench.load_client.annotator_verify`).
"""

import asyncio
import random
import time
from dataclasses import dataclass, field

import httpx
import orjson

from bench.load_client import Annotator, Tally, client_for, layer_open, put_json, timed

Name = tuple[int, int, str]  # start, end, entity type of a name in a generated article


@dataclass
class Front:
    """Where pre-annotation is, shared by the annotators; the bench refreshes it."""

    processed: int = 0
    done: bool = False


@dataclass
class Conflicts:
    """The deliberate stale saves and what they were answered."""

    races: int = 0
    skipped: int = 0  # the two tabs loaded different versions: no race that round
    stale_sent: int = 0
    stale_409: int = 0
    problems: list[str] = field(default_factory=list)


def span_toggle(layer: dict, names: list[Name], *, turn: int) -> dict:
    """Return the body of a save of `layer` with one name span added or taken away.

    The name is the first of `names` from `turn` on whose spans no event argument or
    relation uses: if the layer has a span there it goes, else one is added.
    """
    used = {argument["span"] for event in layer["events"] for argument in event["arguments"]} | {
        end for relation in layer["relations"] for end in (relation["head"], relation["tail"])
    }
    spans = [dict(span) for span in layer["spans"]]
    for step in range(len(names)):
        start, end, label = names[(turn + step) % len(names)]
        there = [span for span in spans if (span["start"], span["end"]) == (start, end)]
        if not there:
            spans.append({"start": start, "end": end, "label": label})
            break
        if not any(span["id"] in used for span in there):
            spans = [span for span in spans if span not in there]
            break
    return {
        "version": layer["version"],
        "spans": spans,
        "events": layer["events"],
        "relations": layer["relations"],
        "labels": layer["labels"],
    }


def span_places(spans: list[dict]) -> list[tuple[int, int, str]]:
    """Offsets and label of each span, sorted: what a save sent (new spans have no id yet)."""
    return sorted((span["start"], span["end"], span["label"]) for span in spans)


async def annotator_follow(
    annotator: Annotator,
    *,
    base_url: str,
    slug: str,
    documents: list[int],
    names: dict[int, list[Name]],
    front: Front,
    interval: float,
    offset: float,
    window: int,
    saves_per_document: int,
    race_every: int,
    tally: Tally,
    conflicts: Conflicts,
    seed: int,
) -> None:
    """Open documents just ahead of the front and save them, `interval` apart, until it is done."""
    rng = random.Random(seed)
    async with (
        client_for(base_url, annotator.token) as tab,
        client_for(base_url, annotator.token) as other_tab,
    ):
        start, layer, saves, turn = time.monotonic() + offset, None, 0, 0
        while not front.done:
            await asyncio.sleep(max(0.0, start + turn * interval - time.monotonic()))
            turn += 1
            if layer is None or saves >= saves_per_document:
                index = min(len(documents) - 1, front.processed + rng.randrange(window))
                layer, saves = await layer_open(tab, slug, documents[index], tally), 0
                continue
            document_names = names[layer["document"]]
            if saves % race_every == race_every - 1:
                saved = await save_race(
                    tab, other_tab, layer, document_names, turn=turn, tally=tally,
                    conflicts=conflicts,
                )  # fmt: skip
            else:
                saved = await layer_save(tab, layer, document_names, turn=turn, tally=tally)
            if saved is None:
                layer = None  # reopen: what the server holds is unknown
                continue
            layer, saves = saved, saves + 1
            annotator.saved[layer["id"]] = layer


async def layer_save(
    client: httpx.AsyncClient, layer: dict, names: list[Name], *, turn: int, tally: Tally
) -> dict | None:
    """Save `layer` with one span toggled; return the layer the server answered, if 200."""
    body = span_toggle(layer, names, turn=turn)
    response = await timed(
        tally, "save", client, "PUT", f"/api/annotations/{layer['id']}/", body=body
    )
    if response is None:
        return None
    saved = orjson.loads(response.content)
    if saved["version"] != body["version"] + 1 or span_places(saved["spans"]) != span_places(
        body["spans"]
    ):
        tally.lost_saves.append(f"layer {layer['id']}: the save answer is not what was sent")
    return saved


async def save_race(
    first: httpx.AsyncClient,
    second: httpx.AsyncClient,
    layer: dict,
    names: list[Name],
    *,
    turn: int,
    tally: Tally,
    conflicts: Conflicts,
) -> dict | None:
    """Two tabs save different changes of the same version at once; return the winner's layer.

    One must be answered 200 and the other 409 with the winner's version; the loser's retry
    of its stale save must be 409 again.
    """
    url = f"/api/annotations/{layer['id']}/"
    loaded = await asyncio.gather(
        *(timed(tally, "race-load", client, "GET", url) for client in (first, second))
    )
    if None in loaded:
        return None
    layers = [orjson.loads(response.content) for response in loaded]
    if layers[0]["version"] != layers[1]["version"]:
        conflicts.skipped += 1
        return layers[1]
    bodies = [span_toggle(layers[side], names, turn=turn + side) for side in (0, 1)]
    started = time.perf_counter()
    try:
        tabs = zip((first, second), bodies, strict=True)
        answers = await asyncio.gather(*(put_json(client, url, body) for client, body in tabs))
    except httpx.HTTPError as error:
        tally.record("race-save", None, f"{type(error).__name__}: {error}")
        return None
    milliseconds = (time.perf_counter() - started) * 1000
    conflicts.races += 1
    conflicts.stale_sent += 1
    codes = [answer.status_code for answer in answers]
    for code, answer in zip(codes, answers, strict=True):
        problem = f"{code} {answer.text[:200]}" if code not in (200, 409) else None
        tally.record("race-save", milliseconds, problem)
    if sorted(codes) != [200, 409]:
        conflicts.problems.append(f"layer {layer['id']}: a race was answered {codes}")
        return None
    winner, loser = (0, 1) if codes[0] == 200 else (1, 0)
    held = orjson.loads(answers[winner].content)
    conflict = orjson.loads(answers[loser].content)
    conflicts.stale_409 += 1
    if conflict.get("extra", {}).get("version") != held["version"]:
        conflicts.problems.append(f"layer {layer['id']}: the 409 did not name the winner's version")
    if span_places(held["spans"]) != span_places(bodies[winner]["spans"]):
        tally.lost_saves.append(f"layer {layer['id']}: the race winner's answer is not its save")
    retry = await timed(
        tally, "stale-retry", (first, second)[loser], "PUT", url, expect=(409,),
        body=bodies[loser],
    )  # fmt: skip
    conflicts.stale_sent += 1
    if retry is not None:
        conflicts.stale_409 += 1
    else:
        conflicts.problems.append(f"layer {layer['id']}: a stale retry was not answered 409")
    return held
