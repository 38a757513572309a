"""In production the pages' JavaScript modules import the hashed files `collectstatic`
wrote, and the modulepreload links name those same files; every module of a page's import
graph is preloaded."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.template import Context, Template
from django.test import override_settings

from config.storage import module_imports
from corpus.templatetags.modules import module_graph

JS_DIR = Path(settings.BASE_DIR) / "static" / "goldset" / "js"
PRODUCTION_STORAGE = {
    **settings.STORAGES,
    "staticfiles": {"BACKEND": "config.storage.StaticFilesStorage"},
}


def test_module_imports_are_the_static_statements_only():
    code = """// Export page: preview what an export holds; see api.js for why "./nothing.js";
import { apiRequest } from "./api.js";
import {
  a,
  b,
} from "../shared/b.js";
import "./side-effect.js";
export { c } from "./c.js";
export * from './d.js';
const later = () => import("./dynamic.js");
const text = 'import { x } from "./string.js";';
import { remote } from "https://example.org/remote.js";
"""
    assert module_imports(code) == [
        "./api.js",
        "../shared/b.js",
        "./side-effect.js",
        "./c.js",
        "./d.js",
    ]


def test_the_editor_pages_graph_holds_every_module_it_imports():
    graph = module_graph("goldset/js/annotate-page.js")

    assert graph[0] == "goldset/js/annotate-page.js"
    assert len(graph) == len(set(graph))
    for name in graph:  # closed: whatever a module of the graph imports is in it
        code = (JS_DIR / Path(name).name).read_text()
        for url in module_imports(code):
            assert f"goldset/js/{url.removeprefix('./')}" in graph, (name, url)
    assert "goldset/js/layer-delta.js" in graph  # missing from the old hand-written list


def test_collectstatic_hashes_the_imports_and_the_preloads_name_the_same_files(tmp_path):
    with override_settings(STATIC_ROOT=tmp_path, STORAGES=PRODUCTION_STORAGE):
        call_command("collectstatic", interactive=False, verbosity=0)
        from django.contrib.staticfiles.storage import staticfiles_storage

        hashed = staticfiles_storage.hashed_files
        html = Template('{% load modules %}{% module_script "goldset/js/annotate-page.js" %}')
        rendered = html.render(Context())

    for source in JS_DIR.glob("*.js"):
        code = source.read_text()
        expected = code
        for url in module_imports(code):
            target = f"goldset/js/{url.removeprefix('./')}"
            expected = expected.replace(f'"{url}"', f'"./{Path(hashed[target]).name}"')
        written = tmp_path / hashed[f"goldset/js/{source.name}"]
        assert written.read_text() == expected, source.name  # nothing else changed

    imported = set()
    for name in module_graph("goldset/js/annotate-page.js"):
        code = (tmp_path / hashed[name]).read_text()
        imported |= {f"/static/goldset/js/{url.removeprefix('./')}" for url in module_imports(code)}
    preloaded = {line.split('"')[3] for line in rendered.splitlines() if "modulepreload" in line}
    assert preloaded == imported
    assert all(".js" in url and url.count(".") == 2 for url in preloaded)  # name.hash.js


@pytest.mark.parametrize("page", ["goldset/js/document-page.js", "goldset/js/export-page.js"])
def test_other_pages_preload_their_imports(page):
    rendered = Template(f'{{% load modules %}}{{% module_script "{page}" %}}').render(Context())

    assert rendered.startswith(f'<script type="module" src="/static/{page}"></script>')
    assert rendered.count("modulepreload") == len(module_graph(page)) - 1
