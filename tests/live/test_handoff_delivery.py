"""Handoff tickets reach a real, signature-checking receiver: kept while no webhook is set,
retried while the receiver is down, and delivered after a restart, none lost."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from prometheus_client import REGISTRY
from pydantic import SecretStr

from hsc_jit.api.schemas import HandoffPayload, TicketList
from hsc_jit.config import Settings
from tests.utils.faults import ADMIN_TOKEN, admin_headers, get, post, wait_for
from tests.utils.live import LiveServer, live_settings, running
from tests.utils.webhook_receiver import SECRET, WebhookReceiver, receiving


def _settings(tmp_path: Path, **overrides: Any) -> Settings:
    base = Settings(
        data_dir=tmp_path,
        fetch_allow_private=True,
        log_json=False,
        log_level="WARNING",
        catalog_poll_s=3600,
        admin_token=ADMIN_TOKEN,
        handoff_retry_base_s=0.05,
        handoff_retry_cap_s=0.3,
        handoff_poll_s=0.2,
    )
    return live_settings(base, **overrides)


def _ask_for_a_person(server: LiveServer, message: str, conversation_id: str = "c1") -> str:
    body = {"conversation_id": conversation_id, "message": message, "contact": {"name": "Dana"}}
    response = post(server, "/api/handoff", json=body)
    assert response.status_code == 201, response.text
    ticket_id: str = response.json()["ticket_id"]
    return ticket_id


def _tickets(server: LiveServer) -> dict[str, dict[str, Any]]:
    response = get(server, "/api/admin/tickets", headers=admin_headers())
    listed = TicketList.model_validate_json(response.text)
    return {ticket.ticket_id: ticket.model_dump() for ticket in listed.tickets}


def _metric(name: str, **labels: str) -> float:
    """A metric of this process (the live servers run in it)."""
    return REGISTRY.get_sample_value(name, labels) or 0.0


def test_tickets_survive_a_receiver_that_is_down_and_a_restart(tmp_path: Path) -> None:
    receiver = WebhookReceiver()  # its port reserved; nothing listens there yet
    # Set on a copy, so not validated: the secret is passed as Settings would hold it.
    hooked = {"handoff_webhook_url": receiver.url, "handoff_webhook_secret": SecretStr(SECRET)}

    with running(_settings(tmp_path)) as server:  # no webhook: the ticket waits, listed
        waiting = _ask_for_a_person(server, "before the webhook")
        assert _tickets(server)[waiting]["state"] == "not_configured"
        assert _tickets(server)[waiting]["attempts"] == 0

    failures_before = _metric("handoff_delivery_failures_total", reason="connection")
    with running(_settings(tmp_path, **hooked)) as server:  # the receiver is down
        refused = {_ask_for_a_person(server, f"while down {n}") for n in range(2)}
        wait_for(
            lambda: all(t["attempts"] >= 2 for t in _tickets(server).values()),
            what="every ticket tried twice",
        )
        listed = _tickets(server)
        assert set(listed) == refused | {waiting}
        for ticket in listed.values():
            assert ticket["state"] == "pending" and ticket["delivered_at"] is None
            assert ticket["last_error"] == "ConnectError" and ticket["next_attempt_at"]
        assert _metric("handoff_delivery_failures_total", reason="connection") > failures_before
        assert _metric("handoff_oldest_undelivered_age_seconds") > 0

    delivered_before = _metric("handoff_tickets_delivered_total")
    with receiving(receiver), running(_settings(tmp_path, **hooked)) as server:
        arrivals = receiver.wait_for(refused | {waiting})
        wait_for(
            lambda: all(t["state"] == "delivered" for t in _tickets(server).values()),
            what="every ticket marked delivered",
        )
        assert _metric("handoff_tickets_delivered_total") - delivered_before == 3
        wait_for(lambda: _metric("handoff_oldest_undelivered_age_seconds") == 0)
        last = _ask_for_a_person(server, "after the restart")  # woken at once, not polled
        receiver.wait_for({last}, within_s=5)
    assert receiver.forged == 0
    assert set(arrivals) == refused | {waiting} and set(arrivals.values()) == {1}
    for body in receiver.tickets:
        payload = HandoffPayload.model_validate(body)
        assert payload.ticket_id in arrivals or payload.ticket_id == last
        assert payload.contact.name == "Dana" and payload.product is None


def test_tickets_list_as_csv(tmp_path: Path) -> None:
    with running(_settings(tmp_path, load_demo_catalog=False)) as server:
        ticket_id = _ask_for_a_person(server, "=cmd|calc")
        response = get(
            server, "/api/admin/tickets", params={"format": "csv"}, headers=admin_headers()
        )
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert re.fullmatch(
        r'attachment; filename="tickets-\d{4}-\d{2}-\d{2}\.csv"',
        response.headers["content-disposition"],
    )
    header, row = response.text.splitlines()
    assert header.startswith("ticket_id,created_at,conversation_id,product_id,product_name,")
    assert row.startswith(f"{ticket_id},") and ",'=cmd|calc," in row and ",not_configured," in row
