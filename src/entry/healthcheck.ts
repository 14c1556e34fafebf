// The image's HEALTHCHECK: distroless has no shell or curl, so Node asks the liveness endpoint
// itself. Liveness, not readiness: a container whose table is briefly unreachable is not broken,
// and restarting it would not bring the table back. Exit 0 on a 200 within two seconds, 1 otherwise.
const port = Number(process.env.PORT ?? 8080);

try {
  const response = await fetch(`http://127.0.0.1:${port}/api/health/live`, {
    signal: AbortSignal.timeout(2_000),
  });
  process.exit(response.status === 200 ? 0 : 1);
} catch {
  process.exit(1);
}
