"""`make demo-hub`'s population: every demo user signs in and sees a populated dashboard, within TLP."""

from __future__ import annotations

from precwatch.hub import Hub
from precwatch.web.demo import USERS, seed


def test_the_demo_population_fills_every_users_dashboard(hub: Hub) -> None:
    secret = "demo-test-secret-0123456789"
    tokens = seed(hub, secret=secret, incidents=24)
    assert set(tokens) == {email for email, _, _ in USERS}
    counts = {}
    for email, token in tokens.items():
        viewer = hub.authenticate(token, secret)
        assert viewer is not None
        counts[email] = hub.count_incidents(viewer)
    assert all(n >= 8 for n in counts.values()), counts
    assert len(set(counts.values())) > 1, counts  # amber records differ between organisations
    mx = hub.authenticate(tokens["analyst@anam.example"], secret)
    us = hub.authenticate(tokens["analyst@cbp.example"], secret)
    assert mx is not None and us is not None
    inbox, total = hub.list_notifications(mx, limit=10)
    assert total == 3 and {n["state"] for n in inbox} == {"submitted", "acknowledged"}
    assert hub.list_notifications(us, limit=10)[1] == 0  # amber, addressed to Mexico
    assert hub.alerts(us)[1] >= 1  # the US analyst's NPP watch rule
