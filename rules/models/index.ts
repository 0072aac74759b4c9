/** SDK and framework knowledge shipped with the product. Adding a model means adding its JSON file and one entry here. */
import type { ModelFile } from "../../server/src/engine/models/schema";
import agentTools from "./agent-tools.json";
import anthropic from "./anthropic.json";
import autogen from "./autogen.json";
import bedrock from "./bedrock.json";
import cohere from "./cohere.json";
import crewai from "./crewai.json";
import django from "./django.json";
import express from "./express.json";
import expressionEvaluators from "./expression-evaluators.json";
import fastapi from "./fastapi.json";
import genkit from "./genkit.json";
import flask from "./flask.json";
import googleGenai from "./google-genai.json";
import html from "./html.json";
import hono from "./hono.json";
import httpClients from "./http-clients.json";
import huggingface from "./huggingface.json";
import langchain from "./langchain.json";
import litellm from "./litellm.json";
import llamaindex from "./llamaindex.json";
import loggingNode from "./logging-node.json";
import loggingPython from "./logging-python.json";
import mcp from "./mcp.json";
import mistral from "./mistral.json";
import modelLoading from "./model-loading.json";
import nextjs from "./nextjs.json";
import node from "./node.json";
import ollama from "./ollama.json";
import openai from "./openai.json";
import outputLimits from "./output-limits.json";
import prompty from "./prompty.json";
import python from "./python.json";
import sql from "./sql.json";
import validation from "./validation.json";
import vercelAi from "./vercel-ai.json";

export const MODELS = [
  python,
  node,
  httpClients,
  sql,
  html,
  loggingPython,
  loggingNode,
  modelLoading,
  validation,
  expressionEvaluators,
  flask,
  django,
  fastapi,
  express,
  hono,
  nextjs,
  mcp,
  openai,
  anthropic,
  googleGenai,
  langchain,
  llamaindex,
  vercelAi,
  mistral,
  cohere,
  bedrock,
  litellm,
  ollama,
  huggingface,
  crewai,
  autogen,
  prompty,
  genkit,
  agentTools,
  outputLimits,
] as unknown as readonly ModelFile[];
