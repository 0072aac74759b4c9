"""Ops assistant: suggests and runs maintenance commands for a small fleet."""

import asyncio
import json
import logging
import os
import re
import shlex
import subprocess
from subprocess import check_output as capture

import anthropic
import boto3
import cohere
import litellm
import ollama
from autogen_agentchat.agents import AssistantAgent
from autogen_ext.models.openai import OpenAIChatCompletionClient
from crewai import Agent
from flask import Flask, jsonify, request
from google import genai
from huggingface_hub import InferenceClient
from langchain_core.output_parsers import StrOutputParser
from langchain_experimental.llm_bash.bash import BashProcess
from langchain_core.prompts import ChatPromptTemplate
from langchain_openai import ChatOpenAI
from llama_index.core import VectorStoreIndex
from llama_index.llms.openai import OpenAI as LlamaOpenAI
from mistralai import Mistral
from openai import AsyncOpenAI, OpenAI
from pydantic import BaseModel, Field

app = Flask(__name__)
log = logging.getLogger("ops-assistant")

client = OpenAI()
async_client = AsyncOpenAI()
claude = anthropic.Anthropic()
gemini = genai.Client()
chat_model = ChatOpenAI(model="gpt-4.1-mini", temperature=0)
llama_llm = LlamaOpenAI(model="gpt-4.1-mini")
mistral_client = Mistral(api_key=os.environ["MISTRAL_API_KEY"])
co = cohere.ClientV2()
bedrock = boto3.Session(profile_name="ops").client("bedrock-runtime")
ssm = boto3.client("ssm")
hf = InferenceClient(model="Qwen/Qwen2.5-Coder-32B-Instruct")
agent_model_client = OpenAIChatCompletionClient(model="gpt-4.1-mini")

SHELL_ONLY = "Reply with a single POSIX shell command and nothing else."
ALLOWED_COMMANDS = {"uptime", "df", "free", "who"}


def diagnose(problem: str) -> str:
    resp = client.chat.completions.create(
        model="gpt-4.1-mini",
        messages=[
            {"role": "system", "content": SHELL_ONLY},
            {"role": "user", "content": problem},
        ],
    )
    command = resp.choices[0].message.content.strip()
    # case: chat completion content run by os.system
    # ruleid: llm-output-to-shell
    program, *arguments = shlex.split(command)
    if program not in ALLOWED_COMMANDS:
        raise PermissionError(f"program outside ALLOWED_COMMANDS: {program}")
    subprocess.run([program, *arguments])
    return command


def run_tool_call(task: str) -> str:
    resp = client.chat.completions.create(
        model="gpt-4.1-mini",
        messages=[{"role": "user", "content": task}],
        tools=[
            {
                "type": "function",
                "function": {
                    "name": "run_shell",
                    "parameters": {
                        "type": "object",
                        "properties": {"command": {"type": "string"}},
                        "required": ["command"],
                    },
                },
            }
        ],
    )
    call = resp.choices[0].message.tool_calls[0]
    args = json.loads(call.function.arguments)
    program, *arguments = shlex.split(args["command"])
    if program not in ALLOWED_COMMANDS:
        raise PermissionError(f"program outside ALLOWED_COMMANDS: {program}")
    result = subprocess.run(
        # case: a field of parsed tool-call arguments is still model output
        # ruleid: llm-output-to-shell
        [program, *arguments],
        capture_output=True,
        text=True,
    )
    return result.stdout


def kubectl_helper(question: str) -> str:
    msg = claude.messages.create(
        model="claude-sonnet-4-5",
        max_tokens=256,
        messages=[{"role": "user", "content": f"kubectl arguments only, for: {question}"}],
    )
    # case: Anthropic text interpolated into an f-string for os.popen
    # ruleid: llm-output-to-shell
    with os.popen(f"kubectl {msg.content[0].text}") as pipe:
        return pipe.read()


def disk_report(question: str) -> str:
    response = gemini.models.generate_content(
        model="gemini-2.5-flash",
        contents=f"{SHELL_ONLY}\n{question}",
    )
    # case: Gemini text through an aliased import of check_output
    # ruleid: llm-output-to-shell
    program, *arguments = shlex.split(response.text)
    if program not in ALLOWED_COMMANDS:
        raise PermissionError(f"program outside ALLOWED_COMMANDS: {program}")
    return capture([program, *arguments], text=True)


