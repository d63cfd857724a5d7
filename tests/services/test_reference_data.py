from collections import Counter

from reports.models import Measure, MeasureArea, MemberState, Obligation, RegionalGroup, Resolution
from reports.services.reference_data import reference_data_load


def test_all_193_member_states_are_loaded(reference):
    assert MemberState.objects.count() == 193
    assert MemberState.objects.values("iso3").distinct().count() == 193


def test_five_regional_groups_and_kiribati_in_none(reference):
    groups = Counter(MemberState.objects.values_list("regional_group", flat=True))
    assert set(groups) - {RegionalGroup.NONE} == {"AFRICAN", "APAC", "EEG", "GRULAC", "WEOG"}
    assert groups == {"AFRICAN": 54, "APAC": 53, "EEG": 23, "GRULAC": 33, "WEOG": 29, "NONE": 1}
    assert MemberState.objects.get(regional_group=RegionalGroup.NONE).iso3 == "KIR"
    usa = MemberState.objects.get(iso3="USA")
    assert usa.regional_group == RegionalGroup.WEOG and usa.group_observer


def test_every_state_is_named_in_the_six_languages(reference):
    for names in MemberState.objects.values_list("names", flat=True):
        assert {"ar", "zh", "en", "fr", "ru", "es"} <= {k for k, v in names.items() if v}


def test_resolutions_and_obligations(reference):
    assert set(Resolution.objects.values_list("number", flat=True)) == {1373, 2199, 2253, 2368, 2610, 2734}
    kinds = set(Obligation.objects.values_list("kind", flat=True))
    assert {"event", "one_off", "recurring"} <= kinds
    oil = Obligation.objects.get(code="2199-oil-interdiction")
    assert oil.kind == "event" and oil.due_days == 30


def test_measure_catalogue_covers_every_area(reference):
    assert Measure.objects.count() >= 25
    assert set(Measure.objects.values_list("area", flat=True)) >= {
        MeasureArea.OIL,
        MeasureArea.FINANCE,
        MeasureArea.CULTURAL,
        MeasureArea.RANSOM,
        MeasureArea.TRAVEL,
        MeasureArea.ARMS,
    }


def test_loading_twice_changes_nothing(reference):
    before = (MemberState.objects.count(), Measure.objects.count(), Obligation.objects.count())
    reference_data_load()
    assert (MemberState.objects.count(), Measure.objects.count(), Obligation.objects.count()) == before


def test_a_corrected_label_is_a_data_change(reference):
    MemberState.objects.filter(iso3="FRA").update(name="changed by hand")
    reference_data_load()
    assert MemberState.objects.get(iso3="FRA").name == "France"


def test_an_existing_database_gets_the_new_translations_on_the_next_load(reference):
    # A database loaded before the guidance was translated: English and French only, and a
    # measure the Secretariat retired by hand (not a fixture field, so the load leaves it alone).
    measure = Measure.objects.get(code="R68-FIN-01")
    Measure.objects.filter(pk=measure.pk).update(
        guidance={"en": measure.guidance["en"], "fr": measure.guidance["fr"]}, active=False
    )
    Obligation.objects.filter(code="2199-oil-interdiction").update(title={"en": "old"}, description={})
    Resolution.objects.filter(number=2253).update(summary={"en": "old"})

    reference_data_load()

    measure.refresh_from_db()
    assert measure.guidance["ru"].startswith("Укажите закон и статью") and measure.guidance["ar"] and measure.guidance["zh"]
    assert measure.active is False
    oil = Obligation.objects.get(code="2199-oil-interdiction")
    assert oil.title["es"].startswith("Notificación") and oil.description["zh"]
    assert oil.due_days == 30 and oil.paragraph == "OP 12" and oil.paragraph_confirmed is False
    assert Resolution.objects.get(number=2253).summary["ru"].startswith("Распространяет")


def test_loading_twice_leaves_every_label_as_it_was(reference):
    def labels() -> list[object]:
        return [
            list(Measure.objects.order_by("code").values_list("code", "title", "guidance")),
            list(Obligation.objects.order_by("code").values_list("code", "title", "description")),
            list(Resolution.objects.order_by("number").values_list("number", "title", "summary")),
        ]

    reference_data_load()
    before = labels()
    reference_data_load()
    assert labels() == before
