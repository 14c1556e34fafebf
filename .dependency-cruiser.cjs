/**
 * The layers and the one way their imports run (docs/architecture.md draws them):
 *
 *   cli, entry          the command line and every process entry / composition root
 *   app  cost  infra    the storefront, the cost model, the CDK app (none imports another)
 *   platform            adapters, the HTTP edge, local stand-ins: knows no product
 *   contracts           ports, the stage table, errors, shared constants: imports nothing of ours
 *
 * test/architecture.test.ts runs this in `npm test`; `npx depcruise src` prints the same verdict.
 * Test files may reach across layers to set things up, so they are left out.
 */
const layer = (name) => `^src/${name}/`;
const forbid = (name, from, to, comment) => ({
  name,
  comment,
  severity: 'error',
  from: { path: from, pathNot: '\\.test\\.ts$' },
  to: { path: to },
});

module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      comment: 'A cycle makes two modules one: neither can be read, tested or moved alone.',
      severity: 'error',
      from: { path: '^src/', pathNot: '\\.test\\.ts$' },
      to: { circular: true },
    },
    forbid(
      'contracts-import-nothing-of-ours',
      layer('contracts'),
      '^src/(?!contracts/)',
      'Contracts are read by every layer, so they may depend on none.',
    ),
    forbid(
      'app-reads-only-contracts',
      layer('app'),
      '^src/(?!(app|contracts)/)',
      'The storefront knows ports, not AWS, adapters or the cost model.',
    ),
    forbid(
      'platform-knows-no-product',
      layer('platform'),
      '^src/(app|cost|infra|cli|entry)/',
      "Adapters and the HTTP edge serve any product; composing one is the entry layer's job.",
    ),
    forbid(
      'infra-reads-only-contracts',
      layer('infra'),
      '^src/(?!(infra|contracts)/)',
      'The CDK app reads shared constants from contracts, not from modules that load SDK clients.',
    ),
    forbid(
      'cost-never-synthesizes',
      layer('cost'),
      '^src/(app|infra|cli|entry)/',
      'The cost model reads templates it is handed; the CLI hands it a synthesize function.',
    ),
    forbid(
      'entry-is-not-cli-or-infra',
      layer('entry'),
      '^src/(cli|infra)/',
      'Processes compose the product; the CLI and the CDK app sit beside them, not under them.',
    ),
    forbid('only-the-cli-imports-the-cli', '^src/(?!cli/)', layer('cli'), 'The CLI is the top.'),
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '\\.test\\.ts$' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.tsx', '.js', '.mjs'] },
  },
};
