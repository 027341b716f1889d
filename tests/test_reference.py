"""Generated files are current, and the schema editors use is the schema the build enforces."""

from __future__ import annotations

import json

import jsonschema
import pytest

from conftest import CONTENT, ROOT
from treatypress.model import Treaty
from treatypress.reference import markdown
from treatypress.yamlload import load_yaml

SCHEMA = CONTENT / "treaty.schema.json"
REFERENCE = ROOT / "docs" / "content-reference.md"


def test_json_schema_is_current() -> None:
    written = json.loads(SCHEMA.read_text(encoding="utf-8"))
    assert written == Treaty.model_json_schema(), f"{SCHEMA} is out of date: run make schema"


def test_field_reference_is_current() -> None:
    assert REFERENCE.read_text(encoding="utf-8") == markdown(), (
        f"{REFERENCE} is out of date: run make schema"
    )


def test_readme_links_the_field_reference() -> None:
    assert "(docs/content-reference.md)" in (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("path", sorted(CONTENT.glob("*.yaml")), ids=lambda p: p.name)
def test_shipped_content_passes_the_json_schema(path) -> None:
    """An independent validator (jsonschema) accepts each shipped file as editors see it."""
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    data = load_yaml(path).data  # dates stay text, as they are written
    errors = sorted(
        jsonschema.Draft202012Validator(schema).iter_errors(data), key=lambda e: list(e.path)
    )
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:10])


def test_json_schema_refuses_what_the_build_refuses() -> None:
    """The schema is not too lax: a misspelt key, a date as a number, a missing field."""
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    data = load_yaml(CONTENT / "sino-soviet-1950.yaml").data
    validator = jsonschema.Draft202012Validator(schema)
    for change in (
        lambda d: d["signing"].update(plaec=d["signing"].pop("place")),
        lambda d: d["signing"]["date"].update(value=1950),
        lambda d: d.pop("entry_into_force"),
    ):
        bad = json.loads(json.dumps(data))
        change(bad)
        assert list(validator.iter_errors(bad)), change
