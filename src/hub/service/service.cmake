# The hub's service layer (src/hub/service): included by src/hub/CMakeLists.txt after
# certfleet_hub exists. No HTTP: the API and the web UI are adapters over it.
set(service_dir ${CMAKE_CURRENT_SOURCE_DIR}/service)
add_library(certfleet_hub_service
  ${service_dir}/activity.cc
  ${service_dir}/audit_search.cc
  ${service_dir}/certificate_check.cc
  ${service_dir}/customers.cc
  ${service_dir}/domain_fields.cc
  ${service_dir}/domain_state.cc
  ${service_dir}/domains.cc
  ${service_dir}/field_error.cc
  ${service_dir}/fleet_status.cc
  ${service_dir}/lookup.cc
  ${service_dir}/names.cc
  ${service_dir}/redeploy.cc
  ${service_dir}/tokens.cc
)
target_link_libraries(certfleet_hub_service
  PUBLIC certfleet_hub certfleet_issuance certfleet_store certfleet_crypto certfleet_common
  PRIVATE nlohmann_json::nlohmann_json)

if(CERTFLEET_BUILD_TESTS)
  certfleet_test(hub_service_test
    ${service_dir}/activity_test.cc
    ${service_dir}/certificate_check_test.cc
    ${service_dir}/customers_test.cc
    ${service_dir}/domain_fields_test.cc
    ${service_dir}/domain_state_test.cc
    ${service_dir}/domains_test.cc
    ${service_dir}/fleet_status_test.cc
    ${service_dir}/lookup_test.cc
    ${service_dir}/redeploy_test.cc
    ${service_dir}/service_test_fixture.cc
    ${service_dir}/tokens_test.cc
    LIBS certfleet_hub_service certfleet_crypto_testing certfleet_test_harness)
endif()
