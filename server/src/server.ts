import {
  createConnection,
  DidChangeConfigurationNotification,
  InitializeResult,
  ProposedFeatures,
  TextDocuments,
  TextDocumentSyncKind,
} from "vscode-languageserver/node";
import { TextDocument } from "vscode-languageserver-textdocument";
import { version } from "../../package.json";
import { createEngineCache } from "./engines";
import { registerDiagnostics } from "./handlers/diagnostics";
import { registerHover } from "./handlers/hover";
import { CODE_ACTION_KINDS, registerCodeActions } from "./handlers/codeActions";
import { NOTEBOOK_SYNC, registerNotebooks } from "./handlers/notebooks";
import { createSettingsStore, DEFAULT_SETTINGS } from "./settings";

/** Starts the language server on the transport named in the process arguments (--node-ipc, --stdio, --socket=, --pipe=). */
export function startServer(): void {
  const connection = createConnection(ProposedFeatures.all);
  const documents = new TextDocuments(TextDocument);
  const settings = createSettingsStore(connection);
  const engines = createEngineCache((error) => {
    connection.console.error(`Secure AI Lint could not start its analysis engine: ${describeError(error)}`);
    void connection.window.showErrorMessage("Secure AI Lint could not start; see its output for details.");
  });
  let registerForConfigurationChanges = false;
  let followWorkspaceFolders = false;
  let snippetEdits = false;

  // One bad file or rule must not take the server, and with it every open editor's diagnostics, down.
  process.on("uncaughtException", (error) => connection.console.error(`Uncaught exception: ${describeError(error)}`));
  process.on("unhandledRejection", (reason) => connection.console.error(`Unhandled rejection: ${describeError(reason)}`));

  connection.onInitialize((params): InitializeResult => {
    const workspace = params.capabilities.workspace;
    settings.pullFromClient = workspace?.configuration === true;
    registerForConfigurationChanges = workspace?.didChangeConfiguration?.dynamicRegistration === true;
    followWorkspaceFolders = workspace?.workspaceFolders === true;
    snippetEdits = workspace?.workspaceEdit?.snippetEditSupport === true && workspace.workspaceEdit.documentChanges === true;
    settings.setWorkspaceFolders(params.workspaceFolders ?? (params.rootUri ? [{ uri: params.rootUri, name: "" }] : []));
    void engines.forSettings(DEFAULT_SETTINGS); // load the parsers while the client finishes starting up
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        notebookDocumentSync: NOTEBOOK_SYNC,
        hoverProvider: true,
        codeActionProvider: { codeActionKinds: CODE_ACTION_KINDS },
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: "secure-ai-lint", version },
    };
  });
  connection.onInitialized(() => {
    if (registerForConfigurationChanges) {
      void connection.client.register(DidChangeConfigurationNotification.type, { section: "secureAiLint" });
    }
    if (followWorkspaceFolders) connection.workspace.onDidChangeWorkspaceFolders((event) => settings.workspaceFoldersChanged(event));
  });

  const diagnostics = registerDiagnostics(connection, documents, settings, engines);
  const notebooks = registerNotebooks(connection, diagnostics, settings);
  registerHover(connection, (uri) => diagnostics.analysed(uri) ?? notebooks.analysed(uri));
  registerCodeActions(connection, documents, (uri) => diagnostics.analysed(uri), () => snippetEdits);
  connection.onDidChangeConfiguration(({ settings: pushed }) => {
    settings.changed(pushed);
    diagnostics.reanalyseAll();
  });

  documents.listen(connection);
  connection.listen();
}

function describeError(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}
