"""Notes workspace assistant: the model finds, files and tidies the user's notes."""

import hashlib
import json
import logging
import os
import shutil
import uuid
from pathlib import Path
from shutil import move

import anthropic
from flask import Flask, jsonify, request, send_file, send_from_directory
from google import genai
from langchain_core.output_parsers import StrOutputParser
from langchain_core.prompts import ChatPromptTemplate
from langchain_openai import ChatOpenAI
from llama_index.core import VectorStoreIndex
from openai import AsyncOpenAI, OpenAI
from starlette.requests import Request
from starlette.responses import FileResponse
from werkzeug.utils import secure_filename

app = Flask(__name__)
log = logging.getLogger("notes-assistant")

client = OpenAI()
async_client = AsyncOpenAI()
claude = anthropic.Anthropic()
gemini = genai.Client()
chat_model = ChatOpenAI(model="gpt-4.1-mini", temperature=0)

WORKSPACE = "/srv/notes"
NOTES_DIR = Path(WORKSPACE) / "notes"
ARCHIVE_DIR = "/srv/notes/archive"
EXPORT_DIR = "/srv/notes/exports"
CACHE_DIR = "/srv/notes/.cache"
TEMPLATE = "/srv/notes/templates/note.md"
PICK_FILE = "Reply with the relative path of one note and nothing else."
ALLOWED_TEMPLATES = {"meeting.md", "standup.md", "retro.md"}
REPORTS = {
    "weekly": "/srv/notes/reports/weekly.md",
    "monthly": "/srv/notes/reports/monthly.md",
}


def read_note(question: str) -> str:
    resp = client.chat.completions.create(
        model="gpt-4.1-mini",
        messages=[
            {"role": "system", "content": PICK_FILE},
            {"role": "user", "content": question},
        ],
    )
    name = resp.choices[0].message.content.strip()
    # case: chat completion picks the file; joining a base does not stop ../ or an absolute path
    # ruleid: llm-output-to-path
    resolved_path = os.path.realpath(os.path.join(WORKSPACE, name))
    if os.path.commonpath([resolved_path, os.path.realpath(WORKSPACE)]) != os.path.realpath(WORKSPACE):
        raise PermissionError(f"path outside {WORKSPACE}: {resolved_path}")
    with open(resolved_path) as f:
        return f.read()


def save_note_tool(instruction: str) -> None:
    resp = client.chat.completions.create(
        model="gpt-4.1-mini",
        messages=[{"role": "user", "content": instruction}],
        tools=[
            {
                "type": "function",
                "function": {
                    "name": "save_note",
                    "parameters": {
                        "type": "object",
                        "properties": {"path": {"type": "string"}, "content": {"type": "string"}},
                        "required": ["path", "content"],
                    },
                },
            }
        ],
    )
    call = resp.choices[0].message.tool_calls[0]
    args = json.loads(call.function.arguments)
    # case: the path field of parsed tool-call arguments, opened for writing
    # ruleid: llm-output-to-path
    with open(args["path"], "w") as f:
        f.write(args["content"])


def delete_stale_note(listing: str) -> None:
    msg = claude.messages.create(
        model="claude-sonnet-4-5",
        max_tokens=256,
        messages=[{"role": "user", "content": f"Which note here is stale? Reply with its path only.\n{listing}"}],
    )
    stale = msg.content[0].text.strip()
    # case: Anthropic text chooses the file os.remove deletes
    # ruleid: llm-output-to-path
    resolved_path = os.path.realpath(os.path.join(WORKSPACE, stale))
    if os.path.commonpath([resolved_path, os.path.realpath(WORKSPACE)]) != os.path.realpath(WORKSPACE):
        raise PermissionError(f"path outside {WORKSPACE}: {resolved_path}")
    os.remove(resolved_path)


