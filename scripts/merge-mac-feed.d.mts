export function mergeFeeds(texts: string[]): string;
