/**
 * Sensitive values: the name classifier (with the names that must stay quiet), and the
 * dataflow of personal data and secrets through the public engine API. Each flow has a
 * twin that must stay quiet.
 */
import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import { createEngine } from "../../server/src/engine/analyze";
import { classifyName, nameWords } from "../../server/src/engine/dataflow/sensitive";
import { secretInLiteral } from "../../server/src/engine/secrets";
import type { Engine } from "../../server/src/engine/types";

describe("name classifier", () => {
  test("splits snake, camel, kebab and upper case", () => {
    assert.deepEqual(nameWords("dateOfBirth"), ["date", "of", "birth"]);
    assert.deepEqual(nameWords("OPENAI_API_KEY"), ["openai", "api", "key"]);
    assert.deepEqual(nameWords("X-Api-Key"), ["x", "api", "key"]);
    assert.deepEqual(nameWords("APIKey"), ["api", "key"]);
    assert.deepEqual(nameWords("emails"), ["email"]);
  });

  const PII = ["email", "customerEmail", "user_email", "emails", "phone_number", "mobileNumber", "ssn", "social_security_number", "passport_number", "date_of_birth", "dob", "birthdate", "home_address", "address", "ip_address", "client_ip", "remote_addr", "ip", "credit_card_number", "cardNumber", "cvv", "iban", "account_number", "diagnosis", "medical_history", "salary", "full_name", "customer_name", "patient_name", "lastName"];
  const SECRETS = ["password", "db_password", "newPassword", "passwd", "db_pwd", "api_key", "apiKey", "OPENAI_API_KEY", "x-api-key", "secret", "client_secret", "SECRET_KEY", "aws_secret_access_key", "private_key", "access_token", "refreshToken", "id_token", "session_token", "bearer_token", "jwt", "credentials", "authorization", "Authorization", "cookie", "cookies", "DATABASE_URL", "dsn", "connection_string"];
  const NEITHER = [
    "token", "tokens", "token_count", "max_tokens", "num_tokens", "token_usage", "total_tokens", "maxTokens",
    "email_enabled", "is_email_valid", "emailEnabled", "email_template", "email_count", "email_domain", "email_sent",
    "password_min_length", "passwordMinLength", "PASSWORD_FIELD", "password_hash", "hashed_password", "password_reset_url",
    "phone_country_code", "address_book_id", "api_key_env_var", "API_KEY_HEADER", "secret_name", "secretName",
    "session_id", "user_id", "customer_id", "name", "username", "user", "customer", "server_ip", "host_ip", "server_address",
    "mac_address", "wallet_address", "support_email", "sender_email", "pwd", "masked_email", "card_last4", "key", "keys", "secrets_manager",
  ];

  for (const name of PII) test(`${name} is personal data`, () => assert.equal(classifyName(name), "pii"));
  for (const name of SECRETS) test(`${name} is a secret`, () => assert.equal(classifyName(name), "secret"));
  for (const name of NEITHER) test(`${name} is neither`, () => assert.equal(classifyName(name), undefined));

  test("the head of a compound wins: an email account's password is a password", () => {
    assert.equal(classifyName("email_password"), "secret");
    assert.equal(classifyName("email_password_hash"), undefined);
  });
});

describe("secret literals", () => {
  test("provider keys and connection strings with a password", () => {
    assert.match(secretInLiteral("key AIzaSyB4x9Qv2LmR7tKp0sWdE3hN8cJf6uYgZa1 here") ?? "", /Google AI API key/);
    assert.equal(secretInLiteral("postgresql://app:Xk29vLq7@db/shop"), "a connection string with a password");
  });
  test("placeholders, short strings and connection strings without a password", () => {
    assert.equal(secretInLiteral("sk-proj-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"), undefined);
    assert.equal(secretInLiteral("postgresql://app@db/shop"), undefined);
    assert.equal(secretInLiteral("postgresql://app:${DB_PASSWORD}@db/shop"), undefined);
    assert.equal(secretInLiteral("postgresql://app:password@db/shop"), undefined);
    assert.equal(secretInLiteral("short"), undefined);
  });
});

let engine: Engine;
before(async () => {
  engine = await createEngine({ ruleSeverities: { "pii-sent-to-model-provider": "info" } });
});

const LOGS = "sensitive-data-in-logs";
const SYSTEM = "secret-in-system-prompt";
const PROVIDER = "pii-sent-to-model-provider";

function lines(code: string, file: string, rule: string): number[] {
  const r = engine.analyze(code, file);
  assert.equal(r.skipped, undefined, r.skipped?.message);
  assert.deepEqual(r.ruleFailures, []);
  return r.findings.filter((f) => f.ruleId === rule).map((f) => f.range.start.line + 1);
}

function paths(code: string, file: string, rule: string): string[][] {
  return engine
    .analyze(code, file)
    .findings.filter((f) => f.ruleId === rule)
    .map((f) => f.path.map((s) => s.message));
}

const PY = "import logging\nfrom openai import OpenAI\nlog = logging.getLogger(__name__)\nclient = OpenAI()\n";
const TS = 'import OpenAI from "openai";\nconst client = new OpenAI();\n';

