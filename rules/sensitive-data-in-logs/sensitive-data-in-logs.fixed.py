"""Customer support assistant: account lookups, sign-ups and chat, with logs, traces and error reports."""

import hashlib
import logging
import os
import warnings

import sentry_sdk
import structlog
from fastapi import FastAPI
from loguru import logger as loguru_logger
from openai import OpenAI
from opentelemetry import trace
from pydantic import BaseModel, EmailStr, SecretStr


def redact(value: object) -> str:
    """A stand-in for personal data or a secret: an email keeps its first letter and domain."""
    text = str(value)
    user, at, domain = text.partition("@")
    if at and user and "." in domain and not any(c.isspace() for c in text):
        return f"{user[0]}***@{domain}"
    return "[redacted]"


app = FastAPI()
log = logging.getLogger("support")
events = structlog.get_logger()
tracer = trace.get_tracer(__name__)
client = OpenAI(api_key=os.environ["OPENAI_API_KEY"])

PASSWORD_FIELD = "password"
API_KEY_ENV_VAR = "OPENAI_API_KEY"
SUPPORT_EMAIL = "help@example.com"


class SignupRequest(BaseModel):
    contact: EmailStr
    display_name: str
    plan: str


class Settings(BaseModel):
    openai_api_key: SecretStr
    max_tokens: int = 512


class TicketRequest(BaseModel):
    subject: str
    question: str


def mask_email(address: str) -> str:
    user, _, domain = address.partition("@")
    return f"{user[:1]}***@{domain}"


@app.post("/signup")
def signup(body: SignupRequest, password: str):
    # case: the whole request model, whose declared EmailStr field is personal data
    # ruleid: sensitive-data-in-logs
    log.info("signup request: %s", redact(body))
    # case: a field declared EmailStr, read by a name that says nothing
    # ruleid: sensitive-data-in-logs
    log.info(f"new account for {redact(body.contact)}")
    # case: a password parameter in a debug line
    # ruleid: sensitive-data-in-logs
    log.debug("password=%s", redact(password))
    # case: a masked address
    # ok: sensitive-data-in-logs
    log.info("new account for %s", mask_email(body.contact))
    # case: a hash of the address
    # ok: sensitive-data-in-logs
    log.info("account key %s", hashlib.sha256(body.contact.encode()).hexdigest())
    # case: the length of a password is not the password
    # ok: sensitive-data-in-logs
    log.debug("password length %d", len(password))
    # case: the display name a user chose for the public profile
    # ok: sensitive-data-in-logs
    log.info("display name %s", body.display_name)
    return {"ok": True}


@app.get("/customers/{customer_id}")
def customer(customer_id: int, row: dict):
    # case: a social security number read from a database row by key
    # ruleid: sensitive-data-in-logs
    print("loaded customer", redact(row["ssn"]))
    # case: structured logging with a keyword argument named for the data
    # ruleid: sensitive-data-in-logs
    events.info("customer.loaded", phone_number=redact(row.get("phone")))
    # case: the id, which is what a log should carry
    # ok: sensitive-data-in-logs
    events.info("customer.loaded", customer_id=customer_id)
    # case: a constant naming a field is not the field
    # ok: sensitive-data-in-logs
    events.info("form.field", field=PASSWORD_FIELD)
    # case: the name of an environment variable, not its value
    # ok: sensitive-data-in-logs
    loguru_logger.info("reading key from {}", API_KEY_ENV_VAR)
    # case: the organisation's own support address
    # ok: sensitive-data-in-logs
    loguru_logger.info("replies come from {}", SUPPORT_EMAIL)
    return {"id": customer_id}


@app.post("/tickets")
def ticket(body: TicketRequest, email: str, ip_address: str):
    with tracer.start_as_current_span("ticket") as span:
        # case: an email address as a span attribute goes to the tracing backend
        # ruleid: sensitive-data-in-logs
        span.set_attribute("user.email", redact(email))
        # case: the client IP address in an error report
        # ruleid: sensitive-data-in-logs
        sentry_sdk.set_tag("client", redact(ip_address))
        messages = [
            {"role": "system", "content": "You answer billing questions."},
            {"role": "user", "content": body.question},
        ]
        # case: the whole prompt, with the user's text
        # ruleid: sensitive-data-in-logs
        log.info("prompt: %s", redact(messages))
        resp = client.chat.completions.create(model="gpt-4.1-mini", messages=messages, max_tokens=400)
        answer = resp.choices[0].message.content
        # case: the model's answer: a completion is not logged as personal data
        # ok: sensitive-data-in-logs
        log.info("answer: %s", answer)
        token_count = resp.usage.total_tokens
        # case: token counts
        # ok: sensitive-data-in-logs
        log.info("tokens used %d of %d", token_count, resp.usage.completion_tokens)
        # case: the subject line the user typed is not a whole prompt
        # ok: sensitive-data-in-logs
        span.set_attribute("ticket.subject", body.subject)
        return {"answer": answer}


def startup(settings: Settings, email_enabled: bool, password_min_length: int):
    # case: a secret revealed from its SecretStr wrapper
    # ruleid: sensitive-data-in-logs
    loguru_logger.debug("using key {}", redact(settings.openai_api_key.get_secret_value()))
    # case: an API key read from the environment in a warning
    # ruleid: sensitive-data-in-logs
    warnings.warn(f"falling back to key {redact(os.getenv('BACKUP_API_KEY'))}")
    # case: SecretStr prints as asterisks
    # ok: sensitive-data-in-logs
    log.info("settings: %s", settings.openai_api_key)
    # case: flags and limits about the data are not the data
    # ok: sensitive-data-in-logs
    log.info("email enabled=%s, minimum password length=%d", email_enabled, password_min_length)
    # case: the model's configuration
    # ok: sensitive-data-in-logs
    log.info("max tokens %d", settings.max_tokens)
    # case: a model client built from the key is not the key
    # ok: sensitive-data-in-logs
    log.info("client ready: %s", client.models.list())
