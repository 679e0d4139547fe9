"""Prometheus counters of the relay (SPEC §4 R6), one registry per app instance."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        r = self.registry
        self.webhooks = Counter("trubka_webhooks_total", "Webhooks received, by outcome",
                                ["provider", "outcome"], registry=r)
        self.webhook_seconds = Histogram(
            "trubka_webhook_seconds", "Time to handle a webhook, commit included",
            ["provider"], registry=r,
            buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1.0))
        self.commit_seconds = Histogram(
            "trubka_store_commit_seconds", "Time of one write transaction's commit (on "
            "SQLite the disk's fsync, which the event loop waits for)", registry=r,
            buckets=(0.00025, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25,
                     1.0))
        self.unmatched = Counter("trubka_webhook_unmatched_total",
                                 "Call events naming no known employee", ["provider"],
                                 registry=r)
        self.frames = Counter("trubka_frames_sent_total", "Frames written to desktop sockets",
                              registry=r)
        self.clients = Gauge("trubka_clients_connected", "Desktop sockets connected",
                             registry=r)
        self.dials = Counter("trubka_dials_total", "Click-to-call requests, by outcome",
                             ["provider", "outcome"], registry=r)
        self.failures = Counter("trubka_failures_total", "Unexpected errors, by place",
                                ["where"], registry=r)
        # Each webhook's labelled series, kept (`labels()` checks and looks them up anew)
        self._per_webhook: dict[tuple[str, str], tuple[Counter, Histogram]] = {}

        self._crm(r)

    def webhook(self, provider: str, outcome: str, seconds: float) -> None:
        """One webhook counted by its outcome and timed (the relay's busiest path)."""
        series = self._per_webhook.get((provider, outcome))
        if series is None:
            series = self._per_webhook[provider, outcome] = (
                self.webhooks.labels(provider, outcome), self.webhook_seconds.labels(provider))
        series[0].inc()
        series[1].observe(seconds)

    def _crm(self, r: CollectorRegistry) -> None:
        """The CRM connector (relay/crm/): requests, answers by origin, write-backs."""
        self.crm_requests = Counter("trubka_crm_requests_total", "Requests to the CRM, by "
                                    "outcome", ["connector", "outcome"], registry=r)
        self.crm_seconds = Histogram("trubka_crm_request_seconds", "Time of one request to "
                                     "the CRM", ["connector"], registry=r,
                                     buckets=(0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0))
        self.crm_lookups = Counter("trubka_crm_lookups_total", "CRM lookups, by where the "
                                   "answer came from (index, cache, live, timeout, error)",
                                   ["connector", "origin"], registry=r)
        self.crm_up = Gauge("trubka_crm_up", "1 when the CRM's last request succeeded",
                            ["connector"], registry=r)
        self.crm_writes = Counter("trubka_crm_writes_total", "Calls written back to the "
                                  "CRM, by kind and outcome", ["connector", "kind", "outcome"],
                                  registry=r)

    def render(self) -> bytes:
        return generate_latest(self.registry)
