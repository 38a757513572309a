"""A page's JavaScript module with every module it imports preloaded: `{% module_script %}`.

A browser finds a module's imports only once it has fetched and parsed the module, one
level of the import graph at a time; `<link rel="modulepreload">` for each module of the
graph lets it fetch them all at once, as the page's HTML arrives. The graph is read from
the files themselves, so a new import is preloaded without anyone listing it.
"""

import functools
import posixpath
from pathlib import Path

from django import template
from django.conf import settings
from django.contrib.staticfiles import finders
from django.templatetags.static import static
from django.utils.html import format_html, format_html_join

from config.storage import module_imports

register = template.Library()


@register.simple_tag
def module_script(path: str) -> str:
    """A `<script type="module">` for the static file `path`, and a modulepreload link for
    each module it imports, directly or not."""
    graph = module_graph(path) if settings.DEBUG else module_graph_cached(path)
    script = format_html('<script type="module" src="{}"></script>', static(path))
    preloads = format_html_join(
        "", '\n<link rel="modulepreload" href="{}">', ((static(name),) for name in graph[1:])
    )
    return script + preloads


def module_graph(path: str) -> list[str]:
    """`path` and the static paths of the modules it imports, directly or not, in the order
    first met (depth first). A missing file is an error: the page could not load it."""
    found: list[str] = []
    stack = [path]
    while stack:
        name = stack.pop()
        if name in found:
            continue
        found.append(name)
        stack.extend(reversed(_imported(name)))
    return found


module_graph_cached = functools.lru_cache(maxsize=64)(module_graph)


def _imported(path: str) -> list[str]:
    """The static paths of the modules `path` imports."""
    location = finders.find(path)
    if location is None:
        raise template.TemplateSyntaxError(f"No static file {path!r} (imported as a module).")
    code = Path(location).read_text(encoding="utf-8")
    folder = posixpath.dirname(path)
    return [posixpath.normpath(posixpath.join(folder, url)) for url in module_imports(code)]
