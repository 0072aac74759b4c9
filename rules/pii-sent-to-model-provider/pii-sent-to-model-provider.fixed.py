"""CRM assistant: drafts replies and summaries about customers with hosted and local models."""

import json

import anthropic
import boto3
import cohere
import litellm
import ollama
from google import genai
from langchain_openai import ChatOpenAI
from mistralai import Mistral
from openai import OpenAI
from pydantic import BaseModel, EmailStr


def redact(value: object) -> str:
    """A stand-in for personal data or a secret: an email keeps its first letter and domain."""
    text = str(value)
    user, at, domain = text.partition("@")
    if at and user and "." in domain and not any(c.isspace() for c in text):
        return f"{user[0]}***@{domain}"
    return "[redacted]"


client = OpenAI()
claude = anthropic.Anthropic()
gemini = genai.Client()
co = cohere.ClientV2()
mistral = Mistral(api_key="from-vault")
bedrock = boto3.client("bedrock-runtime")
chat_model = ChatOpenAI(model="gpt-4.1-mini")

SUPPORT_EMAIL = "help@example.com"
EMAIL_TEMPLATE = "Dear customer,\n\n{body}\n\nRegards"


class Customer(BaseModel):
    id: int
    contact: EmailStr
    plan: str


def redact_email(address: str) -> str:
    return "<email>" if "@" in address else address


def draft_reply(customer: Customer, complaint: str, phone_number: str, date_of_birth: str, row: dict):
    # case: an EmailStr field in an OpenAI chat message
    client.chat.completions.create(
        model="gpt-4.1-mini",
        # ruleid: pii-sent-to-model-provider
        messages=[{"role": "user", "content": f"Reply to {redact(customer.contact)} about: {complaint}"}],
    )
    # case: a phone number in Anthropic's messages
    claude.messages.create(
        model="claude-sonnet-4-5",
        max_tokens=512,
        # ruleid: pii-sent-to-model-provider
        messages=[{"role": "user", "content": f"Write an SMS for {redact(phone_number)}: {complaint}"}],
    )
    # case: a date of birth in Gemini contents
    gemini.models.generate_content(
        model="gemini-2.5-flash",
        # ruleid: pii-sent-to-model-provider
        contents=f"Is a customer born on {redact(date_of_birth)} eligible for the senior plan?",
    )
    # case: a card number from a database row, through LiteLLM
    litellm.completion(
        model="anthropic/claude-sonnet-4-5",
        # ruleid: pii-sent-to-model-provider
        messages=[{"role": "user", "content": "Check this card: " + redact(row["card_number"])}],
    )
    # case: a home address in a Cohere chat
    co.chat(
        model="command-r-plus",
        # ruleid: pii-sent-to-model-provider
        messages=[{"role": "user", "content": f"Plan a delivery route to {redact(row['home_address'])}"}],
    )
    # case: an email in a Mistral chat
    mistral.chat.complete(
        model="mistral-large-latest",
        # ruleid: pii-sent-to-model-provider
        messages=[{"role": "user", "content": f"Summarise the account of {redact(row.get('email'))}"}],
    )
    # case: a social security number in a Bedrock Converse request
    bedrock.converse(
        modelId="anthropic.claude-3-5-sonnet-20240620-v1:0",
        # ruleid: pii-sent-to-model-provider
        messages=[{"role": "user", "content": [{"text": f"Verify SSN {redact(row['ssn'])}"}]}],
    )
    # case: a LangChain chat model invoked with the customer's email
    # ruleid: pii-sent-to-model-provider
    chat_model.invoke(f"Write a welcome note for {redact(customer.contact)}")
    # case: personal data serialised into the prompt
    client.chat.completions.create(
        model="gpt-4.1-mini",
        # ruleid: pii-sent-to-model-provider
        messages=[{"role": "user", "content": json.dumps({"email": redact(row["email"]), "plan": row["plan"]})}],
    )


def draft_safely(customer: Customer, complaint: str, row: dict):
    # case: only the complaint text and the customer id
    client.chat.completions.create(
        model="gpt-4.1-mini",
        # ok: pii-sent-to-model-provider
        messages=[{"role": "user", "content": f"Customer {customer.id} writes: {complaint}"}],
    )
    # case: the address redacted before it is sent
    claude.messages.create(
        model="claude-sonnet-4-5",
        max_tokens=512,
        # ok: pii-sent-to-model-provider
        messages=[{"role": "user", "content": f"Reply to {redact_email(customer.contact)} about: {complaint}"}],
    )
    # case: a local Ollama model keeps the data on this machine
    ollama.chat(
        model="llama3.1",
        # ok: pii-sent-to-model-provider
        messages=[{"role": "user", "content": f"Reply to {customer.contact}"}],
    )
    # case: the organisation's own address and a template
    gemini.models.generate_content(
        model="gemini-2.5-flash",
        # ok: pii-sent-to-model-provider
        contents=f"Sign off with {SUPPORT_EMAIL} using this template: {EMAIL_TEMPLATE}",
    )
    # case: whether an email is on file is not the email
    litellm.completion(
        model="gpt-4.1-mini",
        # ok: pii-sent-to-model-provider
        messages=[{"role": "user", "content": f"Has email on file: {bool(row.get('email'))}. Plan: {customer.plan}"}],
    )
    # case: the count of addresses, not the addresses
    co.chat(
        model="command-r-plus",
        # ok: pii-sent-to-model-provider
        messages=[{"role": "user", "content": f"The customer has {len(row['addresses'])} saved addresses."}],
    )
    # case: a model's earlier answer about the customer is not read through a sensitive name
    summary = client.chat.completions.create(model="gpt-4.1-mini", messages=[{"role": "user", "content": complaint}])
    # ok: pii-sent-to-model-provider
    chat_model.invoke(f"Shorten: {summary.choices[0].message.content}")
    # case: the plan and the ticket count from the row
    mistral.chat.complete(
        model="mistral-large-latest",
        # ok: pii-sent-to-model-provider
        messages=[{"role": "user", "content": f"Plan {row['plan']}, {row['ticket_count']} open tickets"}],
    )
