"""Ask-your-data analytics for support team leads.

Registered on the Flask app under /analytics. Team leads type a question about
the help-desk backlog; the model turns it into SQL for the read replica, and
writes a short summary card for the dashboard. Answers can be saved as CSV
reports, and the model drafts new dashboard layouts in YAML.
"""

import csv
import io
import json
import os
import sqlite3
from pathlib import Path

import yaml
from flask import Blueprint, abort, jsonify, render_template, request
from markupsafe import Markup, escape
from openai import OpenAI

import settings

bp = Blueprint("analytics", __name__, url_prefix="/analytics")
client = OpenAI(api_key=settings.OPENAI_API_KEY)

REPORTS_DIR = Path(os.environ.get("SUPPORT_REPORTS_DIR", "/srv/support/reports"))
SCHEMA = (
    "tickets(id, customer_id, subject, status, priority, assignee, opened_at, closed_at), "
    "customers(id, name, email, plan, region)"
)
SQL_PROMPT = f"Write one SQLite SELECT statement that answers the question. Reply with SQL only. Schema: {SCHEMA}"
CARD_PROMPT = (
    "Summarise the query result for a dashboard card in at most three sentences. "
    "Reply with an HTML fragment that uses only <p>, <strong> and <ul>/<li>."
)

# Questions team leads ask every week, answered by queries we wrote and reviewed.
SAVED_QUERIES = {
    "open_by_priority": "SELECT priority, COUNT(*) FROM tickets WHERE status = 'open' GROUP BY priority",
    "backlog_by_assignee": (
        "SELECT assignee, COUNT(*) FROM tickets WHERE status = 'open' GROUP BY assignee ORDER BY 2 DESC"
    ),
    "closed_this_week": "SELECT COUNT(*) FROM tickets WHERE closed_at >= date('now', '-7 days')",
}


def replica() -> sqlite3.Connection:
    return sqlite3.connect(os.environ.get("HELPDESK_REPLICA", "helpdesk-replica.db"))


def ask_model(instructions: str, text: str) -> str:
    return client.responses.create(model=settings.MODEL, instructions=instructions, input=text).output_text.strip()


@bp.post("/ask")
def ask():
    question = request.get_json(force=True)["question"]
    completion = client.chat.completions.create(
        model=settings.MODEL,
        messages=[
            {"role": "system", "content": SQL_PROMPT},
            {"role": "user", "content": question},
        ],
    )
    sql = completion.choices[0].message.content.strip().removeprefix("```sql").strip("`\n ")
    # The replica is read-only, so a SELECT written by the model looked harmless.
    rows = replica().execute(sql).fetchall()
    card = ask_model(CARD_PROMPT, f"Question: {question}\nRows: {json.dumps(rows[:50])}")
    return render_template("analytics/answer.html", question=question, rows=rows, card=Markup(card))


@bp.post("/saved")
def saved_report():
    question = request.get_json(force=True)["question"]
    choice = ask_model(f"Pick the saved report that answers the question. Reply with one of: {', '.join(SAVED_QUERIES)}.", question)
    if choice not in SAVED_QUERIES:
        abort(422, "no saved report answers this question")
    rows = replica().execute(SAVED_QUERIES[choice]).fetchall()
    card = ask_model(CARD_PROMPT, f"Report: {choice}\nRows: {json.dumps(rows)}")
    return render_template("analytics/answer.html", question=question, rows=rows, card=Markup(f"<pre>{escape(card)}</pre>"))


@bp.post("/customer")
def customer_tickets():
    note = request.get_json(force=True)["note"]
    email = ask_model("Extract the customer's e-mail address from the note. Reply with the address only.", note)
    rows = replica().execute(
        "SELECT t.id, t.subject, t.status FROM tickets t JOIN customers c ON c.id = t.customer_id WHERE c.email = ?",
        (email,),
    ).fetchall()
    return jsonify(tickets=rows)


@bp.post("/export")
def export_report():
    body = request.get_json(force=True)
    report = body.get("report", "")
    if report not in SAVED_QUERIES:
        abort(400, "unknown report")
    rows = replica().execute(SAVED_QUERIES[report]).fetchall()
    file_name = ask_model(
        "Suggest a short, descriptive file name for this CSV report, ending in .csv. Reply with the name only.",
        f"Report: {report}\nRequested by: {body.get('team', 'support')}",
    )
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    with open(REPORTS_DIR / file_name, "w", encoding="utf-8", newline="") as out:
        out.write(buffer.getvalue())
    return jsonify(saved=file_name)


@bp.post("/dashboards")
def draft_dashboard():
    description = request.get_json(force=True)["description"]
    draft = ask_model(
        "Design a dashboard as YAML: a list of widgets, each with title, kind (chart, table or counter) and report.",
        description,
    )
    layout = yaml.load(draft, Loader=yaml.FullLoader)
    return jsonify(layout=layout)
