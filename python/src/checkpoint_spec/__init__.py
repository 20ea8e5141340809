"""Run the language-neutral checkpoint spec against LangGraph checkpointers."""

__version__ = "0.1.0"
