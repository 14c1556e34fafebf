# The storefront API as a container (ECS Fargate from the scaling stage on): the same Hono app the
# Lambda serves, bundled into one file, on a distroless Node 24 image (the Lambda runtime's version)
# that runs as a non-root user.

# Build: install with the lockfile (no install scripts: .npmrc), bundle the server.
FROM node:24-bookworm-slim AS build
WORKDIR /build
COPY package.json package-lock.json .npmrc ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY scripts/bundle-container.mjs scripts/
COPY src/ src/
RUN node scripts/bundle-container.mjs /build/out

# Run: only the bundle, its price list and the docs assets; no shell, no package manager, no root.
FROM gcr.io/distroless/nodejs24-debian12:nonroot
WORKDIR /app
COPY --from=build --chown=nonroot:nonroot /build/out/ ./
USER nonroot
ENV NODE_ENV=production HOST=0.0.0.0 PORT=8080 NODE_OPTIONS=--enable-source-maps
EXPOSE 8080
# Liveness (/api/health/live): the process answers. Readiness (/api/health) is the load balancer's.
HEALTHCHECK --interval=15s --timeout=3s --start-period=10s --retries=3 CMD ["/nodejs/bin/node", "/app/healthcheck.mjs"]
# The server drains in-flight requests on SIGTERM (ECS sends it, then SIGKILL 30 s later).
STOPSIGNAL SIGTERM
CMD ["/app/server.mjs"]
