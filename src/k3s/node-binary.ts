import { K3S_RELEASE_BASE_URL, k3sAssetName, k3sChecksumFileName, k3sReleaseUrl, type K3sArch } from './release.js';
import { shellQuote } from '../ssh/shell-quote.js';
import { K3S_BINARY_PATH } from './units.js';

/** `sha256sum -- <path>`: run on the node after an upload. */
export function buildSha256Command(path: string): string {
  return `sha256sum -- ${shellQuote(path)}`;
}

/** The hash from sha256sum's output (`<hash>  <path>`); undefined when there is none. */
export function parseSha256Output(stdout: string): string | undefined {
  const m = /^\\?([0-9a-fA-F]{64})\s/.exec(stdout.trim() + ' ');
  return m ? m[1]!.toLowerCase() : undefined;
}

/** Fails (non-zero exit) unless the file's sha256 is the expected one. */
export function buildVerifySha256Command(path: string, sha256: string): string {
  return `echo ${shellQuote(`${sha256}  ${path}`)} | sha256sum -c --status -`;
}

/**
 * binary.source node: the node downloads the release asset and its checksum file itself, checks the
 * hash and only then moves the binary into place (curl, or wget when curl is missing).
 */
export function buildNodeDownloadCommand(version: string, arch: K3sArch, baseUrl = K3S_RELEASE_BASE_URL, target = K3S_BINARY_PATH): string {
  const asset = k3sAssetName(arch);
  const url = k3sReleaseUrl(version, asset, baseUrl);
  const sumsUrl = k3sReleaseUrl(version, k3sChecksumFileName(arch), baseUrl);
  const tmp = `${target}.kbootstrap-download`;
  return [
    'set -e',
    `get() { if command -v curl >/dev/null 2>&1; then curl -fsSL -o "$2" "$1"; else wget -q -O "$2" "$1"; fi; }`,
    `get ${shellQuote(url)} ${shellQuote(tmp)}`,
    `get ${shellQuote(sumsUrl)} ${shellQuote(`${tmp}.sums`)}`,
    `expected=$(awk '$2 == "${asset}" { print $1 }' ${shellQuote(`${tmp}.sums`)})`,
    `actual=$(sha256sum ${shellQuote(tmp)} | cut -d' ' -f1)`,
    `rm -f ${shellQuote(`${tmp}.sums`)}`,
    `if [ -z "$expected" ] || [ "$expected" != "$actual" ]; then rm -f ${shellQuote(tmp)}; echo "sha256 of ${url} is $actual, expected $expected" >&2; exit 1; fi`,
    `chmod 755 ${shellQuote(tmp)}`,
    `mv -f ${shellQuote(tmp)} ${shellQuote(target)}`,
  ].join('\n');
}
