/** `import` and `from … import` statements -> import bindings (see ImportBinding in ir.ts). */
import type { ImportBinding } from "../ir";
import { spanOf, type PyNode } from "./python-tree";

export function collectImports(node: PyNode, text: string, imports: ImportBinding[]): void {
  const c = node.children;
  if (node.type === "import_statement") {
    for (const item of c) {
      if (item.type === "aliased_import") {
        const [dotted, alias] = item.children;
        imports.push({ local: textOf(text, alias), module: dottedText(text, dotted), name: null, span: spanOf(item) });
      } else if (item.type === "dotted_name") {
        const first = dottedText(text, item).split(".")[0];
        imports.push({ local: first, module: first, name: null, span: spanOf(item) });
      }
    }
    return;
  }
  if (c.length === 0) return;
  const module = dottedText(text, c[0]);
  for (const item of c.slice(1)) {
    if (item.type === "aliased_import") {
      const [dotted, alias] = item.children;
      imports.push({ local: textOf(text, alias), module, name: dottedText(text, dotted), span: spanOf(item) });
    } else if (item.type === "dotted_name") {
      const name = dottedText(text, item);
      imports.push({ local: name, module, name, span: spanOf(item) });
    }
  }
}

/** `a . b` and continuation lines are legal inside dotted names. */
function dottedText(text: string, node: PyNode): string {
  return textOf(text, node).replace(/[\s\\]+/g, "");
}

function textOf(text: string, node: PyNode): string {
  return text.slice(node.start, node.end);
}
