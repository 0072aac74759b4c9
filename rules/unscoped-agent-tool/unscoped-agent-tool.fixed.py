"""Ops copilot: agent tools over the shell, the file system, the web and the database."""

import base64
import json
import os
import pickle
import shlex
import shutil
import sqlite3
import subprocess
from pathlib import Path

import click
import httpx
import requests
from agents import function_tool
from autogen import AssistantAgent as LegacyAssistant
from autogen import UserProxyAgent, register_function
from autogen_agentchat.agents import AssistantAgent
from autogen_ext.models.openai import OpenAIChatCompletionClient
from crewai.tools import BaseTool as CrewBaseTool
from crewai.tools import tool as crew_tool
from langchain_community.agent_toolkits import FileManagementToolkit
from langchain_community.agent_toolkits.openapi.toolkit import RequestsToolkit
from langchain_community.callbacks import HumanApprovalCallbackHandler
from langchain_community.tools import ShellTool
from langchain_community.utilities import SQLDatabase, TextRequestsWrapper
from langchain_core.tools import BaseTool, StructuredTool, Tool, tool
from langchain_experimental.agents import create_pandas_dataframe_agent
from langchain_experimental.llm_bash.bash import BashProcess
from langchain_experimental.tools import PythonREPLTool
from langchain_openai import ChatOpenAI
from langgraph.prebuilt import create_react_agent
from langgraph.types import interrupt
from llama_index.core.tools import FunctionTool
from llama_index.tools.code_interpreter import CodeInterpreterToolSpec
from mcp.server.fastmcp import FastMCP
from openai import OpenAI
from pydantic import BaseModel, Field
from pydantic_ai import Agent, RunContext

AGENT_FILES_ROOT = "workspace"


def confirm_tool_call(tool: str, arguments: dict) -> bool:
    """Asks the person at the console before an agent tool acts on the model's arguments."""
    answer = input(f"The agent wants to run {tool} with {arguments!r}. Allow? [y/N] ")
    return answer.strip().lower() in {"y", "yes"}


client = OpenAI()
llm = ChatOpenAI(model="gpt-4.1-mini", temperature=0)
mcp = FastMCP("ops-files")
analyst = Agent("openai:gpt-4.1-mini", instructions="Answer questions about our public status pages.")
model_client = OpenAIChatCompletionClient(model="gpt-4.1-mini")

NOTES_ROOT = Path("/srv/notes").resolve()
REPORTS_DIR = Path("/srv/reports")
ALLOWED_COMMANDS = {"uptime", "df", "free", "who"}
ALLOWED_PROGRAMS = {"ls": "/bin/ls", "du": "/usr/bin/du"}
db = sqlite3.connect("/srv/app/shop.db")


# --- LangChain ---------------------------------------------------------------------------


@tool
def run_command(command: str) -> str:
    """Run a shell command on the ops host and return its output."""
    # case: @tool argument run in a shell
    # ruleid: unscoped-agent-tool
    if not confirm_tool_call("run_command", {"command": command}):
        return "The user declined this action."
    return subprocess.run(command, shell=True, capture_output=True, text=True).stdout


@tool
def run_allowed(command: str) -> str:
    """Run one of the allowed diagnostics (uptime, df, free, who)."""
    if command not in ALLOWED_COMMANDS:
        raise ValueError(f"not an allowed command: {command!r}")
    # case: the command was checked against an allowlist first
    # ok: unscoped-agent-tool
    return subprocess.run(command, shell=True, capture_output=True, text=True).stdout


def read_note(name: str) -> str:
    """Read a note from the team's notes folder."""
    # case: path joined under a folder, never checked to stay inside it (`../../etc/passwd`)
    # ruleid: unscoped-agent-tool
    if not confirm_tool_call("read_note", {"name": name}):
        return "The user declined this action."
    with open(os.path.join("/srv/notes", name)) as f:
        return f.read()


read_note_tool = StructuredTool.from_function(func=read_note, name="read_note", description=read_note.__doc__)


def read_note_contained(name: str) -> str:
    """Read a note, refusing anything outside the notes folder."""
    target = (NOTES_ROOT / name).resolve()
    if not target.is_relative_to(NOTES_ROOT):
        raise PermissionError(f"{name} is outside the notes folder")
    # case: resolved path checked to lie under the root
    # ok: unscoped-agent-tool
    return target.read_text()


