"""Model loading for the support assistant: chat model, embedders, reranker, evaluation data."""
import argparse
import os

import datasets
import torch
import transformers
from datasets import load_dataset
from fastapi import FastAPI
from langchain_huggingface import HuggingFaceEmbeddings, HuggingFacePipeline
from llama_index.embeddings.huggingface import HuggingFaceEmbedding
from pydantic import BaseModel
from sentence_transformers import CrossEncoder, SentenceTransformer
from transformers import AutoConfig, AutoModelForCausalLM, AutoTokenizer, pipeline
from transformers import AutoModelForSequenceClassification as SequenceClassifier
from vllm import LLM, SamplingParams

CHAT_MODEL = "microsoft/Phi-3-mini-128k-instruct"
CHAT_REVISION = "2fe192450127e6a83f7441aef6e3ca586c338b77"
EMBED_MODEL = "nomic-ai/nomic-embed-text-v1.5"
RERANK_MODEL = "jinaai/jina-reranker-v2-base-multilingual"

# Off unless an operator opts in; the value is read at start-up, so it may be true.
TRUST_FROM_ENV = os.environ.get("TRUST_REMOTE_CODE", "0") == "1"
# A constant switch that is off: custom model code never runs.
ALLOW_CUSTOM_CODE = False

app = FastAPI()


def load_chat_tokenizer():
    return AutoTokenizer.from_pretrained(
        CHAT_MODEL,
        # case: tokenizer whose repository ships its own Python
        # ruleid: trust-remote-code
    )


def load_chat_model():
    return AutoModelForCausalLM.from_pretrained(
        CHAT_MODEL,
        torch_dtype=torch.bfloat16,
        device_map="auto",
        # case: pinned revision, but the repository's code still runs here
        revision=CHAT_REVISION,
        # ruleid: trust-remote-code
    )


def load_vision_model():
    # case: module-qualified Auto class, flag on the same line as the call
    # ruleid: trust-remote-code
    return transformers.AutoModel.from_pretrained("OpenGVLab/InternVL2-2B")


def load_config(model_id: str):
    # case: even AutoConfig imports configuration code from the repository
    # ruleid: trust-remote-code
    return AutoConfig.from_pretrained(model_id)


def load_toxicity_classifier():
    # case: Auto class imported under another name
    return SequenceClassifier.from_pretrained(
        "acme-research/toxicity-roberta",
        num_labels=2,
        # ruleid: trust-remote-code
    )


def build_summarizer():
    # case: pipeline() passes the flag on to every from_pretrained it makes
    summarizer = pipeline(
        "text-generation",
        model=CHAT_MODEL,
        device_map="auto",
        # ruleid: trust-remote-code
    )
    return summarizer


def load_eval_questions():
    # case: a dataset with a loading script runs that script
    # ruleid: trust-remote-code
    return load_dataset("hotpot_qa", "distractor", split="validation")


def load_eval_contexts():
    # case: module-qualified datasets call
    # ruleid: trust-remote-code
    return datasets.load_dataset("trivia_qa", "rc.wikipedia", split="validation[:500]")


def build_embedder():
    # case: sentence-transformers embedder with a custom architecture
    # ruleid: trust-remote-code
    return SentenceTransformer(EMBED_MODEL, device="cuda")


def build_reranker():
    # case: cross-encoder reranker for RAG results
    return CrossEncoder(
        RERANK_MODEL,
        automodel_args={"torch_dtype": "auto"},
        # ruleid: trust-remote-code
    )


def start_vllm_engine():
    # case: vLLM engine for a model with custom modelling code
    llm = LLM(
        model="deepseek-ai/DeepSeek-V2-Lite-Chat",
        max_model_len=8192,
        # ruleid: trust-remote-code
    )
    return llm.generate(["Summarise the ticket."], SamplingParams(max_tokens=256))


def load_from_cli():
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", default=CHAT_MODEL)
    parser.add_argument("--trust-remote-code", action="store_true")
    args = parser.parse_args()
    # case: a command-line switch may be true
    # ruleid: trust-remote-code
    return AutoModelForCausalLM.from_pretrained(args.model)


def load_with_env_switch():
    # case: value computed from the environment at start-up
    # ruleid: trust-remote-code
    return AutoTokenizer.from_pretrained(CHAT_MODEL)


class ModelRegistry:
    def __init__(self, model_id: str, trust_remote_code: bool):
        self.model_id = model_id
        self.trust_remote_code = trust_remote_code

    def load(self):
        # case: flag kept on the instance, set by whoever builds the registry
        # ruleid: trust-remote-code
        return AutoModelForCausalLM.from_pretrained(self.model_id)


