"""HTTP API of the Acme support bot.

Run with `flask --app app run`. The storefront widget calls /chat and /kb, the
help-desk sidebar calls /chat/claude and /tickets, billing calls /refunds.
"""

import json
import os

import anthropic
from flask import Flask, abort, jsonify, request
from openai import OpenAI
from pydantic import BaseModel, Field, ValidationError

import analytics
import rag

app = Flask(__name__)
app.register_blueprint(analytics.bp)
openai_client = OpenAI()
claude = anthropic.Anthropic()

MODEL = os.environ.get("SUPPORT_MODEL", "gpt-5.4-mini")
CLAUDE_MODEL = os.environ.get("SUPPORT_CLAUDE_MODEL", "claude-sonnet-4-6")

BASE_PROMPT = (
    "You are Acme's customer-support assistant. Be brief and friendly. "
    "Never promise refunds or credits; offer to open a ticket instead."
)
TONES = {
    "formal": "Use a formal register.",
    "casual": "Use a relaxed, friendly register.",
}


class RefundDecision(BaseModel):
    eligible: bool
    amount_cents: int = Field(ge=0, le=500_000)
    reason: str = Field(max_length=500)


@app.post("/chat")
def chat():
    body = request.get_json(force=True)
    app.logger.info("chat from %s: %s", body.get("email", "anonymous"), body["message"][:80])
    # The storefront sends the shopper's display name so replies feel personal.
    customer = body.get("customer_name", "there")
    system_prompt = f"{BASE_PROMPT}\nThe customer's name is {customer}."
    completion = openai_client.chat.completions.create(
        model=MODEL,
        messages=[
            {"role": "system", "content": system_prompt},
            {"role": "user", "content": body["message"]},
        ],
    )
    return jsonify(reply=completion.choices[0].message.content)


@app.post("/chat/claude")
def chat_claude():
    body = request.get_json(force=True)
    tone = body.get("tone", "casual")
    if tone not in TONES:
        abort(400, "unknown tone")
    message = claude.messages.create(
        model=CLAUDE_MODEL,
        max_tokens=1024,
        system=BASE_PROMPT + " " + TONES[tone],
        messages=[{"role": "user", "content": body["message"]}],
    )
    return jsonify(reply=message.content[0].text)


@app.post("/tickets/reply")
def draft_ticket_reply():
    ticket = request.get_json(force=True)
    # Subject and plan are shown to the model as "facts" about the ticket.
    ticket_facts = "\n".join([
        f"Ticket subject: {ticket['subject']}",
        f"Customer plan: {ticket.get('plan', 'free')}",
    ])
    message = claude.messages.create(
        model=CLAUDE_MODEL,
        max_tokens=1500,
        system=[
            {"type": "text", "text": BASE_PROMPT},
            {"type": "text", "text": ticket_facts},
        ],
        messages=[{"role": "user", "content": f"Draft a reply to this ticket:\n\n{ticket['body']}"}],
    )
    return jsonify(draft=message.content[0].text)


@app.post("/refunds/quote")
def quote_refund():
    order = request.get_json(force=True)
    completion = openai_client.chat.completions.create(
        model=MODEL,
        messages=[
            {"role": "system", "content": "You compute prorated refunds. Reply with a single Python arithmetic expression."},
            {"role": "user", "content": json.dumps(order)},
        ],
    )
    expression = completion.choices[0].message.content.strip().strip("`")
    # secure-ai-lint: ignore[llm-output-to-eval] builtins are removed, so only arithmetic should be possible here
    amount = eval(expression, {"__builtins__": {}})
    return jsonify(amount=round(float(amount), 2))


@app.post("/refunds/decision")
def decide_refund():
    order = request.get_json(force=True)
    completion = openai_client.chat.completions.create(
        model=MODEL,
        response_format={"type": "json_object"},
        messages=[
            {
                "role": "system",
                "content": "Decide whether the order is eligible for a refund under the 30-day policy. "
                'Reply with JSON: {"eligible": bool, "amount_cents": int, "reason": str}.',
            },
            {"role": "user", "content": json.dumps(order)},
        ],
    )
    try:
        decision = RefundDecision.model_validate_json(completion.choices[0].message.content)
    except ValidationError:
        abort(502, "the model returned an invalid decision")
    return jsonify(decision.model_dump())


@app.get("/kb/answer")
def kb_answer():
    question = request.args.get("q", "")
    if not question:
        abort(400, "missing q")
    return jsonify(answer=rag.answer_from_articles(question))


@app.post("/kb/billing-answer")
def kb_billing_answer():
    return jsonify(answer=rag.answer_with_outage_context(request.get_json(force=True)["question"]))


@app.post("/webhooks/inbound-email")
def inbound_email():
    email = request.get_json(force=True)
    return jsonify(reply=rag.answer_with_excerpts_as_instructions(email["text"]))


@app.post("/tickets/escalate")
def escalate_ticket():
    return jsonify(reply=rag.escalate(request.get_json(force=True)["body"]))


if __name__ == "__main__":
    app.run(debug=False, port=int(os.environ.get("PORT", "5000")))