contained_tool = StructuredTool.from_function(func=read_note_contained, name="read_note", description="Read a note.")


@tool
def read_archive(name: str) -> str:
    """Read an archived ticket export."""
    full = os.path.realpath(os.path.join("/srv/archive", name))
    if os.path.commonpath([full, "/srv/archive"]) != "/srv/archive":
        raise PermissionError(f"{name} is outside the archive")
    # case: commonpath with the fixed root proves containment
    # ok: unscoped-agent-tool
    with open(full) as f:
        return f.read()


def fetch_page(url: str) -> str:
    # case: reached through a helper: the page fetched is whatever URL the model passed to the `fetch` tool
    # ruleid: unscoped-agent-tool
    return requests.get(url, timeout=10).text


def fetch_status(url: str) -> str:
    return fetch_page(url)


fetch_tool = Tool(name="fetch", func=fetch_status, description="Fetch a web page and return its HTML.")


def weather(city: str) -> str:
    # case: fixed host; the model only fills a query parameter
    # ok: unscoped-agent-tool
    return requests.get(f"https://api.weather.example.com/v1/today?city={city}", timeout=10).text


weather_tool = Tool("weather", weather, "Today's weather for a city.")


class CalculatorTool(BaseTool):
    name: str = "calculator"
    description: str = "Evaluate an arithmetic expression."

    def _run(self, expression: str) -> str:
        # case: BaseTool subclass evaluates the model's expression as Python
        # ruleid: unscoped-agent-tool
        return str(eval(expression))


class GitLogTool(BaseTool):
    name: str = "git_log"
    description: str = "Search commit messages."

    def _run(self, pattern: str) -> str:
        # case: fixed program, the model's text is one argument with no shell
        # ok: unscoped-agent-tool
        return subprocess.run(["git", "log", "--oneline", "--grep", pattern], capture_output=True, text=True).stdout


@tool
def grep_logs(pattern: str) -> str:
    """Search the service logs."""
    # case: the model's text is quoted inside a command line whose program is fixed
    # ok: unscoped-agent-tool
    return subprocess.run(f"grep -rn {shlex.quote(pattern)} /var/log/app", shell=True, capture_output=True, text=True).stdout


def archive_report(name: str) -> str:
    # case: only the file name survives; it cannot climb out of the reports folder
    # ok: unscoped-agent-tool
    shutil.copy(REPORTS_DIR / os.path.basename(name), "/srv/archive/")
    return "archived"


archive_tool = StructuredTool.from_function(archive_report, name="archive_report", description="Archive a report.")


def count_lines(path: str) -> int:
    # case: a plain helper that no agent is given; the path comes from our own code
    # ok: unscoped-agent-tool
    with open(path) as f:
        return sum(1 for _ in f)


# --- LangGraph -----------------------------------------------------------------------------


def clean_workspace(path: str) -> str:
    """Delete a scratch folder."""
    # case: a function passed in the tools list of a prebuilt ReAct agent
    # ruleid: unscoped-agent-tool
    if not confirm_tool_call("clean_workspace", {"path": path}):
        return "The user declined this action."
    shutil.rmtree(path)
    return f"removed {path}"


def restart_service(service: str) -> str:
    """Restart a systemd unit."""
    # case: same shape, but the graph stops before every tool call for a person to review
    # ok: unscoped-agent-tool
    os.system(f"systemctl restart {service}")
    return "restarted"


def drop_cache(key: str) -> str:
    """Drop a cache entry after a person approves it."""
    decision = interrupt({"action": "drop_cache", "key": key})
    if decision != "approve":
        return "cancelled"
    # case: LangGraph interrupt() asks a person before the command runs
    # ok: unscoped-agent-tool
    os.system(f"redis-cli DEL {key}")
    return "dropped"


cleanup_agent = create_react_agent(llm, tools=[clean_workspace, drop_cache])
reviewed_agent = create_react_agent(llm, tools=[restart_service], interrupt_before=["tools"])


# --- OpenAI Agents SDK ---------------------------------------------------------------------


@function_tool(needs_approval=True)
def top_customers(where: str) -> str:
    """Top customers matching a SQL condition."""
    # case: the model writes part of the SQL text
    # ruleid: unscoped-agent-tool
    rows = db.execute(f"SELECT name, total FROM customers WHERE {where} ORDER BY total DESC LIMIT 10").fetchall()
    return json.dumps(rows)


