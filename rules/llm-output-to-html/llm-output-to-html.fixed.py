"""Help-centre assistant: shows model answers in the web app, the admin notebooks and the demo UIs."""

import html
import json

import anthropic
import bleach
import gradio as gr
import IPython.display
import markupsafe
import nh3
import streamlit as st
import streamlit.components.v1 as components
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from flask import Flask, jsonify, render_template, render_template_string, request
from google import genai
from IPython.display import HTML, display
from jinja2 import Environment, Template
from langchain_core.output_parsers import StrOutputParser
from langchain_core.prompts import ChatPromptTemplate
from langchain_openai import ChatOpenAI
from llama_index.core import VectorStoreIndex
from markupsafe import Markup, escape
from openai import AsyncOpenAI, OpenAI
from django.utils.html import conditional_escape

client = OpenAI()
async_client = AsyncOpenAI()
claude = anthropic.Anthropic()
gemini = genai.Client()
chat_model = ChatOpenAI(model="gpt-4.1-mini", temperature=0)

app = Flask(__name__)
api = FastAPI()
templates = Jinja2Templates(directory="templates")

ANSWER_STYLE = "Answer the customer's question in a short, friendly paragraph."
HTML_STYLE = "Answer as an HTML fragment using <p>, <ul> and <a> only."
BANNER_CSS = "<style>.answer { font-size: 1.1rem; }</style>"
ALLOWED_TAGS = {"p", "ul", "ol", "li", "a", "strong", "em", "code"}


def ask(question: str) -> str:
    resp = client.chat.completions.create(
        model="gpt-4.1-mini",
        messages=[
            {"role": "system", "content": ANSWER_STYLE},
            {"role": "user", "content": question},
        ],
    )
    return resp.choices[0].message.content


@app.post("/answer")
def answer_page():
    resp = client.chat.completions.create(
        model="gpt-4.1-mini",
        messages=[
            {"role": "system", "content": HTML_STYLE},
            {"role": "user", "content": request.form["question"]},
        ],
    )
    answer = resp.choices[0].message.content
    # case: Markup marks the reply as safe, so the template stops escaping it
    # ruleid: llm-output-to-html
    return render_template("answer.html", answer=escape(answer))


@app.post("/summary")
def summary_page():
    msg = claude.messages.create(
        model="claude-sonnet-4-5",
        max_tokens=1024,
        messages=[{"role": "user", "content": f"Summarise this ticket:\n{request.form['ticket']}"}],
    )
    summary = msg.content[0].text
    page = f"""{{% extends "base.html" %}}
{{% block body %}}<article class="summary">{summary}</article>{{% endblock %}}"""
    # case: an Anthropic reply becomes part of a Jinja template (XSS and template injection)
    # ruleid: llm-output-to-html
    return render_template_string(page)


@app.post("/reply-draft")
def reply_draft():
    response = gemini.models.generate_content(
        model="gemini-2.5-flash",
        contents=f"Draft an HTML reply to this email:\n{request.form['email']}",
    )
    body = response.text
    # case: Gemini text compiled as a Jinja2 template
    # ruleid: llm-output-to-html
    rendered = Template(body).render(agent=request.form["agent"])
    return rendered


@app.post("/faq")
def faq_entry():
    question = request.form["question"]
    reply = chat_model.invoke(f"{ANSWER_STYLE}\n\n{question}")
    # case: %-formatting happens before Markup, so nothing is escaped
    # ruleid: llm-output-to-html
    entry = markupsafe.Markup("<dd class='faq'>%s</dd>" % markupsafe.escape(reply.content))
    return render_template("faq.html", question=question, entry=entry)


@app.post("/canned-reply")
def canned_reply():
    resp = client.chat.completions.create(
        model="gpt-4.1-mini",
        messages=[{"role": "user", "content": f"Write a canned reply for: {request.form['topic']}"}],
    )
    draft = resp.choices[0].message.content
    # case: autoescape does not protect a template whose source is model output
    # ruleid: llm-output-to-html
    template = Environment(autoescape=True).from_string(draft)
    return template.render(customer=request.form["customer"])


@app.post("/answer-plain")
def answer_plain():
    answer = ask(request.form["question"])
    # case: passed as a template variable; Flask autoescapes .html templates
    # ok: llm-output-to-html
    return render_template("answer.html", answer=answer)


@app.post("/answer-rich")
def answer_rich():
    answer = ask(request.form["question"])
    cleaned = bleach.clean(answer, tags=ALLOWED_TAGS, attributes={"a": ["href"]}, strip=True)
    # case: bleach removes every tag and attribute outside the allowlist before Markup
    # ok: llm-output-to-html
    return render_template("answer.html", answer=Markup(cleaned))


@app.post("/answer-card")
def answer_card():
    answer = ask(request.form["question"])
    # case: markupsafe.escape inside the markup the application wrote
    # ok: llm-output-to-html
    card = Markup(f"<div class='card'>{escape(answer)}</div>")
    return render_template("card.html", card=card)


@app.post("/answer-snippet")
def answer_snippet():
    answer = ask(request.form["question"])
    # case: Markup's own % operator escapes the value it inserts
    # ok: llm-output-to-html
    snippet = Markup("<blockquote>%s</blockquote>") % answer
    return render_template("snippet.html", snippet=snippet)


@app.post("/api/answer")
def answer_json():
    answer = ask(request.json["question"])
    # case: JSON response, rendered as text by the client
    # ok: llm-output-to-html
    return jsonify(answer=answer)


@api.get("/widget", response_class=HTMLResponse)
async def widget(question: str):
    response = await async_client.responses.create(
        model="gpt-4.1-mini",
        instructions=HTML_STYLE,
        input=question,
    )
    return HTMLResponse(
        # case: Responses output_text inside an f-string sent as text/html
        # ruleid: llm-output-to-html
        content=f"<div class='widget-answer'>{response.output_text}</div>",
        status_code=200,
    )


