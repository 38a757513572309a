"""An owner exports a gold corpus as spaCy with a split: previews it, then downloads the zip."""

import io
import json
import zipfile

import pytest
import spacy
from django.core.management import call_command
from playwright.sync_api import Page, expect
from spacy.tokens import DocBin

from tests.e2e.conftest import sign_in
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)

TOWNS = ["Homs", "Aleppo", "Hama", "Idlib", "Daraa", "Raqqa"]


@pytest.fixture
def gold(corpus, owner, tmp_path):
    """Six gold articles; in the first, GPE "Damasc" ends inside the word "Damascus"."""
    articles = [
        {
            "id": f"article-{number}",
            "text": f"Kofi Annan arrived in {town} on Saturday.",
            "entities": [
                {"id": "T1", "start": 0, "end": 10, "label": "PER"},
                {"id": "T2", "start": 22, "end": 22 + len(town), "label": "GPE"},
            ],
        }
        for number, town in enumerate(TOWNS, start=1)
    ]
    articles[0]["text"] = "Kofi Annan arrived in Damascus on Saturday."
    articles[0]["entities"][1]["end"] = 28  # "Damasc"
    path = tmp_path / "gold.jsonl"
    path.write_text("".join(json.dumps(article) + "\n" for article in articles), "utf-8")
    call_command(
        "import_documents", corpus.slug, str(path), "--as", "gold", "--user", owner.username,
        stdout=io.StringIO(), stderr=io.StringIO(),
    )  # fmt: skip
    return corpus


def test_owner_previews_a_spacy_export_with_a_split_and_downloads_it(
    page: Page, live_server, gold, owner
):
    sign_in(page, live_server.url, owner.username, PASSWORD)
    page.get_by_role("link", name=gold.name).click()
    page.get_by_role("link", name="Export", exact=True).click()
    expect(page.get_by_role("heading", name=f"Export {gold.name}")).to_be_visible()
    preview = page.locator("#export-preview")
    expect(page.locator("#export-summary")).to_contain_text("6 documents, 12 entities")

    page.get_by_label("spaCy DocBin").check()
    split = page.get_by_label("Train, dev, test fractions")
    split.fill("0.5,0.2")
    expect(page.get_by_role("alert")).to_have_text("split: the parts add up to 0.7, not 1.")
    expect(page.locator("#export-download")).to_have_attribute("aria-disabled", "true")

    split.fill("0.5,0.5")
    expect(page.get_by_role("alert")).to_be_hidden()
    expect(preview).to_have_attribute("aria-busy", "false")
    documents = page.locator("#export-documents")
    expect(documents).to_contain_text("train")
    expect(documents).to_contain_text("dev")
    expect(page.locator("#export-entities")).to_contain_text("PER6")
    expect(page.locator("#export-entities")).to_contain_text("GPE6")  # the layer's, as chosen
    expect(page.locator("#export-warning-kinds")).to_contain_text(
        "misaligned1spans that do not fall on token boundaries"
    )
    expect(page.locator("#export-warnings")).to_contain_text("GPE 'Damasc' [22, 28)")
    expect(page.locator("#export-warnings")).to_contain_text("article-1")
    counts = {
        row.locator("td").nth(0).inner_text(): int(row.locator("td").nth(1).inner_text())
        for row in documents.locator("tbody tr").all()
    }
    assert set(counts) == {"train", "dev"}
    assert sum(counts.values()) == 6

    with page.expect_download() as download:
        page.get_by_role("link", name="Download").click()
    assert download.value.suggested_filename == f"{gold.slug}-spacy.zip"
    archive = zipfile.ZipFile(download.value.path())
    assert sorted(archive.namelist()) == [
        "dev.spacy/0000.spacy",
        "report.json",
        "train.spacy/0000.spacy",
    ]
    report = json.loads(archive.read("report.json"))
    assert report["documents"] == counts
    assert report["warning_counts"]["misaligned"]["count"] == 1
    vocab = spacy.blank("en").vocab
    for part, expected in counts.items():
        docs = list(DocBin().from_bytes(archive.read(f"{part}.spacy/0000.spacy")).get_docs(vocab))
        assert len(docs) == expected
