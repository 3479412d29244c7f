import { describe, expect, it } from 'vitest';
import type { ImageCheckReport } from '../../../src/addons/images/check.js';
import { normaliseArchitecture, platformMatches } from '../../../src/addons/images/platforms.js';
import { formatImageTable, imageCheckEvents, imageTable } from '../../../src/addons/images/table.js';

const REPORT: ImageCheckReport = {
  architectures: ['amd64', 'arm64'],
  skipped: false,
  warnings: [],
  ok: false,
  problems: [],
  images: [
    { ref: 'quay.io/a/ctl:1', component: 'controller', overrideKey: 'addons.a.images.controller', platforms: [], supports: { amd64: true, arm64: true }, fromCache: true, problems: [] },
    {
      ref: 'docker.io/apache/x:2',
      component: 'invoker',
      overrideKey: 'addons.openwhisk.images.invoker',
      platforms: [],
      supports: { amd64: true, arm64: false },
      fromCache: false,
      problems: [{ kind: 'missing-architecture', ref: 'docker.io/apache/x:2', component: 'invoker', overrideKey: 'addons.openwhisk.images.invoker', architecture: 'arm64', message: 'm' }],
    },
    {
      ref: 'ghcr.io/b/c:3',
      component: 'gone',
      overrideKey: 'addons.b.image',
      platforms: [],
      supports: {},
      fromCache: false,
      problems: [{ kind: 'not-found', ref: 'ghcr.io/b/c:3', component: 'gone', overrideKey: 'addons.b.image', message: 'm' }],
    },
  ],
};

describe('imageTable', () => {
  it('returns the table as data: a mark per architecture and a note', () => {
    expect(imageTable({ ...REPORT, problems: [REPORT.images[1]!.problems[0]!, REPORT.images[2]!.problems[0]!] })).toEqual({
      title: 'Images × architecture (3 image(s), 2 problem(s))',
      columns: ['COMPONENT', 'IMAGE', 'amd64', 'arm64', 'NOTE'],
      rows: [
        ['controller', 'quay.io/a/ctl:1', '✔', '✔', 'cached'],
        ['invoker', 'docker.io/apache/x:2', '✔', '✘', 'override: addons.openwhisk.images.invoker'],
        ['gone', 'ghcr.io/b/c:3', '?', '?', 'not-found'],
      ],
    });
  });

  it('formats aligned lines through the shared column aligner', () => {
    expect(formatImageTable(REPORT).slice(1)).toEqual([
      'COMPONENT   IMAGE                 amd64  arm64  NOTE',
      'controller  quay.io/a/ctl:1       ✔      ✔      cached',
      'invoker     docker.io/apache/x:2  ✔      ✘      override: addons.openwhisk.images.invoker',
      'gone        ghcr.io/b/c:3         ?      ?      not-found',
    ]);
  });
});

describe('imageCheckEvents', () => {
  it('emits the table and the report as a result', () => {
    const events = imageCheckEvents(REPORT);
    expect(events.map((e) => e.kind)).toEqual(['table', 'result']);
    expect(events[0]).toEqual({ kind: 'table', ...imageTable(REPORT) });
    expect(events[1]).toEqual({ kind: 'result', command: 'image-check', data: REPORT });
  });

  it('offline: a warning instead of a table', () => {
    const skipped: ImageCheckReport = { architectures: ['arm64'], skipped: true, warnings: ['offline: skipped'], images: [], problems: [], ok: true };
    expect(imageCheckEvents(skipped).slice(0, 1)).toEqual([{ kind: 'message', level: 'warn', text: 'offline: skipped' }]);
  });
});

describe('architecture matching', () => {
  it('normalises uname spellings', () => {
    expect(['aarch64', 'x86_64', 'armv7l', 'ARM64'].map(normaliseArchitecture)).toEqual(['arm64', 'amd64', 'arm/v7', 'arm64']);
  });

  it.each([
    [{ os: 'linux', architecture: 'arm64' }, 'arm64', true],
    [{ os: 'linux', architecture: 'arm64', variant: 'v8' }, 'arm64', true],
    [{ os: 'linux', architecture: 'arm64' }, 'arm64/v8', true],
    [{ os: 'linux', architecture: 'arm', variant: 'v7' }, 'arm64', false],
    [{ os: 'linux', architecture: 'arm', variant: 'v6' }, 'arm/v7', false],
    [{ os: 'linux', architecture: 'arm', variant: 'v7' }, 'arm', true],
    [{ os: 'windows', architecture: 'amd64' }, 'amd64', false],
  ])('%j for %s: %s', (platform, arch, expected) => {
    expect(platformMatches(platform, arch)).toBe(expected);
  });
});
