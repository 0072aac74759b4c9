"""Shop analytics assistant: answers questions about orders and customers in plain language."""

import json
import logging
import re
import sqlite3

import anthropic
import duckdb
import mysql.connector
import pandas as pd
import psycopg
import psycopg2
import pymysql
from flask import Flask, jsonify, request
from google import genai
from langchain_community.utilities import SQLDatabase
from langchain_core.output_parsers import StrOutputParser
from langchain_core.prompts import ChatPromptTemplate
from langchain_openai import ChatOpenAI
from llama_index.core import VectorStoreIndex
from openai import AsyncOpenAI, OpenAI
from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session

app = Flask(__name__)
log = logging.getLogger("shop-analytics")

client = OpenAI()
async_client = AsyncOpenAI()
claude = anthropic.Anthropic()
gemini = genai.Client()
chat_model = ChatOpenAI(model="gpt-4.1-mini", temperature=0)

DSN = "postgresql://analytics@db.internal/shop"
engine = create_engine(DSN)
warehouse = SQLDatabase.from_uri(DSN)

SCHEMA = "orders(id, customer_id, total, created_at), customers(id, name, email, region)"
SQL_ONLY = f"Reply with one PostgreSQL query and nothing else. Schema: {SCHEMA}"
ALLOWED_TABLES = {"orders", "customers", "products"}
QUERIES = {
    "revenue_by_month": "SELECT date_trunc('month', created_at) AS month, SUM(total) FROM orders GROUP BY 1",
    "top_customers": "SELECT customer_id, SUM(total) FROM orders GROUP BY 1 ORDER BY 2 DESC LIMIT 10",
    "open_orders": "SELECT id, total FROM orders WHERE shipped_at IS NULL",
}


def answer_question(question: str):
    resp = client.chat.completions.create(
        model="gpt-4.1-mini",
        messages=[
            {"role": "system", "content": SQL_ONLY},
            {"role": "user", "content": question},
        ],
    )
    sql = resp.choices[0].message.content
    conn = sqlite3.connect("shop.db")
    cursor = conn.cursor()
    # case: chat completion content executed on a sqlite3 cursor
    # ruleid: llm-output-to-sql
    cursor.execute(sql)
    return cursor.fetchall()


def run_tool_call(question: str):
    resp = client.chat.completions.create(
        model="gpt-4.1-mini",
        messages=[{"role": "user", "content": question}],
        tools=[
            {
                "type": "function",
                "function": {
                    "name": "run_query",
                    "parameters": {
                        "type": "object",
                        "properties": {"query": {"type": "string"}},
                        "required": ["query"],
                    },
                },
            }
        ],
    )
    call = resp.choices[0].message.tool_calls[0]
    args = json.loads(call.function.arguments)
    with psycopg.connect(DSN) as conn:
        # case: a field of parsed tool-call arguments run by a psycopg 3 connection
        # ruleid: llm-output-to-sql
        return conn.execute(args["query"]).fetchall()


def fenced_query(question: str):
    msg = claude.messages.create(
        model="claude-sonnet-4-5",
        max_tokens=1024,
        messages=[{"role": "user", "content": f"{SQL_ONLY}\n\n{question}"}],
    )
    reply = msg.content[0].text
    match = re.search(r"```sql\n(.*?)```", reply, re.S)
    if match is None:
        return []
    pg = psycopg2.connect(DSN)
    cur = pg.cursor()
    # case: SQL block pulled out of an Anthropic reply with a regex, psycopg2 cursor
    # ruleid: llm-output-to-sql
    cur.execute(match.group(1))
    return cur.fetchall()


def filtered_orders(question: str):
    response = gemini.models.generate_content(
        model="gemini-2.5-flash",
        contents=f"Write only a SQL WHERE condition over orders(total, status, created_at) for: {question}",
    )
    condition = response.text.strip()
    conn = pymysql.connect(host="db.internal", user="analytics", database="shop")
    with conn.cursor() as cursor:
        # case: Gemini text interpolated into the WHERE clause of an f-string
        # ruleid: llm-output-to-sql
        cursor.execute(f"SELECT id, total FROM orders WHERE {condition}")
        return cursor.fetchall()


