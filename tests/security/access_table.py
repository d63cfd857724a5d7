"""What every URL answers, for every role: the access matrix's expectations.

One entry per URL name (namespace-qualified; "ns:*" covers every name in a namespace that
has no entry of its own, "ns:?" an unnamed pattern). A URL the table does not know fails
tests/security/test_access_matrix.py, so a new page gets an entry the day it is added.

    "delegation:report": R("L 2 2 4 4 4 4", pk="report"),

The seven codes are the answers to a GET, in the order of ROLES:

    anon     anonymous visitor
    focal_a  focal point of State A        (the objects are State A's: their own State)
    sig_a    signatory of State A
    focal_b  focal point of State B        (another State)
    sec      Secretariat officer
    mon      Monitoring Team analyst
    com      Committee member

    2 = 200   L = 302 to the login page   R = 302 elsewhere   B = 400   F = 403   4 = 404
    M = 405   C = 409 (a stale draft revision)   - = not checked (say why in a comment)

A key "name#variant" is one more case for the same URL (another object, a bad argument).

`post="..."` adds the answers to an empty POST, same notation; use "-" for a role whose POST
would act (the matrix checks who is refused, not what the action does).

Keyword arguments fill the URL: a token names an object of the world (tests/security/world.py):
report, draft (the open draft version's pk), version (the submitted version's pk), v1 / v2
(version numbers), attachment (of the submitted version), draft_attachment, cycle, iso3,
measure, job; "=text" is a literal. The matrix also replays every object URL with State B's
objects for focal_a and sig_a, and expects what focal_b got on State A's: another State's
object answers like a missing one.
"""

from __future__ import annotations

from dataclasses import dataclass, field

ROLES = ("anon", "focal_a", "sig_a", "focal_b", "sec", "mon", "com")
CODES = {"2": 200, "L": "login", "R": "redirect", "B": 400, "F": 403, "4": 404, "M": 405, "C": 409, "-": None}


@dataclass(frozen=True)
class R:
    get: str
    post: str | None = None
    kwargs: dict[str, str] = field(default_factory=dict)

    def __init__(self, get: str, post: str | None = None, **kwargs: str) -> None:
        for notation in (get, post):
            if notation is not None:
                codes = notation.split()
                if len(codes) != len(ROLES) or any(c not in CODES for c in codes):
                    raise ValueError(f"Bad access notation {notation!r}: {len(ROLES)} of {''.join(CODES)}")
        object.__setattr__(self, "get", get)
        object.__setattr__(self, "post", post)
        object.__setattr__(self, "kwargs", kwargs)

    def expected(self, method: str = "get") -> dict[str, object]:
        notation = self.get if method == "get" else self.post
        assert notation is not None
        return {role: CODES[code] for role, code in zip(ROLES, notation.split(), strict=True)}


# Pages any visitor may open, signed in or not.
PUBLIC = "2 2 2 2 2 2 2"
# allauth's pages for a signed-in user, which redirect a visitor to the login page.
SIGNED_IN = "L 2 2 2 2 2 2"
# Django admin: none of the personas is staff; the admin sends them to the (allauth) login.
ADMIN = "L L L L L L L"

