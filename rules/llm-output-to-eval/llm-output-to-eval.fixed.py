"""Data-analysis assistant: turns questions about a DataFrame into answers."""

import ast
import json
import os
import re
import textwrap
from typing import Optional
from pathlib import Path

import anthropic
import boto3
import cohere
import litellm
import ollama
import pandas as pd
from autogen import AssistantAgent, UserProxyAgent
from autogen_agentchat.agents import AssistantAgent as ChatAgent
from autogen_ext.models.openai import OpenAIChatCompletionClient
from crewai import Agent, Crew, Task
from google import genai
from langchain_core.output_parsers import StrOutputParser
from langchain_core.prompts import ChatPromptTemplate
from langchain_experimental.tools import PythonREPLTool
from langchain_experimental.tools.python.tool import PythonAstREPLTool
from langchain_experimental.utilities import PythonREPL
from langchain_openai import ChatOpenAI
from llama_index.core import VectorStoreIndex
from llama_index.llms.openai import OpenAI as LlamaOpenAI
from mistralai import Mistral
from openai import AsyncOpenAI, OpenAI
from pydantic import BaseModel
from sympy import sympify
from transformers import AutoModelForCausalLM, AutoTokenizer, pipeline

client = OpenAI()
async_client = AsyncOpenAI()
claude = anthropic.Anthropic()
gemini = genai.Client()
chat_model = ChatOpenAI(model="gpt-4.1-mini", temperature=0)
llama_llm = LlamaOpenAI(model="gpt-4.1-mini")
mistral_client = Mistral(api_key=os.environ["MISTRAL_API_KEY"])
co = cohere.ClientV2()
bedrock = boto3.client("bedrock-runtime")
code_pipe = pipeline("text-generation", model="Qwen/Qwen2.5-Coder-1.5B-Instruct")
coder_tokenizer = AutoTokenizer.from_pretrained("Qwen/Qwen2.5-Coder-1.5B-Instruct")
coder_model = AutoModelForCausalLM.from_pretrained("Qwen/Qwen2.5-Coder-1.5B-Instruct")
agent_model_client = OpenAIChatCompletionClient(model="gpt-4.1-mini")
AUTOGEN_LLM_CONFIG = {"config_list": [{"model": "gpt-4.1-mini"}]}

CODE_ONLY = "Answer with Python code only. The DataFrame is called `df`."
PLOT_SETUP = "import matplotlib\nmatplotlib.use('Agg')\n"
APPROVED_CLEANUP = "df.dropna(inplace=True)"


class ChartSpec(BaseModel):
    kind: str
    x: str
    y: str


def run_analysis(df: pd.DataFrame, question: str):
    resp = client.chat.completions.create(
        model="gpt-4.1-mini",
        messages=[
            {"role": "system", "content": CODE_ONLY},
            {"role": "user", "content": question},
        ],
    )
    code = resp.choices[0].message.content
    scope = {"df": df}
    # case: chat completion content straight into exec
    # ruleid: llm-output-to-eval
    exec(code, scope)
    return scope.get("result")


def run_fenced_snippet(df: pd.DataFrame, question: str):
    msg = claude.messages.create(
        model="claude-sonnet-4-5",
        max_tokens=1024,
        messages=[{"role": "user", "content": f"{CODE_ONLY}\n\n{question}"}],
    )
    text = msg.content[0].text
    match = re.search(r"```python\n(.*?)```", text, re.S)
    if match is None:
        return None
    scope = {"df": df}
    # case: code block pulled out of an Anthropic reply with a regex
    # ruleid: llm-output-to-eval
    exec(match.group(1), scope)
    return scope.get("result")


def calculator(question: str) -> float:
    response = gemini.models.generate_content(
        model="gemini-2.5-flash",
        contents=f"Rewrite as one Python arithmetic expression: {question}",
    )
    expression = response.text.strip()
    # case: Gemini text evaluated as an expression
    # ruleid: llm-output-to-eval
    return ast.literal_eval(expression)


