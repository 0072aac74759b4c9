"""Support agent: tool-calling loops over several SDKs, with and without a turn limit."""

import json
import logging
import queue
import time

import anthropic
from google import genai
from langchain.agents import AgentExecutor, create_tool_calling_agent, initialize_agent
from langchain_core.messages import HumanMessage, ToolMessage
from langchain_openai import ChatOpenAI
from openai import AsyncOpenAI, OpenAI

MAX_AGENT_STEPS = 20

log = logging.getLogger("support-agent")

client = OpenAI()
async_client = AsyncOpenAI()
claude = anthropic.Anthropic()
gemini = genai.Client()
chat_model = ChatOpenAI(model="gpt-4.1-mini", temperature=0)

MAX_STEPS = 8
MAX_TURNS = 12
TOOL_SPECS = [
    {
        "type": "function",
        "function": {
            "name": "lookup_order",
            "parameters": {"type": "object", "properties": {"order_id": {"type": "string"}}},
        },
    }
]
CLAUDE_TOOLS = [
    {
        "name": "lookup_order",
        "description": "Look up an order by id.",
        "input_schema": {"type": "object", "properties": {"order_id": {"type": "string"}}},
    }
]


def lookup_order(order_id: str) -> str:
    return json.dumps({"order_id": order_id, "status": "shipped"})


def run_tools(tool_calls) -> list:
    return [
        {"role": "tool", "tool_call_id": c.id, "content": lookup_order(**json.loads(c.function.arguments))}
        for c in tool_calls
    ]


def agent(question: str) -> str:
    messages = [{"role": "user", "content": question}]
    # case: only the model's decision to stop calling tools ends the loop
    # ruleid: uncapped-agent-loop
    for _step in range(MAX_AGENT_STEPS):
        response = client.chat.completions.create(
            model="gpt-4.1-mini", messages=messages, tools=TOOL_SPECS, max_completion_tokens=800
        )
        message = response.choices[0].message
        if not message.tool_calls:
            return message.content
        messages.append(message)
        messages.extend(run_tools(message.tool_calls))
    raise RuntimeError(f"agent did not finish within {MAX_AGENT_STEPS} steps")


def agent_with_step_budget(question: str) -> str:
    messages = [{"role": "user", "content": question}]
    # case: a fixed number of steps, then give up
    # ok: uncapped-agent-loop
    for _ in range(MAX_STEPS):
        response = client.chat.completions.create(
            model="gpt-4.1-mini", messages=messages, tools=TOOL_SPECS, max_completion_tokens=800
        )
        message = response.choices[0].message
        if not message.tool_calls:
            return message.content
        messages.append(message)
        messages.extend(run_tools(message.tool_calls))
    raise RuntimeError(f"no answer after {MAX_STEPS} steps")


def claude_agent(question: str) -> str:
    messages = [{"role": "user", "content": question}]
    # case: Anthropic tool-use loop that runs until stop_reason is no longer "tool_use"
    # ruleid: uncapped-agent-loop
    for _step in range(MAX_AGENT_STEPS):
        reply = claude.messages.create(
            model="claude-sonnet-4-5", max_tokens=1024, tools=CLAUDE_TOOLS, messages=messages
        )
        if reply.stop_reason != "tool_use":
            return reply.content[0].text
        messages.append({"role": "assistant", "content": reply.content})
        results = [
            {"type": "tool_result", "tool_use_id": block.id, "content": lookup_order(**block.input)}
            for block in reply.content
            if block.type == "tool_use"
        ]
        messages.append({"role": "user", "content": results})
    raise RuntimeError(f"agent did not finish within {MAX_AGENT_STEPS} steps")


def claude_agent_counted(question: str) -> str:
    messages = [{"role": "user", "content": question}]
    turns = 0
    # case: the loop condition compares a counter with a bound
    # ok: uncapped-agent-loop
    while turns < MAX_TURNS:
        turns += 1
        reply = claude.messages.create(
            model="claude-sonnet-4-5", max_tokens=1024, tools=CLAUDE_TOOLS, messages=messages
        )
        if reply.stop_reason != "tool_use":
            return reply.content[0].text
        messages.append({"role": "assistant", "content": reply.content})
    return "I could not finish this request."


def counted_but_never_checked(question: str) -> str:
    messages = [{"role": "user", "content": question}]
    steps = 0
    # case: a counter that is only logged, never compared with a limit
    # ruleid: uncapped-agent-loop
    for _step in range(MAX_AGENT_STEPS):
        steps += 1
        log.info("agent step %d", steps)
        response = client.chat.completions.create(
            model="gpt-4.1-mini", messages=messages, tools=TOOL_SPECS, max_completion_tokens=800
        )
        message = response.choices[0].message
        if message.tool_calls is None:
            return message.content
        messages.extend(run_tools(message.tool_calls))
    raise RuntimeError(f"agent did not finish within {MAX_AGENT_STEPS} steps")


