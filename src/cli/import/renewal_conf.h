// certbot's renewal configuration files (renewal/<lineage>.conf, written by configobj):
//
//   version = 2.1.0
//   archive_dir = /etc/letsencrypt/archive/shop.example.com
//   cert = /etc/letsencrypt/live/shop.example.com/cert.pem
//   privkey = /etc/letsencrypt/live/shop.example.com/privkey.pem
//   fullchain = /etc/letsencrypt/live/shop.example.com/fullchain.pem
//   # Options used in the renewal process
//   [renewalparams]
//   authenticator = standalone
//   server = https://acme-v02.api.letsencrypt.org/directory
//   key_type = ecdsa
//
// "key = value" lines, "#" comments, "[section]" headers (deeper "[[...]]" sections are
// read as sections too); values lose one level of surrounding quotes. Pure.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "common/error.h"

namespace certfleet::cli::import {

struct RenewalConf {
  std::map<std::string, std::string> top;  // keys before the first section
  std::map<std::string, std::map<std::string, std::string>> sections;

  // The top-level value or "".
  std::string Get(const std::string& key) const;
  // A [renewalparams] value or "".
  std::string Param(const std::string& key) const;
};

// kInvalidArgument "renewal/x.conf line 4: expected \"key = value\", got \"...\"".
Result<RenewalConf> ParseRenewalConf(std::string_view text, std::string_view file);

}  // namespace certfleet::cli::import