def stream_and_run(df: pd.DataFrame, question: str):
    stream = client.chat.completions.create(
        model="gpt-4.1-mini",
        messages=[{"role": "user", "content": f"{CODE_ONLY}\n{question}"}],
        stream=True,
    )
    code = ""
    for chunk in stream:
        code += chunk.choices[0].delta.content or ""
    scope = {"df": df}
    # case: streamed deltas accumulated into one string
    # ruleid: llm-output-to-eval
    exec(code, scope)
    return scope.get("result")


def repl_answer(question: str) -> str:
    reply = chat_model.invoke([("human", f"{CODE_ONLY}\n{question}")])
    # case: LangChain message content into the experimental Python REPL
    # ruleid: llm-output-to-eval
    return PythonREPL().run(reply.content)


def repl_tool_answer(question: str) -> str:
    prompt = ChatPromptTemplate.from_messages(
        [("system", CODE_ONLY), ("human", "{question}")]
    )
    chain = prompt | chat_model | StrOutputParser()
    code = chain.invoke({"question": question})
    repl = PythonREPLTool()
    # case: LCEL chain output run by PythonREPLTool
    # ruleid: llm-output-to-eval
    return repl.run(code)


def pandas_tool_answer(df: pd.DataFrame, question: str) -> str:
    reply = chat_model.invoke(f"Write one pandas expression over `df` for: {question}")
    tool = PythonAstREPLTool(locals={"df": df})
    # case: model code through PythonAstREPLTool
    # ruleid: llm-output-to-eval
    return tool.invoke(reply.content)


def runbook_step(index: VectorStoreIndex, task: str):
    engine = index.as_query_engine()
    source = engine.query(f"Give the Python snippet for: {task}").response
    namespace: dict = {}
    # case: LlamaIndex query answer compiled and executed
    # ruleid: llm-output-to-eval
    exec(compile(source, "<runbook>", "exec"), namespace)
    return namespace


def fenced_expression(question: str):
    text = llama_llm.complete(f"Answer in a ``` block: {question}").text
    expression = text.strip()[3:-3]
    # case: LlamaIndex completion, fences sliced off
    # ruleid: llm-output-to-eval
    return eval(expression, {"__builtins__": {}})


def ask_for_transform(description: str) -> str:
    resp = client.chat.completions.create(
        model="gpt-4.1-mini",
        messages=[{"role": "user", "content": f"Write the body of transform(row): {description}"}],
    )
    return resp.choices[0].message.content


def build_transform(description: str):
    body = textwrap.indent(ask_for_transform(description), "    ")
    source = "def transform(row):\n" + body + "\n"
    namespace: dict = {}
    # case: same-file helper returns model text, wrapped into a def
    # ruleid: llm-output-to-eval
    exec(source, namespace)
    return namespace["transform"]


def run_tool_call(df: pd.DataFrame, question: str):
    resp = client.chat.completions.create(
        model="gpt-4.1-mini",
        messages=[{"role": "user", "content": question}],
        tools=[
            {
                "type": "function",
                "function": {
                    "name": "run_python",
                    "parameters": {
                        "type": "object",
                        "properties": {"code": {"type": "string"}},
                        "required": ["code"],
                    },
                },
            }
        ],
    )
    call = resp.choices[0].message.tool_calls[0]
    args = json.loads(call.function.arguments)
    # case: a field of parsed tool-call arguments is still model output
    # ruleid: llm-output-to-eval
    exec(args["code"], {"df": df})


class NotebookAgent:
    def __init__(self, df: pd.DataFrame):
        self.client = OpenAI()
        self.scope = {"df": df}

    def step(self, goal: str):
        response = self.client.responses.create(
            model="gpt-4.1-mini",
            instructions=CODE_ONLY,
            input=goal,
        )
        cells = [PLOT_SETUP, response.output_text]
        # case: Responses output_text on self.client, joined with a constant prelude
        # ruleid: llm-output-to-eval
        exec("\n".join(cells), self.scope)
        return self.scope.get("result")


async def evaluate_async(question: str):
    resp = await async_client.chat.completions.create(
        model="gpt-4.1-mini",
        messages=[{"role": "user", "content": f"One Python expression for: {question}"}],
    )
    # case: awaited async client, expression evaluated inline
    # ruleid: llm-output-to-eval
    return ast.literal_eval(resp.choices[0].message.content)


