"""One spec per PBX: everything the rest of Trubka may know about it.

The relay's registry, the CLI's choices, the simulator, `trubka demo`, the webhook
status page and the error sentences people read all come from `ProviderSpec`s, so a
new PBX is one new module (plus its test) and no other file names it (uvicorn's config
tables; tests/providers/test_specs.py enforces it).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import httpx

from trubka.core.errors import LANGUAGES, provider_error_text
from trubka.providers.base import Option, Provider
from trubka.providers.sim import Format

ENV_PREFIX = "TRUBKA_RELAY_"
log = logging.getLogger("trubka.providers")


@dataclass(frozen=True, slots=True)
class DemoSetup:
    """How `trubka demo` configures this PBX against its loopback fake API: its options
    (by name, as `provider set` takes them), and the token the simulator then signs or
    sends."""

    options: Mapping[str, str]
    sim_token: str

    def flags(self) -> list[str]:
        """The options as `trubka-relay provider set NAME` arguments."""
        return [item for name, value in self.options.items()
                for item in ("--" + name.replace("_", "-"), value)]


@dataclass(frozen=True, slots=True)
class Capabilities:
    dial: bool  # places calls (click-to-call)
    dnd: bool  # do-not-disturb through its API
    accounts: bool  # lists the PBX's users (`users sync`)
    background: bool  # keeps a long-lived task (Beeline's event subscription)
    path_secret: bool  # its webhook URL ends in a secret segment
    lookups: bool  # asks the relay who a number is (caller name, smart transfer)


@dataclass(frozen=True)
class ProviderSpec:
    cls: type[Provider]
    titles: Mapping[str, str]  # {"ru": ..., "en": ...}
    simulate: Format
    demo: Callable[[str, str], DemoSetup]  # (fake API URL, relay URL) → set-up
    sim_token_options: tuple[str, ...] = ("webhook_token",)
    lookups: bool = False
    # The sentence people read when this PBX refuses a call, where its vendor prescribes
    # one (SPEC F3); otherwise core.errors' generic one with the title.
    error_templates: Mapping[str, str] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.cls.name

    @property
    def options(self) -> tuple[Option, ...]:
        return self.cls.options

    @property
    def capabilities(self) -> Capabilities:
        c = self.cls
        return Capabilities(
            dial=c.make_call is not Provider.make_call, dnd=c.supports_dnd,
            accounts=c.accounts is not Provider.accounts, background=c.background,
            path_secret=c.path_secret, lookups=self.lookups)

    @property
    def guide(self) -> str:
        """The set-up guide's path in the repository's docs."""
        return f"docs/providers/{self.name}.md"

    def title(self, language: str) -> str:
        return self.titles.get(language) or self.titles.get("en") or self.name

    def build(self, settings: Mapping[str, str], http: httpx.AsyncClient) -> Provider:
        return self.cls(settings, http)

    def webhook_path(self) -> str:
        return f"/hooks/{self.name}" + ("/<webhook-secret>" if self.cls.path_secret else "")

    def sim_token(self, config: Mapping[str, str]) -> str | None:
        """The secret the simulator needs, from this provider's stored settings."""
        values = [config.get(name, "") for name in self.sim_token_options]
        return ":".join(values) if all(values) else None

    def error_texts(self, error: str) -> dict[str, str]:
        """The sentence for each language when this PBX refuses a request."""
        return {lang: provider_error_text(error, lang, self.title(lang),
                                          self.error_templates.get(lang))
                for lang in LANGUAGES}

    def env_name(self, option: Option) -> str:
        """`TRUBKA_RELAY_<PROVIDER>_<OPTION>`: where a secret may come from instead of
        the command line."""
        provider = self.name.upper().replace("-", "_")
        return f"{ENV_PREFIX}{provider}_{option.name.upper()}"

    def env_value(self, option: Option, environ: Mapping[str, str] = os.environ) -> str:
        """The option's value from the environment: the per-provider name, else the
        old shared `TRUBKA_RELAY_<OPTION>` (deprecated: it applied to every PBX)."""
        value = environ.get(self.env_name(option), "")
        if value:
            return value
        old = ENV_PREFIX + option.name.upper()
        value = environ.get(old, "")
        if value:
            log.warning("%s is deprecated (it applies to every PBX): use %s", old,
                        self.env_name(option))
        return value
