// Which address a member binds to and advertises, following hazelcast.yaml's rules.
#include "net/address_picker.h"

#include <gtest/gtest.h>

namespace shoal::net {
namespace {

const std::vector<std::string> kLocal = {"10.1.2.3", "192.168.0.7", "127.0.0.1"};

TEST(AddressPicker, LocalAddressPropertyWins) {
    config::MemberConfig c;
    c.local_address = "127.0.3.4";
    c.network.interfaces_enabled = true;
    c.network.interfaces = {"10.1.*.*"};
    const auto a = pick_member_address(c, kLocal);
    EXPECT_EQ(a.bind_host, "127.0.3.4");
    EXPECT_EQ(a.advertised_host, "127.0.3.4");
}

TEST(AddressPicker, InterfacesPatternPicksMatchingLocalAddress) {
    config::MemberConfig c;
    c.network.interfaces_enabled = true;
    c.network.interfaces = {"172.16.*.*", "192.168.0.1-9"};
    const auto a = pick_member_address(c, kLocal);
    EXPECT_EQ(a.bind_host, "192.168.0.7");
    EXPECT_EQ(a.advertised_host, "192.168.0.7");
}

TEST(AddressPicker, LiteralInterfaceIsUsedEvenIfNotListed) {
    config::MemberConfig c;
    c.network.interfaces_enabled = true;
    c.network.interfaces = {"127.0.9.9"};
    EXPECT_EQ(pick_member_address(c, kLocal).bind_host, "127.0.9.9");
}

TEST(AddressPicker, NoMatchingInterfaceIsAnError) {
    config::MemberConfig c;
    c.network.interfaces_enabled = true;
    c.network.interfaces = {"172.16.*.*"};
    EXPECT_THROW(pick_member_address(c, kLocal), std::runtime_error);
}

TEST(AddressPicker, DefaultBindsEverywhereAndAdvertisesFirstNonLoopback) {
    config::MemberConfig c;
    const auto a = pick_member_address(c, kLocal);
    EXPECT_EQ(a.bind_host, "0.0.0.0");
    EXPECT_EQ(a.advertised_host, "10.1.2.3");
    EXPECT_EQ(pick_member_address(c, {}).advertised_host, "127.0.0.1");
}

TEST(AddressPicker, PublicAddressOverridesAdvertisedHostAndPort) {
    config::MemberConfig c;
    c.network.public_address = "203.0.113.5:31000";
    const auto a = pick_member_address(c, kLocal);
    EXPECT_EQ(a.bind_host, "0.0.0.0");
    EXPECT_EQ(a.advertised_host, "203.0.113.5");
    EXPECT_EQ(a.advertised_port, 31000);
    c.network.public_address = "example.internal";
    EXPECT_EQ(pick_member_address(c, kLocal).advertised_host, "example.internal");
    EXPECT_EQ(pick_member_address(c, kLocal).advertised_port, 0);
}

TEST(InterfaceMatches, WildcardsAndRanges) {
    EXPECT_TRUE(interface_matches("10.*.2.1-5", "10.200.2.5"));
    EXPECT_FALSE(interface_matches("10.*.2.1-5", "10.200.2.6"));
    EXPECT_FALSE(interface_matches("10.*.2.1-5", "11.200.2.1"));
    EXPECT_TRUE(interface_matches("127.0.0.1", "127.0.0.1"));
    EXPECT_FALSE(interface_matches("1.2.3", "1.2.3.4"));
}

}  // namespace
}  // namespace shoal::net
