"""Choosing the private store from the environment: the local folder by default, S3 from
STORAGE_URL or AWS_STORAGE_BUCKET_NAME, and a clear refusal at start-up when malformed."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from sanctions_portal.settings.env import env_storage

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch):  # type: ignore[no-untyped-def]
    for name in ("STORAGE_URL", "AWS_STORAGE_BUCKET_NAME", "AWS_S3_ENDPOINT_URL", "AWS_S3_REGION_NAME", "AWS_LOCATION"):
        monkeypatch.delenv(name, raising=False)


def test_without_a_store_the_files_stay_in_the_local_folder(tmp_path):
    assert env_storage(local_root=tmp_path) == {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": tmp_path, "base_url": None},
    }


def test_storage_url_selects_a_private_s3_store(monkeypatch, tmp_path):
    monkeypatch.setenv("STORAGE_URL", "s3://AKIA%2FX:se%40cret@un-portal/prod/files?endpoint_url=http://127.0.0.1:9000&region=us-east-1&addressing_style=path&expire=120")  # fmt: skip
    store = env_storage(local_root=tmp_path)
    options = store["OPTIONS"]
    assert store["BACKEND"] == "storages.backends.s3.S3Storage"
    assert (options["bucket_name"], options["location"], options["endpoint_url"], options["region_name"]) == (
        "un-portal", "prod/files", "http://127.0.0.1:9000", "us-east-1",
    )  # fmt: skip
    assert (options["access_key"], options["secret_key"]) == ("AKIA/X", "se@cret")
    assert options["client_config"].s3 == {"addressing_style": "path"}
    # Private objects, signed URLs that expire, nothing overwritten in place.
    assert (options["default_acl"], options["querystring_auth"], options["querystring_expire"]) == ("private", True, 120)
    assert options["file_overwrite"] is False and options["custom_domain"] is None


def test_credentials_may_come_from_the_aws_variables_instead(monkeypatch, tmp_path):
    monkeypatch.setenv("STORAGE_URL", "s3://un-portal")
    options = env_storage(local_root=tmp_path)["OPTIONS"]
    assert options["access_key"] is None and options["secret_key"] is None  # boto3 reads AWS_ACCESS_KEY_ID ...
    assert options["location"] == "" and options["querystring_expire"] == 300


def test_the_aws_variables_django_storages_knows_select_s3_too(monkeypatch, tmp_path):
    monkeypatch.setenv("AWS_STORAGE_BUCKET_NAME", "un-portal")
    monkeypatch.setenv("AWS_S3_ENDPOINT_URL", "https://s3.example.org")
    monkeypatch.setenv("AWS_S3_REGION_NAME", "eu-west-1")
    options = env_storage(local_root=tmp_path)["OPTIONS"]
    assert (options["bucket_name"], options["endpoint_url"], options["region_name"]) == (
        "un-portal", "https://s3.example.org", "eu-west-1",
    )  # fmt: skip
    assert options["default_acl"] == "private"


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("https://un-portal", "must start with s3://"),
        ("un-portal", "must start with s3://"),
        ("s3://", "is not a bucket name"),
        ("s3://UN_Portal", "is not a bucket name"),
        ("s3://un-portal:9000", "takes no port"),
        ("s3://un-portal?endpoint=http://x", "unknown parameter endpoint"),
        ("s3://un-portal?endpoint_url=127.0.0.1:9000", "is not an http:// or https:// address"),
        ("s3://un-portal?endpoint_url=http://h:port", "port that is not a number"),
        ("s3://un-portal?region=a&region=b", "given more than once"),
        ("s3://un-portal?expire=-5", "is not a number of seconds"),
        ("s3://un-portal?addressing_style=sideways", "addressing_style"),
        ("s3://keyonly@un-portal", "both the access key and the secret key"),
        ("s3://un-portal?verify=maybe", "verify"),
    ],
)
def test_a_malformed_storage_url_is_refused_with_the_reason(monkeypatch, tmp_path, url, message):
    monkeypatch.setenv("STORAGE_URL", url)
    with pytest.raises(ImproperlyConfigured, match=message.replace("?", r"\?")):
        env_storage(local_root=tmp_path)


def test_storage_url_and_a_bucket_variable_together_are_refused(monkeypatch, tmp_path):
    monkeypatch.setenv("STORAGE_URL", "s3://un-portal")
    monkeypatch.setenv("AWS_STORAGE_BUCKET_NAME", "other")
    with pytest.raises(ImproperlyConfigured, match="not both"):
        env_storage(local_root=tmp_path)


def test_the_portal_refuses_to_start_with_a_malformed_storage_url():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "sanctions_portal.settings.base", "STORAGE_URL": "s3://un_portal?region=x"}
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and "STORAGE_URL" in result.stderr and "un_portal" in result.stderr
