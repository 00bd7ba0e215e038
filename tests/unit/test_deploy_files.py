"""deploy/ points at what exists: commands the CLI knows, probes the app serves, settings it reads.

Docker is not available in CI, so the Dockerfile and the compose file are checked statically.
"""

from __future__ import annotations

import importlib
import inspect
import re
import shlex
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic_settings import BaseSettings
from telegram.ext import Application

from bot import cli
from bot.services.deliveries import DeliveryRunner
from bot.settings import Settings, get_settings
from bot.web.app import create_web_app
from bot.web.paths import HEALTH_PATH, READY_PATH
from bot.web.server import GRACE_SECONDS, webhook_config

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
# Variables the runtime or the tooling reads, not the bot.
RUNTIME_ENV = {"PATH", "PYTHONUNBUFFERED", "PYTHONDONTWRITEBYTECODE", "PIP_NO_CACHE_DIR"}
RUNTIME_ENV |= {"PIP_DISABLE_PIP_VERSION_CHECK"}
INTERPOLATION = re.compile(r"\$\{([A-Z_][A-Z0-9_]*)(?::?[-?]([^}]*))?\}")


def settings_env_names() -> set[str]:
    """Every environment variable bot/settings.py reads."""
    names: set[str] = set()
    for name, field in Settings.model_fields.items():
        group = field.annotation
        if isinstance(group, type) and issubclass(group, BaseSettings):
            prefix = str(group.model_config.get("env_prefix", ""))
            names |= {(prefix + sub).upper() for sub in group.model_fields}
        else:
            names.add(name.upper())
    return names


KNOWN = settings_env_names()
# The longest a replica may take to stop: in-flight updates, then the daily runner's sends.
RUNNER_GRACE = inspect.signature(DeliveryRunner.stop).parameters["grace"].default
SHUTDOWN_SECONDS = GRACE_SECONDS + RUNNER_GRACE


# ---------------------------------------------------------------- Dockerfile


