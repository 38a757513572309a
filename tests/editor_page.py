"""What the editor page gives the editor: its own JSON (mode, URLs), then the data it fetches."""

import gzip
import json

START = '<script id="editor-page" type="application/json">'


def editor_page(response) -> dict:
    """The page's own JSON: the editor's mode and URLs."""
    html = response.content.decode()
    start = html.index(START) + len(START)
    return json.loads(html[start : html.index("</script>", start)])


def editor_data(client, response) -> dict:
    """What the editor works with once loaded: the page's JSON and the data it fetches."""
    page = editor_page(response)
    answer = client.get(page["urls"]["data"])
    assert answer.status_code == 200, answer.content[:300]
    assert answer["Content-Type"] == "application/json"
    body = answer.content
    if answer.get("Content-Encoding") == "gzip":
        body = gzip.decompress(body)
    return {**page, **json.loads(body)}
