"""1C:Enterprise through its standard OData interface (v3, `$format=json`, Basic auth).

A 1C base can be large and slow, so calls are never looked up in it: the relay keeps a
local index of its phones (relay/crm/indexer.py). This connector pages through the
configured catalogues (default: counterparties and contact persons), each object with
its contact-information tabular section inline, for a full load; an incremental
refresh lists only `Ref_Key` and `DataVersion` (which changes on every write of the
object, its tabular sections included) and re-reads the objects whose version changed.
Catalogue, section and field names are options, for configurations that differ from
the BSP-based standard ones. "Open in CRM" is a navigation link to the object
(`…#e1cib/data/Справочник.<Name>?ref=<GUID reordered>`). docs/crm/1c-odata.md cites
the sources.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping, Sequence
from typing import Any
from urllib.parse import quote, urlsplit

import httpx

from trubka.core.numbers import Number
from trubka.providers.base import Option
from trubka.relay.crm.base import (
    MAP_OPTION,
    Capabilities,
    Card,
    Connector,
    ConnectorSpec,
    CrmError,
    CrmUser,
    IndexPage,
    get_json,
)

NAME = "1c-odata"
PAGE = 1000
BY_KEY = 20  # objects re-read per request in an incremental refresh ($filter … or …)
LINK_TYPE = "Справочник"


def navigation_ref(guid: str) -> str:
    """The `ref` of a 1C navigation link: the GUID's groups in the order 4, 5, 3, 2, 1
    without dashes (research/integration-facts.md §1)."""
    parts = guid.lower().split("-")
    if len(parts) != 5:
        raise ValueError(f"not a GUID: {guid!r}")
    return parts[3] + parts[4] + parts[2] + parts[1] + parts[0]


class OneCOData(Connector):
    name = NAME

    def __init__(self, settings: Mapping[str, str], http: httpx.AsyncClient) -> None:
        super().__init__(settings, http)
        self.root = self.settings.get("url", "").rstrip("/") + "/"
        self.catalogs = [c.strip() for c in self.settings.get("catalogs", "").split(",")
                         if c.strip()]
        self.section = self.settings.get("section") or "КонтактнаяИнформация"
        self.phone_field = self.settings.get("phone_field") or "Представление"
        self.phone_type = self.settings.get("phone_type", "Телефон")
        self.auth = httpx.BasicAuth(self.settings.get("user", ""),
                                    self.settings.get("password", ""))

    def link(self, catalog: str, guid: str) -> str:
        base = self.settings.get("link_base") or _web_client(self.root)
        return f"{base.rstrip('/')}#e1cib/data/{LINK_TYPE}.{catalog}?ref={navigation_ref(guid)}"

    async def _get(self, entity: str, what: str, **params: str | int) -> list[dict[str, Any]]:
        query = {"$format": "json", **params}
        status, body = await get_json(self.http, "GET", self.root + quote(entity, safe="(),'"),
                                      what, params=query, auth=self.auth)
        if status == 401:
            raise CrmError(f"{what}: refused (HTTP 401): check --user and --password")
        if status == 403:
            raise CrmError(f"{what}: the 1C user has no right to read it (HTTP 403)")
        if status == 404:
            raise CrmError(f"{what}: not published (add it to the OData interface "
                           "composition)")
        if status >= 400 or not isinstance(body, dict):
            raise CrmError(f"{what}: HTTP {status}")
        return [v for v in body.get("value") or [] if isinstance(v, dict)]

    async def _pages(self, catalog: str, **params: str) -> AsyncIterator[list[dict[str, Any]]]:
        skip = 0
        while True:
            paging: dict[str, str | int] = {"$orderby": "Ref_Key", "$top": PAGE, "$skip": skip}
            rows = await self._get(f"Catalog_{catalog}", f"Catalog_{catalog}",
                                   **paging, **params)
            yield rows
            if len(rows) < PAGE:
                return
            skip += PAGE

    def _object(self, catalog: str, row: Mapping[str, Any]
                ) -> tuple[str, str, Card, Sequence[str]]:
        ref = str(row.get("Ref_Key") or "")
        phones = [str(line.get(self.phone_field) or "") for line in row.get(self.section) or []
                  if isinstance(line, dict)
                  and (not self.phone_type or line.get("Тип") == self.phone_type)]
        owner_field = self.settings.get("owner_field", "")
        owner = str(row.get(owner_field) or row.get(owner_field + "_Key") or "") \
            if owner_field else ""
        manager_field = self.settings.get("responsible_field", "")
        manager = str(row.get(manager_field + "_Key") or "") if manager_field else ""
        card = Card(str(row.get("Description") or ""), crm_url=self.link(catalog, ref),
                    responsible=CrmUser(manager) if manager and not _empty(manager) else None,
                    ref=ref, owner=owner if owner and not _empty(owner) else "")
        return ref, str(row.get("DataVersion") or ""), card, [p for p in phones if p]

    async def scan(self, known: Mapping[str, Mapping[str, str]] | None
                   ) -> AsyncIterator[IndexPage | tuple[str, list[str]]]:
        for catalog in self.catalogs:
            if known is None:
                async for rows in self._pages(catalog):
                    yield IndexPage(catalog, [self._object(catalog, r) for r in rows
                                              if not r.get("DeletionMark")])
                continue
            before = known.get(catalog, {})
            listed: dict[str, str] = {}
            async for rows in self._pages(catalog, **{"$select": "Ref_Key,DataVersion,"
                                                      "DeletionMark"}):
                listed.update({str(r["Ref_Key"]): str(r.get("DataVersion") or "")
                               for r in rows if r.get("Ref_Key") and not r.get("DeletionMark")})
            gone = [ref for ref in before if ref not in listed]
            if gone:
                yield catalog, gone
            changed = [ref for ref, version in listed.items() if before.get(ref) != version]
            for start in range(0, len(changed), BY_KEY):
                keys = " or ".join(f"Ref_Key eq guid'{ref}'" for ref in
                                   changed[start:start + BY_KEY])
                rows = await self._get(f"Catalog_{catalog}", f"Catalog_{catalog}",
                                       **{"$filter": keys})
                yield IndexPage(catalog, [self._object(catalog, r) for r in rows])

    async def users(self) -> list[CrmUser]:
        catalog = self.settings.get("users_catalog") or "Пользователи"
        rows = await self._get(f"Catalog_{catalog}", f"Catalog_{catalog}",
                               **{"$select": "Ref_Key,Description"})
        return [CrmUser(str(r["Ref_Key"]), str(r.get("Description") or "")) for r in rows
                if r.get("Ref_Key")]

    def creates(self) -> bool:
        return bool(self.settings.get("create_catalog"))

    async def create(self, card: Card) -> Card:
        catalog = self.settings.get("create_catalog", "")
        if not catalog:
            raise CrmError("creating in 1C is off (--create-catalog)")
        lines = []
        for position, phone in enumerate(card.phones, 1):
            line = {"LineNumber": str(position), "Тип": self.phone_type or "Телефон",
                    self.phone_field: phone}
            if self.settings.get("phone_kind"):
                line["Вид_Key"] = self.settings["phone_kind"]
            lines.append(line)
        url = f"{self.root}{quote('Catalog_' + catalog)}"
        status, body = await get_json(self.http, "POST", url, f"create in Catalog_{catalog}",
                                      params={"$format": "json"}, auth=self.auth,
                                      json={"Description": card.name, self.section: lines})
        if status >= 400 or not isinstance(body, dict) or not body.get("Ref_Key"):
            raise CrmError(f"create in Catalog_{catalog}: HTTP {status}")
        ref = str(body["Ref_Key"])
        return Card(card.name, card.company, card.phones, card.email,
                    self.link(catalog, ref), card.responsible, ref)

    async def check(self) -> str:
        for catalog in self.catalogs:
            first: dict[str, str | int] = {"$top": 1, "$select": "Ref_Key"}
            await self._get(f"Catalog_{catalog}", f"Catalog_{catalog}", **first)
        return f"{len(self.catalogs)} catalogue(s) readable"

    async def lookup(self, number: Number) -> Card | None:
        raise CrmError("1C is looked up in the relay's index")


def _empty(guid: str) -> bool:
    return guid.replace("0", "").replace("-", "") == ""


def _web_client(root: str) -> str:
    """The web client's address of the publication the OData URL belongs to."""
    path = urlsplit(root).path
    cut = path.rfind("/odata/")
    return root[: len(root) - len(path) + cut + 1] if cut >= 0 else root


