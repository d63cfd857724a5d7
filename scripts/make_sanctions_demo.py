"""Writes the two made-up Sanctions List files in the Council's Consolidated List schema.

Every name, date and document here is INVENTED for tests and the demo; this is not the real
list. Two entity names (QDe.115, QDe.137) are the ones the domain brief and the demo already use.
Run: python scripts/make_sanctions_demo.py  (rewrites reports/fixtures/sanctions/*.xml)
"""

from __future__ import annotations

import copy
from pathlib import Path
from xml.sax.saxutils import escape

OUT = Path(__file__).resolve().parent.parent / "reports" / "fixtures" / "sanctions"

# (reference, dataid, names (up to 4), original script, nationality, listed_on, aliases [(quality, "a; b")], dob, pob, document)
INDIVIDUALS = [
    (
        "QDi.901",
        "9100901",
        ["ABD AL-RAHMAN", "KHALAF", "UBAYD JUDAY", "AL-ANIZI"],
        "عبد الرحمن خلف عبيد جدي العنزي",
        "Zemblaland",
        "2015-09-29",
        [("Good", "Abu Ubayd al-Zemblawi"), ("Low", "Abu Dhuha; Abdulrahman al Anezi")],
        "1968",
        "Qasr al-Rimal, Zemblaland",
        ("Passport", "ZP0000001"),
    ),
    (
        "QDi.902",
        "9100902",
        ["TARIQ", "BIN", "SAMIR", "AL-FICTIONI"],
        "طارق بن سمير الفكتيوني",
        "Ruritania",
        "2014-10-02",
        [("Good", "Tariq al-Fictioni"), ("Low", "Abu Samir")],
        "1975-03-14",
        "Strelsau, Ruritania",
        None,
    ),
    (
        "QDi.903",
        "9100903",
        ["HAMID", "YUSUF", "AL-MADEUPI"],
        "حامد يوسف المديبي",
        "Zemblaland",
        "2016-04-20",
        [("Good", "Hamid Yousef Madeupi"), ("Low", "Abu Yusuf; Hamid the Courier; Al-Madaybi")],
        "1980",
        "Onhava, Zemblaland",
        ("National identification card", "ZN-3345"),
    ),
    (
        "QDi.904",
        "9100904",
        ["OMAR", "KHALID", "AL-INVENTI"],
        "عمر خالد الإنفنتي",
        "Freedonia",
        "2017-01-11",
        [("a.k.a.", "Umar Khalid Inventi"), ("Low", "Abu Khalid al-Freedoni")],
        "1983-07-01",
        "Freedonia City, Freedonia",
        None,
    ),
    (
        "QDi.905",
        "9100905",
        ["NADIR", "ISMAIL", "QASIMOV"],
        "Надир Исмаил Касимов",
        "Borduria",
        "2015-02-05",
        [("Good", "Nadir Kasimov"), ("Low", "Abu Ismail al-Bordurani")],
        "1979",
        "Szohod, Borduria",
        ("Passport", "BD1122334"),
    ),
    (
        "QDi.906",
        "9100906",
        ["SALIM", "FARID", "AL-IMAGINARI"],
        "سالم فريد الإماجيناري",
        "Ruritania",
        "2018-06-30",
        [("Low", "Abu Farid; Salem Imaginari")],
        "1990-12-24",
        "Zenda, Ruritania",
        None,
    ),
    (
        "QDi.907",
        "9100907",
        ["MUSTAFA", "ADNAN", "AL-SYLDAVI"],
        "مصطفى عدنان السلدافي",
        "Syldavia",
        "2014-09-23",
        [("Good", "Mustapha Syldavi"), ("f.k.a.", "Mustafa Adnan Klow")],
        "1972",
        "Klow, Syldavia",
        ("Passport", "SY0099887"),
    ),
    (
        "QDi.908",
        "9100908",
        ["YASIN", "ABU", "BAKR", "AL-NOWHERI"],
        "ياسين أبو بكر النوهيري",
        "Zemblaland",
        "2019-03-03",
        [("Low", "Abu Bakr al-Nowheri; Yassin Nowhery")],
        "1986",
        None,
        None,
    ),
    (
        "QDi.909",
        "9100909",
        ["KARIM", "IBN", "WALID", "AL-PRETENDI"],
        "كريم ابن وليد البريتندي",
        "Freedonia",
        "2015-11-17",
        [("Good", "Kareem Pretendi")],
        "1977-05-09",
        "Sylvania, Freedonia",
        None,
    ),
    (
        "QDi.910",
        "9100910",
        ["FAISAL", "MAHMUD", "AL-PLACEHOLDI"],
        "فيصل محمود البلاسهولدي",
        "Borduria",
        "2016-08-08",
        [("Low", "Abu Mahmud; Faysal Placeholdy")],
        "1984",
        "Szohod, Borduria",
        None,
    ),
    (
        "QDi.911",
        "9100911",
        ["IBRAHIM", "SAID", "EL-DUMMI"],
        "إبراهيم سعيد الدمي",
        "Syldavia",
        "2017-09-19",
        [("Good", "Ibrahim Said Dummy"), ("Low", "Abu Said al-Syldavi")],
        "1981-02-28",
        None,
        ("Passport", "SY5544332"),
    ),
    (
        "QDi.912",
        "9100912",
        ["ANWAR", "HASAN", "AL-SAMPLI"],
        "أنور حسن السامبلي",
        "Ruritania",
        "2020-02-14",
        [("a.k.a.", "Anwar Sampli")],
        "1992",
        "Strelsau, Ruritania",
        None,
    ),
    (
        "QDi.913",
        "9100913",
        ["JAMAL", "NASIR", "AL-TESTAWI"],
        "جمال ناصر التستاوي",
        "Zemblaland",
        "2014-12-01",
        [("Low", "Abu Nasir; Jamal Testawi; Al-Testawi")],
        "1970",
        None,
        None,
    ),
    (
        "QDi.914",
        "9100914",
        ["RASHID", "ZAYD", "AL-FABRICATI"],
        "رشيد زيد الفابريكاتي",
        "Freedonia",
        "2016-01-15",
        [("Good", "Rachid Fabricati")],
        "1985-10-10",
        "Freedonia City, Freedonia",
        None,
    ),
    (
        "QDi.915",
        "9100915",
        ["SERGEI", "PETROVICH", "VYMYSHLENNY"],
        "Сергей Петрович Вымышленный",
        "Borduria",
        "2015-06-22",
        [("Good", "Abu Sergei al-Bordurani"), ("Low", "Sergey Vymyshlenny")],
        "1978",
        "Szohod, Borduria",
        None,
    ),
    (
        "QDi.916",
        "9100916",
        ["ZIAD", "MURAD", "AL-NONEXISTI"],
        "زياد مراد النونكزستي",
        "Syldavia",
        "2018-11-11",
        [("Low", "Abu Murad")],
        "1989",
        None,
        None,
    ),
    (
        "QDi.917",
        "9100917",
        ["BILAL", "AHMAD", "AL-FAUXI"],
        "بلال أحمد الفوكسي",
        "Ruritania",
        "2013-05-30",
        [("Good", "Bilal Fauxi")],
        "1974",
        None,
        None,
    ),
]
# (reference, dataid, name, original script, listed_on, aliases, address country)
ENTITIES = [
    (
        "QDe.115",
        "9200115",
        "ISLAMIC STATE IN IRAQ AND THE LEVANT",
        "",
        "2004-10-18",
        [("a.k.a.", "ISIL; Islamic State"), ("a.k.a.", "Da'esh")],
        "",
    ),
    (
        "QDe.137",
        "9200137",
        "AL-NUSRAH FRONT FOR THE PEOPLE OF THE LEVANT",
        "",
        "2013-05-14",
        [("a.k.a.", "Al-Nusrah Front; Jabhat al-Nusrah")],
        "",
    ),
    (
        "QDe.901",
        "9200901",
        "CRESCENT DUNE EXCHANGE HOUSE",
        "دار الهلال والكثبان للصرافة",
        "2016-03-03",
        [("a.k.a.", "Crescent Dune Hawala; Hilal Dune Exchange"), ("f.k.a.", "Dune Money Transfer")],
        "Zemblaland",
    ),
    (
        "QDe.902",
        "9200902",
        "SAND RIVER PETROLEUM TRADING",
        "شركة نهر الرمال لتجارة النفط",
        "2015-12-12",
        [("a.k.a.", "Sand River Oil; SRPT")],
        "Ruritania",
    ),
    (
        "QDe.903",
        "9200903",
        "NORTHERN ORCHARD CHARITABLE SOCIETY",
        "جمعية البستان الشمالي الخيرية",
        "2017-07-07",
        [("Low", "Orchard Relief"), ("a.k.a.", "Northern Orchard Foundation")],
        "Freedonia",
    ),
    (
        "QDe.904",
        "9200904",
        "FALCON ROCK ANTIQUITIES",
        "الصقر الصخري للآثار",
        "2016-10-10",
        [("a.k.a.", "Falcon Rock Heritage Trading")],
        "Syldavia",
    ),
    (
        "QDe.905",
        "9200905",
        "GREEN CEDAR LOGISTICS",
        "",
        "2018-04-04",
        [("a.k.a.", "Green Cedar Shipping; GCL Freight")],
        "Borduria",
    ),
    (
        "QDe.906",
        "9200906",
        "BRIGADE OF THE IMAGINED DAWN",
        "كتيبة الفجر المتخيل",
        "2014-09-23",
        [("a.k.a.", "Imagined Dawn Brigade")],
        "Zemblaland",
    ),
    (
        "QDe.907",
        "9200907",
        "HORIZON MIRAGE FUEL COMPANY",
        "شركة سراب الأفق للوقود",
        "2019-09-09",
        [("a.k.a.", "Mirage Fuel")],
        "Ruritania",
    ),
    (
        "QDe.908",
        "9200908",
        "TWIN WELLS EXCHANGE",
        "صرافة البئرين",
        "2015-05-05",
        [("Low", "Twin Wells Hawala; Biran Exchange")],
        "Freedonia",
    ),
    ("QDe.909", "9200909", "SILVER PALM RELIEF FUND", "", "2016-06-06", [("f.k.a.", "Silver Palm Aid")], "Syldavia"),
    ("QDe.910", "9200910", "CARAVAN OF THE FICTIONAL EAST", "قافلة الشرق الخيالي", "2017-12-24", [], "Borduria"),
    ("QDe.911", "9200911", "OLD MILL CEMENT TRADERS", "", "2018-08-18", [("a.k.a.", "Old Mill Trading Co")], "Zemblaland"),
]
ALREADY_DELISTED = {"QDi.917": "2021-03-15"}
NON_QD = [
    # skipped by the import: other regimes' entries in the same Consolidated List
    ("individual", "TAi.901", "9300901", ["ABDUL", "GHANI", "INVENTIZAI"], "Taliban"),
    ("individual", "KPi.901", "9300902", ["KIM", "IMAGINED", "PAK"], "DPRK"),
    ("entity", "SOe.901", "9300903", ["SHORELINE PRETEND TRADING"], "Al-Shabaab"),
]