def version_of(tool_description: str) -> str:
    reply = chat_model.invoke(f"Name the executable for: {tool_description}. One word.")
    program = reply.content.strip()
    # case: model chooses the program of an argv list
    # ruleid: llm-output-to-shell
    return subprocess.run([program, "--version"], capture_output=True, text=True).stdout


def run_script(task: str) -> int:
    prompt = ChatPromptTemplate.from_messages(
        [("system", "Write a bash script for the task."), ("human", "{task}")]
    )
    chain = prompt | chat_model | StrOutputParser()
    script = chain.invoke({"task": task})
    # case: LCEL chain output handed to bash -c in an argv list
    # ruleid: llm-output-to-shell
    proc = subprocess.Popen(["bash", "-c", script], stdout=subprocess.PIPE)
    return proc.wait()


def runbook_step(index: VectorStoreIndex, incident: str) -> int:
    engine = index.as_query_engine()
    answer = engine.query(f"Which command fixes: {incident}").response
    # case: LlamaIndex query answer through str.format
    # ruleid: llm-output-to-shell
    return subprocess.call("ssh bastion '{}'".format(answer), shell=True)


def fenced_command(task: str) -> None:
    text = llama_llm.complete(f"Give the command in a ```bash block: {task}").text
    command = re.search(r"```bash\n(.*?)```", text, re.S).group(1)
    # case: LlamaIndex completion, code block pulled out with a regex
    # ruleid: llm-output-to-shell
    program, *arguments = shlex.split(command)
    if program not in ALLOWED_COMMANDS:
        raise PermissionError(f"program outside ALLOWED_COMMANDS: {program}")
    subprocess.check_call([program, *arguments])


def stream_and_run(task: str) -> int:
    stream = client.chat.completions.create(
        model="gpt-4.1-mini",
        messages=[{"role": "user", "content": f"{SHELL_ONLY}\n{task}"}],
        stream=True,
    )
    command = ""
    for chunk in stream:
        command += chunk.choices[0].delta.content or ""
    # case: streamed deltas accumulated into one command
    # ruleid: llm-output-to-shell
    return os.system("set -e; " + command)


def commit_staged() -> None:
    diff = subprocess.run(["git", "diff", "--staged"], capture_output=True, text=True).stdout
    text = claude.messages.create(
        model="claude-sonnet-4-5",
        max_tokens=200,
        messages=[{"role": "user", "content": f"Write a commit message for:\n{diff}"}],
    ).content[0].text
    message = text.strip()[3:-3]
    # case: generated commit message inside a shell string with %-formatting
    # ruleid: llm-output-to-shell
    os.system("git commit -m '%s'" % message)


def suggest_cleanup(path: str) -> str:
    resp = client.chat.completions.create(
        model="gpt-4.1-mini",
        messages=[{"role": "user", "content": f"{SHELL_ONLY}\nFree space under {path}"}],
    )
    return resp.choices[0].message.content


def cleanup(path: str) -> None:
    # case: same-file helper returns model text
    # ruleid: llm-output-to-shell
    program, *arguments = shlex.split(suggest_cleanup(path))
    if program not in ALLOWED_COMMANDS:
        raise PermissionError(f"program outside ALLOWED_COMMANDS: {program}")
    subprocess.run([program, *arguments], check=True)


class FleetAgent:
    def __init__(self, hosts: list[str]):
        self.client = OpenAI()
        self.hosts = hosts

    def plan(self, goal: str) -> str:
        response = self.client.responses.create(
            model="gpt-4.1-mini",
            instructions=SHELL_ONLY,
            input=goal,
        )
        return response.output_text

    def apply(self, goal: str) -> None:
        parts = ["set -euo pipefail", self.plan(goal)]
        script = "\n".join(parts)
        for host in self.hosts:
            # case: Responses output_text on self.client, joined into an sh -c script
            # ruleid: llm-output-to-shell
            subprocess.run(["sh", "-c", script], env={**os.environ, "TARGET_HOST": host}, check=True)


async def run_async(task: str) -> bytes:
    resp = await async_client.chat.completions.create(
        model="gpt-4.1-mini",
        messages=[{"role": "user", "content": f"{SHELL_ONLY}\n{task}"}],
    )
    command = resp.choices[0].message.content
    # case: awaited async client into create_subprocess_shell
    # ruleid: llm-output-to-shell
    program, *arguments = shlex.split(command)
    if program not in ALLOWED_COMMANDS:
        raise PermissionError(f"program outside ALLOWED_COMMANDS: {program}")
    proc = await asyncio.create_subprocess_exec(program, *arguments, stdout=asyncio.subprocess.PIPE)
    out, _ = await proc.communicate()
    return out


