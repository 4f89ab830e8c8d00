#include "solver/dns01/zone_router.h"

#include <gtest/gtest.h>

namespace certfleet::solver {
namespace {

class NamedSolver final : public acme::ChallengeSolver {
 public:
  explicit NamedSolver(std::string name) : name_(std::move(name)) {}
  std::string_view Type() const override { return "dns-01"; }
  Status Present(const acme::ChallengeTask& task) override {
    presented.push_back(task.identifier);
    return Ok();
  }
  Status CleanUp(const acme::ChallengeTask&) override { return Ok(); }
  std::vector<std::string> presented;

 private:
  std::string name_;
};

TEST(ZoneRouterTest, TheLongestZoneWins) {
  NamedSolver broad("broad"), narrow("narrow"), root("root");
  ZoneRouter router({{"example.com", &broad}, {"", &root}, {"Shop.Example.com.", &narrow}});
  EXPECT_EQ(router.Route("x.shop.example.com"), &narrow);
  EXPECT_EQ(router.Route("shop.example.com"), &narrow);
  EXPECT_EQ(router.Route("www.example.com"), &broad);
  EXPECT_EQ(router.Route("badshop.example.com"), &broad);
  EXPECT_EQ(router.Route("other.org"), &root);
}

TEST(ZoneRouterTest, NamesOutsideEveryZoneAreNotCovered) {
  NamedSolver solver("s");
  ZoneRouter router({{"example.com", &solver}});
  EXPECT_TRUE(router.Covers("a.example.com", true));
  EXPECT_FALSE(router.Covers("example.org", false));
  acme::ChallengeTask task{"example.org", "dns-01", "tok", "tok.x", "https://ca/1"};
  auto presented = router.Present(task);
  ASSERT_FALSE(presented);
  EXPECT_NE(presented.error().message.find("example.org: no DNS-01 zone is configured"),
            std::string::npos);
  EXPECT_TRUE(router.CleanUp(task)) << "nothing was presented, nothing to clean up";
}

TEST(ZoneRouterTest, PresentGoesToTheRoutedSolver) {
  NamedSolver a("a"), b("b");
  ZoneRouter router({{"a.test", &a}, {"b.test", &b}});
  ASSERT_TRUE(router.Present({"x.b.test", "dns-01", "tok", "tok.x", "https://ca/1"}));
  EXPECT_TRUE(a.presented.empty());
  EXPECT_EQ(b.presented, (std::vector<std::string>{"x.b.test"}));
}

}  // namespace
}  // namespace certfleet::solver
