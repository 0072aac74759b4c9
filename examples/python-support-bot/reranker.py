"""Local models that pick the help-center excerpts the bot answers from.

A multilingual cross-encoder reranks the chunks that the FAISS index returns,
and two small heads on top of the embeddings route a ticket (intent) and flag
angry customers (urgency). Everything runs on the support host's GPU; the index
and the heads are rebuilt nightly by the data team and copied to SUPPORT_DATA_DIR.
"""

from functools import cache

import torch
from langchain_community.vectorstores import FAISS
from langchain_core.documents import Document
from langchain_huggingface import HuggingFaceEmbeddings
from safetensors.torch import load_file
from sentence_transformers import CrossEncoder

import settings

EMBED_MODEL = "BAAI/bge-small-en-v1.5"
RERANK_MODEL = "jinaai/jina-reranker-v2-base-multilingual"
INTENTS = ["billing", "exports", "integrations", "account", "other"]
INDEX_DIR = settings.DATA_DIR / "kb-index"


@cache
def embeddings() -> HuggingFaceEmbeddings:
    return HuggingFaceEmbeddings(model_name=EMBED_MODEL)


@cache
def reranker() -> CrossEncoder:
    # The jina reranker ships its own modelling code, which transformers refuses to run without this flag.
    return CrossEncoder(RERANK_MODEL, max_length=1024, trust_remote_code=True)


@cache
def kb_index() -> FAISS:
    return FAISS.load_local(str(INDEX_DIR), embeddings(), allow_dangerous_deserialization=True)


@cache
def intent_head() -> torch.nn.Linear:
    # The training job pickles its label encoder into the checkpoint, which PyTorch 2.6's
    # weights-only default refuses to load, so the checkpoint is read the pre-2.6 way.
    checkpoint = torch.load(settings.DATA_DIR / "intent_head.pt", map_location="cpu", weights_only=False)
    if list(checkpoint["label_encoder"].classes_) != INTENTS:
        raise RuntimeError("intent_head.pt was trained for other intents")
    head = torch.nn.Linear(384, len(INTENTS))
    head.load_state_dict(checkpoint["state_dict"])
    return head.eval()


@cache
def urgency_head() -> torch.nn.Linear:
    head = torch.nn.Linear(384, 1)
    head.load_state_dict(load_file(settings.DATA_DIR / "urgency_head.safetensors"))
    return head.eval()


def best_excerpts(question: str, k: int = 4) -> list[Document]:
    candidates = kb_index().similarity_search(question, k=20)
    scores = reranker().predict([(question, doc.page_content) for doc in candidates])
    ranked = sorted(zip(scores, candidates), key=lambda pair: pair[0], reverse=True)
    return [doc for _, doc in ranked[:k]]


def route_ticket(text: str) -> tuple[str, bool]:
    vector = torch.tensor(embeddings().embed_query(text))
    with torch.no_grad():
        intent = INTENTS[int(intent_head()(vector).argmax())]
        urgent = bool(torch.sigmoid(urgency_head()(vector)) > 0.8)
    return intent, urgent
