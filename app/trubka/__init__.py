"""Trubka: cloud PBX call popups and click-to-call on the desktop, with a relay server."""

__version__ = "0.1.0"