def load_with_shared_kwargs():
    load_kwargs = {
        "torch_dtype": torch.float16,
        # case: flag set in a dict of keyword arguments spread into the call
        # ruleid: trust-remote-code
    }
    return AutoModelForCausalLM.from_pretrained(CHAT_MODEL, **load_kwargs)


class LoadRequest(BaseModel):
    model_id: str


@app.post("/admin/models")
def load_requested_model(body: LoadRequest):
    # case: the caller picks the repository whose code runs on the server
    # ruleid: trust-remote-code
    pipe = pipeline("text-generation", model=body.model_id)
    return {"loaded": pipe.model.name_or_path}


def build_langchain_embeddings():
    return HuggingFaceEmbeddings(
        model_name=EMBED_MODEL,
        # case: LangChain hands model_kwargs to SentenceTransformer
        # todoruleid: trust-remote-code
        model_kwargs={"device": "cpu", "trust_remote_code": True},
    )


def build_langchain_llm():
    return HuggingFacePipeline.from_model_id(
        model_id=CHAT_MODEL,
        task="text-generation",
        # case: LangChain hands model_kwargs to AutoModelForCausalLM.from_pretrained
        # todoruleid: trust-remote-code
        model_kwargs={"trust_remote_code": True},
        pipeline_kwargs={"max_new_tokens": 256},
    )


def build_llamaindex_embeddings():
    # case: LlamaIndex embedding wrapper passes the flag to sentence-transformers
    # todoruleid: trust-remote-code
    return HuggingFaceEmbedding(model_name=EMBED_MODEL, trust_remote_code=True)


def load_llama_tokenizer():
    # case: standard architecture, no custom code requested
    # ok: trust-remote-code
    return AutoTokenizer.from_pretrained("meta-llama/Llama-3.1-8B-Instruct")


def load_llama_model():
    return AutoModelForCausalLM.from_pretrained(
        "meta-llama/Llama-3.1-8B-Instruct",
        torch_dtype=torch.bfloat16,
        # case: explicitly refused
        # ok: trust-remote-code
        trust_remote_code=False,
    )


def load_sentiment_pipeline():
    # case: pipeline without the flag
    # ok: trust-remote-code
    return pipeline("sentiment-analysis", model="distilbert/distilbert-base-uncased-finetuned-sst-2-english")


def build_small_embedder():
    # case: built-in sentence-transformers architecture
    # ok: trust-remote-code
    return SentenceTransformer("sentence-transformers/all-MiniLM-L6-v2")


def build_small_reranker():
    # case: cross-encoder without custom code
    # ok: trust-remote-code
    return CrossEncoder("cross-encoder/ms-marco-MiniLM-L6-v2", max_length=512)


def load_faq_dataset():
    # case: local JSON files, no loading script
    # ok: trust-remote-code
    return load_dataset("json", data_files="data/faq.jsonl", split="train")


def start_plain_vllm_engine():
    return LLM(
        model="meta-llama/Llama-3.1-8B-Instruct",
        # case: vLLM told not to run repository code
        # ok: trust-remote-code
        trust_remote_code=False,
    )


def load_with_local_switch():
    allow_remote = False
    # case: local variable that is always False
    # ok: trust-remote-code
    return AutoModelForCausalLM.from_pretrained(CHAT_MODEL, trust_remote_code=allow_remote)


def load_with_constant_switch():
    # case: module constant that is False
    # ok: trust-remote-code
    return AutoTokenizer.from_pretrained(CHAT_MODEL, trust_remote_code=ALLOW_CUSTOM_CODE)


def load_with_safe_kwargs():
    load_kwargs = {
        "torch_dtype": torch.float16,
        # case: dict of keyword arguments that refuses custom code
        # ok: trust-remote-code
        "trust_remote_code": False,
    }
    return AutoModelForCausalLM.from_pretrained("mistralai/Mistral-7B-Instruct-v0.3", **load_kwargs)


def generate_reply(prompt: str) -> str:
    tokenizer = AutoTokenizer.from_pretrained("Qwen/Qwen2.5-1.5B-Instruct")
    model = AutoModelForCausalLM.from_pretrained("Qwen/Qwen2.5-1.5B-Instruct")
    inputs = tokenizer(prompt, return_tensors="pt")
    # case: generation on an already-loaded model downloads no code
    # ok: trust-remote-code
    output = model.generate(**inputs, max_new_tokens=128)
    return tokenizer.decode(output[0], skip_special_tokens=True)