def counted_with_break(question: str) -> str:
    messages = [{"role": "user", "content": question}]
    steps = 0
    answer = ""
    # case: the counter is checked against a limit inside the loop
    # ok: uncapped-agent-loop
    while True:
        steps += 1
        if steps >= MAX_STEPS:
            break
        response = client.chat.completions.create(
            model="gpt-4.1-mini", messages=messages, tools=TOOL_SPECS, max_completion_tokens=800
        )
        message = response.choices[0].message
        answer = message.content or ""
        if not message.tool_calls:
            break
        messages.extend(run_tools(message.tool_calls))
    return answer


def agent_with_deadline(question: str) -> str:
    messages = [{"role": "user", "content": question}]
    deadline = time.monotonic() + 60
    # case: a time budget bounds the loop
    # ok: uncapped-agent-loop
    while True:
        if time.monotonic() > deadline:
            raise TimeoutError("agent ran out of time")
        response = client.chat.completions.create(
            model="gpt-4.1-mini", messages=messages, tools=TOOL_SPECS, max_completion_tokens=800
        )
        message = response.choices[0].message
        if not message.tool_calls:
            return message.content
        messages.extend(run_tools(message.tool_calls))


async def responses_agent(question: str) -> str:
    previous_id = None
    tool_outputs: list = [{"role": "user", "content": question}]
    # case: async Responses API loop chained by previous_response_id
    # ruleid: uncapped-agent-loop
    for _step in range(MAX_AGENT_STEPS):
        response = await async_client.responses.create(
            model="gpt-4.1-mini",
            input=tool_outputs,
            previous_response_id=previous_id,
            max_output_tokens=800,
        )
        calls = [item for item in response.output if item.type == "function_call"]
        if not calls:
            return response.output_text
        previous_id = response.id
        tool_outputs = [
            {"type": "function_call_output", "call_id": c.call_id, "output": lookup_order(**json.loads(c.arguments))}
            for c in calls
        ]
    raise RuntimeError(f"agent did not finish within {MAX_AGENT_STEPS} steps")


def langchain_agent(question: str) -> str:
    llm_with_tools = chat_model.bind_tools([lookup_order])
    messages = [HumanMessage(question)]
    # case: LangChain chat model with bound tools, looped until it stops calling them
    # ruleid: uncapped-agent-loop
    for _step in range(MAX_AGENT_STEPS):
        ai_message = llm_with_tools.invoke(messages)
        messages.append(ai_message)
        if not ai_message.tool_calls:
            return ai_message.content
        for call in ai_message.tool_calls:
            messages.append(ToolMessage(lookup_order(**call["args"]), tool_call_id=call["id"]))
    raise RuntimeError(f"agent did not finish within {MAX_AGENT_STEPS} steps")


def gemini_until_done(task: str) -> str:
    draft = ""
    # case: "refine until the model says DONE"
    # ruleid: uncapped-agent-loop
    for _step in range(MAX_AGENT_STEPS):
        response = gemini.models.generate_content(
            model="gemini-2.5-flash", contents=f"Improve this draft or reply DONE.\n{task}\n{draft}"
        )
        if response.text.strip() == "DONE":
            return draft
        draft = response.text
    raise RuntimeError(f"agent did not finish within {MAX_AGENT_STEPS} steps")


def summarize_each(tickets: list[str]) -> list[str]:
    summaries = []
    # case: a bounded loop over a list, one call per item
    # ok: uncapped-agent-loop
    for ticket in tickets:
        response = client.chat.completions.create(
            model="gpt-4.1-mini",
            messages=[{"role": "user", "content": f"Summarise:\n{ticket}"}],
            max_completion_tokens=200,
        )
        summaries.append(response.choices[0].message.content)
    return summaries


def worker(jobs: queue.Queue) -> None:
    # case: a worker loop that makes no model call itself
    # ok: uncapped-agent-loop
    while True:
        job = jobs.get()
        if job is None:
            return
        log.info("processing %s", job)
        jobs.task_done()


def build_executor(agent_runnable, tools) -> AgentExecutor:
    # case: AgentExecutor's own cap (15 iterations by default) turned off
    # ruleid: uncapped-agent-loop
    return AgentExecutor(agent=agent_runnable, tools=tools, max_iterations=15, verbose=True)


def build_capped_executor(tools, prompt) -> AgentExecutor:
    agent_runnable = create_tool_calling_agent(chat_model, tools, prompt)
    # case: an explicit cap
    # ok: uncapped-agent-loop
    return AgentExecutor(agent=agent_runnable, tools=tools, max_iterations=10, max_execution_time=60)


def build_default_executor(agent_runnable, tools) -> AgentExecutor:
    # case: the default cap is kept
    # ok: uncapped-agent-loop
    return AgentExecutor(agent=agent_runnable, tools=tools)


legacy_agent = initialize_agent(
    [],
    chat_model,
    # case: legacy initialize_agent with the cap turned off
    # ruleid: uncapped-agent-loop
    max_iterations=15,
)
