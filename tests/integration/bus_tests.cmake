# Integration tests of the event bus against a real rabbitmq-server (harness/rabbitmq_server.h).
# Included from src/bus/CMakeLists.txt so the bus owns its test registration.
certfleet_test(bus_rabbitmq_test
  ${PROJECT_SOURCE_DIR}/tests/integration/bus_rabbitmq_test.cc
  LIBS certfleet_bus certfleet_store certfleet_test_harness
  LABELS integration)

certfleet_test(bus_rabbitmq_tls_test
  ${PROJECT_SOURCE_DIR}/tests/integration/bus_rabbitmq_tls_test.cc
  LIBS certfleet_bus certfleet_store certfleet_test_harness
  LABELS integration)
