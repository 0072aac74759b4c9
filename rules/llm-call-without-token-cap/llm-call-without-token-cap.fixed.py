"""Help-desk backend: chat endpoints, batch jobs and agent tools over several LLM SDKs."""

import os

import anthropic
import boto3
import cohere
import litellm
import ollama
from fastapi import FastAPI
from flask import Flask, jsonify, request
from google import genai
from google.genai import types
from langchain_core.tools import tool
from mistralai import Mistral
from openai import AsyncOpenAI, AzureOpenAI, OpenAI
from pydantic import BaseModel

app = Flask(__name__)
api = FastAPI()

client = OpenAI()
async_client = AsyncOpenAI()
azure = AzureOpenAI(api_version="2024-10-21", azure_endpoint=os.environ["AZURE_OPENAI_ENDPOINT"])
claude = anthropic.Anthropic()
gemini = genai.Client()
mistral = Mistral(api_key=os.environ["MISTRAL_API_KEY"])
co = cohere.ClientV2()
bedrock = boto3.client("bedrock-runtime", region_name="us-east-1")

SYSTEM = "You are the help-desk assistant. Answer briefly."


class Question(BaseModel):
    text: str


@app.post("/chat")
def chat():
    question = request.json["question"]
    # case: Flask route, chat completion with no output cap
    # ruleid: llm-call-without-token-cap
    response = client.chat.completions.create(
        model="gpt-4.1-mini",
        messages=[{"role": "system", "content": SYSTEM}, {"role": "user", "content": question}],
        max_completion_tokens=1024,
    )
    return jsonify(answer=response.choices[0].message.content)


@app.post("/chat/capped")
def chat_capped():
    question = request.json["question"]
    # case: the same route with max_completion_tokens
    # ok: llm-call-without-token-cap
    response = client.chat.completions.create(
        model="gpt-4.1-mini",
        messages=[{"role": "system", "content": SYSTEM}, {"role": "user", "content": question}],
        max_completion_tokens=500,
    )
    return jsonify(answer=response.choices[0].message.content)


@api.post("/ask")
async def ask(body: Question):
    # case: FastAPI endpoint, Responses API with no max_output_tokens
    # ruleid: llm-call-without-token-cap
    response = await async_client.responses.create(model="gpt-4.1-mini", instructions=SYSTEM, input=body.text, max_output_tokens=1024)
    return {"answer": response.output_text}


@api.post("/ask/capped")
async def ask_capped(body: Question):
    # case: capped with max_output_tokens
    # ok: llm-call-without-token-cap
    response = await async_client.responses.create(
        model="gpt-4.1-mini", instructions=SYSTEM, input=body.text, max_output_tokens=600
    )
    return {"answer": response.output_text}


@api.post("/ask/claude")
async def ask_claude(body: Question):
    # case: Anthropic requires max_tokens on every call
    # ok: llm-call-without-token-cap
    message = claude.messages.create(
        model="claude-sonnet-4-5", max_tokens=1024, system=SYSTEM, messages=[{"role": "user", "content": body.text}]
    )
    return {"answer": message.content[0].text}


@api.post("/ask/cohere")
def ask_cohere(body: Question):
    # case: Cohere v2 chat in an endpoint, no max_tokens
    # ruleid: llm-call-without-token-cap
    response = co.chat(model="command-r-plus-08-2024", messages=[{"role": "user", "content": body.text}], max_tokens=1024)
    return {"answer": response.message.content[0].text}


@app.post("/translate")
def translate():
    text = request.json["text"]
    # case: LiteLLM completion in a Flask route
    # ruleid: llm-call-without-token-cap
    response = litellm.completion(
        model="gpt-4.1-mini", messages=[{"role": "user", "content": f"Translate to French:\n{text}"}], max_tokens=1024
    )
    return jsonify(text=response.choices[0].message.content)


@app.post("/translate/capped")
def translate_capped():
    text = request.json["text"]
    # case: LiteLLM with max_tokens
    # ok: llm-call-without-token-cap
    response = litellm.completion(
        model="gpt-4.1-mini", messages=[{"role": "user", "content": f"Translate to French:\n{text}"}], max_tokens=800
    )
    return jsonify(text=response.choices[0].message.content)


def summarize_tickets(tickets: list[str]) -> list[str]:
    summaries = []
    for ticket in tickets:
        # case: Gemini call once per ticket with no config at all
        # ruleid: llm-call-without-token-cap
        response = gemini.models.generate_content(model="gemini-2.5-flash", contents=f"Summarise:\n{ticket}", config={"max_output_tokens": 1024})
        summaries.append(response.text)
    return summaries