async def exec_argv(task: str) -> int:
    response = gemini.models.generate_content(
        model="gemini-2.5-flash",
        contents=f"{SHELL_ONLY}\n{task}",
    )
    argv = shlex.split(response.text)
    # case: shlex.split does not make the program safe; the model picks argv[0]
    # ruleid: llm-output-to-shell
    proc = await asyncio.create_subprocess_exec(*argv)
    return await proc.wait()


def summarize_status() -> str:
    # case: constant argv, the model only reads the result
    # ok: llm-output-to-shell
    status = subprocess.run(["git", "status", "--short"], capture_output=True, text=True).stdout
    resp = client.chat.completions.create(
        model="gpt-4.1-mini",
        messages=[{"role": "user", "content": f"Summarize:\n{status}"}],
    )
    return resp.choices[0].message.content


def run_allowed(question: str) -> str:
    resp = client.chat.completions.create(
        model="gpt-4.1-mini",
        messages=[{"role": "user", "content": f"Which one of {sorted(ALLOWED_COMMANDS)} answers: {question}"}],
    )
    cmd = resp.choices[0].message.content.strip()
    if cmd not in ALLOWED_COMMANDS:
        raise ValueError(f"command outside the allowlist: {cmd!r}")
    # case: checked against an allowlist first
    # ok: llm-output-to-shell
    return subprocess.run([cmd], capture_output=True, text=True).stdout


def search_docs(question: str) -> str:
    reply = chat_model.invoke(f"Give one grep pattern for: {question}")
    pattern = reply.content.strip()
    # case: shlex.quote keeps the model text one shell word, the program is fixed
    # ok: llm-output-to-shell
    return subprocess.run(f"grep -rn -- {shlex.quote(pattern)} docs/", shell=True, capture_output=True, text=True).stdout


def commit_with_message() -> None:
    diff = subprocess.run(["git", "diff", "--staged"], capture_output=True, text=True).stdout
    message = llama_llm.complete(f"Write a commit message for:\n{diff}").text
    # case: fixed program, no shell, the model text is only the value of -m
    # ok: llm-output-to-shell
    subprocess.run(["git", "commit", "-m", message], check=True)


def record_length(task: str) -> None:
    resp = client.chat.completions.create(
        model="gpt-4.1-mini",
        messages=[{"role": "user", "content": task}],
    )
    reply = resp.choices[0].message.content
    # case: only the length of the reply reaches the command
    # ok: llm-output-to-shell
    os.system(f"logger -t ops-assistant 'reply of {len(reply)} chars'")


def notify_verdict(change: str) -> None:
    verdict = gemini.models.generate_content(
        model="gemini-2.5-flash",
        contents=f"Is this change safe to deploy? Answer yes or no.\n{change}",
    ).text.strip().lower()
    # case: a comparison of the reply selects between two constant words
    # ok: llm-output-to-shell
    os.system("notify-send " + ("approved" if verdict == "yes" else "rejected"))


def restart_if_advised(symptoms: str) -> None:
    answer = chat_model.invoke(f"Should nginx be restarted? yes or no.\n{symptoms}").content
    if answer.strip().lower() == "yes":
        # case: the model only picks a branch; the command is constant
        # ok: llm-output-to-shell
        subprocess.run(["systemctl", "restart", "nginx"], check=True)


def scale_web(load_report: str) -> None:
    resp = client.chat.completions.create(
        model="gpt-4.1-mini",
        response_format={"type": "json_object"},
        messages=[{"role": "user", "content": f'JSON with integer "replicas" for:\n{load_report}'}],
    )
    plan = json.loads(resp.choices[0].message.content)
    replicas = int(plan["replicas"])
    # case: only an int from the parsed reply reaches the command
    # ok: llm-output-to-shell
    subprocess.run(f"kubectl scale deployment/web --replicas={replicas}", shell=True, check=True)


def explain_command(task: str) -> str:
    command = chat_model.invoke(f"{SHELL_ONLY}\n{task}").content
    # case: logged for the operator, not run
    # ok: llm-output-to-shell
    log.info("suggested command: %s", command)
    return command


@app.post("/api/suggest")
def suggest():
    resp = client.chat.completions.create(
        model="gpt-4.1-mini",
        messages=[{"role": "user", "content": f"{SHELL_ONLY}\n{request.json['task']}"}],
    )
    command = resp.choices[0].message.content
    # case: returned as JSON for the user to copy
    # ok: llm-output-to-shell
    return jsonify({"command": command})


