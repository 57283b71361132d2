"""The CI files: this repository's publish workflow, the site workflow `init` writes, the GitLab template and the
composite action. Read as YAML and held to what docs/ci.md promises (they cannot be run here)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from conftest import REPO
from raadsarkiv.init import SITE_TEMPLATE


def _yaml(path: Path) -> dict[Any, Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _steps(job: dict[str, Any], key: str) -> list[Any]:
    return [step.get(key) for step in job["steps"]]


def _checkouts_fetch_history(job: dict[str, Any]) -> bool:
    checkouts = [step for step in job["steps"] if step.get("uses", "").startswith("actions/checkout@")]
    return bool(checkouts) and all(step.get("with", {}).get("fetch-depth") == 0 for step in checkouts)


def test_the_repositorys_workflow_tests_before_publishing_and_never_cancels_a_deployment() -> None:
    workflow = _yaml(REPO / ".github/workflows/publish.yml")
    triggers = workflow[True]  # YAML 1.1 reads the key `on` as true
    assert triggers["schedule"] == [{"cron": "*/15 * * * *"}] and "pull_request" in triggers
    jobs = workflow["jobs"]
    assert ".ci/run" in _steps(jobs["test"], "run")
    publish = jobs["publish"]
    assert publish["needs"] == ["check", "test"]
    assert "needs.test.result" in publish["if"] and "github.event_name != 'pull_request'" in publish["if"]
    assert publish["concurrency"] == {"group": "pages", "cancel-in-progress": False}
    assert jobs["check"]["concurrency"]["cancel-in-progress"] == "${{ github.event_name == 'pull_request' }}"
    assert "raadsarkiv build --format github" in _steps(publish, "run")
    assert "actions/deploy-pages@v4" in _steps(publish, "uses")
    upload = next(step for step in publish["steps"] if step.get("uses", "").startswith("actions/upload-pages-artifact@"))
    assert upload["with"]["path"] == "output/"
    for name in ("check", "publish"):
        assert _checkouts_fetch_history(jobs[name]), name
        caches = [step["with"] for step in jobs[name]["steps"] if step.get("uses", "").startswith("actions/cache@")]
        assert caches and caches[0]["path"] == ".cache" and caches[0]["restore-keys"] == "raadsarkiv-cache-"


def test_the_site_workflow_checks_pull_requests_and_publishes_on_time_without_cancelling() -> None:
    workflow = _yaml(SITE_TEMPLATE / "dot-github/workflows/publish.yml")
    assert set(workflow[True]) == {"pull_request", "push", "schedule", "workflow_dispatch"}
    assert workflow[True]["schedule"] == [{"cron": "*/15 * * * *"}]
    check, publish = workflow["jobs"]["check"], workflow["jobs"]["publish"]
    assert check["if"] == "github.event_name == 'pull_request'" and check["concurrency"]["cancel-in-progress"] is True
    assert publish["concurrency"] == {"group": "pages", "cancel-in-progress": False}
    assert "raadsarkiv check --format github" in _steps(check, "run")
    assert "raadsarkiv build --format github" in _steps(publish, "run")
    for job in (check, publish):
        assert "pip install -r requirements.txt" in _steps(job, "run")
        assert _checkouts_fetch_history(job)


def test_the_gitlab_template_checks_merge_requests_and_publishes_pages() -> None:
    pipeline = _yaml(SITE_TEMPLATE / "dot-gitlab-ci.yml")
    assert pipeline["variables"]["GIT_DEPTH"] == 0
    assert ".cache/" in pipeline["cache"]["paths"]
    assert pipeline["check"]["rules"] == [{"if": '$CI_PIPELINE_SOURCE == "merge_request_event"'}]
    assert pipeline["pages"]["script"] == ["raadsarkiv build --output public"]
    assert pipeline["pages"]["artifacts"] == {"paths": ["public"]} and pipeline["pages"]["resource_group"] == "pages"


def test_the_composite_action_runs_check_or_build() -> None:
    action = _yaml(REPO / "action.yml")
    assert action["runs"]["using"] == "composite"
    assert set(action["inputs"]) == {"command", "site", "output", "python-version", "package"}
    scripts = "\n".join(step.get("run", "") for step in action["runs"]["steps"])
    assert 'raadsarkiv --site "$SITE" check --format github' in scripts
    assert 'raadsarkiv --site "$SITE" build --format github' in scripts
    assert '"${PACKAGE:-$GITHUB_ACTION_PATH}"' in scripts  # the action's own tagged engine by default
