"""Model and index downloads for the RAG service: chat model, embedder, speech model, vector index."""
import argparse

import huggingface_hub
import torch
import transformers
from fastapi import FastAPI
from huggingface_hub import hf_hub_download, snapshot_download
from huggingface_hub import snapshot_download as fetch_repo
from llama_cpp import Llama
from llama_index.core import StorageContext, load_index_from_storage
from pydantic import BaseModel
from sentence_transformers import CrossEncoder, SentenceTransformer
from transformers import (
    AutoConfig,
    AutoModel,
    AutoModelForCausalLM,
    AutoProcessor,
    AutoTokenizer,
    WhisperForConditionalGeneration,
    pipeline,
)
from vllm import LLM

CHAT_MODEL = "Qwen/Qwen2.5-7B-Instruct"
# Commit hashes reviewed and recorded in the model inventory.
CHAT_REVISION = "a09a35458c702b33eeacc393d103063234e8bc28"
EMBED_MODEL = "BAAI/bge-small-en-v1.5"
EMBED_REVISION = "5c38ec7c405ec4b44b94cc5a9bb96e735b38267a"
SENTIMENT_MODEL = "distilbert/distilbert-base-uncased-finetuned-sst-2-english"
SENTIMENT_REVISION = "714eb0fa89d2f80546fda750413ed43d93601a13"
INDEX_REPO = "acme-support/faq-faiss-index"
INDEX_REVISION = "0f3d1c9e8b7a6f5e4d3c2b1a09f8e7d6c5b4a392"
PINNED = {"revision": CHAT_REVISION, "torch_dtype": torch.bfloat16}
MODEL_PINS = {
    "Qwen/Qwen2.5-7B-Instruct": CHAT_REVISION,
    "BAAI/bge-small-en-v1.5": EMBED_REVISION,
}

app = FastAPI()


def load_chat_tokenizer():
    # case: tokenizer files come from whatever the default branch holds
    # ruleid: unpinned-model-revision
    return AutoTokenizer.from_pretrained(CHAT_MODEL)


def load_chat_model():
    # case: multi-line call, the finding starts where the call starts
    # ruleid: unpinned-model-revision
    model = AutoModelForCausalLM.from_pretrained(
        CHAT_MODEL,
        torch_dtype=torch.bfloat16,
        device_map="auto",
    )
    return model


def load_encoder_on_gpu():
    # case: module-qualified Auto class inside a method chain
    # ruleid: unpinned-model-revision
    return transformers.AutoModel.from_pretrained(EMBED_MODEL).to("cuda").eval()


def build_sentiment_pipeline():
    # case: pipeline() downloads the model and its tokenizer
    # ruleid: unpinned-model-revision
    return pipeline("sentiment-analysis", model=SENTIMENT_MODEL)


def load_speech_model():
    # case: a concrete model class, revision explicitly left unset
    # ruleid: unpinned-model-revision
    return WhisperForConditionalGeneration.from_pretrained("openai/whisper-small", revision=None)


def load_gguf_chat_model():
    # case: single file download for llama.cpp
    # ruleid: unpinned-model-revision
    path = hf_hub_download(
        repo_id="bartowski/Qwen2.5-7B-Instruct-GGUF",
        filename="Qwen2.5-7B-Instruct-Q4_K_M.gguf",
    )
    return Llama(model_path=path, n_ctx=8192)


def load_faq_index():
    # case: a prebuilt vector index stored in a dataset repository
    # ruleid: unpinned-model-revision
    local_dir = snapshot_download(repo_id=INDEX_REPO, repo_type="dataset")
    return load_index_from_storage(StorageContext.from_defaults(persist_dir=local_dir))


def mirror_weights(target_dir: str):
    # case: snapshot_download imported under another name
    # ruleid: unpinned-model-revision
    return fetch_repo(CHAT_MODEL, local_dir=target_dir, allow_patterns=["*.json", "*.safetensors"])


def fetch_tokenizer_config():
    # case: module-qualified hub download
    # ruleid: unpinned-model-revision
    return huggingface_hub.hf_hub_download(CHAT_MODEL, "tokenizer_config.json")


def build_embedder():
    # case: sentence-transformers embedder for the RAG index
    # ruleid: unpinned-model-revision
    return SentenceTransformer(EMBED_MODEL, device="cpu")


class Transcriber:
    def __init__(self, model_id: str = "openai/whisper-small"):
        # case: processor loaded on the instance
        # ruleid: unpinned-model-revision
        self.processor = AutoProcessor.from_pretrained(model_id)