def import_rows(rows: list, header: str):
    reply = chat_model.invoke(f"Write one MySQL INSERT with %s placeholders for a CSV with columns: {header}")
    statement = reply.content
    conn = mysql.connector.connect(host="db.internal", user="loader", database="shop")
    cursor = conn.cursor()
    # case: LangChain message content as the statement of executemany on mysql.connector
    # ruleid: llm-output-to-sql
    cursor.executemany(statement, rows)
    conn.commit()


def generate_migration(change: str):
    stream = client.chat.completions.create(
        model="gpt-4.1-mini",
        messages=[{"role": "user", "content": f"SQLite DDL script for this change: {change}"}],
        stream=True,
    )
    script = ""
    for chunk in stream:
        script += chunk.choices[0].delta.content or ""
    conn = sqlite3.connect("shop.db")
    # case: streamed deltas accumulated into a script for executescript
    # ruleid: llm-output-to-sql
    conn.executescript(script)


def chain_report(question: str):
    prompt = ChatPromptTemplate.from_messages([("system", SQL_ONLY), ("human", "{question}")])
    chain = prompt | chat_model | StrOutputParser()
    sql = chain.invoke({"question": question})
    with Session(engine) as session:
        # case: LCEL chain output wrapped in SQLAlchemy text() and executed by a session
        # ruleid: llm-output-to-sql
        return session.execute(text(sql)).all()


def runbook_query(index: VectorStoreIndex, task: str):
    query_engine = index.as_query_engine()
    sql = query_engine.query(f"Which SQL query does the runbook give for: {task}").response
    with engine.connect() as connection:
        # case: LlamaIndex query answer through engine.connect().execute(text(...))
        # ruleid: llm-output-to-sql
        return connection.execute(text(sql)).fetchall()


def cleanup_statement(issue: str):
    resp = client.chat.completions.create(
        model="gpt-4.1-mini",
        messages=[{"role": "user", "content": f"One UPDATE statement that fixes: {issue}"}],
    )
    statement = resp.choices[0].message.content.strip().rstrip(";")
    with engine.begin() as connection:
        # case: model-written UPDATE sent with exec_driver_sql
        # ruleid: llm-output-to-sql
        connection.exec_driver_sql(statement)


def draft_query(question: str) -> str:
    msg = claude.messages.create(
        model="claude-sonnet-4-5",
        max_tokens=1024,
        system=SQL_ONLY,
        messages=[{"role": "user", "content": question}],
    )
    return msg.content[0].text


def dataframe_for(question: str) -> pd.DataFrame:
    sql = draft_query(question)
    # case: same-file helper returns model text, read with pandas
    # ruleid: llm-output-to-sql
    return pd.read_sql(sql, engine)


class ReportBuilder:
    def __init__(self):
        self.client = OpenAI()
        self.conn = sqlite3.connect("reports.db")

    def build(self, goal: str) -> pd.DataFrame:
        response = self.client.responses.create(
            model="gpt-4.1-mini",
            instructions=SQL_ONLY,
            input=goal,
        )
        # case: Responses output_text on self.client, read with read_sql_query
        # ruleid: llm-output-to-sql
        return pd.read_sql_query(response.output_text, self.conn)

    def sorted_orders(self, goal: str):
        response = self.client.responses.create(
            model="gpt-4.1-mini",
            input=f"An ORDER BY clause (without the keywords) over orders for: {goal}",
        )
        # case: %-formatting puts the model's clause into the query, sqlite3 connection.execute
        # ruleid: llm-output-to-sql
        return self.conn.execute("SELECT id, total FROM orders ORDER BY %s" % response.output_text).fetchall()


def langchain_database_answer(question: str) -> str:
    reply = chat_model.invoke([("system", SQL_ONLY), ("human", question)])
    # case: LangChain message content run by SQLDatabase.run
    # ruleid: llm-output-to-sql
    return warehouse.run(reply.content)


async def parquet_columns(question: str):
    resp = await async_client.chat.completions.create(
        model="gpt-4.1-mini",
        messages=[{"role": "user", "content": f"Comma-separated column list of sales.parquet for: {question}"}],
    )
    columns = resp.choices[0].message.content
    query = "SELECT {} FROM read_parquet('sales.parquet')".format(columns)
    # case: awaited async client, str.format builds the query for duckdb.sql
    # ruleid: llm-output-to-sql
    return duckdb.sql(query).fetchall()


