"""Pipeline assistant: the model drafts job configs and relays saved job state between tools."""

import _pickle as cPickle
import ast
import base64
import csv
import io
import json
import logging
import marshal
import pickle
import sqlite3
import tomllib
import types

import anthropic
import cloudpickle
import dill
import jsonpickle
import numpy as np
import pandas as pd
import redis
import yaml
from google import genai
from langchain_core.output_parsers import StrOutputParser
from langchain_core.prompts import ChatPromptTemplate
from langchain_openai import ChatOpenAI
from llama_index.core import VectorStoreIndex
from openai import AsyncOpenAI, OpenAI
from pydantic import BaseModel

client = OpenAI()
async_client = AsyncOpenAI()
claude = anthropic.Anthropic()
gemini = genai.Client()
chat_model = ChatOpenAI(model="gpt-4.1-mini", temperature=0)
cache = redis.Redis()
db = sqlite3.connect("pipelines.db")
log = logging.getLogger(__name__)

YAML_ONLY = "Answer with one YAML document only, no prose and no code fences."
RELAY = "Copy the `artifact` field of the last tool result verbatim, base64 only."

TOOLS = [
    {
        "type": "function",
        "function": {
            "name": "apply_transform",
            "description": "Apply a saved transform to the current table.",
            "parameters": {
                "type": "object",
                "properties": {
                    "transform": {"type": "string", "description": "base64 transform"},
                    "path": {"type": "string", "description": "saved table to load"},
                },
                "required": ["transform"],
            },
        },
    }
]


class JobConfig(BaseModel):
    name: str
    schedule: str
    steps: list[str]


def restore_checkpoint(job_id: str, transcript: str):
    resp = client.chat.completions.create(
        model="gpt-4.1-mini",
        messages=[
            {"role": "system", "content": RELAY},
            {"role": "user", "content": f"Job {job_id}:\n{transcript}"},
        ],
    )
    blob = base64.b64decode(resp.choices[0].message.content.strip())
    # case: chat completion text decoded from base64 and unpickled
    # ruleid: llm-output-to-deserialization
    return json.loads(blob)


def load_shared_scorer(notes: str):
    msg = claude.messages.create(
        model="claude-sonnet-4-5",
        max_tokens=4096,
        messages=[{"role": "user", "content": f"{RELAY}\n\n{notes}"}],
    )
    text = msg.content[0].text
    stream = io.BytesIO(base64.b64decode(text))
    # case: a file-like stream built from an Anthropic reply
    # ruleid: llm-output-to-deserialization
    return json.load(stream)


def thaw_session(summary: str):
    response = gemini.models.generate_content(
        model="gemini-2.5-flash",
        contents=f"{RELAY}\n\n{summary}",
    )
    # case: the C pickle module under its old name, Gemini text inline
    # ruleid: llm-output-to-deserialization
    return json.loads(base64.b64decode(response.text))


def rebuild_callback(spec: str):
    reply = chat_model.invoke(f"{RELAY}\n\nCallback for: {spec}")
    payload = base64.b64decode(reply.content)
    # case: dill also restores functions and lambdas; LangChain message content
    # ruleid: llm-output-to-deserialization
    return dill.loads(payload)


def run_transform_call(df: pd.DataFrame, question: str) -> pd.DataFrame:
    resp = client.chat.completions.create(
        model="gpt-4.1-mini",
        messages=[{"role": "user", "content": question}],
        tools=TOOLS,
    )
    call = resp.choices[0].message.tool_calls[0]
    args = json.loads(call.function.arguments)
    # case: a field of parsed tool-call arguments is still model output
    # ruleid: llm-output-to-deserialization
    transform = cloudpickle.loads(base64.b64decode(args["transform"]))
    return transform(df)


def load_saved_tables(question: str) -> list[pd.DataFrame]:
    resp = client.chat.completions.create(
        model="gpt-4.1-mini",
        messages=[{"role": "user", "content": question}],
        tools=TOOLS,
    )
    frames = []
    for call in resp.choices[0].message.tool_calls or []:
        args = json.loads(call.function.arguments)
        # case: read_pickle of a path the model chose, e.g. an uploaded file
        # ruleid: llm-output-to-deserialization
        frames.append(pd.read_pickle(args["path"]))
    return frames


