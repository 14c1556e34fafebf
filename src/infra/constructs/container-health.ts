/** Liveness: the process answers. Container health checks restart on it; readiness is /api/health. */
export const LIVENESS_PATH = '/api/health/live';

/**
 * The API container's health check in ECS's `CMD` form: the distroless image has no shell or
 * curl, so its own Node asks the liveness route, and exits 0 on a 200 within two seconds, 1
 * otherwise. A dependency that is down is the load balancer's business (readiness), not a reason
 * to restart the task.
 */
export function livenessCheckCommand(port: number): string[] {
  const script = [
    `fetch('http://127.0.0.1:${port}${LIVENESS_PATH}', { signal: AbortSignal.timeout(2000) })`,
    '.then((response) => process.exit(response.status === 200 ? 0 : 1), () => process.exit(1))',
  ].join('');
  return ['CMD', '/nodejs/bin/node', '-e', script];
}
