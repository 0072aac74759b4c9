import { commands, Disposable } from "vscode";
import type { LanguageClient } from "vscode-languageclient/node";

/** Each palette command, by the id declared in package.json's `contributes.commands`. */
const COMMANDS: Record<string, (client: LanguageClient) => () => unknown> = {
  "secureAiLint.showOutput": (client) => () => client.outputChannel.show(true),
  "secureAiLint.restartServer": (client) => () => client.restart(),
};

export function registerCommands(client: LanguageClient): Disposable {
  return Disposable.from(...Object.entries(COMMANDS).map(([id, create]) => commands.registerCommand(id, create(client))));
}
