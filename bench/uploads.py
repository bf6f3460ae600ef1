"""How long a picture upload takes, and where the time goes: decoding, re-encoding the picture,
making the thumbnails, and the whole PUT /item/{id}/image (in-process, SQLite, a directory).

    .venv/bin/python -m bench.uploads [--repeat 3] [--sizes 1600x1200,4032x3024,6000x4000]

Prints the median of each, per size; bench/README.md ("Picture uploads") has a run and what
it decided (thumbnails in the request, not in the worker).
"""

from __future__ import annotations

import argparse
import io
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from PIL import Image, ImageDraw

from storeapi.app import create_app
from storeapi.media import images
from storeapi.migrate import upgrade
from storeapi.settings import PILLOW_MAX_IMAGE_PIXELS, Settings


def photo(width: int, height: int) -> bytes:
    """A JPEG that compresses like a photo: smooth shapes, fine grain (quality 90)."""
    image = Image.radial_gradient("L").resize((width, height)).convert("RGB")
    draw = ImageDraw.Draw(image)
    for n in range(40):
        x, y = (n * 97) % width, (n * 53) % height
        draw.ellipse((x, y, x + width // 5, y + height // 5), fill=(n * 6, 120, 255 - n * 6))
    grain = Image.effect_noise((width, height), 24).convert("RGB")
    image = Image.blend(image, grain, 0.15)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90)
    return out.getvalue()


def median_ms(work: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        work()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def phases(data: bytes, repeat: int) -> dict[str, float]:
    decoded = images._decoded(data, "JPEG", PILLOW_MAX_IMAGE_PIXELS)
    upright = images._normalised(decoded)
    return {
        "decode": median_ms(lambda: images._decoded(data, "JPEG", PILLOW_MAX_IMAGE_PIXELS), repeat),
        "picture": median_ms(lambda: images._webp(upright, images.PICTURE_OPTIONS), repeat),
        "thumbnails": median_ms(lambda: _thumbnails(upright), repeat),
    }


def _thumbnails(image: Image.Image) -> None:
    smaller = image
    for size in (1024, 256):
        smaller = smaller.copy()
        smaller.thumbnail((size, size), Image.Resampling.LANCZOS, 2.0)
        images._webp(smaller, images.THUMBNAIL_OPTIONS)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--sizes", default="1600x1200,4032x3024,6000x4000")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'uploads.db'}"
        upgrade(url)
        settings = Settings.from_env(
            database_url=url,
            log_requests=False,
            rate_limits_enabled=False,
            storage_url=f"file://{tmp}/media",
            max_image_bytes=20 * 1024 * 1024,
        )
        app = create_app(settings)
        client = app.test_client()
        account = {"email": "bench@example.com", "password": "bench password 1"}
        client.post("/register", json=account)
        token = client.post("/login", json=account).get_json()["access_token"]
        auth = {"Authorization": f"Bearer {token}"}
        store = client.post("/store", json={"name": "Uploads"}, headers=auth).get_json()
        item = {"name": "Photo", "price": "1.00", "store_id": store["id"]}
        item_id = client.post("/item", json=item, headers=auth).get_json()["id"]
        print("size        JPEG   decode  picture  thumbnails  PUT (whole request)")
        for size in args.sizes.split(","):
            width, height = map(int, size.split("x"))
            data = photo(width, height)
            spent = phases(data, args.repeat)
            put = median_ms(
                lambda data=data: client.put(f"/item/{item_id}/image", data=data, headers=auth),
                args.repeat,
            )
            print(
                f"{size:<11} {len(data) / 1e6:4.1f} MB {spent['decode']:6.0f} ms "
                f"{spent['picture']:6.0f} ms {spent['thumbnails']:8.0f} ms {put:10.0f} ms"
            )
        app.extensions["engine"].dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
