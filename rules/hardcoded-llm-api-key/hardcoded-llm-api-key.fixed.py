"""Model gateway: one client per provider, plus the admin jobs that report on usage."""

import getpass
import os
import re
from pathlib import Path

import anthropic
import keyring
import replicate
import requests
from google import genai
from groq import Groq
from huggingface_hub import InferenceClient, get_token
from langchain_anthropic import ChatAnthropic
from openai import OpenAI
from pydantic import SecretStr
from pydantic_settings import BaseSettings
from xai_sdk import Client as XaiClient

FIXTURES = Path(__file__).parent / "fixtures"

# case: a module constant passed to the client later
# ruleid: hardcoded-llm-api-key
GROQ_API_KEY = os.environ["GROQ_API_KEY"]

# case: a key inside a config dict
LLM_CONFIG = {
    "provider": "huggingface",
    "model": "meta-llama/Llama-3.1-8B-Instruct",
    # ruleid: hardcoded-llm-api-key
    "token": os.environ["HF_TOKEN"],
}

# case: a placeholder kept in the template written to .env.example
ENV_TEMPLATE = {
    # ok: hardcoded-llm-api-key
    "GEMINI_API_KEY": "<your key>",
    # ok: hardcoded-llm-api-key
    "OPENAI_API_KEY": "sk-your-key-here",
    # ok: hardcoded-llm-api-key
    "OPENAI_PROJECT_KEY": "sk-proj-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
}

# case: values that mean "not configured yet"
# ok: hardcoded-llm-api-key
PLACEHOLDER_KEYS = {"YOUR_API_KEY", "sk-...", "sk-your-key-here", ""}

# case: a pattern that redacts Anthropic keys from logs is not itself a key
# ok: hardcoded-llm-api-key
ANTHROPIC_KEY_PATTERN = re.compile(r"sk-ant-api\d\d-[A-Za-z0-9_-]{80,}")


def redact(line: str) -> str:
    return ANTHROPIC_KEY_PATTERN.sub("sk-ant-[redacted]", line)


def openai_client() -> OpenAI:
    # case: a literal key passed to the constructor
    return OpenAI(
        # ruleid: hardcoded-llm-api-key
        api_key=os.environ["OPENAI_API_KEY"],
    )


def openai_client_from_env() -> OpenAI:
    # case: the key read from the environment
    # ok: hardcoded-llm-api-key
    return OpenAI(api_key=os.environ["OPENAI_API_KEY"])


def claude_client() -> anthropic.Anthropic:
    # case: an Anthropic key passed to the constructor
    # ruleid: hardcoded-llm-api-key
    return anthropic.Anthropic(api_key=os.environ["ANTHROPIC_API_KEY"])


def claude_client_checked() -> anthropic.Anthropic:
    key = os.getenv("ANTHROPIC_API_KEY", "")
    # case: only the prefix, to check the key's shape
    # ok: hardcoded-llm-api-key
    if not key.startswith("sk-ant-"):
        raise RuntimeError("ANTHROPIC_API_KEY is missing or is not an Anthropic API key")
    return anthropic.Anthropic(api_key=key)


def gemini_client_configured() -> genai.Client:
    key = os.environ.get("GEMINI_API_KEY", "")
    if key in PLACEHOLDER_KEYS:
        raise RuntimeError("Set GEMINI_API_KEY to a real key")
    return genai.Client(api_key=key)


def gemini_client() -> genai.Client:
    # case: a Google AI key passed to genai.Client
    # ruleid: hardcoded-llm-api-key
    return genai.Client(api_key=os.environ["GEMINI_API_KEY"])


def groq_client() -> Groq:
    return Groq(api_key=GROQ_API_KEY)


def groq_client_interactive() -> Groq:
    # case: the key typed in by the operator
    # ok: hardcoded-llm-api-key
    api_key = getpass.getpass("Groq API key: ")
    return Groq(api_key=api_key)


def hf_client() -> InferenceClient:
    return InferenceClient(model=LLM_CONFIG["model"], token=LLM_CONFIG["token"])


def hf_client_logged_in() -> InferenceClient:
    # case: the token saved by `hf auth login`
    # ok: hardcoded-llm-api-key
    return InferenceClient(token=get_token())


def grok_client() -> XaiClient:
    # case: a key written into the process environment
    # ruleid: hardcoded-llm-api-key
    return XaiClient()


def replicate_client() -> replicate.Client:
    # case: a key as the fallback of an environment lookup
    # ruleid: hardcoded-llm-api-key
    return replicate.Client()