def parse_filters(question: str) -> dict:
    resp = client.chat.completions.create(
        model="gpt-4.1-mini",
        response_format={"type": "json_object"},
        messages=[{"role": "user", "content": f"Return the filters as JSON: {question}"}],
    )
    # case: parsed as JSON data, never evaluated
    # ok: llm-output-to-eval
    return json.loads(resp.choices[0].message.content)


def parse_thresholds(question: str):
    response = gemini.models.generate_content(
        model="gemini-2.5-flash",
        contents=f"Reply with a Python list of numbers only: {question}",
    )
    # case: literal_eval accepts literals only, no calls or names
    # ok: llm-output-to-eval
    return ast.literal_eval(response.text.strip())


def chart_spec(question: str) -> ChartSpec:
    reply = chat_model.invoke(f"Describe the chart as JSON with kind, x, y: {question}")
    # case: schema-validated with pydantic
    # ok: llm-output-to-eval
    return ChartSpec.model_validate_json(reply.content)


def plot_answer(df: pd.DataFrame, question: str) -> str:
    scope = {"df": df}
    # case: constant setup code, no model text in it
    # ok: llm-output-to-eval
    exec(PLOT_SETUP, scope)
    resp = client.chat.completions.create(
        model="gpt-4.1-mini",
        messages=[{"role": "user", "content": question}],
    )
    return resp.choices[0].message.content


def load_plugins(df: pd.DataFrame) -> dict:
    scope = {"df": df}
    plugin_source = Path("plugins/derived_columns.py").read_text()
    # case: code from a file shipped with the application
    # ok: llm-output-to-eval
    exec(plugin_source, scope)
    return scope


def explain_code(question: str) -> str:
    msg = claude.messages.create(
        model="claude-sonnet-4-5",
        max_tokens=1024,
        messages=[{"role": "user", "content": question}],
    )
    code = msg.content[0].text
    # case: shown to the user, not run
    # ok: llm-output-to-eval
    print(code)
    return code


def suggest_snippet(question: str) -> str:
    code = llama_llm.complete(f"{CODE_ONLY}\n{question}").text
    # case: returned in a JSON payload for the UI
    # ok: llm-output-to-eval
    return json.dumps({"suggestion": code})


def review_generated_code(question: str) -> str:
    draft = chat_model.invoke(f"{CODE_ONLY}\n{question}").content
    review = client.chat.completions.create(
        model="gpt-4.1-mini",
        messages=[
            {"role": "system", "content": "You review Python code for bugs."},
            # case: model text goes into a user message of a second call
            # ok: llm-output-to-eval
            {"role": "user", "content": f"Review this code:\n{draft}"},
        ],
    )
    return review.choices[0].message.content


def histogram(df: pd.DataFrame, question: str):
    resp = client.chat.completions.create(
        model="gpt-4.1-mini",
        response_format={"type": "json_object"},
        messages=[{"role": "user", "content": f"JSON with integer `bins` for: {question}"}],
    )
    params = json.loads(resp.choices[0].message.content)
    bins = int(params["bins"])
    scope = {"df": df}
    # case: only an int from the parsed reply reaches the code
    # ok: llm-output-to-eval
    exec(f"result = df.hist(bins={bins})", scope)
    return scope["result"]


def cleanup_if_approved(df: pd.DataFrame, summary: str):
    verdict = gemini.models.generate_content(
        model="gemini-2.5-flash",
        contents=f"Should rows with missing values be dropped? Answer yes or no.\n{summary}",
    ).text
    if verdict.strip().lower() == "yes":
        # case: the model only picks a branch; the code run is constant
        # ok: llm-output-to-eval
        exec(APPROVED_CLEANUP, {"df": df})


def check_syntax(question: str) -> bool:
    code = chat_model.invoke(f"{CODE_ONLY}\n{question}").content
    try:
        # case: parsed to a syntax tree, never executed
        # ok: llm-output-to-eval
        ast.parse(code)
    except SyntaxError:
        return False
    return True


