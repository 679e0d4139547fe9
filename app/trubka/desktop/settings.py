"""Preferences (an INI file per profile), window state, and the sign-in token.

The token lives in the OS keyring. Where no keyring exists, it can be kept in a file
readable only by the user (0600) — but only after the user accepts that explicitly, and
the file says what it is. Never keyrings.alt (it stores plain text silently).
"""

from __future__ import annotations

import ipaddress
import logging
import os
import re
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import phonenumbers
import platformdirs

from trubka.core import templates
from trubka.core.display_policy import DisplayPolicy, JournalCard, WindowMoment
from trubka.core.numbers import valid_extension
from trubka.desktop.defaults import CompanyDefaults, read_company_defaults
from trubka.desktop.inifile import read_ini, write_ini

log = logging.getLogger("trubka.desktop.settings")

APP = "trubka"
LANGUAGES = ("system", "ru", "en")
_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]{0,31}$")
# Schemes that run code, read local files or hide another target: never a CRM's.
UNSAFE_SCHEMES = ("javascript", "vbscript", "data", "file", "blob", "about", "jar",
                  "filesystem", "ms-msdt", "search-ms", "shell")


def default_profile() -> Path:
    return Path(platformdirs.user_config_dir(APP, appauthor=False))


def log_dir() -> Path:
    return Path(platformdirs.user_log_dir(APP, appauthor=False))


@dataclass(frozen=True, slots=True)
class Preferences:
    relay_url: str = ""
    ext: str = ""
    ca_file: str = ""
    incoming: str = WindowMoment.START.value
    outgoing: str = WindowMoment.NEVER.value
    journal_card: str = JournalCard.NEVER.value
    notifications: bool = False
    window_seconds: int = 10
    confirm_links: bool = True
    search_template: str = templates.DEFAULT_SEARCH
    crm_template: str = ""
    crm_schemes: str = ""  # link schemes a CRM uses besides http(s) and e1c, e.g. "mycrm"
    default_country: str = "RU"
    language: str = "system"
    start_at_login: bool = False
    token_file_ok: bool = False  # the user accepted the plain-file token fallback

    def policy(self) -> DisplayPolicy:
        return DisplayPolicy(WindowMoment(self.incoming), WindowMoment(self.outgoing),
                             JournalCard(self.journal_card), self.notifications)

    def crm_scheme_list(self) -> list[str]:
        """The extra CRM link schemes (lower case), as listed in `crm_schemes`."""
        return [p.lower().rstrip(":/") for p in re.split(r"[\s,;]+", self.crm_schemes)
                if p.strip()]


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def relay_addresses(text: str) -> list[str]:
    """The relay field may list several replicas' addresses, tried in that order
    (separated by spaces, commas or new lines)."""
    return [part.rstrip("/") for part in re.split(r"[\s,;]+", text.strip()) if part]


def address_problem(address: str) -> str | None:
    """Why a relay address is refused (English), or None."""
    url = urlsplit(address)
    if url.scheme not in ("http", "https") or not url.hostname:
        return "The address must start with https:// and name a host"
    if url.scheme == "http" and not _is_loopback(url.hostname):
        return "Use https:// — plain http is allowed only on this computer"
    if url.query or url.fragment or url.username:
        return "The address must not contain a query, fragment or user name"
    return None


def validate(p: Preferences) -> dict[str, str]:
    """Field name → why it is refused (English; the dialog translates the known ones)."""
    errors: dict[str, str] = {}
    addresses = relay_addresses(p.relay_url)
    if not addresses:
        errors["relay_url"] = "Enter the relay address, e.g. https://relay.example.ru"
    for address in addresses:
        problem = address_problem(address)
        if problem:
            errors["relay_url"] = problem
            break
    if p.ext and not valid_extension(p.ext):
        errors["ext"] = ("An extension is up to 32 letters, digits, dots, dashes or "
                         "underscores")
    if p.ca_file and not Path(p.ca_file).is_file():
        errors["ca_file"] = "No such file"
    errors.update(_template_errors(p))
    if p.default_country.upper() not in phonenumbers.SUPPORTED_REGIONS:
        errors["default_country"] = "A two-letter country code such as RU"
    if not 1 <= p.window_seconds <= 600:
        errors["window_seconds"] = "Between 1 and 600 seconds"
    if p.language not in LANGUAGES:
        errors["language"] = "Russian, English or the system language"
    for name, enum_type in (("incoming", WindowMoment), ("outgoing", WindowMoment),
                            ("journal_card", JournalCard)):
        try:
            enum_type(getattr(p, name))
        except ValueError:
            errors[name] = "Unknown choice"
    return errors


def _template_errors(p: Preferences) -> dict[str, str]:
    errors: dict[str, str] = {}
    schemes = p.crm_scheme_list()
    bad = [s for s in schemes if not _SCHEME.match(s) or s in UNSAFE_SCHEMES]
    if bad:
        errors["crm_schemes"] = "Not a scheme a CRM link may use"
    try:
        templates.validate(p.search_template)
    except templates.TemplateError as exc:
        errors["search_template"] = str(exc)
    crm = p.crm_template.strip()
    try:
        if urlsplit(crm).scheme.lower() in schemes and not bad:
            templates.fields(crm)  # a configured CRM scheme: only the placeholders to check
        else:
            templates.validate(crm, required=(), allow_empty=True)
    except (templates.TemplateError, ValueError) as exc:
        errors["crm_template"] = str(exc)
    if crm and "{" not in crm:
        errors["crm_template"] = "The template must contain a placeholder such as {phone}"
    return errors


