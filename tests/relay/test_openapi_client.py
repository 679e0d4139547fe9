"""Issue 10 item 19: `/openapi.json` describes what the relay does. It validates as
OpenAPI 3.1 (openapi-spec-validator), and a client generated from it with
openapi-python-client works for every desktop endpoint against a real relay — the
errors too: 401, 404, 409, 413, 422, 429 and 502 all parse into its ErrorBody."""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest
from openapi_spec_validator import validate

from tests.conftest import Relay
from tests.fakes.pbx import FakePbx
from trubka.relay.app import create_app
from trubka.relay.config import RelayConfig
from trubka.relay.store.users import TOKEN_PREFIX

HOOK_TOKEN = "openapi-hook-token"
PACKAGE = "trubka_generated_client"


def document() -> dict[str, Any]:
    return create_app(RelayConfig()).openapi()


def test_the_document_is_valid_openapi() -> None:
    """openapi-spec-validator accepts the document; no path parameter is nullable."""
    doc = document()
    validate(doc)
    for operations in doc["paths"].values():
        for operation in operations.values():
            for param in operation.get("parameters", []):
                if param["in"] == "path":
                    assert "anyOf" not in param["schema"], param
                    assert param["required"] is True


def test_every_desktop_operation_declares_its_errors() -> None:
    """Each /api/v1 operation but enrolment and sign-in (their credential is the body)
    carries the bearer scheme and declares 401, 413 and 429 with the ErrorBody shape;
    webhooks declare the SPEC refusal shape."""
    doc = document()
    ref = {"$ref": "#/components/schemas/ErrorBody"}
    for path, operations in doc["paths"].items():
        for method, operation in operations.items():
            replies = operation["responses"]
            if path.startswith("/api/v1/enroll") or (method, path) == ("post", "/api/v1/session"):
                assert operation["security"] == []
            elif path.startswith("/api/"):
                assert operation["security"] == [{"bearer": []}]
            if path.startswith("/api/"):
                for status in ("401", "413", "429"):
                    assert replies[status]["content"]["application/json"]["schema"] == ref
            if path.startswith("/hooks/"):
                assert {"400", "401", "404", "429", "503"} <= set(replies)


def test_every_schema_has_its_own_name() -> None:
    """Two models of one name become module-qualified keys that generators refuse."""
    names = set(document()["components"]["schemas"])
    assert not {name for name in names if "__" in name}


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    """The client openapi-python-client generates from the document, importable."""
    root = tmp_path_factory.mktemp("client")
    spec = root / "openapi.json"
    spec.write_text(json.dumps(document()), encoding="utf-8")
    tool = Path(sys.executable).with_name("openapi-python-client")
    made = subprocess.run([str(tool), "generate", "--path", str(spec), "--meta", "none",
                           "--output-path", str(root / PACKAGE)], check=True,
                          capture_output=True, text=True, timeout=300)
    # The generator leaves out what it cannot parse (a 200 reply, a model) with a warning:
    # a client with pieces missing would fail below for the wrong reason, or not at all.
    assert "Warning" not in made.stdout + made.stderr, made.stdout + made.stderr
    sys.path.insert(0, str(root))
    try:
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(root))
        for name in [m for m in sys.modules if m.startswith(PACKAGE)]:
            del sys.modules[name]


def op(package: ModuleType, tag: str, name: str) -> Any:
    return importlib.import_module(f"{PACKAGE}.api.{tag}.{name}")


def models(package: ModuleType) -> Any:
    return importlib.import_module(f"{PACKAGE}.models")


DESKTOP = {"me", "list_contacts", "create_contact", "get_contact", "put_contact",
           "delete_contact", "lookup", "journal", "patch_call", "dial", "get_dnd", "put_dnd"}


def test_the_generated_client_has_every_desktop_endpoint(generated: ModuleType) -> None:
    """The endpoints exercised below are all there are (a new one must join them)."""
    folder = Path(generated.__file__).parent / "api"
    assert {p.stem for p in (folder / "desktop").glob("*.py")} - {"__init__"} == DESKTOP
    assert {p.stem for p in (folder / "enrolment").glob("*.py")} - {"__init__"} == {
        "enroll", "enroll_status"}


def history(relay: Relay) -> None:
    body = {"cmd": "history", "type": "in", "status": "missed", "user": "100",
            "phone": "89031112233", "callid": "oa-1", "crm_token": HOOK_TOKEN}
    assert httpx.post(relay.url + "/hooks/crm-api", data=body).status_code == 200


def test_every_desktop_endpoint_and_its_errors_through_the_generated_client(
        relay: Relay, fake_pbx: FakePbx, generated: ModuleType) -> None:
    """Success and each declared error of every desktop endpoint, as the generated
    client parses them: no call returns an unexpected status or fails to parse."""
    token = relay.add_user("Иванов", "100")
    with generated.AuthenticatedClient(base_url=relay.url, token=token,
                                       raise_on_unexpected_status=True) as client, \
            generated.AuthenticatedClient(base_url=relay.url, token="trb_wrong",
                                          raise_on_unexpected_status=True) as stranger:
        exercise(relay, fake_pbx, generated, client, stranger)


