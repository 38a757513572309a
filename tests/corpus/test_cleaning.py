"""Boilerplate rules move id lines, photo captions and site trailers out of the text."""

from corpus.cleaning import clean_article

ARTICLE = (
    "1.992211-557874215\n"
    "Tanks in Yabrud on March 8, 2012. Image Credit: AFP\n"
    "\n"
    "Damascus: forces killed at least\xa054 civilians.\n"
    "\n"
    "More In: International | News"
)


def test_leading_id_line_becomes_external_id_not_text():
    cleaned = clean_article(ARTICLE)
    assert cleaned.external_id == "1.992211-557874215"
    assert cleaned.text.startswith("Damascus:")


def test_caption_and_trailer_are_removed_and_kept():
    cleaned = clean_article(ARTICLE)
    assert cleaned.text == "Damascus: forces killed at least\xa054 civilians."
    assert cleaned.removed == {
        "captions": ["Tanks in Yabrud on March 8, 2012. Image Credit: AFP"],
        "trailers": ["More In: International | News"],
    }


def test_non_breaking_spaces_stay_as_they_are():
    cleaned = clean_article("\xa0Homs was shelled.\xa0")
    assert cleaned.text == "\xa0Homs was shelled.\xa0"


def test_a_first_line_that_is_a_sentence_is_not_an_id():
    cleaned = clean_article("2012 was a hard year.\nMore text.")
    assert cleaned.external_id == ""
    assert cleaned.text == "2012 was a hard year.\nMore text."


def test_rules_can_be_turned_off():
    cleaned = clean_article(ARTICLE, {"id_line": False, "captions": False, "trailers": False})
    assert cleaned.text == ARTICLE


def test_the_kept_text_is_a_slice_of_the_original_at_start():
    cleaned = clean_article(ARTICLE)
    assert ARTICLE[cleaned.start : cleaned.start + len(cleaned.text)] == cleaned.text
    assert cleaned.start == ARTICLE.index("Damascus")


def test_an_article_of_only_boilerplate_keeps_no_text():
    cleaned = clean_article("1.992211-557874215\n\nMore In: News\n")
    assert cleaned.text == ""
    assert cleaned.external_id == "1.992211-557874215"
