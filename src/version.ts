// The tool's version, read once from package.json so that it is stated in one place.
import { readFileSync } from 'node:fs';

interface PackageJson {
  version: string;
}

function readVersion(): string {
  // dist/version.js and src/version.ts both sit one level below the package root.
  const raw: unknown = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  return typeof raw === 'object' && raw !== null && 'version' in raw && typeof (raw as PackageJson).version === 'string'
    ? (raw as PackageJson).version
    : '0.0.0';
}

export const toolVersion: string = readVersion();
