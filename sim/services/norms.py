"""Which contact meets a request's response norm.

A norm is about the contact that settles the urgency, not about the phone being answered
(NTS urgency norms, NHG TriageWijzer; docs/model.md section 2, "Which contact a norm
counts"):

| contact                                                  | meets the norm of                     |
|----------------------------------------------------------|---------------------------------------|
| a physician seeing the patient as the request needs (on  | every urgency                         |
| site for a visit, at the post or practice for a consult, |                                       |
| by phone for a telephone request)                        |                                       |
| an ambulance on site                                     | every urgency (U1 in practice)        |
| a digital physician (achterwacht, video/phone)           | U3-U5; U1-U2 only for a telephone     |
|                                                          | request (not on site: a U1-U2 visit   |
|                                                          | or consult needs a physician there)   |
| a nurse, triagist or VS who settles the request alone    | the urgencies in                      |
|                                                          | norms.settled_without_physician (U3-U5)|
| a nurse, triagist or VS who passes it on                 | none: first contact only              |

The urgency is the one asked with: triage that lowers it does not lower the norm.
"""

from __future__ import annotations

from sim.engine.records import (
    AMBULANCE,
    DIGITAL_PHYSICIAN,
    NURSE,
    PHONE_LINE,
    PHYSICIAN,
)
from sim.scenario.schema import URGENT_MAX_URGENCY

TELEPHONE = 0  # modality code (schema.MODALITIES)


def meets_norm(kind: int, asked: int, modality: int, settles: bool, settled_ok: frozenset[int]) -> bool:
    """Does a contact of this kind meet the norm of a request asked with urgency `asked`
    (1..5)? `settles`: the professional closes the request at this contact."""
    if kind == PHYSICIAN or kind == AMBULANCE:
        return True
    if kind == DIGITAL_PHYSICIAN:
        return asked > URGENT_MAX_URGENCY or modality == TELEPHONE
    if kind == NURSE or kind == PHONE_LINE:
        return settles and asked in settled_ok
    raise ValueError(f"unknown contact kind {kind}")
