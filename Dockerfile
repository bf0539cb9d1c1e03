# syntax=docker/dockerfile:1
#
# One image for every Lianxin service. The command chooses the service (the
# entries are listed in deploy/entries.json, which test/deploy.test.ts checks
# against this file and the manifests):
#
#   node gateway/dist/main.js                 the gateway (port 4000)
#   node subgraphs/<name>/dist/main.js        people 4001, requests 4002, points 4003, recognition 4004
#   node scripts/dist/migrate.js [<name>…]    the release's migrations (a one-shot job)
#
# Build from the repository root: docker build -t lianxin:<version> .
# docs/operations.md, Deploy, says how the pieces fit together.

ARG NODE_IMAGE=node:20-bookworm-slim

# The package manifests alone, so the dependency layers below are rebuilt only when they change.
FROM ${NODE_IMAGE} AS manifests
WORKDIR /app
COPY package.json package-lock.json ./
COPY shared/package.json shared/
COPY gateway/package.json gateway/
COPY subgraphs/people/package.json subgraphs/people/
COPY subgraphs/requests/package.json subgraphs/requests/
COPY subgraphs/points/package.json subgraphs/points/
COPY subgraphs/recognition/package.json subgraphs/recognition/

# Everything, development tools included: compiles every workspace to dist/ and bundles the explorer.
FROM manifests AS build
# Install scripts stay off as in development (package.json, allowScripts): the native tools ship prebuilt binaries.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY . .
# The gateway's build bundles the explorer too, with the release, so EXPLORER_ENABLED=true can serve it: the runtime has
# no bundler.
RUN npm run build

# Production dependencies only.
FROM manifests AS deps
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force

# The runtime: production dependencies, the built JavaScript and the files the services read at run time.
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY --from=deps /app ./
COPY --from=build /app/shared/dist shared/dist
COPY --from=build /app/shared/schema shared/schema
COPY --from=build /app/gateway/dist gateway/dist
COPY --from=build /app/gateway/explorer/dist gateway/explorer/dist
COPY --from=build /app/schema/supergraph.graphql schema/supergraph.graphql
COPY --from=build /app/examples/__generated__/persisted-documents.json examples/__generated__/persisted-documents.json
COPY --from=build /app/subgraphs/people/dist subgraphs/people/dist
COPY --from=build /app/subgraphs/people/schema.graphql subgraphs/people/schema.graphql
COPY --from=build /app/subgraphs/people/drizzle subgraphs/people/drizzle
COPY --from=build /app/subgraphs/requests/dist subgraphs/requests/dist
COPY --from=build /app/subgraphs/requests/schema.graphql subgraphs/requests/schema.graphql
COPY --from=build /app/subgraphs/requests/drizzle subgraphs/requests/drizzle
COPY --from=build /app/subgraphs/points/dist subgraphs/points/dist
COPY --from=build /app/subgraphs/points/schema.graphql subgraphs/points/schema.graphql
COPY --from=build /app/subgraphs/points/drizzle subgraphs/points/drizzle
COPY --from=build /app/subgraphs/recognition/dist subgraphs/recognition/dist
COPY --from=build /app/subgraphs/recognition/schema.graphql subgraphs/recognition/schema.graphql
COPY --from=build /app/subgraphs/recognition/drizzle subgraphs/recognition/drizzle
COPY --from=build /app/scripts/dist scripts/dist
# The image's `node` user, by number: Kubernetes' runAsNonRoot can only verify a numeric user.
USER 1000:1000
EXPOSE 4000 4001 4002 4003 4004
# node is PID 1 and receives SIGTERM itself: every entry drains on it (shared/src/runtime.ts, onShutdown).
CMD ["node", "gateway/dist/main.js"]
