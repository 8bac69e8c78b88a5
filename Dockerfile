# One image for every OneCheck service; docker-compose.yml picks the entry point per service.
# Build from the repository root: docker build -t onecheck .
FROM node:24-bookworm-slim
ENV NODE_ENV=production APOLLO_TELEMETRY_DISABLED=1 KAFKAJS_NO_PARTITIONER_WARNING=1
WORKDIR /app
COPY . .
RUN npm ci --omit=dev --ignore-scripts && npm cache clean --force
USER node
# Sources run through tsx: no build step between the repository and the running code.
ENTRYPOINT ["npx", "--no-install", "tsx"]
CMD ["gateway/src/main.ts"]
