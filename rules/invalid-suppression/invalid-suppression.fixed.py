"""Report assistant: a grader, a shell helper and a support bot with reviewed exceptions."""

import logging
import subprocess

from flask import Flask, request
from openai import OpenAI

app = Flask(__name__)
client = OpenAI()
log = logging.getLogger(__name__)


def ask(question: str) -> str:
    return client.responses.create(model="gpt-4.1-mini", input=question).output_text


def grade_sandboxed(question: str) -> float:
    reply = ask(question)
    # ok: invalid-suppression
    # secure-ai-lint: ignore[llm-output-to-eval] -- runs in the grader sandbox: no network, no secrets, killed after 2 s
    return eval(reply)


def grade_inline(question: str) -> float:
    reply = ask(question)
    # ok: invalid-suppression
    return eval(reply)  # secure-ai-lint: ignore[llm-output-to-eval] -- grader sandbox, see docs/grader.md


def grade_without_reason(question: str) -> float:
    reply = ask(question)
    # ruleid: invalid-suppression
    # secure-ai-lint: ignore[llm-output-to-eval]
    return eval(reply)


def grade_with_empty_reason(question: str) -> float:
    reply = ask(question)
    # ruleid: invalid-suppression
    return eval(reply)  # secure-ai-lint: ignore[llm-output-to-eval] --


def grade_with_placeholder(question: str) -> float:
    reply = ask(question)
    # ruleid: invalid-suppression
    # secure-ai-lint: ignore[llm-output-to-eval] -- <reason>
    return eval(reply)


def grade_with_typo(question: str) -> float:
    reply = ask(question)
    # ruleid: invalid-suppression
    # secure-ai-lint: ignore[llm-output-to-evil] -- grader sandbox
    return eval(reply)


def list_files(question: str) -> str:
    command = ask(question)
    # ok: invalid-suppression
    # secure-ai-lint: ignore[llm-output-to-shell] -- the operator confirms every command in the TUI before it runs
    return subprocess.run(command, shell=True, capture_output=True, text=True).stdout


def strip_reply(question: str) -> str:
    reply = ask(question)
    # ruleid: invalid-suppression
    return reply.strip()


def unused_above(question: str) -> str:
    reply = ask(question)
    # ruleid: invalid-suppression
    return subprocess.run(["ls", "-l"], capture_output=True, text=True).stdout + reply


def two_rules_one_unused(question: str) -> float:
    reply = ask(question)
    # ruleid: invalid-suppression
    return eval(reply)  # secure-ai-lint: ignore[llm-output-to-eval] -- grader sandbox


def two_rules_both_used(question: str) -> str:
    code = ask(question)
    # ok: invalid-suppression
    # secure-ai-lint: ignore[llm-output-to-eval, llm-output-to-shell] -- grader sandbox runs both in a throwaway VM
    return str(eval(code)) + subprocess.run(code, shell=True, capture_output=True, text=True).stdout


def stacked(question: str) -> str:
    code = ask(question)
    # ok: invalid-suppression
    # secure-ai-lint: ignore[llm-output-to-eval] -- throwaway VM
    # secure-ai-lint: ignore[llm-output-to-shell] -- throwaway VM, reviewed by the platform team
    return str(eval(code)) + subprocess.run(code, shell=True, capture_output=True, text=True).stdout


def not_a_suppression(question: str) -> float:
    reply = ask(question)
    # ruleid: invalid-suppression
    # secure-ai-lint: disable llm-output-to-eval
    return eval(reply)


def names_no_rule(question: str) -> float:
    reply = ask(question)
    # ruleid: invalid-suppression
    return eval(reply)  # secure-ai-lint: ignore[] -- grader sandbox


@app.post("/support")
def support():
    persona = request.json["persona"]
    # ruleid: invalid-suppression
    instructions = f"You are {persona}, a support agent."
    # ok: invalid-suppression
    resp = client.chat.completions.create(  # secure-ai-lint: ignore[llm-call-without-token-cap] -- the gateway caps output tokens
        model="gpt-4.1-mini",
        messages=[
            # ok: invalid-suppression
            {"role": "system", "content": instructions},  # secure-ai-lint: ignore[untrusted-input-in-system-prompt] -- see the gateway's persona check
            {"role": "user", "content": request.json["question"]},
        ],
    )
    return {"answer": resp.choices[0].message.content}


def ordinary_comments(question: str) -> str:
    # ok: invalid-suppression
    # The secure-ai-lint docs explain suppressions; this comment is not one.
    return ask(question)
