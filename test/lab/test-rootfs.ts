import type { Arch, Variant } from './paths.js';

/** The arm64 variants test/lab/lab-arm64.test.ts boots (env KBOOTSTRAP_LAB_ARM64_VARIANTS). */
export function arm64TestVariants(env: NodeJS.ProcessEnv = process.env): Variant[] {
  return (env.KBOOTSTRAP_LAB_ARM64_VARIANTS ?? 'trixie,bullseye,netplan').split(',') as Variant[];
}

/** The k3s stand-in's own lab test: arm64 Trixie unless STANDIN_LAB_ARCH / STANDIN_LAB_VARIANT say otherwise. */
export function standinTestRootfs(env: NodeJS.ProcessEnv = process.env): { variant: Variant; arch: Arch } {
  return { variant: (env.STANDIN_LAB_VARIANT ?? 'trixie') as Variant, arch: env.STANDIN_LAB_ARCH === 'amd64' ? 'amd64' : 'arm64' };
}

/**
 * Every root filesystem the lab test files boot (test/lab and test/e2e), so `npm test` builds them in a
 * step of their own before the suites start, and no test hook waits on a build.
 */
export function labTestRootfs(env: NodeJS.ProcessEnv = process.env): { variant: Variant; arch: Arch }[] {
  const all: { variant: Variant; arch: Arch }[] = [
    // arm64 first: the longest builds start first when several run at once.
    ...arm64TestVariants(env).map((variant) => ({ variant, arch: 'arm64' as const })),
    standinTestRootfs(env),
    ...(['trixie', 'bookworm', 'bullseye', 'netplan', 'trixie-cloudinit'] as const).map((variant) => ({ variant, arch: 'amd64' as const })),
  ];
  return all.filter((r, i) => all.findIndex((o) => o.variant === r.variant && o.arch === r.arch) === i);
}