def exercise(relay: Relay, fake_pbx: FakePbx, generated: ModuleType, client: Any,
             stranger: Any) -> None:
    m = models(generated)
    desk = "desktop"

    def call(name: str, **kwargs: Any) -> Any:
        return op(generated, desk, name).sync_detailed(client=client, **kwargs)

    def error(reply: Any, status: int, code: str) -> None:
        assert reply.status_code == status, (reply.status_code, reply.content)
        assert isinstance(reply.parsed, m.ErrorBody) and reply.parsed.code == code

    error(call("dial", body=m.DialIn(phone="89031112233")), 409, "not_configured")
    relay.cli("provider", "set", "crm-api", "--webhook-token", HOOK_TOKEN, "--api-token", "k",
              "--api-url", fake_pbx.url + "/sys/crm_api.wcgp")
    me = call("me").parsed
    assert (me.ext, me.provider.name) == ("100", "crm-api")
    made = call("create_contact", body=m.ContactIn(name="Ромашка", phones=["89031112233"]))
    assert made.status_code == 201 and made.parsed.phones == ["+79031112233"]
    contact_id = made.parsed.id
    assert call("get_contact", contact_id=contact_id).parsed.name == "Ромашка"
    put = call("put_contact", contact_id=contact_id, body=m.ContactIn(name="Лютик"))
    assert put.parsed.name == "Лютик"
    assert [c.name for c in call("list_contacts", q="лютик").parsed] == ["Лютик"]
    assert call("lookup", phone="8 903 111-22-33").parsed.phone == "+79031112233"
    error(call("lookup", phone="not a number"), 422, "invalid_number")
    invalid = call("create_contact", body=m.ContactIn(name="X", phones=["nope"]))
    error(invalid, 422, "invalid_request")
    assert invalid.parsed.detail[0].field == "phones"
    error(call("create_contact", body=m.ContactIn(name="X", note="ж" * 200_000)), 413,
          "body_too_large")
    assert call("delete_contact", contact_id=contact_id).status_code == 204
    for name in ("get_contact", "delete_contact"):
        error(call(name, contact_id=contact_id), 404, "not_found")
    error(call("put_contact", contact_id=contact_id, body=m.ContactIn(name="Y")), 404,
          "not_found")

    history(relay)
    (entry,) = call("journal").parsed
    noted = call("patch_call", entry_id=entry.id, body=m.NoteIn(note="перезвонить"))
    assert noted.parsed.note == "перезвонить"
    error(call("patch_call", entry_id="nope", body=m.NoteIn(note="x")), 404, "not_found")

    fake_pbx.reply("/sys/crm_api.wcgp", 200, {"state": "true", "callid": "c-1"})
    assert call("dial", body=m.DialIn(phone="89031112233")).parsed.provider_call_id == "c-1"
    assert call("get_dnd").parsed.dnd is True
    assert call("put_dnd", body=m.Dnd(dnd=False)).parsed.dnd is False
    fake_pbx.reply("/sys/crm_api.wcgp", 500, {"error": "PBX down"})
    refused = call("dial", body=m.DialIn(phone="89031112233"))
    error(refused, 502, "provider_error")
    assert refused.parsed.provider == "crm-api"
    error(call("get_dnd"), 502, "provider_error")

    relay.cli("settings", "set", "auth-failure-limit", "1")
    error(op(generated, desk, "me").sync_detailed(client=stranger), 401, "unauthorized")
    limited = call("me")
    error(limited, 429, "rate_limited")
    assert limited.parsed.retry_after >= 1


def test_enrolment_through_the_generated_client(relay: Relay, generated: ModuleType) -> None:
    """The app's enrolment calls: the code's owner, the token once, then 410 and 404."""
    relay.cli("settings", "set", "public-url", "https://relay.example.invalid")
    relay.add_user("Иванов", "100")
    link = relay.cli("users", "enroll", "--ext", "100").strip().splitlines()[-1]
    code = link.split("/enroll#", 1)[1]
    with generated.Client(base_url=relay.url, raise_on_unexpected_status=True) as client:
        enrol(generated, client, code)


def enrol(generated: ModuleType, client: Any, code: str) -> None:
    m = models(generated)
    status = op(generated, "enrolment", "enroll_status").sync_detailed(
        client=client, body=m.CodeIn(code=code))
    assert status.parsed.user.ext == "100"
    enrolled = op(generated, "enrolment", "enroll").sync_detailed(client=client,
                                                                  body=m.CodeIn(code=code))
    assert enrolled.parsed.token.startswith(TOKEN_PREFIX)
    again = op(generated, "enrolment", "enroll").sync_detailed(client=client,
                                                               body=m.CodeIn(code=code))
    assert again.status_code == 410 and again.parsed.code == "enrollment_used"
    unknown = op(generated, "enrolment", "enroll").sync_detailed(client=client,
                                                                 body=m.CodeIn(code="nope"))
    assert unknown.status_code == 404 and unknown.parsed.code == "enrollment_unknown"
