"""What a Sanctions List reference typed in a report is worth against the list in force.

One rule for the editor (beside the field, as the delegate types and whenever the draft is shown)
and for validation (on the review page and at submission): an unknown reference is an error; a
delisted or removed one a warning the signatory acknowledges before submitting. Checked when shown,
never only when saved, so a draft saved before an import is checked against the new list. Before
the first import nothing is checked.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from reports.selectors.sanctions import ListStatus, RefLookup


@dataclass(frozen=True)
class RefProblem:
    blocking: bool  # an error (True) or a warning to acknowledge (False)
    message: str


def ref_problem(reference: str, lookup: RefLookup) -> RefProblem | None:
    status = lookup.status(reference)
    if status is None or status == ListStatus.LISTED:
        return None
    generated = date_format(lookup.snapshot.generated_at, "DATE_FORMAT") if lookup.snapshot else ""
    if status == ListStatus.UNKNOWN:
        return RefProblem(
            True,
            _("%(ref)s is not on the ISIL (Da'esh) & Al-Qaida Sanctions List in force (generated %(date)s).")
            % {"ref": reference, "date": generated},
        )
    if status == ListStatus.DELISTED:
        return RefProblem(
            False,
            _("%(ref)s has been delisted: the party is no longer subject to the sanctions. Check the reference.")
            % {"ref": reference},
        )
    return RefProblem(
        False,
        _("%(ref)s is no longer on the ISIL (Da'esh) & Al-Qaida Sanctions List in force (generated %(date)s).")
        % {"ref": reference, "date": generated},
    )
