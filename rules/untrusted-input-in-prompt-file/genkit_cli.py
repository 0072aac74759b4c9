# A command-line tool that renders prompts/research.prompt with Genkit for Python.
import sys
from pathlib import Path

from genkit.ai import Genkit

ai = Genkit(plugins=[], prompt_dir=Path(__file__).parent / "prompts")


async def main():
    research = ai.prompt("research")
    response = await research(input={"topic": sys.argv[1], "depth": "overview"})
    print(response.text)
