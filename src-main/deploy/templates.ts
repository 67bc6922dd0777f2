import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { KubesmithError } from '../../src-shared/errors';

/** Loads versioned templates: <dir>/<kubernetes minor>/<name> wins over <dir>/common/<name>. */
export interface Templates {
  render(version: string, name: string, vars: Record<string, string>): string;
}

/** resources/templates, found beside the app (packaged: process.resourcesPath) or up from this file (dev, tests, CLI). */
export function findTemplatesDir(start = __dirname): string {
  const env = process.env.KUBESMITH_TEMPLATES;
  if (env) return env;
  const resources = (process as { resourcesPath?: string }).resourcesPath;
  if (resources && existsSync(join(resources, 'templates'))) return join(resources, 'templates');
  for (let dir = start; ; dir = dirname(dir)) {
    const candidate = join(dir, 'resources', 'templates');
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) break;
  }
  throw new KubesmithError('TemplatesMissing', 'The deploy templates (resources/templates) were not found.', 'Reinstall Kubesmith.');
}

/** `{{ name }}` placeholders; a placeholder without a value is an error, never an empty string. */
export function fillTemplate(text: string, vars: Record<string, string>, name = 'template'): string {
  return text.replace(/\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g, (_whole, key: string) => {
    const value = vars[key];
    if (value === undefined)
      throw new KubesmithError('TemplateError', `${name} needs a value for {{ ${key} }}.`, 'This is a bug in Kubesmith.');
    return value;
  });
}

export function fileTemplates(dir = findTemplatesDir()): Templates {
  const cache = new Map<string, string>();
  const load = (version: string, name: string): string => {
    const key = `${version}/${name}`;
    const hit = cache.get(key);
    if (hit !== undefined) return hit;
    for (const candidate of [join(dir, version, name), join(dir, 'common', name)]) {
      if (existsSync(candidate)) {
        const text = readFileSync(candidate, 'utf8');
        cache.set(key, text);
        return text;
      }
    }
    throw new KubesmithError('TemplateMissing', `There is no template ${name} for Kubernetes ${version}.`, `Looked in ${dir}.`);
  };
  return { render: (version, name, vars) => fillTemplate(load(version, name), vars, name) };
}
