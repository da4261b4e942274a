// TEMP stub until the report-browser branch lands
export interface PageSection { heading: string; table?: Record<string, unknown>; rows?: Record<string, unknown>[]; pre?: string; plots?: unknown[] }
export function renderPage(p: { title: string; sections: PageSection[] }): string { return JSON.stringify(p) }
