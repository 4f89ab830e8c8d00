# The web UI (src/hub/ui): included by src/hub/CMakeLists.txt after certfleet_hub_api exists.
#   certfleet_hub_ui_core  escaping, forms, sessions, CSRF, embedded assets (no store, no API):
#                          small, so its unit tests build quickly
#   the pages              join certfleet_hub_api, because the App registers the UI routes and
#                          the pages reuse the API's validation, lookups and store queries
set(ui_dir ${CMAKE_CURRENT_SOURCE_DIR}/ui)
file(GLOB ui_assets CONFIGURE_DEPENDS ${ui_dir}/assets/*)
set(ui_assets_cc ${CMAKE_CURRENT_BINARY_DIR}/ui_assets_embedded.cc)
add_custom_command(
  OUTPUT ${ui_assets_cc}
  COMMAND ${CMAKE_COMMAND} -DSRC_DIR=${ui_dir}/assets -DOUT=${ui_assets_cc}
          -P ${ui_dir}/embed_assets.cmake
  DEPENDS ${ui_assets} ${ui_dir}/embed_assets.cmake
  COMMENT "Embedding web UI assets")

add_library(certfleet_hub_ui_core
  ${ui_dir}/assets.cc
  ${ui_dir}/csrf.cc
  ${ui_dir}/form.cc
  ${ui_dir}/html.cc
  ${ui_dir}/session_store.cc
  ${ui_dir}/sign_in_form.cc
  ${ui_assets_cc}
)
target_link_libraries(certfleet_hub_ui_core
  PUBLIC certfleet_common certfleet_crypto certfleet_http certfleet_flags)

target_sources(certfleet_hub_api PRIVATE
  ${ui_dir}/audit_page.cc
  ${ui_dir}/customer_form.cc
  ${ui_dir}/customers_page.cc
  ${ui_dir}/dashboard.cc
  ${ui_dir}/domain_form.cc
  ${ui_dir}/domain_bulk.cc
  ${ui_dir}/domain_csv.cc
  ${ui_dir}/domain_dns01.cc
  ${ui_dir}/domain_filters.cc
  ${ui_dir}/domain_form_view.cc
  ${ui_dir}/domain_page.cc
  ${ui_dir}/domain_view.cc
  ${ui_dir}/domains_page.cc
  ${ui_dir}/expiry_chart.cc
  ${ui_dir}/form_view.cc
  ${ui_dir}/format.cc
  ${ui_dir}/layout.cc
  ${ui_dir}/machine_form.cc
  ${ui_dir}/machines_page.cc
  ${ui_dir}/picker.cc
  ${ui_dir}/redeploy_action.cc
  ${ui_dir}/routes.cc
  ${ui_dir}/sign_in.cc
  ${ui_dir}/ui_guard.cc
  ${ui_dir}/tokens_page.cc
  ${ui_dir}/upload_page.cc
)
target_link_libraries(certfleet_hub_api PUBLIC certfleet_hub_ui_core)

if(CERTFLEET_BUILD_TESTS)
  certfleet_test(hub_ui_core_test
    ${ui_dir}/csrf_test.cc
    ${ui_dir}/html_test.cc
    ${ui_dir}/session_store_test.cc
    ${ui_dir}/sign_in_form_test.cc
    LIBS certfleet_hub_ui_core certfleet_store_testing)
endif()

if(CERTFLEET_BUILD_TESTS)
  # The pages over real HTTP (reuses the API's test fixture).
  certfleet_test(hub_ui_pages_test
    ${CMAKE_CURRENT_SOURCE_DIR}/api/api_test_fixture.cc
    ${ui_dir}/ui_pages_test.cc
    LIBS certfleet_hub_api certfleet_test_harness)
endif()
