"""Source profiles are data: loading, re-pointing and rejecting bad TOML."""

from __future__ import annotations

from datetime import timedelta

import pytest

from samachar.sources import ProfileError, available_sources, enabled_profiles, load_profile, parse_profile


def test_shipped_profiles_load(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SAMACHAR_BASE_URL", raising=False)
    assert {"indianews", "generic"} <= set(available_sources())
    india = load_profile("indianews")
    assert india.base_url.startswith("https://")
    assert india.parser == "indianews"
    assert india.timezone == "Asia/Kolkata"
    assert [m.kind for m in india.discovery][:1] == ["feed"]
    assert {"feed", "sitemap", "date-archive"} <= {m.kind for m in india.discovery}
    assert india.pool == "samachar_indianews"
    assert india.period == timedelta(hours=1)
    assert india.start_datetime.utcoffset() == timedelta(hours=5, minutes=30)


def test_base_url_repoints_and_narrows_allowed_hosts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SAMACHAR_BASE_URL", raising=False)
    replay = load_profile("indianews", base_url="http://127.0.0.1:8765/")
    assert replay.base_url == "http://127.0.0.1:8765"
    assert replay.allowed_hosts == ("127.0.0.1:8765",)
    assert replay.parser == "indianews"
    monkeypatch.setenv("SAMACHAR_BASE_URL", "http://127.0.0.1:9999")
    assert load_profile("indianews").allowed_hosts == ("127.0.0.1:9999",)


def test_generic_profile_needs_a_site(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SAMACHAR_BASE_URL", raising=False)
    with pytest.raises(ProfileError, match="base_url"):
        load_profile("generic")
    site = load_profile("generic", base_url="https://News.Example.org")
    assert site.allowed_hosts == ("news.example.org",)
    assert site.parser == "generic"
    assert any("robots" in m.paths for m in site.discovery if m.kind == "sitemap")
    assert "generic" not in {p.name for p in enabled_profiles()}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("name = 'x'\nparser = 'generic'\nrate_limit_per_sec = 1\n", "discovery"),
        ("name = 'x'\nparser = 'generic'\nrate_limit_per_sec = 1\n[[discovery]]\nkind = 'carrier-pigeon'\npaths = ['/']\n",
         "kind"),
        ("name = 'x'\nparser = 'generic'\nrate_limit_per_sec = 0\n[[discovery]]\nkind = 'feed'\npaths = ['/feed/']\n",
         "positive"),
        ("name = 'x'\nparser = 'generic'\nrate_limit_per_sec = 1\nsurprise = 1\n[[discovery]]\nkind = 'feed'\npaths = ['/f']\n",
         "unknown keys"),
        ("name = 'x'\nparser = 'generic'\nrate_limit_per_sec = 1\ntimezone = 'Mars/Olympus'\n"
         "[[discovery]]\nkind = 'feed'\npaths = ['/f']\n", "timezone"),
        ("name = ", "invalid TOML"),
    ],
)
def test_bad_profiles_are_refused(text: str, message: str) -> None:
    with pytest.raises(ProfileError, match=message):
        parse_profile(text)


def test_unknown_source() -> None:
    with pytest.raises(ProfileError, match="unknown source"):
        load_profile("no-such-site")
    with pytest.raises(ProfileError):
        load_profile("../etc/passwd")


def test_extra_sources_dir(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SAMACHAR_BASE_URL", raising=False)
    (tmp_path / "replay.toml").write_text(
        'name = "replay"\nbase_url = "http://127.0.0.1:8765"\nparser = "indianews"\nrate_limit_per_sec = 50.0\n'
        'schedule = "0 0 * * *"\nenabled = true\n[[discovery]]\nkind = "date-archive"\npaths = ["/{yyyy}/{mm}/{dd}/"]\n',
        encoding="utf-8")
    monkeypatch.setenv("SAMACHAR_SOURCES_DIR", str(tmp_path))
    assert "replay" in available_sources() and "indianews" in available_sources()
    replay = load_profile("replay")
    assert replay.allowed_hosts == ("127.0.0.1:8765",)     # none given: the base URL's host
    assert replay.pool == "samachar_replay" and replay.dag_id == "samachar_ingest_replay"
    assert replay.period == timedelta(days=1)
    assert "replay" in {p.name for p in enabled_profiles()}
    monkeypatch.setenv("SAMACHAR_SOURCES_DIR", str(tmp_path / "missing"))
    with pytest.raises(ProfileError, match="SAMACHAR_SOURCES_DIR"):
        available_sources()