@function_tool
def customer_by_email(email: str) -> str:
    """Look up a customer by e-mail."""
    # case: parameterised query; the model's text is a bound value
    # ok: unscoped-agent-tool
    rows = db.execute("SELECT name, total FROM customers WHERE email = ?", (email,)).fetchall()
    return json.dumps(rows)


@function_tool(needs_approval=True)
def delete_customer(customer_id: str) -> str:
    """Delete a customer record."""
    # case: the SDK pauses the run for a person's approval before calling the tool
    # ok: unscoped-agent-tool
    db.executescript(f"DELETE FROM customers WHERE id = {customer_id};")
    return "deleted"


# --- MCP (FastMCP) -------------------------------------------------------------------------


@mcp.tool()
def delete_file(path: str) -> str:
    """Delete a file on the server."""
    # case: MCP tool argument used as a path
    # ruleid: unscoped-agent-tool
    if not confirm_tool_call("delete_file", {"path": path}):
        return "The user declined this action."
    os.remove(path)
    return f"deleted {path}"


@mcp.tool()
def load_snapshot(blob: str) -> str:
    """Restore a saved session snapshot."""
    # case: MCP tool argument unpickled
    # ruleid: unscoped-agent-tool
    if not confirm_tool_call("load_snapshot", {"blob": blob}):
        return "The user declined this action."
    state = pickle.loads(base64.b64decode(blob))
    return f"restored {len(state)} keys"


# --- CrewAI ------------------------------------------------------------------------------


@crew_tool("Run a shell command")
def crew_shell(command: str) -> str:
    """Run a shell command and return its output."""
    # case: CrewAI @tool, command through os.popen
    # ruleid: unscoped-agent-tool
    if not confirm_tool_call("crew_shell", {"command": command}):
        return "The user declined this action."
    return os.popen(command).read()


class ListFolderInput(BaseModel):
    program: str = Field(..., description="ls or du")
    folder: str = Field(..., description="The folder to inspect.")


class ListFolderTool(CrewBaseTool):
    name: str = "list_folder"
    description: str = "List a folder with ls or du."
    args_schema: type[BaseModel] = ListFolderInput

    def _run(self, program: str, folder: str) -> str:
        if program not in ALLOWED_PROGRAMS:
            return f"unknown program {program}"
        # case: the program is looked up in a fixed table and checked first
        # ok: unscoped-agent-tool
        return subprocess.run([ALLOWED_PROGRAMS[program], folder], capture_output=True, text=True).stdout


class RunProgramTool(CrewBaseTool):
    name: str = "run_program"
    description: str = "Run a program with arguments."

    def _run(self, program: str, args: list[str]) -> str:
        # case: the model picks the program itself
        # ruleid: unscoped-agent-tool
        return subprocess.run([program, *args], capture_output=True, text=True).stdout


# --- AutoGen -------------------------------------------------------------------------------


def run_python(code: str) -> str:
    """Run a Python snippet and return what it prints."""
    if not confirm_tool_call("run_python", {"code": code}):
        return "The user declined this action."
    scope: dict = {}
    # case: registered with register_function: the assistant's code runs in this process
    # ruleid: unscoped-agent-tool
    exec(code, scope)
    return str(scope.get("result"))


def run_python_confirmed(code: str) -> str:
    """Run a Python snippet after the operator confirms it."""
    if not click.confirm(f"Run this code?\n{code}"):
        return "refused"
    # case: a person confirms at the terminal before the code runs
    # ok: unscoped-agent-tool
    exec(code, {})
    return "done"


legacy_assistant = LegacyAssistant("coder", llm_config={"model": "gpt-4.1-mini"})
executor = UserProxyAgent("executor", human_input_mode="NEVER", code_execution_config=False)
register_function(run_python, caller=legacy_assistant, executor=executor, name="run_python", description="Run Python.")
register_function(run_python_confirmed, caller=legacy_assistant, executor=executor, name="run_checked", description="Run Python.")


async def save_report(filename: str, body: str) -> str:
    """Save a report."""
    # case: AgentChat AssistantAgent tools=[...]: the model names the file written
    # ruleid: unscoped-agent-tool
    if not confirm_tool_call("save_report", {"filename": filename, "body": body}):
        return "The user declined this action."
    Path(filename).write_text(body)
    return "saved"


