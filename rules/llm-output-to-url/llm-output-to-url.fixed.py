"""Research assistant: the model decides which pages and services to consult."""

import json
import logging
import urllib.request
from typing import Optional
from urllib.parse import urljoin, urlparse

import aiohttp
import anthropic
import httpx
import requests
from google import genai
from langchain_community.document_loaders import WebBaseLoader
from langchain_community.utilities import RequestsWrapper, TextRequestsWrapper
from langchain_core.output_parsers import StrOutputParser
from langchain_core.prompts import ChatPromptTemplate
from langchain_openai import ChatOpenAI
from llama_index.core import VectorStoreIndex
from openai import AsyncOpenAI, OpenAI

logger = logging.getLogger(__name__)

client = OpenAI()
async_client = AsyncOpenAI()
claude = anthropic.Anthropic()
gemini = genai.Client()
chat_model = ChatOpenAI(model="gpt-4.1-mini", temperature=0)

URL_ONLY = "Reply with one absolute URL and nothing else."
HEADERS = {"User-Agent": "research-assistant/1.0"}
DOCS_BASE = "https://docs.example.com"
STATUS_URL = "https://status.example.com/api/v2/summary.json"
SEARCH_URL = "https://search.example.com/api/search"
NOTES_URL = "https://notes.internal.example.com/api/notes"
DEPLOY_HOOK = "https://ci.internal.example.com/hooks/deploy"
ISSUES_API = "https://tracker.example.com/api/issues"
API_ROOT = "https://api.example.com"
ENDPOINTS = {
    "weather": "https://api.weather.example.com/v1/today",
    "news": "https://api.news.example.com/v1/headlines",
    "fx": "https://api.fx.example.com/v1/rates",
}
ALLOWED_HOSTS = {"api.github.com", "api.atlassian.com", "docs.example.com"}
DOC_TOPICS = {"install", "configuration", "upgrading", "faq"}

FETCH_URL_TOOL = {
    "type": "function",
    "function": {
        "name": "fetch_url",
        "parameters": {
            "type": "object",
            "properties": {"url": {"type": "string"}},
            "required": ["url"],
        },
    },
}
DELETE_RESOURCE_TOOL = {
    "type": "function",
    "function": {
        "name": "delete_resource",
        "parameters": {
            "type": "object",
            "properties": {"url": {"type": "string"}},
            "required": ["url"],
        },
    },
}


def read_suggested_page(question: str) -> str:
    resp = client.chat.completions.create(
        model="gpt-4.1-mini",
        messages=[
            {"role": "system", "content": URL_ONLY},
            {"role": "user", "content": f"Which page answers: {question}"},
        ],
    )
    url = resp.choices[0].message.content.strip()
    # case: chat completion content is the URL of a GET
    # ruleid: llm-output-to-url
    if urlparse(url).hostname not in ALLOWED_HOSTS:
        raise PermissionError(f"request to a host outside ALLOWED_HOSTS: {url}")
    return requests.get(url, headers=HEADERS, timeout=10).text


def run_fetch_tool(task: str) -> str:
    resp = client.chat.completions.create(
        model="gpt-4.1-mini",
        messages=[{"role": "user", "content": task}],
        tools=[FETCH_URL_TOOL],
    )
    call = resp.choices[0].message.tool_calls[0]
    args = json.loads(call.function.arguments)
    # case: a field of parsed tool-call arguments is a full URL; the body is fixed
    # ruleid: llm-output-to-url
    return requests.post(args["url"], json={"source": "assistant"}, timeout=10).text


def run_delete_tool(task: str) -> int:
    resp = client.chat.completions.create(
        model="gpt-4.1-mini",
        messages=[{"role": "user", "content": task}],
        tools=[DELETE_RESOURCE_TOOL],
    )
    for call in resp.choices[0].message.tool_calls:
        target = json.loads(call.function.arguments)["url"]
        # case: the model chooses what the server deletes, through a tool call
        # ruleid: llm-output-to-url
        if urlparse(target).hostname not in ALLOWED_HOSTS:
            raise PermissionError(f"request to a host outside ALLOWED_HOSTS: {target}")
        return requests.delete(target, timeout=10).status_code
    return 0


def fetch_reference(topic: str) -> str:
    response = client.responses.create(
        model="gpt-4.1-mini",
        instructions=URL_ONLY,
        input=f"The canonical reference page for {topic}",
    )
    # case: Responses output_text passed inline to httpx
    # ruleid: llm-output-to-url
    return httpx.get(response.output_text.strip(), follow_redirects=True).text