def summarize_tickets_capped(tickets: list[str]) -> list[str]:
    config = types.GenerateContentConfig(max_output_tokens=300, temperature=0)
    summaries = []
    for ticket in tickets:
        # case: the same loop with max_output_tokens in the config
        # ok: llm-call-without-token-cap
        response = gemini.models.generate_content(model="gemini-2.5-flash", contents=f"Summarise:\n{ticket}", config=config)
        summaries.append(response.text)
    return summaries


def classify_all(emails: list[str]) -> list[str]:
    labels = []
    for email in emails:
        # case: Mistral call per e-mail, no max_tokens
        # ruleid: llm-call-without-token-cap
        result = mistral.chat.complete(
            model="mistral-small-latest", messages=[{"role": "user", "content": f"Label: {email}"}], max_tokens=1024
        )
        labels.append(result.choices[0].message.content)
    return labels


def classify_all_capped(emails: list[str]) -> list[str]:
    labels = []
    for email in emails:
        # case: one short label each, capped
        # ok: llm-call-without-token-cap
        result = mistral.chat.complete(
            model="mistral-small-latest", messages=[{"role": "user", "content": f"Label: {email}"}], max_tokens=10
        )
        labels.append(result.choices[0].message.content)
    return labels


def draft_replies(threads: dict[str, str]) -> dict[str, str]:
    drafts = {}
    for thread_id, text in threads.items():
        # case: Bedrock Converse per thread without inferenceConfig
        # ruleid: llm-call-without-token-cap
        response = bedrock.converse(
            modelId="anthropic.claude-3-5-haiku-20241022-v1:0",
            messages=[{"role": "user", "content": [{"text": f"Draft a reply:\n{text}"}]}],
            inferenceConfig={"maxTokens": 1024},
        )
        drafts[thread_id] = response["output"]["message"]["content"][0]["text"]
    return drafts


def draft_replies_capped(threads: dict[str, str]) -> dict[str, str]:
    drafts = {}
    for thread_id, text in threads.items():
        # case: inferenceConfig.maxTokens caps each reply
        # ok: llm-call-without-token-cap
        response = bedrock.converse(
            modelId="anthropic.claude-3-5-haiku-20241022-v1:0",
            messages=[{"role": "user", "content": [{"text": f"Draft a reply:\n{text}"}]}],
            inferenceConfig={"maxTokens": 512, "temperature": 0.2},
        )
        drafts[thread_id] = response["output"]["message"]["content"][0]["text"]
    return drafts


def local_tags(docs: list[str]) -> list[str]:
    tags = []
    for doc in docs:
        # case: Ollama chat per document with no num_predict
        # ruleid: llm-call-without-token-cap
        reply = ollama.chat(model="llama3.2", messages=[{"role": "user", "content": f"Tags for: {doc}"}], options={"num_predict": 1024})
        tags.append(reply["message"]["content"])
    return tags


def local_tags_capped(docs: list[str]) -> list[str]:
    tags = []
    for doc in docs:
        # case: num_predict in the options caps the output
        # ok: llm-call-without-token-cap
        reply = ollama.chat(
            model="llama3.2", messages=[{"role": "user", "content": f"Tags for: {doc}"}], options={"num_predict": 64}
        )
        tags.append(reply["message"]["content"])
    return tags


def nightly_digest(sections: list[str]) -> str:
    parts = []
    i = 0
    while i < len(sections):
        # case: Azure OpenAI inside a while loop
        # ruleid: llm-call-without-token-cap
        completion = azure.chat.completions.create(
            model="gpt-4o-mini", messages=[{"role": "user", "content": f"Digest:\n{sections[i]}"}], max_completion_tokens=1024
        )
        parts.append(completion.choices[0].message.content)
        i += 1
    return "\n\n".join(parts)


@tool
def explain_error(log_excerpt: str) -> str:
    """Explain an error from the service logs."""
    # case: an agent tool runs once per tool call the agent makes
    # ruleid: llm-call-without-token-cap
    response = client.chat.completions.create(
        model="gpt-4.1-mini", messages=[{"role": "user", "content": f"Explain:\n{log_excerpt}"}], max_completion_tokens=1024
    )
    return response.choices[0].message.content


def release_notes(changelog: str) -> str:
    # case: a plain function, called once from the release script
    # ok: llm-call-without-token-cap
    response = client.chat.completions.create(
        model="gpt-4.1-mini", messages=[{"role": "user", "content": f"Release notes for:\n{changelog}"}]
    )
    return response.choices[0].message.content


if __name__ == "__main__":
    with open("CHANGELOG.md") as f:
        changelog = f.read()
    # case: a one-off call at the top of a script
    # ok: llm-call-without-token-cap
    print(gemini.models.generate_content(model="gemini-2.5-flash", contents=f"Summarise:\n{changelog}").text)