def drop_project(description: str) -> None:
    response = gemini.models.generate_content(
        model="gemini-2.5-flash",
        contents=f"Which project folder is finished? Reply with the folder name only.\n{description}",
    )
    folder = response.text.strip()
    # case: Gemini text inside an f-string path for shutil.rmtree
    # ruleid: llm-output-to-path
    resolved_path = os.path.realpath(f"{WORKSPACE}/projects/{folder}")
    if os.path.commonpath([resolved_path, os.path.realpath(WORKSPACE)]) != os.path.realpath(WORKSPACE):
        raise PermissionError(f"path outside {WORKSPACE}: {resolved_path}")
    shutil.rmtree(resolved_path)


def new_note_from_template(topic: str) -> str:
    reply = chat_model.invoke(f"Suggest a file name for a new note about: {topic}")
    target = WORKSPACE + "/" + reply.content.strip()
    # case: LangChain content is the destination of shutil.copy, which can overwrite any file
    # ruleid: llm-output-to-path
    shutil.copy(TEMPLATE, target)
    return target


def rename_note(old_name: str, summary: str) -> None:
    prompt = ChatPromptTemplate.from_messages(
        [("system", "Suggest a short file name for this note."), ("human", "{summary}")]
    )
    chain = prompt | chat_model | StrOutputParser()
    new_name = chain.invoke({"summary": summary})
    # case: LCEL chain output is the new name given to os.rename
    # ruleid: llm-output-to-path
    resolved_path = os.path.realpath(os.path.join(WORKSPACE, new_name))
    if os.path.commonpath([resolved_path, os.path.realpath(WORKSPACE)]) != os.path.realpath(WORKSPACE):
        raise PermissionError(f"path outside {WORKSPACE}: {resolved_path}")
    os.rename(os.path.join(WORKSPACE, old_name), resolved_path)


def browse_folder(index: VectorStoreIndex, question: str) -> list:
    engine = index.as_query_engine()
    folder = engine.query(f"Which folder holds notes about: {question}").response
    # case: LlamaIndex query answer lists any directory
    # ruleid: llm-output-to-path
    resolved_path = os.path.realpath(os.path.join(WORKSPACE, folder.strip()))
    if os.path.commonpath([resolved_path, os.path.realpath(WORKSPACE)]) != os.path.realpath(WORKSPACE):
        raise PermissionError(f"path outside {WORKSPACE}: {resolved_path}")
    return os.listdir(resolved_path)


def clear_cache_entry(question: str) -> None:
    name = ""
    for chunk in gemini.models.generate_content_stream(
        model="gemini-2.5-flash",
        contents=f"Which cache entry answers: {question}? Reply with its key only.",
    ):
        name += chunk.text or ""
    # case: streamed Gemini chunks accumulated into a %-formatted path for os.unlink
    # ruleid: llm-output-to-path
    os.unlink("%s/%s" % (CACHE_DIR, name))


def remove_empty_folder(listing: str) -> None:
    resp = client.chat.completions.create(
        model="gpt-4.1-mini",
        messages=[{"role": "user", "content": f"Which folder is empty? Name only.\n{listing}"}],
    )
    folder = resp.choices[0].message.content
    # case: str.format builds the directory os.rmdir removes
    # ruleid: llm-output-to-path
    os.rmdir("{}/{}".format(WORKSPACE, folder))


def archive_note(question: str) -> None:
    response = gemini.models.generate_content(
        model="gemini-2.5-flash",
        contents=f"Which note should be archived for: {question}? Path only.",
    )
    source = response.text.strip()
    # case: the model picks the source that shutil.move takes away
    # ruleid: llm-output-to-path
    resolved_path = os.path.realpath(os.path.join(WORKSPACE, source))
    if os.path.commonpath([resolved_path, os.path.realpath(WORKSPACE)]) != os.path.realpath(WORKSPACE):
        raise PermissionError(f"path outside {WORKSPACE}: {resolved_path}")
    move(resolved_path, ARCHIVE_DIR)


def pick_attachment(question: str) -> str:
    resp = client.chat.completions.create(
        model="gpt-4.1-mini",
        messages=[
            {"role": "system", "content": PICK_FILE},
            {"role": "user", "content": question},
        ],
    )
    return resp.choices[0].message.content.strip()


