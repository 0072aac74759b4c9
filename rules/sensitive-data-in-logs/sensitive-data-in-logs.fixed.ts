// Support chat service: sign-ups, account lookups and a chat endpoint, with logs, traces and error reports.
import * as Sentry from "@sentry/node";
import { trace } from "@opentelemetry/api";
import createDebug from "debug";
import express from "express";
import OpenAI from "openai";
import pino from "pino";
import winston from "winston";
import { z } from "zod";

/** A stand-in for personal data or a secret: an email keeps its first letter and domain. */
function redact(value: unknown): string {
  const email = /^([^@\s])[^@\s]*@([^@\s]+\.[^@\s]+)$/.exec(String(value));
  return email ? `${email[1]}***@${email[2]}` : "[redacted]";
}

const app = express();
const logger = pino({ level: "info" });
const audit = winston.createLogger({ transports: [new winston.transports.Console()] });
const debug = createDebug("support:chat");
const client = new OpenAI({ apiKey: process.env.OPENAI_API_KEY });

const PASSWORD_FIELD = "password";
const API_KEY_ENV_VAR = "OPENAI_API_KEY";
const SUPPORT_EMAIL = "help@example.com";

const Signup = z.object({ contact: z.string().email(), displayName: z.string(), plan: z.enum(["free", "pro"]) });

function maskEmail(address: string): string {
  const [user, domain] = address.split("@");
  return `${user.slice(0, 1)}***@${domain}`;
}

class Customer {
  constructor(
    readonly id: string,
    readonly email: string,
  ) {
    this.id = id;
    this.email = email;
  }
}

app.post("/signup", async (req, res) => {
  const { password, emailEnabled, passwordMinLength } = req.body;
  const signup = Signup.parse(req.body);
  // case: a field the schema declares as an email, read by a name that says nothing
  // ruleid: sensitive-data-in-logs
  logger.info(`new account for ${redact(signup.contact)}`);
  // case: a password from the request body
  // ruleid: sensitive-data-in-logs
  console.log("signup password", redact(password));
  // case: a masked address
  // ok: sensitive-data-in-logs
  logger.info(`new account for ${maskEmail(signup.contact)}`);
  // case: the length of a password is not the password
  // ok: sensitive-data-in-logs
  console.log("password length", password.length);
  // case: flags and limits about the data are not the data
  // ok: sensitive-data-in-logs
  logger.info({ emailEnabled, passwordMinLength }, "signup settings");
  // case: the public display name and the plan
  // ok: sensitive-data-in-logs
  audit.info("signup", { displayName: signup.displayName, plan: signup.plan });
  res.json({ ok: true });
});

app.get("/customers/:id", async (req, res) => {
  const customer = new Customer(req.params.id, req.query.email as string);
  // case: a whole object with an email property: console.log prints every property
  // ruleid: sensitive-data-in-logs
  console.info("loaded", redact(customer));
  // case: the Authorization header in a winston log
  // ruleid: sensitive-data-in-logs
  audit.warn("auth header", { header: redact(req.headers.authorization) });
  // case: the client's IP address in a debug log
  // ruleid: sensitive-data-in-logs
  debug("request from %s", redact(req.ip));
  // case: only the id
  // ok: sensitive-data-in-logs
  console.info("loaded customer", customer.id);
  // case: a constant naming a field is not the field
  // ok: sensitive-data-in-logs
  logger.debug({ field: PASSWORD_FIELD }, "validating");
  // case: the name of an environment variable, not its value
  // ok: sensitive-data-in-logs
  logger.info(`reading the key from ${API_KEY_ENV_VAR}`);
  // case: the organisation's own address
  // ok: sensitive-data-in-logs
  logger.info(`replies come from ${SUPPORT_EMAIL}`);
  res.json({ id: customer.id });
});

app.post("/chat", async (req, res) => {
  const span = trace.getActiveSpan();
  // case: a phone number as a span attribute goes to the tracing backend
  // ruleid: sensitive-data-in-logs
  span?.setAttribute("user.phone", redact(req.body.phoneNumber));
  // case: a social security number in an error report
  // ruleid: sensitive-data-in-logs
  Sentry.captureMessage(`lookup failed for ${redact(req.body.ssn)}`);
  const messages: OpenAI.ChatCompletionMessageParam[] = [
    { role: "system", content: "You answer billing questions." },
    { role: "user", content: req.body.question },
  ];
  // case: the whole prompt, with the user's text
  // ruleid: sensitive-data-in-logs
  logger.debug({ messages: redact(messages) }, "sending prompt");
  const completion = await client.chat.completions.create({ model: "gpt-4.1-mini", messages, max_tokens: 400 });
  const answer = completion.choices[0].message.content;
  // case: the model's answer: a completion is not logged as personal data
  // ok: sensitive-data-in-logs
  logger.info({ answer }, "answered");
  const tokenCount = completion.usage?.total_tokens;
  // case: token counts
  // ok: sensitive-data-in-logs
  logger.info({ tokenCount, maxTokens: 400 }, "usage");
  // case: the API key from the environment
  // ruleid: sensitive-data-in-logs
  console.error(`retrying with key ${redact(process.env.BACKUP_OPENAI_API_KEY)}`);
  // case: a client built from the key is not the key
  // ok: sensitive-data-in-logs
  console.log("models", await client.models.list());
  res.json({ answer });
});

app.listen(3000);
