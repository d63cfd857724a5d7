"""Distributions follow UN practice: general (public), restricted (the Committee), internal
(the Secretariat and the Monitoring Team). A job asked for as "restricted" before this
migration was Secretariat-internal: it becomes "internal", so no Committee member can read it."""

from django.db import migrations, models


def restricted_to_internal(apps, schema_editor):
    apps.get_model("reports", "PdfJob").objects.filter(distribution="restricted").update(distribution="internal")


def internal_to_restricted(apps, schema_editor):
    # Back to two distributions: a Committee ("restricted") document is not general, and the old
    # "restricted" was the narrowest audience, so both fold into it.
    apps.get_model("reports", "PdfJob").objects.filter(distribution="internal").update(distribution="restricted")


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0013_registers_new_rows"),
    ]

    operations = [
        migrations.AlterField(
            model_name="pdfjob",
            name="distribution",
            field=models.CharField(
                choices=[("general", "General"), ("restricted", "Restricted"), ("internal", "Internal")],
                default="general",
                max_length=12,
                verbose_name="distribution",
            ),
        ),
        migrations.RunPython(restricted_to_internal, internal_to_restricted),
    ]
