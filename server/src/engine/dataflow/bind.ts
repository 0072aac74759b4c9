/** Assignment: binding names, attributes, subscripts and destructuring patterns to values. */
import type { Pattern, Span } from "../ir";
import { deepTaints, joinVals, unionTaints, withStep, type Val } from "../values";
import type { Frame } from "./functions";
import type { Interpreter } from "./interpreter";
import { checkPropertySink } from "./sinks";

export function bindPattern(interp: Interpreter, p: Pattern, v: Val, frame: Frame, span: Span): void {
  switch (p.kind) {
    case "name": {
      const stepped = deepTaints(v) ? withStep(v, { span: p.span, message: `assigned to \`${p.name}\`` }) : v;
      frame.scope.vars.set(p.name, stepped);
      return;
    }
    case "attr": {
      for (const spec of interp.kb.propertySinks(p.name)) checkPropertySink(interp, frame, spec, v, span, p.name);
      const self = p.object.kind === "name" && (p.object.name === "self" || p.object.name === "this");
      if (self && frame.owner) frame.ownFields.set(p.name, v);
      else if (p.object.kind === "name") interp.updateContainer(p.object.name, frame, (o) => withField(o, p.name, v));
      return;
    }
    case "index": {
      if (p.object.kind !== "name") return;
      const key = interp.eval(p.index, frame);
      interp.updateContainer(p.object.name, frame, (o) => (key.str !== undefined ? withField(o, key.str, v) : { ...o, taints: unionTaints(o.taints, deepTaints(v)) }));
      return;
    }
    case "tuple": {
      p.elements.forEach((el, i) => {
        const part = el.rest === true ? { taints: deepTaints(v) } : v.elems?.[i] ?? interp.indexOf(v, { num: i });
        interp.bind(el, part, frame, span);
      });
      return;
    }
    case "object": {
      for (const prop of p.properties) {
        let part = interp.attrOf(v, prop.key, prop.value.span);
        if (prop.defaultValue) part = joinVals(part, interp.eval(prop.defaultValue, frame));
        interp.bind(prop.value, part, frame, span);
      }
      if (p.rest) interp.bind(p.rest, v, frame, span);
      return;
    }
  }
}

function withField(o: Val, key: string, v: Val): Val {
  const fields = new Map(o.fields ?? []);
  fields.set(key, v);
  return { ...o, fields, constant: o.constant && v.constant };
}
