// The bench chart: seconds (log scale) against the number of nodes, for the first run, the no-op re-run
// and the SSH floor; amd64 as lines with dots, emulated arm64 as squares. Plain SVG text, no dependency.

export interface BenchEntry {
  arch: string;
  nodes: number;
  date: string;
  load: string;
  bootMs: number;
  firstMs: number;
  floorMs: number;
  rerunMs: number;
  ratio: number;
  floors: number[];
  reruns: number[];
  roundTrips: Record<string, number>;
  processes: Record<string, number>;
  factsProcesses: Record<string, number>;
  firstPhases: Record<string, number>;
  rerunPhases: Record<string, number>;
}

const W = 640;
const H = 400;
const M = { left: 60, right: 170, top: 30, bottom: 50 };
const SERIES = [
  { key: 'firstMs', label: 'first run', color: '#d62728' },
  { key: 'rerunMs', label: 'no-op re-run', color: '#1f77b4' },
  { key: 'floorMs', label: 'SSH floor', color: '#2ca02c' },
] as const;

const esc = (t: string) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;');

export function drawChart(entries: BenchEntry[]): string {
  const values = entries.flatMap((e) => SERIES.map((s) => e[s.key] / 1000)).filter((v) => v > 0);
  const lo = Math.pow(10, Math.floor(Math.log10(Math.min(...values, 1))));
  const hi = Math.pow(10, Math.ceil(Math.log10(Math.max(...values, 10))));
  const maxN = Math.max(...entries.map((e) => e.nodes), 4);
  const x = (n: number) => M.left + (n / maxN) * (W - M.left - M.right);
  const y = (sec: number) => H - M.bottom - ((Math.log10(sec) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo))) * (H - M.top - M.bottom);
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${M.left}" y="18" font-size="14">kbootstrap init: seconds against nodes (lab, k3s stand-in)</text>`,
  ];
  for (let d = lo; d <= hi; d *= 10) {
    out.push(`<line x1="${M.left}" x2="${W - M.right}" y1="${y(d)}" y2="${y(d)}" stroke="#ddd"/>`, `<text x="${M.left - 6}" y="${y(d) + 4}" text-anchor="end">${d} s</text>`);
  }
  for (const n of [...new Set(entries.map((e) => e.nodes))].sort((a, b) => a - b)) {
    out.push(`<text x="${x(n)}" y="${H - M.bottom + 18}" text-anchor="middle">${n}</text>`);
  }
  out.push(`<text x="${(M.left + W - M.right) / 2}" y="${H - 12}" text-anchor="middle">nodes</text>`);
  out.push(`<line x1="${M.left}" x2="${W - M.right}" y1="${H - M.bottom}" y2="${H - M.bottom}" stroke="#333"/>`, `<line x1="${M.left}" x2="${M.left}" y1="${M.top}" y2="${H - M.bottom}" stroke="#333"/>`);
  for (const s of SERIES) {
    const amd = entries.filter((e) => e.arch === 'amd64').sort((a, b) => a.nodes - b.nodes);
    if (amd.length > 1) out.push(`<polyline fill="none" stroke="${s.color}" stroke-width="2" points="${amd.map((e) => `${x(e.nodes)},${y(e[s.key] / 1000)}`).join(' ')}"/>`);
    for (const e of entries) {
      const cx = x(e.nodes);
      const cy = y(e[s.key] / 1000);
      out.push(e.arch === 'amd64'
        ? `<circle cx="${cx}" cy="${cy}" r="4" fill="${s.color}"/>`
        : `<rect x="${cx - 5}" y="${cy - 5}" width="10" height="10" fill="white" stroke="${s.color}" stroke-width="2"/>`);
      out.push(`<text x="${cx + 8}" y="${cy - 6}" fill="${s.color}" font-size="10">${(e[s.key] / 1000).toFixed(1)}</text>`);
    }
  }
  const lx = W - M.right + 16;
  SERIES.forEach((s, i) => out.push(`<line x1="${lx}" x2="${lx + 20}" y1="${M.top + 20 + i * 20}" y2="${M.top + 20 + i * 20}" stroke="${s.color}" stroke-width="2"/>`, `<text x="${lx + 26}" y="${M.top + 24 + i * 20}">${s.label}</text>`));
  out.push(`<circle cx="${lx + 10}" cy="${M.top + 90}" r="4" fill="#555"/>`, `<text x="${lx + 26}" y="${M.top + 94}">amd64</text>`);
  out.push(`<rect x="${lx + 5}" y="${M.top + 105}" width="10" height="10" fill="white" stroke="#555" stroke-width="2"/>`, `<text x="${lx + 26}" y="${M.top + 114}">arm64 (emulated)</text>`);
  const dates = [...new Set(entries.map((e) => e.date.slice(0, 10)))].join(', ');
  out.push(`<text x="${lx}" y="${M.top + 140}" font-size="10">${esc(`measured ${dates}`)}</text>`);
  out.push('</svg>', '');
  return out.join('\n');
}

/** The figures as a Markdown table, one row per arch and size (docs/bench/results.md; the README copies it). */
export function markdownTable(entries: BenchEntry[]): string {
  const s = (ms: number) => (ms / 1000).toFixed(2);
  const max = (r: Record<string, number>) => Math.max(...Object.values(r));
  const rows = entries.map((e) =>
    `| ${e.nodes} ${e.arch} | ${s(e.firstMs)} | ${s(e.floorMs)} | ${s(e.rerunMs)} | ${e.ratio.toFixed(2)} | ${max(e.roundTrips)} / ${Math.min(...Object.values(e.roundTrips))} | ${max(e.factsProcesses)} | ${e.date.slice(0, 16).replace('T', ' ')} UTC, load ${e.load} |`);
  return [
    '| nodes | first run (s) | SSH floor (s) | no-op re-run (s) | re-run / floor | round trips, first server / others | facts processes | taken |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
    ...rows,
    '',
  ].join('\n');
}
