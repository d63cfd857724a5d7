"""A real S3-protocol server for the storage tests: moto_server (moto[server]) on a free local port.

Skipped, with the reason, where moto_server is not installed; a failure when
PORTAL_REQUIRE_SERVICES=1 (CI), like Redis in tests/conftest.py.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import REQUIRE_SERVICES

CREDENTIALS = ("portal-test-key", "portal-test-secret")  # moto accepts any; the portal must pass them


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def s3_endpoint() -> Iterator[str]:
    """The address of a moto S3 server started for this session."""
    binary = Path(sys.executable).parent / "moto_server"
    if not binary.exists():
        found = shutil.which("moto_server")
        binary = Path(found) if found else binary
    if not binary.exists():
        message = "moto_server (pip install 'moto[server]') is not installed: the S3 storage tests need it"
        if REQUIRE_SERVICES:
            pytest.fail(message + ", and PORTAL_REQUIRE_SERVICES=1")
        pytest.skip(message)
    port = _free_port()
    process = subprocess.Popen(
        [str(binary), "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 30
    try:
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"moto_server did not start on port {port}")
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def s3_client(endpoint: str):  # type: ignore[no-untyped-def]
    import boto3

    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id=CREDENTIALS[0],
        aws_secret_access_key=CREDENTIALS[1],
    )


def objects(endpoint: str, bucket: str) -> dict[str, bytes]:
    """Every object in the bucket (key -> bytes), read with boto3 directly: the oracle."""
    client = s3_client(endpoint)
    found = {}
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket):
        for item in page.get("Contents", []):
            found[item["Key"]] = client.get_object(Bucket=bucket, Key=item["Key"])["Body"].read()
    return found


@pytest.fixture
def s3_bucket(s3_endpoint: str) -> str:
    """A fresh bucket for one test, so nothing comes from another test."""
    bucket = f"portal-{uuid.uuid4().hex[:12]}"
    s3_client(s3_endpoint).create_bucket(Bucket=bucket)
    return bucket


@pytest.fixture
def storage_url(s3_endpoint: str, s3_bucket: str) -> str:
    key, secret = CREDENTIALS
    return f"s3://{key}:{secret}@{s3_bucket}/portal?endpoint_url={s3_endpoint}&region=us-east-1"


@pytest.fixture
def s3_store(storage_url: str, settings, monkeypatch, tmp_path: Path) -> str:  # type: ignore[no-untyped-def]
    """Point the private storage at the bucket, as STORAGE_URL does at start-up; PRIVATE_MEDIA_ROOT
    becomes an empty folder that must stay empty."""
    from sanctions_portal.settings.env import env_storage

    monkeypatch.setenv("STORAGE_URL", storage_url)
    monkeypatch.delenv("AWS_STORAGE_BUCKET_NAME", raising=False)
    local = tmp_path / "must-stay-empty"
    local.mkdir()
    store = env_storage(local_root=local)
    settings.PRIVATE_MEDIA_ROOT = local
    settings.STORAGES = {**settings.STORAGES, "default": store, "private": store}
    return storage_url


def local_files(settings) -> list[str]:  # type: ignore[no-untyped-def]
    return [str(p) for p in Path(settings.PRIVATE_MEDIA_ROOT).rglob("*") if p.is_file()]


os.environ.setdefault("AWS_EC2_METADATA_DISABLED", "true")  # boto3 must not look for an instance role
