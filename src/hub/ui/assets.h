// The web UI's static assets (htmx, the stylesheet), embedded into the binary at build time
// from src/hub/ui/assets/ by embed_assets.cmake: no file is read at run time.
#pragma once

#include <string_view>
#include <vector>

namespace certfleet::hub::ui {

struct EmbeddedAsset {
  std::string_view name;          // file name, e.g. "htmx.min.js"
  std::string_view content_type;  // e.g. "text/javascript; charset=utf-8"
  std::string_view body;
};

// Every embedded asset, sorted by name (generated code). Static storage; thread-safe.
const std::vector<EmbeddedAsset>& EmbeddedAssets();

// The asset called `name`, or nullptr when there is none.
const EmbeddedAsset* FindAsset(std::string_view name);

// A strong ETag for `asset` ("\"<16 hex chars of its SHA-256>\""), computed once.
std::string_view AssetEtag(const EmbeddedAsset& asset);

}  // namespace certfleet::hub::ui
