#include "notify/message.h"

#include <algorithm>
#include <map>
#include <utility>

namespace certfleet::notify {
namespace {

struct Headline {
  const char* one;
  const char* many;
};

Headline HeadlineFor(NoticeKind kind) {
  switch (kind) {
    case NoticeKind::kIssued:
      return {"certificate issued", "certificates issued"};
    case NoticeKind::kRenewed:
      return {"certificate renewed", "certificates renewed"};
    case NoticeKind::kDeployed:
      return {"certificate deployed", "certificates deployed"};
    case NoticeKind::kFailed:
      return {"issuance failure", "issuance failures"};
    case NoticeKind::kExpiring:
      return {"certificate expiring soon", "certificates expiring soon"};
    case NoticeKind::kAgentUnseen:
      return {"agent not seen", "agents not seen"};
    case NoticeKind::kDelegation:
      return {"DNS-01 delegation", "DNS-01 delegations"};
    case NoticeKind::kCapacity:
      return {"order capacity warning", "order capacity warnings"};
    case NoticeKind::kTest:
      return {"test message", "test messages"};
  }
  return {"event", "events"};
}

std::string Counted(NoticeKind kind, std::size_t count) {
  Headline h = HeadlineFor(kind);
  return std::to_string(count) + " " + (count == 1 ? h.one : h.many);
}

std::string Capitalized(std::string s) {
  if (!s.empty() && s[0] >= 'a' && s[0] <= 'z') s[0] = static_cast<char>(s[0] - 'a' + 'A');
  return s;
}

std::string Join(const std::vector<std::string>& items, std::string_view sep) {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) out += sep;
    out += item;
  }
  return out;
}

// Kinds in the order a reader should see them: trouble first.
std::vector<std::pair<NoticeKind, std::vector<const Notice*>>> GroupByKind(
    const std::vector<Notice>& notices) {
  std::map<NoticeKind, std::vector<const Notice*>> groups;
  for (const auto& n : notices) groups[n.kind].push_back(&n);
  std::vector<std::pair<NoticeKind, std::vector<const Notice*>>> ordered(groups.begin(),
                                                                         groups.end());
  auto worst = [](const std::vector<const Notice*>& g) {
    Severity s = Severity::kInfo;
    for (const Notice* n : g) s = std::max(s, n->severity);
    return s;
  };
  std::stable_sort(ordered.begin(), ordered.end(),
                   [&](const auto& a, const auto& b) { return worst(a.second) > worst(b.second); });
  return ordered;
}

void AppendGroup(std::string& text, const std::vector<const Notice*>& group) {
  std::size_t shown = std::min(group.size(), kMaxLinesPerKind);
  for (std::size_t i = 0; i < shown; ++i) {
    text += "- " + NoticeLine(*group[i]) + "\n";
    if (!group[i]->action.empty()) text += "  Next: " + group[i]->action + "\n";
  }
  if (group.size() > shown) {
    text += "- ... and " + std::to_string(group.size() - shown) + " more\n";
  }
}

std::string TitleFor(const std::vector<std::pair<NoticeKind, std::vector<const Notice*>>>& groups,
                     std::size_t total) {
  if (total == 1) {
    const Notice& n = *groups.front().second.front();
    return Capitalized(HeadlineFor(n.kind).one) + ": " + n.subject;
  }
  if (groups.size() == 1) return Counted(groups.front().first, total);
  std::vector<std::string> parts;
  for (const auto& [kind, group] : groups) {
    parts.push_back(std::to_string(group.size()) + " " + std::string(NoticeKindName(kind)));
  }
  return std::to_string(total) + " certificate events: " + Join(parts, ", ");
}

}  // namespace

std::string NoticeLine(const Notice& n) {
  std::string line = n.subject;
  if (!n.customer.empty()) line += " (customer " + n.customer + ")";
  if (!n.machines.empty() && n.kind != NoticeKind::kAgentUnseen) {
    line += " on " + Join(n.machines, ", ");
  }
  return line + ": " + n.summary;
}

Message FormatMessage(std::string id, const std::vector<Notice>& notices, TimePoint now) {
  Message m;
  m.id = std::move(id);
  m.created_at = now;
  m.notices = notices;
  for (const auto& n : notices) m.severity = std::max(m.severity, n.severity);
  if (notices.empty()) return m;
  auto groups = GroupByKind(notices);
  m.title = TitleFor(groups, notices.size());
  std::string text;
  for (const auto& [kind, group] : groups) {
    if (groups.size() > 1) text += Capitalized(Counted(kind, group.size())) + ":\n";
    AppendGroup(text, group);
  }
  if (!text.empty() && text.back() == '\n') text.pop_back();
  m.text = std::move(text);
  return m;
}

}  // namespace certfleet::notify
