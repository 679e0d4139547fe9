"""A hand-written stand-in for Python's `winreg` module: an in-memory registry with the
behaviour the real one has and our code depends on — case-insensitive key and value
names, handles that need write access to change values, `DeleteKey` refusing a key that
still has subkeys, `EnumKey` raising OSError past the last subkey."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class _Key:
    path: str  # as first created, for listing
    # lower-cased name → (name, data, type)
    values: dict[str, tuple[str, Any, int]] = field(default_factory=dict)


class _Handle:
    def __init__(self, registry: FakeWinreg, root: str, path: str, access: int) -> None:
        self.registry, self.root, self.path, self.access = registry, root, path, access
        self.closed = False

    def __enter__(self) -> _Handle:
        return self

    def __exit__(self, *exc: object) -> None:
        self.Close()

    def Close(self) -> None:
        self.closed = True


def _not_found(what: str) -> FileNotFoundError:
    return FileNotFoundError(2, "The system cannot find the file specified", what)


class FakeWinreg:
    """Pass an instance wherever code takes a `winreg` module."""

    HKEY_CURRENT_USER = "HKEY_CURRENT_USER"
    HKEY_LOCAL_MACHINE = "HKEY_LOCAL_MACHINE"
    REG_SZ = 1
    KEY_QUERY_VALUE = 0x0001
    KEY_SET_VALUE = 0x0002
    KEY_CREATE_SUB_KEY = 0x0004
    KEY_ENUMERATE_SUB_KEYS = 0x0008
    KEY_READ = 0x20019
    KEY_WRITE = 0x20006
    KEY_ALL_ACCESS = 0xF003F

    # Keys every Windows user profile has; the rest of HKCU starts empty.
    STANDARD = (r"Software\Classes", r"Software\Microsoft\Windows\CurrentVersion\Run")

    def __init__(self) -> None:
        self.keys: dict[tuple[str, str], _Key] = {}
        self.handles: list[_Handle] = []
        for path in self.STANDARD:
            self.CreateKey(self.HKEY_CURRENT_USER, path).Close()
        self.handles.clear()

    # -- helpers for tests -----------------------------------------------------------------
    def dump(self, root: str = HKEY_CURRENT_USER) -> dict[str, dict[str, Any]]:
        """{key path: {value name: data}} of every key under `root`."""
        return {k.path: {n: d for n, d, _t in k.values.values()}
                for (r, _), k in sorted(self.keys.items()) if r == root}

    def value(self, path: str, name: str, root: str = HKEY_CURRENT_USER) -> Any:
        key = self.keys.get((root, path.lower()))
        if key is None or name.lower() not in key.values:
            raise KeyError((path, name))
        return key.values[name.lower()][1]

    # -- the winreg API --------------------------------------------------------------------
    def _resolve(self, key: Any, sub_key: str) -> tuple[str, str]:
        if isinstance(key, _Handle):
            root, base = key.root, key.path
        else:
            root, base = key, ""
        parts = [p for p in (base + "\\" + sub_key).split("\\") if p]
        return root, "\\".join(parts)

    def _handle(self, root: str, path: str, access: int) -> _Handle:
        handle = _Handle(self, root, path, access)
        self.handles.append(handle)
        return handle

    def CreateKey(self, key: Any, sub_key: str) -> _Handle:
        root, path = self._resolve(key, sub_key)
        parts = path.split("\\")
        for i in range(1, len(parts) + 1):
            prefix = "\\".join(parts[:i])
            self.keys.setdefault((root, prefix.lower()), _Key(prefix))
        return self._handle(root, path, self.KEY_ALL_ACCESS)

    def OpenKey(self, key: Any, sub_key: str, reserved: int = 0,
                access: int = KEY_READ) -> _Handle:
        root, path = self._resolve(key, sub_key)
        if (root, path.lower()) not in self.keys:
            raise _not_found(path)
        return self._handle(root, path, access)

    def _key(self, handle: _Handle) -> _Key:
        if handle.closed:
            raise OSError(6, "The handle is invalid")
        key = self.keys.get((handle.root, handle.path.lower()))
        if key is None:
            raise _not_found(handle.path)
        return key

    def SetValueEx(self, handle: _Handle, name: str, reserved: int, kind: int,
                   data: Any) -> None:
        if not handle.access & self.KEY_SET_VALUE:
            raise PermissionError(5, "Access is denied")
        self._key(handle).values[(name or "").lower()] = (name or "", data, kind)

    def QueryValueEx(self, handle: _Handle, name: str) -> tuple[Any, int]:
        values = self._key(handle).values
        if (name or "").lower() not in values:
            raise _not_found(name)
        _name, data, kind = values[(name or "").lower()]
        return data, kind

    def DeleteValue(self, handle: _Handle, name: str) -> None:
        if not handle.access & self.KEY_SET_VALUE:
            raise PermissionError(5, "Access is denied")
        values = self._key(handle).values
        if (name or "").lower() not in values:
            raise _not_found(name)
        del values[(name or "").lower()]

    def _children(self, root: str, path: str) -> list[str]:
        prefix = path.lower() + "\\"
        return sorted({k.path[len(prefix):].split("\\")[0] for (r, p), k in self.keys.items()
                       if r == root and p.startswith(prefix)}, key=str.lower)

    def DeleteKey(self, key: Any, sub_key: str) -> None:
        root, path = self._resolve(key, sub_key)
        if (root, path.lower()) not in self.keys:
            raise _not_found(path)
        if self._children(root, path):
            raise PermissionError(5, "Access is denied")  # the real one refuses too
        del self.keys[(root, path.lower())]

    def EnumKey(self, handle: _Handle, index: int) -> str:
        self._key(handle)
        children = self._children(handle.root, handle.path)
        if index >= len(children):
            raise OSError(259, "No more data is available")
        return children[index]

    def QueryInfoKey(self, handle: _Handle) -> tuple[int, int, int]:
        key = self._key(handle)
        return len(self._children(handle.root, handle.path)), len(key.values), 0

    def CloseKey(self, handle: _Handle) -> None:
        handle.Close()
