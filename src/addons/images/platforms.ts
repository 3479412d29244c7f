/** Platforms (os/architecture/variant) as images declare them, and how node architectures match them. Pure. */
import { k3sArchOfMachine } from '../../k3s/arch.js';
import { RegistryError } from './registry-error.js';

export interface Platform {
  os: string;
  architecture: string;
  variant?: string;
}

/** The platforms of an index or manifest list, without attestation entries (`unknown/unknown`). */
export function indexPlatforms(doc: Record<string, unknown>, name: string): Platform[] {
  if (!Array.isArray(doc.manifests)) throw new RegistryError('bad-answer', `${name}: the index has no manifests list`);
  const platforms: Platform[] = [];
  for (const entry of doc.manifests as unknown[]) {
    if (typeof entry !== 'object' || entry === null) continue;
    const e = entry as { platform?: { os?: unknown; architecture?: unknown; variant?: unknown }; annotations?: Record<string, unknown> };
    if (e.annotations?.['vnd.docker.reference.type'] === 'attestation-manifest') continue;
    const p = e.platform;
    if (!p || typeof p.os !== 'string' || typeof p.architecture !== 'string') continue;
    if (p.os === 'unknown' || p.architecture === 'unknown') continue;
    const platform = platformOf(p.os, p.architecture, p.variant);
    if (!platforms.some((q) => samePlatform(q, platform))) platforms.push(platform);
  }
  return platforms;
}

export function platformOf(os: string, architecture: string, variant: unknown): Platform {
  return typeof variant === 'string' && variant !== '' ? { os, architecture, variant } : { os, architecture };
}

function samePlatform(a: Platform, b: Platform): boolean {
  return a.os === b.os && a.architecture === b.architecture && a.variant === b.variant;
}

/**
 * Node architecture names as image platforms name them; uname spellings are accepted too, through the
 * one machine → k3s mapping (k3s/arch.ts): k3s's arm build is ARMv7, so its images are arm/v7. `arm`
 * as given stays any arm; armv6l, which k3s does not run on, is arm/v6.
 */
export function normaliseArchitecture(arch: string): string {
  const a = arch.trim().toLowerCase();
  if (a === 'arm') return a;
  if (a === 'armv6l') return 'arm/v6';
  const k3s = k3sArchOfMachine(a);
  return k3s === 'arm' ? 'arm/v7' : k3s ?? a;
}

/** `arm64` matches linux/arm64 and linux/arm64/v8; `arm/v7` needs that variant; `arm` any arm. */
export function platformMatches(p: Platform, arch: string): boolean {
  if (p.os !== 'linux') return false;
  const [architecture, variant] = arch.split('/');
  if (p.architecture !== architecture) return false;
  if (variant === undefined) return true;
  const have = p.variant ?? (architecture === 'arm64' ? 'v8' : undefined);
  return have === variant;
}

export function platformString(p: Platform): string {
  return `${p.os}/${p.architecture}${p.variant ? `/${p.variant}` : ''}`;
}