def warehouse_filter(question: str):
    condition = chat_model.invoke(f"A DuckDB WHERE condition over sales(region, amount) for: {question}").content
    parts = ["SELECT region, SUM(amount) FROM sales WHERE", condition, "GROUP BY region"]
    con = duckdb.connect("warehouse.duckdb")
    # case: model condition joined into the query, duckdb connection.execute
    # ruleid: llm-output-to-sql
    return con.execute(" ".join(parts)).fetchall()


@app.post("/api/ask")
def ask():
    question = request.json["question"]
    resp = client.chat.completions.create(
        model="gpt-4.1-mini",
        messages=[{"role": "system", "content": SQL_ONLY}, {"role": "user", "content": question}],
    )
    sql = resp.choices[0].message.content
    # case: the proposed SQL is returned for the user to review, not executed
    # ok: llm-output-to-sql
    return jsonify({"sql": sql})


def customer_by_email(message: str):
    resp = client.chat.completions.create(
        model="gpt-4.1-mini",
        messages=[{"role": "user", "content": f"Extract the customer's email address only:\n{message}"}],
    )
    email = resp.choices[0].message.content.strip()
    cursor = sqlite3.connect("shop.db").cursor()
    # case: the model's value is a bound parameter, the query is constant
    # ok: llm-output-to-sql
    cursor.execute("SELECT id, name FROM customers WHERE email = ?", (email,))
    return cursor.fetchone()


def orders_for_region(question: str):
    region = gemini.models.generate_content(
        model="gemini-2.5-flash",
        contents=f"Which sales region is this about? One word.\n{question}",
    ).text.strip()
    with psycopg.connect(DSN) as conn:
        # case: psycopg placeholder, the model text is sent as a parameter
        # ok: llm-output-to-sql
        return conn.execute("SELECT id, total FROM orders o JOIN customers c ON c.id = o.customer_id WHERE c.region = %s", (region,)).fetchall()


def product_by_sku(question: str):
    sku = chat_model.invoke(f"Extract the product SKU only: {question}").content
    with Session(engine) as session:
        # case: SQLAlchemy text() with a bound parameter passed to execute
        # ok: llm-output-to-sql
        return session.execute(text("SELECT name, price FROM products WHERE sku = :sku"), {"sku": sku}).first()


def order_details(question: str):
    resp = client.chat.completions.create(
        model="gpt-4.1-mini",
        response_format={"type": "json_object"},
        messages=[{"role": "user", "content": f"JSON with the order id the customer refers to: {question}"}],
    )
    order_id = json.loads(resp.choices[0].message.content)["order_id"]
    statement = text("SELECT id, total, status FROM orders WHERE id = :id")
    with engine.connect() as connection:
        # case: text().bindparams keeps the model's value out of the SQL
        # ok: llm-output-to-sql
        return connection.execute(statement.bindparams(id=order_id)).first()


def named_report(question: str):
    resp = client.chat.completions.create(
        model="gpt-4.1-mini",
        messages=[{"role": "user", "content": f"Answer with one of {', '.join(QUERIES)}: {question}"}],
    )
    choice = resp.choices[0].message.content.strip()
    # case: the model picks a key of a constant table of queries
    # ok: llm-output-to-sql
    return pd.read_sql(QUERIES[choice], engine)


def count_rows(question: str) -> int:
    table = chat_model.invoke(f"Which table answers this? orders, customers or products.\n{question}").content.strip()
    if table not in ALLOWED_TABLES:
        raise ValueError(f"unexpected table: {table!r}")
    cursor = sqlite3.connect("shop.db").cursor()
    # case: checked against an allowlist of tables first
    # ok: llm-output-to-sql
    cursor.execute(f"SELECT COUNT(*) FROM {table}")
    return cursor.fetchone()[0]


def recent_orders(question: str):
    msg = claude.messages.create(
        model="claude-sonnet-4-5",
        max_tokens=16,
        messages=[{"role": "user", "content": f"How many orders should be listed? Reply with a number.\n{question}"}],
    )
    limit = int(msg.content[0].text.strip())
    conn = pymysql.connect(host="db.internal", user="analytics", database="shop")
    with conn.cursor() as cursor:
        # case: the reply is parsed to an int before it is formatted into the query
        # ok: llm-output-to-sql
        cursor.execute(f"SELECT id, total FROM orders ORDER BY created_at DESC LIMIT {limit}")
        return cursor.fetchall()