class FormulaSolver:
    """A client declared on the class, set later by the application."""

    client: Optional[OpenAI] = None

    def solve(self, problem: str):
        resp = self.client.chat.completions.create(
            model="gpt-4.1-mini",
            messages=[{"role": "user", "content": f"A SymPy expression for: {problem}"}],
        )
        expression = resp.choices[0].message.content
        # case: sympify evaluates its string argument with eval
        # ruleid: llm-output-to-eval
        return sympify(expression)

    def check(self, problem: str):
        # case: a constant expression, not model output
        # ok: llm-output-to-eval
        return sympify("x**2 - 1")


def mistral_analysis(df: pd.DataFrame, question: str):
    response = mistral_client.chat.complete(
        model="codestral-latest",
        messages=[
            {"role": "system", "content": CODE_ONLY},
            {"role": "user", "content": question},
        ],
    )
    scope = {"df": df}
    # case: Mistral chat completion content straight into exec
    # ruleid: llm-output-to-eval
    exec(response.choices[0].message.content, scope)
    return scope.get("result")


def mistral_filters(question: str) -> dict:
    response = mistral_client.chat.complete(
        model="mistral-small-latest",
        response_format={"type": "json_object"},
        messages=[{"role": "user", "content": f"Return the filters as JSON: {question}"}],
    )
    # case: Mistral reply parsed as JSON data, never evaluated
    # ok: llm-output-to-eval
    return json.loads(response.choices[0].message.content)


def cohere_expression(question: str):
    response = co.chat(
        model="command-a-03-2025",
        messages=[{"role": "user", "content": f"One Python expression for: {question}"}],
    )
    expression = response.message.content[0].text
    # case: Cohere v2 message text evaluated
    # ruleid: llm-output-to-eval
    return ast.literal_eval(expression)


def cohere_bounds(question: str):
    response = co.chat(
        model="command-a-03-2025",
        messages=[{"role": "user", "content": f"Reply with a Python tuple (low, high) only: {question}"}],
    )
    # case: literal_eval of the Cohere reply accepts literals only
    # ok: llm-output-to-eval
    return ast.literal_eval(response.message.content[0].text)


def bedrock_cell(df: pd.DataFrame, question: str):
    response = bedrock.converse(
        modelId="anthropic.claude-3-5-haiku-20241022-v1:0",
        system=[{"text": CODE_ONLY}],
        messages=[{"role": "user", "content": [{"text": question}]}],
    )
    code = response["output"]["message"]["content"][0]["text"]
    scope = {"df": df}
    # case: Bedrock Converse output text (dict access) into exec
    # ruleid: llm-output-to-eval
    exec(code, scope)
    return scope.get("result")


def bedrock_raw_expression(question: str):
    body = json.dumps({
        "anthropic_version": "bedrock-2023-05-31",
        "max_tokens": 256,
        "messages": [{"role": "user", "content": f"One Python expression for: {question}"}],
    })
    response = bedrock.invoke_model(modelId="anthropic.claude-3-5-haiku-20241022-v1:0", body=body)
    payload = json.loads(response["body"].read())
    # case: invoke_model's JSON body read back and evaluated
    # ruleid: llm-output-to-eval
    return ast.literal_eval(payload["content"][0]["text"])


def bedrock_syntax_check(question: str) -> bool:
    response = bedrock.converse(
        modelId="anthropic.claude-3-5-haiku-20241022-v1:0",
        messages=[{"role": "user", "content": [{"text": f"{CODE_ONLY}\n{question}"}]}],
    )
    try:
        # case: Bedrock code parsed to a syntax tree, never executed
        # ok: llm-output-to-eval
        ast.parse(response["output"]["message"]["content"][0]["text"])
    except SyntaxError:
        return False
    return True


async def litellm_expression(question: str):
    response = await litellm.acompletion(
        model="anthropic/claude-3-5-haiku-20241022",
        messages=[{"role": "user", "content": f"One Python expression for: {question}"}],
    )
    # case: awaited LiteLLM completion evaluated inline
    # ruleid: llm-output-to-eval
    return ast.literal_eval(response.choices[0].message.content)


def litellm_chart(question: str) -> ChartSpec:
    response = litellm.completion(
        model="openai/gpt-4.1-mini",
        messages=[{"role": "user", "content": f"Describe the chart as JSON with kind, x, y: {question}"}],
    )
    # case: LiteLLM reply validated against a pydantic schema
    # ok: llm-output-to-eval
    return ChartSpec.model_validate_json(response.choices[0].message.content)


