# The one image of docker-compose.yml (which `shardline compose` generates):
# the cluster's nodes, the init service that forms the cluster, and the
# scenario runner all run it. It holds the repository, installed and built
# as a checkout is (npm install, tsc -b), so a container runs the same
# files, with the same arguments, as `shardline up` does.
FROM node:20-bookworm-slim

WORKDIR /shardline

# The dependencies first, so that a change to the sources does not install
# them again. Every workspace's package.json is listed (a test checks it).
COPY package.json package-lock.json ./
COPY packages/resp/package.json packages/resp/
COPY packages/core/package.json packages/core/
COPY packages/server/package.json packages/server/
COPY packages/chaos/package.json packages/chaos/
COPY packages/cli/package.json packages/cli/
# npm install, not npm ci: the lock file leaves out other platforms' optional
# packages (rollup's), so npm ci refuses it on them; npm install keeps the locked versions.
RUN npm install --no-audit --no-fund

COPY . .
RUN npx tsc -b

# A node keeps its nodes file in /data; the containers run as the image's unprivileged user.
RUN mkdir /data && chown node:node /data
USER node

CMD ["node", "packages/cli/bin/shardline.js", "--help"]