def load_compiled_rule(description: str):
    prompt = ChatPromptTemplate.from_messages([("system", RELAY), ("human", "{description}")])
    chain = prompt | chat_model | StrOutputParser()
    encoded = chain.invoke({"description": description})
    # case: LCEL chain output read as a marshalled code object
    # ruleid: llm-output-to-deserialization
    code = marshal.loads(base64.b64decode(encoded))
    return types.FunctionType(code, {})


def pipeline_from_docs(index: VectorStoreIndex, task: str):
    answer = index.as_query_engine().query(f"{YAML_ONLY}\nWrite the pipeline config for: {task}")
    # case: LlamaIndex answer loaded with the unsafe yaml.Loader
    # ruleid: llm-output-to-deserialization
    return yaml.safe_load(answer.response)


def draft_deploy_config(service: str):
    response = client.responses.create(
        model="gpt-4.1-mini",
        instructions=YAML_ONLY,
        input=f"Deployment config for the {service} service",
    )
    # case: Responses output_text with UnsafeLoader
    # ruleid: llm-output-to-deserialization
    return yaml.safe_load(response.output_text)


def stream_config(task: str):
    stream = client.chat.completions.create(
        model="gpt-4.1-mini",
        messages=[{"role": "user", "content": f"{YAML_ONLY}\n{task}"}],
        stream=True,
    )
    document = ""
    for chunk in stream:
        document += chunk.choices[0].delta.content or ""
    # case: streamed deltas accumulated into one string, then unsafe_load
    # ruleid: llm-output-to-deserialization
    return yaml.safe_load(document)


def ask_for_yaml(task: str) -> str:
    resp = client.chat.completions.create(
        model="gpt-4.1-mini",
        messages=[{"role": "user", "content": f"{YAML_ONLY}\n{task}"}],
    )
    return resp.choices[0].message.content


def schedule_from_request(task: str):
    text = ask_for_yaml(f"Cron schedule for: {task}")
    body = text.removeprefix("```yaml").removesuffix("```")
    # case: same-file helper returns model text; FullLoader still resolves !!python/name
    # ruleid: llm-output-to-deserialization
    return yaml.safe_load(body)


def split_manifests(task: str):
    response = gemini.models.generate_content(
        model="gemini-2.5-flash",
        contents=f"Kubernetes manifests, as YAML documents separated by ---, for: {task}",
    )
    # case: load_all with the unsafe Loader passed positionally
    # ruleid: llm-output-to-deserialization
    return list(yaml.safe_load_all(response.text))


async def restore_plan(goal: str):
    resp = await async_client.chat.completions.create(
        model="gpt-4.1-mini",
        messages=[{"role": "user", "content": f"Return the saved plan for {goal} as jsonpickle JSON."}],
    )
    # case: awaited async client; jsonpickle rebuilds any class it names
    # ruleid: llm-output-to-deserialization
    return json.loads(resp.choices[0].message.content)


class EmbeddingImporter:
    def __init__(self):
        self.client = OpenAI()

    def import_vectors(self, source_note: str):
        resp = self.client.chat.completions.create(
            model="gpt-4.1-mini",
            messages=[{"role": "user", "content": f"{RELAY}\n\n{source_note}"}],
        )
        raw = base64.b64decode(resp.choices[0].message.content)
        # case: numpy with allow_pickle=True unpickles object arrays; read through self.client
        # ruleid: llm-output-to-deserialization
        return np.load(io.BytesIO(raw))

    def import_plain_vectors(self, source_note: str):
        resp = self.client.chat.completions.create(
            model="gpt-4.1-mini",
            messages=[{"role": "user", "content": f"{RELAY}\n\n{source_note}"}],
        )
        raw = base64.b64decode(resp.choices[0].message.content)
        # case: allow_pickle defaults to False: only numeric arrays are read
        # ok: llm-output-to-deserialization
        return np.load(io.BytesIO(raw))


