import { ApiError, api } from '../api.js';
import { ErrorMessage, Loading } from '../components/feedback.js';
import { useLoad } from '../use-api.js';

/**
 * The monthly cost of each stage at the current traffic and the advisor's recommendation, from the
 * cost model's GET /api/ops/plan. Builds without the cost model say so rather than show made-up numbers.
 */
export function CostPanel() {
  const [plan, reload] = useLoad(
    (signal) =>
      api<unknown>('/api/ops/plan', { signal }).catch((error: unknown) => {
        if (error instanceof ApiError && error.status === 404) return null;
        throw error;
      }),
    [],
  );
  return (
    <section aria-labelledby="cost-title" className="panel" data-panel="cost">
      <h2 id="cost-title">Cost per stage and the advisor's recommendation</h2>
      {plan.state === 'loading' && <Loading what="the cost plan" />}
      {plan.state === 'error' && <ErrorMessage error={plan.error} onRetry={reload} />}
      {plan.state === 'ready' && plan.value === null && (
        <p className="chart-unavailable">
          Cost model not available in this build: <code>GET /api/ops/plan</code> answered 404, so no costs or
          recommendation are shown.
        </p>
      )}
      {plan.state === 'ready' && plan.value !== null && (
        <pre className="raw">{JSON.stringify(plan.value, null, 2)}</pre>
      )}
    </section>
  );
}