class LoadRequest(BaseModel):
    model_id: str


@app.post("/admin/models")
def load_requested_model(body: LoadRequest):
    # case: caller picks the repository, nothing pins what is downloaded
    # ruleid: unpinned-model-revision
    model = AutoModelForCausalLM.from_pretrained(body.model_id)
    return {"loaded": model.config.name_or_path}


def load_branch_model():
    # case: a branch name moves with every push, so it is not a pin
    # ruleid: unpinned-model-revision
    return AutoModelForCausalLM.from_pretrained(CHAT_MODEL, revision="main")


def build_reranker():
    # case: CrossEncoder downloads like SentenceTransformer
    # ruleid: unpinned-model-revision
    return CrossEncoder("cross-encoder/ms-marco-MiniLM-L6-v2")


def start_vllm_engine():
    # case: vLLM downloads the model from the Hub by name
    # ruleid: unpinned-model-revision
    return LLM(model=CHAT_MODEL, max_model_len=8192)


def load_pinned_tokenizer():
    # case: revision is a literal commit hash
    # ok: unpinned-model-revision
    return AutoTokenizer.from_pretrained(CHAT_MODEL, revision="a09a35458c702b33eeacc393d103063234e8bc28")


def load_pinned_model():
    # case: revision is a module constant holding a commit hash
    # ok: unpinned-model-revision
    return AutoModelForCausalLM.from_pretrained(
        CHAT_MODEL,
        revision=CHAT_REVISION,
        torch_dtype=torch.bfloat16,
    )


def build_pinned_pipeline():
    # case: pipeline pinned to a commit
    # ok: unpinned-model-revision
    return pipeline("sentiment-analysis", model=SENTIMENT_MODEL, revision=SENTIMENT_REVISION)


def load_pinned_gguf():
    # case: single file download pinned to a commit
    # ok: unpinned-model-revision
    path = hf_hub_download(
        repo_id="bartowski/Qwen2.5-7B-Instruct-GGUF",
        filename="Qwen2.5-7B-Instruct-Q4_K_M.gguf",
        revision="1b6b9d2a3c8f4e5d6a7b8c9d0e1f2a3b4c5d6e7f",
    )
    return Llama(model_path=path, n_ctx=8192)


def load_pinned_index():
    # case: index snapshot pinned to a commit of the dataset repository
    # ok: unpinned-model-revision
    local_dir = snapshot_download(repo_id=INDEX_REPO, repo_type="dataset", revision=INDEX_REVISION)
    return load_index_from_storage(StorageContext.from_defaults(persist_dir=local_dir))


def build_pinned_embedder():
    # case: embedder pinned to a commit
    # ok: unpinned-model-revision
    return SentenceTransformer(EMBED_MODEL, revision=EMBED_REVISION, device="cpu")


def load_with_shared_kwargs():
    # case: revision comes in a dict of keyword arguments spread into the call
    # ok: unpinned-model-revision
    return AutoModelForCausalLM.from_pretrained(CHAT_MODEL, **PINNED)


def load_from_inventory(model_id: str):
    # case: revision looked up in a table of reviewed commits
    # ok: unpinned-model-revision
    return AutoModel.from_pretrained(model_id, revision=MODEL_PINS[model_id])


def load_base_model(model_id: str, revision: str):
    # case: revision is a required parameter; the callers pass commit constants
    # ok: unpinned-model-revision
    return AutoModelForCausalLM.from_pretrained(model_id, revision=revision, device_map="auto")


def load_default_base_model():
    return load_base_model(CHAT_MODEL, CHAT_REVISION)


def build_random_init_model():
    config = AutoConfig.from_pretrained(CHAT_MODEL, revision=CHAT_REVISION)
    # case: from_config builds an untrained model from a config, it downloads nothing
    # ok: unpinned-model-revision
    return AutoModelForCausalLM.from_config(config)


def export_fine_tuned(model, tokenizer, out_dir: str):
    # case: saving writes local files, nothing is downloaded
    # ok: unpinned-model-revision
    model.save_pretrained(out_dir, safe_serialization=True)
    tokenizer.save_pretrained(out_dir)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", default="artifacts/qwen-support")
    args = parser.parse_args()
    model = load_default_base_model()
    tokenizer = AutoTokenizer.from_pretrained(CHAT_MODEL, revision=CHAT_REVISION)
    export_fine_tuned(model, tokenizer, args.out)
