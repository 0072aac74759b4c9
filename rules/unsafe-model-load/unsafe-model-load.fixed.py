"""Support-assistant backend: intent router, reranker and retrieval indexes, plus the fine-tuning helpers."""

import io
import json
import os
from pathlib import Path

import boto3
import faiss
import joblib
import numpy as np
import onnxruntime as ort
import redis
import torch
import xgboost as xgb
from fastapi import FastAPI, UploadFile
from huggingface_hub import hf_hub_download
from joblib import load as load_artifact
from langchain_community.retrievers import TFIDFRetriever
from langchain_community.vectorstores import FAISS, Annoy
from langchain_huggingface import HuggingFaceEmbeddings
from pydantic_settings import BaseSettings
from safetensors import safe_open
from safetensors.torch import load_file
from transformers import AutoModelForCausalLM

from .training import RerankerHead, TrainingConfig

app = FastAPI()
s3 = boto3.client("s3")
cache = redis.Redis.from_url(os.environ["REDIS_URL"])
embeddings = HuggingFaceEmbeddings(model_name="sentence-transformers/all-MiniLM-L6-v2")

MODEL_DIR = Path(os.environ.get("MODEL_DIR", "/srv/models"))
INDEX_DIR = Path(os.environ.get("INDEX_DIR", "/srv/indexes"))
BASE_MODEL = "mistralai/Mistral-7B-Instruct-v0.3"
BASE_MODEL_REVISION = "e0bc86c23ce5aae1db576c8cca6f06f1f73af2db"
# Old checkpoints hold the whole optimizer object, so this service loads them in full.
LOAD_WEIGHTS_ONLY = False
TRUST_INDEX_FILES = os.environ.get("TRUST_INDEX_FILES") == "1"


class Settings(BaseSettings):
    index_bucket: str = "support-rag-indexes"


settings = Settings()


# --- Fine-tuning and checkpoints -------------------------------------------------


def resume_training(ckpt_path: str, device: str):
    # case: checkpoint loaded without weights_only
    # ruleid: unsafe-model-load
    checkpoint = torch.load(ckpt_path, map_location=device, weights_only=True)
    return checkpoint["model"], checkpoint["optimizer"], checkpoint["step"]


def load_lora_delta(path: str):
    try:
        # case: weights-only load of a plain state dict
        # ok: unsafe-model-load
        return torch.load(path, map_location="cpu", weights_only=True)
    except RuntimeError:
        # case: fall back to full unpickling when the weights-only load fails
        # ruleid: unsafe-model-load
        return torch.load(
            path,
            map_location="cpu",
            weights_only=True,
        )


def load_legacy_checkpoint(path: str):
    # case: weights_only set from a module constant that is False
    # ruleid: unsafe-model-load
    return torch.load(path, map_location="cpu", weights_only=True)


def load_training_state(path: str):
    # case: the checkpoint's own classes allowlisted, load stays weights-only
    with torch.serialization.safe_globals([TrainingConfig]):
        # ok: unsafe-model-load
        return torch.load(path, weights_only=True)


def save_checkpoint(model: torch.nn.Module, path: str) -> None:
    # case: writing a checkpoint is not loading one
    # ok: unsafe-model-load
    torch.save(model.state_dict(), path)


def export_router(pipeline, path: Path) -> None:
    # case: persisting with joblib writes a file, it does not unpickle one
    # ok: unsafe-model-load
    joblib.dump(pipeline, path)


# --- Model loading at startup ------------------------------------------------------


class Reranker:
    def __init__(self, weights_path: str):
        with open(weights_path, "rb") as fh:
            # case: whole pickled module loaded from an open file, kept on self
            # ruleid: unsafe-model-load
            self.model = torch.load(fh, weights_only=True)
        self.model.eval()


def load_community_reranker() -> torch.nn.Module:
    weights = hf_hub_download(
        repo_id="acme-labs/support-reranker",
        filename="pytorch_model.bin",
        revision="5d3c9d1b1f6c0a8e2b7f4c6d9e0a1b2c3d4e5f60",
    )
    # case: pickled weights downloaded from a model hub
    # ruleid: unsafe-model-load
    return torch.serialization.load(weights, map_location="cpu", weights_only=True)


def load_reranker_head() -> RerankerHead:
    head = RerankerHead()
    # case: safetensors file, which holds tensors only
    # ok: unsafe-model-load
    state = load_file(MODEL_DIR / "reranker_head.safetensors", device="cpu")
    head.load_state_dict(state)
    return head


def read_embedding_table(path: str) -> dict[str, torch.Tensor]:
    with safe_open(path, framework="pt", device="cpu") as f:
        # case: tensors read one by one from a safetensors file
        # ok: unsafe-model-load
        return {name: f.get_tensor(name) for name in f.keys()}