def tag(name: str, value: str | None) -> str:
    return f"<{name}>{escape(value)}</{name}>" if value else f"<{name}/>"


def individual(row, delisted=None, updated=None, extra_alias=None, comment="") -> str:
    ref, dataid, names, orig, nat, listed, aliases, dob, pob, doc = row
    parts = [tag("DATAID", dataid), tag("VERSIONNUM", "1")]
    for i, label in enumerate(["FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME"]):
        parts.append(tag(label, names[i] if i < len(names) else None))
    parts += [tag("UN_LIST_TYPE", "Al-Qaida"), tag("REFERENCE_NUMBER", ref), tag("LISTED_ON", listed)]
    if delisted:
        parts.append(tag("DELISTED_ON", delisted))
    parts += [
        tag("NAME_ORIGINAL_SCRIPT", orig),
        tag("COMMENTS1", comment or "INVENTED DEMO ENTRY. Not a real person."),
        f"<NATIONALITY>{tag('VALUE', nat)}</NATIONALITY>",
        "<LIST_TYPE><VALUE>UN List</VALUE></LIST_TYPE>",
        f"<LAST_DAY_UPDATED>{tag('VALUE', updated)}</LAST_DAY_UPDATED>",
    ]
    for quality, alias in aliases + ([extra_alias] if extra_alias else []):
        parts.append(f"<INDIVIDUAL_ALIAS>{tag('QUALITY', quality)}{tag('ALIAS_NAME', alias)}</INDIVIDUAL_ALIAS>")
    parts.append("<INDIVIDUAL_ALIAS><QUALITY/><ALIAS_NAME/></INDIVIDUAL_ALIAS>")  # the real list has empty ones
    parts.append(f"<INDIVIDUAL_ADDRESS>{tag('COUNTRY', nat)}</INDIVIDUAL_ADDRESS>")
    if dob and len(dob) == 4:
        parts.append(
            f"<INDIVIDUAL_DATE_OF_BIRTH>{tag('TYPE_OF_DATE', 'APPROXIMATELY')}{tag('YEAR', dob)}</INDIVIDUAL_DATE_OF_BIRTH>"
        )
    elif dob:
        parts.append(f"<INDIVIDUAL_DATE_OF_BIRTH>{tag('TYPE_OF_DATE', 'EXACT')}{tag('DATE', dob)}</INDIVIDUAL_DATE_OF_BIRTH>")
    if pob:
        city, country = pob.split(", ")
        parts.append(f"<INDIVIDUAL_PLACE_OF_BIRTH>{tag('CITY', city)}{tag('COUNTRY', country)}</INDIVIDUAL_PLACE_OF_BIRTH>")
    else:
        parts.append("<INDIVIDUAL_PLACE_OF_BIRTH/>")
    if doc:
        parts.append(
            f"<INDIVIDUAL_DOCUMENT>{tag('TYPE_OF_DOCUMENT', doc[0])}{tag('NUMBER', doc[1])}{tag('ISSUING_COUNTRY', nat)}</INDIVIDUAL_DOCUMENT>"
        )
    parts += ["<SORT_KEY/>", "<SORT_KEY_LAST_MOD/>"]
    return "<INDIVIDUAL>" + "".join(parts) + "</INDIVIDUAL>"


