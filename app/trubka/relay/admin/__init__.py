"""The administrator's operations as typed functions: one layer under every surface.

The CLI, the web console, `trubka demo` and the tests call these and nothing else;
none of them parses another surface's output. Each takes an `Admin` (the store, the
event writer whose frames reach open sockets, an HTTP client) and publishes what it
changed: frames go to the hub after commit, and configuration changes bump the
version every running relay watches (relay/registry.py, relay/watch.py).
"""

from trubka.relay.admin.book import export_contacts, import_contacts, import_file, trim
from trubka.relay.admin.config import (
    ProviderSaved,
    ProviderView,
    mask,
    provider_views,
    set_provider,
    set_setting,
    set_settings,
    setting_values,
    simulator_token,
)
from trubka.relay.admin.context import Admin, hub_for, open_admin
from trubka.relay.admin.crm import (
    CrmTest,
    CrmView,
    crm_off,
    crm_refresh,
    crm_spec,
    crm_test,
    crm_view,
    set_crm,
)
from trubka.relay.admin.enroll import (
    Enrollment,
    Redeemed,
    enroll,
    enroll_many,
    parse_expiry,
    redeem,
)
from trubka.relay.admin.users import (
    ImportRow,
    add_user,
    import_users,
    issue_token,
    list_users,
    parse_users_csv,
    revoke,
    sync_users,
    update,
    user,
)

__all__ = [
    "Admin", "Enrollment", "ImportRow", "ProviderSaved", "ProviderView", "Redeemed",
    "add_user", "enroll", "enroll_many", "export_contacts", "hub_for", "import_contacts",
    "import_file", "import_users", "issue_token", "list_users", "mask", "open_admin",
    "parse_expiry", "parse_users_csv", "provider_views", "redeem", "revoke", "set_provider",
    "set_setting", "set_settings", "setting_values", "simulator_token", "sync_users", "trim",
    "update", "user",
]
__all__ += ["CrmTest", "CrmView", "crm_off", "crm_refresh", "crm_spec", "crm_test", "crm_view",
            "set_crm"]
