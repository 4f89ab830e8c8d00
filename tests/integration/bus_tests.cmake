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

# The wired system (issue 5): certfleet-hub and certfleet-agent processes over RabbitMQ.
# Those targets are defined after src/bus; CMake resolves them at generate time.
if(EXISTS ${PROJECT_SOURCE_DIR}/src/hub/CMakeLists.txt AND EXISTS ${PROJECT_SOURCE_DIR}/src/agent/CMakeLists.txt)
  certfleet_test(bus_hub_test
    ${PROJECT_SOURCE_DIR}/tests/integration/bus_hub_fixture.cc
    ${PROJECT_SOURCE_DIR}/tests/integration/bus_hub_test.cc
    LIBS certfleet_bus certfleet_test_harness nlohmann_json::nlohmann_json
    LABELS integration)
  target_compile_definitions(bus_hub_test PRIVATE
    CERTFLEET_HUB_BIN="$<TARGET_FILE:certfleet-hub>"
    CERTFLEET_AGENT_BIN="$<TARGET_FILE:certfleet-agent>")
  add_dependencies(bus_hub_test certfleet-hub certfleet-agent)
endif()
