"""Conditions other apps put on an ASN's own certificate download, registered in their
`AppConfig.ready()` (the evaluation app: when the region asks for it, the post-training survey
is filled in first while it is open).

A gate is `gate(*, certificate, request) -> tuple[str, str] | None`: None lets the download
through; otherwise (message in the user's language, URL of the page that lifts the block).
"""

from collections.abc import Callable

_gates: list[Callable] = []


def register_certificate_gate(gate: Callable) -> None:
    if gate not in _gates:
        _gates.append(gate)


def certificate_blocked(*, certificate, request) -> tuple[str, str] | None:
    for gate in _gates:
        blocked = gate(certificate=certificate, request=request)
        if blocked is not None:
            return blocked
    return None
