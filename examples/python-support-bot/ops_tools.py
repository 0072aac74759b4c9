"""Tools of the tier-2 operations agent.

When an escalated ticket looks like a platform problem, the ops agent looks at
the services on the support host: their logs, a few diagnostics, and the
runbooks and scratch notes the on-call engineers keep on disk.
"""

import subprocess

from langchain.agents import create_agent
from langchain_community.agent_toolkits import FileManagementToolkit
from langchain_core.tools import tool
from langchain_openai import ChatOpenAI

import settings

RUNBOOKS_DIR = settings.DATA_DIR / "runbooks"
SERVICE_LOGS = {
    "export-worker": "/var/log/acme/export-worker.log",
    "billing-sync": "/var/log/acme/billing-sync.log",
    "webhook-relay": "/var/log/acme/webhook-relay.log",
}
OPS_PROMPT = (
    "You are the tier-2 operations assistant. Investigate the escalated ticket with your tools, "
    "then explain the likely cause and the next step for the on-call engineer."
)


@tool
def tail_service_log(service: str, lines: int = 200) -> str:
    """Return the last lines of the log of export-worker, billing-sync or webhook-relay."""
    if service not in SERVICE_LOGS:
        return f"unknown service {service!r}; choose one of {', '.join(SERVICE_LOGS)}"
    count = str(max(1, min(int(lines), 1000)))
    return subprocess.run(["tail", "-n", count, SERVICE_LOGS[service]], capture_output=True, text=True).stdout


@tool
def run_diagnostic(command: str) -> str:
    """Run a read-only diagnostic command on the support host (df, ps, curl localhost, ...) and return its output."""
    result = subprocess.run(command, shell=True, capture_output=True, text=True, timeout=60)
    return result.stdout + result.stderr


# Runbooks are read-only for the agent, and it cannot leave their folder.
runbook_tools = FileManagementToolkit(
    root_dir=str(RUNBOOKS_DIR),
    selected_tools=["read_file", "list_directory", "file_search"],
).get_tools()

# Lets the agent keep notes between steps.
scratch_tools = FileManagementToolkit(selected_tools=["read_file", "write_file", "list_directory"]).get_tools()


def ops_agent():
    llm = ChatOpenAI(model=settings.MODEL, temperature=0, api_key=settings.OPENAI_API_KEY)
    return create_agent(
        llm,
        tools=[tail_service_log, run_diagnostic, *runbook_tools, *scratch_tools],
        system_prompt=OPS_PROMPT,
    )


def investigate(ticket_text: str) -> str:
    result = ops_agent().invoke({"messages": [{"role": "user", "content": ticket_text}]})
    return result["messages"][-1].content