def check_vendor_health(vendor: str) -> bool:
    msg = claude.messages.create(
        model="claude-sonnet-4-5",
        max_tokens=100,
        messages=[{"role": "user", "content": f"Reply with the API host name of {vendor}."}],
    )
    host = msg.content[0].text.strip()
    session = requests.Session()
    # case: Anthropic reply picks the host inside an f-string
    # ruleid: llm-output-to-url
    return session.get(f"https://{host}/health", timeout=5).ok


def download_dataset(description: str) -> bytes:
    response = gemini.models.generate_content(
        model="gemini-2.5-flash",
        contents=f"{URL_ONLY}\nWhere can I download: {description}",
    )
    # case: Gemini text opened with urllib
    # ruleid: llm-output-to-url
    with urllib.request.urlopen(response.text.strip(), timeout=30) as resp:
        return resp.read()


def cite_source(claim: str) -> str:
    reply = chat_model.invoke(f"{URL_ONLY}\nA source for this claim: {claim}")
    # case: LangChain message content as the URL of a urllib Request
    # ruleid: llm-output-to-url
    with urllib.request.urlopen(urllib.request.Request(reply.content, headers=HEADERS)) as resp:
        return resp.read().decode()


def browse_with_chain(question: str) -> str:
    prompt = ChatPromptTemplate.from_messages([("system", URL_ONLY), ("human", "{question}")])
    chain = prompt | chat_model | StrOutputParser()
    page_url = chain.invoke({"question": question})
    browser = TextRequestsWrapper(headers=HEADERS)
    # case: LCEL chain output fetched by LangChain's requests wrapper
    # ruleid: llm-output-to-url
    if urlparse(page_url).hostname not in ALLOWED_HOSTS:
        raise PermissionError(f"request to a host outside ALLOWED_HOSTS: {page_url}")
    return browser.get(page_url)


def legacy_browse(question: str) -> str:
    page_url = chat_model.invoke(f"{URL_ONLY}\n{question}").content
    # case: the older RequestsWrapper name, created inline
    # ruleid: llm-output-to-url
    if urlparse(page_url).hostname not in ALLOWED_HOSTS:
        raise PermissionError(f"request to a host outside ALLOWED_HOSTS: {page_url}")
    return RequestsWrapper().get(page_url)


def load_runbook_page(index: VectorStoreIndex, incident: str):
    engine = index.as_query_engine()
    link = engine.query(f"Which runbook URL covers: {incident}").response
    # case: LlamaIndex answer handed to WebBaseLoader, which fetches it
    # ruleid: llm-output-to-url
    return WebBaseLoader(link.strip()).load()


def streamed_link(question: str) -> str:
    stream = client.chat.completions.create(
        model="gpt-4.1-mini",
        messages=[{"role": "user", "content": f"{URL_ONLY}\n{question}"}],
        stream=True,
    )
    url = ""
    for chunk in stream:
        url += chunk.choices[0].delta.content or ""
    with httpx.Client(timeout=10) as http:
        # case: streamed deltas accumulated, then fetched with an httpx.Client
        # ruleid: llm-output-to-url
        if urlparse(url).hostname not in ALLOWED_HOSTS:
            raise PermissionError(f"request to a host outside ALLOWED_HOSTS: {url}")
        return http.get(url).text


def suggest_feed(interest: str) -> str:
    resp = client.chat.completions.create(
        model="gpt-4.1-mini",
        messages=[{"role": "user", "content": f"{URL_ONLY}\nAn RSS feed about {interest}"}],
    )
    return resp.choices[0].message.content.strip()


async def read_feed(interest: str) -> str:
    feed = suggest_feed(interest)
    async with aiohttp.ClientSession() as session:
        # case: same-file helper returns model text, fetched with aiohttp
        # ruleid: llm-output-to-url
        if urlparse(feed).hostname not in ALLOWED_HOSTS:
            raise PermissionError(f"request to a host outside ALLOWED_HOSTS: {feed}")
        async with session.get(feed) as resp:
            return await resp.text()


async def enrich_company(name: str) -> dict:
    resp = await async_client.chat.completions.create(
        model="gpt-4.1-mini",
        messages=[{"role": "user", "content": f"The domain name of {name}, nothing else."}],
    )
    domain = resp.choices[0].message.content.strip()
    async with httpx.AsyncClient() as http:
        # case: awaited async client, domain concatenated into the URL
        # ruleid: llm-output-to-url
        page = await http.get("https://" + domain + "/.well-known/security.txt")
    return {"name": name, "security_txt": page.text}