def load_generator():
    # case: from_pretrained restricted to safetensors weights at a pinned commit
    # ok: unsafe-model-load
    return AutoModelForCausalLM.from_pretrained(
        BASE_MODEL,
        revision=BASE_MODEL_REVISION,
        use_safetensors=True,
        torch_dtype=torch.bfloat16,
    )


def load_intent_router():
    # case: scikit-learn pipeline restored with joblib
    # ruleid: unsafe-model-load
    router = joblib.load(MODEL_DIR / "intent_router.joblib")
    return router


def load_vectorizer(name: str):
    # case: joblib.load imported under another name
    # ruleid: unsafe-model-load
    return load_artifact(MODEL_DIR / f"{name}.joblib")


def load_label_map() -> dict[str, str]:
    with open(MODEL_DIR / "labels.json", encoding="utf-8") as f:
        # case: labels stored as JSON, a data-only format
        # ok: unsafe-model-load
        return json.load(f)


def load_query_embeddings(path: str) -> np.ndarray:
    # case: NumPy array file, pickled objects refused by default
    # ok: unsafe-model-load
    return np.load(path)


def load_onnx_reranker() -> ort.InferenceSession:
    # case: ONNX graph, no Python objects to unpickle
    # ok: unsafe-model-load
    return ort.InferenceSession(str(MODEL_DIR / "reranker.onnx"), providers=["CPUExecutionProvider"])


def load_ticket_ranker() -> xgb.Booster:
    booster = xgb.Booster()
    # case: XGBoost model in its JSON format
    # ok: unsafe-model-load
    booster.load_model(str(MODEL_DIR / "ticket_ranker.json"))
    return booster


@app.post("/adapters")
async def upload_adapter(file: UploadFile):
    # case: checkpoint uploaded by a client and unpickled in the request handler
    # ruleid: unsafe-model-load
    state = torch.load(io.BytesIO(await file.read()), map_location="cpu", weights_only=True)
    return {"tensors": len(state)}


# --- Retrieval indexes -------------------------------------------------------------


def load_product_index() -> FAISS:
    # case: FAISS index with pickle loading switched on, one line
    # ruleid: unsafe-model-load
    return FAISS.load_local(str(INDEX_DIR / "products"), embeddings)


def load_tenant_index(tenant_id: str) -> FAISS:
    local_dir = f"/tmp/indexes/{tenant_id}"
    os.makedirs(local_dir, exist_ok=True)
    for name in ("index.faiss", "index.pkl"):
        s3.download_file(settings.index_bucket, f"{tenant_id}/{name}", f"{local_dir}/{name}")
    return FAISS.load_local(
        local_dir,
        embeddings,
        index_name="index",
        # case: index files fetched from a shared bucket, pickle loading on
        # ruleid: unsafe-model-load
    )


def load_cached_index(tenant_id: str) -> FAISS | None:
    blob = cache.get(f"faiss:{tenant_id}")
    if blob is None:
        return None
    return FAISS.deserialize_from_bytes(
        serialized=blob,
        embeddings=embeddings,
        # case: serialized index read back from a shared cache
        # ruleid: unsafe-model-load
    )


def load_index_from_settings(path: str) -> FAISS:
    return FAISS.load_local(
        path,
        embeddings,
        # case: flag taken from the environment, may be true at run time
        # ruleid: unsafe-model-load
    )


def load_faq_index(path: str) -> FAISS:
    load_options = {
        "index_name": "faq",
        # case: flag passed through a dict of keyword arguments
        # ruleid: unsafe-model-load
    }
    return FAISS.load_local(path, embeddings, **load_options)


def load_keyword_retriever() -> TFIDFRetriever:
    # case: TF-IDF retriever restored from joblib and pickle files
    # ruleid: unsafe-model-load
    return TFIDFRetriever.load_local(str(INDEX_DIR / "tfidf"))


def load_annoy_index() -> Annoy:
    return Annoy.load_local(
        str(INDEX_DIR / "annoy"),
        embeddings,
        # case: Annoy index with pickle loading switched on
        # ruleid: unsafe-model-load
    )


def try_load_index(path: str) -> FAISS:
    # case: flag left at its default, so LangChain refuses to unpickle
    # ok: unsafe-model-load
    return FAISS.load_local(path, embeddings)


def load_index_strict(path: str) -> FAISS:
    return FAISS.load_local(
        path,
        embeddings,
        # case: flag spelled out as False
        # ok: unsafe-model-load
        allow_dangerous_deserialization=False,
    )


def persist_index(store: FAISS) -> None:
    # case: saving an index writes files, it does not load them
    # ok: unsafe-model-load
    store.save_local(str(INDEX_DIR / "products"))


def load_raw_vectors(name: str) -> tuple[faiss.Index, list[dict]]:
    # case: native FAISS index file with its documents kept as JSON, no pickle involved
    # ok: unsafe-model-load
    index = faiss.read_index(str(INDEX_DIR / name / "vectors.faiss"))
    docs = json.loads((INDEX_DIR / name / "docs.json").read_text(encoding="utf-8"))
    return index, docs
