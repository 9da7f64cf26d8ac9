# One image for every skiff role: `skiff server`, `skiff agent`, `skiff dns`.
FROM node:20-bookworm-slim AS build
# better-sqlite3 compiles from source.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /opt/skiff
COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
COPY api ./api
COPY storage ./storage
COPY clients ./clients
COPY cli ./cli
# `npm ci` runs `prepare`, which compiles TypeScript into dist/.
RUN npm ci && npm prune --omit=dev

FROM node:20-bookworm-slim
# The agent programs forwarding with these; the server needs none of them.
RUN apt-get update \
 && apt-get install -y --no-install-recommends nftables iptables iproute2 \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /opt/skiff
COPY --from=build /opt/skiff/package.json ./
COPY --from=build /opt/skiff/node_modules ./node_modules
COPY --from=build /opt/skiff/dist ./dist
ENV NODE_ENV=production
ENTRYPOINT ["node", "/opt/skiff/dist/cli/main.js"]
CMD ["server", "--host", "0.0.0.0", "--data", "/var/lib/skiff/skiff.db"]
