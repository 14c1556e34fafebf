import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface ChartSeries {
  readonly label: string;
  /** Colours chosen to stay apart for the common kinds of colour blindness. */
  readonly color: string;
  readonly dash?: number[];
}

export interface TimeChartProps {
  readonly id: string;
  readonly title: string;
  readonly unit: string;
  readonly series: readonly ChartSeries[];
  /** [times in seconds, ...one array per series]; null is a gap. */
  readonly data: readonly (readonly (number | null)[])[];
  /** Set when this stage does not run the thing charted: the chart says so instead of drawing zeros. */
  readonly unavailable?: string | undefined;
}

const HEIGHT = 180;

/** A live line chart (uPlot) with its latest values written out for screen readers and small screens. */
export function TimeChart(props: TimeChartProps) {
  const holder = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const { series, unit, unavailable } = props;

  useEffect(() => {
    const element = holder.current;
    if (!element || unavailable) return;
    const chart = new uPlot(
      {
        width: Math.max(element.clientWidth, 200),
        height: HEIGHT,
        legend: { show: true, live: false },
        cursor: { drag: { x: false, y: false } },
        scales: { x: { time: true }, y: { range: (_self, _min, max) => [0, Math.max(max || 0, 1) * 1.1] } },
        axes: [
          { stroke: '#495057', grid: { stroke: '#e9ecef' } },
          {
            stroke: '#495057',
            grid: { stroke: '#e9ecef' },
            size: 56,
            label: unit,
            labelSize: 20,
            values: (_self, ticks) => ticks.map((tick) => `${round(tick)}${unit === '%' ? '%' : ''}`),
          },
        ],
        series: [
          {},
          ...series.map((one) => ({
            label: one.label,
            stroke: one.color,
            width: 2,
            spanGaps: false,
            ...(one.dash ? { dash: one.dash } : {}),
            value: (_self: uPlot, value: number | null) => (value === null ? '–' : `${round(value)} ${unit}`),
          })),
        ],
      },
      [[], ...series.map(() => [])] as unknown as uPlot.AlignedData,
      element,
    );
    plot.current = chart;
    const resize = new ResizeObserver(() =>
      chart.setSize({ width: Math.max(element.clientWidth, 200), height: HEIGHT }),
    );
    resize.observe(element);
    return () => {
      resize.disconnect();
      chart.destroy();
      plot.current = null;
    };
  }, [series, unit, unavailable]);

  useEffect(() => {
    plot.current?.setData(props.data as unknown as uPlot.AlignedData);
  }, [props.data]);

  const latest = series.map((one, index) => {
    const value = lastValue(props.data[index + 1] ?? []);
    return `${one.label}: ${value === undefined ? 'no data yet' : `${round(value)} ${unit}`}`;
  });

  return (
    <figure className="chart" aria-labelledby={`${props.id}-title`} data-chart={props.id}>
      <figcaption id={`${props.id}-title`}>
        {props.title} <span className="chart-unit">({unit})</span>
      </figcaption>
      {unavailable ? (
        <p className="chart-unavailable">{unavailable}</p>
      ) : (
        <>
          <div ref={holder} className="chart-canvas" aria-hidden="true" />
          <p className="chart-latest">{latest.join(' · ')}</p>
        </>
      )}
    </figure>
  );
}

/**
 * The newest value drawn: a quiet interval (no requests, so no latency) leaves a gap at the end
 * of the line, not an empty chart.
 */
function lastValue(values: readonly (number | null)[]): number | undefined {
  for (let index = values.length - 1; index >= 0; index--) {
    const value = values[index];
    if (value !== null && value !== undefined) return value;
  }
  return undefined;
}

function round(value: number): string {
  if (value === 0) return '0';
  if (Math.abs(value) >= 100) return value.toFixed(0);
  if (Math.abs(value) >= 10) return value.toFixed(1);
  return value.toFixed(2);
}
