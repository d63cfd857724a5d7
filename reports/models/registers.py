"""Registers of events: typed, summable rows that belong to one report version."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .reference import MemberState
from .reports import ReportVersion

# QDi.123 names an individual on the ISIL (Da'esh) & Al-Qaida Sanctions List, QDe.115 an entity.
LIST_REF_PATTERN = r"^QD[ie]\.[0-9]{1,4}$"
LIST_REF_OK = Q(list_ref="") | Q(list_ref__regex=LIST_REF_PATTERN)

# The currencies States report in most often; the list is data a later change may extend.
CURRENCIES = [
    "USD", "EUR", "GBP", "CHF", "JPY", "CNY", "RUB", "TRY", "IQD", "SYP", "JOD", "LBP", "SAR", "AED",
    "QAR", "KWD", "EGP", "IRR", "INR", "PKR", "NGN", "KES", "ZAR", "CAD", "AUD", "BRL", "MXN",
]  # fmt: skip
CURRENCY_CHOICES = [(code, code) for code in CURRENCIES]


class Commodity(models.TextChoices):
    CRUDE = "crude", _("Crude oil")
    REFINED = "refined", _("Refined oil products")
    MODULAR_REFINERY = "modular_refinery", _("Modular refinery")
    RELATED = "related", _("Related material")


class QuantityUnit(models.TextChoices):
    BARRELS = "barrels", _("barrels")
    TONNES = "tonnes", _("tonnes")
    LITRES = "litres", _("litres")
    UNITS = "units", _("units")


class Direction(models.TextChoices):
    TO_ISIL = "to", _("To ISIL or ANF")
    FROM_ISIL = "from", _("From ISIL or ANF")


class PlaceKind(models.TextChoices):
    PORT = "port", _("Port")
    BORDER = "border", _("Border crossing")
    OTHER = "other", _("Other")


class RegisterRow(models.Model):
    version = models.ForeignKey(ReportVersion, on_delete=models.CASCADE, related_name="%(class)s_rows")
    position = models.PositiveIntegerField(_("row"), default=0)

    class Meta:
        abstract = True
        ordering = ["position", "id"]


class OilInterdiction(RegisterRow):
    date = models.DateField(_("date of interdiction"))
    place = models.CharField(_("place"), max_length=200)
    place_kind = models.CharField(_("kind of place"), max_length=8, choices=PlaceKind.choices, default=PlaceKind.BORDER)
    commodity = models.CharField(_("commodity"), max_length=20, choices=Commodity.choices)
    quantity = models.DecimalField(_("quantity"), max_digits=16, decimal_places=3)
    unit = models.CharField(_("unit"), max_length=8, choices=QuantityUnit.choices)
    value = models.DecimalField(_("estimated value"), max_digits=18, decimal_places=2, null=True, blank=True)
    currency = models.CharField(_("currency"), max_length=3, choices=CURRENCY_CHOICES, blank=True)
    direction = models.CharField(_("direction"), max_length=4, choices=Direction.choices)
    origin = models.ForeignKey(
        MemberState, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("country of origin")
    )
    # The route's order is the through-table's `position`: read it with `transit_route`, not
    # `transit.all()` (a many-to-many manager orders by MemberState, not by the route).
    transit = models.ManyToManyField(
        MemberState, through="OilInterdictionTransit", blank=True, related_name="+", verbose_name=_("countries of transit")
    )
    destination = models.ForeignKey(
        MemberState, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("country of destination")
    )
    parties = models.TextField(_("parties involved"), max_length=5000, blank=True)
    proceedings = models.TextField(_("proceedings"), max_length=5000, blank=True)
    outcome = models.TextField(_("outcome of proceedings"), max_length=5000, blank=True)

    class Meta(RegisterRow.Meta):
        verbose_name = _("oil interdiction")
        verbose_name_plural = _("oil interdictions")
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=0), name="oil_quantity_not_negative"),
            models.CheckConstraint(condition=Q(value__isnull=True) | Q(value__gte=0), name="oil_value_not_negative"),
            models.CheckConstraint(condition=Q(value__isnull=True) | ~Q(currency=""), name="oil_value_has_currency"),
        ]

    @property
    def transit_route(self) -> list[MemberState]:
        """The countries of transit in the order the State gave them (prefetch TRANSIT_PREFETCH)."""
        return [stop.memberstate for stop in self.transit_stops.all()]

    @property
    def route_text(self) -> str:
        """Origin → transit, in order → destination, as ISO codes ("?" where not known)."""
        stops = [self.origin.iso3 if self.origin else "?", *(s.iso3 for s in self.transit_route)]
        return " → ".join([*stops, self.destination.iso3 if self.destination else "?"])

    def transit_route_set(self, states: list[MemberState] | list[int]) -> None:
        """Replace the route: the countries of transit, in this order."""
        ids = [s if isinstance(s, int) else s.pk for s in states]
        self.transit_stops.all().delete()
        OilInterdictionTransit.objects.bulk_create(
            OilInterdictionTransit(oilinterdiction=self, memberstate_id=state_id, position=position)
            for position, state_id in enumerate(ids)
        )
        self.__dict__.pop("_prefetched_objects_cache", None)  # a prefetched route is stale now


class OilInterdictionTransit(models.Model):
    """One country of transit of an interdiction, at its place on the route (0 = first after origin).

    The table is the one Django made for the former unordered many-to-many (same name and
    columns); migration 0009 added `position`, numbering the existing rows by id (insertion order).
    """

    oilinterdiction = models.ForeignKey(OilInterdiction, on_delete=models.CASCADE, related_name="transit_stops")
    memberstate = models.ForeignKey(MemberState, on_delete=models.CASCADE, related_name="+")
    position = models.PositiveSmallIntegerField(_("position on the route"))

    class Meta:
        db_table = "reports_oilinterdiction_transit"
        ordering = ["position"]
        verbose_name = _("country of transit")
        verbose_name_plural = _("countries of transit")
        unique_together = [("oilinterdiction", "memberstate")]
        constraints = [
            models.UniqueConstraint(fields=["oilinterdiction", "position"], name="oil_transit_position_unique"),
        ]


# Prefetch this on OilInterdiction rows that show their route (`transit_route`).
TRANSIT_PREFETCH = "transit_stops__memberstate"


class AssetType(models.TextChoices):
    BANK_ACCOUNT = "bank_account", _("Bank account")
    SECURITIES = "securities", _("Securities")
    REAL_ESTATE = "real_estate", _("Real estate")
    VEHICLE = "vehicle", _("Vehicles, vessels or aircraft")
    OIL = "oil", _("Oil, refineries or related material")
    OTHER = "other", _("Other economic resources")


class InstitutionKind(models.TextChoices):
    BANK = "bank", _("Bank")
    MVTS = "mvts", _("Money or value transfer service")
    SECURITIES = "securities", _("Securities firm")
    INSURANCE = "insurance", _("Insurer")
    OTHER = "other", _("Other")


class FrozenAsset(RegisterRow):
    listed_party = models.CharField(_("listed party"), max_length=300)
    list_ref = models.CharField(_("Sanctions List reference"), max_length=10, blank=True)
    asset_type = models.CharField(_("asset type"), max_length=16, choices=AssetType.choices)
    amount = models.DecimalField(_("amount"), max_digits=18, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3, choices=CURRENCY_CHOICES)
    date_frozen = models.DateField(_("date frozen"))
    institution_kind = models.CharField(_("kind of institution"), max_length=12, choices=InstitutionKind.choices)

    class Meta(RegisterRow.Meta):
        verbose_name = _("frozen asset")
        verbose_name_plural = _("frozen assets")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="asset_amount_not_negative"),
            models.CheckConstraint(condition=LIST_REF_OK, name="asset_list_ref_format"),
        ]


class Provenance(models.TextChoices):
    IRAQ = "iraq", _("Iraq")
    SYRIA = "syria", _("Syrian Arab Republic")
    UNKNOWN = "unknown", _("Unknown")


class CulturalSeizure(RegisterRow):
    date = models.DateField(_("date of seizure"))
    description = models.TextField(_("description"), max_length=5000)
    provenance = models.CharField(_("provenance"), max_length=8, choices=Provenance.choices)
    count = models.PositiveIntegerField(_("number of items"))
    returned = models.BooleanField(_("returned"), default=False)
    parties = models.TextField(_("parties involved"), max_length=5000, blank=True)

    class Meta(RegisterRow.Meta):
        verbose_name = _("cultural property seizure")
        verbose_name_plural = _("cultural property seizures")
        constraints = [models.CheckConstraint(condition=Q(count__gte=0), name="cultural_count_not_negative")]


class CaseKind(models.TextChoices):
    RANSOM = "ransom", _("Ransom payment")
    DONATION = "donation", _("Donation")


class RansomCase(RegisterRow):
    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=10, choices=CaseKind.choices)
    description = models.TextField(_("description"), max_length=5000)
    amount = models.DecimalField(_("amount"), max_digits=18, decimal_places=2, null=True, blank=True)
    currency = models.CharField(_("currency"), max_length=3, choices=CURRENCY_CHOICES, blank=True)
    prevented = models.BooleanField(_("payment prevented"), default=False)
    list_ref = models.CharField(_("Sanctions List reference"), max_length=10, blank=True)

    class Meta(RegisterRow.Meta):
        verbose_name = _("ransom or donation case")
        verbose_name_plural = _("ransom and donation cases")
        constraints = [
            models.CheckConstraint(condition=Q(amount__isnull=True) | Q(amount__gte=0), name="ransom_amount_not_negative"),
            models.CheckConstraint(condition=LIST_REF_OK, name="ransom_list_ref_format"),
        ]


class SuspiciousTransactionCount(RegisterRow):
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    count = models.PositiveIntegerField(_("reports to the financial intelligence unit"))

    class Meta(RegisterRow.Meta):
        verbose_name = _("suspicious-transaction count")
        verbose_name_plural = _("suspicious-transaction counts")
        constraints = [
            models.CheckConstraint(condition=Q(count__gte=0), name="str_count_not_negative"),
            models.CheckConstraint(condition=Q(period_end__gte=models.F("period_start")), name="str_period_ordered"),
        ]


class PartyMention(models.Model):
    """A party that a register row names as trading with ISIL: what the named-party register sums."""

    version = models.ForeignKey(ReportVersion, on_delete=models.CASCADE, related_name="party_mentions")
    interdiction = models.ForeignKey(OilInterdiction, on_delete=models.CASCADE, null=True, blank=True, related_name="mentions")
    seizure = models.ForeignKey(CulturalSeizure, on_delete=models.CASCADE, null=True, blank=True, related_name="mentions")
    name = models.CharField(_("name"), max_length=300)
    normalized_name = models.CharField(_("normalised name"), max_length=300, db_index=True)
    list_ref = models.CharField(_("Sanctions List reference"), max_length=10, blank=True, db_index=True)

    class Meta:
        ordering = ["normalized_name"]
        verbose_name = _("named party")
        verbose_name_plural = _("named parties")
        constraints = [
            models.CheckConstraint(condition=LIST_REF_OK, name="mention_list_ref_format"),
            models.CheckConstraint(
                condition=Q(interdiction__isnull=False) | Q(seizure__isnull=False), name="mention_belongs_to_a_row"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.list_ref}".strip()
