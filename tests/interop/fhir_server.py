"""A recorded-fixture FHIR R4 server on loopback (read + search with paging, Bearer auth).

No installable FHIR server is reachable from this machine's registries (HAPI needs Maven Central;
docs/decisions/interop-fhir-test-server.md), so the tests replay recorded resources through the
FHIR REST API subset that the client uses: ``GET [type]/[id]`` and
``GET [type]?patient=&code=`` (comma = OR, ``system|code`` tokens) with ``_count`` paging.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

PAGE = 4


def _matches(resource: dict[str, Any], params: dict[str, str]) -> bool:
    patient = params.get("patient") or params.get("subject")
    if patient is not None:
        ref = resource.get("subject", {}).get("reference", "")
        if ref.rsplit("/", 1)[-1] != patient.rsplit("/", 1)[-1]:
            return False
    if "code" in params:
        wanted = set(params["code"].split(","))
        have = {
            f"{c.get('system')}|{c.get('code')}" for c in resource.get("code", {}).get("coding", [])
        }
        have |= {c.get("code") for c in resource.get("code", {}).get("coding", [])}
        if not wanted & have:
            return False
    return True


class FixtureFhirServer:
    """Serves ``resources`` at ``http://127.0.0.1:<port>/fhir``; records the requests."""

    def __init__(self, resources: list[dict[str, Any]], *, token: str | None = None) -> None:
        self.resources = resources
        self.token = token
        self.requests: list[str] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                server.requests.append(self.path)
                if server.token and self.headers.get("Authorization") != f"Bearer {server.token}":
                    return self._send(401, _outcome("login", "missing or wrong bearer token"))
                parts = urlsplit(self.path)
                path = parts.path.removeprefix("/fhir").strip("/").split("/")
                params = {k: v[-1] for k, v in parse_qs(parts.query).items()}
                if len(path) == 2:
                    for r in server.resources:
                        if r["resourceType"] == path[0] and r.get("id") == path[1]:
                            return self._send(200, r)
                    return self._send(404, _outcome("not-found", f"{path[0]}/{path[1]} not found"))
                hits = [
                    r
                    for r in server.resources
                    if r["resourceType"] == path[0] and _matches(r, params)
                ]
                count = int(params.get("_count", PAGE))
                page = int(params.get("_page", 0))
                base = f"http://{self.headers['Host']}/fhir/{path[0]}"
                links = [{"relation": "self", "url": f"{base}?{parts.query}"}]
                if (page + 1) * count < len(hits):
                    nxt = {**params, "_count": count, "_page": page + 1}
                    links.append({"relation": "next", "url": f"{base}?{urlencode(nxt)}"})
                self._send(
                    200,
                    {
                        "resourceType": "Bundle",
                        "type": "searchset",
                        "total": len(hits),
                        "link": links,
                        "entry": [
                            {
                                "fullUrl": f"{base}/{r['id']}",
                                "resource": r,
                                "search": {"mode": "match"},
                            }
                            for r in hits[page * count : (page + 1) * count]
                        ],
                    },
                )

            def _send(self, status: int, body: dict[str, Any]) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/fhir+json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/fhir"

    @contextmanager
    def running(self) -> Iterator[FixtureFhirServer]:
        thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        thread.start()
        try:
            yield self
        finally:
            self.httpd.shutdown()
            self.httpd.server_close()


def _outcome(code: str, text: str) -> dict[str, Any]:
    return {
        "resourceType": "OperationOutcome",
        "issue": [{"severity": "error", "code": code, "diagnostics": text}],
    }
