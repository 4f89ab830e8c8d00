# write_bench_chain DIR: a realistic certificate chain for seeded benchmark fleets (RSA-2048 leaf +
# RSA-2048 intermediate, about 2.3 KB) in DIR/chain.pem, reused by every seeded domain.
# Sourced by bench/hub_scale.sh and bench/hub_scale_postgres.sh, so both measure the same rows.
write_bench_chain() {
  local dir=$1
  openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=bench intermediate" \
    -keyout "$dir/ca.key" -out "$dir/ca.pem" 2>/dev/null
  openssl req -newkey rsa:2048 -nodes -subj "/CN=d0.bench.test" -keyout "$dir/leaf.key" -out "$dir/leaf.csr" 2>/dev/null
  openssl x509 -req -in "$dir/leaf.csr" -CA "$dir/ca.pem" -CAkey "$dir/ca.key" -CAcreateserial -days 30 \
    -extfile <(printf 'subjectAltName=DNS:d0.bench.test') -out "$dir/leaf.pem" 2>/dev/null
  cat "$dir/leaf.pem" "$dir/ca.pem" >"$dir/chain.pem"
}
