// Offline checks of .github/workflows/release.yml (part of `npm run package:check`): GitHub's workflow schema
// (SchemaStore's, as @action-validator/core carries it), then the project's rules: every electron-builder
// target built natively on a runner of its own OS and CPU, package:check run, installers and SHA-256 sums
// attached to a draft release, and signing that says so when it is skipped.
import { validateWorkflow } from '@action-validator/core';
import { parse } from 'yaml';

/** GitHub-hosted runner labels by what they run (https://docs.github.com/en/actions/using-github-hosted-runners). */
export const NATIVE_RUNNERS = {
  'linux-x64': ['ubuntu-24.04', 'ubuntu-22.04', 'ubuntu-latest'],
  'linux-arm64': ['ubuntu-24.04-arm', 'ubuntu-22.04-arm'],
  'mac-x64': ['macos-15-intel', 'macos-13'],
  'mac-arm64': ['macos-15', 'macos-14', 'macos-latest'],
  'win-x64': ['windows-2025', 'windows-2022', 'windows-latest'],
};

function schemaProblems(text) {
  const flatten = (errors) =>
    errors.flatMap((e) => (e.states ? [`${e.path}: ${e.title}`] : [`${e.path ?? ''} ${e.title}: ${e.detail ?? ''}`.trim()]));
  return flatten(validateWorkflow(text).errors).map((p) => `release.yml schema: ${p}`);
}

/** `platform target-arch` for every target electron-builder.yml asks for, e.g. `linux AppImage-arm64`. */
export function configTargets(config) {
  return ['linux', 'mac', 'win'].flatMap((platform) =>
    (config[platform]?.target ?? []).flatMap((t) =>
      typeof t === 'string' ? [`${platform} ${t}-x64`] : (t.arch ?? ['x64']).map((a) => `${platform} ${t.target}-${a}`),
    ),
  );
}

const runsIn = (job, pattern) => (job?.steps ?? []).some((s) => typeof s.run === 'string' && pattern.test(s.run));

export function releaseWorkflowProblems(text, config) {
  const problems = schemaProblems(text);
  let workflow;
  try {
    workflow = parse(text);
  } catch (err) {
    return [...problems, `release.yml does not parse: ${err.message}`];
  }
  const jobs = workflow?.jobs ?? {};
  const tags = workflow?.on?.push?.tags ?? [];
  if (!tags.includes('v*')) problems.push('release.yml must run on pushed tags v*');

  const include = jobs.build?.strategy?.matrix?.include ?? [];
  const built = new Set();
  for (const entry of include) {
    const key = `${entry.platform}-${entry.arch}`;
    if (!(NATIVE_RUNNERS[key] ?? []).includes(entry.os)) problems.push(`build ${key} runs on ${entry.os}, not a native ${key} runner`);
    for (const target of String(entry.targets ?? '')
      .split(/\s+/)
      .filter(Boolean))
      built.add(`${entry.platform} ${target}-${entry.arch}`);
  }
  const wanted = configTargets(config);
  for (const t of wanted) if (!built.has(t)) problems.push(`release.yml builds no ${t} (electron-builder.yml has it)`);
  for (const t of built) if (!wanted.includes(t)) problems.push(`release.yml builds ${t}, which electron-builder.yml does not have`);

  if (!runsIn(jobs.build, /^npm run package:check$/m)) problems.push('the build job must run `npm run package:check`');
  if (!runsIn(jobs.build, /ELECTRON_DIST=.*npm run package:check/))
    problems.push('the build job must run the --dir build (ELECTRON_DIST=… npm run package:check)');
  if (!runsIn(jobs.build, /electron-builder .*--publish/s)) problems.push('the build job must publish with electron-builder --publish');
  const macBuilds = include.filter((e) => e.platform === 'mac').length;
  if (macBuilds > 1 && !runsIn(jobs['mac-feed'], /merge-mac-feed\.mjs .*latest-mac\.yml/)) {
    problems.push('the macOS builds run on separate runners: a mac-feed job must merge their latest-mac.yml (scripts/merge-mac-feed.mjs)');
  }
  if (!runsIn(jobs.build, /signing SKIPPED/) || !runsIn(jobs.build, /notarization SKIPPED/)) {
    problems.push('the build job must say in its log when signing or notarization is skipped');
  }
  if (!runsIn(jobs.draft, /gh release create .*--draft/)) problems.push('the draft job must create a draft release');
  const needs = [jobs.checksums?.needs ?? []].flat();
  if (
    !needs.includes('build') ||
    (jobs['mac-feed'] && !needs.includes('mac-feed')) ||
    !runsIn(jobs.checksums, /sha256sum/) ||
    !runsIn(jobs.checksums, /gh release upload .*SHA256SUMS\.txt/)
  ) {
    problems.push('a checksums job after the builds must upload SHA256SUMS.txt');
  }
  if (config.publish?.provider !== 'github' || config.publish?.releaseType !== 'draft') {
    problems.push("electron-builder.yml must publish to GitHub as a draft (the updater's feed)");
  }
  return problems;
}
