"""Play a small team on a running Goldset (`make run`, then `manage.py demo_user --team`).

    .venv/bin/python docs/team_demo.py [--url http://127.0.0.1:8000]

Through the REST API, as each would: ana and ben each open every seed article (the next
document the queue gives them), correct it differently and submit it, endorsing the
predictions. ana relabels the districts the model calls persons (Baba Amr, ...) as GPE;
ben leaves them and removes the TIMEX2 entities. Then the review page, the dashboard and
the agreement have something to show. Prints what each did.
"""

import argparse
import os

from playwright.sync_api import APIRequestContext, sync_playwright

PASSWORD = "goldset-demo"
DISTRICTS = {"Baba Amr", "Ain Larose", "Jabal al-Zawiya", "Bab Amr"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    url = parser.parse_args().url.rstrip("/")
    os.environ.setdefault("NO_PROXY", "127.0.0.1,localhost")
    with sync_playwright() as playwright:
        for username, correct in (("ana", _ana), ("ben", _ben)):
            api = _signed_in(playwright.request, url, username)
            for title, changed in _annotate_all(api, correct):
                print(f"{username}: {title}: {changed}")
            api.dispose()


def _signed_in(request, url: str, username: str) -> APIRequestContext:
    api = request.new_context(base_url=url)
    login = api.get("/accounts/login/")
    token = _cookie(api, "csrftoken")
    api.post(
        "/accounts/login/",
        form={"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token},
        headers={"Referer": login.url},
    )
    return api


def _cookie(api: APIRequestContext, name: str) -> str:
    return next(c["value"] for c in api.storage_state()["cookies"] if c["name"] == name)


def _annotate_all(api: APIRequestContext, correct):
    after = 0
    while True:
        answer = api.get(f"/api/corpora/seeds/next-document/?after={after}").json()["next"]
        if answer is None:
            return
        after = answer["id"]
        headers = {"X-CSRFToken": _cookie(api, "csrftoken")}
        layer = api.post(f"/api/corpora/seeds/documents/{after}/my-layer/", headers=headers)
        layer = layer.json()
        document = api.get(f"/api/corpora/seeds/documents/{after}/").json()
        spans, changed = correct(document["text"], layer["spans"])
        kept = {span["id"] for span in spans}
        events = [
            {
                **event,
                "arguments": [a for a in event["arguments"] if a["span"] in kept],
            }
            for event in layer["events"]
        ]
        body = {"version": layer["version"], "spans": spans, "events": events}
        saved = api.put(f"/api/annotations/{layer['id']}/", data=body, headers=headers).json()
        api.post(
            f"/api/annotations/{layer['id']}/submit/",
            data={"version": saved["version"], "accept_pending": True},
            headers=headers,
        )
        yield answer["title"], changed


def _ana(text: str, spans: list[dict]) -> tuple[list[dict], str]:
    relabelled = 0
    for span in spans:
        if span["label"] == "PER" and text[span["start"] : span["end"]] in DISTRICTS:
            span.update(label="GPE", source="human", accepted=True)
            relabelled += 1
    return spans, f"{relabelled} districts relabelled GPE"


def _ben(text: str, spans: list[dict]) -> tuple[list[dict], str]:
    kept = [span for span in spans if span["label"] != "TIMEX2"]
    return kept, f"{len(spans) - len(kept)} TIMEX2 entities removed"


if __name__ == "__main__":
    main()
