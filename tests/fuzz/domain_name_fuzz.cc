// Domain names, the gate before a name is stored, sent to a CA or becomes a path:
// NormalizeDomainName. Promises: a normalized name is canonical, and normalizing it again
// changes nothing; it never contains a path separator.
#include "common/domain_name.h"
#include "fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text = certfleet::fuzz::Text(data, size);
  for (bool wildcard : {false, true}) {
    const certfleet::DomainNameOptions options{.allow_wildcard = wildcard};
    auto name = certfleet::NormalizeDomainName(text, options);
    if (!name) continue;
    if (!certfleet::IsCanonicalDomainName(*name, options))
      certfleet::fuzz::Broken("a normalized name is not canonical");
    auto again = certfleet::NormalizeDomainName(*name, options);
    if (!again || *again != *name) certfleet::fuzz::Broken("normalizing twice changed the name");
    if (name->find('/') != std::string::npos || name->find('\\') != std::string::npos)
      certfleet::fuzz::Broken("a normalized name contains a path separator");
  }
  return 0;
}