@api.get("/digest", response_class=HTMLResponse)
async def digest(topics: str):
    parts = ["<ul class='digest'>"]
    for topic in topics.split(","):
        reply = await chat_model.ainvoke(f"One-sentence news about {topic}")
        parts.append(f"<li>{reply.content}</li>")
    parts.append("</ul>")
    # case: LangChain replies joined into one HTML page
    # ruleid: llm-output-to-html
    return HTMLResponse("".join(parts))


@api.get("/widget-text", response_class=HTMLResponse)
async def widget_text(question: str):
    response = await async_client.responses.create(model="gpt-4.1-mini", input=question)
    # case: html.escape before the reply is placed in the page
    # ok: llm-output-to-html
    return HTMLResponse(content=f"<div class='widget-answer'>{html.escape(response.output_text)}</div>")


@api.get("/api/digest")
async def digest_json(topic: str):
    reply = await chat_model.ainvoke(f"One-sentence news about {topic}")
    # case: FastAPI serialises the dict as JSON
    # ok: llm-output-to-html
    return {"topic": topic, "summary": reply.content}


@api.get("/newsletter", response_class=HTMLResponse)
async def newsletter(request: Request, topic: str):
    response = await async_client.responses.create(model="gpt-4.1-mini", input=f"Newsletter intro about {topic}")
    # case: Jinja2Templates autoescapes; the reply is only a template variable
    # ok: llm-output-to-html
    return templates.TemplateResponse(request, "newsletter.html", {"intro": response.output_text})


def notebook_report(question: str) -> None:
    prompt = ChatPromptTemplate.from_messages([("system", HTML_STYLE), ("human", "{question}")])
    chain = prompt | chat_model | StrOutputParser()
    report = chain.invoke({"question": question})
    # case: LCEL chain output shown as HTML in a notebook
    # ruleid: llm-output-to-html
    display(HTML(report))


def notebook_answer(index: VectorStoreIndex, question: str):
    engine = index.as_query_engine()
    answer = engine.query(question).response
    # case: LlamaIndex answer through the module-qualified IPython HTML object
    # ruleid: llm-output-to-html
    return IPython.display.HTML(answer)


def notebook_answer_text(index: VectorStoreIndex, question: str) -> None:
    answer = index.as_query_engine().query(question).response
    # case: escaped and wrapped in <pre> before display
    # ok: llm-output-to-html
    display(HTML(f"<pre>{html.escape(answer)}</pre>"))


def streamlit_chat() -> None:
    question = st.chat_input("Ask the help centre")
    if not question:
        return
    stream = client.chat.completions.create(
        model="gpt-4.1-mini",
        messages=[{"role": "user", "content": question}],
        stream=True,
    )
    answer = ""
    for chunk in stream:
        answer += chunk.choices[0].delta.content or ""
    # case: streamed deltas accumulated, then rendered with unsafe_allow_html
    # ruleid: llm-output-to-html
    st.markdown(answer)


def streamlit_release_notes(version: str) -> None:
    notes = ask(f"Write release notes in HTML for version {version}")
    # case: same-file helper returns model text rendered in a components iframe
    # ruleid: llm-output-to-html
    components.html(notes, height=600, scrolling=True)


def streamlit_answer(question: str) -> None:
    answer = ask(question)
    # case: st.markdown escapes HTML unless unsafe_allow_html is set
    # ok: llm-output-to-html
    st.markdown(answer)


def streamlit_answer_styled(question: str) -> None:
    # case: constant CSS with unsafe_allow_html; the model text goes through st.write
    # ok: llm-output-to-html
    st.markdown(BANNER_CSS, unsafe_allow_html=True)
    answer = ask(question)
    # case: st.write renders a string as Markdown with HTML escaped
    # ok: llm-output-to-html
    st.write(answer)


def product_card(question: str):
    resp = client.chat.completions.create(
        model="gpt-4.1-mini",
        messages=[{"role": "user", "content": question}],
        tools=[
            {
                "type": "function",
                "function": {
                    "name": "show_card",
                    "parameters": {
                        "type": "object",
                        "properties": {"card_html": {"type": "string"}},
                        "required": ["card_html"],
                    },
                },
            }
        ],
    )
    call = resp.choices[0].message.tool_calls[0]
    args = json.loads(call.function.arguments)
    # case: a field of parsed tool-call arguments rendered by gr.HTML
    # ruleid: llm-output-to-html
    return gr.HTML(args["card_html"])


def product_card_clean(question: str):
    answer = ask(question)
    # case: nh3 (ammonia) sanitises the fragment first
    # ok: llm-output-to-html
    return gr.HTML(nh3.clean(answer, tags=ALLOWED_TAGS))


class TicketSummaryService:
    """Used by the Django admin to summarise support tickets."""

    def __init__(self):
        self.client = anthropic.Anthropic()

    def _summarise(self, ticket_body: str) -> str:
        msg = self.client.messages.create(
            model="claude-sonnet-4-5",
            max_tokens=512,
            messages=[{"role": "user", "content": f"Summarise in HTML:\n{ticket_body}"}],
        )
        return msg.content[0].text

    def summary_html(self, ticket_body: str):
        summary = self._summarise(ticket_body)
        # case: Anthropic reply on self.client marked safe for Django templates
        # ruleid: llm-output-to-html
        return conditional_escape(summary)

    def summary_block(self, ticket_body: str):
        summary = self._summarise(ticket_body)
        # case: format_html escapes its arguments
        # ok: llm-output-to-html
        return format_html("<div class='ticket-summary'>{}</div>", summary)
