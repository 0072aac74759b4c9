"""Diagnostic agent for on-call support engineers.

    python agent.py "exports for workspace 4411 hang at 90%" [--apply]

Asks a model how to investigate the reported issue, runs what it suggests on
this host, and with --apply also runs the model's repair snippet.
"""

import json
import os
import re
import subprocess
import sys
from typing import Literal

from anthropic import Anthropic
from openai import OpenAI
from pydantic import BaseModel, ValidationError

client = OpenAI()
claude = Anthropic()
MODEL = os.environ.get("SUPPORT_MODEL", "gpt-5.4-mini")
CLAUDE_MODEL = os.environ.get("SUPPORT_CLAUDE_MODEL", "claude-sonnet-4-6")

SRE_PROMPT = (
    "You are a senior SRE helping support engineers diagnose customer-reported problems "
    "on a Linux host that runs Acme's export-worker, billing-sync and webhook-relay services."
)

# Read-only checks the model may ask for by name.
CHECKS = {
    "disk": ["df", "-h"],
    "memory": ["free", "-m"],
    "export_worker": ["systemctl", "status", "export-worker", "--no-pager"],
    "recent_errors": ["journalctl", "-p", "err", "-n", "50", "--no-pager"],
}
RESTARTABLE_SERVICES = {"export-worker", "billing-sync", "webhook-relay"}

TOOLS = [
    {"type": "function", "function": {
        "name": "run_check",
        "description": "Run one of the predefined read-only checks.",
        "parameters": {"type": "object", "properties": {"name": {"type": "string", "enum": sorted(CHECKS)}}},
    }},
    {"type": "function", "function": {
        "name": "run_script",
        "description": "Run a bash script to gather more evidence.",
        "parameters": {"type": "object", "properties": {"script": {"type": "string"}}},
    }},
]


class CheckRequest(BaseModel):
    name: Literal["disk", "memory", "export_worker", "recent_errors"]


def read_issue() -> str:
    words = [arg for arg in sys.argv[1:] if not arg.startswith("--")]
    if not words:
        sys.exit('usage: python agent.py "<issue description>" [--apply]')
    return " ".join(words)


def gather_with_tools(issue: str) -> list[str]:
    completion = client.chat.completions.create(
        model=MODEL,
        tools=TOOLS,
        messages=[
            {"role": "system", "content": SRE_PROMPT},
            {"role": "user", "content": f"Collect evidence for this issue: {issue}"},
        ],
    )
    outputs = []
    for call in completion.choices[0].message.tool_calls or []:
        arguments = json.loads(call.function.arguments)
        if call.function.name == "run_check":
            try:
                check = CheckRequest.model_validate(arguments)
            except ValidationError:
                continue
            result = subprocess.run(CHECKS[check.name], capture_output=True, text=True, timeout=30)
        else:
            result = subprocess.run(["bash", "-c", arguments["script"]], capture_output=True, text=True, timeout=60)
        outputs.append(result.stdout)
    return outputs


def repair_snippet(evidence: str) -> str:
    message = claude.messages.create(
        model=CLAUDE_MODEL,
        max_tokens=2048,
        system=SRE_PROMPT,
        messages=[{"role": "user", "content": f"Evidence:\n{evidence}\n\nWrite a Python fix in a ```python block."}],
    )
    text = message.content[0].text
    match = re.search(r"```python\n(.*?)```", text, re.S)
    return match.group(1) if match else text


def disk_needs_upgrade() -> bool:
    stream = client.chat.completions.create(
        model=MODEL,
        stream=True,
        messages=[
            {"role": "system", "content": SRE_PROMPT + " Reply with one Python expression over `disk`, no prose."},
            {"role": "user", "content": "Write an expression that is True when the host needs a larger disk."},
        ],
    )
    expression = ""
    for chunk in stream:
        if chunk.choices:
            expression += chunk.choices[0].delta.content or ""
    disk_report = subprocess.run(["df", "--output=pcent", "/"], capture_output=True, text=True).stdout
    disk = {"used_percent": int(disk_report.split()[-1].rstrip("%"))}
    return bool(eval(expression, {"disk": disk}))


def main() -> None:
    issue = read_issue()
    completion = client.chat.completions.create(
        model=MODEL,
        messages=[
            {"role": "system", "content": f"{SRE_PROMPT}\nReported issue: {issue}"},
            {"role": "user", "content": "Reply with one shell command that gathers evidence, no prose."},
        ],
    )
    command = completion.choices[0].message.content.strip()
    first = subprocess.run(command, shell=True, capture_output=True, text=True, timeout=60)
    evidence = "\n".join([first.stdout, *gather_with_tools(issue)])

    service = client.responses.create(
        model=MODEL,
        instructions=SRE_PROMPT,
        input=f"Evidence:\n{evidence}\n\nWhich service should be restarted? Reply with its name only.",
    ).output_text.strip()
    if service in RESTARTABLE_SERVICES:
        subprocess.run(["sudo", "systemctl", "restart", service], check=True)

    cleanup = client.responses.create(
        model=MODEL,
        instructions=SRE_PROMPT,
        input=f"Evidence:\n{evidence}\n\nGive one shell one-liner that frees disk space safely.",
    ).output_text
    os.system(cleanup)

    snippet = repair_snippet(evidence)
    if "--apply" in sys.argv:
        exec(snippet, {"__name__": "acme_repair"})

    print("needs a larger disk:", disk_needs_upgrade())


if __name__ == "__main__":
    main()