def save_summary(ticket_id: int, ticket_body: str):
    summary = chat_model.invoke(f"Summarise this support ticket in two sentences:\n{ticket_body}").content
    conn = mysql.connector.connect(host="db.internal", user="support", database="helpdesk")
    cursor = conn.cursor()
    # case: the model text is stored as a value of a parameterised INSERT
    # ok: llm-output-to-sql
    cursor.execute("INSERT INTO ticket_summaries (ticket_id, body) VALUES (%s, %s)", (ticket_id, summary))
    conn.commit()


def tag_products(descriptions: list):
    rows = []
    for product_id, description in descriptions:
        tag = chat_model.invoke(f"One category tag for: {description}").content.strip()
        rows.append((tag, product_id))
    conn = sqlite3.connect("shop.db")
    # case: constant statement for executemany, the model's tags are the parameter rows
    # ok: llm-output-to-sql
    conn.executemany("UPDATE products SET category = ? WHERE id = ?", rows)
    conn.commit()


def explain_query(question: str):
    sql = chat_model.invoke([("system", SQL_ONLY), ("human", question)]).content
    # case: logged for the analyst, not executed
    # ok: llm-output-to-sql
    log.info("proposed query: %s", sql)
    return sql


def weekly_summary():
    conn = sqlite3.connect("shop.db")
    # case: a constant query; the model only reads the result
    # ok: llm-output-to-sql
    rows = conn.execute("SELECT status, COUNT(*) FROM orders GROUP BY status").fetchall()
    resp = client.chat.completions.create(
        model="gpt-4.1-mini",
        messages=[{"role": "user", "content": f"Summarise these order counts for the team: {rows}"}],
    )
    return resp.choices[0].message.content


def sales_by_region(question: str):
    region = chat_model.invoke(f"Which region is this about? One word.\n{question}").content.strip()
    # case: pandas with a params mapping; the query text is constant
    # ok: llm-output-to-sql
    return pd.read_sql("SELECT SUM(total) FROM orders WHERE region = %(region)s", engine, params={"region": region})


def sorted_sales(question: str):
    verdict = gemini.models.generate_content(
        model="gemini-2.5-flash",
        contents=f"Answer asc or desc: how should sales be sorted for {question}?",
    ).text.strip().lower()
    direction = "DESC" if verdict == "desc" else "ASC"
    con = duckdb.connect("warehouse.duckdb", read_only=True)
    # case: a comparison of the reply selects between two constant keywords
    # ok: llm-output-to-sql
    return con.execute(f"SELECT region, SUM(amount) AS total FROM sales GROUP BY region ORDER BY total {direction}").fetchall()


def warehouse_overview() -> str:
    # case: a constant query through SQLDatabase.run
    # ok: llm-output-to-sql
    return warehouse.run("SELECT region, COUNT(*) FROM customers GROUP BY region")


def orders_for_customer_named(question: str):
    resp = client.chat.completions.create(
        model="gpt-4.1-mini",
        messages=[{"role": "user", "content": f"Which customer name does this question mention? Reply with the name only: {question}"}],
    )
    name = resp.choices[0].message.content
    conn = sqlite3.connect("shop.db")
    # case: the model's answer quoted into a WHERE value of an inline f-string
    # ruleid: llm-output-to-sql
    return conn.execute(f"SELECT id, total FROM orders WHERE customer = '{name}'").fetchall()


def region_totals(question: str):
    resp = client.chat.completions.create(
        model="gpt-4.1-mini",
        messages=[{"role": "user", "content": f"Which sales region is this about? Reply with its code only: {question}"}],
    )
    region = resp.choices[0].message.content
    with psycopg.connect(DSN) as conn:
        # case: psycopg cursor, the model's answer as a quoted value
        # ruleid: llm-output-to-sql
        return conn.execute(f"SELECT SUM(total) FROM orders o JOIN customers c ON c.id = o.customer_id WHERE c.region = '{region}'").fetchone()
