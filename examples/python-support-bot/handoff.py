"""Hand-over notes for human agents, written from a Prompty template.

Registered on the Flask app under /handoff. When the bot gives up on a
conversation, the help-desk sidebar posts the conversation and the agent's
team; the model writes the note the human agent reads first.
"""

import prompty
import prompty.openai  # noqa: F401  (registers the OpenAI invoker)
from flask import Blueprint, jsonify, request

bp = Blueprint("handoff", __name__, url_prefix="/handoff")

TEAMS = {"billing": "Billing", "platform": "Platform", "security": "Security"}


@bp.post("/note")
def handoff_note():
    body = request.get_json(force=True)
    note = prompty.execute(
        "prompts/handoff.prompty",
        inputs={
            "team": TEAMS.get(body.get("team"), "Platform"),
            "agent_style": body.get("agent_style", "concise"),
            "conversation": body["conversation"],
        },
    )
    return jsonify(note=note)
