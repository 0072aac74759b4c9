"""Settings shared by the support bot's modules, read from the environment."""

import os
from pathlib import Path

MODEL = os.environ.get("SUPPORT_MODEL", "gpt-5.4-mini")
DATA_DIR = Path(os.environ.get("SUPPORT_DATA_DIR", Path(__file__).parent / "data"))

# DELIBERATELY PLANTED SAMPLE SECRET. The fallback below is a FAKE key, made up so that
# `secure-ai-lint scan examples` has a hardcoded-llm-api-key finding to show; it was never valid.
# The fix is to drop the fallback, so that a missing OPENAI_API_KEY fails loudly.
OPENAI_API_KEY = os.environ.get(
    "OPENAI_API_KEY",
    "sk-proj-FAKE-EXAMPLE-KEY-UuqyjizuIjMXiZddldmK4xWlrGMHDDnUXHaPh3E0cE79RO2qGYMpmEZnhljc",
)
