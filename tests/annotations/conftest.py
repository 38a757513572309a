"""Fixtures of the annotation tests: the API as the corpus's annotator sees it."""

import pytest
from rest_framework.test import APIClient


@pytest.fixture
def api(annotator) -> APIClient:
    """An API client signed in as the annotator (files with another client define their own)."""
    client = APIClient()
    client.force_authenticate(annotator)
    return client
