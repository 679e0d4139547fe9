"""Controllers: each gets its collaborators passed in (app.py wires them) and is testable
without the whole app."""
