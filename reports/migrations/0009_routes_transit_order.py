"""Countries of transit keep their order: the many-to-many gets an explicit through-table.

The table Django made for the unordered many-to-many (reports_oilinterdiction_transit, with
its columns and its (interdiction, State) uniqueness) is kept as it is and becomes the
OilInterdictionTransit model (state only); a `position` column is added and the existing rows
are numbered per interdiction in id order, which is the order they were inserted in (the
editor inserted them in the order typed). Back: the column goes, the set stays.
"""

import django.db.models.deletion
from django.db import migrations, models


def number_existing_rows(apps, schema_editor):
    through = apps.get_model("reports", "OilInterdictionTransit")
    position: dict[int, int] = {}
    changed = []
    for row in through.objects.order_by("oilinterdiction_id", "id").only("id", "oilinterdiction_id"):
        row.position = position.get(row.oilinterdiction_id, 0)
        position[row.oilinterdiction_id] = row.position + 1
        changed.append(row)
    through.objects.bulk_update(changed, ["position"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0008_pdfjob_error_args"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="OilInterdictionTransit",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        (
                            "memberstate",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE, related_name="+", to="reports.memberstate"
                            ),
                        ),
                        (
                            "oilinterdiction",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="transit_stops",
                                to="reports.oilinterdiction",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "country of transit",
                        "verbose_name_plural": "countries of transit",
                        "db_table": "reports_oilinterdiction_transit",
                        "unique_together": {("oilinterdiction", "memberstate")},
                    },
                ),
                migrations.AlterField(
                    model_name="oilinterdiction",
                    name="transit",
                    field=models.ManyToManyField(
                        blank=True,
                        related_name="+",
                        through="reports.OilInterdictionTransit",
                        to="reports.memberstate",
                        verbose_name="countries of transit",
                    ),
                ),
            ],
            database_operations=[],
        ),
        # Nullable first, numbered, then required: existing rows get their place on the route.
        migrations.AddField(
            model_name="oilinterdictiontransit",
            name="position",
            field=models.PositiveSmallIntegerField(null=True, verbose_name="position on the route"),
        ),
        migrations.RunPython(number_existing_rows, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="oilinterdictiontransit",
            name="position",
            field=models.PositiveSmallIntegerField(verbose_name="position on the route"),
        ),
        migrations.AlterModelOptions(
            name="oilinterdictiontransit",
            options={
                "ordering": ["position"],
                "verbose_name": "country of transit",
                "verbose_name_plural": "countries of transit",
            },
        ),
        migrations.AddConstraint(
            model_name="oilinterdictiontransit",
            constraint=models.UniqueConstraint(fields=("oilinterdiction", "position"), name="oil_transit_position_unique"),
        ),
    ]