def entity(row, delisted=None, updated=None, comment="") -> str:
    ref, dataid, name, orig, listed, aliases, country = row
    parts = [
        tag("DATAID", dataid),
        tag("VERSIONNUM", "1"),
        tag("FIRST_NAME", name),
        tag("UN_LIST_TYPE", "Al-Qaida"),
        tag("REFERENCE_NUMBER", ref),
        tag("LISTED_ON", listed),
    ]
    if delisted:
        parts.append(tag("DELISTED_ON", delisted))
    parts += [
        tag("NAME_ORIGINAL_SCRIPT", orig),
        tag("COMMENTS1", comment or "INVENTED DEMO ENTRY."),
        "<LIST_TYPE><VALUE>UN List</VALUE></LIST_TYPE>",
        f"<LAST_DAY_UPDATED>{tag('VALUE', updated)}</LAST_DAY_UPDATED>",
    ]
    for quality, alias in aliases:
        parts.append(f"<ENTITY_ALIAS>{tag('QUALITY', quality)}{tag('ALIAS_NAME', alias)}</ENTITY_ALIAS>")
    parts.append(f"<ENTITY_ADDRESS>{tag('COUNTRY', country)}</ENTITY_ADDRESS>")
    parts += ["<SORT_KEY/>", "<SORT_KEY_LAST_MOD/>"]
    return "<ENTITY>" + "".join(parts) + "</ENTITY>"


