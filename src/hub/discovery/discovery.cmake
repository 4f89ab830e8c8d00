# Discovery and adoption on the hub (issue 19): the agents' inventory reports, the fleet
# views over them, adoption, imports and externally-solved HTTP-01 challenges.
# Included by src/hub/CMakeLists.txt after certfleet_hub_service and certfleet_hub_api exist.

# Pure: report validation, the fleet view, the adoption plan.
add_library(certfleet_hub_discovery
  discovery/adoption_plan.cc
  discovery/fleet_view.cc
  discovery/inventory_entries.cc
  discovery/inventory_report.cc
  discovery/json_checker.cc
)
target_link_libraries(certfleet_hub_discovery
  PUBLIC certfleet_store certfleet_crypto certfleet_common nlohmann_json::nlohmann_json)

# The rules behind the API (service layer style): reports, adoption, imports, challenges.
add_library(certfleet_hub_discovery_service
  discovery/external_challenges.cc
  discovery/import_service.cc
  discovery/inventory_service.cc
)
target_link_libraries(certfleet_hub_discovery_service
  PUBLIC certfleet_hub_discovery certfleet_hub_service certfleet_issuance)

# The API adapters live with the other handlers.
target_sources(certfleet_hub_api PRIVATE
  api/discovery_agent_routes.cc
  api/discovery_json.cc
  api/discovery_routes.cc
  ui/discovered_page.cc
)
target_link_libraries(certfleet_hub_api PUBLIC certfleet_hub_discovery_service)

if(CERTFLEET_BUILD_TESTS)
  certfleet_test(hub_discovery_test
    discovery/adoption_test.cc
    discovery/inventory_report_test.cc
    LIBS certfleet_hub_discovery)
  # The discovery API over HTTP (reuses the API's test fixture).
  certfleet_test(hub_discovery_api_test
    api/api_test_fixture.cc
    api/api_discovery_test.cc
    LIBS certfleet_hub_api certfleet_crypto_testing certfleet_test_harness)
endif()
