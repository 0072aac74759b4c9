/** A minimal LSP client for protocol tests: starts the built server over stdio and records what it publishes. */
import { ChildProcess, fork, spawn } from "node:child_process";
import * as path from "node:path";
import {
  ConfigurationRequest,
  createProtocolConnection,
  Diagnostic,
  DidChangeTextDocumentNotification,
  DidOpenTextDocumentNotification,
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  IPCMessageReader,
  IPCMessageWriter,
  LogMessageNotification,
  LogMessageParams,
  MessageReader,
  MessageWriter,
  ProtocolConnection,
  PublishDiagnosticsNotification,
  PublishDiagnosticsParams,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  TextDocumentContentChangeEvent,
} from "vscode-languageserver-protocol/node";
import { repoRoot } from "../helpers/repo";

export { repoRoot };

interface Waiter {
  matches(params: PublishDiagnosticsParams): boolean;
  resolve(diagnostics: Diagnostic[]): void;
}

/** Every `textDocument/publishDiagnostics` the server sent, and promises for the ones still to come. */
export class PublishedDiagnostics {
  readonly received: PublishDiagnosticsParams[] = [];
  private readonly waiters = new Set<Waiter>();

  record(params: PublishDiagnosticsParams): void {
    this.received.push(params);
    for (const waiter of this.waiters) {
      if (!waiter.matches(params)) continue;
      this.waiters.delete(waiter);
      waiter.resolve(params.diagnostics);
    }
  }

  /** The diagnostics for one version of a document, whether they have already arrived or not. */
  forVersion(uri: string, version: number): Promise<Diagnostic[]> {
    const matches = (params: PublishDiagnosticsParams) => params.uri === uri && params.version === version;
    const earlier = this.received.filter(matches).at(-1);
    return earlier ? Promise.resolve(earlier.diagnostics) : this.waitFor(matches);
  }

  /** The next diagnostics published for a document from now on. */
  next(uri: string): Promise<Diagnostic[]> {
    return this.waitFor((params) => params.uri === uri);
  }

  versions(uri: string): (number | undefined)[] {
    return this.received.filter((params) => params.uri === uri).map((params) => params.version);
  }

  private waitFor(matches: Waiter["matches"]): Promise<Diagnostic[]> {
    return new Promise((resolve) => this.waiters.add({ matches, resolve }));
  }
}

export interface LspSession {
  connection: ProtocolConnection;
  diagnostics: PublishedDiagnostics;
  /** What the client answers `workspace/configuration` with; tests may replace it. */
  settings: Record<string, unknown> | undefined;
  logs: LogMessageParams[];
  exitCode: Promise<number | null>;
  open(uri: string, languageId: string, text: string): Promise<void>;
  change(uri: string, version: number, changes: TextDocumentContentChangeEvent[]): Promise<void>;
  shutdown(): Promise<void>;
  kill(): void;
}

export interface SessionOptions {
  /** The `secureAiLint` section to answer `workspace/configuration` with; without it the client lacks that capability. */
  settings?: Record<string, unknown>;
  /** How VS Code starts the server (node IPC) or how other editors and `secure-ai-lint lsp` do (stdio, the default). */
  transport?: "stdio" | "ipc";
  /** The client applies snippet text edits in workspace edits (LSP 3.18), as VS Code does. */
  snippetEdits?: boolean;
}

export async function startSession({ settings, transport = "stdio", snippetEdits = false }: SessionOptions): Promise<LspSession> {
  const serverPath = path.join(repoRoot(), "dist", "server.js");
  const server: ChildProcess =
    transport === "ipc"
      ? fork(serverPath, ["--node-ipc"], { stdio: ["ignore", "inherit", "inherit", "ipc"] })
      : spawn(process.execPath, [serverPath, "--stdio"], { stdio: ["pipe", "pipe", "inherit"] });
  const exitCode = new Promise<number | null>((resolve) => server.once("exit", (code) => resolve(code)));
  const [reader, writer]: [MessageReader, MessageWriter] =
    transport === "ipc"
      ? [new IPCMessageReader(server), new IPCMessageWriter(server)]
      : [new StreamMessageReader(server.stdout!), new StreamMessageWriter(server.stdin!)];
  const connection = createProtocolConnection(reader, writer);
  const session: LspSession = {
    connection,
    diagnostics: new PublishedDiagnostics(),
    settings,
    logs: [],
    exitCode,
    open: (uri, languageId, text) =>
      connection.sendNotification(DidOpenTextDocumentNotification.type, {
        textDocument: { uri, languageId, version: 1, text },
      }),
    change: (uri, version, contentChanges) =>
      connection.sendNotification(DidChangeTextDocumentNotification.type, {
        textDocument: { uri, version },
        contentChanges,
      }),
    async shutdown() {
      await connection.sendRequest(ShutdownRequest.type);
      await connection.sendNotification(ExitNotification.type);
    },
    kill() {
      connection.dispose();
      if (server.exitCode === null) server.kill();
    },
  };
  connection.onNotification(PublishDiagnosticsNotification.type, (params) => session.diagnostics.record(params));
  connection.onNotification(LogMessageNotification.type, (params) => {
    session.logs.push(params);
  });
  if (settings) connection.onRequest(ConfigurationRequest.type, (params) => params.items.map(() => session.settings));
  connection.listen();

  await connection.sendRequest(InitializeRequest.type, {
    processId: process.pid,
    rootUri: null,
    workspaceFolders: null,
    capabilities: {
      workspace: {
        configuration: settings !== undefined,
        didChangeConfiguration: { dynamicRegistration: false },
        ...(snippetEdits ? { workspaceEdit: { documentChanges: true, snippetEditSupport: true } } : {}),
      },
      textDocument: {
        synchronization: { dynamicRegistration: false },
        publishDiagnostics: { relatedInformation: true, versionSupport: true, codeDescriptionSupport: true },
        hover: { contentFormat: ["markdown", "plaintext"] },
      },
    },
  });
  await connection.sendNotification(InitializedNotification.type, {});
  return session;
}