def dockerfile() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, continuation lines joined, comments dropped."""
    out: list[tuple[str, str]] = []
    pending = ""
    for raw in (DEPLOY / "Dockerfile").read_text().splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        pending += line
        if pending.endswith("\\"):
            pending = pending[:-1] + " "
            continue
        word, _, rest = pending.partition(" ")
        out.append((word.upper(), rest.strip()))
        pending = ""
    return out


def stages() -> list[list[tuple[str, str]]]:
    """Instructions grouped by build stage."""
    result: list[list[tuple[str, str]]] = []
    for instr in dockerfile():
        if instr[0] == "FROM":
            result.append([])
        if result:
            result[-1].append(instr)
    return result


def env_pairs(args: str) -> dict[str, str]:
    return dict(part.split("=", 1) for part in shlex.split(args))


def exec_form(args: str) -> list[str]:
    value = yaml.safe_load(args)  # a JSON array is valid YAML
    assert isinstance(value, list), f"use the exec form (JSON array): {args}"
    return [str(v) for v in value]


def assert_cli_command(argv: list[str]) -> Any:
    """argv is an `insightbot` command whose implementation exists."""
    assert Path(argv[0]).name == "insightbot", argv
    args = cli._parser().parse_args(argv[1:])
    module, _, func = cli._TARGETS[args.target].partition(":")
    assert callable(getattr(importlib.import_module(module), func)), argv
    return args


def served_paths() -> set[str]:
    async def ready() -> dict[str, bool]:
        return {}

    app = Application.builder().token("1:x").updater(None).build()
    web = create_web_app(app, webhook_path="/telegram", secret_token="t", readiness=ready)
    return {route.path for route in web.routes}  # type: ignore[attr-defined]


def assert_probe(argv: list[str]) -> None:
    """A health check that runs our probe against a path the app serves."""
    assert argv[:3] == ["python", "-m", "bot.web.probe"], argv
    importlib.import_module("bot.web.probe")
    path = argv[3] if len(argv) > 3 else HEALTH_PATH
    assert path in served_paths()
    assert path in (HEALTH_PATH, READY_PATH)


def test_dockerfile_is_multi_stage_and_runs_as_a_non_root_user() -> None:
    built = stages()
    assert len(built) >= 2
    names = [args.split()[-1] for (_, args), *_ in built if " AS " in args.upper()]
    final = built[-1]
    users = [args for word, args in final if word == "USER"]
    assert users, "the runtime stage sets USER"
    user = users[-1].split(":")[0]
    assert user not in ("root", "0")
    assert any(word == "RUN" and "useradd" in args and user in args for word, args in final)
    for stage in built:
        for word, args in stage:
            if word != "COPY":
                continue
            parts = args.split()
            from_stage = [p.split("=", 1)[1] for p in parts if p.startswith("--from=")]
            sources = [p for p in parts if not p.startswith("--")][:-1]
            if from_stage:
                assert from_stage[0] in names, f"COPY --from an unknown stage: {args}"
            else:
                for src in sources:
                    assert (ROOT / src).exists(), f"COPY of a missing path: {src}"


def test_dockerfile_installs_the_hashed_lock_and_bakes_in_the_corpus() -> None:
    runs = [args for word, args in dockerfile() if word == "RUN"]
    assert any("--require-hashes -r" in r and "requirements.lock" in r for r in runs)
    env: dict[str, str] = {}
    for word, args in stages()[-1]:
        if word == "ENV":
            env.update(env_pairs(args))
    copies = [args.split() for word, args in stages()[-1] if word == "COPY"]
    assert [env["CORPUS_DIR"]] in [parts[-1:] for parts in copies if "corpus" in parts[-2]]
    assert (ROOT / "corpus" / "sources.toml").exists()
    # The baked-in corpus is checked at build time by a command the CLI has.
    checks = [shlex.split(r) for r in runs if "insightbot" in r and "corpus" in r]
    assert checks and assert_cli_command(checks[0][:1] + checks[0][1:]).target == "corpus check"


def test_dockerfile_env_command_healthcheck_and_port_match_the_code() -> None:
    instructions = dockerfile()
    env: dict[str, str] = {}
    for word, args in instructions:
        if word == "ENV":
            env.update(env_pairs(args))
    unknown = set(env) - KNOWN - RUNTIME_ENV
    assert not unknown, f"ENV the bot does not read: {unknown}"
    cmd = [exec_form(args) for word, args in instructions if word == "CMD"][-1]
    assert assert_cli_command(cmd).webhook is True
    health = [args for word, args in instructions if word == "HEALTHCHECK"][-1]
    assert_probe(exec_form(health.split(" CMD ", 1)[1]))
    exposed = {args.split("/")[0] for word, args in instructions if word == "EXPOSE"}
    assert env["WEBHOOK_LISTEN"].rpartition(":")[2] in exposed
    stop = [args for word, args in instructions if word == "STOPSIGNAL"]
    assert stop in ([], ["SIGTERM"])


def test_dockerignore_keeps_secrets_and_local_state_out() -> None:
    ignored = (DEPLOY / "Dockerfile.dockerignore").read_text().split()
    for entry in ("**/.env", ".venv", ".git", "data"):
        assert entry in ignored


# ---------------------------------------------------------------- compose


def compose() -> dict[str, Any]:
    data = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    assert isinstance(data, dict)
    return data


def env_example() -> dict[str, str]:
    pairs: dict[str, str] = {}
    for line in (DEPLOY / ".env.example").read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            key, _, value = line.partition("=")
            pairs[key.strip()] = value.strip()
    return pairs


def interpolate(value: str, env: dict[str, str]) -> str:
    return INTERPOLATION.sub(lambda m: env.get(m.group(1), m.group(2) or ""), value)


def test_compose_services_restart_check_health_and_depend_on_what_exists() -> None:
    data = compose()
    services = data["services"]
    assert {"postgres", "bot", "migrate", "caddy"} <= services.keys()
    volumes = set(data.get("volumes", {}))
    for name, svc in services.items():
        assert svc.get("restart") in ("unless-stopped", "always", "on-failure", "no"), name
        for dep, cond in svc.get("depends_on", {}).items():
            assert dep in services, f"{name} depends on unknown {dep}"
            assert cond["condition"] in (
                "service_started",
                "service_healthy",
                "service_completed_successfully",
            )
            if cond["condition"] == "service_healthy":
                assert "healthcheck" in services[dep], f"{dep} has no health check"
        for mount in svc.get("volumes", []):
            source = mount.split(":")[0]
            if source.startswith("."):
                assert (DEPLOY / source).exists(), f"{name} mounts a missing file {source}"
            else:
                assert source in volumes, f"{name} uses an undeclared volume {source}"
        if svc["restart"] != "no":
            assert "healthcheck" in svc, f"{name} runs for good but has no health check"
    assert "pgdata" in volumes
    assert any(m.endswith("/var/lib/postgresql/data") for m in services["postgres"]["volumes"])
    for name in ("migrate", "bot"):
        build = services[name]["build"]
        assert (DEPLOY / build["context"] / build["dockerfile"]).resolve() == DEPLOY / "Dockerfile"
        assert services[name]["image"] == "insightbot:latest"


def test_compose_commands_probes_and_grace_period_match_the_code() -> None:
    services = compose()["services"]
    bot_args = assert_cli_command(services["bot"]["command"])
    assert bot_args.target == "run" and bot_args.webhook is True
    assert assert_cli_command(services["migrate"]["command"]).target == "db upgrade"
    assert services["migrate"]["restart"] == "no"
    assert services["bot"]["depends_on"]["migrate"]["condition"] == (
        "service_completed_successfully"
    )
    test = services["bot"]["healthcheck"]["test"]
    assert test[0] == "CMD"
    assert_probe(test[1:])
    grace = services["bot"]["stop_grace_period"]
    assert grace.endswith("s") and int(grace[:-1]) > SHUTDOWN_SECONDS
    assert services["bot"]["deploy"]["replicas"] >= 2


def test_compose_settings_are_ones_the_bot_knows_and_validate(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    services = compose()["services"]
    example = env_example()
    text = (DEPLOY / "compose.yaml").read_text()
    referenced = {m.group(1) for m in INTERPOLATION.finditer(text)}
    # Every ${VAR} compose needs is in the example, and every example line is used somewhere.
    assert referenced - {"LOG_LEVEL"} <= example.keys()
    assert set(example) <= KNOWN | referenced, set(example) - KNOWN - referenced
    for name in ("bot", "migrate"):
        environment = services[name]["environment"]
        assert set(environment) <= KNOWN, set(environment) - KNOWN
    # The bot's real environment (env_file + environment) gives valid settings in webhook mode.
    assert services["bot"]["env_file"] == ".env"
    monkeypatch.chdir(tmp_path)  # no stray .env
    merged = {**example, **services["bot"]["environment"]}
    for key, value in merged.items():
        if key in KNOWN:
            monkeypatch.setenv(key, interpolate(str(value), example))
    settings = get_settings()
    assert settings.database.url.startswith("postgresql+psycopg://insightbot:")
    assert settings.database.url.endswith("@postgres:5432/insightbot")
    config = webhook_config(settings)
    assert config.port == 8080 and config.host == "0.0.0.0"
    assert str(settings.corpus_dir) == "/app/corpus"


def test_caddy_proxies_exactly_the_webhook_path_to_the_bot_replicas() -> None:
    caddyfile = (DEPLOY / "Caddyfile").read_text()
    example = env_example()
    url = example["WEBHOOK_URL"]
    domain = example["WEBHOOK_DOMAIN"]
    assert url.startswith(f"https://{domain}/")
    path = "/" + url.split("/", 3)[3]
    assert re.search(rf"^\s*handle {re.escape(path)} \{{", caddyfile, re.M)
    assert re.search(r"^\s*name bot$", caddyfile, re.M)
    assert re.search(r"^\s*port 8080$", caddyfile, re.M)
    for private in ("/metrics", "/readyz", "/healthz"):
        assert f"handle {private}" not in caddyfile
    mounts = compose()["services"]["caddy"]["volumes"]
    assert "./Caddyfile:/etc/caddy/Caddyfile:ro" in mounts


# ---------------------------------------------------------------- systemd


def unit() -> list[tuple[str, str, str]]:
    section, out = "", []
    for raw in (DEPLOY / "insightbot.service").read_text().splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("["):
            section = line.strip("[]")
            continue
        key, _, value = line.partition("=")
        out.append((section, key, value))
    return out


def test_systemd_unit_runs_the_webhook_as_a_user_and_stops_gracefully() -> None:
    entries = unit()
    service = {k: v for s, k, v in entries if s == "Service"}
    assert {s for s, _, _ in entries} == {"Unit", "Service", "Install"}
    assert service["User"] not in ("root", "0")
    assert assert_cli_command(shlex.split(service["ExecStart"])).webhook is True
    assert assert_cli_command(shlex.split(service["ExecStartPre"])).target == "db upgrade"
    assert service["KillSignal"] == "SIGTERM"
    assert int(service["TimeoutStopSec"]) > SHUTDOWN_SECONDS
    assert service["Restart"] in ("on-failure", "always")
    envs = [v for s, k, v in entries if s == "Service" and k == "Environment"]
    assert {e.split("=", 1)[0] for e in envs} <= KNOWN


# ---------------------------------------------------------------- what the image installs


def test_every_directory_of_python_files_under_bot_is_a_package() -> None:
    # The image installs the package non-editable: a folder without __init__.py (migrations!)
    # would be silently left out of it, though everything works from a checkout.
    for folder in {p.parent for p in (ROOT / "bot").rglob("*.py")}:
        if "__pycache__" not in folder.parts:
            assert (folder / "__init__.py").exists(), f"{folder.relative_to(ROOT)} is no package"
    data = {p.suffix for p in (ROOT / "bot").rglob("*") if p.is_file()}
    shipped = {".py", ".pyc", ".typed", ".ini", ".mako"}  # pyproject [tool.setuptools.package-data]
    assert data <= shipped, f"files the wheel would not ship: {data - shipped}"