describe("sensitive dataflow, Python", () => {
  test("through an f-string, with the path starting at the read", () => {
    const code = `${PY}def f(user):\n    addr = user.email\n    log.info(f"sent to {addr}")\n    log.info(f"sent to {user.id}")\n`;
    assert.deepEqual(lines(code, "a.py", LOGS), [7]);
    assert.deepEqual(paths(code, "a.py", LOGS)[0], ["the `email` field holds personal data", "assigned to `addr`", "reaches a `logging` call"]);
  });

  test("dict fields keep their own data", () => {
    const code = `${PY}def f(row):\n    d = {"ssn": row.value, "plan": row.plan}\n    log.info(d["plan"])\n    log.info(d["ssn"])\n`;
    assert.deepEqual(lines(code, "a.py", LOGS), [8]);
  });

  test("pydantic fields by declared type, and the whole model", () => {
    const code = `${PY}from pydantic import BaseModel, EmailStr\nclass Signup(BaseModel):\n    contact: EmailStr\n    plan: str\nclass Plan(BaseModel):\n    plan: str\ndef f(s: Signup, p: Plan):\n    log.info(s.plan)\n    log.info(s.contact)\n    log.info(s)\n    log.info(p)\n`;
    assert.deepEqual(lines(code, "a.py", LOGS), [13, 14]);
  });

  test("a redaction helper ends the flow, also when the result keeps the name", () => {
    const code = `${PY}def redact(s):\n    return "***"\ndef f(email):\n    email = redact(email)\n    log.info(email)\ndef g(email):\n    email = email.strip()\n    log.info(email)\n`;
    assert.deepEqual(lines(code, "a.py", LOGS), [12]);
  });

  test("an argument does not make a call's result sensitive, unless the call builds text", () => {
    const code = `${PY}import json, requests\ndef f(api_key, token_header):\n    r = requests.get("https://x.example", headers={"Authorization": api_key})\n    log.info(r)\n    log.info(json.dumps({"k": api_key}))\n`;
    assert.deepEqual(lines(code, "a.py", LOGS), [9]);
  });

  test("constants are not sensitive whatever their name", () => {
    const code = `${PY}PASSWORD = "hunter2"\nlog.info(PASSWORD)\npassword = input()\nlog.info(password)\n`;
    assert.deepEqual(lines(code, "a.py", LOGS), [8]);
  });

  test("an environment secret in a system message; the same secret configuring the client is fine", () => {
    const code = `${PY}import os\nkey = os.environ["PAYMENTS_API_KEY"]\npay = OpenAI(api_key=key)\nclient.chat.completions.create(model="m", messages=[{"role": "system", "content": "k=" + key}])\npay.chat.completions.create(model="m", messages=[{"role": "system", "content": "Be brief."}])\n`;
    assert.deepEqual(lines(code, "a.py", SYSTEM), [8]);
  });

  test("a secret removed with replace, and the results of a client configured with a key, are not secrets", () => {
    const code = `${PY}import os\nfrom tavily import TavilyClient\nkey = os.getenv("OPENAI_API_KEY")\nsearch = TavilyClient(api_key=os.getenv("TAVILY_API_KEY"))\ndef f(exc, q):\n    log.error("%s", str(exc).replace(key, "[REDACTED]"))\n    log.info(search.search(query=q))\n    log.info(key.strip())\n`;
    assert.deepEqual(lines(code, "a.py", LOGS), [12]);
  });

  test("an environment variable named after a provider's key is a secret", () => {
    const code = `${PY}import os\nlog.info(os.getenv("OPENAI_KEY"))\nlog.info(os.getenv("OPENAI_MODEL"))\n`;
    assert.deepEqual(lines(code, "a.py", LOGS), [6]);
  });

  test("personal data sent to a hosted provider, not to a local server", () => {
    const hosted = `${PY}def f(customer):\n    client.chat.completions.create(model="m", messages=[{"role": "user", "content": customer.phone}])\n`;
    assert.deepEqual(lines(hosted, "a.py", PROVIDER), [6]);
    const local = hosted.replace("client = OpenAI()", 'client = OpenAI(base_url="http://localhost:8000/v1")');
    assert.deepEqual(lines(local, "a.py", PROVIDER), []);
  });
});

describe("sensitive dataflow, TypeScript", () => {
  test("destructuring a request body, and a helper that masks", () => {
    const code = `${TS}const mask = (s: string) => s.slice(0, 1) + "***";\nexport function f(body: any) {\n  const { email, plan } = body;\n  console.log(email);\n  console.log(plan);\n  console.log(mask(email));\n}\n`;
    assert.deepEqual(lines(code, "a.ts", LOGS), [6]);
  });

  test("zod: a parsed field declared as an email, not its neighbours", () => {
    const code = `${TS}import { z } from "zod";\nconst S = z.object({ contact: z.string().email(), note: z.string() });\nexport function f(raw: unknown) {\n  const s = S.parse(raw);\n  console.log(s.note);\n  console.log(s.contact);\n}\n`;
    assert.deepEqual(lines(code, "a.ts", LOGS), [8]);
  });

  test("a whole chat prompt with request text is logged, a constant prompt is not", () => {
    const code = `${TS}import express from "express";\nconst app = express();\napp.post("/", (req, res) => {\n  const msgs = [{ role: "user", content: req.body.q }];\n  console.log(msgs);\n  const fixed = [{ role: "user", content: "hi" }];\n  console.log(fixed);\n});\n`;
    assert.deepEqual(lines(code, "a.ts", LOGS), [7]);
  });
});
