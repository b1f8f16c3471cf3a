"""``reviewdesk retrain``: staff corrections logged in the dashboard teach the practice's own models, which the
server then uses; ``--reset`` goes back to the shipped ones.

To stay quick the training reads two of the shipped writers (the command reads all six) and reports its
before/after figures on the development writer instead of the test split.
"""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from server.cli import cli
from server.replies import learned, training
from server.web.app import create_app

# An ordinary complaint the shipped model reads as an escalation: what staff correct by hand.
COMPLAINT = "My filling fell out two days later and nobody would see me until next month."


@pytest.fixture
def quick_training(monkeypatch):
    monkeypatch.setattr(training, "SHIPPED_WRITERS", ("w1", "w2"))
    monkeypatch.setattr(training, "TEST_WRITERS", ("w4",))
    monkeypatch.setattr(training, "EARLIER_REPLIES", ())
    yield
    learned.use_practice_models(None)


def retrain(data_dir, *args):
    return CliRunner().invoke(cli, ["retrain", "--data-dir", str(data_dir), *args], prog_name="reviewdesk", catch_exceptions=False)


def test_staff_corrections_teach_the_practice_models_the_server_then_uses(tmp_path, quick_training):
    app = create_app({"TESTING": True, "DATA_DIR": str(tmp_path)})
    client, auth = app.test_client(), {"Authorization": f"Bearer {app.extensions['reviewdesk.config_file'].token()}"}
    added = client.post("/api/reviews", headers=auth, json={"reviews": [
        {"platform": "google", "reviewer_name": "Ana Ruiz", "rating": 2, "text": COMPLAINT}]}).json["review_ids"][0]
    assert client.get(f"/api/reviews/{added}/suggestions", headers=auth).json["triage"]["action"] == "escalate"
    changed = client.post(f"/api/reviews/{added}/events", headers=auth, json={
        "type": "triage_changed", "action": "reply", "note": "an ordinary complaint about a sore tooth"})
    assert changed.status_code == 200, changed.json

    result = retrain(tmp_path)
    assert result.exit_code == 0, result.output
    assert "Staff corrections: 1 triage decisions, 0 reply sentences approved" in result.output
    assert "before -> after" in result.output and "escalations missed" in result.output and "unsafe replies allowed" in result.output
    assert "Restart `reviewdesk serve`" in result.output
    stored = {path.name for path in (tmp_path / "models").iterdir()}
    assert stored == {"triage.npz", "reply_sentences.npz", "reply_rules.npz"}
    practice_model = learned.TriageModel(tmp_path / "models" / "triage.npz")
    assert "practice" in practice_model.meta["writers"]

    restarted = create_app({"TESTING": True, "DATA_DIR": str(tmp_path)})
    assert learned.triage_model().version == practice_model.version
    advice = restarted.test_client().get(f"/api/reviews/{added}/suggestions", headers=auth).json
    assert (advice["triage"]["action"], advice["triage"]["category"]) == ("reply", "genuine")

    reset = retrain(tmp_path, "--reset")
    assert reset.exit_code == 0 and "shipped ones are used again" in reset.output
    assert not list((tmp_path / "models").glob("*.npz"))
    create_app({"TESTING": True, "DATA_DIR": str(tmp_path)})
    assert learned.triage_model().version == learned.TriageModel(learned.TRIAGE_MODEL).version


def test_retrain_with_no_corrections_says_so_and_reset_with_nothing_to_remove(tmp_path):
    assert "No retrained models to remove." in retrain(tmp_path, "--reset").output
