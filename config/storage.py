"""Static files in production: hashed names, compressed copies, and JavaScript modules whose
imports name the hashed files too."""

import re

from whitenoise.storage import CompressedManifestStaticFilesStorage

# A module's static import or re-export of a relative path, at the start of a line:
# `import { a } from "./a.js";` (over several lines too), `export { b } from "./b.js";`,
# `import "./c.js";`. Case-sensitive, unlike Django's own patterns, which also take a
# comment's "Export page: ... from "./api.js";" for a statement (and hash the name twice).
JS_IMPORT = (
    r"""(?m)^(?P<matched>(?-i:(?P<keyword>import|export))(?P<names>(?:\s[^;"'`]*?\sfrom)?)"""
    r"""\s*["'](?P<url>\.{1,2}/[^"'\s]+)["']\s*;)"""
)


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    """WhiteNoise's storage, with the imports of JavaScript modules naming hashed files.

    Without it a page's modules import the unhashed files (served with a short cache, so
    asked for again on each visit), and the modulepreload links, which name the hashed
    files, fetch copies nobody uses.
    """

    patterns = (
        *CompressedManifestStaticFilesStorage.patterns,
        ("*.js", ((JS_IMPORT, '%(keyword)s%(names)s "%(url)s";'),)),
    )


def module_imports(code: str) -> list[str]:
    """The relative specifiers of the static imports in a module's `code`, in order."""
    return [match["url"] for match in re.finditer(JS_IMPORT, code)]
