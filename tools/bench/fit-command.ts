export const FIT_USAGE = "hfw bench fit --from DIR [--out PARAMS.json]"
export const COMPARE_USAGE = "hfw bench compare --from DIR [--params PARAMS.json]"
export async function runFitCommand(_argv: string[]): Promise<number> { return 1 }
export async function runCompareCommand(_argv: string[]): Promise<number> { return 1 }