ACCESS: dict[str, R] = {
    # --- shared -------------------------------------------------------------------------------
    "home": R("L R R R R R R"),  # each role is sent to its landing page
    "healthz": R(PUBLIC, post="M M M M M M M"),
    "readyz": R(PUBLIC, post="M M M M M M M"),
    "metrics": R("4 4 4 4 2 2 4", post="4 4 4 4 M M 4"),  # back office, or a scraper's bearer token (tests/test_observability.py)
    "set_language": R("R R R R R R R", post="R R R R R R R"),  # back to where the visitor was
    # --- allauth (accounts are issued, never signed up for) ------------------------------------
    "account_login": R("2 R R R R R R"),  # a signed-in user is sent home
    "account_logout": R(SIGNED_IN),  # GET shows the confirmation; POST is the journeys' business
    "account_inactive": R(PUBLIC),
    "account_signup": R("2 R R R R R R", post="2 R R R R R R"),  # "sign-up is closed" page
    "account_reauthenticate": R(SIGNED_IN),
    "account_email": R(SIGNED_IN),
    "account_email_verification_sent": R(PUBLIC),
    "account_change_password": R(SIGNED_IN),
    "account_set_password": R("L R R R R R R"),  # they have a password: sent to "change"
    "account_reset_password": R(PUBLIC),
    "account_confirm_login_code": R("L R R R R R R"),  # login by code is off
    "account_confirm_email": R(PUBLIC, key="=abc"),  # an unknown key: allauth's "invalid link" page
    "account_reset_password_from_key_done": R(PUBLIC),
    "account_reset_password_from_key": R(PUBLIC, uidb36="=1", key="=abc-def"),  # "bad token" page
    "account_reset_password_done": R(PUBLIC),
    "mfa_index": R(SIGNED_IN),
    "mfa_authenticate": R("L R R R R R R"),  # only in the middle of a login
    "mfa_reauthenticate": R("L R 2 R 2 2 R"),  # with an authenticator: the code form
    "mfa_activate_totp": R("L R R R R R R"),  # re-authenticate first; who has TOTP: to "deactivate"
    "mfa_deactivate_totp": R("L 4 R 4 R R 4"),  # nothing to deactivate: 404
    "mfa_view_recovery_codes": R("L 4 4 4 4 4 4"),  # the personas have no recovery codes
    "mfa_generate_recovery_codes": R("L R R R R R R"),
    "mfa_download_recovery_codes": R("L 4 4 4 4 4 4"),
    "usersessions_list": R(SIGNED_IN),
    # --- admin: none of the personas is staff (tests/security/test_mfa.py covers the admin login)
    "admin:login": R("L F F F F F F", post="L F F F F F F"),  # signed in, not staff: refused
    "admin:logout": R("R R R R R R R"),
    "admin:*": R(ADMIN, object_id="=1", id="=1", content_type_id="=1", app_label="=reports", url="=x/"),
    # --- delegation ---------------------------------------------------------------------------
    "delegation:dashboard": R("L 2 2 2 4 4 4"),
    # Suggestions of Sanctions List entries for the editor's party fields (GET only).
    "delegation:sanctions_suggest": R("L 2 2 2 4 4 4", post="L M M M 4 4 4"),
    "delegation:start": R("M M M M M M M", post="L - - - 4 4 4", cycle_id="cycle"),
    "delegation:event_new": R("M M M M M M M", post="L B B B 4 4 4"),
    "delegation:report": R("L 2 2 4 4 4 4", pk="report"),
    "delegation:edit": R("L R R 4 4 4 4", pk="report"),
    "delegation:review": R("L 2 2 4 4 4 4", post="L F B 4 4 4 4", pk="report"),
    "delegation:addendum": R("M M M M M M M", post="L 4 - 4 4 4 4", pk="report"),
    "delegation:history": R("L 2 2 4 4 4 4", pk="report"),
    "delegation:version": R("L 2 2 4 4 4 4", pk="report", number="v1"),
    "delegation:version#draft": R("L R R 4 4 4 4", pk="report", number="v2"),  # the draft: to its editor
    "delegation:receipt": R("L 2 2 4 4 4 4", pk="report", number="v1"),
    "delegation:attachment_upload": R("M M M M M M M", post="L B B 4 4 4 4", pk="draft"),
    "delegation:attachment_remove": R("M M M M M M M", post="L - - 4 4 4 4", pk="draft", attachment_pk="draft_attachment"),
    # An empty POST by the State itself is a stale save (409) or a no-op (302): not an access question.
    "delegation:editor": R("L 2 2 4 4 4 4", post="L - - 4 4 4 4", pk="draft", section="=checklist"),
    "delegation:editor#frozen": R("L R R 4 4 4 4", pk="version", section="=checklist"),  # to the report
    # The back office reads a submitted version's attachments; nobody outside the State a draft's.
    "delegation:attachment_download": R("L 2 2 4 2 2 4", pk="attachment"),
    "delegation:attachment_download#draft": R("L 2 2 4 4 4 4", pk="draft_attachment"),
    # --- secretariat (the back office: Secretariat and Monitoring Team) ----------------------
    "secretariat:dashboard": R("L 4 4 4 2 2 4"),
    "secretariat:status": R("L 4 4 4 2 2 4", cycle_id="cycle"),
    "secretariat:matrix": R("L 4 4 4 2 2 4", cycle_id="cycle"),
    "secretariat:register": R("L 4 4 4 2 2 4", cycle_id="cycle"),
    "secretariat:register_section": R("L 4 4 4 2 2 4", cycle_id="cycle", section="=gaps"),
    "secretariat:register_section#bad": R("L 4 4 4 4 4 4", cycle_id="cycle", section="=nothing"),
    "secretariat:parties": R("L 4 4 4 2 2 4"),
    "secretariat:followup": R("M M M M M M M", post="L 4 4 4 - 4 4"),
    "secretariat:sanctions_list": R("L 4 4 4 2 2 4"),
    "secretariat:sanctions_snapshots": R("L 4 4 4 2 2 4"),
    # The Secretariat alone imports a list; an empty POST is its form's error (400), nothing imported.
    "secretariat:sanctions_upload": R("L 4 4 4 2 4 4", post="L 4 4 4 B 4 4"),
    # The security world imports no list: every role gets 404 (tests/sanctions test the entry page).
    "secretariat:sanctions_entry": R("L 4 4 4 4 4 4", reference="=QDi.901"),
    "secretariat:screening": R("L 4 4 4 2 2 4"),
    # An empty POST: the Monitoring Team's form is refused (back to the page with the reason).
    "secretariat:screening_decide": R("M M M M M M M", post="L 4 4 4 4 R 4"),
    # The security world imports no list: the re-screen answers with a message, back to the page.
    "secretariat:screening_rerun": R("M M M M M M M", post="L 4 4 4 R R 4"),
    "secretariat:reports": R("L 4 4 4 2 2 4"),
    "secretariat:report": R("L 4 4 4 2 2 4", pk="report"),
    "secretariat:report#unsubmitted": R("L 4 4 4 4 4 4", pk="unsubmitted_report"),
    "secretariat:report#garbage": R("L 4 4 4 4 4 4", pk="=1%20OR%201=1"),
    "secretariat:assess": R("M M M M M M M", post="L 4 4 4 - 4 4", pk="report"),
    "secretariat:cell": R("L 4 4 4 2 2 4", pk="report", measure_id="measure"),
    "secretariat:report_action": R("M M M M M M M", post="L 4 4 4 - 4 4", pk="report", action="=start"),
    "secretariat:state": R("L 4 4 4 2 2 4", iso3="iso3"),
    "secretariat:remind": R("M M M M M M M", post="L 4 4 4 - 4 4", iso3="iso3"),
    # --- monitoring: Council documents (summaries are for the Committee too) ------------------
    "monitoring:jobs": R("L 4 4 4 2 2 4"),
    "monitoring:job_create": R("M M M M M M M", post="L 4 4 4 B B 4"),
    "monitoring:jobs_table": R("L 4 4 4 2 2 4"),
    "monitoring:job_detail": R("L 4 4 4 2 2 4", pk="job"),
    "monitoring:job_progress": R("L 4 4 4 2 2 4", pk="job"),
    "monitoring:job_download": R("L 4 4 4 2 2 4", pk="job"),
    "monitoring:batch_detail": R("L 4 4 4 2 2 4", batch="batch"),
    "monitoring:batch_progress": R("L 4 4 4 2 2 4", batch="batch"),
    "monitoring:summaries": R("L 4 4 4 2 2 2"),
    # --- committee: Council members' experts read accepted reports (read only) ----------------
    # The world's reports are submitted, not accepted: the Committee does not see them (404);
    # tests/views/test_committee.py covers an accepted one (200) and per-section restrictions.
    "committee:reports": R("L 4 4 4 4 4 2", post="L 4 4 4 4 4 M"),
    "committee:report": R("L 4 4 4 4 4 4", post="L 4 4 4 4 4 M", pk="report"),
    "committee:report#unsubmitted": R("L 4 4 4 4 4 4", pk="unsubmitted_report"),
    # --- security -----------------------------------------------------------------------------
    "security:account": R(SIGNED_IN, post="M M M M M M M"),
    "security:audit": R("L 4 4 4 2 4 4", post="M M M M M M M"),
}
