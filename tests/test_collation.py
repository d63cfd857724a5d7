"""State names in the UN order (Unicode Collation Algorithm), not byte order."""

from django.db import connection
from pyuca import Collator

from reports.collation import collation_key
from reports.models import MemberState


def test_accented_names_sort_with_their_letter():
    names = ["Czechia", "Cuba", "Côte d'Ivoire", "Croatia", "Tuvalu", "Turkmenistan", "Türkiye"]
    assert sorted(names, key=collation_key) == [
        "Côte d'Ivoire",
        "Croatia",
        "Cuba",
        "Czechia",
        "Türkiye",
        "Turkmenistan",
        "Tuvalu",
    ]
    assert sorted(names) != sorted(names, key=collation_key), "byte order differs: the test can fail"


def test_states_in_the_database_are_in_the_uca_order(reference):
    collator = Collator()  # an independent oracle: pyuca's own key, sorted in Python
    expected = sorted(MemberState.objects.values_list("name", flat=True), key=collator.sort_key)
    with connection.cursor() as cursor:  # PostgreSQL's own ordering of the stored key
        cursor.execute("SELECT name FROM reports_memberstate ORDER BY sort_key")
        assert [row[0] for row in cursor.fetchall()] == expected
    assert list(MemberState.objects.values_list("name", flat=True)) == expected  # Meta.ordering
    assert len(expected) == 193
    names = expected
    assert names.index("Côte d'Ivoire") < names.index("Croatia") < names.index("Czechia")
    assert names.index("Türkiye") < names.index("Turkmenistan") < names.index("Tuvalu")


def test_renaming_a_state_recomputes_its_key(reference):
    state = MemberState.objects.get(iso3="TUR")
    state.name = "Aaaa"
    state.save(update_fields=["name"])
    assert MemberState.objects.first() == state
