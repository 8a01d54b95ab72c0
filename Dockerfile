# syntax=docker/dockerfile:1
# Parley's production image. Build: docker build -t parley .   Run: see docs/deploy.md.
# Three stages: dependencies (with the tools to compile better-sqlite3) → build → a slim final
# stage that holds only production dependencies and built files, and runs as uid 1000.

# Node 24 LTS (Node 20 reached its end of life in April 2026; Parley needs 22.13 or newer).
# scripts/ci/install-node.sh and the container test's stand-in take the major from this line.
ARG NODE_IMAGE=node:24-bookworm-slim

# ---- dependencies: every package, dev ones included, native addons compiled ----------------
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
RUN apt-get update -qq && \
    apt-get install --no-install-recommends -y python3 make g++ && \
    rm -rf /var/lib/apt/lists/* /var/cache/apt/archives/*.deb
# When better-sqlite3's prebuilt binary cannot be downloaded it compiles from source; node-gyp
# then uses the headers the Node image ships instead of downloading them.
ENV npm_config_nodedir=/usr/local \
    npm_config_update_notifier=false \
    npm_config_fund=false \
    npm_config_audit=false
# .npmrc (engine-strict): a NODE_IMAGE older than `engines` fails here, not at run time.
COPY package.json package-lock.json .npmrc ./
COPY packages/protocol/package.json packages/protocol/
COPY packages/server/package.json packages/server/
COPY packages/widget/package.json packages/widget/
COPY packages/inbox/package.json packages/inbox/
RUN --mount=type=cache,target=/root/.npm npm ci --include=dev

# ---- build: compile every workspace, then drop dev dependencies -----------------------------
FROM deps AS build
COPY . .
# better-sqlite3 needs only its compiled addon at run time, not the SQLite sources and objects
# it was built from; prune leaves the emptied scope folders of dev packages behind.
RUN npm run build && \
    npm prune --omit=dev && \
    for addon in node_modules/better-sqlite3 packages/*/node_modules/better-sqlite3; do \
      if [ -f "$addon/build/Release/better_sqlite3.node" ]; then \
        mv "$addon/build/Release/better_sqlite3.node" /tmp/ && \
        rm -rf "$addon/build" "$addon/deps" "$addon/src" && \
        mkdir -p "$addon/build/Release" && mv /tmp/better_sqlite3.node "$addon/build/Release/"; \
      fi; \
    done && \
    find node_modules $(ls -d packages/*/node_modules 2>/dev/null) -mindepth 1 -maxdepth 1 -type d -empty -delete && \
    rm -f node_modules/.package-lock.json
# What the final stage takes, in the repo's layout (the server finds the widget and inbox bundles
# next to its own dist): the root manifest and node_modules, and of each workspace its manifest,
# built files, its own node_modules (npm nests a dependency there when versions differ) and the
# widget's demo page.
RUN mkdir -p /out/packages && \
    cp -a package.json node_modules /out/ && \
    for workspace in packages/*/; do \
      mkdir -p "/out/$workspace" && cp -a "$workspace/package.json" "/out/$workspace"; \
      for part in dist node_modules demo.html; do \
        if [ -e "$workspace/$part" ]; then cp -a "$workspace/$part" "/out/$workspace"; fi; \
      done; \
    done

# ---- app: what runs in production ------------------------------------------------------------
FROM ${NODE_IMAGE} AS app
WORKDIR /app
# MALLOC_MMAP_THRESHOLD_: the C library's allocator otherwise raises its threshold to the size
# of the first large block freed, then serves every block that size (a history, hundreds of KB)
# from its main heap, which it does not give back. Clients cut off while their histories were
# queued left it 104 MB large for good; at a fixed 128 KB those blocks are mapped one by one and
# returned when freed (11 MB; docs/reliability.md "Slow and hostile clients").
ENV NODE_ENV=production \
    PORT=3100 \
    MALLOC_MMAP_THRESHOLD_=131072 \
    STORAGE_DIR=/app/storage
COPY --from=build /out/ ./
COPY bin/docker-entrypoint ./bin/docker-entrypoint
# Code stays root-owned and read-only for the app; only the storage folder is its to write.
# STORAGE_DIR is the one folder to put on a volume (config/deploy.yml mounts parley_storage).
RUN mkdir -p /app/storage && chown 1000:1000 /app/storage
USER 1000:1000
EXPOSE 3100
ENTRYPOINT ["/app/bin/docker-entrypoint"]
# The server's Node flags (packages/server/src/nodeFlags.ts says why; a test holds this line to it).
CMD ["node", "--max-semi-space-size=8", "--no-separate-gc-phases", "packages/server/dist/main.js"]
