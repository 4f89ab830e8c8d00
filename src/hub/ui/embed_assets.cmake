# Generates assets_embedded.cc: every file in assets/ (except *.md and *.LICENSE) as a string, so
# certfleet-hub serves its web UI without reading files at run time.
# Run at build time: cmake -DSRC_DIR=<assets dir> -DOUT=<file.cc> -P embed_assets.cmake
file(GLOB files "${SRC_DIR}/*")
list(SORT files)
set(body "")
foreach(f ${files})
  get_filename_component(name ${f} NAME)
  if(name MATCHES "\\.(md|LICENSE)$")
    continue()
  endif()
  if(name MATCHES "\\.css$")
    set(type "text/css; charset=utf-8")
  elseif(name MATCHES "\\.js$")
    set(type "text/javascript; charset=utf-8")
  elseif(name MATCHES "\\.svg$")
    set(type "image/svg+xml")
  else()
    message(FATAL_ERROR "embed_assets: no content type for ${name}")
  endif()
  file(READ ${f} text)
  string(FIND "${text}" ")cf_asset\"" clash)
  if(NOT clash EQUAL -1)
    message(FATAL_ERROR "embed_assets: ${name} contains the raw-string delimiter )cf_asset\"")
  endif()
  string(APPEND body "    {\"${name}\", \"${type}\", R\"cf_asset(${text})cf_asset\"},\n")
endforeach()
file(WRITE ${OUT}.tmp "// Generated from src/hub/ui/assets by embed_assets.cmake. Do not edit.\n"
  "#include \"hub/ui/assets.h\"\n\n"
  "namespace certfleet::hub::ui {\n\n"
  "const std::vector<EmbeddedAsset>& EmbeddedAssets() {\n"
  "  static const std::vector<EmbeddedAsset> kAssets{\n${body}  };\n"
  "  return kAssets;\n}\n\n}  // namespace certfleet::hub::ui\n")
file(COPY_FILE ${OUT}.tmp ${OUT} ONLY_IF_DIFFERENT)
