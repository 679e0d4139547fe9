"""CRM users ↔ the relay's employees.

A CRM names the responsible user of a contact by its own id; the relay needs an
extension (the call window, smart transfer), and the other way round a call written
back needs the CRM's id of the employee. One rule for every connector, first match
wins: the connector's explicit `--map` (CRM id = extension), then the extension the
CRM keeps itself (Bitrix24's UF_PHONE_INNER, an http-json pointer), then the e-mail
(`users add --email`), then the name.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from trubka.relay.crm.base import CrmUser
from trubka.relay.store.users import User


def _key(text: str) -> str:
    return " ".join(text.split()).casefold()


def ext_for(responsible: CrmUser | None, crm_users: Mapping[str, CrmUser],
            explicit: Mapping[str, str], staff: Sequence[User]) -> str:
    """The extension of the employee a CRM user is, or ""."""
    if responsible is None:
        return ""
    if responsible.id in explicit:
        return explicit[responsible.id]
    full = crm_users.get(responsible.id, responsible)
    if full.ext:
        return full.ext  # the CRM keeps the extension itself
    for employee in staff:
        if full.email and employee.email and _key(employee.email) == _key(full.email):
            return employee.ext
    for employee in staff:
        if full.name and _key(employee.name) == _key(full.name):
            return employee.ext
    return ""


def crm_user_for(employee: User, crm_users: Sequence[CrmUser],
                 explicit: Mapping[str, str]) -> CrmUser | None:
    """The CRM user an employee is (for writing their calls back), or None."""
    for crm_id, ext in explicit.items():
        if ext == employee.ext:
            return next((u for u in crm_users if u.id == crm_id), CrmUser(crm_id))
    for rule in (lambda u: bool(u.ext) and u.ext == employee.ext,
                 lambda u: bool(u.email and employee.email)
                 and _key(u.email) == _key(employee.email),
                 lambda u: bool(u.name) and _key(u.name) == _key(employee.name)):
        found = next((u for u in crm_users if rule(u)), None)
        if found is not None:
            return found
    return None