@app.get("/attachment")
def download_attachment():
    name = pick_attachment(request.args["q"])
    # case: same-file helper returns the model's choice, served by Flask send_file
    # ruleid: llm-output-to-path
    resolved_path = os.path.realpath(os.path.join(WORKSPACE, "attachments", name))
    if os.path.commonpath([resolved_path, os.path.realpath(WORKSPACE)]) != os.path.realpath(WORKSPACE):
        raise PermissionError(f"path outside {WORKSPACE}: {resolved_path}")
    return send_file(resolved_path)


async def export_note(request: Request) -> FileResponse:
    question = request.query_params["q"]
    resp = await async_client.chat.completions.create(
        model="gpt-4.1-mini",
        messages=[{"role": "user", "content": f"Which export file answers: {question}? File name only."}],
    )
    parts = [EXPORT_DIR, resp.choices[0].message.content.strip()]
    # case: awaited async client, path joined from a list, served by Starlette FileResponse
    # ruleid: llm-output-to-path
    return FileResponse("/".join(parts))


class NoteFiler:
    def __init__(self):
        self.client = OpenAI()

    def file_note(self, body: str) -> None:
        response = self.client.responses.create(
            model="gpt-4.1-mini",
            instructions="Reply with a relative path under notes/ for this note.",
            input=body,
        )
        # case: Responses output_text on self.client, joined with the / operator and written
        # ruleid: llm-output-to-path
        resolved_path = (NOTES_DIR / response.output_text.strip()).resolve()
        if not resolved_path.is_relative_to(NOTES_DIR.resolve()):
            raise PermissionError(f"path outside {NOTES_DIR}: {resolved_path}")
        resolved_path.write_text(body)

    def forget_note(self, question: str) -> None:
        response = self.client.responses.create(
            model="gpt-4.1-mini",
            input=f"Which note should be forgotten for: {question}? Path only.",
        )
        target = {"path": response.output_text.strip()}
        # case: a dict field carries the model's path into Path(...).unlink()
        # ruleid: llm-output-to-path
        Path(target["path"]).unlink()

    def open_for_review(self, question: str) -> bytes:
        msg = claude.messages.create(
            model="claude-sonnet-4-5",
            max_tokens=128,
            messages=[{"role": "user", "content": f"{PICK_FILE}\n{question}"}],
        )
        # case: Anthropic text straight into Path(...).open()
        # ruleid: llm-output-to-path
        with Path(msg.content[0].text).open("rb") as f:
            return f.read()


def summarize_workspace(question: str) -> str:
    # case: a constant path; the model only reads the result
    # ok: llm-output-to-path
    guide = open("/srv/notes/README.md").read()
    resp = client.chat.completions.create(
        model="gpt-4.1-mini",
        messages=[{"role": "user", "content": f"{guide}\n\n{question}"}],
    )
    return resp.choices[0].message.content


def write_digest(notes: str) -> None:
    reply = chat_model.invoke(f"Write a digest of these notes:\n{notes}")
    # case: the model's text is the file content, the path is constant
    # ok: llm-output-to-path
    open("/srv/notes/digest.md", "w").write(reply.content)


def read_note_by_basename(question: str) -> str:
    resp = client.chat.completions.create(
        model="gpt-4.1-mini",
        messages=[{"role": "user", "content": f"{PICK_FILE}\n{question}"}],
    )
    name = os.path.basename(resp.choices[0].message.content.strip())
    # case: basename leaves a bare file name, which cannot leave the folder
    # ok: llm-output-to-path
    with open(os.path.join(WORKSPACE, "notes", name)) as f:
        return f.read()


def save_titled_note(body: str) -> None:
    msg = claude.messages.create(
        model="claude-sonnet-4-5",
        max_tokens=64,
        messages=[{"role": "user", "content": f"A file name for this note:\n{body}"}],
    )
    name = secure_filename(msg.content[0].text)
    # case: werkzeug secure_filename strips separators and leading dots
    # ok: llm-output-to-path
    (NOTES_DIR / name).write_text(body)