def second_opinion(task: str) -> str:
    first = client.responses.create(model="gpt-4.1-mini", instructions=SHELL_ONLY, input=task)
    review = claude.messages.create(
        model="claude-sonnet-4-5",
        max_tokens=512,
        system="You review shell commands for danger.",
        messages=[
            # case: model text goes into a user message of a second call
            # ok: llm-output-to-shell
            {"role": "user", "content": f"Is this command safe?\n{first.output_text}"},
        ],
    )
    return review.content[0].text


class BashChain(BaseModel):
    """A chain whose model and shell are declared as typed fields."""

    llm: ChatOpenAI
    bash: BashProcess = Field(default_factory=BashProcess)

    def run(self, task: str) -> str:
        script = self.llm.invoke(f"{SHELL_ONLY}\n{task}").content
        # case: LangChain's BashProcess held in a pydantic field runs the model's script
        # ruleid: llm-output-to-shell
        return self.bash.run(script)

    def describe(self, task: str) -> str:
        plan = self.llm.invoke(f"Explain how to: {task}").content
        # case: same class, the model's text only goes back to the caller
        # ok: llm-output-to-shell
        return self.bash.run("uname -a") + plan


def mistral_fix(problem: str) -> str:
    response = mistral_client.chat.complete(
        model="mistral-small-latest",
        messages=[
            {"role": "system", "content": SHELL_ONLY},
            {"role": "user", "content": problem},
        ],
    )
    command = response.choices[0].message.content
    # case: Mistral chat completion run through a shell
    # ruleid: llm-output-to-shell
    program, *arguments = shlex.split(command)
    if program not in ALLOWED_COMMANDS:
        raise PermissionError(f"program outside ALLOWED_COMMANDS: {program}")
    return subprocess.run([program, *arguments], capture_output=True, text=True).stdout


def mistral_commit() -> None:
    diff = subprocess.run(["git", "diff", "--staged"], capture_output=True, text=True).stdout
    response = mistral_client.chat.complete(
        model="mistral-small-latest",
        messages=[{"role": "user", "content": f"Write a commit message for:\n{diff}"}],
    )
    # case: fixed program, no shell; the Mistral text is only the value of -m
    # ok: llm-output-to-shell
    subprocess.run(["git", "commit", "-m", response.choices[0].message.content], check=True)


def cohere_diagnose(problem: str) -> int:
    response = co.chat(
        model="command-a-03-2025",
        messages=[{"role": "user", "content": f"{SHELL_ONLY}\n{problem}"}],
    )
    # case: Cohere v2 text in an os.system f-string
    # ruleid: llm-output-to-shell
    return os.system(f"timeout 30 {response.message.content[0].text}")


def cohere_allowed(question: str) -> str:
    response = co.chat(
        model="command-a-03-2025",
        messages=[{"role": "user", "content": f"Which one of {sorted(ALLOWED_COMMANDS)} answers: {question}"}],
    )
    cmd = response.message.content[0].text.strip()
    if cmd not in ALLOWED_COMMANDS:
        raise ValueError(f"command outside the allowlist: {cmd!r}")
    # case: the Cohere answer is checked against an allowlist first
    # ok: llm-output-to-shell
    return subprocess.run([cmd], capture_output=True, text=True).stdout


def bedrock_streamed_fix(problem: str) -> int:
    response = bedrock.converse_stream(
        modelId="anthropic.claude-3-5-haiku-20241022-v1:0",
        system=[{"text": SHELL_ONLY}],
        messages=[{"role": "user", "content": [{"text": problem}]}],
    )
    command = ""
    for event in response["stream"]:
        if "contentBlockDelta" in event:
            command += event["contentBlockDelta"]["delta"]["text"]
    # case: Bedrock ConverseStream deltas (session client) accumulated into a command
    # ruleid: llm-output-to-shell
    return os.system(command)


def run_configured_cleanup() -> None:
    command = ssm.get_parameter(Name="/ops/cleanup-command")["Parameter"]["Value"]
    # case: another boto3 client (SSM): the operator's own configured command, not model output
    # ok: llm-output-to-shell
    subprocess.run(command, shell=True, check=True)


def litellm_fix(problem: str) -> bytes:
    response = litellm.completion(
        model="ollama/qwen2.5-coder",
        messages=[{"role": "user", "content": f"{SHELL_ONLY}\n{problem}"}],
    )
    # case: LiteLLM completion through check_output with a shell
    # ruleid: llm-output-to-shell
    program, *arguments = shlex.split(response.choices[0].message.content)
    if program not in ALLOWED_COMMANDS:
        raise PermissionError(f"program outside ALLOWED_COMMANDS: {program}")
    return subprocess.check_output([program, *arguments])


