import { api, type StageReport } from '../api.js';
import { ErrorMessage, Loading } from '../components/feedback.js';
import { Link } from '../router.js';
import { useSession } from '../session.js';
import { useLoad } from '../use-api.js';
import { CostPanel } from './cost-panel.js';
import { LiveCharts } from './live-charts.js';
import { ProductAdmin } from './product-admin.js';
import { StageMapPanel } from './stage-map-panel.js';
import { StagePanel } from './stage-panel.js';
import { TopProductsPanel } from './top-products-panel.js';
import { TracesPanel } from './traces-panel.js';

/** The operator's console: admins only (the API refuses everyone else too). */
export function OpsPage() {
  const { user } = useSession();
  if (user === undefined) return <Loading what="your session" />;
  if (user === null)
    return (
      <>
        <h1>Ops console</h1>
        <p className="notice">
          The ops console is for admins. <Link href="/login?next=/ops">Sign in</Link> with an admin account.
        </p>
      </>
    );
  if (user.role !== 'admin')
    return (
      <>
        <h1>Ops console</h1>
        <div className="notice notice-error" role="alert">
          <p>Access refused: the ops console is for admins, and {user.email} is a customer account.</p>
        </div>
        <Link href="/">Back to the shop</Link>
      </>
    );
  return <Console />;
}

function Console() {
  const [report, reload] = useLoad((signal) => api<StageReport>('/api/ops/stage', { signal }), []);
  return (
    <div className="ops">
      <h1>Ops console</h1>
      {report.state === 'loading' && <Loading what="the stage" />}
      {report.state === 'error' && <ErrorMessage error={report.error} onRetry={reload} />}
      {report.state === 'ready' && (
        <>
          <StagePanel report={report.value} />
          <StageMapPanel />
          <LiveCharts stage={report.value.current} />
        </>
      )}
      <CostPanel />
      {report.state === 'ready' && <TopProductsPanel stage={report.value.current} />}
      <TracesPanel />
      <ProductAdmin />
    </div>
  );
}
