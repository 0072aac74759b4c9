import * as path from "node:path";
import { commands, ExtensionContext, window } from "vscode";
import { LanguageClient, LanguageClientOptions, ServerOptions, TransportKind } from "vscode-languageclient/node";
import { registerCommands } from "./commands";

const LANGUAGES = ["python", "javascript", "typescript", "javascriptreact", "typescriptreact"];

let client: LanguageClient | undefined;

export async function activate(context: ExtensionContext): Promise<void> {
  const serverModule = context.asAbsolutePath(path.join("dist", "server.js"));
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ["--nolazy", "--inspect=6009"] } },
  };
  // Created here rather than by the client so that a restarted server keeps writing to the same channels.
  const outputChannel = window.createOutputChannel("Secure AI Lint", { log: true });
  const traceOutputChannel = window.createOutputChannel("Secure AI Lint Trace", { log: true });
  const clientOptions: LanguageClientOptions = {
    documentSelector: LANGUAGES.flatMap((language) => [
      { scheme: "file", language },
      { scheme: "untitled", language },
    ]),
    outputChannel,
    traceOutputChannel,
    synchronize: { configurationSection: "secureAiLint" },
  };
  client = new LanguageClient("secureAiLint", "Secure AI Lint", serverOptions, clientOptions);
  context.subscriptions.push(outputChannel, traceOutputChannel, registerCommands(client));
  await commands.executeCommand("setContext", "secureAiLint.active", true);
  await client.start();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
