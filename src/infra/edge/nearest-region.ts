/**
 * The nearest table replica for each region Lambda@Edge runs in, decided at synth time. Lambda@Edge
 * runs in the AWS region of the regional edge cache that serves the viewer
 * (https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/lambda-edge-how-it-works.html),
 * so a map keyed by region covers every place the function can run. Distances are great-circle
 * between the regions' cities: a proxy for latency that needs no measurement.
 */

/** Approximate latitude and longitude of each commercial region's city. */
const REGION_COORDINATES: Readonly<Record<string, readonly [number, number]>> = {
  'us-east-1': [38.9, -77.4],
  'us-east-2': [40.0, -83.0],
  'us-west-1': [37.4, -121.9],
  'us-west-2': [45.8, -119.7],
  'ca-central-1': [45.5, -73.6],
  'ca-west-1': [51.0, -114.1],
  'mx-central-1': [20.6, -100.4],
  'sa-east-1': [-23.5, -46.6],
  'eu-west-1': [53.3, -6.3],
  'eu-west-2': [51.5, -0.1],
  'eu-west-3': [48.9, 2.4],
  'eu-central-1': [50.1, 8.7],
  'eu-central-2': [47.4, 8.5],
  'eu-north-1': [59.3, 18.1],
  'eu-south-1': [45.5, 9.2],
  'eu-south-2': [41.6, -0.9],
  'il-central-1': [32.1, 34.8],
  'me-south-1': [26.1, 50.6],
  'me-central-1': [25.2, 55.3],
  'af-south-1': [-33.9, 18.4],
  'ap-south-1': [19.1, 72.9],
  'ap-south-2': [17.4, 78.5],
  'ap-east-1': [22.3, 114.2],
  'ap-northeast-1': [35.7, 139.7],
  'ap-northeast-2': [37.6, 127.0],
  'ap-northeast-3': [34.7, 135.5],
  'ap-southeast-1': [1.35, 103.8],
  'ap-southeast-2': [-33.9, 151.2],
  'ap-southeast-3': [-6.2, 106.8],
  'ap-southeast-4': [-37.8, 145.0],
  'ap-southeast-5': [3.1, 101.7],
  'ap-southeast-7': [13.8, 100.5],
};

/** Every region this module knows, i.e. every region the map has a row for. */
export const EDGE_REGIONS: readonly string[] = Object.keys(REGION_COORDINATES);

function distanceKm(a: readonly [number, number], b: readonly [number, number]): number {
  const rad = Math.PI / 180;
  const dLat = (b[0] - a[0]) * rad;
  const dLon = (b[1] - a[1]) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a[0] * rad) * Math.cos(b[0] * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.sqrt(h));
}

/**
 * Each known region → the nearest of `tableRegions` (a table region maps to itself). A table
 * region this module has no coordinates for is still reached: it maps to itself.
 */
export function nearestTableRegions(tableRegions: readonly string[]): Record<string, string> {
  const located = tableRegions.filter((region) => REGION_COORDINATES[region]);
  const map: Record<string, string> = {};
  for (const [region, where] of Object.entries(REGION_COORDINATES)) {
    let best: string | undefined;
    let bestKm = Number.POSITIVE_INFINITY;
    for (const candidate of located) {
      const km = distanceKm(where, REGION_COORDINATES[candidate]!);
      if (km < bestKm) [best, bestKm] = [candidate, km];
    }
    if (best) map[region] = best;
  }
  for (const region of tableRegions) map[region] = region;
  return map;
}
