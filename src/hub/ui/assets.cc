#include "hub/ui/assets.h"

#include <map>
#include <string>

#include "common/encoding.h"
#include "crypto/hash.h"

namespace certfleet::hub::ui {

const EmbeddedAsset* FindAsset(std::string_view name) {
  for (const auto& asset : EmbeddedAssets()) {
    if (asset.name == name) return &asset;
  }
  return nullptr;
}

std::string_view AssetEtag(const EmbeddedAsset& asset) {
  // Built once on first use (thread-safe static init); keyed by name, which is unique.
  static const std::map<std::string_view, std::string> kEtags = [] {
    std::map<std::string_view, std::string> etags;
    for (const auto& a : EmbeddedAssets()) {
      etags[a.name] = "\"" + HexEncode(crypto::Sha256(a.body)).substr(0, 16) + "\"";
    }
    return etags;
  }();
  return kEtags.at(asset.name);
}

}  // namespace certfleet::hub::ui
