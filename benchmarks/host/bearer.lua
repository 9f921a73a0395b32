-- The same GET as "by-id", with a valid access token (BENCH_TOKEN) the host must validate on every request.
wrk.headers["Authorization"] = "Bearer " .. os.getenv("BENCH_TOKEN")
