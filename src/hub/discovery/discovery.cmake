# Discovery and adoption on the hub (issue 19): the agents' inventory reports, the fleet
# views over them, adoption, imports and externally-solved HTTP-01 challenges.
add_library(certfleet_hub_discovery
  discovery/adoption_plan.cc
  discovery/fleet_view.cc
  discovery/inventory_entries.cc
  discovery/inventory_report.cc
  discovery/json_checker.cc
)
target_link_libraries(certfleet_hub_discovery
  PUBLIC certfleet_store certfleet_crypto certfleet_common nlohmann_json::nlohmann_json)

if(CERTFLEET_BUILD_TESTS)
  certfleet_test(hub_discovery_test
    discovery/adoption_test.cc
    discovery/inventory_report_test.cc
    LIBS certfleet_hub_discovery)
endif()
