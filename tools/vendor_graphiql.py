"""Refresh the GraphiQL page's assets in signalgraph/static/graphiql/ from the npm registry.

    python tools/vendor_graphiql.py        # or: make vendor-graphiql

Each package is fetched with `npm pack` at the pinned version below, the listed files are copied, and the
data: URIs of the stylesheets (fonts, images) are written out as files of their own, so the page needs
nothing but its own origin (it is served under `Content-Security-Policy: default-src 'self'`).
`manifest.json` records every package's version, the integrity hash npm published for its tarball, and the
sha384 of each file as served (the page loads them with `integrity=`). Bump a version here, run the
script, and commit the result with the manifest.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import subprocess
import tarfile
import tempfile
from pathlib import Path

from signalgraph.graphiql import ASSETS as TARGET
from signalgraph.graphiql import sri

# package@version → {file in the tarball: name served}
PACKAGES = {
    "react@18.2.0": {"umd/react.production.min.js": "react.production.min.js"},
    "react-dom@18.2.0": {"umd/react-dom.production.min.js": "react-dom.production.min.js"},
    "graphiql@3.8.3": {"graphiql.min.js": "graphiql.min.js", "graphiql.min.css": "graphiql.min.css"},
    "@graphiql/plugin-explorer@1.0.2": {
        "dist/index.umd.js": "plugin-explorer.umd.js",
        "dist/style.css": "plugin-explorer.css",
    },
}
DATA_URI = re.compile(r"url\((['\"]?)data:([a-z]+/[a-z0-9.+-]+);base64,([A-Za-z0-9+/=]+)\1\)")
EXTENSIONS = {"font/woff2": "woff2", "font/woff": "woff", "image/png": "png", "image/svg+xml": "svg"}


def externalise_data_uris(css: str) -> str:
    """Every `url(data:…;base64,…)` becomes a file beside the stylesheet, named by its content hash."""

    def write(match: re.Match) -> str:
        payload = base64.b64decode(match.group(3))
        name = f"assets/{hashlib.sha256(payload).hexdigest()[:16]}.{EXTENSIONS[match.group(2)]}"
        (TARGET / name).parent.mkdir(parents=True, exist_ok=True)
        (TARGET / name).write_bytes(payload)
        return f"url({name})"

    return DATA_URI.sub(write, css)


def package_license(tar: tarfile.TarFile) -> bytes:
    """The package's LICENSE file, or its package.json `license` field when it ships none."""
    for member in tar.getmembers():
        if member.name.lower() in ("package/license", "package/license.md", "package/license.txt"):
            return tar.extractfile(member).read()
    package_json = json.loads(tar.extractfile("package/package.json").read())
    return f"{package_json['name']}@{package_json['version']}: {package_json['license']} licence\n".encode()


def main() -> None:
    manifest: dict[str, dict] = {}
    for asset in (TARGET / "assets").glob("*"):
        asset.unlink()
    with tempfile.TemporaryDirectory() as tmp:
        for spec, files in PACKAGES.items():
            info = json.loads(
                subprocess.run(["npm", "pack", spec, "--json"], cwd=tmp, check=True, capture_output=True).stdout
            )[0]
            with tarfile.open(Path(tmp) / info["filename"]) as tar:
                license_text = package_license(tar)
                served = {}
                for source, name in files.items():
                    data = tar.extractfile(f"package/{source}").read()
                    if name.endswith(".css"):
                        data = externalise_data_uris(data.decode()).encode()
                    data = re.sub(rb"\n?/[*/]# sourceMappingURL=\S+(\s*\*/)?\s*$", b"\n", data)
                    (TARGET / name).write_bytes(data)
                    served[name] = sri(data)
            package = spec.rsplit("@", 1)[0]
            (TARGET / f"{package.replace('/', '-').lstrip('@')}.LICENSE").write_bytes(license_text)
            manifest[package] = {"version": info["version"], "integrity": info["integrity"], "files": served}
    (TARGET / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    print(f"vendored {len(manifest)} packages into {TARGET}")


if __name__ == "__main__":
    main()
