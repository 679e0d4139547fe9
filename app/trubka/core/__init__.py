"""Plain-Python domain: the call model, its state machine, numbers and the wire format.

Nothing here imports Qt, a web framework or a socket library (tests/core/test_layering.py).
"""
