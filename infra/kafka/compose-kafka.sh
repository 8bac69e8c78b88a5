#!/bin/sh
# docker-compose's Kafka, configured from infra/kafka like the stand-in broker (issue 8):
#
#   compose-kafka.sh start   (the `kafka` service) writes server.properties — KRaft single node,
#                            SASL_SSL with SCRAM on 9092 for every client and between brokers, the
#                            controller on the container's loopback only, the ACL settings of the
#                            generated kafka.env — formats the storage once with the admin's SCRAM
#                            credential (setup.sh format-args) and runs Kafka.
#   compose-kafka.sh setup   (the one-shot `kafka-setup` service) runs the generated setup.sh apply
#                            as the admin: topics, one SCRAM user per principal, their ACLs.
#   compose-kafka.sh health  (the healthcheck) asks the broker for its API versions as the admin.
#
# Secrets (compose `secrets:`, files under /run/secrets, made by
# `npm run -w @onecheck/broker compose-secrets`): kafka-password-<principal> for every principal of
# infra/kafka/access.json, kafka-ca.crt (the CA clients trust) and kafka-broker.pem (the broker's
# private key and certificate, PEM). Nothing secret is put in the environment or the image.
set -eu
HERE="$(cd "$(dirname "$0")" && pwd)"
KAFKA_BIN="${KAFKA_BIN:-/opt/kafka/bin}"
SECRETS="${SECRETS:-/run/secrets}"
WORK="${WORK:-/tmp/onecheck-kafka}"
DATA="${KAFKA_DATA_DIR:-/var/lib/kafka/data}"
mkdir -p "$WORK"
chmod 700 "$WORK"

# KAFKA_PASSWORD_<PRINCIPAL> for setup.sh, from each password secret (department-culture_tourism →
# KAFKA_PASSWORD_DEPARTMENT_CULTURE_TOURISM, as the generator names them).
for f in "$SECRETS"/kafka-password-*; do
  [ -f "$f" ] || continue
  name="$(basename "$f" | sed 's/^kafka-password-//' | tr 'a-z' 'A-Z' | sed 's/[^A-Z0-9]/_/g')"
  export "KAFKA_PASSWORD_$name=$(cat "$f")"
done
: "${KAFKA_PASSWORD_ADMIN:?the kafka-password-admin secret is missing}"

# The admin's client properties (setup.sh, the healthcheck): SASL_SSL, verifying the broker.
ADMIN_CONFIG="$WORK/admin.properties"
cat >"$ADMIN_CONFIG" <<EOF
security.protocol=SASL_SSL
sasl.mechanism=SCRAM-SHA-512
sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="admin" password="$KAFKA_PASSWORD_ADMIN";
ssl.truststore.type=PEM
ssl.truststore.location=$SECRETS/kafka-ca.crt
EOF
chmod 600 "$ADMIN_CONFIG"
export ADMIN_CONFIG
BOOTSTRAP="${BOOTSTRAP:-kafka:9092}"
export BOOTSTRAP

case "${1:-}" in
start)
  PROPS="$WORK/server.properties"
  {
    cat <<EOF
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@localhost:9093
controller.listener.names=CONTROLLER
listeners=SASL_SSL://:9092,CONTROLLER://localhost:9093
advertised.listeners=SASL_SSL://${ADVERTISED_HOST:-kafka}:9092
listener.security.protocol.map=CONTROLLER:PLAINTEXT,SASL_SSL:SASL_SSL
inter.broker.listener.name=SASL_SSL
sasl.mechanism.inter.broker.protocol=SCRAM-SHA-512
listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="admin" password="$KAFKA_PASSWORD_ADMIN";
ssl.keystore.type=PEM
ssl.keystore.location=$SECRETS/kafka-broker.pem
ssl.truststore.type=PEM
ssl.truststore.location=$SECRETS/kafka-ca.crt
ssl.endpoint.identification.algorithm=https
log.dirs=$DATA
num.partitions=3
auto.create.topics.enable=false
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
EOF
    # The ACL settings generated from access.json (KAFKA_ALLOW_EVERYONE_IF_NO_ACL_FOUND=false →
    # allow.everyone.if.no.acl.found=false), so the broker runs exactly what the generator wrote.
    grep '^KAFKA_' "$HERE/kafka.env" | sed 's/^KAFKA_//' | while IFS='=' read -r key value; do
      printf '%s=%s\n' "$(printf '%s' "$key" | tr 'A-Z_' 'a-z.')" "$value"
    done
  } >"$PROPS"
  chmod 600 "$PROPS"
  if [ ! -f "$DATA/meta.properties" ]; then
    set -f # the SCRAM arguments contain [ ]: no pathname expansion
    # The admin must exist before the first start: no one could authenticate to create it later.
    # shellcheck disable=SC2046 # one argument per line, no spaces in them
    "$KAFKA_BIN/kafka-storage.sh" format --ignore-formatted -t "${CLUSTER_ID:-$("$KAFKA_BIN/kafka-storage.sh" random-uuid)}" \
      -c "$PROPS" $("$HERE/setup.sh" format-args)
  fi
  exec "$KAFKA_BIN/kafka-server-start.sh" "$PROPS"
  ;;
setup)
  exec "$HERE/setup.sh" apply
  ;;
health)
  exec "$KAFKA_BIN/kafka-broker-api-versions.sh" --bootstrap-server "$BOOTSTRAP" --command-config "$ADMIN_CONFIG" >/dev/null
  ;;
*)
  echo "usage: $0 start|setup|health" >&2
  exit 2
  ;;
esac
