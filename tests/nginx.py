"""`running_nginx`: the compose nginx (deploy/nginx.conf) as Debian's nginx runs it here, in
front of given instances, for tests/test_shared_cache.py and bench/scale.py.

    with running_nginx(["127.0.0.1:8001", "127.0.0.1:8002"]) as url:
        httpx.get(f"{url}/item/1").headers["X-Cache-Status"]

The shipped server block runs unchanged but for what only Docker has (its DNS resolver and the
`api` service name, which become the given addresses) and its paths and port: a temporary
prefix and a free port. A non-daemon master with one worker; stopped with SIGTERM afterwards.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def nginx_binary() -> str | None:
    return shutil.which("nginx") or (
        "/usr/sbin/nginx" if os.path.exists("/usr/sbin/nginx") else None
    )


def nginx_server_block(
    upstreams: list[str], port: int, cache_dir: Path, *, cache: bool = True, fresh_for: int = 0
) -> str:
    """deploy/nginx.conf for this machine: each replacement must apply exactly once.
    For bench/scale.py only: `cache=False` turns its cache off (the proxy's own cost), and
    `fresh_for` serves stored copies unrevalidated for that many seconds (what the API's
    max-age=0 gives up)."""
    conf = (ROOT / "deploy" / "nginx.conf").read_text()
    if not cache:
        conf = conf.replace("proxy_cache storeapi_cache;", "proxy_cache off;")
    if fresh_for:
        conf = conf.replace(
            "proxy_cache storeapi_cache;",
            "proxy_cache storeapi_cache;\n"
            "        proxy_ignore_headers X-Accel-Expires Cache-Control;\n"
            f"        proxy_cache_valid 200 {fresh_for}s;",
        )
    servers = "".join(f"server {u} max_fails=3 fail_timeout=10s;\n    " for u in upstreams)
    for pattern, replacement in (
        (r"resolver 127\.0\.0\.11[^;]*;\n", ""),
        (r"server api:8000 resolve max_fails=3 fail_timeout=10s;\n    ", servers),
        (r"/var/cache/nginx/storeapi", str(cache_dir)),
        (r"listen 80;", f"listen 127.0.0.1:{port};"),
    ):
        conf, found = re.subn(pattern, replacement, conf)
        if found != 1:
            raise AssertionError(f"deploy/nginx.conf no longer has {pattern!r}")
    return conf


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=1):
            return True
    except urllib.error.HTTPError:
        return True  # nginx answered (the origins' answer is not this check's concern)
    except OSError:
        return False


@contextmanager
def running_nginx(upstreams: list[str], *, cache: bool = True, fresh_for: int = 0) -> Iterator[str]:
    """nginx in front of `upstreams` (host:port); yields its base URL."""
    nginx = nginx_binary()
    if nginx is None:
        raise RuntimeError("nginx is not installed (make nginx)")
    prefix = Path(tempfile.mkdtemp(prefix="storeapi-nginx-"))
    port = _free_port()
    try:
        (prefix / "storeapi.conf").write_text(
            nginx_server_block(upstreams, port, prefix / "cache", cache=cache, fresh_for=fresh_for)
        )
        user = "user root;\n" if os.geteuid() == 0 else ""  # its temporary files are root's
        (prefix / "nginx.conf").write_text(
            f"{user}worker_processes 1;\ndaemon off;\npid {prefix}/nginx.pid;\n"
            f"error_log {prefix}/error.log warn;\nevents {{ worker_connections 1024; }}\n"
            f"http {{\n  access_log off;\n  client_body_temp_path {prefix}/body;\n"
            f"  proxy_temp_path {prefix}/proxy;\n  fastcgi_temp_path {prefix}/fastcgi;\n"
            f"  uwsgi_temp_path {prefix}/uwsgi;\n  scgi_temp_path {prefix}/scgi;\n"
            f"  include {prefix}/storeapi.conf;\n}}\n"
        )
        command = [nginx, "-e", str(prefix / "error.log"), "-p", str(prefix)]
        command += ["-c", str(prefix / "nginx.conf")]
        checked = subprocess.run([*command, "-t"], capture_output=True, text=True, check=False)
        if checked.returncode != 0:
            raise RuntimeError(f"nginx refused the configuration: {checked.stderr}")
        process = subprocess.Popen(command, stdin=subprocess.DEVNULL, start_new_session=True)
        try:
            url = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + 10
            while not _answers(f"{url}/healthz"):
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("nginx did not start: " + (prefix / "error.log").read_text())
                time.sleep(0.05)
            yield url
        finally:
            process.terminate()
            process.wait(10)
    finally:
        shutil.rmtree(prefix, ignore_errors=True)
