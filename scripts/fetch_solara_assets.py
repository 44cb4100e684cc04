"""Fill Solara's asset cache from the npm registry, so the dashboard works with no internet.

Solara's page loads its JavaScript and CSS through a proxy that downloads them from
cdn.jsdelivr.net the first time they are asked for and keeps them in
``<venv>/share/solara/cdn/``. With no access to that CDN the page stays blank. The npm registry
hosts the same packages: this script downloads the exact versions the installed Solara asks for
(read from its page template) plus the few packages its components load on demand, checks each
tarball against the registry's sha512 integrity, and unpacks it where the proxy looks
(``<cache>/<package>@<version as in the URL>/``). Already cached packages are skipped.

    .venv/bin/python scripts/fetch_solara_assets.py [package@version ...]

Run it again after upgrading solara (``scripts/setup.sh`` does). The registry is
``$NPM_CONFIG_REGISTRY`` or https://registry.npmjs.org/.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import re
import shutil
import sys
import tarfile
import tempfile
import urllib.parse
import urllib.request
from pathlib import Path

# asked for by the page's CSS (font-awesome, Solara's ``assets.fontawesome_path``) and by
# components when they are first shown: found in Solara's sources as `${getCdn()}/pkg@version/`
# (solara.Markdown's mermaid, solara.GridDraggable's grid layout used by Mesa's SolaraViz, the
# vega trio of solara.FigureAltair, which asks for them by major version)
EXTRA = ("font-awesome@4.5.0",)
PIN = re.compile(r"(@widgetti/[a-z0-9-]+|requirejs)@[0-9][0-9a-z.-]*")
ON_DEMAND = re.compile(r"getCdn\(\)\}/((?:@[a-z0-9-]+/)?[a-z0-9.-]+@[0-9][0-9a-z.-]*)/")
TIMEOUT = 60


def template_pins() -> list[str]:
    import solara.server

    tpl = Path(solara.server.__file__).parent / "templates" / "solara.html.j2"
    return sorted({m.group(0) for m in PIN.finditer(tpl.read_text(encoding="utf-8"))})


def on_demand() -> list[str]:
    """Packages Solara's components load from the CDN with a version written in the source."""
    import solara

    found = set()
    for path in Path(solara.__file__).parent.rglob("*"):
        if path.suffix in (".py", ".vue", ".js") and "website" not in path.parts:
            found.update(ON_DEMAND.findall(path.read_text(encoding="utf-8", errors="ignore")))
    return sorted(found)


def cache_dir() -> Path:
    import solara.server.settings as settings

    return Path(settings.assets.proxy_cache_dir)


def _get(url: str, accept: str = "*/*") -> bytes:
    req = urllib.request.Request(url, headers={"Accept": accept, "User-Agent": "adoptsim-setup"})
    with urllib.request.urlopen(req, timeout=TIMEOUT) as r:
        return r.read()


def _split(spec: str) -> tuple[str, str]:
    name, _, version = spec.rpartition("@")
    if not name:
        raise SystemExit(f"{spec}: expected package@version")
    return name, version


def _version_key(v: str) -> tuple:
    core, _, pre = v.partition("-")
    nums = tuple(int(x) if x.isdigit() else 0 for x in core.split("."))
    return (nums, pre == "", pre)  # a release sorts after its pre-releases


def resolve(spec: str, registry: str) -> tuple[str, dict]:
    """The exact version a spec names (``vega@5``: the newest 5.x release) and its ``dist``."""
    name, want = _split(spec)
    doc = json.loads(
        _get(
            registry + urllib.parse.quote(name, safe="@"),
            "application/vnd.npm.install-v1+json",  # abbreviated metadata: versions and dist
        )
    )
    versions = doc.get("versions", {})
    if want in versions:
        return want, versions[want]["dist"]
    matching = [v for v in versions if v.split(".")[0] == want and "-" not in v]
    if not matching:
        raise SystemExit(f"{spec}: no such version in the registry")
    best = max(matching, key=_version_key)
    return best, versions[best]["dist"]


def _check_integrity(data: bytes, dist: dict, spec: str) -> None:
    integrity = dist.get("integrity", "")
    if integrity.startswith("sha512-"):
        digest = base64.b64encode(hashlib.sha512(data).digest()).decode()
        ok = digest == integrity.removeprefix("sha512-")
    else:
        ok = hashlib.sha1(data).hexdigest() == dist.get("shasum")
    if not ok:
        raise SystemExit(f"{spec}: the downloaded tarball does not match the registry's checksum")


def _unpack(data: bytes, dest: Path) -> None:
    """Unpack an npm tarball (one top folder, usually ``package/``) into ``dest``."""
    tmp = Path(tempfile.mkdtemp(dir=dest.parent, prefix=f".{dest.name}."))
    try:
        with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
            tar.extractall(tmp, filter="data")  # refuses absolute paths, links out, devices
        (top,) = list(tmp.iterdir())
        os.replace(top, dest)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def fetch(spec: str, cache: Path, registry: str) -> str | None:
    """Download and unpack one package (None if it is cached already)."""
    dest = cache / spec
    if dest.is_dir():
        return None
    version, dist = resolve(spec, registry)
    data = _get(dist["tarball"])
    _check_integrity(data, dist, spec)
    dest.parent.mkdir(parents=True, exist_ok=True)
    _unpack(data, dest)
    return f"fetched {spec} ({version}, {len(data) / 1e6:.1f} MB)"


def main(argv: list[str]) -> int:
    registry = os.environ.get("NPM_CONFIG_REGISTRY", "https://registry.npmjs.org/")
    registry = registry if registry.endswith("/") else registry + "/"
    cache = cache_dir()
    specs = list(dict.fromkeys([*template_pins(), *EXTRA, *on_demand(), *argv]))
    fetched = 0
    try:
        for spec in specs:
            done = fetch(spec, cache, registry)
            if done:
                fetched += 1
                print(done, file=sys.stderr)
    except OSError as e:
        print(
            f"could not fetch the dashboard's front-end assets from {registry} ({e}). Without "
            "them the dashboard loads them from cdn.jsdelivr.net on first use (needs internet); "
            "run scripts/fetch_solara_assets.py again when the registry is reachable.",
            file=sys.stderr,
        )
        return 1
    print(f"dashboard assets: {fetched} fetched, {len(specs) - fetched} cached in {cache}",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
