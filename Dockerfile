# syntax=docker/dockerfile:1
# Latchkey: portal + token server. Build: docker build -t latchkey .
# Run (embedded SQLite under the /data volume):
#   docker run -p 8080:8080 -v latchkey-data:/data -e LATCHKEY_ISSUER=https://auth.example.org latchkey
# PostgreSQL instead: add -e LATCHKEY_DATABASE_URL=postgres://user:password@host:5432/latchkey

FROM node:20-bookworm AS build
WORKDIR /app
# The manifests first, so the dependency layer is cached until they change (better-sqlite3 builds here).
COPY package.json package-lock.json ./
COPY packages/contract/package.json packages/contract/
COPY packages/sdk/package.json packages/sdk/
COPY packages/server/package.json packages/server/
COPY packages/web/package.json packages/web/
COPY bench/package.json bench/
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    LATCHKEY_HOST=0.0.0.0 \
    LATCHKEY_PORT=8080 \
    LATCHKEY_DATA_DIR=/data
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/packages/contract/package.json packages/contract/
COPY --from=build /app/packages/contract/dist packages/contract/dist
COPY --from=build /app/packages/server/package.json packages/server/
COPY --from=build /app/packages/server/bin packages/server/bin
COPY --from=build /app/packages/server/dist packages/server/dist
COPY --from=build /app/packages/web/dist packages/web/dist
RUN mkdir -p /data && chown node:node /data
# The server key and the SQLite database live here: back this volume up (docs/operations.md).
VOLUME /data
USER node
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.LATCHKEY_PORT || 8080) + '/readyz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# SIGTERM drains (LATCHKEY_DRAIN_SECONDS); give `docker stop -t` more than that.
STOPSIGNAL SIGTERM
CMD ["node", "packages/server/dist/cli/main.js", "serve"]
