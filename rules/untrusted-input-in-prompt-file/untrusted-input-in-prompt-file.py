# Code that renders the .prompty fixtures in prompty/. The findings are reported in the prompt files.
import os

import prompty
import requests
from flask import Flask, request
from langchain_openai import ChatOpenAI
from langchain_prompty import create_chat_prompt

app = Flask(__name__)
HERE = os.path.dirname(__file__)

PERSONAS = {"friendly": "Answer warmly.", "formal": "Answer formally."}


@app.post("/support")
def support():
    return prompty.execute(
        "prompty/support.prompty",
        inputs={
            "product": "Acme Cloud",
            "persona": request.json["persona"],
            "tone": PERSONAS.get(request.json["tone"], PERSONAS["friendly"]),
            "question": request.json["question"],
            "limit": int(request.json["limit"]),
        },
    )


@app.post("/triage")
def triage():
    p = prompty.load(os.path.join(HERE, "prompty", "triage.prompty"))
    messages = prompty.prepare(p, {"team": request.form["team"], "ticket": request.form["ticket"], "history": request.form.getlist("history")})
    return prompty.run(p, messages)


@app.get("/summarise")
def summarise():
    page = requests.get(request.args["url"], timeout=10).text
    chat = create_chat_prompt("prompty/summarise.prompty")
    return chat.invoke({"page": page, "audience": "engineers", "focus": request.args["focus"]})


@app.post("/release-notes")
def release_notes():
    chain = create_chat_prompt("prompty/chain.prompty") | ChatOpenAI(model="gpt-4.1-mini")
    return chain.invoke({"product": "Acme Sync", "voice": request.json["voice"], "changes": request.json["changes"]}).content


def render_review(code_language, snippet):
    return prompty.execute("prompty/review.prompty", inputs={"code_language": code_language, "snippet": snippet})


@app.post("/review")
def review():
    return render_review(request.json["language"], request.json["snippet"])


@app.post("/everything")
def everything():
    return prompty.execute("prompty/everything.prompty", inputs=request.get_json())
