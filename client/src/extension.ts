import * as path from "node:path";
import { commands, ExtensionContext, window, workspace } from "vscode";
import { LanguageClient, LanguageClientOptions, ServerOptions, TransportKind } from "vscode-languageclient/node";
import { registerCommands } from "./commands";

const LANGUAGES = ["python", "javascript", "typescript", "javascriptreact", "typescriptreact", "prompty", "dotprompt"];
/** The project config files (secure-ai-lint.json / .yaml / .yml, with or without a leading dot): the server checks them too. */
const CONFIG_FILES = "**/{secure-ai-lint,.secure-ai-lint}.{json,yaml,yml}";

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
  // Saves made outside the editor (git checkout, another tool) must reload the project config too.
  const configFileWatcher = workspace.createFileSystemWatcher(CONFIG_FILES);
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      ...LANGUAGES.flatMap((language) => [
        { scheme: "file", language },
        { scheme: "untitled", language },
      ]),
      { scheme: "file", pattern: CONFIG_FILES },
      // Python cells of Jupyter notebooks, for hovers. The server declares notebook sync for them, so the
      // client sends them inside their notebook (notebookDocument/*), never also as lone text documents.
      { notebook: "jupyter-notebook", language: "python" },
    ],
    outputChannel,
    traceOutputChannel,
    synchronize: { configurationSection: "secureAiLint", fileEvents: configFileWatcher },
  };
  client = new LanguageClient("secureAiLint", "Secure AI Lint", serverOptions, clientOptions);
  context.subscriptions.push(outputChannel, traceOutputChannel, configFileWatcher, registerCommands(client));
  await commands.executeCommand("setContext", "secureAiLint.active", true);
  await client.start();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