reporter = AssistantAgent("reporter", model_client=model_client, tools=[save_report])


# --- LlamaIndex ----------------------------------------------------------------------------


def run_query(sql: str) -> str:
    """Run a SQL query against the shop database."""
    if not confirm_tool_call("run_query", {"sql": sql}):
        return "The user declined this action."
    cursor = db.cursor()
    # case: LlamaIndex FunctionTool over raw SQL from the model
    # ruleid: unscoped-agent-tool
    cursor.execute(sql)
    return json.dumps(cursor.fetchall())


sql_tool = FunctionTool.from_defaults(fn=run_query)


# --- PydanticAI ----------------------------------------------------------------------------


@analyst.tool_plain
def status_page(url: str) -> str:
    """Fetch a status page."""
    # case: PydanticAI plain tool fetches any URL the model gives (internal addresses too)
    # ruleid: unscoped-agent-tool
    if not confirm_tool_call("status_page", {"url": url}):
        return "The user declined this action."
    return httpx.get(url, timeout=10).text


@analyst.tool
def vendor_status(ctx: RunContext[str], vendor: str) -> str:
    """Fetch a vendor's status from our status proxy."""
    # case: fixed host and path prefix; the model picks the vendor segment
    # ok: unscoped-agent-tool
    return httpx.get(f"https://status-proxy.internal.example.com/v1/{vendor}", timeout=10).text


# --- OpenAI function calling with a dispatch table ----------------------------------------


def write_file(path: str, content: str) -> str:
    # case: called through the dispatch table with the arguments the model wrote
    # ruleid: unscoped-agent-tool
    if not confirm_tool_call("write_file", {"path": path, "content": content}):
        return "The user declined this action."
    with open(path, "w") as f:
        f.write(content)
    return "ok"


def disk_usage() -> str:
    return subprocess.run(["df", "-h"], capture_output=True, text=True).stdout


TOOLS = {"write_file": write_file, "disk_usage": disk_usage}


def agent_step(messages: list) -> list:
    response = client.chat.completions.create(model="gpt-4.1-mini", messages=messages, max_completion_tokens=800)
    for call in response.choices[0].message.tool_calls or []:
        result = TOOLS[call.function.name](**json.loads(call.function.arguments))
        messages.append({"role": "tool", "tool_call_id": call.id, "content": result})
    return messages


# --- Built-in tools and toolkits -----------------------------------------------------------

# case: LangChain's shell tool runs any command the model writes
# ruleid: unscoped-agent-tool
shell_tool = ShellTool()

# case: every command goes to a person first through the approval callback
# ok: unscoped-agent-tool
reviewed_shell = ShellTool(callbacks=[HumanApprovalCallbackHandler()])

# case: a Python REPL in this process
# ruleid: unscoped-agent-tool
python_repl = PythonREPLTool()

# case: the experimental bash process
# ruleid: unscoped-agent-tool
bash = BashProcess(persistent=True)

# case: LlamaIndex's local code interpreter
# ruleid: unscoped-agent-tool
code_tools = CodeInterpreterToolSpec().to_tool_list()

# case: file toolkit over the whole disk
# ruleid: unscoped-agent-tool
file_tools = FileManagementToolkit(root_dir=AGENT_FILES_ROOT, selected_tools=["read_file", "list_directory"]).get_tools()

# case: rooted in one folder and read-only
# ok: unscoped-agent-tool
note_tools = FileManagementToolkit(root_dir="/srv/notes", selected_tools=["read_file", "list_directory"]).get_tools()

requests_tools = RequestsToolkit(
    requests_wrapper=TextRequestsWrapper(headers={}),
    # case: lets the agent send any HTTP request
    # ruleid: unscoped-agent-tool
).get_tools()

pandas_agent = create_pandas_dataframe_agent(
    llm,
    None,
    # case: lets the agent run Python on this machine
    # ruleid: unscoped-agent-tool
)

# case: a SQL agent's connection that can write
# ruleid: unscoped-agent-tool
shop_db = SQLDatabase.from_uri("postgresql://app:app@db.internal/shop")

# case: SQLite opened read-only
# ok: unscoped-agent-tool
reporting_db = SQLDatabase.from_uri("sqlite:///file:/srv/app/shop.db?mode=ro&uri=true")
