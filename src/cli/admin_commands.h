// Admin commands over the hub API: customers, machines, domains, certificates, tokens.
// main.cc parses flags into these option structs; each command prints a short human
// summary (or the hub's JSON with --json) to `out`.
#pragma once

#include <filesystem>
#include <iosfwd>
#include <string>
#include <vector>

#include "cli/hub_client.h"
#include "common/error.h"

namespace certfleet::cli {

struct CustomerAddOptions {
  std::string name;
  std::string contact;
  std::string support_expires;  // YYYY-MM-DD; "" = none
};
Status RunCustomerAdd(HubClient& hub, const CustomerAddOptions& o, std::ostream& out);
Status RunCustomerList(HubClient& hub, bool json, std::ostream& out);

struct MachineAddOptions {
  std::string name;
  std::string address;
  std::string customer;
};
Status RunMachineAdd(HubClient& hub, const MachineAddOptions& o, std::ostream& out);
Status RunMachineList(HubClient& hub, bool json, std::ostream& out);

struct DomainAddOptions {
  std::string name;
  std::string customer;
  std::vector<std::string> machines;
  std::vector<std::string> sans;
  std::string issuer;    // "" = the hub's default issuer
  std::string key_type;  // "" = the hub's default
  std::string profile;
};
Status RunDomainAdd(HubClient& hub, const DomainAddOptions& o, std::ostream& out);

struct DomainListOptions {
  std::string search;
  std::string status;
  std::string customer;
  int limit = 100;
  bool json = false;
};
Status RunDomainList(HubClient& hub, const DomainListOptions& o, std::ostream& out);
Status RunDomainShow(HubClient& hub, const std::string& name, bool json, std::ostream& out);
Status RunDomainIssue(HubClient& hub, const std::string& name, std::ostream& out);

struct CertUploadOptions {
  std::string domain;
  std::filesystem::path cert_file;  // chain PEM, leaf first
  std::filesystem::path key_file;
};
Status RunCertUpload(HubClient& hub, const CertUploadOptions& o, std::ostream& out);

struct TokenCreateOptions {
  std::string role;
  std::string machine;  // required for role agent
  std::string name;
};
Status RunTokenCreate(HubClient& hub, const TokenCreateOptions& o, std::ostream& out);

}  // namespace certfleet::cli
