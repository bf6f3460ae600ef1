"""Pictures in an S3 bucket: AWS S3 or any service that speaks its API (MinIO, Cloudflare R2,
SeaweedFS), through boto3.

Credentials come the standard AWS way (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, a profile,
or an instance role); S3_ENDPOINT_URL names a service other than AWS, S3_REGION its region.
Any failure to reach or use the bucket is `StorageUnavailable` (a 503 for the request).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from storeapi.media.names import MEDIA_TYPE
from storeapi.media.storage import CHUNK, StorageUnavailable, StoredFile

IMMUTABLE = "public, max-age=31536000, immutable"
MISSING = {"NoSuchKey", "404", "NotFound"}
# A request that waits longer than these has failed: the client is told so (503) rather than
# held. Two attempts in all: one retry covers a dropped keep-alive connection. Checksums only
# where S3 requires them: several S3-compatible services refuse boto3's newer default ones.
CLIENT_CONFIG = Config(
    connect_timeout=3,
    read_timeout=20,
    retries={"max_attempts": 2, "mode": "standard"},
    signature_version="s3v4",
    request_checksum_calculation="when_required",
    response_checksum_validation="when_required",
)


class S3Storage:
    def __init__(
        self, bucket: str, prefix: str, endpoint_url: str | None, region: str | None
    ) -> None:
        self.bucket = bucket
        self.prefix = prefix.strip("/") + "/" if prefix.strip("/") else ""
        config = CLIENT_CONFIG
        if endpoint_url:  # services other than AWS mostly want the bucket in the path
            config = config.merge(Config(s3={"addressing_style": "path"}))
        self.client = boto3.session.Session().client(
            "s3", endpoint_url=endpoint_url, region_name=region, config=config
        )

    def __repr__(self) -> str:
        return f"S3Storage('s3://{self.bucket}/{self.prefix}')"

    def put(self, name: str, data: bytes) -> None:
        try:
            self.client.put_object(
                Bucket=self.bucket,
                Key=self.prefix + name,
                Body=data,
                ContentType=MEDIA_TYPE,
                CacheControl=IMMUTABLE,
            )
        except (BotoCoreError, ClientError) as exc:
            raise StorageUnavailable(f"cannot write {name}: {exc}") from exc

    def open(self, name: str) -> StoredFile | None:
        try:
            answer = self.client.get_object(Bucket=self.bucket, Key=self.prefix + name)
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in MISSING:
                return None
            raise StorageUnavailable(f"cannot read {name}: {exc}") from exc
        except BotoCoreError as exc:
            raise StorageUnavailable(f"cannot read {name}: {exc}") from exc
        body, media_type = answer["Body"], answer.get("ContentType", "application/octet-stream")
        return StoredFile(answer["ContentLength"], media_type, body.iter_chunks(CHUNK), body.close)

    def delete(self, names: Sequence[str]) -> None:
        if not names:
            return
        objects = [{"Key": self.prefix + name} for name in names]
        try:
            answer = self.client.delete_objects(
                Bucket=self.bucket, Delete={"Objects": objects, "Quiet": True}
            )
        except (BotoCoreError, ClientError) as exc:
            raise StorageUnavailable(f"cannot delete: {exc}") from exc
        failed = [e for e in answer.get("Errors", []) if e.get("Code") not in MISSING]
        if failed:
            raise StorageUnavailable(f"cannot delete {failed[0].get('Key')}: {failed[0]}")

    def names(self) -> Iterator[tuple[str, dt.datetime]]:
        pages = self.client.get_paginator("list_objects_v2").paginate(
            Bucket=self.bucket, Prefix=self.prefix
        )
        try:
            for page in pages:
                for entry in page.get("Contents", []):
                    name = entry["Key"].removeprefix(self.prefix)
                    if "/" not in name and name.endswith(".webp"):
                        yield name, entry["LastModified"]
        except (BotoCoreError, ClientError) as exc:
            raise StorageUnavailable(f"cannot list the bucket: {exc}") from exc

    def redirect_url(self, name: str, seconds: int) -> str | None:
        return self.client.generate_presigned_url(
            "get_object",
            Params={"Bucket": self.bucket, "Key": self.prefix + name},
            ExpiresIn=seconds,
        )
