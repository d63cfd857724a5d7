"""Demo parties written the way States write them, resembling entries of the made-up Sanctions List.

Without them the demo's screening finds only the two listed entities that reports name with their
reference, and the Monitoring Team's review page has nothing to decide. A few demo reports name,
in interdiction and seizure rows, people who resemble invented individuals of
consolidated-demo-1.xml (docs/screening.md says how the matcher scores them):

- "Abdulrahman Al Enezi" (JOR, 2199 report of 2015): another transliteration of QDi.901, reported
  before the entry was listed (29 September 2015), so it shows as "listed after it was reported";
- "عبد الرحمن العنزي" (IRQ, 2253 report of 2016): QDi.901 in Arabic script;
- "Hamid Yousef al-Madbouli" (IRQ, same row): close to QDi.903 but not the same spelling (about
  93), also reported before its listing (20 April 2016);
- "Tariq Samir" (FRA, Committee update 2025): part of QDi.902's name;
- "Надир Казимов" (RUS, same cycle): QDi.905 in Cyrillic, with another surname ending (about 89);
- "Salim Farid al-Amiri" (USA, same cycle): a near miss, same given names as QDi.906 but another
  family (about 79), so it stays below SCREENING_THRESHOLD (85) and is never a candidate.

Deterministic and apart from the demo's random choices: a fixed table read by (cycle, State),
drawing nothing from the per-(cycle, State) generators. The rows go into the demo's own draft
just before it is frozen, as a State's rows would, so the submitted version's content and
SHA-256 include them; the demo never creates a report twice, and this step adds nothing to a
version that already names these parties.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Max

from reports.models import (
    Commodity,
    CulturalSeizure,
    Direction,
    MemberState,
    OilInterdiction,
    PartyMention,
    PlaceKind,
    Provenance,
    QuantityUnit,
    ReportingCycle,
    ReportVersion,
)

from .parties import party_mentions


@dataclass(frozen=True)
class Lookalike:
    """One register row naming `parties` (one a line, as a State types them)."""

    parties: tuple[str, ...]
    date: datetime.date
    # an oil interdiction (the reporting State's own border crossing, cargo to or from `other`) ...
    place: str = ""
    direction: str = ""
    other: str = ""
    commodity: str = ""
    quantity: int = 0
    unit: str = ""
    value: int = 0
    proceedings: str = ""
    # ... or a cultural property seizure
    description: str = ""
    provenance: str = ""
    count: int = 0

    @property
    def is_oil(self) -> bool:
        return bool(self.place)


DEMO_LOOKALIKES: dict[tuple[str, str], list[Lookalike]] = {
    ("2199-implementation-2015", "JOR"): [
        Lookalike(
            parties=("Abdulrahman Al Enezi",),
            date=datetime.date(2015, 1, 24),
            place="Jaber border crossing",
            direction=Direction.FROM_ISIL,
            other="SYR",
            commodity=Commodity.CRUDE,
            quantity=1800,
            unit=QuantityUnit.BARRELS,
            value=63_000,
            proceedings="Cargo seized; the driver detained and charged.",
        )
    ],
    ("2253-implementation-2016", "IRQ"): [
        Lookalike(
            parties=("عبد الرحمن العنزي", "Hamid Yousef al-Madbouli"),
            date=datetime.date(2015, 12, 2),
            place="Ibrahim Khalil border crossing",
            direction=Direction.FROM_ISIL,
            other="SYR",
            commodity=Commodity.REFINED,
            quantity=40,
            unit=QuantityUnit.TONNES,
            value=28_000,
            proceedings="Tanker seized; both men charged under the anti-terrorism law.",
        )
    ],
    ("committee-update-2025", "FRA"): [
        Lookalike(
            parties=("Tariq Samir",),
            date=datetime.date(2025, 3, 18),
            description="Cuneiform tablets and cylinder seals declared as garden ornaments, seized at Roissy-Charles de Gaulle airport.",
            provenance=Provenance.IRAQ,
            count=23,
        )
    ],
    ("committee-update-2025", "RUS"): [
        Lookalike(
            parties=("Надир Казимов",),
            date=datetime.date(2025, 4, 7),
            description="Bronze coins and a mosaic fragment offered for sale online, seized in Moscow.",
            provenance=Provenance.SYRIA,
            count=41,
        )
    ],
    ("committee-update-2025", "USA"): [
        Lookalike(
            parties=("Salim Farid al-Amiri",),
            date=datetime.date(2025, 2, 26),
            description="Limestone funerary reliefs imported through the Port of Newark with false export papers.",
            provenance=Provenance.SYRIA,
            count=3,
        )
    ],
}


def demo_lookalikes_add(
    *, version: ReportVersion, cycle: ReportingCycle, state: MemberState, by_iso3: dict[str, MemberState]
) -> int:
    """Write the table's rows for (cycle, State) into `version`, a draft about to be submitted;
    the number of parties named (0 when the table has none or the version names them already)."""
    rows = DEMO_LOOKALIKES.get((cycle.code, state.iso3), [])
    names = [name for row in rows for name in row.parties]
    if not names or PartyMention.objects.filter(version=version, name__in=names).exists():
        return 0
    named = 0
    for row in rows:
        model = OilInterdiction if row.is_oil else CulturalSeizure
        top = model.objects.filter(version=version).aggregate(top=Max("position"))["top"]
        position = 0 if top is None else top + 1
        parties = "\n".join(row.parties)
        obj: OilInterdiction | CulturalSeizure
        if row.is_oil:
            other = by_iso3[row.other]
            # bound for ISIL or ANF: from here to there; coming from them: from there to here
            origin, destination = (state, other) if row.direction == Direction.TO_ISIL else (other, state)
            obj = OilInterdiction.objects.create(
                version=version, position=position, date=row.date, place=row.place, place_kind=PlaceKind.BORDER,
                commodity=row.commodity, quantity=Decimal(row.quantity), unit=row.unit, value=Decimal(row.value),
                currency="USD", direction=row.direction, origin=origin, destination=destination, parties=parties,
                proceedings=row.proceedings,
            )  # fmt: skip
        else:
            obj = CulturalSeizure.objects.create(
                version=version, position=position, date=row.date, description=row.description,
                provenance=row.provenance, count=row.count, parties=parties,
            )  # fmt: skip
        # The mentions come from the row's text, as the register editor derives them.
        mentions = PartyMention.objects.bulk_create(party_mentions(version=version, row=obj))
        named += len(mentions)
    return named