def ollama_streamed_cell(df: pd.DataFrame, question: str):
    code = ""
    for chunk in ollama.chat("qwen2.5-coder", [{"role": "user", "content": f"{CODE_ONLY}\n{question}"}], stream=True):
        code += chunk["message"]["content"]
    scope = {"df": df}
    # case: streamed Ollama chunks accumulated, then executed
    # ruleid: llm-output-to-eval
    exec(code, scope)
    return scope.get("result")


def ollama_explain(question: str) -> str:
    response = ollama.generate(model="qwen2.5-coder", prompt=f"{CODE_ONLY}\n{question}")
    # case: Ollama code printed for the analyst, not run
    # ok: llm-output-to-eval
    print(response.response)
    return response.response


def local_pipeline_cell(df: pd.DataFrame, question: str):
    outputs = code_pipe(f"{CODE_ONLY}\n{question}", max_new_tokens=256, return_full_text=False)
    scope = {"df": df}
    # case: output of a local Transformers pipeline executed
    # ruleid: llm-output-to-eval
    exec(outputs[0]["generated_text"], scope)
    return scope.get("result")


def local_generate_expression(question: str):
    inputs = coder_tokenizer(f"One Python expression for: {question}", return_tensors="pt")
    output_ids = coder_model.generate(**inputs, max_new_tokens=64)
    expression = coder_tokenizer.decode(output_ids[0], skip_special_tokens=True)
    # case: tokens from model.generate decoded and evaluated
    # ruleid: llm-output-to-eval
    return ast.literal_eval(expression)


def local_pipeline_suggestion(question: str) -> str:
    outputs = code_pipe(f"{CODE_ONLY}\n{question}", max_new_tokens=256, return_full_text=False)
    # case: local pipeline output returned as a JSON suggestion for the UI
    # ok: llm-output-to-eval
    return json.dumps({"suggestion": outputs[0]["generated_text"]})


def crew_cell(df: pd.DataFrame, question: str):
    analyst = Agent(role="Data analyst", goal="Write pandas code that answers questions", backstory="You know pandas well.")
    task = Task(description=f"{CODE_ONLY}\n{{question}}", expected_output="Python code only.", agent=analyst)
    result = Crew(agents=[analyst], tasks=[task]).kickoff(inputs={"question": question})
    scope = {"df": df}
    # case: the raw result of a CrewAI crew executed
    # ruleid: llm-output-to-eval
    exec(result.raw, scope)
    return scope.get("result")


def crew_plan(question: str) -> dict:
    planner = Agent(role="Planner", goal="Plan analyses", backstory="You plan data analyses.")
    result = planner.kickoff(f"Return the analysis plan as JSON: {question}")
    # case: a CrewAI agent's answer parsed as JSON
    # ok: llm-output-to-eval
    return json.loads(result.raw)


def autogen_expression(question: str):
    assistant = AssistantAgent("coder", system_message=CODE_ONLY, llm_config=AUTOGEN_LLM_CONFIG)
    user = UserProxyAgent("user", human_input_mode="NEVER", code_execution_config=False)
    chat = user.initiate_chat(assistant, message=f"One Python expression for: {question}", max_turns=1)
    # case: the summary of an AutoGen chat evaluated
    # ruleid: llm-output-to-eval
    return ast.literal_eval(chat.summary)


async def agentchat_cell(df: pd.DataFrame, question: str):
    coder = ChatAgent("coder", model_client=agent_model_client, system_message=CODE_ONLY)
    result = await coder.run(task=question)
    scope = {"df": df}
    # case: the last message of an AgentChat run executed
    # ruleid: llm-output-to-eval
    exec(result.messages[-1].content, scope)
    return scope.get("result")


async def agentchat_numbers(question: str):
    helper = ChatAgent("helper", model_client=agent_model_client, system_message="Reply with a Python list of numbers only.")
    result = await helper.run(task=question)
    # case: only literals accepted from the AgentChat reply
    # ok: llm-output-to-eval
    return ast.literal_eval(result.messages[-1].content)
