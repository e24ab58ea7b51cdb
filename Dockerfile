# Parley images. Targets:
#   app  the backend (api, worker and web roles), run as `node backend/dist/main.js <roles…>`
#   web  nginx serving the built frontend and proxying the API (deploy/nginx.conf)
# `docker build .` without --target builds `app` (the last stage).

ARG NODE_IMAGE=node:20-bookworm-slim

# ---- deps: every workspace's dependencies, dev included, for building ----
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
# Manifests first, so editing source does not invalidate the npm ci layer.
COPY package.json package-lock.json ./
COPY common/package.json common/
COPY backend/package.json backend/
COPY frontend/package.json frontend/
RUN npm ci --no-audit --no-fund

# ---- build: common and backend (tsc project references), then the frontend (Vite) ----
FROM deps AS build
COPY tsconfig.json tsconfig.base.json ./
COPY common common
COPY backend backend
COPY frontend frontend
RUN npx tsc -b \
 && npm run build -w frontend

# ---- web: nginx with the built single-page app ----
FROM nginx:1.27-alpine AS web
COPY deploy/nginx.conf /etc/nginx/conf.d/default.conf
COPY --from=build /app/frontend/dist /usr/share/nginx/html
EXPOSE 80

# ---- app: production dependencies and compiled JavaScript only ----
FROM ${NODE_IMAGE} AS app
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
COPY common/package.json common/
COPY backend/package.json backend/
# npm ci checks every workspace manifest against the lockfile, so frontend's comes too.
COPY frontend/package.json frontend/
# argon2 and msgpackr-extract load prebuilt linux glibc binaries: no compiler needed.
RUN npm ci --omit=dev --workspace backend --workspace common --include-workspace-root=false --no-audit --no-fund \
 && npm cache clean --force
COPY --from=build /app/common/dist common/dist
COPY --from=build /app/backend/dist backend/dist
# Lets the `web` role serve the app from this image too (WEB_DIST_DIR defaults here).
COPY --from=build /app/frontend/dist frontend/dist
USER node
EXPOSE 3000
ENTRYPOINT ["node", "backend/dist/main.js"]
CMD ["api"]
