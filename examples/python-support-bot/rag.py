"""Retrieval over Acme's help-center articles.

Articles in kb/*.md are split into chunks and embedded into an in-memory vector
store the first time a question comes in. Community moderators can edit the
help center, so article text is third-party content as far as the bot goes.
"""

import os
from functools import cache
from pathlib import Path

import requests
from langchain.agents import create_agent
from langchain_core.documents import Document
from langchain_core.messages import HumanMessage, SystemMessage
from langchain_core.output_parsers import StrOutputParser
from langchain_core.prompts import ChatPromptTemplate
from langchain_core.tools import tool
from langchain_core.vectorstores import InMemoryVectorStore
from langchain_openai import ChatOpenAI, OpenAIEmbeddings
from langchain_text_splitters import RecursiveCharacterTextSplitter
from openai import OpenAI

KB_DIR = Path(__file__).parent / "kb"
MODEL = os.environ.get("SUPPORT_MODEL", "gpt-5.4-mini")
STATUS_PAGE_URL = "https://status.paymentsprovider.example/history.txt"

llm = ChatOpenAI(model=MODEL, temperature=0)
openai_client = OpenAI()

ANSWER_PROMPT = ChatPromptTemplate.from_messages([
    (
        "system",
        "You are Acme's support assistant. Answer only from the help-center excerpts in the "
        "user's message. If they do not cover the question, say so and offer a ticket.",
    ),
    ("human", "<excerpts>\n{context}\n</excerpts>\n\nQuestion: {question}"),
])


@cache
def vector_store() -> InMemoryVectorStore:
    articles = [
        Document(page_content=path.read_text(encoding="utf-8"), metadata={"source": path.name})
        for path in sorted(KB_DIR.glob("*.md"))
    ]
    chunks = RecursiveCharacterTextSplitter(chunk_size=800, chunk_overlap=100).split_documents(articles)
    store = InMemoryVectorStore(OpenAIEmbeddings(model="text-embedding-3-small"))
    store.add_documents(chunks)
    return store


def format_docs(docs: list[Document]) -> str:
    return "\n\n".join(f"[{doc.metadata['source']}]\n{doc.page_content}" for doc in docs)


def answer_from_articles(question: str) -> str:
    """The endpoint's answer path: excerpts travel in the human message, instructions stay constant."""
    retriever = vector_store().as_retriever(search_kwargs={"k": 4})
    docs = retriever.invoke(question)
    chain = ANSWER_PROMPT | llm | StrOutputParser()
    return chain.invoke({"context": format_docs(docs), "question": question})


def answer_with_excerpts_as_instructions(question: str) -> str:
    """The e-mail auto-responder's answer path."""
    docs = vector_store().similarity_search(question, k=4)
    context = "\n\n".join(doc.page_content for doc in docs)
    messages = [
        SystemMessage(content="You are Acme's support assistant. Base your answer on these articles:\n\n" + context),
        HumanMessage(content=question),
    ]
    return llm.invoke(messages).content


def answer_with_outage_context(question: str) -> str:
    """Mentions an upstream payments outage when one is going on."""
    status_history = requests.get(STATUS_PAGE_URL, timeout=10).text
    response = openai_client.responses.create(
        model=MODEL,
        instructions=(
            "You are Acme's support assistant. Recent incidents reported by our payments "
            f"provider:\n{status_history[-4000:]}\n"
            "If the customer's problem matches an ongoing incident, say so."
        ),
        input=question,
    )
    return response.output_text


@tool
def search_help_center(query: str) -> str:
    """Search Acme's help-center articles and return the best matching excerpts."""
    return format_docs(vector_store().similarity_search(query, k=3))


def escalation_agent():
    """Tier-2 agent that follows the escalation policy stored in the help center."""
    policy = vector_store().similarity_search("tier 2 escalation policy", k=1)[0].page_content
    return create_agent(
        llm,
        tools=[search_help_center],
        system_prompt=f"You handle escalated tickets. Follow this policy exactly:\n\n{policy}",
    )


def escalate(ticket_text: str) -> str:
    result = escalation_agent().invoke({"messages": [{"role": "user", "content": ticket_text}]})
    return result["messages"][-1].content