def open_report(question: str) -> str:
    response = gemini.models.generate_content(
        model="gemini-2.5-flash",
        contents=f"Which report answers this, weekly or monthly? One word.\n{question}",
    )
    path = REPORTS.get(response.text.strip().lower(), REPORTS["weekly"])
    # case: the model picks a key; the path comes from a constant dict
    # ok: llm-output-to-path
    with open(path) as f:
        return f.read()


def load_template(meeting: str) -> str:
    reply = chat_model.invoke(f"Which template fits, one of {sorted(ALLOWED_TEMPLATES)}?\n{meeting}")
    template = reply.content.strip()
    if template not in ALLOWED_TEMPLATES:
        raise ValueError(f"unknown template {template!r}")
    # case: checked against an allowlist first
    # ok: llm-output-to-path
    return Path(WORKSPACE, "templates", template).read_text()


def read_summary_or_full(question: str) -> str:
    resp = client.chat.completions.create(
        model="gpt-4.1-mini",
        messages=[{"role": "user", "content": f"Is a summary enough for: {question}? yes or no"}],
    )
    short = resp.choices[0].message.content.strip().lower() == "yes"
    # case: a comparison of the reply selects between two constant paths
    # ok: llm-output-to-path
    return Path(WORKSPACE, "summary.md" if short else "full.md").read_text()


def export_answer(question: str) -> str:
    answer = chat_model.invoke(question).content
    path = os.path.join(EXPORT_DIR, f"{uuid.uuid4()}.md")
    # case: a file name from uuid4, the model's text is only the content
    # ok: llm-output-to-path
    with open(path, "w") as f:
        f.write(answer)
    return path


def cache_answer(question: str) -> None:
    response = gemini.models.generate_content(model="gemini-2.5-flash", contents=question)
    key = hashlib.sha256(response.text.encode()).hexdigest()
    # case: a file name from a hash of the reply, only hex digits
    # ok: llm-output-to-path
    Path(CACHE_DIR, f"{key}.txt").write_text(response.text)


def read_contained(question: str) -> str:
    msg = claude.messages.create(
        model="claude-sonnet-4-5",
        max_tokens=128,
        messages=[{"role": "user", "content": f"{PICK_FILE}\n{question}"}],
    )
    resolved = (NOTES_DIR / msg.content[0].text.strip()).resolve()
    if not resolved.is_relative_to(NOTES_DIR.resolve()):
        raise PermissionError(f"outside the notes folder: {resolved}")
    # case: resolved and checked to stay inside the notes folder
    # ok: llm-output-to-path
    return resolved.read_text()


def log_suggestion(question: str) -> None:
    path = chat_model.invoke(f"{PICK_FILE}\n{question}").content
    # case: logged for the operator, never opened
    # ok: llm-output-to-path
    log.info("model suggested %s", path)


@app.get("/notes/suggest")
def suggest_note():
    resp = client.chat.completions.create(
        model="gpt-4.1-mini",
        messages=[{"role": "user", "content": f"{PICK_FILE}\n{request.args['q']}"}],
    )
    path = resp.choices[0].message.content.strip()
    # case: returned to the UI as a suggestion, never opened
    # ok: llm-output-to-path
    return jsonify({"suggested_path": path})


@app.get("/notes/raw")
def raw_note():
    name = pick_attachment(request.args["q"])
    # case: send_from_directory joins with safe_join and refuses paths that leave the folder
    # ok: llm-output-to-path
    return send_from_directory(NOTES_DIR, name)


def read_page(question: str) -> str:
    resp = client.chat.completions.create(
        model="gpt-4.1-mini",
        messages=[{"role": "user", "content": f"Which page number answers: {question}? Digits only."}],
    )
    page = int(resp.choices[0].message.content.strip())
    # case: only an int from the reply reaches the path
    # ok: llm-output-to-path
    return Path(f"{WORKSPACE}/pages/{page}.md").read_text()

