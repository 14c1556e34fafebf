import { beforeAll, describe, expect, it } from 'vitest';
import { cachedTemplates } from '../../../test/support/synth.js';
import type { StageMap } from '../../contracts/stage-map.js';
import { STAGES, type Stage } from '../../contracts/stages.js';
import type { RegionTemplate } from '../../contracts/templates.js';
import { additionsOf, diffStageMaps, stageMapOf } from './stage-map.js';
import { stageMapMermaid, stageMapSvg } from './stage-map-render.js';

const maps = {} as Record<Stage, StageMap>;
beforeAll(async () => {
  for (const stage of STAGES) {
    maps[stage] = stageMapOf(stage, await cachedTemplates(stage));
    // A synth holds the thread for seconds: let the test runner's messages through between them.
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
}, 240_000);

const idsIn = (map: StageMap, region = map.regions[0]?.region) =>
  map.regions.find((candidate) => candidate.region === region)?.boxes.map((box) => box.id) ?? [];

describe('the stage map of each stage’s synthesized templates', () => {
  it('draws startup as one region: CloudFront, the REST API and its Lambda, the table and buckets', () => {
    expect(maps.startup.regions.map((region) => region.region)).toEqual(['us-east-1']);
    const ids = idsIn(maps.startup);
    expect(ids).toEqual(
      expect.arrayContaining([
        'edge.cloudfront',
        'api.rest-api',
        'api.lambda-api',
        'data.dynamodb',
        'data.s3',
        'observability.logs',
      ]),
    );
    for (const group of ['compute', 'queues', 'caches', 'search', 'analytics', 'auth'])
      expect(
        ids.filter((id) => id.startsWith(`${group}.`)),
        group,
      ).toEqual([]);
    // CDK's own deploy-time handlers are not boxes: only the API's function is drawn.
    expect(ids.filter((id) => id.startsWith('api.lambda-'))).toEqual(['api.lambda-api']);
  });

  it('draws growing with the queue, its worker, the API cache, backups, alarms and the dashboard', () => {
    const ids = idsIn(maps.growing);
    expect(ids).toEqual(
      expect.arrayContaining([
        'queues.sqs',
        'queues.sns',
        'api.lambda-worker',
        'caches.api-cache',
        'data.backup',
        'observability.alarms',
        'observability.dashboard',
        'observability.budget',
      ]),
    );
    const sqs = maps.growing.regions[0]?.boxes.find((box) => box.id === 'queues.sqs');
    // The jobs queue and its dead-letter queue.
    expect(sqs?.count).toBe(2);
  });

  it('draws scaling in two regions, each with containers behind a load balancer, Valkey and a WAF', () => {
    expect(maps.scaling.regions.map((region) => region.region)).toEqual(['us-east-1', 'eu-west-1']);
    for (const region of maps.scaling.regions) {
      const ids = idsIn(maps.scaling, region.region);
      expect(ids).toEqual(
        expect.arrayContaining(['compute.ecs', 'api.load-balancer', 'caches.elasticache', 'edge.waf']),
      );
      expect(ids).not.toContain('api.rest-api');
    }
    // CloudFront is global: only the primary region's stack has the distribution.
    expect(idsIn(maps.scaling, 'eu-west-1')).not.toContain('edge.cloudfront');
  });

  it('draws enterprise in three regions with EKS, OpenSearch, Cognito, the analytics pipeline and Shield', () => {
    expect(maps.enterprise.regions).toHaveLength(3);
    expect(idsIn(maps.enterprise)).toEqual(
      expect.arrayContaining([
        'compute.eks',
        'search.opensearch',
        'auth.cognito',
        'analytics.kinesis',
        'analytics.firehose',
        'analytics.athena',
        'analytics.glue',
        'observability.prometheus',
        'edge.shield',
      ]),
    );
    for (const region of maps.enterprise.regions)
      expect(idsIn(maps.enterprise, region.region)).toContain('search.opensearch');
  });

  it('names the local stand-in of each box npm start runs', () => {
    const standIn = (stage: Stage, id: string) =>
      maps[stage].regions[0]?.boxes.find((box) => box.id === id)?.localStandIn;
    expect(standIn('startup', 'data.dynamodb')).toBe('DynamoDB Local');
    expect(standIn('growing', 'queues.sqs')).toBe('the SQS stand-in (fauxqs)');
    expect(standIn('scaling', 'caches.elasticache')).toBe('redis-server');
    expect(standIn('enterprise', 'analytics.kinesis')).toBe('kinesalite');
    expect(standIn('enterprise', 'auth.cognito')).toBe('the local JWKS issuer');
    expect(standIn('enterprise', 'compute.eks')).toBe('the same server, one process');
  });
});

describe('the difference between two stages’ maps', () => {
  it('lists what growing adds to startup, and removes nothing', () => {
    const diff = diffStageMaps(maps.startup, maps.growing);
    expect(diff.addedRegions).toEqual([]);
    expect(diff.removed).toEqual([]);
    expect(diff.added.map((change) => change.id)).toEqual(
      expect.arrayContaining(['queues.sqs', 'api.lambda-worker', 'caches.api-cache', 'observability.alarms']),
    );
    expect(diff.added.every((change) => change.region === 'us-east-1')).toBe(true);
  });

  it('adds a region and containers at scaling, and says the REST API goes', () => {
    const diff = diffStageMaps(maps.growing, maps.scaling);
    expect(diff.addedRegions).toEqual(['eu-west-1']);
    expect(diff.added).toContainEqual({
      region: 'us-east-1',
      id: 'compute.ecs',
      label: 'ECS Fargate service',
    });
    expect(diff.removed.map((change) => change.id)).toContain('api.rest-api');
    expect(additionsOf(diff)).toContain('eu-west-1');
    expect(additionsOf(diff)).toContain('us-east-1/compute.ecs');
  });

  it('reports a box whose count changes', () => {
    const one: RegionTemplate = { region: 'us-east-1', Resources: { Q: { Type: 'AWS::SQS::Queue' } } };
    const two: RegionTemplate = {
      region: 'us-east-1',
      Resources: { Q: { Type: 'AWS::SQS::Queue' }, Dlq: { Type: 'AWS::SQS::Queue' } },
    };
    const diff = diffStageMaps(stageMapOf('growing', [one]), stageMapOf('scaling', [two]));
    expect(diff.resized).toEqual([
      { region: 'us-east-1', id: 'queues.sqs', label: 'SQS queues', from: 1, to: 2 },
    ]);
    expect(diff.added).toEqual([]);
  });
});

describe('the drawings of a map', () => {
  it('writes Mermaid with a subgraph per region and group, and the additions in their own class', () => {
    const diff = diffStageMaps(maps.startup, maps.growing);
    const text = stageMapMermaid(maps.growing, { local: true, highlight: additionsOf(diff) });
    expect(text.startsWith('flowchart LR\n')).toBe(true);
    expect(text).toContain('subgraph us_east_1["us-east-1"]');
    expect(text).toContain('subgraph us_east_1_queues["queues"]');
    expect(text).toMatch(/us_east_1_data_dynamodb\["DynamoDB table<br\/><i>local: DynamoDB Local<\/i>"\]/);
    expect(text).toContain('us_east_1_edge --> us_east_1_api');
    const added = /\n {2}class (\S+) added\n/.exec(text)?.[1]?.split(',') ?? [];
    expect(added).toContain('us_east_1_queues_sqs');
    expect(added).not.toContain('us_east_1_data_dynamodb');
  });

  it('draws a self-contained SVG: every box, additions marked, nothing fetched, tags balanced', () => {
    const diff = diffStageMaps(maps.scaling, maps.enterprise);
    const svg = stageMapSvg(maps.enterprise, { local: true, highlight: additionsOf(diff) });
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    // No URL but the namespace: no fonts, images or scripts to load.
    expect(svg.match(/https?:\/\//g)).toEqual(['http://']);
    expect(svg).not.toMatch(/<script|href=/);
    for (const region of maps.enterprise.regions)
      for (const box of region.boxes) expect(svg).toContain(`data-box="${box.id}"`);
    expect(svg).toContain('class="region added" data-region="ap-southeast-1"');
    expect(svg).toMatch(/<g class="box added" data-box="compute\.eks">/);
    expect(svg).toMatch(/<g class="box" data-box="data\.dynamodb">/);
    const open = (svg.match(/<g[ >]/g) ?? []).length;
    expect(open).toBeGreaterThan(10);
    expect((svg.match(/<\/g>/g) ?? []).length).toBe(open);
    expect(svg).toContain('local: redis-server');
    // A group keeps its column in every region, though eu-west-1 has no auth box before it.
    const xs = [
      ...svg.matchAll(/data-box="observability\.alarms">\n<title>[^<]*<\/title>\n<rect x="(\d+)"/g),
    ];
    expect(xs.map((match) => match[1])).toHaveLength(3);
    expect(new Set(xs.map((match) => match[1])).size).toBe(1);
  });

  it('escapes what it writes into the markup', () => {
    const map = stageMapOf('startup', [{ region: 'us-east-1', Resources: {} }]);
    const svg = stageMapSvg({ ...map, regions: [{ region: '<x>&"', boxes: [] }] });
    expect(svg).toContain('&#60;x&#62;&#38;&#34;');
    expect(svg).not.toContain('<x>');
  });
});
