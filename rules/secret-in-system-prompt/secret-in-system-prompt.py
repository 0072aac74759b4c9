"""Internal operations assistant: answers staff questions and calls internal services."""

import os

import anthropic
from google import genai
from google.genai import types
from langchain_core.messages import HumanMessage, SystemMessage
from langchain_openai import ChatOpenAI
from openai import OpenAI
from pydantic import BaseModel, SecretStr

client = OpenAI()
claude = anthropic.Anthropic()
gemini = genai.Client()
chat_model = ChatOpenAI(model="gpt-4.1-mini")

DB_PASSWORD = os.environ["DB_PASSWORD"]
STRIPE_KEY_ENV_VAR = "STRIPE_SECRET_KEY"
API_KEY_HEADER = "X-API-Key"
TOKEN_BUDGET = 4000


class ServiceSettings(BaseModel):
    billing_api_key: SecretStr
    billing_url: str


def ask_ops(question: str) -> str:
    # case: a database password from the environment in the system message
    resp = client.chat.completions.create(
        model="gpt-4.1-mini",
        messages=[
            # ruleid: secret-in-system-prompt
            {"role": "system", "content": f"You can query the ops database. Its password is {DB_PASSWORD}."},
            {"role": "user", "content": question},
        ],
    )
    return resp.choices[0].message.content


def ask_billing(question: str, settings: ServiceSettings) -> str:
    # case: a SecretStr revealed into Anthropic's system prompt
    msg = claude.messages.create(
        model="claude-sonnet-4-5",
        max_tokens=1024,
        # ruleid: secret-in-system-prompt
        system=f"Call {settings.billing_url} with the key {settings.billing_api_key.get_secret_value()}.",
        messages=[{"role": "user", "content": question}],
    )
    return msg.content[0].text


def ask_with_token(question: str, access_token: str) -> str:
    # case: an access token parameter in a LangChain system message
    # ruleid: secret-in-system-prompt
    system = SystemMessage(content=f"Use this bearer token for the CRM API: {access_token}")
    return chat_model.invoke([system, HumanMessage(content=question)]).content


def ask_gemini(question: str) -> str:
    # case: an env read named like a secret, in Gemini's system instruction
    response = gemini.models.generate_content(
        model="gemini-2.5-flash",
        contents=question,
        # ruleid: secret-in-system-prompt
        config=types.GenerateContentConfig(system_instruction=f"Webhook secret: {os.getenv('WEBHOOK_SECRET')}"),
    )
    return response.text


def ask_with_literal_key(question: str) -> str:
    # case: a provider key written into the prompt text
    resp = client.responses.create(
        model="gpt-4.1-mini",
        # ruleid: secret-in-system-prompt
        instructions="Call the search API with key AIzaSyB4x9Qv2LmR7tKp0sWdE3hN8cJf6uYgZa1.",
        input=question,
    )
    return resp.output_text


def ask_with_dsn(question: str) -> str:
    # case: a connection string with a password, hard-coded in the instructions
    resp = client.responses.create(
        model="gpt-4.1-mini",
        # ruleid: secret-in-system-prompt
        instructions="Reports live in postgresql://reporter:Xk29vLq7@db.internal:5432/reports.",
        input=question,
    )
    return resp.output_text


def ask_with_credentials(question: str, credentials: dict) -> str:
    # case: a credentials object in a developer message
    resp = client.chat.completions.create(
        model="gpt-4.1-mini",
        messages=[
            # ruleid: secret-in-system-prompt
            {"role": "developer", "content": f"Service credentials: {credentials}"},
            {"role": "user", "content": question},
        ],
    )
    return resp.choices[0].message.content


def ask_with_header(question: str, headers: dict) -> str:
    # case: the Authorization header copied into the system prompt
    msg = claude.messages.create(
        model="claude-sonnet-4-5",
        max_tokens=1024,
        # ruleid: secret-in-system-prompt
        system="Forward this header to the API: " + headers["Authorization"],
        messages=[{"role": "user", "content": question}],
    )
    return msg.content[0].text


def ask_safely(question: str, settings: ServiceSettings, password_min_length: int) -> str:
    # case: the name of the environment variable, not its value
    resp = client.chat.completions.create(
        model="gpt-4.1-mini",
        messages=[
            # ok: secret-in-system-prompt
            {"role": "system", "content": f"Keys are read from {STRIPE_KEY_ENV_VAR}; never ask the user for them."},
            {"role": "user", "content": question},
        ],
    )
    # case: a header name and a token budget are configuration, not secrets
    msg = claude.messages.create(
        model="claude-sonnet-4-5",
        max_tokens=TOKEN_BUDGET,
        # ok: secret-in-system-prompt
        system=f"Requests need the {API_KEY_HEADER} header. Answers stay under {TOKEN_BUDGET} tokens.",
        messages=[{"role": "user", "content": question}],
    )
    # case: SecretStr prints as asterisks
    # ok: secret-in-system-prompt
    SystemMessage(content=f"Billing settings: {settings.billing_api_key}")
    # case: a password policy, not a password
    # ok: secret-in-system-prompt
    SystemMessage(content=f"Passwords must have at least {password_min_length} characters.")
    # case: a placeholder in an example, not a key
    resp2 = client.responses.create(
        model="gpt-4.1-mini",
        # ok: secret-in-system-prompt
        instructions="Explain how to set OPENAI_API_KEY=sk-proj-... in a .env file.",
        input=question,
    )
    # case: a connection string without a password
    resp3 = client.responses.create(
        model="gpt-4.1-mini",
        # ok: secret-in-system-prompt
        instructions="Reports live in postgresql://reporter@db.internal:5432/reports.",
        input=question,
    )
    # case: the key is used by the code, the prompt only says a tool exists
    billing = OpenAI(api_key=os.environ["BILLING_OPENAI_API_KEY"])
    resp4 = billing.chat.completions.create(
        model="gpt-4.1-mini",
        messages=[
            # ok: secret-in-system-prompt
            {"role": "system", "content": "You can look up invoices with the lookup_invoice tool."},
            {"role": "user", "content": question},
        ],
    )
    # case: a secret in the user's own message is not the system prompt
    client.chat.completions.create(
        model="gpt-4.1-mini",
        messages=[
            {"role": "system", "content": "You check whether passwords are strong."},
            # ok: secret-in-system-prompt
            {"role": "user", "content": f"Is {DB_PASSWORD} strong?"},
        ],
    )
    return resp.choices[0].message.content + msg.content[0].text + resp2.output_text + resp3.output_text + resp4.choices[0].message.content
