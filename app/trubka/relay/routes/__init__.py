"""HTTP routes: webhooks (hooks.py), the desktop API (api.py), its socket (events.py),
and health and metrics (ops.py)."""
