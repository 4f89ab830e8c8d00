#include "dns/tsig.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "harness/temp_dir.h"

namespace certfleet::dns {
namespace {

constexpr const char* kSecret = "CWhznMQZ8OicOBT/tqr90Y0jfOcnZByF/QYGX8LTOJ8=";

TEST(TsigTest, AcceptsAKeyAsTsigKeygenMakesIt) {
  EXPECT_TRUE(ValidateTsigKey({"acme-key", "hmac-sha256", kSecret}));
  EXPECT_TRUE(ValidateTsigKey({"certfleet.provider.net", "hmac-sha512", kSecret}));
}

TEST(TsigTest, RefusesWeakAlgorithmsShortSecretsAndBadNames) {
  auto md5 = ValidateTsigKey({"acme-key", "hmac-md5", kSecret});
  ASSERT_FALSE(md5);
  EXPECT_NE(md5.error().message.find("use hmac-sha256"), std::string::npos);
  auto short_secret = ValidateTsigKey({"acme-key", "hmac-sha256", "c2hvcnQ="});
  ASSERT_FALSE(short_secret);
  EXPECT_NE(short_secret.error().message.find("at least 16 bytes"), std::string::npos);
  EXPECT_EQ(short_secret.error().message.find("c2hvcnQ"), std::string::npos)
      << "the secret must never be quoted";
  EXPECT_FALSE(ValidateTsigKey({"", "hmac-sha256", kSecret}));
  EXPECT_FALSE(ValidateTsigKey({std::string(300, 'k'), "hmac-sha256", kSecret}));
}

TEST(TsigTest, ReadsABareSecretFile) {
  harness::TempDir dir("tsig");
  auto file = dir.WriteFile("secret", std::string(kSecret) + "\n");
  ::chmod(file.c_str(), 0600);
  TsigKey key{"acme-key"};
  ASSERT_TRUE(ReadTsigSecretFile(file, &key));
  EXPECT_EQ(key.secret, kSecret);
  EXPECT_EQ(key.name, "acme-key");
}

TEST(TsigTest, ReadsTsigKeygenOutput) {
  harness::TempDir dir("tsig");
  auto file = dir.WriteFile("key.conf", std::string("key \"Acme-Key\" {\n\talgorithm hmac-sha512;\n"
                                                    "\tsecret \"") +
                                            kSecret + "\";\n};\n");
  ::chmod(file.c_str(), 0600);
  TsigKey key;
  ASSERT_TRUE(ReadTsigSecretFile(file, &key));
  EXPECT_EQ(key.secret, kSecret);
  EXPECT_EQ(key.algorithm, "hmac-sha512");
  EXPECT_EQ(key.name, "acme-key");
}

TEST(TsigTest, RefusesASecretFileOthersCanRead) {
  harness::TempDir dir("tsig");
  auto file = dir.WriteFile("secret", kSecret);
  ::chmod(file.c_str(), 0644);
  TsigKey key{"acme-key"};
  auto read = ReadTsigSecretFile(file, &key);
  ASSERT_FALSE(read);
  EXPECT_EQ(read.error().code, ErrorCode::kPermissionDenied);
  EXPECT_NE(read.error().message.find("chmod 600 " + file.string()), std::string::npos);
}

}  // namespace
}  // namespace certfleet::dns
