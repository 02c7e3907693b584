"""The committed JSON Schema of the wire contract is the one the models make now.

The web app's types are generated from that file (its own test checks them against it), so a
model changed without regenerating fails here first.
"""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from hsc_jit.api.contract import render_contract_schema
from hsc_jit.cli import app

COMMITTED = Path(__file__).resolve().parents[2] / "frontend/src/lib/protocol.schema.json"
REGENERATE = (
    "run `uv run hsc-jit schema --out frontend/src/lib/protocol.schema.json`, "
    "then `npm run gen:protocol` in frontend/"
)


def test_the_committed_schema_is_what_the_models_make() -> None:
    committed = COMMITTED.read_text(encoding="utf-8")
    assert committed == render_contract_schema(), f"{COMMITTED.name} is out of date: {REGENERATE}"


def test_the_schema_covers_both_directions_and_every_http_body() -> None:
    defs = json.loads(render_contract_schema())["$defs"]
    frames = {"TypingFrame", "QueryFrame", "PingFrame", "ClientFrame", "AskBody"}
    messages = {
        "PredictionMessage",
        "StatusMessage",
        "AnswerChunkMessage",
        "ContextMessage",
        "FinalAnswerMessage",
        "ErrorMessage",
        "PongMessage",
        "ServerMessage",
        "AnswerStreamMessage",
    }
    bodies = {"BrandList", "ProductContext", "PredictionList", "Health", "Ready", "NotReady"}
    admin = {"ImportResult", "ReloadResult", "PurgeResult", "UnansweredList", "ErrorResponse"}
    assert frames | messages | bodies | admin <= set(defs)
    # Absent when unknown, so not required; everything else a server message has is.
    assert defs["ErrorMessage"]["required"] == ["type", "code", "message"]
    assert defs["PongMessage"]["required"] == ["type", "seq"]


def test_the_cli_writes_the_document(tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "protocol.schema.json"
    written = runner.invoke(app, ["schema", "--out", str(out)])
    assert written.exit_code == 0, written.output
    assert out.read_text(encoding="utf-8") == render_contract_schema()
    printed = runner.invoke(app, ["schema"])
    assert printed.exit_code == 0 and printed.stdout == render_contract_schema()