def _check(settings: Mapping[str, str]) -> list[str]:
    problems = []
    url = urlsplit(settings.get("url", ""))
    if url.scheme not in ("http", "https") or not url.hostname \
            or "standard.odata" not in url.path:
        problems.append("--url must be the OData root, "
                        "https://<server>/<base>/odata/standard.odata")
    if not [c for c in settings.get("catalogs", "").split(",") if c.strip()]:
        problems.append("--catalogs names no catalogue")
    try:
        minutes = int(settings.get("refresh_minutes") or "0")
    except ValueError:
        minutes = 0
    if not 1 <= minutes <= 1440:
        problems.append("--refresh-minutes must be a whole number from 1 to 1440")
    link = urlsplit(settings.get("link_base", ""))
    if settings.get("link_base") and link.scheme not in ("e1c", "http", "https"):
        problems.append("--link-base must be an e1c:// or http(s):// address")
    return problems


SPEC = ConnectorSpec(
    cls=OneCOData,
    titles={"ru": "1С:Предприятие (OData)", "en": "1C:Enterprise (OData)"},
    options=(
        Option("url", "OData root, https://<server>/<base>/odata/standard.odata"),
        Option("user", "1C user (read rights on the catalogues)"),
        Option("password", "the 1C user's password", secret=True),
        Option("catalogs", "catalogues to index, comma-separated",
               default="Контрагенты,КонтактныеЛица"),
        Option("refresh_minutes", "re-read changed objects every N minutes", default="15"),
        Option("section", "contact-information tabular section",
               default="КонтактнаяИнформация"),
        Option("phone_field", "the section's phone column", default="Представление"),
        Option("phone_type", "the section's Тип value of phones", default="Телефон"),
        Option("owner_field", "attribute naming a contact person's counterparty "
               "(its company)", default="ОбъектВладелец"),
        Option("responsible_field", "reference attribute naming the responsible user "
               "(e.g. ОсновнойМенеджер; empty: none)"),
        Option("users_catalog", "catalogue of 1C users", default="Пользователи"),
        MAP_OPTION,
        Option("link_base", "infobase address for links, e.g. e1c://server/srv1c/trade "
               "(default: the web client of the publication)"),
        Option("create_catalog", "catalogue new contacts go to (empty: the relay's "
               "book)", default="Контрагенты"),
        Option("phone_kind", "Вид_Key (GUID) of the phone kind for new contacts"),
    ),
    capabilities=Capabilities(lookup=False, index=True, create_contact=True,
                              write_calls=False),
    check_options=_check,
)
