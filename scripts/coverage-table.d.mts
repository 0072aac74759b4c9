import type { ModelFile } from "../server/src/engine/models/schema";

export function coverageTable(models: readonly ModelFile[]): string;