def _parse(data: dict[str, str], base: Preferences) -> Preferences:
    """`base` with the values `data` holds; a bad value keeps `base`'s for that field."""
    values: dict[str, Any] = {}
    for f in fields(Preferences):
        if f.name not in data:
            continue
        default, raw = getattr(base, f.name), data[f.name]
        if isinstance(default, bool):
            values[f.name] = raw.lower() in ("1", "true", "yes", "on")
        elif isinstance(default, int):
            try:
                values[f.name] = int(raw)
            except ValueError:
                continue
        else:
            values[f.name] = raw
    prefs = replace(base, **values)
    bad = validate(prefs)
    # A hand-edited file with a bad value falls back to the default for that field.
    return replace(prefs, **{k: getattr(base, k) for k in bad if k not in ("relay_url",)})


def _text(value: object) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)


class PreferenceStore:
    """The user's INI file in the profile directory, over the company defaults.

    Precedence, per key: a key the administrator locked → the company value; else the
    user's own value; else the company default; else Trubka's. The user's file holds
    only what differs from the defaults below it, and never a locked key."""

    def __init__(self, profile: Path, defaults: CompanyDefaults | None = None) -> None:
        self.profile = profile
        self.path = profile / "settings.ini"
        self.state_path = profile / "state.ini"
        self.defaults = defaults if defaults is not None else read_company_defaults()

    def base(self) -> Preferences:
        """What applies where the user has set nothing: the company defaults."""
        return _parse(self.defaults.values, Preferences())

    def load(self) -> Preferences:
        user = {k: v for k, v in read_ini(self.path).items()
                if k not in self.defaults.locked}
        return _parse(user, self.base())

    def save(self, prefs: Preferences) -> None:
        base = self.base()
        write_ini(self.path, {k: _text(v) for k, v in asdict(prefs).items()
                              if k not in self.defaults.locked and v != getattr(base, k)})

    def load_since(self, relay_url: str) -> int | None:
        data = read_ini(self.state_path)
        if data.get("relay_url") != relay_url:
            return None
        try:
            return int(data["since"])
        except (KeyError, ValueError):
            return None

    def save_since(self, relay_url: str, since: int | None) -> None:
        if since is None:
            return
        write_ini(self.state_path, {"relay_url": relay_url, "since": str(since)})


# -- the sign-in token -----------------------------------------------------------------------

TOKEN_FILE_HEADER = (
    "# Trubka sign-in token, kept in this file because no system keyring was found\n"
    "# and you accepted that in Settings. Readable only by you (0600). Delete it to sign out.\n"
)


class TokenStore:
    """`kind` is "keyring" when a real backend exists, else "file" (opt-in) or "none"."""

    SERVICE = "trubka"

    def __init__(self, profile: Path, backend: Any | None = None,
                 use_keyring: bool = True) -> None:
        self.profile = profile
        self.file = profile / "token"
        self.backend = backend if backend is not None else (
            _real_keyring() if use_keyring else None)

    @property
    def has_keyring(self) -> bool:
        return self.backend is not None

    def _user(self, relay_url: str) -> str:
        return f"{self.profile.resolve()}|{relay_url.rstrip('/')}"

    def get(self, relay_url: str) -> str:
        if self.backend is not None:
            try:
                return self.backend.get_password(self.SERVICE, self._user(relay_url)) or ""
            except Exception as exc:
                log.warning("keyring read failed: %s", type(exc).__name__)
        return self._read_file(relay_url)

    def set(self, relay_url: str, token: str, file_ok: bool = False) -> str:
        """Store the token; returns where: "keyring" or "file". Raises if neither may."""
        if self.backend is not None:
            try:
                self.backend.set_password(self.SERVICE, self._user(relay_url), token)
                return "keyring"
            except Exception as exc:  # a locked or broken keyring: say so, maybe use the file
                log.warning("keyring write failed: %s", type(exc).__name__)
        if not file_ok:
            raise PermissionError("no keyring; the plain-file fallback was not accepted")
        self.profile.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(TOKEN_FILE_HEADER + f"relay = {relay_url.rstrip('/')}\ntoken = {token}\n")
        os.chmod(self.file, 0o600)
        return "file"

    def _read_file(self, relay_url: str) -> str:
        data = read_ini(self.file)
        if data.get("relay", "").rstrip("/") != relay_url.rstrip("/"):
            return ""
        return data.get("token", "")


def _real_keyring() -> Any | None:
    try:
        import keyring
        from keyring.backends import fail
    except ImportError:
        return None
    try:
        backend = keyring.get_keyring()
    except Exception:
        return None
    if isinstance(backend, fail.Keyring) or "alt" in type(backend).__module__.split("."):
        return None
    if type(backend).__name__ == "ChainerBackend" and not getattr(backend, "backends", None):
        return None
    return backend
