/** One target of issue 21 with its measured figure: MET, MISSED, or NOT MEASURED in a narrowed run. */
export interface Target {
  readonly target: string;
  readonly measured: number | null;
  readonly limit: string;
  readonly status: 'MET' | 'MISSED' | 'NOT MEASURED';
}

export function target(name: string, measured: number | undefined, sense: '≥' | '≤', limit: number): Target {
  const round = (value: number) => Math.round(value * 1000) / 1000;
  if (measured === undefined || !Number.isFinite(measured))
    return { target: name, measured: null, limit: `${sense} ${limit}`, status: 'NOT MEASURED' };
  const met = sense === '≥' ? measured >= limit : measured <= limit;
  return {
    target: name,
    measured: round(measured),
    limit: `${sense} ${round(limit)}`,
    status: met ? 'MET' : 'MISSED',
  };
}