def replicate_client_from_keyring() -> replicate.Client:
    # case: the token kept in the OS keychain
    # ok: hardcoded-llm-api-key
    return replicate.Client(api_token=keyring.get_password("replicate", "api_token"))


def legacy_openai_client() -> OpenAI:
    # case: a legacy user key as the default of os.getenv
    # ruleid: hardcoded-llm-api-key
    return OpenAI(api_key=os.getenv("OPENAI_API_KEY"))


def local_openai_client() -> OpenAI:
    # case: a dummy key for a local OpenAI-compatible server, too short to be real
    # ok: hardcoded-llm-api-key
    return OpenAI(api_key="sk-local-dev", base_url="http://localhost:8000/v1")


# case: a service-account key as a default parameter value
# ruleid: hardcoded-llm-api-key
def batch_client(api_key: str = os.environ["OPENAI_API_KEY"]) -> OpenAI:
    return OpenAI(api_key=api_key)


def sonar_search(question: str) -> str:
    # case: a key inside the headers of a raw HTTP call
    resp = requests.post(
        "https://api.perplexity.ai/chat/completions",
        headers={
            # ruleid: hardcoded-llm-api-key
            "Authorization": f"Bearer {os.environ['PERPLEXITY_API_KEY']}",
            "Content-Type": "application/json",
        },
        json={"model": "sonar", "messages": [{"role": "user", "content": question}]},
        timeout=30,
    )
    resp.raise_for_status()
    return resp.json()["choices"][0]["message"]["content"]


def sonar_search_from_env(question: str) -> str:
    # case: the same call with the key from the environment
    resp = requests.post(
        "https://api.perplexity.ai/chat/completions",
        # ok: hardcoded-llm-api-key
        headers={"Authorization": f"Bearer {os.environ['PERPLEXITY_API_KEY']}"},
        json={"model": "sonar", "messages": [{"role": "user", "content": question}]},
        timeout=30,
    )
    resp.raise_for_status()
    return resp.json()["choices"][0]["message"]["content"]


def openai_usage(start_time: int) -> dict:
    # case: an admin key in a comment is leaked all the same
    # ruleid: hardcoded-llm-api-key
    # Debug with: curl -H "Authorization: Bearer sk-admin-FAKEKEY0123456789abcdefFAKEKEY0123456789abcdefFAKEKEY0123456789abcdefFAKEKEY0123456789abcdefFAKE" ...
    resp = requests.get(
        "https://api.openai.com/v1/organization/usage/completions",
        headers={"Authorization": f"Bearer {os.environ['OPENAI_ADMIN_KEY']}"},
        params={"start_time": start_time},
        timeout=30,
    )
    resp.raise_for_status()
    return resp.json()


def anthropic_members() -> list:
    resp = requests.get(
        "https://api.anthropic.com/v1/organizations/users",
        headers={
            # ruleid: hardcoded-llm-api-key
            "x-api-key": os.environ["ANTHROPIC_ADMIN_KEY"],
            "anthropic-version": "2023-06-01",
        },
        timeout=30,
    )
    resp.raise_for_status()
    return resp.json()["data"]


def describe_key(key: str) -> str:
    # case: a masked key for display
    # ok: hardcoded-llm-api-key
    return f"{key[:8]}{'*' * 24}{key[-4:]}" if len(key) > 12 else "sk-..."


class Settings(BaseSettings):
    # case: a key as a settings default
    # ruleid: hardcoded-llm-api-key
    anthropic_api_key: str = os.environ["ANTHROPIC_API_KEY"]
    # case: a settings field with no default, filled from OPENAI_API_KEY
    # ok: hardcoded-llm-api-key
    openai_api_key: SecretStr


def langchain_claude(settings: Settings) -> ChatAnthropic:
    return ChatAnthropic(model="claude-sonnet-4-5", api_key=settings.anthropic_api_key)


class ReplayTest:
    """Replays recorded responses against a mock transport."""

    def key(self) -> str:
        # case: a test reads its (revoked) key from a fixture file
        # ok: hardcoded-llm-api-key
        return (FIXTURES / "openai_key.txt").read_text(encoding="utf-8").strip()

    def client(self) -> OpenAI:
        # case: a short, obviously fake key for a mocked client
        # ok: hardcoded-llm-api-key
        return OpenAI(api_key="sk-proj-test", base_url="http://127.0.0.1:9/v1")
