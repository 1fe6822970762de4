# Sourced by the HTTP benchmarks (bench/http.sh, bench/observatory.sh):
#     bench_production_env PORT WORK
# exports the environment of a production server on 127.0.0.1:PORT with its data in WORK/data:
# DEBUG off, a throwaway secret, no HTTPS redirect on loopback, the SQLite database of the data
# directory (DATABASE_URL unset: a script may set it afterwards), and no per-address rate
# limits — one load generator is one client address, which they would refuse.
bench_production_env() {
  export RCF_DATA_DIR="$2/data"
  export RCF_ENV=production
  export RCF_SECRET_KEY="bench-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
  export RCF_BASE_URL="http://127.0.0.1:$1"
  export RCF_ALLOWED_HOSTS=127.0.0.1
  export RCF_SECURE_SSL_REDIRECT=false
  export RCF_RATE_LIMIT_API=off RCF_RATE_LIMIT_SEARCH=off RCF_RATE_LIMIT_PRECHECK=off
  unset DATABASE_URL
}