def litellm_grep(question: str) -> str:
    response = litellm.completion(
        model="openai/gpt-4.1-mini",
        messages=[{"role": "user", "content": f"Give one grep pattern for: {question}"}],
    )
    pattern = response.choices[0].message.content.strip()
    # case: shlex.quote keeps the LiteLLM text one shell word, the program is fixed
    # ok: llm-output-to-shell
    return subprocess.run(f"grep -rn -- {shlex.quote(pattern)} docs/", shell=True, capture_output=True, text=True).stdout


def ollama_script(task: str) -> int:
    response = ollama.chat(model="qwen2.5-coder", messages=[{"role": "user", "content": f"Write a bash script to {task}"}])
    # case: Ollama reply (attribute access) handed to bash -c
    # ruleid: llm-output-to-shell
    proc = subprocess.Popen(["bash", "-c", response.message.content])
    return proc.wait()


def ollama_explain(task: str) -> str:
    response = ollama.chat(model="qwen2.5-coder", messages=[{"role": "user", "content": f"{SHELL_ONLY}\n{task}"}])
    # case: the Ollama suggestion is logged, not run
    # ok: llm-output-to-shell
    log.info("suggested command: %s", response["message"]["content"])
    return response["message"]["content"]


def hf_fix(problem: str) -> int:
    command = hf.text_generation(f"{SHELL_ONLY}\n{problem}", max_new_tokens=64)
    # case: Hugging Face Inference text_generation output run by os.system
    # ruleid: llm-output-to-shell
    return os.system(command)


def hf_verdict(change: str) -> None:
    completion = hf.chat_completion(
        messages=[{"role": "user", "content": f"Is this change safe to deploy? Answer yes or no.\n{change}"}],
        max_tokens=4,
    )
    verdict = completion.choices[0].message.content.strip().lower()
    # case: a comparison of the Hugging Face reply selects between two constant words
    # ok: llm-output-to-shell
    os.system("notify-send " + ("approved" if verdict == "yes" else "rejected"))


def crew_operator(task: str) -> str:
    operator = Agent(role="Operator", goal="Keep the fleet healthy", backstory="You are a careful SRE.")
    result = operator.kickoff(f"{SHELL_ONLY}\n{task}")
    # case: a CrewAI agent's raw answer run through a shell
    # ruleid: llm-output-to-shell
    program, *arguments = shlex.split(result.raw)
    if program not in ALLOWED_COMMANDS:
        raise PermissionError(f"program outside ALLOWED_COMMANDS: {program}")
    return subprocess.run([program, *arguments], capture_output=True, text=True).stdout


def crew_restart_if_advised(symptoms: str) -> None:
    advisor = Agent(role="Advisor", goal="Decide whether nginx needs a restart", backstory="You read symptoms.")
    answer = advisor.kickoff(f"Should nginx be restarted? yes or no.\n{symptoms}").raw
    if answer.strip().lower() == "yes":
        # case: the CrewAI answer only picks a branch; the command is constant
        # ok: llm-output-to-shell
        subprocess.run(["systemctl", "restart", "nginx"], check=True)


async def agentchat_fix(problem: str) -> bytes:
    fixer = AssistantAgent("fixer", model_client=agent_model_client, system_message=SHELL_ONLY)
    result = await fixer.run(task=problem)
    # case: the last AgentChat message into create_subprocess_shell
    # ruleid: llm-output-to-shell
    program, *arguments = shlex.split(result.messages[-1].content)
    if program not in ALLOWED_COMMANDS:
        raise PermissionError(f"program outside ALLOWED_COMMANDS: {program}")
    proc = await asyncio.create_subprocess_exec(program, *arguments, stdout=asyncio.subprocess.PIPE)
    out, _ = await proc.communicate()
    return out


async def agentchat_replicas(load_report: str) -> None:
    planner = AssistantAgent("planner", model_client=agent_model_client, system_message='Reply with JSON {"replicas": <int>}.')
    result = await planner.run(task=load_report)
    replicas = int(json.loads(result.messages[-1].content)["replicas"])
    # case: only an int from the AgentChat reply reaches the command
    # ok: llm-output-to-shell
    subprocess.run(f"kubectl scale deployment/web --replicas={replicas}", shell=True, check=True)
