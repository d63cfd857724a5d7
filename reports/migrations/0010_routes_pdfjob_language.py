"""A Council document's language is a field of its job (it was a key in `params`), and the
language versions asked for together share a batch."""

from django.db import migrations, models

LANGUAGES = ("ar", "zh-hans", "en", "fr", "ru", "es")


def language_from_params(apps, schema_editor):
    job_model = apps.get_model("reports", "PdfJob")
    changed = []
    for job in job_model.objects.only("id", "params", "language"):
        language = (job.params or {}).get("language") or "en"
        job.language = language if language in LANGUAGES else "en"
        changed.append(job)
    job_model.objects.bulk_update(changed, ["language"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0009_routes_transit_order"),
    ]

    operations = [
        migrations.AddField(
            model_name="pdfjob",
            name="batch",
            field=models.UUIDField(blank=True, db_index=True, null=True, verbose_name="set of language versions"),
        ),
        migrations.AddField(
            model_name="pdfjob",
            name="language",
            field=models.CharField(
                choices=[
                    ("ar", "Arabic"),
                    ("zh-hans", "Chinese"),
                    ("en", "English"),
                    ("fr", "French"),
                    ("ru", "Russian"),
                    ("es", "Spanish"),
                ],
                default="en",
                max_length=7,
                verbose_name="language",
            ),
        ),
        migrations.RunPython(language_from_params, migrations.RunPython.noop),
    ]