def tenant_usage(account: str) -> dict:
    tenant = chat_model.invoke(f"Reply with the tenant id of {account}.").content.strip()
    # case: the model picks a subdomain; "169.254.169.254/#" still moves the host
    # ruleid: llm-output-to-url
    return requests.get("https://%s.billing.example.com/usage" % tenant, timeout=10).json()


def docs_page(question: str) -> str:
    slug = chat_model.invoke(f"Which docs page path answers: {question}").content.strip()
    # case: urljoin keeps the base only for relative paths; an absolute reply replaces it
    # ruleid: llm-output-to-url
    return requests.get(urljoin(DOCS_BASE, slug), timeout=10).text


def api_call(goal: str) -> dict:
    path = chat_model.invoke(f"Which API path, starting with /, achieves: {goal}").content.strip()
    # case: no slash after the constant host, so ".attacker.example/x" or "@attacker.example/" moves it
    # ruleid: llm-output-to-url
    return requests.get(f"{API_ROOT}{path}", timeout=10).json()


def partner_lookup(company: str) -> dict:
    url = client.responses.create(model="gpt-4.1-mini", input=f"{URL_ONLY}\nThe partner API URL for {company}").output_text
    if not url.startswith(API_ROOT):
        raise ValueError(f"not a partner API URL: {url!r}")
    # case: the prefix check stops before the end of the host; "https://api.example.com.attacker.example/" passes
    # ruleid: llm-output-to-url
    if urlparse(url).hostname not in ALLOWED_HOSTS:
        raise PermissionError(f"request to a host outside ALLOWED_HOSTS: {url}")
    return requests.get(url, timeout=10).json()


class IntegrationAgent:
    def __init__(self):
        self.client = OpenAI()

    def call_api(self, goal: str) -> str:
        completion = self.client.chat.completions.create(
            model="gpt-4.1-mini",
            messages=[{"role": "user", "content": f"{URL_ONLY}\nAn API call that achieves: {goal}"}],
        )
        endpoint = completion.choices[0].message.content
        # case: client kept on self, URL passed to requests.request
        # ruleid: llm-output-to-url
        return requests.request("GET", endpoint.strip(), timeout=10).text

    def update_record(self, goal: str, record: dict) -> int:
        completion = self.client.responses.create(model="gpt-4.1-mini", input=f"Reply with the host for: {goal}")
        # case: str.format puts the model's host into the URL of a PUT
        # ruleid: llm-output-to-url
        return requests.put("https://{}/api/records".format(completion.output_text), json=record).status_code


def status_digest() -> str:
    # case: constant URL; the model only reads the response
    # ok: llm-output-to-url
    page = requests.get(STATUS_URL, timeout=10).text
    resp = client.chat.completions.create(
        model="gpt-4.1-mini",
        messages=[{"role": "user", "content": f"Summarise this status page:\n{page}"}],
    )
    return resp.choices[0].message.content


def search_for(question: str) -> list:
    query = chat_model.invoke(f"Write a web search query for: {question}").content
    # case: model text only in the query string through params=; the host is fixed
    # ok: llm-output-to-url
    return requests.get(SEARCH_URL, params={"q": query, "limit": 5}, timeout=10).json()


def feed_for(question: str) -> dict:
    resp = client.chat.completions.create(
        model="gpt-4.1-mini",
        messages=[{"role": "user", "content": f"Answer weather, news or fx for: {question}"}],
    )
    choice = resp.choices[0].message.content.strip().lower()
    # case: the model picks a key into a constant dict of URLs
    # ok: llm-output-to-url
    return requests.get(ENDPOINTS[choice], timeout=10).json()


def query_tracker(question: str) -> dict:
    msg = claude.messages.create(
        model="claude-sonnet-4-5",
        max_tokens=50,
        messages=[{"role": "user", "content": f"Which API host holds the answer to: {question}"}],
    )
    host = msg.content[0].text.strip().lower()
    if host not in ALLOWED_HOSTS:
        raise ValueError(f"host outside the allowlist: {host!r}")
    # case: the model's host is checked against an allowlist first
    # ok: llm-output-to-url
    return requests.get(f"https://{host}/rest/api/search", timeout=10).json()


def open_cited_link(claim: str) -> str:
    link = gemini.models.generate_content(model="gemini-2.5-flash", contents=f"{URL_ONLY}\n{claim}").text
    parsed = urlparse(link.strip())
    if parsed.scheme != "https" or parsed.hostname not in ALLOWED_HOSTS:
        raise ValueError(f"link outside the allowlist: {link!r}")
    # case: scheme and host of the parsed URL checked against an allowlist
    # ok: llm-output-to-url
    return requests.get(parsed.geturl(), timeout=10, allow_redirects=False).text