def parse_job_settings(task: str) -> dict:
    resp = client.chat.completions.create(
        model="gpt-4.1-mini",
        response_format={"type": "json_object"},
        messages=[{"role": "user", "content": f"Job settings as JSON for: {task}"}],
    )
    # case: JSON can only build dicts, lists, strings and numbers
    # ok: llm-output-to-deserialization
    return json.loads(resp.choices[0].message.content)


def validated_job(task: str) -> JobConfig:
    msg = claude.messages.create(
        model="claude-sonnet-4-5",
        max_tokens=1024,
        messages=[{"role": "user", "content": f"Job config as JSON with name, schedule, steps: {task}"}],
    )
    # case: parsed and validated by a pydantic model
    # ok: llm-output-to-deserialization
    return JobConfig.model_validate_json(msg.content[0].text)


def safe_pipeline_config(task: str):
    response = gemini.models.generate_content(
        model="gemini-2.5-flash",
        contents=f"{YAML_ONLY}\nPipeline config for: {task}",
    )
    # case: safe_load builds plain data only
    # ok: llm-output-to-deserialization
    return yaml.safe_load(response.text)


def safe_loader_config(index: VectorStoreIndex, task: str):
    answer = index.as_query_engine().query(f"{YAML_ONLY}\nPipeline config for: {task}")
    # case: yaml.load with the explicit SafeLoader
    # ok: llm-output-to-deserialization
    return yaml.load(answer.response, Loader=yaml.SafeLoader)


def cached_features(user_id: str, question: str) -> str:
    # case: the application's own cache, written by this service, not model output
    # ok: llm-output-to-deserialization
    features = pickle.loads(cache.get(f"features:{user_id}"))
    reply = chat_model.invoke(f"Given these features {features}, answer: {question}")
    return reply.content


def cache_reply(user_id: str, question: str) -> None:
    reply = chat_model.invoke(question)
    # case: pickling model text only serialises a string; nothing is rebuilt from it
    # ok: llm-output-to-deserialization
    cache.set(f"reply:{user_id}", pickle.dumps({"question": question, "answer": reply.content}))


def load_classifier(question: str) -> str:
    with open("artifacts/intent_classifier.pkl", "rb") as f:
        # case: a model file shipped with the application, at a fixed path
        # ok: llm-output-to-deserialization
        classifier = pickle.load(f)
    intent = classifier.predict([question])[0]
    return chat_model.invoke(f"Intent {intent}: {question}").content


def step_list(task: str) -> list:
    reply = chat_model.invoke(f"Return the steps for {task} as a Python list literal.")
    # case: literal_eval accepts only literals
    # ok: llm-output-to-deserialization
    return ast.literal_eval(reply.content)


def toml_settings(description: str) -> dict:
    prompt = ChatPromptTemplate.from_messages(
        [("system", "Answer with a TOML document only."), ("human", "{description}")]
    )
    chain = prompt | chat_model | StrOutputParser()
    text = chain.invoke({"description": description})
    # case: TOML has no object or code types
    # ok: llm-output-to-deserialization
    return tomllib.loads(text)


def table_rows(question: str) -> list[list[str]]:
    response = client.responses.create(
        model="gpt-4.1-mini",
        input=f"Answer as CSV with a header row: {question}",
    )
    # case: CSV rows are lists of strings
    # ok: llm-output-to-deserialization
    return list(csv.reader(io.StringIO(response.output_text)))


def table_frame(question: str) -> pd.DataFrame:
    response = client.responses.create(
        model="gpt-4.1-mini",
        input=f"Answer as CSV with a header row: {question}",
    )
    # case: pandas parses CSV text, not pickles
    # ok: llm-output-to-deserialization
    return pd.read_csv(io.StringIO(response.output_text))


def save_draft(job_id: str, task: str) -> str:
    text = ask_for_yaml(f"Pipeline config for: {task}")
    # case: logged for the operator, never parsed
    # ok: llm-output-to-deserialization
    log.info("draft config for %s: %s", job_id, text)
    # case: stored with a parameterised query
    # ok: llm-output-to-deserialization
    db.execute("INSERT INTO drafts (job_id, body) VALUES (?, ?)", (job_id, text))
    # case: returned to the caller as text
    # ok: llm-output-to-deserialization
    return text
