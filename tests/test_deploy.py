"""docs/deploy.md is true: the units pass `systemd-analyze verify`, the proxy configurations pass `caddy validate`
and `nginx -t` (each skipped only where the tool is not installed), the environment file is valid settings, and
every `signalgraph` command in the guide and the units is one the real command line accepts."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from signalgraph import cli
from signalgraph.settings import Settings
from tests.test_cli import documented_variables

ROOT = Path(__file__).resolve().parent.parent
GUIDE = ROOT / "docs" / "deploy.md"
FILES = ROOT / "docs" / "deploy"
UNITS = sorted(p for p in FILES.iterdir() if p.suffix in (".service", ".timer", ".target"))
INSTALLED = "/opt/signalgraph/bin/signalgraph"
# What a template unit is verified as: an instance like the guide's.
INSTANCES = {"signalgraph-serve@.service": "signalgraph-serve@8001.service",
             "signalgraph-worker@.service": "signalgraph-worker@1.service"}


def tool(name: str) -> str:
    found = shutil.which(name) or shutil.which(name, path="/usr/sbin:/sbin")
    if found is None:
        pytest.skip(f"{name} is not installed")
    return found


def test_the_readme_links_the_guide_and_the_guide_links_files_that_exist():
    assert "(docs/deploy.md)" in (ROOT / "README.md").read_text()
    text = GUIDE.read_text()
    linked = re.findall(r"\]\(((?:deploy|\.\./)[^)#]*)\)", text)
    named = re.findall(r"docs/deploy/([\w.@-]+)", text)
    assert len(linked) >= 10 and len(named) >= 8
    for path in [GUIDE.parent / link for link in linked] + [FILES / name for name in named]:
        assert path.exists(), path


def commands() -> list[tuple[str, list[str]]]:
    """Every `signalgraph …` command of the guide (code blocks and code spans) and the units: (where, argv)."""
    found: list[tuple[str, list[str]]] = []
    for path in [GUIDE, *UNITS]:
        for line in path.read_text().splitlines():
            for match in re.finditer(rf"(?:{re.escape(INSTALLED)}|(?<=`)signalgraph)( [^`\n]*)", line):
                rest = match[1].split("`")[0].split("  #")[0].rstrip().rstrip("'")
                if "<" in rest or "…" in rest:  # a placeholder in prose
                    continue
                found.append((f"{path.name}: {line.strip()}", shlex.split(rest.replace("%i", "8001"))))
    return found


def test_every_signalgraph_command_in_the_guide_and_the_units_exists():
    found = commands()
    parser = cli._parser()
    for where, argv in found:
        try:
            parser.parse_args(argv)
        except SystemExit as exited:  # a usage error exits 2; --version and --help exit 0
            assert exited.code == 0, f"{where}: the command line refuses {argv}"
    used = {tuple(argv[:2]) if argv[0] in ("keys", "db") else (argv[0],) for _, argv in found}
    assert used >= {("serve",), ("worker",), ("db", "upgrade"), ("keys", "create"), ("keys", "list"), ("backup",),
                    ("restore",), ("--version",)}


def test_the_environment_file_is_valid_settings_for_both_shapes():
    lines = (FILES / "signalgraph.env").read_text().splitlines()
    assignments = [line for line in lines if re.match(r"^#?[A-Z_]+=", line)]
    single = dict(line.split("=", 1) for line in assignments if not line.startswith("#"))
    scaled = {**single, **dict(line.lstrip("#").split("=", 1) for line in assignments if line.startswith("#"))}
    for env in (single, scaled):
        Settings.from_env(env)
    assert single["SIGNALGRAPH_DATABASE_URL"].startswith("sqlite+aiosqlite:////")  # absolute: any directory
    assert scaled["SIGNALGRAPH_DATABASE_URL"].startswith("postgresql+asyncpg://") and scaled["SIGNALGRAPH_REDIS_URL"]
    named = set(re.findall(r"SIGNALGRAPH_[A-Z_]+[A-Z]", GUIDE.read_text() + "\n".join(lines)))
    assert named <= documented_variables()


def test_the_units_pass_systemd_analyze_verify(tmp_path):
    systemd_analyze = tool("systemd-analyze")
    installed = Path(sys.executable).parent / "signalgraph"  # this checkout's, where the units say /opt/…
    for unit in UNITS:
        (tmp_path / unit.name).write_text(unit.read_text().replace(INSTALLED, str(installed)))
    names = [INSTANCES.get(unit.name, unit.name) for unit in UNITS]
    assert set(INSTANCES) <= {unit.name for unit in UNITS}
    result = subprocess.run(
        [systemd_analyze, "verify", *names], cwd=tmp_path, env={"SYSTEMD_UNIT_PATH": f"{tmp_path}:", "PATH": "/usr/bin:/bin"},
        capture_output=True, text=True, timeout=120, check=False,
    )
    complaints = [line for line in result.stderr.splitlines() if "signalgraph" in line]
    assert result.returncode == 0 and complaints == [], result.stderr


def test_the_caddyfile_validates(tmp_path):
    caddy = tool("caddy")
    result = subprocess.run(
        [caddy, "validate", "--config", str(FILES / "Caddyfile"), "--adapter", "caddyfile"],
        env={"HOME": str(tmp_path), "XDG_DATA_HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path)},
        capture_output=True, text=True, timeout=120, check=False,
    )
    assert result.returncode == 0 and "Valid configuration" in result.stdout + result.stderr, result.stderr


def test_the_nginx_site_passes_nginx_t(tmp_path):
    nginx = tool("nginx")
    # certbot's files stand in as a self-signed pair; nginx's own paths move into tmp_path.
    subprocess.run(
        [tool("openssl"), "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj",
         "/CN=signalgraph.example.com", "-keyout", str(tmp_path / "key.pem"), "-out", str(tmp_path / "cert.pem")],
        capture_output=True, timeout=120, check=True,
    )
    live = "/etc/letsencrypt/live/signalgraph.example.com"
    site = (FILES / "nginx.conf").read_text()
    site = site.replace(f"{live}/fullchain.pem", str(tmp_path / "cert.pem")).replace(f"{live}/privkey.pem",
                                                                                      str(tmp_path / "key.pem"))
    (tmp_path / "site.conf").write_text(site)
    temp = " ".join(f"{kind}_temp_path {tmp_path / kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    (tmp_path / "nginx.conf").write_text(
        f"error_log stderr;\npid {tmp_path / 'nginx.pid'};\nevents {{}}\n"
        f"http {{\n  access_log off;\n  {temp}\n  include {tmp_path / 'site.conf'};\n}}\n"
    )
    result = subprocess.run(
        [nginx, "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")],
        capture_output=True, text=True, timeout=120, check=False,
    )
    assert result.returncode == 0 and "test is successful" in result.stderr, result.stderr
