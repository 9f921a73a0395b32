-- POST /connect/token: client credentials of the seeded monolith-service client (Development's secret).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.body = "grant_type=client_credentials&client_id=monolith-service&client_secret=" ..
  (os.getenv("BENCH_SERVICE_SECRET") or "dev-service-secret-change-me") .. "&scope=catalog.read"
