// The fan-out chart as a self-contained SVG: latency percentiles (log scale) against delivered
// messages per second, ours solid and the baseline dashed, with the budget lines.
import type { FanoutResult, FanoutStep, TargetKind } from "./protocol";

const WIDTH = 860;
const HEIGHT = 500;
const MARGIN = { left: 70, right: 170, top: 40, bottom: 56 };
const PERCENTILES = [
  { key: "p50Ms", label: "p50", color: "#2563eb" },
  { key: "p95Ms", label: "p95", color: "#d97706" },
  { key: "p99Ms", label: "p99", color: "#dc2626" },
] as const;
const STYLES: Record<TargetKind, { dash: string; label: string }> = {
  ours: { dash: "", label: "Roomcode chat" },
  baseline: { dash: "7 5", label: "bare Socket.IO" },
};

const escape = (text: string) =>
  text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

function niceStep(range: number, ticks: number): number {
  const raw = range / ticks;
  const power = 10 ** Math.floor(Math.log10(raw));
  return ([1, 2, 5, 10].find((factor) => factor * power >= raw) ?? 10) * power;
}

export function renderChart(
  fanout: Partial<Record<TargetKind, FanoutResult>>,
  title: string,
): string {
  const series = (Object.keys(STYLES) as TargetKind[]).flatMap((kind) => {
    const steps = fanout[kind]?.steps ?? [];
    return steps.length > 0 ? [{ kind, steps }] : [];
  });
  const all = series.flatMap((s) => s.steps);
  const maxX = Math.max(100_000, ...all.map((step) => step.deliveriesPerSecond)) * 1.05;
  const maxY = Math.max(100, ...all.map((step) => step.latency.p99Ms)) * 1.2;
  const minY = Math.max(0.1, Math.min(1, ...all.map((step) => step.latency.p50Ms)) * 0.8);
  const plotW = WIDTH - MARGIN.left - MARGIN.right;
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
  const x = (value: number) => MARGIN.left + (value / maxX) * plotW;
  const y = (value: number) =>
    MARGIN.top +
    plotH -
    ((Math.log10(Math.max(value, minY)) - Math.log10(minY)) /
      (Math.log10(maxY) - Math.log10(minY))) *
      plotH;

  const parts: string[] = [];
  const xStep = niceStep(maxX, 8);
  for (let value = 0; value <= maxX; value += xStep) {
    parts.push(
      `<line x1="${x(value)}" y1="${MARGIN.top}" x2="${x(value)}" y2="${MARGIN.top + plotH}" class="grid"/>`,
      `<text x="${x(value)}" y="${MARGIN.top + plotH + 18}" text-anchor="middle">${value / 1000}k</text>`,
    );
  }
  for (const value of [
    0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000,
  ]) {
    if (value < minY || value > maxY) continue;
    parts.push(
      `<line x1="${MARGIN.left}" y1="${y(value)}" x2="${MARGIN.left + plotW}" y2="${y(value)}" class="grid"/>`,
      `<text x="${MARGIN.left - 8}" y="${y(value) + 4}" text-anchor="end">${value}</text>`,
    );
  }
  parts.push(
    `<line x1="${MARGIN.left}" y1="${y(50)}" x2="${MARGIN.left + plotW}" y2="${y(50)}" class="budget"/>`,
    `<text x="${MARGIN.left + plotW - 4}" y="${y(50) - 6}" text-anchor="end" class="note">p99 budget 50 ms</text>`,
    `<line x1="${x(80_000)}" y1="${MARGIN.top}" x2="${x(80_000)}" y2="${MARGIN.top + plotH}" class="budget"/>`,
    `<text x="${x(80_000) + 4}" y="${MARGIN.top + 12}" class="note">80k/s budget</text>`,
  );

  for (const { kind, steps } of series) {
    for (const percentile of PERCENTILES) {
      const points = steps.map(
        (step: FanoutStep) =>
          [x(step.deliveriesPerSecond), y(step.latency[percentile.key])] as const,
      );
      const path = points
        .map(([px, py], i) => `${i === 0 ? "M" : "L"}${px.toFixed(1)},${py.toFixed(1)}`)
        .join(" ");
      parts.push(
        `<path d="${path}" fill="none" stroke="${percentile.color}" stroke-width="2" stroke-dasharray="${STYLES[kind].dash}"/>`,
        ...points.map(([px, py]) =>
          kind === "ours"
            ? `<circle cx="${px.toFixed(1)}" cy="${py.toFixed(1)}" r="3" fill="${percentile.color}"/>`
            : `<rect x="${(px - 3).toFixed(1)}" y="${(py - 3).toFixed(1)}" width="6" height="6" fill="#fff" stroke="${percentile.color}"/>`,
        ),
      );
    }
  }

  const legendX = MARGIN.left + plotW + 20;
  let legendY = MARGIN.top + 10;
  for (const kind of Object.keys(STYLES) as TargetKind[]) {
    parts.push(
      `<text x="${legendX}" y="${legendY}" class="legend-title">${escape(STYLES[kind].label)}</text>`,
    );
    legendY += 18;
    for (const percentile of PERCENTILES) {
      parts.push(
        `<line x1="${legendX}" y1="${legendY - 4}" x2="${legendX + 28}" y2="${legendY - 4}" stroke="${percentile.color}" stroke-width="2" stroke-dasharray="${STYLES[kind].dash}"/>`,
        `<text x="${legendX + 36}" y="${legendY}">${percentile.label}</text>`,
      );
      legendY += 18;
    }
    legendY += 10;
  }

  return [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}" font-family="system-ui, sans-serif" font-size="12">`,
    `<style>.grid{stroke:#e5e7eb}.budget{stroke:#6b7280;stroke-dasharray:2 3}.note{fill:#4b5563;font-size:11px}.legend-title{font-weight:600}text{fill:#111827}</style>`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    `<text x="${MARGIN.left}" y="24" font-size="15" font-weight="600">${escape(title)}</text>`,
    ...parts,
    `<rect x="${MARGIN.left}" y="${MARGIN.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#9ca3af"/>`,
    `<text x="${MARGIN.left + plotW / 2}" y="${HEIGHT - 14}" text-anchor="middle">deliveries per second (each message × each room member)</text>`,
    `<text transform="translate(18 ${MARGIN.top + plotH / 2}) rotate(-90)" text-anchor="middle">latency, send → receipt (ms, log scale)</text>`,
    `</svg>`,
    "",
  ].join("\n");
}
