"""The page plugin's files (web/rossim-plugin/*.js, ES modules loaded without a bundler): the
page imports the entry module, every relative import names a file of the plugin and a name that
file exports, every file is reached from the entry, and the server gives each one a JavaScript
content type (a browser refuses a module served as anything else)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from rossim.serve.app import create_app
from rossim.serve.replay import ArchiveSource

WEB = Path(__file__).resolve().parents[2] / "web"
PLUGIN = WEB / "rossim-plugin"
ENTRY = "plugin.js"
_IMPORT = re.compile(r"^import \{([^}]*)\} from '\./([\w-]+\.js)';$", re.M)
_EXPORT = re.compile(r"^export (?:async function|function|class|const) (\w+)", re.M)
_EXPORT_LIST = re.compile(r"^export \{([^}]*)\};$", re.M)


def _files() -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(PLUGIN.glob("*.js"))}


def _exports(text: str) -> set[str]:
    names = set(_EXPORT.findall(text))
    for group in _EXPORT_LIST.findall(text):
        names |= {n.strip() for n in group.split(",") if n.strip()}
    return names


def test_the_page_imports_the_entry_module():
    page = (WEB / "index.html").read_text(encoding="utf-8")
    assert '<script type="module">' in page
    assert f"import {{ start }} from '/rossim/{ENTRY}';" in page
    assert "start" in _exports(_files()[ENTRY])
    # the plugin's other files come in through the entry's imports, not script tags
    assert re.findall(r'<script src="/rossim/', page) == []


def test_every_import_names_an_exported_name_of_a_plugin_file():
    files = _files()
    bad = []
    for name, text in files.items():
        if re.search(r"^import .* from '(?!\./)", text, re.M):
            bad.append(f"{name}: an import not relative to the plugin (no CDN, no bundler)")
        for group, target in _IMPORT.findall(text):
            if target not in files:
                bad.append(f"{name} imports missing {target}")
                continue
            for imported in (n.strip() for n in group.split(",") if n.strip()):
                if imported not in _exports(files[target]):
                    bad.append(f"{name} imports {imported}, which {target} does not export")
    assert not bad, "\n".join(bad)


def test_every_plugin_file_is_reached_from_the_entry():
    files = _files()
    seen, todo = set(), [ENTRY]
    while todo:
        name = todo.pop()
        if name not in seen:
            seen.add(name)
            todo += [target for _, target in _IMPORT.findall(files[name])]
    assert seen == set(files), f"not imported by anything: {sorted(set(files) - seen)}"


@pytest.fixture(scope="module")
def client(archive):
    source = ArchiveSource(archive)
    with TestClient(create_app(source, token="t", web=WEB)) as c:
        yield c
    source.close()


@pytest.mark.parametrize("name", sorted(_files()))
def test_the_server_serves_every_module_as_javascript(client, name):
    r = client.get(f"/rossim/{name}")
    assert r.status_code == 200
    assert r.headers["content-type"].split(";")[0] in ("text/javascript",
                                                       "application/javascript")
    assert r.text == (PLUGIN / name).read_text(encoding="utf-8")
