// The names of the output formats, apart from the renderers: the CLI validates --format with
// this list at start-up and loads only the renderer a run writes (render-lazily.ts).
export const reportFormats = ['table', 'json', 'jsonl', 'csv', 'html', 'junit', 'markdown', 'prometheus'] as const;
export type ReportFormat = (typeof reportFormats)[number];
