"""Links to help-center articles in the bot's answers.

Before an answer goes out, the bot asks the model which article supports it and
checks that the link works, so customers never get a dead link. The sidebar
shows a preview of the cited article to the support agent.
"""

from urllib.parse import urlparse

import requests
from openai import OpenAI

import settings

client = OpenAI(api_key=settings.OPENAI_API_KEY)
HELP_CENTER_HOSTS = {"help.acme.example", "status.acme.example"}
CITE_PROMPT = (
    "Reply with the URL of the Acme help-center article that best supports the answer "
    "in the user's message, and nothing else."
)


def cited_link(answer: str) -> str:
    response = client.responses.create(model=settings.MODEL, instructions=CITE_PROMPT, input=answer)
    return response.output_text.strip()


def link_is_live(answer: str) -> bool:
    url = cited_link(answer)
    return requests.head(url, timeout=5, allow_redirects=True).ok


def article_preview(answer: str) -> str:
    link = urlparse(cited_link(answer))
    if link.scheme != "https" or link.hostname not in HELP_CENTER_HOSTS:
        return ""
    page = requests.get(link.geturl(), timeout=5, allow_redirects=False)
    return page.text[:500]