def non_qd(kind, ref, dataid, names, list_type) -> str:
    if kind == "entity":
        return entity((ref, dataid, names[0], "", "2012-01-01", [], "")).replace("Al-Qaida", list_type)
    return individual((ref, dataid, names, "", "Nowhere", "2012-01-01", [], None, None, None)).replace("Al-Qaida", list_type)


def document(generated: str, individuals: list[str], entities: list[str]) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<CONSOLIDATED_LIST xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        f'xsi:noNamespaceSchemaLocation="https://scsanctions.un.org/resources/xsd/sc-sanctions.xsd" dateGenerated="{generated}">\n'
        "<!-- INVENTED DEMO DATA for the reporting portal's tests and demo. NOT the UN Consolidated List. -->\n"
        "<INDIVIDUALS>\n" + "\n".join(individuals) + "\n</INDIVIDUALS>\n"
        "<ENTITIES>\n" + "\n".join(entities) + "\n</ENTITIES>\n</CONSOLIDATED_LIST>\n"
    )


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    # --- snapshot 1: 17 individuals (one already delisted) + 13 entities = 30 QD entries, 3 others
    ind1 = [individual(r, delisted=ALREADY_DELISTED.get(r[0])) for r in INDIVIDUALS]
    ent1 = [entity(r) for r in ENTITIES]
    others = [non_qd(*row) for row in NON_QD]
    ind_others = [o for o, row in zip(others, NON_QD, strict=True) if row[0] == "individual"]
    ent_others = [o for o, row in zip(others, NON_QD, strict=True) if row[0] == "entity"]
    (OUT / "consolidated-demo-1.xml").write_text(
        document("2026-10-01T10:00:04.717-04:00", ind1[:9] + ind_others + ind1[9:], ent1 + ent_others), encoding="utf-8"
    )
    # --- snapshot 2: adds 3 (QDi.918, QDi.919, QDe.912); amends 3 (QDi.903 new alias, QDi.905 new date
    # of birth, QDe.902 new alias); delists 2 (QDi.913 with DELISTED_ON, QDe.911 removed from the file)
    new_ind = [
        (
            "QDi.918",
            "9100918",
            ["HARUN", "ABBAS", "AL-CONJECTURI"],
            "هارون عباس الكونجكتوري",
            "Zemblaland",
            "2026-11-02",
            [("Good", "Haroun Conjecturi"), ("Low", "Abu Abbas al-Zemblawi; Harun the Clerk")],
            "1991",
            "Onhava, Zemblaland",
            None,
        ),
        (
            "QDi.919",
            "9100919",
            ["LAYLA", "MUNIR", "AL-HYPOTHETI"],
            "ليلى منير الهيبوثيتي",
            "Ruritania",
            "2026-11-02",
            [("Low", "Umm Munir")],
            "1993-04-04",
            "Zenda, Ruritania",
            None,
        ),
    ]
    new_ent = [
        (
            "QDe.912",
            "9200912",
            "DESERT LANTERN OIL BROKERS",
            "وسطاء فانوس الصحراء للنفط",
            "2026-11-02",
            [("a.k.a.", "Desert Lantern Brokerage; DLOB")],
            "Zemblaland",
        )
    ]
    ind2 = []
    for r in INDIVIDUALS:
        ref = r[0]
        if ref == "QDi.903":
            ind2.append(individual(r, updated="2026-11-02", extra_alias=("Low", "Hamid al-Onhavi")))
        elif ref == "QDi.905":
            r2 = list(copy.deepcopy(r))
            r2[7] = "1979-08-19"
            ind2.append(individual(tuple(r2), updated="2026-11-02"))
        elif ref == "QDi.913":
            ind2.append(individual(r, delisted="2026-11-01"))
        else:
            ind2.append(individual(r, delisted=ALREADY_DELISTED.get(ref)))
    ind2 += [individual(r) for r in new_ind]
    ent2 = []
    for e in ENTITIES:
        if e[0] == "QDe.911":
            continue
        if e[0] == "QDe.902":
            e2 = list(e)
            e2[5] = [*e[5], ("a.k.a.", "Nahr al-Rimal Trading")]
            ent2.append(entity(tuple(e2), updated="2026-11-02"))
        else:
            ent2.append(entity(e))
    ent2 += [entity(r) for r in new_ent]
    (OUT / "consolidated-demo-2.xml").write_text(
        document("2026-11-02T09:30:00.100-05:00", ind2 + ind_others, ent2 + ent_others), encoding="utf-8"
    )


if __name__ == "__main__":
    main()
