###############################################################################
# tsflink's container image, laid out like Apache Flink's official one:
# the distribution in /opt/flink (FLINK_HOME), run as the user flink (uid 9999),
# /docker-entrypoint.sh with the modes jobmanager, standalone-job, taskmanager
# and help. Build it from the repository root:
#   docker build -t tsflink:0.1.0 .
###############################################################################

# Compiles TypeScript, the web UI and the example jars; none of the tools stay in the image.
FROM node:20-bookworm-slim AS build
WORKDIR /build
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts
COPY . .
RUN npm run build

FROM node:20-bookworm-slim

# envsubst, which replaces $VARS in FLINK_PROPERTIES values as in Flink's image.
RUN set -eux; \
  apt-get update; \
  apt-get install -y --no-install-recommends gettext-base; \
  rm -rf /var/lib/apt/lists/*

ENV FLINK_HOME=/opt/flink
ENV PATH=$FLINK_HOME/bin:$PATH
RUN groupadd --system --gid=9999 flink && \
    useradd --system --home-dir $FLINK_HOME --uid=9999 --gid=flink flink
WORKDIR $FLINK_HOME

# Runtime dependencies only; they are plain JavaScript and need no install scripts.
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts && npm cache clean --force
COPY --from=build /build/dist/src ./dist/src
COPY --from=build /build/dist/web ./dist/web
COPY --from=build /build/examples ./examples
COPY bin ./bin
COPY conf ./conf

# Bind REST and RPC to the container's network interface, and let a TaskManager advertise the
# address it reaches the JobManager from, as Flink's image does with the same tool.
RUN bin/config-parser-utils.sh conf bin lib \
      -repKV rest.address,localhost,0.0.0.0 \
      -repKV rest.bind-address,localhost,0.0.0.0 \
      -repKV jobmanager.bind-host,localhost,0.0.0.0 \
      -repKV taskmanager.bind-host,localhost,0.0.0.0 \
      -rmKV taskmanager.host=localhost

# The directories a running cluster writes: its config (the entry point edits it), logs and jobs.
RUN mkdir -p lib usrlib log && chown -R flink:flink conf lib usrlib log

COPY docker-entrypoint.sh /docker-entrypoint.sh
USER flink
# 6123 JobManager RPC, 8081 REST and web UI, 6121 TaskManager data (taskmanager.data.port in
# deploy/kubernetes), 9249 Prometheus metrics.
EXPOSE 6123 8081 6121 9249
ENTRYPOINT ["/docker-entrypoint.sh"]
CMD ["help"]
