// Types of tools/host-bundle.mjs (plain JavaScript: it runs before any TypeScript loader).
export declare function bundlePaths(repo?: string): { dir: string; cli: string; outputs: string[]; inputsFile: string }
export declare function bundleIsFresh(repo?: string): boolean
export declare function makeBundle(repo?: string): Promise<void>
export declare function freshBundle(repo?: string): Promise<string | null>