def docs_section(question: str) -> str:
    topic = chat_model.invoke(f"Answer install, configuration, upgrading or faq: {question}").content.strip()
    if topic not in DOC_TOPICS:
        raise ValueError(f"unknown docs topic: {topic!r}")
    # case: fixed base URL, the model picks a path segment from an allowlist
    # ok: llm-output-to-url
    return requests.get(f"{DOCS_BASE}/{topic}", timeout=10).text


def docs_article(question: str) -> str:
    slug = chat_model.invoke(f"Which docs article slug answers: {question}").content.strip()
    # case: scheme and host are constant text ending in "/"; the model only picks the path
    # ok: llm-output-to-url
    return requests.get(f"{DOCS_BASE}/articles/{slug}", timeout=10).text


def partner_record(company: str) -> dict:
    url = client.responses.create(model="gpt-4.1-mini", input=f"{URL_ONLY}\nThe partner record URL for {company}").output_text
    if not url.startswith(API_ROOT + "/"):
        raise ValueError(f"not a partner API URL: {url!r}")
    # case: the prefix check includes the "/" after the host, so the host is fixed
    # ok: llm-output-to-url
    return requests.get(url, timeout=10, allow_redirects=False).json()


def save_summary(document: str) -> int:
    summary = client.responses.create(model="gpt-4.1-mini", input=f"Summarise:\n{document}").output_text
    # case: model text is the JSON body of a POST to a constant URL
    # ok: llm-output-to-url
    return requests.post(NOTES_URL, json={"text": summary}, timeout=10).status_code


def archive_answer(question: str) -> int:
    answer = chat_model.invoke(question).content
    # case: model text is the form body of an httpx POST to a constant URL
    # ok: llm-output-to-url
    return httpx.post(NOTES_URL, data={"answer": answer}).status_code


def fetch_issue(question: str) -> dict:
    resp = client.chat.completions.create(
        model="gpt-4.1-mini",
        response_format={"type": "json_object"},
        messages=[{"role": "user", "content": f'JSON with integer "issue" for: {question}'}],
    )
    issue = int(json.loads(resp.choices[0].message.content)["issue"])
    # case: only an int from the parsed reply reaches the path
    # ok: llm-output-to-url
    return requests.get(f"{ISSUES_API}/{issue}", timeout=10).json()


def deploy_if_advised(checks: str) -> None:
    verdict = chat_model.invoke(f"Should we deploy now? Answer yes or no.\n{checks}").content
    if verdict.strip().lower() == "yes":
        # case: the model only picks a branch; the URL is constant
        # ok: llm-output-to-url
        requests.post(DEPLOY_HOOK, timeout=10)


def suggest_reading(topic: str) -> dict:
    link = client.responses.create(model="gpt-4.1-mini", input=f"{URL_ONLY}\nReading about {topic}").output_text
    # case: the link is only returned to the user, never fetched by the server
    # ok: llm-output-to-url
    return {"topic": topic, "link": link}


def log_suggestion(question: str) -> None:
    url = chat_model.invoke(f"{URL_ONLY}\n{question}").content
    # case: the suggested URL is logged, not requested
    # ok: llm-output-to-url
    logger.info("model suggested %s", url)


def load_handbook(question: str) -> str:
    pages = WebBaseLoader([f"{DOCS_BASE}/handbook", f"{DOCS_BASE}/faq"]).load()
    context = "\n".join(page.page_content for page in pages)
    wrapper = TextRequestsWrapper()
    answer = chat_model.invoke(f"{context}\n\nQuestion: {question}").content
    # case: LangChain wrapper posts the answer to a constant URL
    # ok: llm-output-to-url
    wrapper.post(NOTES_URL, {"answer": answer})
    return answer


class ResearchAgent:
    """A client declared on the class, set later by the application."""

    client: Optional[OpenAI] = None

    def read_linked_page(self, question: str) -> str:
        resp = self.client.chat.completions.create(
            model="gpt-4.1-mini",
            messages=[{"role": "user", "content": f"{URL_ONLY}\n{question}"}],
        )
        # case: declared client field, URL fetched with the urllib Request constructor
        # ruleid: llm-output-to-url
        request = urllib.request.Request(resp.choices[0].message.content, method="GET")
        with urllib.request.urlopen(request) as page:
            return page.read().decode()

    def read_status(self) -> str:
        # case: constant Request URL
        # ok: llm-output-to-url
        request = urllib.request.Request(STATUS_URL, headers=HEADERS)
        with urllib.request.urlopen(request) as page:
            return page.read().decode()
