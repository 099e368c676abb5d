"""deploy/nginx-igemo.conf in front of a real Streamlit server, on free local ports: the security headers,
the websocket through the proxy, and /_stcore/metrics blocked from outside (but there behind it)."""

from __future__ import annotations

import asyncio
import contextlib
import re
import shutil
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from conftest import DEMO_WORKBOOK, ROOT, load_module, run_async

site = load_module(ROOT / "deploy" / "site.py")

NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
pytestmark = pytest.mark.skipif(NGINX is None, reason="nginx is not installed (bash .ci/run installs it as root)")

HEADERS = {
    "content-security-policy": "frame-ancestors 'none'",
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
}


@contextlib.contextmanager
def behind_nginx(folder: Path):
    """A Streamlit server (demo workbook, empty database) behind the shipped nginx site: (proxy url, direct url)."""
    from tests.e2e.conftest import _free_port, _start_app

    proc, url = _start_app({"IGEMO_WORKBOOK": str(DEMO_WORKBOOK), "IGEMO_DB": str(folder / "app.db")})
    upstream = int(url.rsplit(":", 1)[1])
    port = _free_port()
    # The site as deploy/serve.sh fills it in: this upstream, /static/ from this venv's Streamlit.
    (folder / "nginx.conf").write_text(site.nginx_main(folder, site.site_config([upstream], port)), encoding="utf-8")
    nginx = subprocess.Popen([NGINX, "-p", str(folder), "-c", str(folder / "nginx.conf"), "-g", "daemon off;"],
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    front = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 20
        while time.time() < deadline:
            try:
                urllib.request.urlopen(front + "/_stcore/health", timeout=2).close()
                break
            except OSError:
                if nginx.poll() is not None:
                    raise RuntimeError("nginx did not start: " + nginx.stdout.read().decode(errors="replace"))
                time.sleep(0.2)
        yield front, url
    finally:
        nginx.terminate()
        nginx.wait(10)
        proc.terminate()
        proc.wait(10)


@pytest.fixture(scope="module")
def proxied(tmp_path_factory):
    with behind_nginx(tmp_path_factory.mktemp("nginx")) as urls:
        yield urls


def status_and_headers(url: str) -> tuple[int, dict[str, str]]:
    try:
        with urllib.request.urlopen(url, timeout=10) as answer:
            return answer.status, {k.lower(): v for k, v in answer.headers.items()}
    except urllib.error.HTTPError as error:
        return error.code, {k.lower(): v for k, v in error.headers.items()}


@pytest.mark.parametrize("path", ["/", "/_stcore/health", "/kaskrediet"])
def test_security_headers(proxied, path):
    front, _ = proxied
    status, headers = status_and_headers(front + path)
    assert status == 200
    for name, fragment in HEADERS.items():
        assert fragment in headers.get(name, ""), (name, headers.get(name))
    assert "unsafe-eval'" not in headers["content-security-policy"].replace("wasm-unsafe-eval'", "")


def test_metrics_blocked_from_outside_only(proxied):
    front, direct = proxied
    assert status_and_headers(front + "/_stcore/metrics")[0] == 404
    assert status_and_headers(front + "/_stcore/metrics/")[0] == 404
    assert status_and_headers(direct + "/_stcore/metrics")[0] == 200


def test_the_websocket_goes_through(proxied):
    websockets = pytest.importorskip("websockets")
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    front, _ = proxied

    async def first_message() -> str:
        async with websockets.connect(front.replace("http://", "ws://") + "/_stcore/stream",
                                      subprotocols=["streamlit"], open_timeout=30, max_size=None) as ws:
            message = BackMsg()
            message.rerun_script.query_string = ""
            await ws.send(message.SerializeToString())
            forward = ForwardMsg()
            forward.ParseFromString(await asyncio.wait_for(ws.recv(), 60))
            return forward.WhichOneof("type")

    assert run_async(first_message()) == "new_session"


def test_the_csp_allows_exactly_streamlits_inline_script():
    """The hash in the CSP is that of the inline script in the installed Streamlit's index.html."""
    import base64
    import hashlib

    import streamlit

    html = (Path(streamlit.__file__).parent / "static" / "index.html").read_text(encoding="utf-8")
    inline = re.findall(r"<script>(.*?)</script>", html, re.S)
    hashes = {"'sha256-" + base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() + "'" for s in inline}
    csp = re.search(r'Content-Security-Policy "([^"]+)"', (ROOT / "deploy" / "nginx-igemo.conf").read_text()).group(1)
    assert hashes and hashes == set(re.findall(r"'sha256-[^']+'", csp))
