FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 STATIC_ROOT=/srv/app/staticfiles
RUN apt-get update && apt-get install -y --no-install-recommends \
      libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /srv/app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
RUN INATRADE_ENV=production SECRET_KEY=build-only AUDIT_HMAC_KEY=build-only-audit INATRADE_VAR_DIR=/tmp/build-var \
    python manage.py collectstatic --noinput -v0
RUN useradd --system --home /srv inatrade && mkdir -p /srv/var && chown -R inatrade /srv/var
USER inatrade
EXPOSE 8000
